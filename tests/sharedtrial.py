"""Several bot processes on one PostgreSQL database, sharing the work: webhook mode behind a load balancer (the
Bot API double delivers the updates to the processes in turn), one process killed with SIGKILL in the middle
of a burst and started again. Shared by the test suite (a smaller burst) and `bench/bench_shared.py`.

The burst is forwarded posts from two channels into several chats: posts of their own, articles cut over three
consecutive posts of a channel (a series: one article), and the same text forwarded again from the other
channel (a duplicate: folded into the article the chat has). Beside the burst, other chats have a digest due:
their articles and daily subscriptions are written into the database before the processes start, each due
an hour ago, so every process finds all of them overdue at its start and they race for them. Every wait is on
something the double recorded or the database holds, with a deadline; nothing waits on a clock.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg

from analysis.types import Analysis, Sentence
from storage.db import Database
from storage.repository import Repository, Source
from tests.botapi import BotApiDouble, Fault, origin_channel
from tests.crashtrial import BotProcess, article, wait_for
from tests.ports import listen_ports
from usecases.ingest import store_analysis

CHANNELS = ((-1005001, "North News"), (-1005002, "South Wire"))
DIGEST_CHATS_FROM = 770_001  # the chats with a digest due: apart from the burst's
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
    # A killed process's port is taken again by its restart, seconds later: outside the ephemeral range, no
    # outgoing connection can take it in between.
    return listen_ports(count)


def bot_env(db_url: str, port: int, extra: dict[str, str] | None = None) -> dict[str, str]:
    return {
        "PRECIS_DB": db_url,
        "PRECIS_WEBHOOK_URL": f"http://127.0.0.1:{port}/hook",
        "PRECIS_WEBHOOK_LISTEN": "127.0.0.1",
        "PRECIS_WEBHOOK_PORT": str(port),
        "PRECIS_WEBHOOK_SECRET": SECRET,
        "PRECIS_SERIES_WAIT": "2",
        "PRECIS_SEND_TIMEOUT": "300",  # a held digest part waits for the kill, not for a timeout
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


def _digest_article(chat_id: int, n: int) -> tuple[str, Analysis]:
    title = f"Harbour council {chat_id} approves plan {n}"
    text = f"{title} on Monday. Officials explained the reasons to the residents."
    first = text.index("Officials")
    sentences = (
        Sentence(0, 0, first - 1, text[: first - 1], 0, rank=0),
        Sentence(1, first, len(text), text[first:], 0, rank=1),
    )
    return text, Analysis(lang="en", title=title, text=text, sentences=sentences)


def seed_due_digests(db_url: str, chats: int, articles_per_chat: int = 2) -> list[int]:
    """`chats` chats, each with analysed articles and a daily digest that fell due an hour ago (the database
    brought to the current schema first). Returns the chats."""

    async def seed() -> list[int]:
        db = await Database.open(db_url)
        repo = Repository(db)
        now = datetime.now(UTC)
        ids = [DIGEST_CHATS_FROM + i for i in range(chats)]
        try:
            for chat_id in ids:
                for n in range(articles_per_chat):
                    text, analysis = _digest_article(chat_id, n)
                    article, _ = await repo.add_article(chat_id, text, Source("pasted"))
                    await store_analysis(repo, article.id, analysis)
                await repo.upsert_subscription(
                    chat_id,
                    kind="daily",
                    at_minute=(now - timedelta(hours=1)).hour * 60,
                    weekday=None,
                    every_hours=None,
                    next_due=now - timedelta(hours=1),
                    now=now - timedelta(days=1),
                    timezone=None,
                    start_watermark=0,
                )
        finally:
            await db.close()
        return ids

    return asyncio.run(seed())


@dataclass
class DigestCount:
    """What the digest chats received, against the digests the database says were sent."""

    chats: int
    parts_expected: int  # the parts of every digest marked sent
    parts_received: int  # messages the chats received
    missing_parts: int  # parts of a sent digest the chat did not receive
    repeated_parts: int  # parts received more than once
    unsent: int  # digests not marked sent when the processes stopped
    senders: Counter[int] = field(default_factory=Counter)  # which pid recorded each digest as sent


def count_digests(api: BotApiDouble, db_url: str, chats: list[int]) -> DigestCount:
    with psycopg.connect(db_url) as conn:
        rows = conn.execute(
            "SELECT chat_id, status, parts, claimed_by FROM digests WHERE chat_id = ANY(%s) ORDER BY id", (chats,)
        ).fetchall()
    sent: dict[int, list[tuple[list[str], str]]] = {}
    for chat_id, status, parts, by in rows:
        if status == "sent":
            sent.setdefault(chat_id, []).append((json.loads(parts), by))
    unsent = sum(1 for _, status, _, _ in rows if status == "claimed") + sum(1 for c in chats if c not in sent)
    expected = missing = received = repeated = 0
    senders: Counter[int] = Counter()
    for chat_id in chats:
        got = Counter(m.html for m in api.bot_messages(chat_id) if m.reply_to_message_id is None)
        parts = [part for digest, _ in sent.get(chat_id, []) for part in digest]
        for _, by in sent.get(chat_id, []):
            senders[int(by.split(":")[1])] += 1
        expected += len(parts)
        missing += sum(1 for part in parts if part not in got)
        received += sum(got.values())
        repeated += sum(got.values()) - len(got)
    return DigestCount(len(chats), expected, received, missing, repeated, unsent, senders)


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
    digests: DigestCount | None = None
    victim_pid: int = 0
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
            or (self.digests is not None and (self.digests.missing_parts or self.digests.unsent))
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
    digest_chats: int = 0,
    extra_env: dict[str, str] | None = None,
    timeout: float = 240.0,
) -> SharedTrial:
    burst = make_burst(posts, chats, seed)
    ports = free_ports(processes)
    answers_expected = len(burst.arrivals)
    kill_at = max(1, int(answers_expected * kill_fraction))
    workdir.mkdir(parents=True, exist_ok=True)
    due_chats = seed_due_digests(db_url, digest_chats) if digest_chats else []
    with BotApiDouble() as api:
        for chat_id in due_chats:
            api.add_chat(chat_id, first_name=f"Reader {chat_id}")
        if due_chats:
            # The first message any process sends is a digest part (nothing else is sent before the burst): it
            # is held on its way, unaccepted, until the end; its sender is the process the trial kills.
            api.inject("sendMessage", Fault.delay(3600))
        bots = [
            BotProcess(api, Path(db_url), workdir / f"bot{i}.log", bot_env(db_url, port, extra_env))
            for i, port in enumerate(ports)
        ]
        try:
            for bot in bots:
                until(lambda bot=bot: started(bot), "the bot to start", timeout, bot)
            victim_index = 1 % processes
            if due_chats:
                until(lambda: _held_digest(db_url, due_chats) is not None, "every other digest sent", timeout)
                holder = _held_digest(db_url, due_chats) or ""
                victim_index = next(i for i, bot in enumerate(bots) if f":{bot.pid}:" in holder)
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

            victim = bots[victim_index]
            victim_pid = victim.pid
            wait_for(
                api, lambda: sum(answers().values()) >= kill_at, f"{kill_at} answers", timeout=timeout, process=victim
            )
            victim.kill()
            victim.close()
            restarted = BotProcess(api, Path(db_url), victim.log_path, bot_env(db_url, ports[victim_index], extra_env))
            bots[victim_index] = restarted
            try:
                wait_for(api, lambda: len(answers()) == answers_expected, "every arrival answered", timeout=timeout)
            except AssertionError as failure:
                raise AssertionError(f"{failure}\n{diagnosis()}") from None
            wait_for(api, lambda: not api.pending_updates(), "every update delivered", timeout=timeout)
            until(lambda: started(restarted, 2), "the killed bot to start again", timeout, restarted)
            until(lambda: _inbox_done(db_url), "every update processed", timeout)
            until(lambda: _digests_done(db_url, due_chats), "every due digest sent", timeout)
            for bot in bots:
                assert bot.stop() == 0, f"a bot did not stop cleanly: {bot.log_path}"
            counted = answers()
            by_port = Counter(d.url for d in api.webhook_deliveries() if d.status == 200)
            digests = count_digests(api, db_url, due_chats) if due_chats else None
        finally:
            for bot in bots:
                bot.close()
    logs = "\n".join(
        f"--- {p.name}\n{p.read_text(encoding='utf-8', errors='replace')}" for p in workdir.glob("bot*.log")
    )
    trial = _judge(burst, db_url, counted, kill_at, by_port, logs, processes)
    trial.digests = digests
    trial.victim_pid = victim_pid
    return trial


def _held_digest(db_url: str, chats: list[int]) -> str | None:
    """Who holds the one digest still in flight once every other chat's was sent (None until then)."""
    with psycopg.connect(db_url) as conn:
        sent = conn.execute(
            "SELECT count(DISTINCT chat_id) FROM digests WHERE status = 'sent' AND chat_id = ANY(%s)", (chats,)
        ).fetchone()
        held = conn.execute(
            "SELECT claimed_by FROM digests WHERE status = 'claimed' AND chat_id = ANY(%s)", (chats,)
        ).fetchall()
    if sent and sent[0] == len(chats) - 1 and len(held) == 1:
        return str(held[0][0])
    return None


def _digests_done(db_url: str, chats: list[int]) -> bool:
    if not chats:
        return True
    with psycopg.connect(db_url) as conn:
        row = conn.execute(
            "SELECT count(DISTINCT chat_id) FROM digests WHERE status = 'sent' AND chat_id = ANY(%s)", (chats,)
        ).fetchone()
        left = conn.execute("SELECT count(*) FROM digests WHERE status = 'claimed'").fetchone()
    return bool(row and row[0] == len(chats) and left and left[0] == 0)


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
        burst_chats = sorted({a.chat_id for a in burst.arrivals})
        rows = conn.execute(
            "SELECT id, chat_id, raw_text FROM articles WHERE chat_id = ANY(%s)", (burst_chats,)
        ).fetchall()
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
