"""Followed feeds: what each chat follows, when each is polled next, its state, and the items already seen."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from storage.base import RepositoryBase, Row, iso, parse_iso

_FEED_COLUMNS = (
    "id, chat_id, url, page_url, host, title, kind, etag, last_modified, state, error, failures, gone, "
    "next_poll_at, last_poll_at, last_item_at, articles, created_at"
)

# The feeds due now, oldest due first (feeds_due covers it).
DUE_FEEDS_SQL = (
    f"SELECT {_FEED_COLUMNS} FROM feeds WHERE state <> 'paused' AND next_poll_at <= ? ORDER BY next_poll_at LIMIT ?"
)


@dataclass(frozen=True, slots=True)
class FeedRow:
    id: int
    chat_id: int
    url: str
    page_url: str | None
    host: str
    title: str | None
    kind: str | None
    etag: str | None
    last_modified: str | None
    state: str  # ok | failing | malformed | paused
    error: str | None
    failures: int
    gone: int
    next_poll_at: datetime
    last_poll_at: datetime | None
    last_item_at: datetime | None
    articles: int
    created_at: datetime

    @classmethod
    def from_row(cls, r: Row) -> FeedRow:
        return cls(
            id=r["id"],
            chat_id=r["chat_id"],
            url=r["url"],
            page_url=r["page_url"],
            host=r["host"],
            title=r["title"],
            kind=r["kind"],
            etag=r["etag"],
            last_modified=r["last_modified"],
            state=r["state"],
            error=r["error"],
            failures=r["failures"],
            gone=r["gone"],
            next_poll_at=parse_iso(r["next_poll_at"]),
            last_poll_at=parse_iso(r["last_poll_at"]) if r["last_poll_at"] else None,
            last_item_at=parse_iso(r["last_item_at"]) if r["last_item_at"] else None,
            articles=r["articles"],
            created_at=parse_iso(r["created_at"]),
        )


class FeedQueries(RepositoryBase):
    async def add_feed(
        self, chat_id: int, url: str, host: str, now: datetime, *, page_url: str | None = None
    ) -> tuple[FeedRow, bool]:
        """Follow a feed (due at once); (the feed, created). Following it again resumes a paused one."""
        async with self.db.transaction(chats=[chat_id]) as conn:
            await conn.execute(
                "INSERT INTO chats (id, created_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING", (chat_id, iso(now))
            )
            async with conn.execute(
                "INSERT INTO feeds (chat_id, url, page_url, host, next_poll_at, created_at) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (chat_id, url) DO NOTHING RETURNING id",
                (chat_id, url, page_url, host, iso(now), iso(now)),
            ) as cur:
                row = await cur.fetchone()
            created = row is not None
            if not created:
                await conn.execute(
                    "UPDATE feeds SET state = 'ok', error = NULL, failures = 0, gone = 0, next_poll_at = ? "
                    "WHERE chat_id = ? AND url = ? AND state = 'paused'",
                    (iso(now), chat_id, url),
                )
        feed = await self.feed_by_url(chat_id, url)
        assert feed is not None
        return feed, created

    async def feed_by_url(self, chat_id: int, url: str) -> FeedRow | None:
        row = await self._one(f"SELECT {_FEED_COLUMNS} FROM feeds WHERE chat_id = ? AND url = ?", (chat_id, url))
        return FeedRow.from_row(row) if row else None

    async def feed_by_id(self, feed_id: int) -> FeedRow | None:
        row = await self._one(f"SELECT {_FEED_COLUMNS} FROM feeds WHERE id = ?", (feed_id,))
        return FeedRow.from_row(row) if row else None

    async def chat_feeds(self, chat_id: int) -> list[FeedRow]:
        """The chat's feeds in the order /following numbers them (the order they were followed)."""
        rows = await self._all(f"SELECT {_FEED_COLUMNS} FROM feeds WHERE chat_id = ? ORDER BY id", (chat_id,))
        return [FeedRow.from_row(r) for r in rows]

    async def remove_feed(self, chat_id: int, feed_id: int) -> bool:
        async with (
            self.db.transaction(chats=[chat_id]) as conn,
            conn.execute("DELETE FROM feeds WHERE chat_id = ? AND id = ? RETURNING id", (chat_id, feed_id)) as cur,
        ):
            return await cur.fetchone() is not None

    async def due_feeds(self, now: datetime, limit: int) -> list[FeedRow]:
        rows = await self._all(DUE_FEEDS_SQL, (iso(now), limit))
        return [FeedRow.from_row(r) for r in rows]

    async def next_feed_due(self) -> datetime | None:
        row = await self._one("SELECT min(next_poll_at) FROM feeds WHERE state <> 'paused'")
        return parse_iso(row[0]) if row and row[0] else None

    async def unseen_item_keys(self, feed_id: int, keys: Sequence[str]) -> set[str]:
        """Which of these item keys the feed has not shown before."""
        seen: set[str] = set()
        for start in range(0, len(keys), 500):
            chunk = list(keys[start : start + 500])
            rows = await self._all(
                f"SELECT item_key FROM feed_items WHERE feed_id = ? AND item_key IN ({', '.join('?' * len(chunk))})",
                (feed_id, *chunk),
            )
            seen.update(r[0] for r in rows)
        return {k for k in keys if k not in seen}

    async def mark_items_seen(self, feed_id: int, items: Sequence[tuple[str, int | None]], now: datetime) -> None:
        """Remember items (key, the article it became or None when skipped)."""
        async with self.db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO feed_items (feed_id, item_key, article_id, seen_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (feed_id, item_key) DO UPDATE "
                "SET article_id = coalesce(excluded.article_id, feed_items.article_id)",
                [(feed_id, key, article_id, iso(now)) for key, article_id in items],
            )

    async def feed_polled(
        self,
        feed_id: int,
        now: datetime,
        next_poll_at: datetime,
        *,
        title: str | None = None,
        kind: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        new_articles: int = 0,
    ) -> None:
        """A successful poll (new items or a 304): the failure counters reset."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE feeds SET state = 'ok', error = NULL, failures = 0, gone = 0, last_poll_at = ?, "
                "next_poll_at = ?, title = coalesce(?, title), kind = coalesce(?, kind), "
                "etag = coalesce(?, etag), last_modified = coalesce(?, last_modified), "
                "articles = articles + ?, last_item_at = CASE WHEN ? > 0 THEN ? ELSE last_item_at END "
                "WHERE id = ? AND state <> 'paused'",
                (
                    iso(now),
                    iso(next_poll_at),
                    title,
                    kind,
                    etag,
                    last_modified,
                    new_articles,
                    new_articles,
                    iso(now),
                    feed_id,
                ),
            )

    async def feed_failed(
        self, feed_id: int, now: datetime, next_poll_at: datetime, *, state: str, error: str, gone: bool = False
    ) -> FeedRow | None:
        """A failed poll: the failure is counted (and a 404/410 separately); `state` 'paused' stops polling."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE feeds SET state = ?, error = ?, failures = failures + 1, "
                "gone = CASE WHEN ? <> 0 THEN gone + 1 ELSE 0 END, last_poll_at = ?, next_poll_at = ? WHERE id = ?",
                (state, error[:300], int(gone), iso(now), iso(next_poll_at), feed_id),
            )
        return await self.feed_by_id(feed_id)
