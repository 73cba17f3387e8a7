"""PostgreSQL through psycopg 3 and its connection pool.

The repository's SQL is written once, with `?` placeholders; `translate` turns them into psycopg's `%s` (a
numbered `?N` picks the N-th parameter, so one value can be used twice). Reads and lone statements run on a pool
connection each, in autocommit. Write transactions run at once, in READ COMMITTED: a transaction that reads,
decides and writes one chat's data names the chat, and takes that chat's transaction-level advisory lock in the
statement that begins it, so one chat's transactions take turns across every process while other chats' run
beside them (each statement after the lock sees what the chat's previous transaction committed). The rest is
PostgreSQL's own: row locks, unique constraints met with ON CONFLICT, counters kept by triggers whose
`UPDATE … SET n = n + 1` waits for the row and adds to its latest value. Within one process, one chat's
transactions, and reads, keep their arrival order, as on SQLite. Migrations run in one transaction under their
own advisory lock, so processes started together migrate once.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from functools import lru_cache
from typing import Any, ClassVar

import psycopg
from psycopg_pool import AsyncConnectionPool

from storage.db import (
    WRITING,
    ChatQueues,
    Cursor,
    Database,
    DatabaseError,
    Dialect,
    Pending,
    migrations,
    newer_than_code,
    redact,
)
from storage.migrations import python_steps

log = logging.getLogger(__name__)

# Advisory lock keys (any bigint; this one spells "precis-m" so it does not meet another program's).
MIGRATION_LOCK = int.from_bytes(b"precis-m", "big") & 0x7FFF_FFFF_FFFF_FFFF


LISTEN_RETRY_SECONDS = 1.0


def _channel(name: str) -> str:
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise ValueError(f"not a channel name: {name!r}")
    return name


def chat_lock_key(chat_id: int) -> int:
    """A chat's advisory lock key: a signed 64-bit hash of the chat id under Précis' own name. Two chats that
    happen to share a key only take turns."""
    digest = hashlib.blake2b(f"precis-chat:{chat_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _begin(keys: Sequence[int]) -> bytes:
    """BEGIN and the advisory locks on `keys` (in this order), sent as one message: one round trip."""
    return "; ".join(["BEGIN", *(f"SELECT pg_advisory_xact_lock({int(key)})" for key in keys)]).encode()


_NUMBERED = re.compile(r"\?(\d+)")


@lru_cache(maxsize=512)
def translate(sql: str) -> tuple[str, tuple[int, ...] | None]:
    """(psycopg SQL, the parameter index for each placeholder when numbered ones are used, else None)."""
    out: list[str] = []
    order: list[int] = []
    numbered = plain = False
    i, n = 0, len(sql)
    while i < n:
        ch = sql[i]
        if ch in "'\"":  # a string or a quoted name: copied as it is (a doubled quote stays inside)
            end = sql.index(ch, i + 1)
            while end + 1 < n and sql[end + 1] == ch:
                end = sql.index(ch, end + 2)
            out.append(sql[i : end + 1].replace("%", "%%"))
            i = end + 1
            continue
        if ch == "%":
            out.append("%%")
        elif ch == "?":
            match = _NUMBERED.match(sql, i)
            if match:
                numbered = True
                order.append(int(match.group(1)) - 1)
                out.append("%s")
                i = match.end()
                continue
            plain = True
            out.append("%s")
        else:
            out.append(ch)
        i += 1
    if numbered and plain:
        raise ValueError("a statement uses both ? and ?N placeholders")
    return "".join(out), tuple(order) if numbered else None


def _params(sql: str, params: Sequence[Any]) -> tuple[str, Sequence[Any]]:
    query, order = translate(sql)
    return query, params if order is None else [params[k] for k in order]


class Row(tuple[Any, ...]):
    """A result row read by position or by column name, as SQLite's rows are (and `dict(row)` works).

    Each result's columns get a subclass of their own (`_row_class`) that holds their names, so a row is a
    bare tuple: no dictionary of its own, which a time line's thousands of rows would each allocate."""

    __slots__ = ()
    _index: ClassVar[dict[str, int]] = {}

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._index)


@lru_cache(maxsize=1024)
def _row_class(names: tuple[str, ...]) -> type[Row]:
    index: dict[str, int] = {}
    for i, name in enumerate(names):
        index.setdefault(name, i)
    return type("Row", (Row,), {"__slots__": (), "_index": index})


def _row_factory(cursor: Any) -> Any:
    return _row_class(tuple(column.name for column in cursor.description or ()))


async def _run(raw: psycopg.AsyncConnection[Any], sql: str, params: Sequence[Any]) -> Cursor:
    query, values = _params(sql, params)
    async with raw.cursor(row_factory=_row_factory) as cur:
        await cur.execute(query, values)
        rows = await cur.fetchall() if cur.description else []
        return Cursor(rows, cur.rowcount)


class Connection:
    """One pool connection inside a transaction."""

    def __init__(self, raw: psycopg.AsyncConnection[Any]) -> None:
        self.raw = raw

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Pending:
        return Pending(lambda: _run(self.raw, sql, params))

    async def executemany(self, sql: str, seq: Iterable[Sequence[Any]]) -> None:
        rows = list(seq)
        if not rows:
            return
        if len(rows) == 1:  # one row: a plain statement, without a pipeline's extra synchronisation
            await _run(self.raw, sql, rows[0])
            return
        query, order = translate(sql)
        if order is not None:
            rows = [[row[k] for k in order] for row in rows]
        async with self.raw.cursor() as cur:
            await cur.executemany(query, rows)

    async def execute_fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return await (await _run(self.raw, sql, params)).fetchall()

    async def copy_rows(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """Rows into a table with COPY: a bulk load in one stream, not a statement per row."""
        names = ", ".join(f'"{c}"' for c in columns)
        async with self.raw.cursor() as cur, cur.copy(f"COPY {table} ({names}) FROM STDIN".encode()) as copy:
            for row in rows:
                await copy.write_row(row)


class PoolRunner:
    """Runs each statement on a pool connection, in autocommit: the reader, and lone statements.

    The reader runs its statements one at a time in the order they were asked, as SQLite's reader connection
    does: the handlers of one chat's updates run concurrently, and what each one reads and then writes must
    not overtake the one before it (a read that took a slower connection would).
    """

    def __init__(self, pool: AsyncConnectionPool[Any], *, in_order: bool = False) -> None:
        self.pool = pool
        self._order = asyncio.Lock() if in_order else None

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Pending:
        async def run() -> Cursor:
            if self._order is None:
                async with self.pool.connection() as raw:
                    return await _run(raw, sql, params)
            async with self._order, self.pool.connection() as raw:
                return await _run(raw, sql, params)

        return Pending(run)

    async def executemany(self, sql: str, seq: Iterable[Sequence[Any]]) -> None:
        async with self.pool.connection() as raw, raw.transaction():
            await Connection(raw).executemany(sql, seq)

    async def execute_fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return await (await self.execute(sql, params)).fetchall()


class PostgresDatabase(Database):
    dialect: Dialect = "postgresql"
    locks_chats = True
    signals = True

    def __init__(self, pool: AsyncConnectionPool[Any], url: str) -> None:
        self.pool = pool
        self.url = url
        self.path = redact(url)
        self.conn = PoolRunner(pool)
        self.reader = PoolRunner(pool, in_order=True)
        # Reads a person waits on keep their own order, apart from the reads of a burst of articles.
        self.priority_reader = PoolRunner(pool, in_order=True)
        # In this process, one chat's transactions queue first-come first-served (as on SQLite): the advisory
        # lock alone would grant them in the order their statements reach the server, and one chat's updates,
        # handled concurrently, must be stored in the order they arrived.
        self._chat_queues = ChatQueues()

    @classmethod
    async def connect(
        cls, url: str, *, migrate: bool = True, min_size: int = 1, max_size: int = 10
    ) -> PostgresDatabase:
        pool: AsyncConnectionPool[Any] = AsyncConnectionPool(
            url,
            min_size=min_size,
            max_size=max_size,
            open=False,
            kwargs={"autocommit": True},
            configure=_configure,
            name="precis",
        )
        try:
            await pool.open(wait=True, timeout=15)
        except Exception as exc:
            await pool.close()
            raise DatabaseError(f"cannot connect to {redact(url)}: {_reason(exc)}") from exc
        db = cls(pool, url)
        try:
            async with pool.connection() as raw:
                cur = await raw.execute("SELECT datctype FROM pg_database WHERE datname = current_database()")
                ctype = await cur.fetchone()
            if ctype and str(ctype[0]).upper() in ("C", "POSIX"):
                # Text search lower-cases words by the database's character type: under C only ASCII letters.
                log.warning(
                    "database %s has LC_CTYPE %s: search will not fold the case of Russian words; "
                    "create it with a UTF-8 character type (e.g. LC_CTYPE 'C.UTF-8')",
                    db.path,
                    ctype[0],
                )
            if migrate:
                await db.migrate()
        except BaseException:
            await db.close()
            raise
        return db

    async def version(self) -> int:
        async with self.pool.connection() as raw:
            return await _version(raw)

    async def migrate(self) -> int:
        """Apply every migration newer than the database, all in one transaction under an advisory lock."""
        shipped = migrations("postgresql")
        async with self.pool.connection() as raw, raw.transaction():
            await raw.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            await raw.execute("CREATE TABLE IF NOT EXISTS precis_schema (version integer NOT NULL)")
            current = await _version(raw)
            if current > len(shipped):
                raise newer_than_code(self.path, current, len(shipped))
            for _, name, sql in shipped[current:]:
                await raw.execute(sql.encode())  # several statements, no parameters
                if (step := python_steps().get(name[4:].removesuffix(".sql"))) is not None:
                    await step(Connection(raw))  # what SQL cannot say, in the same transaction
                log.info("applied migration %s", name)
            await raw.execute("DELETE FROM precis_schema")
            await raw.execute("INSERT INTO precis_schema (version) VALUES (%s)", (len(shipped),))
        return len(shipped)

    @asynccontextmanager
    async def transaction(
        self, *, urgent: bool = False, chats: Iterable[int] = (), bulk: bool = False
    ) -> AsyncIterator[Connection]:
        keys = sorted({chat_lock_key(chat) for chat in chats})  # in one order everywhere: no two wait on each other
        async with self._chat_queues.hold(keys, urgent=urgent), self.pool.connection() as raw:
            writing = WRITING.set(True)
            try:
                await raw.execute(_begin(keys))
                try:
                    yield Connection(raw)
                except BaseException:
                    try:
                        await raw.execute("ROLLBACK")
                    except Exception as failed:  # a broken connection: the pool discards it; the first error matters
                        log.warning("rollback failed: %s", failed)
                    raise
                await raw.execute("COMMIT")
            finally:
                WRITING.reset(writing)

    async def listen(self, channel: str, heard: Callable[[str], object]) -> None:
        """LISTEN on a connection of its own (outside the pool) and call `heard` with every notification's
        payload, until cancelled. A connection lost is opened again; `heard("")` is called once it listens
        again, for whatever was signalled meanwhile (and the caller's slow poll covers the rest)."""
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(self.url, autocommit=True) as raw:
                    await raw.execute(f"LISTEN {_channel(channel)}")
                    heard("")
                    async for notification in raw.notifies():
                        heard(notification.payload)
            except (psycopg.Error, OSError) as exc:
                log.warning("not listening on %s for a moment: %s", channel, _reason(exc))
                await asyncio.sleep(LISTEN_RETRY_SECONDS)

    async def signal(self, conn: Any, channel: str, payload: str = "") -> None:
        await conn.execute("SELECT pg_notify(?, ?)", (_channel(channel), payload))

    async def lock_chats(self, conn: Any, chats: Iterable[int]) -> None:
        for key in sorted({chat_lock_key(chat) for chat in chats}):
            await conn.execute(f"SELECT pg_advisory_xact_lock({key})")

    async def close(self) -> None:
        await self.pool.close()


async def _configure(raw: psycopg.AsyncConnection[Any]) -> None:
    """Plan every statement for its own parameters. psycopg prepares a statement on the server after its fifth
    run on a connection, and after five more the server may switch to one generic plan for all parameters,
    chosen by the average cost of the plans so far: a text search that once planned for a frequent word then
    walks every row of the chat for a word found nowhere (and the reverse). Planning these statements costs a
    fraction of a millisecond; a wrong plan costs a hundred."""
    await raw.execute("SET plan_cache_mode = force_custom_plan")


async def _version(raw: psycopg.AsyncConnection[Any]) -> int:
    cur = await raw.execute("SELECT to_regclass('precis_schema') IS NOT NULL")
    exists = await cur.fetchone()
    if not exists or not exists[0]:
        return 0
    cur = await raw.execute("SELECT max(version) FROM precis_schema")
    row = await cur.fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _reason(exc: BaseException) -> str:
    cause = exc.__cause__ or exc.__context__ or exc
    return str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
