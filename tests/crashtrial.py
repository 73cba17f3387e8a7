"""One crash trial: a real bot process polling the Bot API double (or taking its updates on a webhook) is killed
with SIGKILL during a burst of forwarded posts, then started again on the same database; what was lost, stored
twice or answered twice is counted. Shared by the test suite (a few trials, fixed seed) and
`bench/bench_crash.py` (many trials).

Every wait is on the double: it wakes at each request the double sees (or when the bot process ends), with
no clock and no polling; the kill moment is drawn from the progress the double has seen (the burst fetched, k
cards sent), not from a clock.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from tests.botapi import BotApiDouble, origin_channel
from tests.ports import listen_ports

T = TypeVar("T")

ROOT = Path(__file__).resolve().parent.parent
CHAT = 77001
CHANNEL = -1007700
PEOPLE = ("Anna Berg", "Tomas Lind", "Maria Kovac", "Peter Holm", "Ines Duarte", "Oskar Veld")
TOPICS = ("harbour", "railway", "school", "budget", "bridge", "hospital", "water", "tram", "housing", "park")


def article(i: int) -> str:
    """A short news article of its own (distinct words, so no two are the same text or the same story)."""
    person = PEOPLE[i % len(PEOPLE)]
    topic = TOPICS[i % len(TOPICS)]
    return (
        f"Council backs the {topic} plan number {i}\n\n"
        f"The city council approved the {topic} plan number {i} on Tuesday after a debate of {i + 3} hours. "
        f'"This is the most important decision for the {topic} in years," {person} said after the vote. '
        f"The plan costs {i + 11} million euros and work starts in March {2026 + i % 3}. "
        f"Critics said the {topic} budget for district {i} was too small. "
        f"{person} told reporters that a review in October would settle the question of district {i}."
    )


@dataclass(frozen=True)
class Trial:
    seed: int
    kill_after_cards: int  # -1: killed as soon as the burst was fetched; with kill_delay: after the first card
    kill_delay: float | None
    cards_before_kill: int
    lost: int  # posts with no article
    duplicates: int  # articles beyond one per post
    missing_cards: int  # posts never answered
    repeated_cards: int  # answers beyond one per post
    restart_to_answered_s: float  # from the second start to every post answered
    log: str
    first_log: str  # the first run's, up to its end
    first_exit: int  # the first run's exit status (-9 when killed)

    @property
    def ok(self) -> bool:
        return not (self.lost or self.duplicates or self.missing_cards or self.repeated_cards)


def wait_for(
    api: BotApiDouble, predicate: Callable[[], T], what: str, timeout: float = 120.0, process: BotProcess | None = None
) -> T:
    """Wait until `predicate` holds, asking again at every request the double sees; fail after `timeout`
    seconds, or at once if `process` ended."""

    def done() -> T | bool:
        if process is not None and process.process.poll() is not None:
            log = process.log_path.read_text(encoding="utf-8", errors="replace")
            raise AssertionError(f"the bot exited ({process.process.returncode}) before {what}:\n{log[-3000:]}")
        return predicate()

    return api.wait(done, timeout=timeout, what=what)  # type: ignore[return-value]


class BotProcess:
    def __init__(self, api: BotApiDouble, db_path: Path, log_path: Path, extra_env: dict[str, str]) -> None:
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": api.token,
            "TELEGRAM_API_URL": api.url,
            "PRECIS_DB": str(db_path),
            "PRECIS_SERIES_WAIT": "0.2",
            "PRECIS_WORKERS": "1",
            "PRECIS_LOG_LEVEL": "INFO",
            **extra_env,
        }
        self.log_path = log_path
        self._log = log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=log_path.parent,  # no .env there
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so a trial can clean up whatever it leaves
        )
        # A wait on the double learns at once that the process ended (and stops waiting for it).
        threading.Thread(target=self._watch, args=(api,), daemon=True).start()

    def _watch(self, api: BotApiDouble) -> None:
        self.process.wait()
        api.poke()

    @property
    def pid(self) -> int:
        return self.process.pid

    def kill(self) -> int:
        self.process.send_signal(signal.SIGKILL)
        return self.process.wait()

    def stop(self, timeout: float = 60.0) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        with contextlib.suppress(ProcessLookupError, PermissionError):  # workers a kill left (should be none)
            os.killpg(self.process.pid, signal.SIGKILL)
        self._log.close()


def webhook_settings() -> dict[str, str]:
    """The environment that runs a bot process behind a webhook on a free port of 127.0.0.1."""
    (port,) = listen_ports(1)
    return {
        "PRECIS_WEBHOOK_URL": f"http://127.0.0.1:{port}/hook",
        "PRECIS_WEBHOOK_LISTEN": "127.0.0.1",
        "PRECIS_WEBHOOK_PORT": str(port),
    }


def _fetched_burst(api: BotApiDouble) -> bool:
    return any(isinstance(r.response, dict) and r.response.get("result") for r in api.requests("getUpdates"))


def _received_burst(api: BotApiDouble, webhook: bool) -> bool:
    """Some of the burst taken in: fetched by getUpdates, or (webhook) a delivery answered 200."""
    if webhook:
        return any(d.status == 200 for d in api.webhook_deliveries())
    return _fetched_burst(api)


def _registrations(api: BotApiDouble, webhook: bool) -> int:
    """How many times a bot process told the double how it takes updates, which it does once at every start:
    setWebhook behind a webhook, deleteWebhook when polling."""
    return api.arrived("setWebhook" if webhook else "deleteWebhook")


def _answers(api: BotApiDouble, posts: set[int]) -> Counter[int]:
    return Counter(m.reply_to_message_id for m in api.bot_messages(CHAT) if m.reply_to_message_id in posts)


def run_trial(
    workdir: Path,
    seed: int,
    posts: int = 50,
    *,
    kill_after_cards: int | None = None,
    kill_delay: float | None = None,
    extra_env: dict[str, str] | None = None,
    graceful: bool = False,
    webhook: bool = False,
) -> Trial:
    """Kill the bot once `kill_after_cards` cards were sent (-1: as soon as some of the burst was received; None:
    drawn from the seed), or, with `kill_delay`, that many seconds after the first card (for the bench: a moment
    of the burst that does not follow a card). With `webhook`, the double delivers to the bot's webhook as
    Telegram does (each chat's updates in order, retried until answered 200), and each start registers it anew
    with a secret of its own."""
    rng = random.Random(seed)
    kill_after = rng.randrange(-1, posts) if kill_after_cards is None else kill_after_cards
    if kill_delay is not None:
        kill_after = 0
    workdir.mkdir(parents=True, exist_ok=True)
    db_path, log_path = workdir / "precis.db", workdir / "bot.log"
    texts = [article(seed * 1000 + i) for i in range(posts)]
    env = dict(extra_env or {}) | (webhook_settings() if webhook else {})
    with BotApiDouble(parallel_webhooks=webhook) as api:
        first = BotProcess(api, db_path, log_path, env)
        try:
            wait_for(
                api,
                lambda: _registrations(api, webhook) >= 1 and (webhook or api.arrived("getUpdates") >= 1),
                "the bot to take updates",
                process=first,
            )
            posted = int(time.time()) - 600
            pushed = [
                api.push_message(
                    CHAT,
                    text,
                    forward_origin=origin_channel(CHANNEL, "Crash News", message_id=10 * (i + 1), date=posted),
                ).message_id
                for i, text in enumerate(texts)
            ]
            ids = set(pushed)
            if kill_after < 0:
                wait_for(api, lambda: _received_burst(api, webhook), "the burst to be received", process=first)
            else:
                enough = max(kill_after, 1)
                wait_for(api, lambda: sum(_answers(api, ids).values()) >= enough, f"{enough} cards", process=first)
            if kill_delay is not None:
                time.sleep(kill_delay)  # the bench's random moment; the test suite never passes one
            first_exit = first.stop() if graceful else first.kill()
            cards_before = sum(_answers(api, ids).values())
            first_log = log_path.read_text(encoding="utf-8", errors="replace")
        finally:
            first.close()

        registered = _registrations(api, webhook)
        restarted = time.time()
        second = BotProcess(api, db_path, log_path, env)
        try:
            # The new process's own registration: a request the killed one sent may still arrive after its end,
            # but it registered only at its start. (Waiting for its start in the log raced with the log line:
            # nothing need reach the double after it to wake the wait.)
            wait_for(api, lambda: _registrations(api, webhook) > registered, "the bot to start again", process=second)
            wait_for(api, lambda: set(_answers(api, ids)) == ids, "every post answered", timeout=300, process=second)
            answered_at = max(
                r.at for r in api.requests("sendMessage") if isinstance(r.response, dict) and r.response.get("ok")
            )
            wait_for(api, lambda: not api.pending_updates(), "every update confirmed")
            status = second.stop()
            assert status == 0, f"the bot exited with {status}"
        finally:
            second.close()
        answers = _answers(api, ids)

    with sqlite3.connect(db_path) as conn:
        stored = [row[0].strip() for row in conn.execute("SELECT raw_text FROM articles WHERE chat_id = ?", (CHAT,))]
    texts = [text.strip() for text in texts]
    per_text = Counter(stored)
    return Trial(
        seed=seed,
        kill_after_cards=kill_after,
        kill_delay=kill_delay,
        cards_before_kill=cards_before,
        lost=sum(1 for text in texts if per_text[text] == 0),
        duplicates=len(stored) - len(set(stored) & set(texts)),
        missing_cards=sum(1 for m in pushed if answers[m] == 0),
        repeated_cards=sum(max(0, answers[m] - 1) for m in pushed),
        restart_to_answered_s=max(0.0, answered_at - restarted),
        log=log_path.read_text(encoding="utf-8", errors="replace"),
        first_log=first_log,
        first_exit=first_exit,
    )
