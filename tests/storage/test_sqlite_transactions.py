"""SQLite write transactions: each statement is one call to the connection's thread (every call is also a wake-up
of the event loop that replies to people wait behind), and a transaction still commits, rolls back and ends as
one."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiosqlite
import pytest

from storage.db import Database, SqliteDatabase


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    opened = await Database.open(tmp_path / "precis.db")
    assert isinstance(opened, SqliteDatabase)
    yield opened
    await opened.close()


def count_thread_calls(monkeypatch: pytest.MonkeyPatch, conn: aiosqlite.Connection) -> list[int]:
    """How many calls the writer connection's thread was given (the readers' are not counted)."""
    calls = [0]
    real = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        if self is conn:
            calls[0] += 1
        return await real(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    return calls


async def chat_ids(db: Database) -> list[int]:
    return [int(row[0]) for row in await db.reader.execute_fetchall("SELECT id FROM chats ORDER BY id")]


async def test_a_statement_and_its_rows_are_one_call_to_the_connection_thread(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = count_thread_calls(monkeypatch, db.conn)
    async with db.transaction() as conn:
        async with conn.execute(
            "INSERT INTO chats (id, created_at) VALUES (?, ?) RETURNING id", (5, "2026-01-01T00:00:00+00:00")
        ) as cur:
            inserted = await cur.fetchone()
        updated = await conn.execute("UPDATE chats SET title = ? WHERE id = ?", ("Five", 5))
        await conn.executemany(
            "INSERT INTO chats (id, created_at) VALUES (?, ?)", [(6, "2026-01-01"), (7, "2026-01-01")]
        )
    # Three statements (BEGIN IMMEDIATE goes with the first) and the COMMIT; aiosqlite's cursors took seven.
    assert calls[0] == 4
    assert inserted is not None and inserted["id"] == 5
    assert updated.rowcount == 1
    assert await chat_ids(db) == [5, 6, 7]


async def test_a_transaction_whose_body_fails_is_rolled_back(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO chats (id, created_at) VALUES (?, ?)", (8, "2026-01-01"))
            raise RuntimeError("the use case changed its mind")
    async with db.transaction() as conn:  # no transaction was left open on the connection
        await conn.execute("INSERT INTO chats (id, created_at) VALUES (?, ?)", (9, "2026-01-01"))
    assert await chat_ids(db) == [9]


async def test_a_transaction_cancelled_while_its_first_statement_is_on_its_way_is_rolled_back(
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
        async with db.transaction() as conn:
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
