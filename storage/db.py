"""The database: SQLite (the embedded default) or PostgreSQL, chosen by the target's form.

Both backends give the repository the same three things: `transaction()` yields a connection whose statements
run in one write transaction (one writer at a time, across every process on the database), `reader` runs
reads that see every committed write, and `conn` runs a statement on its own. A connection's `execute` is
awaited or used as an async context manager and gives a cursor with `fetchone`, `fetchall` and `rowcount`; SQL is
written with `?` placeholders (`?N` for numbered ones) and in the dialect both databases share. The few things
that differ (full-text search, a two-argument maximum) are chosen by `dialect`.

Each backend has its own numbered migrations, the same numbers with the same names, and the same version check:
a database newer than the code is refused.
"""

from __future__ import annotations

import asyncio
import logging
import re
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

import aiosqlite

log = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")

Dialect = Literal["sqlite", "postgresql"]
_MIGRATION_PACKAGES: dict[Dialect, str] = {
    "sqlite": "storage.migrations",
    "postgresql": "storage.postgres_migrations",
}


class DatabaseError(RuntimeError):
    """The database cannot be used (too new for this code, unreadable, ...)."""


def is_postgres_url(target: str | Path) -> bool:
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def redact(target: str | Path) -> str:
    """A database target for messages and logs: a URL loses its password."""
    target = str(target)
    parts = urlsplit(target)
    if not is_postgres_url(target) or parts.password is None:
        return target
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))


def migrations(dialect: Dialect = "sqlite") -> list[tuple[int, str, str]]:
    """(version, name, sql) of every migration shipped with the code for a dialect, in order."""
    found = []
    for entry in resources.files(_MIGRATION_PACKAGES[dialect]).iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    for expected, (version, name, _) in enumerate(found, start=1):
        if version != expected:
            raise DatabaseError(f"migration {name} is out of sequence: expected number {expected:03d}")
    return found


def latest_version() -> int:
    return len(migrations())


def newer_than_code(target: str, current: int, shipped: int) -> DatabaseError:
    return DatabaseError(
        f"database {target} has schema version {current}, newer than this code understands ({shipped}); "
        "upgrade Précis or use another database"
    )


class Database(ABC):
    """One database, whichever backend. `Database.open(target)` opens a SQLite file for a path and PostgreSQL
    for a `postgresql://` URL."""

    dialect: Dialect
    path: str  # what was opened: the file, or the URL without its password
    conn: Any
    reader: Any

    @classmethod
    async def open(cls, target: str | Path, *, migrate: bool = True) -> Database:
        if is_postgres_url(target):
            from storage.postgres import PostgresDatabase

            return await PostgresDatabase.connect(str(target), migrate=migrate)
        return await SqliteDatabase.connect(target, migrate=migrate)

    @abstractmethod
    async def version(self) -> int: ...

    @abstractmethod
    async def migrate(self) -> int:
        """Bring the schema to the code's version; returns that version."""

    @abstractmethod
    def transaction(self) -> AbstractAsyncContextManager[Any]: ...

    @abstractmethod
    async def close(self) -> None: ...

    def greatest(self, a: str, b: str) -> str:
        """SQL for the larger of two values (SQLite's scalar max, PostgreSQL's greatest)."""
        return f"{'max' if self.dialect == 'sqlite' else 'greatest'}({a}, {b})"


class SqliteDatabase(Database):
    """A writer connection and a reader connection to one SQLite file.

    aiosqlite runs each connection's statements in order on its own thread, so a query queued behind a burst
    of writes would wait for all of them: reads go to `reader` (WAL lets it read while the writer writes) and
    stay quick. Two coroutines could interleave statements of their transactions on the writer;
    `transaction()` holds a lock so each transaction runs alone.
    """

    dialect: Dialect = "sqlite"

    def __init__(self, conn: aiosqlite.Connection, path: str, reader: aiosqlite.Connection | None = None) -> None:
        self.conn = conn
        self.reader = reader or conn
        self.path = path
        self._write_lock = asyncio.Lock()

    @classmethod
    async def connect(cls, path: str | Path, *, migrate: bool = True) -> SqliteDatabase:
        path = str(path)
        if path.startswith("sqlite:"):
            path = path.removeprefix("sqlite:")
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = await aiosqlite.connect(path, isolation_level=None)
        except Exception as exc:  # sqlite3 raises OperationalError with a bare message
            raise DatabaseError(f"cannot open database {path}: {exc}") from exc
        conn.row_factory = aiosqlite.Row
        db = cls(conn, path)
        try:
            await _configure(conn)
            await conn.execute("PRAGMA journal_mode=WAL")
            if migrate:
                await db.migrate()
            if path != ":memory:":
                db.reader = await aiosqlite.connect(path, isolation_level=None)
                db.reader.row_factory = aiosqlite.Row
                await _configure(db.reader)
        except BaseException:
            await db.close()
            raise
        return db

    async def version(self) -> int:
        async with self.conn.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def migrate(self) -> int:
        """Apply every migration newer than the database, each in its own transaction."""
        shipped = migrations("sqlite")
        current = await self.version()
        if current > len(shipped):
            raise newer_than_code(self.path, current, len(shipped))
        for version, name, sql in shipped[current:]:
            async with self.transaction():
                # Read again under the write lock: another process starting at the same time may have applied it.
                if await self.version() >= version:
                    continue
                # executescript would COMMIT on its own; run statement by statement inside our transaction.
                for statement in _statements(sql):
                    await self.conn.execute(statement)
                await self.conn.execute(f"PRAGMA user_version = {version}")
            log.info("applied migration %s", name)
        return len(shipped)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        async with self._write_lock:
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                await self.conn.execute("ROLLBACK")
                raise
            else:
                await self.conn.execute("COMMIT")

    async def close(self) -> None:
        if self.reader is not self.conn:
            await self.reader.close()
        await self.conn.close()


async def _configure(conn: aiosqlite.Connection) -> None:
    await conn.execute("PRAGMA synchronous=NORMAL")
    await conn.execute("PRAGMA foreign_keys=ON")
    await conn.execute("PRAGMA busy_timeout=5000")
    await conn.execute("PRAGMA temp_store=MEMORY")


def _statements(sql: str) -> list[str]:
    """Split a migration into statements (sqlite3.complete_statement knows about strings and triggers)."""
    import sqlite3

    statements: list[str] = []
    buffer = ""
    for line in sql.splitlines(keepends=True):
        if not buffer and line.strip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
