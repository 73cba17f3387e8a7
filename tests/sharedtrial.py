"""Several bot processes on one PostgreSQL database, sharing the work: webhook mode behind a load balancer (the
Bot API double delivers the updates to the processes in turn), one process killed with SIGKILL in the middle
of a burst and started again. Shared by the test suite (a smaller burst) and `bench/bench_shared.py`.

The burst is forwarded posts from two channels into several chats: posts of their own, articles cut over three
consecutive posts of a channel (a series: one article), and the same text forwarded again from the other
channel (a duplicate: folded into the article the chat has). Every wait is on something the double recorded
or the database holds, with a deadline; nothing waits on a clock.
"""

from __future__ import annotations

import random
import socket
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from tests.botapi import BotApiDouble, origin_channel
from tests.crashtrial import BotProcess, article, wait_for

CHANNELS = ((-1005001, "North News"), (-1005002, "South Wire"))
SECRET = "shared-webhook-secret-for-the-processes"


@dataclass(frozen=True)
class Arrival:
    """What the bot must answer once: a post of its own, a series (answered on its first part) or a duplicate."""

    chat_id: int
    kind: str  # single | series | duplicate
    text: str  # the article's text as it must be stored (a series: its parts joined)
    parts: tuple[str, ...]  # the posts' texts, in order (one for a single or a duplicate)
    channel: int  # index into CHANNELS
    post_id: int  # the first post's id in its channel


@dataclass
class Burst:
    arrivals: list[Arrival]
    order: list[tuple[Arrival, int]]  # (arrival, part index), in the order the posts are forwarded

    @property
    def posts(self) -> int:
        return len(self.order)


def make_burst(posts: int, chats: int, seed: int) -> Burst:
    """`posts` forwarded posts spread over `chats` chats: in every ten, one 3-part series, one duplicate of an
    earlier post of the same chat (from the other channel) and six posts of their own."""
    rng = random.Random(seed)
    per_chat: dict[int, list[Arrival]] = {}
    next_post = [1000, 1000]
    arrivals: list[Arrival] = []
    made = 0
    n = 0
    while made < posts:
        chat_id = 880_001 + n % chats
        chat = per_chat.setdefault(chat_id, [])
        slot = n % 10
        n += 1
        channel = rng.randrange(2)
        next_post[channel] += 10  # posts of their own are never consecutive: no series by accident
        post_id = next_post[channel]
        singles = [a for a in chat if a.kind == "single"]
        if slot == 3 and posts - made >= 3:
            body = article(seed * 10_000 + n)
            lines = body.split("\n\n", 1)
            sentences = lines[1].split(". ")
            third = max(1, len(sentences) // 3)
            parts = (
                f"{lines[0]}\n\n{'. '.join(sentences[:third])}.",
                ". ".join(sentences[third : 2 * third]) + ".",
                ". ".join(sentences[2 * third :]),
            )
            next_post[channel] += 3
            arrival = Arrival(chat_id, "series", "\n\n".join(p.strip() for p in parts), parts, channel, post_id)
            made += 3
        elif slot == 7 and singles:
            original = rng.choice(singles)
            other = 1 - original.channel
            next_post[other] += 10
            arrival = Arrival(chat_id, "duplicate", original.text, original.parts, other, next_post[other])
            made += 1
        else:
            text = article(seed * 10_000 + n)
            arrival = Arrival(chat_id, "single", text, (text,), channel, post_id)
            made += 1
        chat.append(arrival)
        arrivals.append(arrival)
    # The chats' arrivals interleaved, each chat's in its own order; a series' parts one after the other, as
    # Telegram delivers the posts of one forward.
    queues = {chat_id: list(items) for chat_id, items in per_chat.items()}
    order: list[tuple[Arrival, int]] = []
    while any(queues.values()):
        for items in queues.values():
            if items:
                arrival = items.pop(0)
                order.extend((arrival, i) for i in range(len(arrival.parts)))
    return Burst(arrivals, order)


def free_ports(count: int) -> list[int]:
    sockets = []
    try:
        for _ in range(count):
            probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            probe.bind(("127.0.0.1", 0))
            sockets.append(probe)
        return [int(s.getsockname()[1]) for s in sockets]
    finally:
        for probe in sockets:
            probe.close()


def bot_env(db_url: str, port: int, extra: dict[str, str] | None = None) -> dict[str, str]:
    return {
        "PRECIS_DB": db_url,
        "PRECIS_WEBHOOK_URL": f"http://127.0.0.1:{port}/hook",
        "PRECIS_WEBHOOK_LISTEN": "127.0.0.1",
        "PRECIS_WEBHOOK_PORT": str(port),
        "PRECIS_WEBHOOK_SECRET": SECRET,
        "PRECIS_SERIES_WAIT": "2",
        **(extra or {}),
    }


def until(predicate: Callable[[], bool], what: str, timeout: float, process: BotProcess | None = None) -> None:
    """Wait for a condition the Bot API double cannot see (a log line, a row), looking again every 20 ms until
    it holds; fail after `timeout` seconds or at once if `process` ended. (Waits on what the double sees use
    `wait_for`, which wakes on each request instead.)"""
    deadline = time.monotonic() + timeout
    while not predicate():
        if process is not None and process.process.poll() is not None:
            raise AssertionError(f"the bot exited ({process.process.returncode}) before {what}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


def started(process: BotProcess, runs: int = 1) -> bool:
    return process.log_path.read_text(encoding="utf-8", errors="replace").count("Application started") >= runs


@dataclass
class SharedTrial:
    posts: int
    processes: int
    articles_expected: int
    articles_stored: int
    lost: int  # arrivals whose text no article holds
    stored_twice: int  # texts held by more than one article of a chat
    series_not_joined: int  # series whose parts are not one article
    duplicates_not_folded: int  # duplicates without the second channel among the article's sources
    answers_expected: int
    missing_answers: int
    repeated_answers: int
    unfinished_updates: int
    claims_left: int
    kill_at_answers: int
    answered_by: Counter[str] = field(default_factory=Counter)  # which process's port took the deliveries
    logs: str = ""

    @property
    def ok(self) -> bool:
        return not (
            self.lost
            or self.stored_twice
            or self.series_not_joined
            or self.duplicates_not_folded
            or self.missing_answers
            or self.unfinished_updates
            or self.claims_left
        )


def run_shared_trial(
    workdir: Path,
    db_url: str,
    *,
    posts: int,
    chats: int = 6,
    processes: int = 3,
    seed: int = 1,
    kill_fraction: float = 0.3,
    extra_env: dict[str, str] | None = None,
    timeout: float = 240.0,
) -> SharedTrial:
    burst = make_burst(posts, chats, seed)
    ports = free_ports(processes)
    answers_expected = len(burst.arrivals)
    kill_at = max(1, int(answers_expected * kill_fraction))
    workdir.mkdir(parents=True, exist_ok=True)
    with BotApiDouble() as api:
        bots = [
            BotProcess(api, Path(db_url), workdir / f"bot{i}.log", bot_env(db_url, port, extra_env))
            for i, port in enumerate(ports)
        ]
        try:
            for bot in bots:
                until(lambda bot=bot: started(bot), "the bot to start", timeout, bot)
            api.balance_webhook([f"http://127.0.0.1:{port}/hook" for port in ports])
            posted = int(time.time()) - 600
            first_message: dict[Arrival, int] = {}
            for arrival, part in burst.order:
                channel_id, title = CHANNELS[arrival.channel]
                pushed = api.push_message(
                    arrival.chat_id,
                    arrival.parts[part],
                    forward_origin=origin_channel(channel_id, title, message_id=arrival.post_id + part, date=posted),
                )
                if part == 0:
                    first_message[arrival] = pushed.message_id

            def answers() -> Counter[tuple[int, int]]:
                wanted = {(a.chat_id, m) for a, m in first_message.items()}
                counted: Counter[tuple[int, int]] = Counter()
                for chat_id in {a.chat_id for a in burst.arrivals}:
                    for message in api.bot_messages(chat_id):
                        key = (chat_id, message.reply_to_message_id or 0)
                        if key in wanted:
                            counted[key] += 1
                return counted

            def diagnosis() -> str:
                got = answers()
                missing = [a for a, m in first_message.items() if (a.chat_id, m) not in got]
                logs = "\n".join(
                    f"--- {p.name}\n{p.read_text(encoding='utf-8', errors='replace')[-4000:]}"
                    for p in sorted(workdir.glob("bot*.log"))
                )
                with psycopg.connect(db_url) as conn:
                    inbox = conn.execute(
                        "SELECT update_id, chat_id, attempts, done_at FROM inbox WHERE done_at IS NULL"
                    ).fetchall()
                    claims = conn.execute("SELECT * FROM chat_claims").fetchall()
                    parts = conn.execute("SELECT chat_id, group_key, message_id FROM pending_parts").fetchall()
                state = f"unfinished updates {inbox}; claims {claims}; pending parts {parts}"
                return f"{len(got)} of {answers_expected} answered; missing: {missing[:5]}\n{state}\n{logs}"

            victim = bots[1 % processes]
            wait_for(
                api, lambda: sum(answers().values()) >= kill_at, f"{kill_at} answers", timeout=timeout, process=victim
            )
            victim.kill()
            victim.close()
            restarted = BotProcess(api, Path(db_url), victim.log_path, bot_env(db_url, ports[1 % processes], extra_env))
            bots[1 % processes] = restarted
            try:
                wait_for(api, lambda: len(answers()) == answers_expected, "every arrival answered", timeout=timeout)
            except AssertionError as failure:
                raise AssertionError(f"{failure}\n{diagnosis()}") from None
            wait_for(api, lambda: not api.pending_updates(), "every update delivered", timeout=timeout)
            until(lambda: started(restarted, 2), "the killed bot to start again", timeout, restarted)
            until(lambda: _inbox_done(db_url), "every update processed", timeout)
            for bot in bots:
                assert bot.stop() == 0, f"a bot did not stop cleanly: {bot.log_path}"
            counted = answers()
            by_port = Counter(d.url for d in api.webhook_deliveries() if d.status == 200)
        finally:
            for bot in bots:
                bot.close()
    logs = "\n".join(
        f"--- {p.name}\n{p.read_text(encoding='utf-8', errors='replace')}" for p in workdir.glob("bot*.log")
    )
    return _judge(burst, db_url, counted, kill_at, by_port, logs, processes)


def _inbox_done(db_url: str) -> bool:
    with psycopg.connect(db_url) as conn:
        row = conn.execute("SELECT count(*) FROM inbox WHERE done_at IS NULL").fetchone()
        parts = conn.execute("SELECT count(*) FROM pending_parts").fetchone()
    return bool(row and row[0] == 0 and parts and parts[0] == 0)


def _judge(
    burst: Burst,
    db_url: str,
    counted: Counter[tuple[int, int]],
    kill_at: int,
    by_port: Counter[str],
    logs: str,
    processes: int,
) -> SharedTrial:
    with psycopg.connect(db_url) as conn:
        rows = conn.execute("SELECT id, chat_id, raw_text FROM articles").fetchall()
        sources = conn.execute("SELECT article_id, source_name FROM article_sources").fetchall()
        unfinished = conn.execute("SELECT count(*) FROM inbox WHERE done_at IS NULL").fetchone()
        claims = conn.execute("SELECT count(*) FROM chat_claims").fetchone()
    texts: dict[tuple[int, str], list[int]] = {}
    for article_id, chat_id, raw in rows:
        texts.setdefault((chat_id, raw.strip()), []).append(article_id)
    names: dict[int, set[str]] = {}
    for article_id, name in sources:
        names.setdefault(article_id, set()).add(name)
    expected = {(a.chat_id, a.text.strip()) for a in burst.arrivals}
    lost = sum(1 for key in expected if key not in texts)
    twice = sum(len(ids) - 1 for key, ids in texts.items() if key in expected and len(ids) > 1)
    series_bad = 0
    for a in (a for a in burst.arrivals if a.kind == "series"):
        part_alone = any((a.chat_id, p.strip()) in texts for p in a.parts)
        if (a.chat_id, a.text.strip()) not in texts or part_alone:
            series_bad += 1
    folded_bad = 0
    for a in (a for a in burst.arrivals if a.kind == "duplicate"):
        ids = texts.get((a.chat_id, a.text.strip()), [])
        if len(ids) != 1 or CHANNELS[a.channel][1] not in names.get(ids[0], set()):
            folded_bad += 1
    return SharedTrial(
        posts=burst.posts,
        processes=processes,
        articles_expected=len(expected),
        articles_stored=len(rows),
        lost=lost,
        stored_twice=twice,
        series_not_joined=series_bad,
        duplicates_not_folded=folded_bad,
        answers_expected=len(burst.arrivals),
        missing_answers=len(burst.arrivals) - len(counted),
        repeated_answers=sum(n - 1 for n in counted.values()),
        unfinished_updates=int(unfinished[0]) if unfinished else -1,
        claims_left=int(claims[0]) if claims else -1,
        kill_at_answers=kill_at,
        answered_by=by_port,
        logs=logs,
    )
