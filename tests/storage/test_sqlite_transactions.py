"""SQLite write transactions: a short one runs its statements on the event loop's thread (a call to the
connection's thread is a wake-up of the loop, and waited 2–20 ms for the GIL and the loop once the loop was busy,
with the write lock held all along); a bulk one makes one call to the connection's thread per statement, so the
loop never stalls on it; another process's write is waited for off the loop; checkpoints run on a thread of their
own; and a transaction still commits, rolls back and ends as one."""

from __future__ import annotations

import asyncio
import itertools
import sqlite3
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiosqlite
import pytest

from analysis.search import stemmed_text
from analysis.types import Analysis, Sentence
from storage.db import Database, SqliteDatabase
from storage.inbox import KEY_READ_MOST
from storage.repository import BULK_TEXT_CHARS, Repository, Source


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    opened = await Database.open(tmp_path / "precis.db")
    assert isinstance(opened, SqliteDatabase)
    yield opened
    await opened.close()


def count_thread_calls(monkeypatch: pytest.MonkeyPatch, conn: aiosqlite.Connection | None = None) -> list[int]:
    """How many calls `conn`'s thread was given (every connection's, without one)."""
    calls = [0]
    real = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        if conn is None or self is conn:
            calls[0] += 1
        return await real(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    return calls


async def chat_ids(db: Database) -> list[int]:
    return [int(row[0]) for row in await db.reader.execute_fetchall("SELECT id FROM chats ORDER BY id")]


async def write_three_chats(db: Database, *, bulk: bool) -> tuple[Any, Any]:
    async with db.transaction(bulk=bulk) as conn:
        async with conn.execute(
            "INSERT INTO chats (id, created_at) VALUES (?, ?) RETURNING id", (5, "2026-01-01T00:00:00+00:00")
        ) as cur:
            inserted = await cur.fetchone()
        updated = await conn.execute("UPDATE chats SET title = ? WHERE id = ?", ("Five", 5))
        await conn.executemany(
            "INSERT INTO chats (id, created_at) VALUES (?, ?)", [(6, "2026-01-01"), (7, "2026-01-01")]
        )
    return inserted, updated


# A short transaction makes no call to the connection's thread; a bulk one, one per statement (BEGIN IMMEDIATE
# goes with the first) and the COMMIT: four, where aiosqlite's cursors took seven.
@pytest.mark.parametrize(("bulk", "thread_calls"), [(False, 0), (True, 4)])
async def test_where_a_transactions_statements_run(
    db: Database, monkeypatch: pytest.MonkeyPatch, bulk: bool, thread_calls: int
) -> None:
    calls = count_thread_calls(monkeypatch, db.conn)
    inserted, updated = await write_three_chats(db, bulk=bulk)
    assert calls[0] == thread_calls
    assert inserted is not None and inserted[0] == 5
    assert updated.rowcount == 1
    assert await chat_ids(db) == [5, 6, 7]


@pytest.mark.parametrize("bulk", [False, True])
async def test_a_failing_statement_rolls_the_transaction_back(db: Database, bulk: bool) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        async with db.transaction(bulk=bulk) as conn:
            await conn.execute("INSERT INTO chats (id, created_at) VALUES (?, ?)", (3, "2026-01-01"))
            await conn.execute("INSERT INTO chats (id, created_at) VALUES (?, ?)", (3, "2026-01-01"))
    async with db.transaction(bulk=bulk) as conn:
        await conn.execute("INSERT INTO chats (id, created_at) VALUES (?, ?)", (4, "2026-01-01"))
    assert await chat_ids(db) == [4]


async def test_another_process_writing_is_waited_for_off_the_event_loop(db: Database, tmp_path: Path) -> None:
    # Another process's write transaction, open on the file: the short transaction's BEGIN cannot wait for it on
    # the loop's thread (up to five seconds of SQLite's busy wait there would stall every chat).
    other = sqlite3.connect(tmp_path / "precis.db", isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO chats (id, created_at) VALUES (1, '2026-01-01')")
    began = asyncio.Event()

    async def write() -> None:
        async with db.transaction() as conn:
            began.set()
            await conn.execute("INSERT INTO chats (id, created_at) VALUES (?, ?)", (2, "2026-01-01"))

    writing = asyncio.create_task(write())
    await began.wait()
    ticks = 0
    for _ in range(20):  # the loop goes on turning while the write waits for the other process
        await asyncio.sleep(0)
        ticks += 1
    assert not writing.done() and ticks == 20
    await asyncio.to_thread(other.execute, "COMMIT")
    other.close()
    await writing
    assert await chat_ids(db) == [1, 2]


async def test_checkpoints_run_on_their_own_thread_and_keep_the_log_small(db: Database, tmp_path: Path) -> None:
    assert isinstance(db, SqliteDatabase)
    rows = await db.conn.execute_fetchall("PRAGMA wal_autocheckpoint")
    assert int(next(iter(rows))[0]) == 0  # never in a commit on the loop's thread
    # SQLite's own threshold and four times it as the limit: the mechanism at a scale a test writes quickly.
    db._checkpoints.WAL_CHECKPOINT_BYTES, db._checkpoints.WAL_LIMIT_BYTES = 4 * 1024 * 1024, 16 * 1024 * 1024
    wal = tmp_path / "precis.db-wal"
    sizes = []
    for chat in range(1, 601):  # about 36 MB through the log
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO chats (id, created_at, title) VALUES (?, ?, ?)", (chat, "x", "y" * 60_000))
        sizes.append(wal.stat().st_size)
        await db._checkpoints.close()  # the loop lets a checkpoint that was started finish (a thread's speed varies)
    assert db._checkpoints.done >= 4
    starts_over = sum(1 for before, after in itertools.pairwise(sizes) if after < before)
    assert starts_over >= 4  # the log's file was cut back each time the log started over
    assert max(sizes) < 8 * 1024 * 1024  # the threshold and the writes of one interval between two looks
    assert len(await chat_ids(db)) == 600


async def test_a_log_past_its_limit_is_checkpointed_with_the_writes_held(db: Database, tmp_path: Path) -> None:
    # Writes that keep a checkpoint beside them from catching up take the log past its limit: the next
    # checkpoint holds them back, and the log starts over.
    assert isinstance(db, SqliteDatabase)
    db._checkpoints.WAL_CHECKPOINT_BYTES, db._checkpoints.WAL_LIMIT_BYTES = 512 * 1024, 1024 * 1024
    wal = tmp_path / "precis.db-wal"
    for chat in range(1, 33):  # about 1.9 MB, no turn of the loop in between: the look at the 32nd finds it over
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO chats (id, created_at, title) VALUES (?, ?, ?)", (chat, "x", "y" * 60_000))
    await db._checkpoints.close()
    assert (db._checkpoints.done, db._checkpoints.held) == (1, 1)
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO chats (id, created_at) VALUES (?, ?)", (1000, "x"))
    assert wal.stat().st_size < 256 * 1024


async def test_a_checkpoint_beside_the_writes_lets_the_log_start_over_once_they_pause(
    db: Database, tmp_path: Path
) -> None:
    assert isinstance(db, SqliteDatabase)
    wal = tmp_path / "precis.db-wal"
    for chat in range(1, 97):  # about 5.8 MB: past the checkpoint's threshold, under the limit
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO chats (id, created_at, title) VALUES (?, ?, ?)", (chat, "x", "y" * 60_000))
    await db._checkpoints.close()
    assert (db._checkpoints.done, db._checkpoints.held) == (1, 0)  # no write waited for it
    async with db.transaction() as conn:  # the first write after it starts the log over
        await conn.execute("INSERT INTO chats (id, created_at) VALUES (?, ?)", (1000, "x"))
    assert wal.stat().st_size < 1024 * 1024


async def test_a_log_that_reads_keep_from_starting_over_is_checkpointed_once_per_threshold_written(
    db: Database, tmp_path: Path
) -> None:
    # A read in progress keeps the log from starting over (and its file from being cut back): the checkpoints
    # come once per threshold of new writes, not at every look because the file is still past the threshold.
    # (Before, a burst's steady reads made one every 32 commits, 40 ms apart, each syncing the file.)
    assert isinstance(db, SqliteDatabase)
    threshold = 2 * 1024 * 1024
    db._checkpoints.WAL_CHECKPOINT_BYTES, db._checkpoints.WAL_LIMIT_BYTES = threshold, 1 << 40
    reading = sqlite3.connect(tmp_path / "precis.db", isolation_level=None)
    wal = tmp_path / "precis.db-wal"
    try:
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO chats (id, created_at) VALUES (?, ?)", (1, "x"))
        reading.execute("BEGIN")
        reading.execute("SELECT count(*) FROM chats").fetchone()  # a read of the log as it is now, kept open
        for chat in range(2, 1026):
            async with db.transaction() as conn:
                await conn.execute(
                    "INSERT INTO chats (id, created_at, title) VALUES (?, ?, ?)", (chat, "x", "y" * 20_000)
                )
            await db._checkpoints.close()  # a checkpoint that was started finishes (a thread's speed varies)
        written = wal.stat().st_size
    finally:
        reading.close()
    assert written > 10 * threshold  # the log never started over
    assert 5 <= db._checkpoints.done <= written // threshold + 1  # not one at each of the 32 looks
    assert len(await chat_ids(db)) == 1025


async def test_a_transaction_whose_body_fails_is_rolled_back(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO chats (id, created_at) VALUES (?, ?)", (8, "2026-01-01"))
            raise RuntimeError("the use case changed its mind")
    async with db.transaction() as conn:  # no transaction was left open on the connection
        await conn.execute("INSERT INTO chats (id, created_at) VALUES (?, ?)", (9, "2026-01-01"))
    assert await chat_ids(db) == [9]


async def test_a_bulk_transaction_cancelled_while_its_first_statement_is_on_its_way_is_rolled_back(
    db: Database,
) -> None:
    # Cancelled, the statement (and the BEGIN that goes with it) still runs on the connection's thread: the
    # ROLLBACK must follow it there, or the next transaction would find one open.
    busy, free = threading.Event(), threading.Event()

    def hold_the_thread() -> None:
        busy.set()
        free.wait(60)  # a bound for a failure only: the test frees it below

    assert isinstance(db.conn, aiosqlite.Connection)
    holding = asyncio.ensure_future(db.conn._execute(hold_the_thread))
    await asyncio.to_thread(busy.wait, 60)
    entered = asyncio.Event()

    async def insert() -> None:
        async with db.transaction(bulk=True) as conn:
            entered.set()  # what follows runs in the same step, up to waiting for the thread
            await conn.execute("INSERT INTO chats (id, created_at) VALUES (?, ?)", (10, "2026-01-01"))

    task = asyncio.create_task(insert())
    await entered.wait()  # the INSERT is queued behind the held thread
    task.cancel()
    free.set()
    with pytest.raises(asyncio.CancelledError):
        await task
    await holding
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO chats (id, created_at) VALUES (?, ?)", (11, "2026-01-01"))
    assert await chat_ids(db) == [11]


@pytest.mark.parametrize(("sentences", "off_the_loop"), [(3, False), (BULK_TEXT_CHARS // 40, True)])
async def test_a_long_texts_analysis_is_stored_off_the_loop(
    db: Database, monkeypatch: pytest.MonkeyPatch, sentences: int, off_the_loop: bool
) -> None:
    # Indexing a text near the size limit took 90 ms on the loop's thread, while every chat waited.
    repo = Repository(db)
    lines = [f"Sentence number {n} of the council's long report." for n in range(sentences)]
    text = " ".join(lines)
    article, _ = await repo.add_article(5, text, Source("pasted"))
    parts, start = [], 0
    for n, line in enumerate(lines):
        parts.append(Sentence(n, start, start + len(line), line, 0))
        start += len(line) + 1
    analysis = Analysis(lang="en", title="Report", text=text, sentences=tuple(parts), stems=stemmed_text(text))
    calls = count_thread_calls(monkeypatch, db.conn)
    await repo.save_analysis(article.id, analysis, [])
    assert (calls[0] > 0) is off_the_loop
    assert await repo.sentence_count(5, article.id) == sentences


async def test_a_commands_settings_are_read_on_the_loop_and_see_the_last_commit(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every command reads its chat's settings: on a reader's thread that was a round trip waiting for the GIL
    # and the loop (milliseconds under a burst); by key on the loop's thread it is tens of microseconds.
    repo = Repository(db)
    await repo.ensure_chat(5, "private")
    await repo.update_chat_settings(5, lang="ru")
    calls = count_thread_calls(monkeypatch)
    assert (await repo.chat_settings(5)).lang == "ru"
    assert (await repo.chat_settings(6)).lang is None  # a chat never seen
    assert calls[0] == 0
    await repo.update_chat_settings(5, lang="en")
    assert (await repo.chat_settings(5)).lang == "en"  # no snapshot of the earlier read kept


async def test_the_reads_every_update_makes_run_on_the_loop_and_see_the_last_commit(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every update taken in looks for older unfinished updates of its chat, and for digests paused because the
    # chat could not be reached; every card and every command about an article looks the article up. Through a
    # reader's thread each look cost a command 1-2 ms (up to 11-14) while a burst ran.
    repo = Repository(db)
    await repo.receive_updates([(1, 5, "{}"), (2, 6, "{}"), (3, 5, "{}")])
    article, _ = await repo.add_article(5, "Stored for the look-ups.", Source("pasted"), message_id=40)
    await repo.link_message(5, 41, article.id)
    calls = count_thread_calls(monkeypatch)
    assert await repo.unfinished_update_ids(5) == [1, 3]
    assert not await repo.has_paused_subscriptions(5)
    found = [
        await repo.article_by_id(5, article.id),
        await repo.article_by_number(5, article.number),
        await repo.last_article(5),
        await repo.article_by_message(5, 41),
    ]
    assert [a.id if a else None for a in found] == [article.id] * 4
    assert await repo.analysis_status(article.id) == "pending"
    arrival = await repo.first_arrival(article.id)
    assert arrival is not None and arrival.message_id == 40
    assert calls[0] == 0
    await repo.finish_update(1)
    assert await repo.unfinished_update_ids(5) == [3]  # the last commit seen


async def test_a_chats_backlog_of_updates_is_read_whole_and_off_the_loop(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # After an outage a chat may have thousands of unfinished updates: read on the loop's thread, every update
    # taken in would stall every chat for as long as the read.
    repo = Repository(db)
    backlog = KEY_READ_MOST + 100
    await repo.receive_updates([(n, 5, "{}") for n in range(1, backlog + 1)])
    calls = count_thread_calls(monkeypatch)
    assert await repo.unfinished_update_ids(5) == list(range(1, backlog + 1))
    assert calls[0] == 1


async def test_a_key_read_that_sqlite_would_make_wait_is_read_on_a_thread(db: Database) -> None:
    class Busy:
        def execute(self, *args: Any) -> Any:
            raise sqlite3.OperationalError("database is locked")

    repo = Repository(db)
    await repo.update_chat_settings(7, lang="de")
    assert isinstance(db, SqliteDatabase) and db.key_reader is not None
    direct, db.key_reader = db.key_reader, Busy()  # type: ignore[assignment]
    try:
        assert (await repo.chat_settings(7)).lang == "de"
    finally:
        db.key_reader = direct
