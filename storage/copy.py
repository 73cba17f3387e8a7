"""Moving an archive from one database to another (SQLite to PostgreSQL, or back), checked by counts.

Every table is copied row for row with its ids (into PostgreSQL with COPY), parents before children, in one
transaction on the target; the
full-text index is built again in the target's own form from what the source's index holds, and the stem index
from the stems it holds; counters kept by triggers
are recounted (the copied quotes would otherwise be counted twice); identity sequences continue after the
largest id copied. The target must be empty. Then every table is counted on both sides.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from storage.db import Database, DatabaseError
from storage.timeline import index_article, ts_config

# Parents before children. A table missing here is not copied: tests compare this list with the schema.
TABLES = (
    "chats",
    "articles",
    "article_sources",
    "message_refs",
    "answers_owed",
    "article_urls",
    "sentences",
    "people",
    "person_keys",
    "quotes",
    "events",
    "pending_parts",
    "subscriptions",
    "digests",
    "inbox",
    "chat_claims",
    "feeds",
    "feed_items",
    "chat_targets",
)
# Tables with a generated id whose sequence must continue after the copy (PostgreSQL).
_IDENTITY_TABLES = (
    "articles",
    "article_sources",
    "people",
    "quotes",
    "events",
    "pending_parts",
    "subscriptions",
    "digests",
    "feeds",
)
BATCH = 2000


@dataclass(frozen=True, slots=True)
class CopyReport:
    counts: dict[str, int]  # rows per table, the same on both sides
    indexed: int  # articles put into the target's full-text index
    stemmed: int  # articles put into the target's stem index


async def copy_database(
    source: Database, target: Database, *, progress: Callable[[str, int], None] | None = None
) -> CopyReport:
    if await source.version() != await target.version():
        raise DatabaseError("the two databases are at different schema versions: run `precis migrate` on both")
    for table in TABLES:
        row = await target.reader.execute_fetchall(f"SELECT count(*) FROM {table}")
        if int(row[0][0]):
            raise DatabaseError(f"the target is not empty (its table {table} has rows): copy into a new database")
    counts: dict[str, int] = {}
    indexed = 0
    async with target.transaction(bulk=True) as out:
        if target.dialect == "postgresql":
            # The counters are recounted below: the per-row triggers would only make a big copy slow (within
            # this transaction; it turns them on again before it commits).
            await out.execute("ALTER TABLE quotes DISABLE TRIGGER USER")
        for table in TABLES:
            columns = await _columns(source, table)
            names = ", ".join(f'"{c}"' for c in columns)
            insert = f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})"
            copied = 0
            async for batch in _batches(source, table, columns):
                if target.dialect == "postgresql":
                    await out.copy_rows(table, columns, batch)
                else:
                    await out.executemany(insert, batch)
                copied += len(batch)
                if progress:
                    progress(table, copied)
            counts[table] = copied
        await out.execute(
            "UPDATE people SET quote_count = (SELECT count(*) FROM quotes q WHERE q.person_id = people.id)"
        )
        if target.dialect == "postgresql":
            await out.execute("ALTER TABLE quotes ENABLE TRIGGER USER")
        # The index holds what the analysis indexed (its title and cleaned text), rebuilt in the target's form.
        last = 0
        while True:
            rows = await source.reader.execute_fetchall(
                "SELECT f.rowid, f.chat_id, f.title, f.body, a.lang FROM articles_fts f "
                f"JOIN articles a ON a.id = f.rowid WHERE f.rowid > ? ORDER BY f.rowid LIMIT {BATCH}",
                (last,),
            )
            if not rows:
                break
            if target.dialect == "postgresql":
                await out.copy_rows(
                    "articles_fts",
                    ("rowid", "chat_id", "title", "body", "config"),
                    [(a, chat, title, body, ts_config(lang)) for a, chat, title, body, lang in rows],
                )
                indexed += len(rows)
            else:
                for article_id, chat_id, title, body, lang in rows:
                    await index_article(target, out, article_id, chat_id, title, body, lang)
                    indexed += 1
            last = int(rows[-1][0])
        # The stem index holds stems computed in Python: copied as they are, indexed in the target's form.
        stemmed = last = 0
        while True:
            rows = await source.reader.execute_fetchall(
                f"SELECT rowid, title, body, chat_id FROM articles_stems WHERE rowid > ? ORDER BY rowid LIMIT {BATCH}",
                (last,),
            )
            if not rows:
                break
            if target.dialect == "postgresql":
                await out.copy_rows("articles_stems", ("rowid", "title", "body", "chat_id"), rows)
            else:
                await out.executemany(
                    "INSERT INTO articles_stems (rowid, title, body, chat_id) VALUES (?, ?, ?, ?)",
                    [tuple(r) for r in rows],
                )
            stemmed += len(rows)
            last = int(rows[-1][0])
        if target.dialect == "postgresql":
            for table in _IDENTITY_TABLES:
                await out.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 0) + 1, false) "
                    f"FROM {table}"
                )
    for table in TABLES:
        theirs = (await source.reader.execute_fetchall(f"SELECT count(*) FROM {table}"))[0][0]
        ours = (await target.reader.execute_fetchall(f"SELECT count(*) FROM {table}"))[0][0]
        if int(theirs) != int(ours) or int(ours) != counts[table]:
            raise DatabaseError(f"{table}: {theirs} rows in the source, {ours} in the target after the copy")
    ours = (await target.reader.execute_fetchall("SELECT count(*) FROM articles_stems"))[0][0]
    if int(ours) != stemmed:
        raise DatabaseError(f"articles_stems: {stemmed} rows in the source, {ours} in the target after the copy")
    return CopyReport(counts, indexed, stemmed)


async def _columns(db: Database, table: str) -> list[str]:
    if db.dialect == "sqlite":
        rows = await db.reader.execute_fetchall(f"PRAGMA table_info({table})")
        return [str(r[1]) for r in rows]
    rows = await db.reader.execute_fetchall(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND table_name = ? AND is_generated = 'NEVER' ORDER BY ordinal_position",
        (table,),
    )
    return [str(r[0]) for r in rows]


# Each table's key, to read it in pages in key order (a page starts after the last key of the one before).
_KEYS = {
    "message_refs": ("chat_id", "message_id"),
    "answers_owed": ("chat_id", "message_id"),
    "article_urls": ("chat_id", "url_key"),
    "sentences": ("article_id", "idx"),
    "person_keys": ("chat_id", "key", "person_id"),
    "inbox": ("update_id",),
    "chat_claims": ("chat_id",),
    "feed_items": ("feed_id", "item_key"),
    "chat_targets": ("chat_id",),
}


async def _batches(db: Database, table: str, columns: list[str]) -> AsyncIterator[list[tuple[Any, ...]]]:
    """The table's rows (these columns) in key order, a page at a time: an archive need not fit in memory."""
    key = _KEYS.get(table, ("id",))
    names = ", ".join(f'"{c}"' for c in columns)
    where_key = f"({', '.join(key)}) > ({', '.join('?' * len(key))})"
    positions = [columns.index(k) for k in key]
    last: tuple[Any, ...] | None = None
    while True:
        where = f"WHERE {where_key} " if last is not None else ""
        rows = await db.reader.execute_fetchall(
            f"SELECT {names} FROM {table} {where}ORDER BY {', '.join(key)} LIMIT {BATCH}", last or ()
        )
        if not rows:
            return
        batch = [tuple(r) for r in rows]
        yield batch
        last = tuple(batch[-1][i] for i in positions)
