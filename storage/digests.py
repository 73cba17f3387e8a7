"""Digests: subscriptions, the per-chat watermark, and the claims that make each digest go out exactly once.

How a digest goes out (the handlers drive it; every step here is one short BEGIN IMMEDIATE transaction, so two
processes on the same file, or two jobs in one, are serialised by SQLite itself):

1. `claim_digest`: check that no other digest of the chat is in flight (one live claim per chat, enforced by a
   partial unique index), that the watermark is still the one the content was computed from, and that every
   subscription being served is still due at the instant it was read with (compare-and-set on `next_due_at`);
   then insert the claim (the rendered parts, the article range, a lease) and advance those subscriptions.
2. `record_part`: after Telegram accepted a part, remember its message id and extend the lease, but only while
   the claim is still ours; if another worker took it over, stop sending.
3. `finish_digest`: mark the claim sent and move the watermark to the last article covered.

A crash after Telegram accepted a part and before `record_part` committed sends that one part again; a crash
anywhere else sends nothing twice, and no article is skipped: the watermark only moves in step 3. A claim whose
lease ran out is taken over by the next run (`take_over_claim`), which sends only the parts not yet recorded.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from storage.base import Conn, RepositoryBase, Row, Source, iso, parse_iso, utcnow


@dataclass(frozen=True, slots=True)
class SubscriptionRow:
    id: int
    chat_id: int
    kind: str  # daily | weekly | every
    at_minute: int | None
    weekday: int | None
    every_hours: int | None
    next_due_at: datetime
    paused: bool
    paused_reason: str | None
    created_at: datetime
    filter: str | None = None  # JSON of a digest filter (usecases.digest_filter); None: every article
    watermark: int | None = None  # a filtered subscription's own last article covered

    @classmethod
    def from_row(cls, row: Row) -> SubscriptionRow:
        return cls(
            id=row["id"],
            chat_id=row["chat_id"],
            kind=row["kind"],
            at_minute=row["at_minute"],
            weekday=row["weekday"],
            every_hours=row["every_hours"],
            next_due_at=parse_iso(row["next_due_at"]),
            paused=bool(row["paused"]),
            paused_reason=row["paused_reason"],
            created_at=parse_iso(row["created_at"]),
            filter=row["filter"],
            watermark=row["watermark"],
        )


@dataclass(frozen=True, slots=True)
class DigestState:
    """A chat's place in its stream of digests."""

    chat_id: int
    timezone: str
    lang: str | None
    watermark: int | None  # the last article id a delivered digest covered; None: never had one
    last_digest_at: datetime | None
    empty_digest: bool


@dataclass(frozen=True, slots=True)
class DigestArticle:
    """An article as a digest shows it."""

    id: int
    number: int
    title: str | None
    source: Source
    status: str
    ingested_at: datetime
    source_count: int
    quote_count: int
    event_count: int


@dataclass(frozen=True, slots=True)
class Claim:
    id: int
    chat_id: int
    trigger: str
    slot_at: datetime | None
    claimed_by: str
    lease_until: datetime
    attempts: int
    after_article: int
    upto_article: int
    article_count: int
    parts: tuple[str, ...]
    message_ids: tuple[int, ...]

    @property
    def remaining(self) -> tuple[str, ...]:
        return self.parts[len(self.message_ids) :]

    @classmethod
    def from_row(cls, row: Row) -> Claim:
        return cls(
            id=row["id"],
            chat_id=row["chat_id"],
            trigger=row["trigger"],
            slot_at=parse_iso(row["slot_at"]) if row["slot_at"] else None,
            claimed_by=row["claimed_by"],
            lease_until=parse_iso(row["lease_until"]),
            attempts=row["attempts"],
            after_article=row["after_article"],
            upto_article=row["upto_article"],
            article_count=row["article_count"],
            parts=tuple(json.loads(row["parts"])),
            message_ids=tuple(json.loads(row["message_ids"])),
        )


ClaimStatus = Literal["claimed", "busy", "stale", "nothing"]


@dataclass(frozen=True, slots=True)
class ClaimResult:
    """What `claim_digest` did: claimed (`claim` set); busy (another digest of the chat is in flight until
    `busy_until`); stale (the watermark or a schedule changed since the content was computed: compute again);
    nothing (no parts to send: the subscriptions were advanced and that is all)."""

    status: ClaimStatus
    claim: Claim | None = None
    busy_until: datetime | None = None


@dataclass(frozen=True, slots=True)
class TakeOver:
    """What `take_over_claim` found: nothing in flight (`claim` None, `busy_until` None), a live claim held by
    someone (`busy_until`), or an abandoned claim now ours to finish (`claim`). `dropped`: an abandoned claim
    none of whose parts had gone out was closed; its articles are still uncovered and need a new digest."""

    claim: Claim | None = None
    busy_until: datetime | None = None
    dropped: bool = False


class _Rollback(Exception):
    def __init__(self, result: ClaimResult) -> None:
        super().__init__(result.status)
        self.result = result


_SUBSCRIPTION_COLUMNS = (
    "id, chat_id, kind, at_minute, weekday, every_hours, next_due_at, paused, paused_reason, created_at, filter, "
    "watermark"
)
_CLAIM_COLUMNS = (
    "id, chat_id, trigger, slot_at, claimed_by, lease_until, attempts, after_article, upto_article, "
    "article_count, parts, message_ids"
)
MAX_SUBSCRIPTIONS_PER_CHAT = 10


class TooManySubscriptions(Exception):
    pass


class DigestQueries(RepositoryBase):
    # -- chat settings ---------------------------------------------------------------------------------------

    async def digest_state(self, chat_id: int) -> DigestState:
        row = await self._one(
            "SELECT timezone, lang, digest_watermark, last_digest_at, empty_digest FROM chats WHERE id = ?",
            (chat_id,),
        )
        if row is None:
            return DigestState(chat_id, "UTC", None, None, None, False)
        return DigestState(
            chat_id,
            row["timezone"],
            row["lang"],
            row["digest_watermark"],
            parse_iso(row["last_digest_at"]) if row["last_digest_at"] else None,
            bool(row["empty_digest"]),
        )

    async def set_empty_digest(self, chat_id: int, on: bool) -> None:
        async with self.db.transaction(chats=[chat_id]) as conn:
            await _ensure_chat(conn, chat_id, None)
            await conn.execute("UPDATE chats SET empty_digest = ? WHERE id = ?", (int(on), chat_id))

    async def set_timezone(self, chat_id: int, timezone: str, next_due: Mapping[int, datetime], now: datetime) -> None:
        """Change the chat's zone and, in the same transaction, the next due instants it implies."""
        async with self.db.transaction(chats=[chat_id]) as conn:
            await _ensure_chat(conn, chat_id, now)
            await conn.execute("UPDATE chats SET timezone = ? WHERE id = ?", (timezone, chat_id))
            await conn.executemany(
                "UPDATE subscriptions SET next_due_at = ? WHERE id = ? AND chat_id = ?",
                [(iso(due), sub_id, chat_id) for sub_id, due in next_due.items()],
            )

    # -- subscriptions ---------------------------------------------------------------------------------------

    async def subscriptions(self, chat_id: int) -> list[SubscriptionRow]:
        """The chat's subscriptions in the order they were made (their numbers in /subscriptions)."""
        rows = await self._all(
            f"SELECT {_SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE chat_id = ? ORDER BY id", (chat_id,)
        )
        return [SubscriptionRow.from_row(r) for r in rows]

    async def subscription(self, chat_id: int, subscription_id: int) -> SubscriptionRow | None:
        row = await self._one(
            f"SELECT {_SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE chat_id = ? AND id = ?",
            (chat_id, subscription_id),
        )
        return SubscriptionRow.from_row(row) if row else None

    async def active_subscriptions(self) -> list[SubscriptionRow]:
        """Every subscription that is not paused, soonest first: what the scheduler rebuilds at start-up."""
        rows = await self._all(
            f"SELECT {_SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE paused = 0 ORDER BY next_due_at, id"
        )
        return [SubscriptionRow.from_row(r) for r in rows]

    async def upsert_subscription(
        self,
        chat_id: int,
        *,
        kind: str,
        at_minute: int | None,
        weekday: int | None,
        every_hours: int | None,
        next_due: datetime,
        now: datetime,
        timezone: str | None,
        zone_due: Mapping[int, datetime] | None = None,
        start_watermark: int | None = None,
        filter: str | None = None,
    ) -> tuple[SubscriptionRow, bool]:
        """Subscribe (or, for a schedule the chat already has, resume it and recompute its next instant).

        `timezone`, when given, becomes the chat's zone, and `zone_due` the chat's other subscriptions' next
        instants in it. `start_watermark`: where the stream starts when the chat had no subscription left
        running; the watermark only ever moves forward. A subscription with a `filter` keeps its own watermark,
        starting at `start_watermark`, and leaves the chat's alone. Returns (subscription, created).
        """
        async with self.db.transaction(chats=[chat_id]) as conn:
            await _ensure_chat(conn, chat_id, now)
            if timezone is not None:
                await conn.execute("UPDATE chats SET timezone = ? WHERE id = ?", (timezone, chat_id))
                await conn.executemany(
                    "UPDATE subscriptions SET next_due_at = ? WHERE id = ? AND chat_id = ?",
                    [(iso(due), sub_id, chat_id) for sub_id, due in (zone_due or {}).items()],
                )
            if start_watermark is not None and filter is None:
                await conn.execute(
                    f"UPDATE chats SET digest_watermark = {self.db.greatest('coalesce(digest_watermark, 0)', '?')} "
                    "WHERE id = ?",
                    (start_watermark, chat_id),
                )
            async with conn.execute(
                "SELECT id FROM subscriptions WHERE chat_id = ? AND kind = ? AND coalesce(at_minute, -1) = ? "
                "AND coalesce(weekday, -1) = ? AND coalesce(every_hours, -1) = ? AND coalesce(filter, '') = ?",
                (chat_id, kind, _or(at_minute), _or(weekday), _or(every_hours), filter or ""),
            ) as cur:
                existing = await cur.fetchone()
            if existing is not None:
                sub_id, created = int(existing[0]), False
                await conn.execute(
                    "UPDATE subscriptions SET next_due_at = ?, paused = 0, paused_reason = NULL, paused_at = NULL "
                    "WHERE id = ?",
                    (iso(next_due), sub_id),
                )
            else:
                async with conn.execute("SELECT count(*) FROM subscriptions WHERE chat_id = ?", (chat_id,)) as cur:
                    count_row = await cur.fetchone()
                if count_row is not None and count_row[0] >= MAX_SUBSCRIPTIONS_PER_CHAT:
                    raise TooManySubscriptions()
                async with conn.execute(
                    "INSERT INTO subscriptions (chat_id, kind, at_minute, weekday, every_hours, next_due_at, "
                    "created_at, filter, watermark) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    (
                        chat_id,
                        kind,
                        at_minute,
                        weekday,
                        every_hours,
                        iso(next_due),
                        iso(now),
                        filter,
                        start_watermark if filter is not None else None,
                    ),
                ) as cur:
                    id_row = await cur.fetchone()
                assert id_row is not None
                sub_id, created = int(id_row[0]), True
        row = await self.subscription(chat_id, sub_id)
        assert row is not None
        return row, created

    async def delete_subscriptions(self, chat_id: int, subscription_id: int | None = None) -> list[SubscriptionRow]:
        """Remove one subscription of the chat, or all of them; returns what was removed."""
        removed = [s for s in await self.subscriptions(chat_id) if subscription_id in (None, s.id)]
        if not removed:
            return []
        async with self.db.transaction(chats=[chat_id]) as conn:
            await conn.executemany(
                "DELETE FROM subscriptions WHERE chat_id = ? AND id = ?", [(chat_id, s.id) for s in removed]
            )
        return removed

    async def pause_subscriptions(self, chat_id: int, reason: str, now: datetime) -> int:
        async with self.db.transaction(chats=[chat_id]) as conn:
            return await _pause(conn, chat_id, reason, now)

    async def has_paused_subscriptions(self, chat_id: int) -> bool:
        # Asked before every update's handler: by key, on the loop's thread.
        row = await self._one_by_key("SELECT 1 FROM subscriptions WHERE chat_id = ? AND paused = 1 LIMIT 1", (chat_id,))
        return row is not None

    async def resume_subscriptions(self, chat_id: int, next_due: Mapping[int, datetime]) -> list[SubscriptionRow]:
        """Resume the given paused subscriptions at their new next instants; returns those resumed."""
        async with self.db.transaction(chats=[chat_id]) as conn:
            resumed: list[int] = []
            for sub_id, due in next_due.items():
                cur = await conn.execute(
                    "UPDATE subscriptions SET paused = 0, paused_reason = NULL, paused_at = NULL, next_due_at = ? "
                    "WHERE id = ? AND chat_id = ? AND paused = 1",
                    (iso(due), sub_id, chat_id),
                )
                if cur.rowcount:
                    resumed.append(sub_id)
        return [s for s in await self.subscriptions(chat_id) if s.id in resumed]

    # -- what a digest covers --------------------------------------------------------------------------------

    async def article_id_before(self, chat_id: int, moment: datetime) -> int:
        """The last article id the chat had stored before `moment` (0 if none): where a new stream starts."""
        row = await self._one(
            "SELECT max(id) FROM articles WHERE chat_id = ? AND ingested_at < ?", (chat_id, iso(moment))
        )
        return int(row[0]) if row and row[0] is not None else 0

    async def digest_range(self, chat_id: int, after: int, *, settled_before: datetime) -> tuple[int, int]:
        """(the last article id the next digest can cover, how many articles that is) for articles after
        `after`. An article still being analysed stops the range just before it, so it is not skipped: it comes
        in the next digest. Analyses older than `settled_before` no longer hold the range (a worker that died)."""
        blocker = await self._one(
            "SELECT min(id) FROM articles WHERE chat_id = ? AND id > ? AND status = 'pending' AND ingested_at >= ?",
            (chat_id, after, iso(settled_before)),
        )
        limit = int(blocker[0]) - 1 if blocker and blocker[0] is not None else None
        row = await self._one(
            "SELECT max(id), count(*) FROM articles WHERE chat_id = ? AND id > ? AND id <= ?",
            (chat_id, after, limit if limit is not None else 2**62),
        )
        if row is None or row[0] is None:
            return after, 0
        return int(row[0]), int(row[1])

    async def digest_articles(self, chat_id: int, after: int, upto: int) -> list[DigestArticle]:
        """The articles in (after, upto], oldest first, with what ranks them."""
        rows = await self._all(
            "SELECT a.id, a.number, a.title, a.source_kind, a.source_name, a.source_url, a.status, a.ingested_at, "
            "(SELECT count(*) FROM article_sources s WHERE s.article_id = a.id), "
            "(SELECT count(*) FROM quotes q WHERE q.article_id = a.id AND q.speaker IS NOT NULL), "
            "(SELECT count(*) FROM events e WHERE e.article_id = a.id) "
            "FROM articles a WHERE a.chat_id = ? AND a.id > ? AND a.id <= ? ORDER BY a.id",
            (chat_id, after, upto),
        )
        return [
            DigestArticle(
                id=r[0],
                number=r[1],
                title=r[2],
                source=Source(r[3], r[4], r[5]),
                status=r[6],
                ingested_at=parse_iso(r[7]),
                source_count=r[8],
                quote_count=r[9],
                event_count=r[10],
            )
            for r in rows
        ]

    async def top_event(self, chat_id: int, article_id: int) -> tuple[str, str] | None:
        """(label, text) of an article's first dated event in time order."""
        row = await self._one(
            "SELECT label, text FROM events WHERE article_id = ? AND chat_id = ? ORDER BY sort_key, id LIMIT 1",
            (article_id, chat_id),
        )
        return (row[0], row[1]) if row else None

    # -- claims ----------------------------------------------------------------------------------------------

    async def live_claim(self, chat_id: int) -> Claim | None:
        row = await self._one(
            f"SELECT {_CLAIM_COLUMNS} FROM digests WHERE chat_id = ? AND status = 'claimed'", (chat_id,)
        )
        return Claim.from_row(row) if row else None

    async def claims_in_flight(self) -> list[Claim]:
        """Every claim not yet finished (after a crash: what start-up must finish)."""
        rows = await self._all(f"SELECT {_CLAIM_COLUMNS} FROM digests WHERE status = 'claimed' ORDER BY id")
        return [Claim.from_row(r) for r in rows]

    async def claim_digest(
        self,
        chat_id: int,
        *,
        worker: str,
        now: datetime,
        lease: timedelta,
        trigger: str,
        after: int,
        expected_watermark: int | None,
        upto: int,
        article_count: int,
        parts: Sequence[str],
        advance: Mapping[int, tuple[datetime, datetime]] = {},  # never mutated
        slot_at: datetime | None = None,
        subscription_id: int | None = None,
    ) -> ClaimResult:
        """Claim the chat's next digest (see the module notes): the articles in (`after`, `upto`], computed
        while the watermark was `expected_watermark`. `advance` maps subscription id → (the next_due_at it was
        read with, the next_due_at to store); `parts` empty: nothing to send, only the advance. With
        `subscription_id` the digest serves that filtered subscription: its own watermark is the one checked
        (and, when nothing matched, moved past the articles looked at)."""
        try:
            async with self.db.transaction(chats=[chat_id]) as conn:
                async with conn.execute(
                    "SELECT lease_until FROM digests WHERE chat_id = ? AND status = 'claimed'", (chat_id,)
                ) as cur:
                    live = await cur.fetchone()
                if live is not None:
                    raise _Rollback(ClaimResult("busy", busy_until=parse_iso(live[0])))
                key: tuple[int, ...]
                if subscription_id is None:
                    watermark_sql, key = "SELECT digest_watermark FROM chats WHERE id = ?", (chat_id,)
                else:
                    watermark_sql = "SELECT watermark FROM subscriptions WHERE id = ? AND chat_id = ?"
                    key = (subscription_id, chat_id)
                async with conn.execute(watermark_sql, key) as cur:
                    chat = await cur.fetchone()
                if chat is None or chat[0] != expected_watermark:
                    raise _Rollback(ClaimResult("stale"))
                for sub_id, (seen, due) in advance.items():
                    cur = await conn.execute(
                        "UPDATE subscriptions SET next_due_at = ? WHERE id = ? AND chat_id = ? AND next_due_at = ? "
                        "AND paused = 0",
                        (iso(due), sub_id, chat_id, iso(seen)),
                    )
                    if cur.rowcount != 1:
                        raise _Rollback(ClaimResult("stale"))
                if not parts:
                    if subscription_id is not None and upto > after:  # none matched: do not read them again
                        await conn.execute(
                            f"UPDATE subscriptions SET watermark = {self.db.greatest('coalesce(watermark, 0)', '?')} "
                            "WHERE id = ?",
                            (upto, subscription_id),
                        )
                    return ClaimResult("nothing")
                async with conn.execute(
                    "INSERT INTO digests (chat_id, trigger, slot_at, claimed_by, claimed_at, lease_until, "
                    "after_article, upto_article, article_count, parts, subscription_id) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    f"RETURNING {_CLAIM_COLUMNS}",
                    (
                        chat_id,
                        trigger,
                        iso(slot_at) if slot_at else None,
                        worker,
                        iso(now),
                        _precise(now + lease),
                        after,
                        max(upto, after),
                        article_count,
                        json.dumps(list(parts), ensure_ascii=False),
                        subscription_id,
                    ),
                ) as cur:
                    row = await cur.fetchone()
                assert row is not None
                return ClaimResult("claimed", claim=Claim.from_row(row))
        except _Rollback as rollback:
            return rollback.result

    async def take_over_claim(
        self,
        chat_id: int,
        *,
        worker: str,
        now: datetime,
        lease: timedelta,
        holder_gone: Callable[[str], bool] = lambda holder: False,
    ) -> TakeOver:
        """Look at the chat's digest in flight. A live lease (anyone's, ours included: a sibling task may be
        sending it) means busy, unless `holder_gone` knows its holder ended (a killed process of this machine).
        An expired or orphaned one is abandoned: if none of its parts went out it is dropped (the next claim
        covers the same articles and more); otherwise it becomes ours, to send what is missing."""
        async with self.db.transaction(chats=[chat_id]) as conn:
            # The row stays locked: a sender still recording a part waits, then finds the claim no longer its.
            async with conn.execute(
                f"SELECT {_CLAIM_COLUMNS} FROM digests WHERE chat_id = ? AND status = 'claimed'{self.db.row_lock()}",
                (chat_id,),
            ) as cur:
                row = await cur.fetchone()
            if row is None:
                return TakeOver()
            claim = Claim.from_row(row)
            if claim.lease_until > now and not holder_gone(claim.claimed_by):
                return TakeOver(busy_until=claim.lease_until)
            if not claim.message_ids:
                await conn.execute(
                    "UPDATE digests SET status = 'abandoned', finished_at = ? WHERE id = ?", (iso(now), claim.id)
                )
                return TakeOver(dropped=True)
            async with conn.execute(
                "UPDATE digests SET claimed_by = ?, lease_until = ?, attempts = attempts + 1 WHERE id = ? "
                f"RETURNING {_CLAIM_COLUMNS}",
                (worker, _precise(now + lease), claim.id),
            ) as cur:
                taken = await cur.fetchone()
            assert taken is not None
            return TakeOver(claim=Claim.from_row(taken))

    async def record_part(
        self, claim_id: int, *, worker: str, message_id: int, now: datetime, lease: timedelta
    ) -> bool:
        """Telegram accepted the next part: remember its id and extend the lease. False: the claim is no
        longer ours (it was taken over after our lease ran out), so stop sending."""
        async with self.db.transaction() as conn:
            async with conn.execute(
                "SELECT message_ids FROM digests WHERE id = ? AND status = 'claimed' AND claimed_by = ?"
                f"{self.db.row_lock()}",  # read, add to and write back: the row is ours meanwhile
                (claim_id, worker),
            ) as cur:
                row = await cur.fetchone()
            if row is None:
                return False
            ids = [*json.loads(row[0]), message_id]
            await conn.execute(
                "UPDATE digests SET message_ids = ?, lease_until = ? WHERE id = ?",
                (json.dumps(ids), _precise(now + lease), claim_id),
            )
            return True

    async def extend_lease(self, claim_id: int, *, worker: str, now: datetime, lease: timedelta) -> bool:
        """The sender is alive (a send is waiting out a flood limit): keep the claim. False: it is not ours."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE digests SET lease_until = ? WHERE id = ? AND status = 'claimed' AND claimed_by = ?",
                (_precise(now + lease), claim_id, worker),
            )
            return cur.rowcount == 1

    async def finish_digest(self, claim_id: int, *, worker: str, now: datetime) -> bool:
        """Every part was accepted: the claim is sent and the watermark moves past what it covered."""
        async with self.db.transaction() as conn:
            async with conn.execute(
                "UPDATE digests SET status = 'sent', finished_at = ?, error = NULL "
                "WHERE id = ? AND status = 'claimed' AND claimed_by = ? RETURNING chat_id, upto_article, "
                "subscription_id",
                (iso(now), claim_id, worker),
            ) as cur:
                row = await cur.fetchone()
            if row is None:
                return False
            if row[2] is not None:  # a filtered subscription's digest: its own watermark moves
                await conn.execute(
                    f"UPDATE subscriptions SET watermark = {self.db.greatest('coalesce(watermark, 0)', '?')} "
                    "WHERE id = ?",
                    (row[1], row[2]),
                )
                await conn.execute("UPDATE chats SET last_digest_at = ? WHERE id = ?", (iso(now), row[0]))
                return True
            await conn.execute(
                f"UPDATE chats SET digest_watermark = {self.db.greatest('coalesce(digest_watermark, 0)', '?')}, "
                "last_digest_at = ? WHERE id = ?",
                (row[1], iso(now), row[0]),
            )
            return True

    async def release_claim(self, claim_id: int, *, worker: str, now: datetime, error: str) -> None:
        """Sending failed for now (Telegram unreachable): keep the claim and its progress, let the lease go, so
        the next run resumes it at once."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE digests SET lease_until = ?, error = ? WHERE id = ? AND status = 'claimed' AND claimed_by = ?",
                (_precise(now), error[:500], claim_id, worker),
            )

    async def fail_claim(
        self, claim_id: int, *, worker: str, now: datetime, error: str, pause_reason: str | None = None
    ) -> int:
        """The digest cannot be delivered: it is closed as failed and the watermark stays, so its articles
        come in the chat's next digest. With `pause_reason` (the chat blocked the bot, or is gone) the chat's
        subscriptions are paused in the same transaction; returns how many."""
        async with self.db.transaction() as conn:
            async with conn.execute(
                "UPDATE digests SET status = 'failed', finished_at = ?, error = ? "
                "WHERE id = ? AND status = 'claimed' AND claimed_by = ? RETURNING chat_id",
                (iso(now), error[:500], claim_id, worker),
            ) as cur:
                row = await cur.fetchone()
            if row is None or pause_reason is None:
                return 0
            return await _pause(conn, int(row[0]), pause_reason, now)

    async def digest_history(self, chat_id: int, limit: int = 20) -> list[dict[str, object]]:
        """The chat's latest digests, newest first, as stored (for tests and inspection)."""
        rows = await self._all(
            "SELECT id, trigger, slot_at, status, claimed_at, finished_at, after_article, upto_article, article_count, "
            "parts, message_ids, attempts, error FROM digests WHERE chat_id = ? ORDER BY id DESC LIMIT ?",
            (chat_id, limit),
        )
        return [dict(r) for r in rows]


async def _ensure_chat(conn: Conn, chat_id: int, now: datetime | None) -> None:
    await conn.execute(
        "INSERT INTO chats (id, created_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
        (chat_id, iso(now or utcnow())),
    )


async def _pause(conn: Conn, chat_id: int, reason: str, now: datetime) -> int:
    cur = await conn.execute(
        "UPDATE subscriptions SET paused = 1, paused_reason = ?, paused_at = ? WHERE chat_id = ? AND paused = 0",
        (reason, iso(now), chat_id),
    )
    return cur.rowcount


def _precise(moment: datetime) -> str:
    """A lease instant to the millisecond (`iso` keeps whole seconds, too coarse for short leases)."""
    return iso(moment)[:-6] + moment.astimezone(UTC).strftime(".%f")[:4] + "+00:00"


def _or(value: int | None) -> int:
    return -1 if value is None else value
