"""The bot's processes: analysis workers do not outlive a killed bot, and a graceful stop in the middle of a
burst finishes cleanly (no traceback) and loses nothing."""

from __future__ import annotations

import os
import select
import sys
import time
from pathlib import Path

import pytest

from tests.botapi import BotApiDouble
from tests.crashtrial import CHAT, BotProcess, article, run_trial, wait_for

pytestmark = pytest.mark.slow  # bot processes


def children_of(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        found.update(int(c) for c in children)
    return found


def wait_until_gone(pids: set[int], timeout: float) -> set[int]:
    """Wait for every process in `pids` to end (a pidfd becomes readable when its process ends, child of ours
    or not); return those still running after `timeout` seconds."""
    descriptors = {}
    for pid in pids:
        try:
            descriptors[os.pidfd_open(pid)] = pid
        except ProcessLookupError:
            continue  # ended already
    try:
        pending = set(descriptors)
        deadline = time.monotonic() + timeout
        while pending and (remaining := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select(list(pending), [], [], remaining)
            pending -= set(ready)
        return {descriptors[fd] for fd in pending}
    finally:
        for fd in descriptors:
            os.close(fd)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc, waits on pidfds")
def test_the_analysis_workers_exit_when_the_bot_is_killed(tmp_path: Path) -> None:
    with BotApiDouble() as api:
        bot = BotProcess(api, tmp_path / "precis.db", tmp_path / "bot.log", {})
        try:
            api.push_message(CHAT, article(1))
            wait_for(api, lambda: api.bot_messages(CHAT), "the card", timeout=120, process=bot)
            workers = children_of(bot.pid)
            assert workers, "the bot has no worker processes"
            bot.kill()
            # Bounded: the kernel kills them at once on Linux; the watchdog elsewhere looks every second.
            alive = wait_until_gone(workers, timeout=60)
            assert not alive, f"workers still alive: {sorted(alive)}"
        finally:
            bot.close()
    assert os.getpid() not in workers


def test_a_graceful_stop_mid_burst_drains_everything_cleanly(tmp_path: Path) -> None:
    # The last post waits for the next part of its series far longer than the stop takes.
    trial = run_trial(
        tmp_path, seed=5, posts=12, kill_after_cards=3, graceful=True, extra_env={"PRECIS_SERIES_WAIT": "30"}
    )
    context = f"{trial}\n{trial.first_log[-4000:]}"
    assert trial.first_exit == 0, context
    # Everything taken in was answered before the process ended, the waiting series included.
    assert trial.cards_before_kill == 12, context
    for problem in ("Traceback", "closed database", "no active connection", "was never retrieved"):
        assert problem not in trial.first_log, context
    assert trial.lost == trial.duplicates == trial.missing_cards == trial.repeated_cards == 0, context
