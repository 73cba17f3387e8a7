"""PostgreSQL with no global write lock: one chat's transactions take turns, other chats' run beside them, and
ingest from several connection pools and several processes at once, into one chat and into many, stores every
article once, folds every copy, loses no message and keeps the quote counters exact."""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import subprocess
import sys
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest

from storage.base import utcnow
from storage.db import Database
from storage.inbox import INBOX_CHANNEL, ClaimTerms, receive_in
from storage.postgres import Connection
from storage.repository import Repository, Source
from usecases.ingest import IncomingArticle, ingest
from usecases.services import Analyzer, Services

PEOPLE = ["Ada Lind", "Boris Kalm", "Carla Remy", "Dana Holt"]
TOWNS = ["Riga", "Tartu", "Vilnius", "Kaunas", "Narva"]
SOURCE = Source("channel", "Town news")
ONE_CHAT = 500
MANY_CHATS = range(600, 608)


def story(n: int) -> str:
    """A short news text with two speakers from a small cast (people rows and counters are shared) and a date."""
    a, b = PEOPLE[n % 4], PEOPLE[(n + 1) % 4]
    town = TOWNS[n % 5]
    return (
        f"Council of {town} approves bridge plan number {n}\n\n"
        f'"We will open bridge number {n} over the river before the winter," {a} said on Monday. '
        f"The council of {town} voted on 3 March 2024 to spend {n + 10} million euros on the work. "
        f"{b.split()[-1]} told reporters that the vote on plan {n} was close. "
        f'"The money for plan {n} is there, and so is the will," {b} said.'
    )


def reposted(text: str) -> str:
    """The same story re-posted with other quotation marks: another text, the same cleaned identity."""
    return text.replace('"', "«", 1).replace('"', "»", 1)


@dataclass(frozen=True)
class Submission:
    chat: int
    story: int
    text: str
    message_id: int


def submissions() -> list[Submission]:
    """One chat gets 8 stories, each three times (again as it was, and re-posted); 8 other chats get 16 stories
    between them, each twice. Shuffled: copies of one story arrive through different connections."""
    out: list[Submission] = []
    for n in range(8):
        text = story(n)
        out += [Submission(ONE_CHAT, n, t, 1000 + 3 * n + k) for k, t in enumerate((text, text, reposted(text)))]
    for n in range(100, 116):
        chat = MANY_CHATS[n % len(MANY_CHATS)]
        out += [Submission(chat, n, story(n), 2000 + 2 * n + k) for k in range(2)]
    random.Random(15).shuffle(out)
    return out


async def ingest_share(url: str, share: Sequence[Submission]) -> list[tuple[int, bool]]:
    """What one bot process does with its share of a burst: every post in flight at once, through the real
    ingest (store raw, analyse, fold a copy, store the analysis). Returns (story, created) per post."""
    db = await Database.open(url)
    try:
        with ThreadPoolExecutor(1) as pool:
            services = Services(Repository(db), Analyzer(pool))
            outcomes = await asyncio.gather(
                *(
                    ingest(
                        services,
                        s.chat,
                        IncomingArticle(s.text, Source("channel", "Town news"), message_id=s.message_id),
                    )
                    for s in share
                )
            )
    finally:
        await db.close()
    return [(s.story, outcome.created) for s, outcome in zip(share, outcomes, strict=True)]


def check_archive(url: str, sent: Sequence[Submission], created: Sequence[tuple[int, bool]]) -> None:
    stories_of: dict[int, set[int]] = defaultdict(set)
    for s in sent:
        stories_of[s.chat].add(s.story)
    # Each story created exactly once, whichever connection or process got which copy.
    firsts: dict[int, int] = defaultdict(int)
    for n, was_created in created:
        firsts[n] += was_created
    assert firsts == {n: 1 for n in {s.story for s in sent}}
    with psycopg.connect(url) as conn:
        for chat, stories in stories_of.items():
            rows = conn.execute(
                "SELECT number, status FROM articles WHERE chat_id = %s ORDER BY number", (chat,)
            ).fetchall()
            assert len(rows) == len(stories), f"chat {chat}: one article per story"
            assert {status for _, status in rows} == {"ready"}
            (next_number,) = conn.execute("SELECT next_number FROM chats WHERE id = %s", (chat,)).fetchone() or (0,)
            numbers = [number for number, _ in rows]
            if chat != ONE_CHAT:  # no copy folded after analysis: nothing gave a number back, so no gap
                assert numbers == list(range(1, len(stories) + 1))
            assert next_number > numbers[-1]
        # Every message stands for its story's one article: nothing lost, nothing stored twice.
        article_of: dict[tuple[int, int], set[int]] = defaultdict(set)
        for s in sent:
            ref = conn.execute(
                "SELECT article_id FROM message_refs WHERE chat_id = %s AND message_id = %s", (s.chat, s.message_id)
            ).fetchone()
            assert ref is not None, f"message {s.message_id} of story {s.story} was lost"
            article_of[(s.chat, s.story)].add(ref[0])
        assert all(len(ids) == 1 for ids in article_of.values())
        assert len({next(iter(ids)) for ids in article_of.values()}) == len(article_of)
        # One analysis stored per article, every article in both search indexes.
        assert (
            conn.execute(
                "SELECT article_id, start FROM quotes GROUP BY article_id, start HAVING count(*) > 1"
            ).fetchall()
            == []
        )
        (articles,) = conn.execute("SELECT count(*) FROM articles").fetchone() or (0,)
        for index in ("articles_fts", "articles_stems"):
            assert conn.execute(f"SELECT count(*) FROM {index}").fetchone() == (articles,)
        # The counters kept by the triggers equal the rows, for every person.
        counted = conn.execute(
            "SELECT p.chat_id, p.name, p.quote_count, (SELECT count(*) FROM quotes q WHERE q.person_id = p.id) "
            "FROM people p"
        ).fetchall()
        assert counted and all(kept == actual for _, _, kept, actual in counted), counted
        assert sum(kept for _, _, kept, _ in counted) > len(stories_of[ONE_CHAT])  # the cast really is shared


async def test_ingest_from_four_connection_pools_into_one_chat_and_many(postgres_url: str) -> None:
    sent = submissions()
    shares = [sent[k::4] for k in range(4)]
    results = await asyncio.gather(*(ingest_share(postgres_url, share) for share in shares))
    check_archive(postgres_url, sent, [r for result in results for r in result])


CHILD = """
import asyncio, json, os, sys, time
from tests.storage.test_pg_concurrency import Submission, ingest_share

url, barrier, share_file = sys.argv[1:4]
with open(share_file, encoding="utf-8") as f:
    share = [Submission(**s) for s in json.load(f)]
from storage.db import Database

async def migrated():
    await (await Database.open(url)).close()

asyncio.run(migrated())  # every process finds the schema in place when they start together
print("ready", flush=True)
while not os.path.exists(barrier):  # every process starts at the same moment
    time.sleep(0.001)
print(json.dumps(asyncio.run(ingest_share(url, share))), flush=True)
"""


@pytest.mark.slow
def test_ingest_from_three_processes_into_one_chat_and_many(postgres_url: str, tmp_path: Path) -> None:
    sent = submissions()
    root = Path(__file__).resolve().parents[2]
    barrier = tmp_path / "go"
    for k in range(3):
        (tmp_path / f"share{k}.json").write_text(json.dumps([s.__dict__ for s in sent[k::3]]), encoding="utf-8")
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, postgres_url, str(barrier), str(tmp_path / f"share{k}.json")],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for k in range(3)
    ]
    try:
        for child in children:
            assert child.stdout is not None
            line = child.stdout.readline().strip()
            assert line == "ready", (line, child.stderr.read() if child.stderr else "")
        barrier.touch()
        created: list[tuple[int, bool]] = []
        for child in children:
            out, err = child.communicate(timeout=600)
            assert child.returncode == 0, err
            created += [(int(n), bool(c)) for n, c in json.loads(out.strip().splitlines()[-1])]
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
    check_archive(postgres_url, sent, created)


# -- the locks themselves ------------------------------------------------------------------------------------


def waiting_url(url: str) -> str:
    """The URL with a lock timeout: a transaction that waits for a lock it should not fails, and does not hang."""
    return f"{url}{'&' if '?' in url else '?'}options=-c%20lock_timeout%3D20000"


async def lock_waiters(db: Database) -> int:
    rows = await db.conn.execute_fetchall(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
        "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    )
    return int(rows[0][0])


async def until_a_transaction_waits(db: Database) -> None:
    """Until another connection waits for a chat's lock (nothing to be notified by: pg_locks is looked at)."""
    for _ in range(2000):
        if await lock_waiters(db) > 0:
            return
        await asyncio.sleep(0.005)
    raise AssertionError("no transaction came to wait for the chat")


async def test_one_chat_takes_turns_across_processes_and_other_chats_do_not_wait(postgres_url: str) -> None:
    first, second = await Database.open(waiting_url(postgres_url)), await Database.open(waiting_url(postgres_url))
    repo = Repository(first)
    await repo.ensure_chat(1)
    await repo.ensure_chat(2)
    seen: list[int] = []

    async def same_chat() -> None:
        async with second.transaction(chats=[1]) as conn:
            async with conn.execute("SELECT next_number FROM chats WHERE id = 1") as cur:
                row = await cur.fetchone()
            seen.append(int(row[0]))
            await conn.execute("UPDATE chats SET next_number = next_number + 1 WHERE id = 1")

    try:
        async with first.transaction(chats=[1]) as conn:
            await conn.execute("UPDATE chats SET next_number = 41 WHERE id = 1")
            # Another chat's transaction, from another process's connections, commits while chat 1 is held.
            async with second.transaction(chats=[2]) as other:
                await other.execute("UPDATE chats SET next_number = 7 WHERE id = 2")
            waiting = asyncio.create_task(same_chat())
            await until_a_transaction_waits(first)
            assert not waiting.done() and seen == []
        await waiting
        assert seen == [41]  # it read what the chat's previous transaction committed
        rows = await first.conn.execute_fetchall("SELECT id, next_number FROM chats ORDER BY id")
        assert [tuple(r) for r in rows] == [(1, 42), (2, 7)]
    finally:
        await first.close()
        await second.close()


async def test_in_one_process_a_chats_transactions_keep_their_order_and_hold_no_connection_waiting(
    postgres_url: str,
) -> None:
    db = await Database.open(postgres_url, migrate=True)
    order: list[str] = []
    entered, release = asyncio.Event(), asyncio.Event()

    async def write(name: str, chat: int, hold: bool = False) -> None:
        async with db.transaction(chats=[chat]) as conn:
            await conn.execute("SELECT 1")
            order.append(name)
            if hold:
                entered.set()
                await release.wait()

    try:
        holder = asyncio.create_task(write("holder", 1, hold=True))
        await entered.wait()
        queued = [asyncio.create_task(write(f"chat 1 #{i}", 1)) for i in range(3)]
        await write("chat 2", 2)  # another chat goes past the queue
        assert order == ["holder", "chat 2"]
        stats = db.pool.get_stats()  # type: ignore[attr-defined]
        assert stats.get("requests_waiting", 0) == 0 and stats["pool_size"] - stats["pool_available"] <= 1
        release.set()
        await asyncio.gather(holder, *queued)
        assert order == ["holder", "chat 2", "chat 1 #0", "chat 1 #1", "chat 1 #2"]
    finally:
        await db.close()


async def test_a_chat_given_up_while_another_process_commits_an_update_of_it_stays_held(postgres_url: str) -> None:
    """Process A gives a chat up while process B commits an update of that chat: B found A holding the chat (so
    B leaves the update to A), and A's release waits for B's commit. A must then keep the chat, or the update
    would wait in the inbox with nobody holding its chat and nobody told to look."""
    now = utcnow()
    a = ClaimTerms("host:1:a", now, now + timedelta(seconds=30))
    b = ClaimTerms("host:2:b", now, now + timedelta(seconds=30))
    db = await Database.open(postgres_url)
    repo = Repository(db)
    try:
        (first,) = await repo.receive_updates([(1, 90, "{}")], a)
        assert first.mine
        await repo.finish_update(1)  # A has nothing left in the chat: it is about to give it up
        async with await psycopg.AsyncConnection.connect(postgres_url, autocommit=True) as raw:
            await raw.execute("BEGIN")
            (received,) = await receive_in(Connection(raw), [(2, 90, "{}")], b)  # B: committed next, A's to process
            assert received.fresh and not received.mine
            release = asyncio.create_task(repo.release_chat(90, "host:1:a"))
            await _until_blocked_by(postgres_url, raw.info.backend_pid)
            await raw.execute("COMMIT")
        released = await release
        holders = {w.update_id: w.claimed_by for w in await repo.waiting_updates()}
        assert holders == {2: "host:1:a"} and not released
    finally:
        await db.close()


async def _until_blocked_by(url: str, pid: int) -> None:
    """Return once some session waits for a lock that the backend `pid` holds."""
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as watcher:
        for _ in range(3000):
            cur = await watcher.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))", (pid,)
            )
            row = await cur.fetchone()
            if row and row[0]:
                return
            await asyncio.sleep(0.01)  # a poll of the server's own state, bounded: no timing is asserted
    raise AssertionError("the release never waited for the other process's transaction")


async def test_an_update_left_to_the_chats_holder_wakes_the_processes_listening(postgres_url: str) -> None:
    """Process B commits an update of a chat process A holds: A, listening, hears of it at once (it does not
    wait for its next look at the inbox)."""
    now = utcnow()
    a = ClaimTerms("host:1:a", now, now + timedelta(seconds=30))
    b = ClaimTerms("host:2:b", now, now + timedelta(seconds=30))
    db_a, db_b = await Database.open(postgres_url), await Database.open(postgres_url)
    heard: asyncio.Queue[str] = asyncio.Queue()
    listener = asyncio.create_task(db_a.listen(INBOX_CHANNEL, heard.put_nowait))
    try:
        assert await asyncio.wait_for(heard.get(), 60) == ""  # listening (a call for whatever came before)
        repo_a, repo_b = Repository(db_a), Repository(db_b)
        assert (await repo_a.receive_updates([(1, 91, "{}")], a))[0].mine
        (own,) = await repo_b.receive_updates([(2, 92, "{}")], b)  # B's own chat
        (left,) = await repo_b.receive_updates([(3, 91, "{}")], b)  # A's chat: A must hear of it
        assert own.mine and left.fresh and not left.mine
        assert await asyncio.wait_for(heard.get(), 60) == "91"  # the chat whose holder is to look
    finally:
        listener.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await listener
        await db_a.close()
        await db_b.close()
