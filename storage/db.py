"""The database: SQLite (the embedded default) or PostgreSQL, chosen by the target's form.

Both backends give the repository the same three things: `transaction()` yields a connection whose statements
run in one write transaction, `reader` runs reads that see every committed write, and `conn` runs a statement on
its own. A transaction names the chats whose data it reads and decides on (`chats=`, or `lock_chats` once it has
read which): two transactions of one chat never overlap, across every process on the database, and in one
process they run in the order they were asked. SQLite has one writer at a time anyway; PostgreSQL lets
transactions of different chats, and those that name none (each written to be safe on its own: one statement,
a row lock, a unique constraint), run at once. A connection's `execute` is
awaited or used as an async context manager and gives a cursor with `fetchone`, `fetchall` and `rowcount`; SQL is
written with `?` placeholders (`?N` for numbered ones) and in the dialect both databases share. The few things
that differ (full-text search, a two-argument maximum) are chosen by `dialect`.

Each backend has its own numbered migrations, the same numbers with the same names, and the same version check:
a database newer than the code is refused.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sqlite3
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal, TypeVar
from urllib.parse import urlsplit, urlunsplit

import aiosqlite

from storage.migrations import python_steps

log = logging.getLogger(__name__)

T = TypeVar("T")

BUSY_TIMEOUT_MS = 5000
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


# Set while a task has a write transaction open. The bot's event loop runs such a task's steps ahead of ordinary
# work (bot/loop.py): a transaction that a person's command waits for is never itself left waiting.
WRITING: ContextVar[bool] = ContextVar("precis_writing", default=False)


class WriteLock:
    """The writer connection's lock: first come, first served, except that an urgent transaction (recording
    that Telegram accepted a message, committing an arriving update) goes before every ordinary one waiting.
    The lock is handed over to the next waiter on release, so nobody can slip in between."""

    def __init__(self) -> None:
        self._held = False
        self._urgent: deque[asyncio.Future[None]] = deque()
        self._ordinary: deque[asyncio.Future[None]] = deque()

    async def acquire(self, *, urgent: bool = False) -> None:
        if not self._held and not self._urgent and not self._ordinary:
            self._held = True
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        queue = self._urgent if urgent else self._ordinary
        queue.append(waiter)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self.release()  # handed over just as we were cancelled: pass it on
            else:
                queue.remove(waiter)
            raise

    def release(self) -> None:
        for queue in (self._urgent, self._ordinary):
            while queue:
                waiter = queue.popleft()
                if not waiter.done():
                    waiter.set_result(None)  # still held: now by that waiter
                    return
        self._held = False


class ChatQueues:
    """One `WriteLock` per key, made while someone holds or waits for it: first come, first served per key
    (urgent ones first), keys held at once taken in sorted order so that two holders cannot wait for each other."""

    def __init__(self) -> None:
        self._locks: dict[int, tuple[WriteLock, int]] = {}

    @asynccontextmanager
    async def hold(self, keys: Iterable[int], *, urgent: bool = False) -> AsyncIterator[None]:
        taken: list[int] = []
        try:
            for key in sorted(set(keys)):
                lock, users = self._locks.get(key) or (WriteLock(), 0)
                self._locks[key] = (lock, users + 1)
                try:
                    await lock.acquire(urgent=urgent)
                except BaseException:
                    self._leave(key)
                    raise
                taken.append(key)
            yield
        finally:
            for key in reversed(taken):
                self._locks[key][0].release()
                self._leave(key)

    def _leave(self, key: int) -> None:
        lock, users = self._locks[key]
        if users == 1:
            del self._locks[key]
        else:
            self._locks[key] = (lock, users - 1)


class Cursor:
    """A statement's result, read at once (on SQLite in the call that ran it; on PostgreSQL before the connection
    goes back to the pool)."""

    def __init__(self, rows: list[Any], rowcount: int) -> None:
        self._rows = rows
        self.rowcount = rowcount

    async def fetchone(self) -> Any:
        return self._rows.pop(0) if self._rows else None

    async def fetchall(self) -> list[Any]:
        rows, self._rows = self._rows, []
        return rows


class Pending:
    """What a transaction's `execute` returns: awaited, or used as `async with`, it gives the cursor (as
    aiosqlite's does)."""

    def __init__(self, run: Callable[[], Awaitable[Cursor]]) -> None:
        self._run = run

    def __await__(self) -> Generator[Any, None, Cursor]:
        return self._run().__await__()

    async def __aenter__(self) -> Cursor:
        return await self._run()

    async def __aexit__(self, *exc: object) -> None:
        return None


class SqliteTransaction:
    """The connection a SQLite write transaction yields.

    Its statements run on the event loop's thread (`inline`), not on aiosqlite's: a write statement of this
    app touches a few rows and takes tens of microseconds, while a round trip to the connection's thread and
    back took 2–20 ms once the loop was busy (the thread waits for the GIL, then for the loop to take its
    answer), and a transaction held the write lock across every one of them: a command's update, committed
    behind a burst of posts, waited 20–35 ms for a transaction that ran for a fraction of a millisecond.
    Only BEGIN IMMEDIATE may wait (for another process's write): it is tried without waiting, and otherwise
    waited for on the thread. A transaction that may touch many rows (`bulk`: deleting a chat's archive,
    migrations, pruning) runs on the thread as before, so the loop never stalls on it; there a statement runs
    and its rows are read in one call, and BEGIN IMMEDIATE goes with the first statement."""

    def __init__(self, conn: aiosqlite.Connection, *, inline: bool = False) -> None:
        self._conn = conn
        self._inline = inline
        self.begun = False  # BEGIN IMMEDIATE succeeded: the transaction is open on the connection

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Pending:
        def run(raw: sqlite3.Connection) -> Cursor:
            cur = raw.execute(sql, params)
            try:
                return Cursor(cur.fetchall(), cur.rowcount)
            finally:
                cur.close()

        return Pending(lambda: self._call(run))

    async def executemany(self, sql: str, seq: Iterable[Sequence[Any]]) -> None:
        rows = list(seq)

        def run(raw: sqlite3.Connection) -> None:
            raw.executemany(sql, rows).close()

        await self._call(run)

    async def execute_fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return await (await self.execute(sql, params)).fetchall()

    async def _call(self, work: Callable[[sqlite3.Connection], T]) -> T:
        raw = self._conn._conn  # aiosqlite's sqlite3 connection (opened to be usable from this thread too)
        if self._inline:
            if not self.begun:
                await self._begin_inline(raw)
            return work(raw)

        def on_thread() -> T:
            if not self.begun:
                raw.execute("BEGIN IMMEDIATE").close()
                self.begun = True
            return work(raw)

        # aiosqlite's queue of calls for its thread (the one it runs its own statements through).
        result: T = await self._conn._execute(on_thread)
        return result

    async def _begin_inline(self, raw: sqlite3.Connection) -> None:
        raw.execute("PRAGMA busy_timeout=0").close()
        try:
            raw.execute("BEGIN IMMEDIATE").close()
            self.begun = True
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
        finally:
            raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}").close()
        if not self.begun:  # another process is writing: wait for it on the thread, not on the loop

            def begin() -> None:
                raw.execute("BEGIN IMMEDIATE").close()
                self.begun = True

            await self._conn._execute(begin)

    async def end(self, statement: Literal["COMMIT", "ROLLBACK"]) -> None:
        if self._inline:
            if self.begun:
                self._conn._conn.execute(statement).close()
                self.begun = False
            return

        def on_thread() -> None:
            # Decided on the thread, after every call queued before: one cancelled on its way still runs there
            # (and may begin the transaction), and is rolled back.
            if self.begun:
                self._conn._conn.execute(statement).close()
                self.begun = False

        await self._conn._execute(on_thread)


class Database(ABC):
    """One database, whichever backend. `Database.open(target)` opens a SQLite file for a path and PostgreSQL
    for a `postgresql://` URL."""

    dialect: Dialect
    path: str  # what was opened: the file, or the URL without its password
    conn: Any
    reader: Any
    priority_reader: Any  # reads a person waits on (see storage.base.priority_reads)
    # Reads of one row by its key, run on the event loop's thread (SQLite; None elsewhere): see
    # storage.base.RepositoryBase._one_by_key.
    key_reader: sqlite3.Connection | None = None
    locks_chats: bool  # False: a transaction holds every chat anyway (SQLite's one writer)

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
    def transaction(
        self, *, urgent: bool = False, chats: Iterable[int] = (), bulk: bool = False
    ) -> AbstractAsyncContextManager[Any]:
        """A write transaction that holds `chats` until it ends (see the module notes); `urgent` ones (recording
        what Telegram accepted, committing an arriving update) go before the ordinary ones waiting in this
        process. `bulk`: it may touch many rows (a chat's whole archive, a migration), so it must not run on
        the event loop's thread (SQLite runs the others' short statements there)."""

    async def lock_chats(self, conn: Any, chats: Iterable[int]) -> None:
        """Hold `chats` for the rest of the transaction `conn` is in, for a transaction that learns its chat by
        reading (an article's). Take one chat this way at most: two could wait for each other."""
        return None

    @abstractmethod
    async def close(self) -> None: ...

    signals = False  # whether `signal` reaches other processes (so they need not poll often)

    async def listen(self, channel: str, heard: Callable[[str], object]) -> None:
        """Call `heard(payload)` whenever another process signals `channel` (see `signal`), until cancelled;
        returns at once when the backend has no such signals (SQLite: one process per file)."""
        return None

    async def signal(self, conn: Any, channel: str, payload: str = "") -> None:
        """Signal `channel` with `payload` to every process listening, when the transaction `conn` is in
        commits."""
        return None

    def row_lock(self) -> str:
        """What ends a SELECT whose rows the transaction will change: PostgreSQL locks them (another writer
        waits, then reads them as changed); SQLite's one writer has nothing to lock."""
        return "" if self.dialect == "sqlite" else " FOR UPDATE"

    def greatest(self, a: str, b: str) -> str:
        """SQL for the larger of two values (SQLite's scalar max, PostgreSQL's greatest)."""
        return f"{'max' if self.dialect == 'sqlite' else 'greatest'}({a}, {b})"


class WalCheckpoints:
    """Checkpoints of the write-ahead log, on a thread and a connection of their own. SQLite would run one in
    the commit that takes the log past 1,000 pages, copying pages and syncing the file for 5–15 ms; with
    commits on the event loop's thread that would stall every chat. After every `CHECK_EVERY` commits the log
    is looked at, and once `WAL_CHECKPOINT_BYTES` have been written to it since the last checkpoint ran,
    a checkpoint runs on a thread beside the writes (a passive one: it neither waits for them nor makes them
    wait). The next write starts the log over once the checkpoint has caught up with it and no read still
    uses it. Reads that never pause can keep it from starting over, so past `WAL_LIMIT_BYTES` the checkpoint
    runs while it holds the write lock, as SQLite's own would (the transactions waiting meanwhile wait on the
    loop, not in it). Other processes on the file keep SQLite's own checkpoints.

    What was written since the last checkpoint is told by the log's file: its size, less where the log ended
    when that checkpoint ran, unless the log has started over since (the checkpoint sequence in its header
    changed; the file is cut back then). The size alone counts what was checkpointed already: while reads held
    the log from starting over, a burst of posts had a checkpoint every 32 commits (every 40 ms), each syncing
    the file, and the commits beside them took up to 8 ms instead of a fraction of one."""

    CHECK_EVERY = 32
    WAL_CHECKPOINT_BYTES = 4 * 1024 * 1024  # SQLite's own threshold: 1,000 pages of 4 KiB
    WAL_LIMIT_BYTES = 16 * 1024 * 1024

    def __init__(self, path: str, write_lock: WriteLock) -> None:
        self._wal = Path(f"{path}-wal") if path != ":memory:" else None
        self._path = path
        self._write_lock = write_lock
        self._commits = 0
        self._running: asyncio.Task[None] | None = None
        self._checked = WalPosition(sequence=-1, offset=0)  # where the log ended when the last checkpoint ran
        self.done = 0  # checkpoints run (for tests)
        self.held = 0  # of which with the write lock held

    def written(self) -> None:
        self._commits += 1
        if self._wal is None or self._commits % self.CHECK_EVERY or self._running is not None:
            return
        now = wal_position(self._wal)
        if now is None:
            return
        unchecked = now.offset if now.sequence != self._checked.sequence else now.offset - self._checked.offset
        if unchecked >= self.WAL_CHECKPOINT_BYTES:
            hold = now.offset >= self.WAL_LIMIT_BYTES
            self._running = asyncio.get_running_loop().create_task(self._checkpoint(hold), name="sqlite-checkpoint")

    async def _checkpoint(self, hold: bool) -> None:
        try:
            checked = await asyncio.to_thread(_passive_checkpoint, self._path)
            if hold:
                await self._write_lock.acquire()
                try:
                    checked = await asyncio.to_thread(_passive_checkpoint, self._path)  # the frames written meanwhile
                finally:
                    self._write_lock.release()
                self.held += 1
            self._checked = checked
            self.done += 1
        except sqlite3.Error as exc:  # the next check tries again
            log.warning("checkpoint of %s failed: %s", self._path, exc)
        finally:
            self._running = None

    async def close(self) -> None:
        if self._running is not None:
            await asyncio.wait({self._running})


@dataclass(frozen=True)
class WalPosition:
    """A place in a write-ahead log: which log (its checkpoint sequence; it changes when the log starts over)
    and a byte offset in its file."""

    sequence: int
    offset: int


WAL_HEADER_BYTES = 32
WAL_FRAME_HEADER_BYTES = 24


def wal_position(wal: Path) -> WalPosition | None:
    """The end of a write-ahead log's file, in the log its header names; None if there is no log yet."""
    try:
        with wal.open("rb") as file:
            header = file.read(WAL_HEADER_BYTES)
            size = os.fstat(file.fileno()).st_size
    except OSError:
        return None
    if len(header) < WAL_HEADER_BYTES:
        return WalPosition(sequence=-1, offset=size)
    return WalPosition(sequence=int.from_bytes(header[12:16], "big"), offset=size)


def _passive_checkpoint(path: str) -> WalPosition:
    """Copy what the log holds into the database, without waiting for anyone (reads still in progress keep
    what they may read from being copied over); where the log ended."""
    # The log a checkpoint copies from is the one of its start: a log starts over only once all of it is copied.
    before = wal_position(Path(f"{path}-wal"))
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        _busy, frames, _copied = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
    finally:
        conn.close()
    sequence = before.sequence if before is not None else -1
    return WalPosition(sequence, WAL_HEADER_BYTES + max(frames, 0) * (WAL_FRAME_HEADER_BYTES + page_size))


class SqliteDatabase(Database):
    """A writer connection and a reader connection to one SQLite file.

    aiosqlite runs each connection's statements in order on its own thread, so a query queued behind a burst
    of writes would wait for all of them: reads go to `reader` (WAL lets it read while the writer writes) and
    stay quick. Two coroutines could interleave statements of their transactions on the writer;
    `transaction()` holds a lock so each transaction runs alone (every chat is held by the one writer).
    """

    dialect: Dialect = "sqlite"
    locks_chats = False

    def __init__(self, conn: aiosqlite.Connection, path: str, reader: aiosqlite.Connection | None = None) -> None:
        self.conn = conn
        self.reader = reader or conn
        self.path = path
        self._write_lock = WriteLock()
        self._checkpoints = WalCheckpoints(path, self._write_lock)
        # Reads for a person waiting on an answer (a command, the dispatcher's own checks): a lane of their
        # own, so they never queue behind the reads of a burst of articles (see storage.base.priority_reads).
        self.priority_reader = self.reader

    @classmethod
    async def connect(cls, path: str | Path, *, migrate: bool = True) -> SqliteDatabase:
        path = str(path)
        if path.startswith("sqlite:"):
            path = path.removeprefix("sqlite:")
        if path != ":memory:":
            _prepare(Path(path))
        conn = await _connect(path, shared=True)
        conn.row_factory = aiosqlite.Row
        db = cls(conn, path)
        try:
            try:
                await _configure(conn)
                await _switch_to_wal(conn)
            except sqlite3.DatabaseError as exc:  # "file is not a database", a corrupt file
                raise DatabaseError(f"cannot use {path} as a database: {exc}") from exc
            if migrate:
                await db.migrate()
            if path != ":memory:":
                db.reader = await _reader(path)
                db.priority_reader = await _reader(path)
                db.key_reader = _key_reader(path)
                # Checkpoints on a thread of their own (`WalCheckpoints`), never in a commit on the loop; the
                # log's file cut back to what it holds when it starts over, so that its size says when the next
                # checkpoint is due (SQLite would keep the file at its largest and overwrite it).
                await conn.execute("PRAGMA wal_autocheckpoint=0")
                await conn.execute("PRAGMA journal_size_limit=0")
        except BaseException:
            await db.close()
            raise
        return db

    async def version(self) -> int:
        async with self.conn.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def migrate(self) -> int:
        """Apply every migration newer than the database, in one transaction that also reads the version:
        several processes opening a new database at once take turns, and each finds it migrated or migrates
        it (BEGIN IMMEDIATE holds the write lock from the version check to the commit)."""
        shipped = migrations("sqlite")
        async with self.transaction(bulk=True) as conn:
            async with conn.execute("PRAGMA user_version") as cur:
                row = await cur.fetchone()
            current = int(row[0]) if row else 0
            if current > len(shipped):
                raise newer_than_code(self.path, current, len(shipped))
            for version, name, sql in shipped[current:]:
                # executescript would COMMIT on its own; run statement by statement inside our transaction.
                for statement in _statements(sql):
                    await conn.execute(statement)
                if (step := python_steps().get(name[4:].removesuffix(".sql"))) is not None:
                    # What SQL cannot say (today's rules for names), in the same transaction.
                    await step(conn)
                await conn.execute(f"PRAGMA user_version = {version}")
                log.info("applied migration %s", name)
        return len(shipped)

    @asynccontextmanager
    async def transaction(
        self, *, urgent: bool = False, chats: Iterable[int] = (), bulk: bool = False
    ) -> AsyncIterator[SqliteTransaction]:
        """A write transaction (BEGIN IMMEDIATE), alone on the writer connection; `urgent` ones go first. Its
        statements run on the loop's thread unless `bulk` (or the database is in memory, where the reads share
        the writer's connection and its thread)."""
        await self._write_lock.acquire(urgent=urgent)
        writing = WRITING.set(True)
        try:
            transaction = SqliteTransaction(self.conn, inline=not bulk and self.reader is not self.conn)
            try:
                yield transaction
            except BaseException:
                await transaction.end("ROLLBACK")
                raise
            else:
                await transaction.end("COMMIT")
        finally:
            WRITING.reset(writing)
            self._write_lock.release()
        self._checkpoints.written()

    async def close(self) -> None:
        await self._checkpoints.close()
        if self.key_reader is not None:
            self.key_reader.close()
            self.key_reader = None
        if self.priority_reader not in (self.conn, self.reader):
            await self.priority_reader.close()
        if self.reader is not self.conn:
            await self.reader.close()
        await self.conn.close()


def _prepare(path: Path) -> None:
    """The folder a database file goes in, made; a path SQLite would only answer vaguely about, refused."""
    if path.is_dir():
        raise DatabaseError(f"cannot open database {path}: it is a directory, not a file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError(f"cannot open database {path}: {exc.strerror or exc}") from exc


async def _connect(path: str, *, shared: bool = False) -> aiosqlite.Connection:
    # `shared`: the writer, whose transactions run their statements on the event loop's thread as well as on
    # aiosqlite's (one at a time: the write lock), so sqlite3 must not insist on the thread that opened it.
    pending = aiosqlite.connect(path, isolation_level=None, check_same_thread=not shared)
    try:
        return await pending
    except Exception as exc:  # sqlite3 raises OperationalError with a bare message
        # aiosqlite stops its worker thread on a failed connect but does not wait for it; the thread would then
        # report to an event loop that may be closed by the time it gets there ("Event loop is closed").
        worker = getattr(pending, "_thread", None)
        if worker is not None and worker.is_alive():
            await asyncio.to_thread(worker.join, 5)
        raise DatabaseError(f"cannot open database {path}: {exc}") from exc


async def _reader(path: str) -> aiosqlite.Connection:
    reader = await _connect(path)
    reader.row_factory = aiosqlite.Row
    await _configure(reader)
    return reader


def _key_reader(path: str) -> sqlite3.Connection:
    """A connection for reads of one row by its key, on the event loop's thread. It never waits for a lock
    (`timeout=0`: the caller reads on a thread instead) and never writes."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=0)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA query_only=ON").close()
    return conn


async def _configure(conn: aiosqlite.Connection) -> None:
    await conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")  # first: the others may wait for a lock
    await conn.execute("PRAGMA synchronous=NORMAL")
    await conn.execute("PRAGMA foreign_keys=ON")
    await conn.execute("PRAGMA temp_store=MEMORY")


async def _switch_to_wal(conn: aiosqlite.Connection) -> None:
    """Switching a new database to WAL needs a moment alone with it, and SQLite answers "database is locked"
    at once, without waiting for busy_timeout, when another process is busy with it: try again a while."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + BUSY_TIMEOUT_MS / 1000
    delay = 0.005
    while True:
        try:
            async with conn.execute("PRAGMA journal_mode=WAL") as cur:
                row = await cur.fetchone()
            if row is not None and str(row[0]).lower() in ("wal", "memory"):
                return
            raise sqlite3.OperationalError(f"journal mode stayed {row[0] if row else None}")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            if loop.time() >= deadline:
                raise
        await asyncio.sleep(delay)
        delay = min(delay * 2, 0.2)


def _statements(sql: str) -> list[str]:
    """Split a migration into statements (sqlite3.complete_statement knows about strings and triggers)."""
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
