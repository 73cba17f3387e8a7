"""The update inbox and the answers articles still owe (see migration 005)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from storage.base import Conn, RepositoryBase, iso, utcnow


@dataclass(frozen=True, slots=True)
class StoredUpdate:
    update_id: int
    body: str  # JSON
    attempts: int
    chat_id: int = 0


@dataclass(frozen=True, slots=True)
class Received:
    fresh: bool  # to be processed (False: it was processed to the end before)
    mine: bool  # this process holds the update's chat (it claimed it in the same transaction, or held it)


@dataclass(frozen=True, slots=True)
class ClaimTerms:
    """Who claims a chat, until when, at what time; and a holder known to be gone, whose claims are free."""

    worker: str
    now: datetime
    until: datetime
    replacing: str | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    chat_id: int
    claimed_by: str
    lease_until: str  # lease_iso


@dataclass(frozen=True, slots=True)
class Waiting:
    """An unfinished update, and who holds its chat (None: nobody)."""

    update_id: int
    chat_id: int
    claimed_by: str | None
    lease_until: str | None


# Signalled when processes should look at the inbox: with the chats whose holders have updates to process (the
# other processes need not look), or with none when everyone should.
INBOX_CHANNEL = "precis_inbox"
KEY_READ_MOST = 500  # a chat's unfinished update ids read on the loop's thread; more are read on a reader's


class _KeepChat(Exception):
    """Rolls a release back: the chat has an update to process after all."""


def lease_iso(moment: datetime) -> str:
    """A lease's time as stored: UTC, to the millisecond, so that stored times compare as text."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


async def _claim(conn: Conn, chat_id: int, claim: ClaimTerms) -> bool:
    async with conn.execute(
        "INSERT INTO chat_claims (chat_id, claimed_by, lease_until) VALUES (?1, ?2, ?3) "
        "ON CONFLICT (chat_id) DO UPDATE SET claimed_by = excluded.claimed_by, lease_until = excluded.lease_until "
        "WHERE chat_claims.claimed_by = ?2 OR chat_claims.claimed_by = ?4 OR chat_claims.lease_until < ?5 "
        "RETURNING chat_id",
        (chat_id, claim.worker, lease_iso(claim.until), claim.replacing or "", lease_iso(claim.now)),
    ) as cur:
        return await cur.fetchone() is not None


async def receive_in(conn: Conn, updates: Sequence[tuple[int, int, str]], claim: ClaimTerms | None) -> list[Received]:
    """Updates (update_id, chat_id, JSON) committed in the caller's transaction, and the chat of each update
    still to be processed claimed when nobody holds it. A constant number of statements whatever the batch's
    size: every statement is a round trip to the connection, and a command arriving behind a burst waits for
    the whole batch to be committed."""
    ids = [update_id for update_id, _, _ in updates]
    done: set[int] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        async with conn.execute(
            f"SELECT update_id FROM inbox WHERE update_id IN ({', '.join('?' * len(chunk))}) AND done_at IS NOT NULL",
            chunk,
        ) as cur:
            done.update(int(row[0]) for row in await cur.fetchall())
    at = iso(utcnow())
    await conn.executemany(
        "INSERT INTO inbox (update_id, chat_id, body, received_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (update_id) DO NOTHING",
        [(update_id, chat_id, body, at) for update_id, chat_id, body in updates],
    )
    # A chat is claimed once per batch (the claim of one update of the chat stands for the others).
    mine: dict[int, bool] = {}
    if claim is not None:
        for update_id, chat_id, _ in updates:
            if update_id not in done and chat_id not in mine:
                mine[chat_id] = await _claim(conn, chat_id, claim)
    return [Received(u not in done, u not in done and mine.get(c, False)) for u, c, _ in updates]


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


async def owe_answer(conn: Conn, chat_id: int, message_id: int, article_id: int) -> None:
    """Record, in the caller's transaction, that the arrival `message_id` of a stored article owes its answer
    (unless it is the article's first arrival, which `awaiting_answer` stands for)."""
    await conn.execute(
        "INSERT INTO answers_owed (chat_id, message_id, article_id) SELECT ?1, ?2, id FROM articles "
        "WHERE id = ?3 AND chat_id = ?1 AND (message_id IS NULL OR message_id <> ?2) ON CONFLICT DO NOTHING",
        (chat_id, message_id, article_id),
    )


class InboxQueries(RepositoryBase):
    # -- updates -------------------------------------------------------------------------------------

    async def receive_update(self, update_id: int, body: str, chat_id: int = 0) -> bool:
        """Commit an update as it arrives. False when it was already processed to the end (Telegram delivered
        it again); True when it is to be processed (new, or stored and not finished)."""
        (received,) = await self.receive_updates([(update_id, chat_id, body)])
        return received.fresh

    async def receive_updates(
        self, updates: Sequence[tuple[int, int, str]], claim: ClaimTerms | None = None
    ) -> list[Received]:
        """Commit updates (update_id, chat_id, JSON) as they arrive, in one transaction, in order. With `claim`,
        the chat of each update still to be processed is claimed for that process in the same transaction
        when nobody else holds it: `Received.mine` says whether the process now holds the update's chat."""
        async with self.db.transaction(urgent=True) as conn:
            received = await receive_in(conn, updates, claim)
            left = sorted({u[1] for u, r in zip(updates, received, strict=True) if r.fresh and not r.mine})
            if claim is not None and left:  # the chats' holders: updates of yours are in
                await self.db.signal(conn, INBOX_CHANNEL, ",".join(map(str, left)))
            return received

    async def finish_update(self, update_id: int) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE inbox SET done_at = ? WHERE update_id = ? AND done_at IS NULL", (iso(utcnow()), update_id)
            )

    async def unfinished_updates(self, chat_id: int | None = None, limit: int = 10_000) -> list[StoredUpdate]:
        """Updates not processed to the end, oldest first: every chat's, or one chat's."""
        where = "" if chat_id is None else " AND chat_id = ?"
        rows = await self._all(
            f"SELECT update_id, body, attempts, chat_id FROM inbox WHERE done_at IS NULL{where} "
            "ORDER BY update_id LIMIT ?",
            (limit,) if chat_id is None else (chat_id, limit),
        )
        return [StoredUpdate(int(r[0]), str(r[1]), int(r[2]), int(r[3])) for r in rows]

    async def unfinished_update_ids(self, chat_id: int) -> list[int]:
        # Read for every update taken in (a chat's older updates come first): by key, on the loop's thread,
        # unless the chat has a backlog, which is read on a reader's thread rather than stall every chat.
        sql = "SELECT update_id FROM inbox WHERE chat_id = ? AND done_at IS NULL ORDER BY update_id"
        rows = await self._all_by_key(sql + " LIMIT ?", (chat_id, KEY_READ_MOST + 1))
        if len(rows) > KEY_READ_MOST:
            rows = await self._all(sql, (chat_id,))
        return [int(r[0]) for r in rows]

    async def updates_by_id(self, update_ids: Sequence[int]) -> list[StoredUpdate]:
        """The stored updates with these ids that are still unfinished, oldest first."""
        found: list[StoredUpdate] = []
        for start in range(0, len(update_ids), 500):
            chunk = list(update_ids[start : start + 500])
            rows = await self._all(
                "SELECT update_id, body, attempts, chat_id FROM inbox "
                f"WHERE update_id IN ({', '.join('?' * len(chunk))}) AND done_at IS NULL",
                chunk,
            )
            found.extend(StoredUpdate(int(r[0]), str(r[1]), int(r[2]), int(r[3])) for r in rows)
        return sorted(found, key=lambda u: u.update_id)

    async def count_update_attempt(self, update_id: int) -> None:
        async with self.db.transaction() as conn:
            await conn.execute("UPDATE inbox SET attempts = attempts + 1 WHERE update_id = ?", (update_id,))

    async def count_update_attempts(self, update_ids: Sequence[int]) -> None:
        async with self.db.transaction() as conn:
            await conn.executemany(
                "UPDATE inbox SET attempts = attempts + 1 WHERE update_id = ?", [(u,) for u in update_ids]
            )

    # -- chats claimed by processes ---------------------------------------------------------------------

    async def waiting_updates(self, limit: int = 10_000) -> list[Waiting]:
        """Every unfinished update with the claim on its chat (None: nobody holds it), oldest first."""
        rows = await self._all(
            "SELECT i.update_id, i.chat_id, c.claimed_by, c.lease_until FROM inbox i "
            "LEFT JOIN chat_claims c ON c.chat_id = i.chat_id WHERE i.done_at IS NULL ORDER BY i.update_id LIMIT ?",
            (limit,),
        )
        return [Waiting(int(r[0]), int(r[1]), r[2], r[3]) for r in rows]

    async def chat_claims(self) -> list[Claim]:
        rows = await self._all("SELECT chat_id, claimed_by, lease_until FROM chat_claims ORDER BY chat_id")
        return [Claim(int(r[0]), str(r[1]), str(r[2])) for r in rows]

    async def chat_claim(self, chat_id: int) -> Claim | None:
        row = await self._one("SELECT chat_id, claimed_by, lease_until FROM chat_claims WHERE chat_id = ?", (chat_id,))
        return Claim(int(row[0]), str(row[1]), str(row[2])) if row is not None else None

    async def claim_chat(self, chat_id: int, claim: ClaimTerms) -> bool:
        """Claim a chat for `claim.worker`: taken when nobody holds it, its lease ran out, it is the worker's
        own, or it is held by `claim.replacing` (a process known to be gone). True when it is held now."""
        async with self.db.transaction(urgent=True) as conn:
            return await _claim(conn, chat_id, claim)

    async def renew_claims(self, worker: str, until: datetime) -> set[int]:
        """Extend the lease of every chat the worker holds; the chats it still holds."""
        async with (
            self.db.transaction(urgent=True) as conn,
            conn.execute(
                "UPDATE chat_claims SET lease_until = ? WHERE claimed_by = ? RETURNING chat_id",
                (lease_iso(until), worker),
            ) as cur,
        ):
            rows = await cur.fetchall()
        return {int(r[0]) for r in rows}

    async def release_chat(self, chat_id: int, worker: str) -> bool:
        """Give a chat up, unless an update of it is still unfinished (then the holder keeps it and processes
        that update). True when it was released."""
        try:
            async with self.db.transaction() as conn:
                cur = await conn.execute(
                    "DELETE FROM chat_claims WHERE chat_id = ? AND claimed_by = ? AND NOT EXISTS "
                    "(SELECT 1 FROM inbox WHERE chat_id = ? AND done_at IS NULL)",
                    (chat_id, worker, chat_id),
                )
                if not cur.rowcount:
                    return False
                # Another process may have committed an update of the chat while the DELETE waited for the claim's
                # row (it had looked at the claim, found it ours and left the update to us); on PostgreSQL the
                # DELETE's NOT EXISTS still saw the inbox as it was before the wait. A new statement sees it now.
                async with conn.execute(
                    "SELECT 1 FROM inbox WHERE chat_id = ? AND done_at IS NULL LIMIT 1", (chat_id,)
                ) as cur:
                    if await cur.fetchone() is not None:
                        raise _KeepChat
                return True
        except _KeepChat:
            return False

    async def release_all(self, worker: str) -> int:
        """A process stopping gives up every chat it holds (what it leaves unfinished goes to the others)."""
        async with self.db.transaction() as conn:
            cur = await conn.execute("DELETE FROM chat_claims WHERE claimed_by = ?", (worker,))
            if cur.rowcount:
                await self.db.signal(conn, INBOX_CHANNEL)  # no chats named: what it leaves is free, everyone looks
            return int(cur.rowcount)

    async def chats_with_leftovers(self) -> list[int]:
        """Chats with stored posts not yet taken or arrivals not answered yet."""
        rows = await self._all(
            "SELECT chat_id FROM pending_parts UNION SELECT chat_id FROM articles WHERE awaiting_answer = 1 "
            "UNION SELECT chat_id FROM answers_owed"
        )
        return sorted(int(r[0]) for r in rows)

    async def prune_updates(self, done_before: datetime) -> int:
        """Forget finished updates older than `done_before` (Telegram stops redelivering long before)."""
        async with self.db.transaction(bulk=True) as conn:
            cur = await conn.execute("DELETE FROM inbox WHERE done_at IS NOT NULL AND done_at < ?", (iso(done_before),))
            return int(cur.rowcount)

    # -- answers -------------------------------------------------------------------------------------

    async def answer_owed(self, chat_id: int, message_id: int) -> bool:
        """Whether a later arrival of an article (its message) still owes its answer."""
        row = await self._one("SELECT 1 FROM answers_owed WHERE chat_id = ? AND message_id = ?", (chat_id, message_id))
        return row is not None

    async def first_arrival(self, article_id: int) -> FirstArrival | None:
        """The message the article first arrived with, and whether it was answered; None when it has none."""
        row = await self._one_by_key("SELECT message_id, awaiting_answer FROM articles WHERE id = ?", (article_id,))
        if row is None or row[0] is None:
            return None
        return FirstArrival(int(row[0]), answered=not row[1])

    async def mark_answered(
        self, article_id: int, chat_id: int, reply_ids: Sequence[int], *, first: bool, answered: int | None = None
    ) -> None:
        """Telegram accepted the answer to an arrival (its messages `reply_ids`): they stand for the article
        from now on, and when it answered the article's first arrival, that is no longer owed. Urgent: until
        this commits, a crash would send the card again."""
        async with self.db.transaction(urgent=True, chats=[chat_id]) as conn:
            if first:
                await conn.execute(
                    "UPDATE articles SET awaiting_answer = 0 WHERE id = ? AND awaiting_answer = 1", (article_id,)
                )
            if answered is not None:  # the message answered, when it was a later arrival of the article
                await conn.execute("DELETE FROM answers_owed WHERE chat_id = ? AND message_id = ?", (chat_id, answered))
            await conn.executemany(
                "INSERT INTO message_refs (chat_id, message_id, article_id) "
                "SELECT ?, ?, id FROM articles WHERE id = ? AND chat_id = ? ON CONFLICT DO NOTHING",
                [(chat_id, m, article_id, chat_id) for m in reply_ids],
            )

    async def owed_answers(self, chat_id: int | None = None, limit: int = 10_000) -> list[OwedAnswer]:
        """Arrivals not answered yet: first arrivals (awaiting_answer) and later ones (answers_owed)."""
        where = "" if chat_id is None else " AND chat_id = ?"
        rows = await self._all(
            f"SELECT id, chat_id, message_id FROM articles WHERE awaiting_answer = 1{where} "
            f"UNION ALL SELECT article_id, chat_id, message_id FROM answers_owed WHERE 1 = 1{where} "
            "ORDER BY 1, 3 LIMIT ?",
            (limit,) if chat_id is None else (chat_id, chat_id, limit),
        )
        return [OwedAnswer(int(r[0]), int(r[1]), int(r[2])) for r in rows]
