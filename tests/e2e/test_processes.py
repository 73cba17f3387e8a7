"""The bot's processes: analysis workers do not outlive a killed bot, and a graceful stop in the middle of a
burst finishes cleanly (no traceback) and loses nothing."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from tests.botapi import BotApiDouble
from tests.crashtrial import CHAT, BotProcess, article, run_trial, wait_for


def children_of(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        found.update(int(c) for c in children)
    return found


def gone(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    # Killed but not yet reaped by whoever adopted it: it runs no more.
    return any(line.startswith("State:") and ("Z" in line or "X" in line) for line in status.splitlines())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_analysis_workers_exit_when_the_bot_is_killed(tmp_path: Path) -> None:
    with BotApiDouble() as api:
        bot = BotProcess(api, tmp_path / "precis.db", tmp_path / "bot.log", {})
        try:
            wait_for(lambda: api.requests("getUpdates"), "the bot to poll")
            api.push_message(CHAT, article(1))
            wait_for(lambda: api.bot_messages(CHAT), "the card", timeout=120)
            workers = children_of(bot.pid)
            assert workers, "the bot has no worker processes"
            bot.kill()
            # Bounded: the kernel kills them at once on Linux; the watchdog elsewhere looks every second.
            deadline = time.monotonic() + 30
            while not all(gone(pid) for pid in workers):
                assert time.monotonic() < deadline, f"workers still alive: {[p for p in workers if not gone(p)]}"
                time.sleep(0.01)
        finally:
            bot.close()
    assert all(gone(pid) for pid in workers)
    assert os.getpid() not in workers


def test_a_graceful_stop_mid_burst_drains_everything_cleanly(tmp_path: Path) -> None:
    # The last post waits for the next part of its series far longer than the stop takes.
    trial = run_trial(
        tmp_path, seed=5, posts=30, kill_after_cards=5, graceful=True, extra_env={"PRECIS_SERIES_WAIT": "30"}
    )
    context = f"{trial}\n{trial.first_log[-4000:]}"
    assert trial.first_exit == 0, context
    # Everything taken in was answered before the process ended, the waiting series included.
    assert trial.cards_before_kill == 30, context
    for problem in ("Traceback", "closed database", "no active connection", "was never retrieved"):
        assert problem not in trial.first_log, context
    assert trial.lost == trial.duplicates == trial.missing_cards == trial.repeated_cards == 0, context
