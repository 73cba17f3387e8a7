"""The update inbox and the answers articles still owe (see migration 005)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from storage.base import RepositoryBase, iso, utcnow


@dataclass(frozen=True, slots=True)
class StoredUpdate:
    update_id: int
    body: str  # JSON
    attempts: int


@dataclass(frozen=True, slots=True)
class FirstArrival:
    message_id: int
    answered: bool  # Telegram accepted its card


@dataclass(frozen=True, slots=True)
class OwedAnswer:
    """An article whose arrival has not been answered yet: the card goes to `chat_id` in reply to `message_id`."""

    article_id: int
    chat_id: int
    message_id: int


class InboxQueries(RepositoryBase):
    # -- updates -------------------------------------------------------------------------------------

    async def receive_update(self, update_id: int, body: str) -> bool:
        """Commit an update as it arrives. False when it was already processed to the end (Telegram delivered
        it again); True when it is to be processed (new, or stored and not finished)."""
        async with (
            self.db.transaction(urgent=True) as conn,
            conn.execute(
                "INSERT INTO inbox (update_id, body, received_at) VALUES (?, ?, ?) "
                "ON CONFLICT (update_id) DO UPDATE SET update_id = excluded.update_id RETURNING done_at",
                (update_id, body, iso(utcnow())),
            ) as cur,
        ):
            row = await cur.fetchone()
        return row is None or row[0] is None

    async def receive_updates(self, updates: Sequence[tuple[int, str]]) -> list[bool]:
        """`receive_update` for several updates (update_id, JSON) in one transaction, in order."""
        fresh = []
        async with self.db.transaction(urgent=True) as conn:
            for update_id, body in updates:
                async with conn.execute(
                    "INSERT INTO inbox (update_id, body, received_at) VALUES (?, ?, ?) "
                    "ON CONFLICT (update_id) DO UPDATE SET update_id = excluded.update_id RETURNING done_at",
                    (update_id, body, iso(utcnow())),
                ) as cur:
                    row = await cur.fetchone()
                fresh.append(row is None or row[0] is None)
        return fresh

    async def finish_update(self, update_id: int) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE inbox SET done_at = ? WHERE update_id = ? AND done_at IS NULL", (iso(utcnow()), update_id)
            )

    async def unfinished_updates(self, limit: int = 10_000) -> list[StoredUpdate]:
        rows = await self._all(
            "SELECT update_id, body, attempts FROM inbox WHERE done_at IS NULL ORDER BY update_id LIMIT ?", (limit,)
        )
        return [StoredUpdate(int(r[0]), str(r[1]), int(r[2])) for r in rows]

    async def count_update_attempt(self, update_id: int) -> None:
        async with self.db.transaction() as conn:
            await conn.execute("UPDATE inbox SET attempts = attempts + 1 WHERE update_id = ?", (update_id,))

    async def prune_updates(self, done_before: datetime) -> int:
        """Forget finished updates older than `done_before` (Telegram stops redelivering long before)."""
        async with self.db.transaction() as conn:
            cur = await conn.execute("DELETE FROM inbox WHERE done_at IS NOT NULL AND done_at < ?", (iso(done_before),))
            return int(cur.rowcount)

    # -- answers -------------------------------------------------------------------------------------

    async def first_arrival(self, article_id: int) -> FirstArrival | None:
        """The message the article first arrived with, and whether it was answered; None when it has none."""
        row = await self._one("SELECT message_id, awaiting_answer FROM articles WHERE id = ?", (article_id,))
        if row is None or row[0] is None:
            return None
        return FirstArrival(int(row[0]), answered=not row[1])

    async def mark_answered(self, article_id: int, chat_id: int, reply_ids: Sequence[int], *, first: bool) -> None:
        """Telegram accepted the answer to an arrival (its messages `reply_ids`): they stand for the article
        from now on, and when it answered the article's first arrival, that is no longer owed. Urgent: until
        this commits, a crash would send the card again."""
        async with self.db.transaction(urgent=True, chats=[chat_id]) as conn:
            if first:
                await conn.execute(
                    "UPDATE articles SET awaiting_answer = 0 WHERE id = ? AND awaiting_answer = 1", (article_id,)
                )
            await conn.executemany(
                "INSERT INTO message_refs (chat_id, message_id, article_id) "
                "SELECT ?, ?, id FROM articles WHERE id = ? AND chat_id = ? ON CONFLICT DO NOTHING",
                [(chat_id, m, article_id, chat_id) for m in reply_ids],
            )

    async def owed_answers(self, limit: int = 10_000) -> list[OwedAnswer]:
        rows = await self._all(
            "SELECT id, chat_id, message_id FROM articles WHERE awaiting_answer = 1 ORDER BY id LIMIT ?", (limit,)
        )
        return [OwedAnswer(int(r[0]), int(r[1]), int(r[2])) for r in rows]
