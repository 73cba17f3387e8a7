"""What every part of the repository shares: the connection, row helpers, time and source types."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from storage.db import Database

LOCAL_CHAT_ID = 0  # the CLI's and console's own chat; no Telegram chat has id 0


# A chat as Telegram describes it now: created if new, its kind and title brought up to date otherwise.
CHAT_UPSERT_SQL = (
    "INSERT INTO chats (id, kind, title, created_at) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, title = COALESCE(excluded.title, chats.title)"
)


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def parse_iso(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Row(Protocol):
    """A result row, read by position or by column name (SQLite's rows, and storage.postgres.Row)."""

    def __getitem__(self, key: Any, /) -> Any: ...

    def __iter__(self) -> Iterator[Any]: ...

    def keys(self) -> Any: ...


class Conn(Protocol):
    """The connection `db.transaction()` yields, on either backend (see storage.db)."""

    def execute(self, sql: str, parameters: Any = ..., /) -> Any: ...

    async def executemany(self, sql: str, parameters: Any, /) -> Any: ...


@dataclass(frozen=True, slots=True)
class Source:
    kind: str  # channel | user | chat | hidden_user | pasted | link | file | cli
    name: str | None = None
    url: str | None = None


class RepositoryBase:
    def __init__(self, db: Database) -> None:
        self.db = db

    @property
    def conn(self) -> Any:
        return self.db.conn

    # Reads go to the reader connection: they see every committed write, and never wait behind a burst of
    # writes. Inside a `db.transaction()`, read through the transaction's own connection instead.
    # Each read runs and finishes in one call on the connection's thread. A cursor left open across an await
    # would keep a read snapshot alive while another coroutine begins a write transaction on the same
    # connection; if a second process had committed meanwhile, SQLite refuses that BEGIN IMMEDIATE at once
    # ("database is locked", without waiting for busy_timeout).

    # Reads made while `priority_reads()` is in effect take the priority reader instead.

    def _reader(self) -> Any:
        return self.db.priority_reader if _priority.get() else self.db.reader

    async def _one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        rows = await self._reader().execute_fetchall(sql, params)
        return next(iter(rows), None)

    async def _all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return list(await self._reader().execute_fetchall(sql, params))

    async def _one_by_key(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        return next(iter(await self._all_by_key(sql, params)), None)

    async def _all_by_key(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """Rows found through an index by their key, for reads every command or update makes (the chat's
        settings, its unfinished updates): on SQLite on the event loop's own thread, where they take tens of
        microseconds, rather than a round trip through a reader's thread, which waits for the GIL and then for
        the loop and took milliseconds while a burst kept the loop busy. Only for a lookup by key that finds a
        few rows: a read that scans would stall every chat while it ran. When SQLite would make it wait (a log
        being recovered), it is read the usual way."""
        direct = self.db.key_reader
        if direct is not None:
            try:
                cur = direct.execute(sql, params)
            except sqlite3.OperationalError:
                return await self._all(sql, params)
            try:
                return list(cur.fetchall())  # read to the end: no snapshot kept open
            finally:
                cur.close()
        return await self._all(sql, params)

    async def _hold_article_chat(
        self, conn: Conn, article_id: int, columns: str = "chat_id", held: Iterable[int] = ()
    ) -> Row | None:
        """The article's `columns` (its chat id first), read once its chat is held for the rest of the
        transaction (a transaction that knows only the article; `held`: chats it holds already); None when the
        article is gone."""
        sql = f"SELECT {columns} FROM articles WHERE id = ?"
        async with conn.execute(sql, (article_id,)) as cur:
            row = await cur.fetchone()
        holding = set(held)
        while self.db.locks_chats and row is not None and int(row[0]) not in holding:
            # Read again once held: the article may have moved to another chat (a group became a supergroup)
            # or gone while we waited.
            holding.add(int(row[0]))
            await self.db.lock_chats(conn, [int(row[0])])
            async with conn.execute(sql, (article_id,)) as cur:
                row = await cur.fetchone()
        return row


_priority: ContextVar[bool] = ContextVar("precis_priority_reads", default=False)


@contextmanager
def priority_reads() -> Iterator[None]:
    """Reads in this block (and in tasks it starts) go to the priority reader: for answers a person waits on."""
    token = _priority.set(True)
    try:
        yield
    finally:
        _priority.reset(token)
