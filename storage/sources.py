"""Where articles come from: the same article arriving again (by link or by cleaned text), and the parts of a
series of posts stored raw until they are joined into one article."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from storage.base import CHAT_UPSERT_SQL, RepositoryBase, Source, iso, parse_iso, utcnow
from storage.inbox import owe_answer

# Below this many letters and digits a cleaned text is too short to be told apart from another ("Breaking
# news.", a lone headline): such texts get no identity beyond the raw text's.
MIN_IDENTITY_CHARS = 200
_NOT_WORD = re.compile(r"[\W_]+")
# A channel's furniture at the top or bottom of a post: a short paragraph with a link or a handle in it, or a
# call to subscribe, follow or read the channel elsewhere. Cleaning removes the common forms; every channel
# has its own wording ("Здесь наш сайт доступен без VPN bit.ly/...", "📩 Подпишитесь на нашу рассылку").
_FURNITURE = re.compile(
    r"https?://|www\.|\b[\w-]+\.(?:ly|me|ru|com|org|net|io|co|info|news)/|(?<![\w.])@\w{3,}"
    r"|подпи[сш]|subscri|follow\s+us|наш(?:[аеиу]|ем)?\s+канал|our\s+(?:channel|newsletter)",
    re.IGNORECASE,
)
_FURNITURE_MAX_CHARS = 200


def _without_furniture(text: str) -> str:
    paragraphs = [p for p in re.split(r"\n+", text) if p.strip()]
    for edge in (0, -1):
        for _ in range(3):
            if (
                len(paragraphs) > 1
                and len(paragraphs[edge]) <= _FURNITURE_MAX_CHARS
                and _FURNITURE.search(paragraphs[edge])
            ):
                paragraphs.pop(edge)
    return "\n".join(paragraphs)


def clean_hash(cleaned_text: str) -> str | None:
    """The identity of an article's cleaned text (analysis.clean output), or None when it is too short.

    A channel's own furniture left at the top or bottom is set aside, and only letters and digits count, in
    lower case: the same article re-posted with another signature, other quotation marks, dashes, emoji or
    spacing has the same identity (measured by `python -m bench.eval_dedupe`)."""
    body = _without_furniture(unicodedata.normalize("NFKC", cleaned_text))
    words = _NOT_WORD.sub(" ", body).strip().casefold()
    if len(words) - words.count(" ") < MIN_IDENTITY_CHARS:  # counted in C: this runs on the event loop
        return None
    return hashlib.sha256(words.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class PendingPart:
    """One post of a series, as it arrived."""

    chat_id: int
    group_key: str
    message_id: int
    position: int
    text: str | None
    source: Source
    published_at: datetime | None
    links: tuple[str, ...] = field(default=())
    id: int | None = None  # set once stored
    update_id: int | None = None  # the update it came in: marked done in the inbox when the part is stored


@dataclass(frozen=True, slots=True)
class PendingGroup:
    """Stored parts waiting to be joined: a series (or a post whose link is to be fetched)."""

    chat_id: int
    key: str
    parts: int
    chars: int
    last_position: int


class SourceQueries(RepositoryBase):
    # -- the same article again ----------------------------------------------------------------------

    async def article_id_by_url(self, chat_id: int, url_key: str) -> int | None:
        row = await self._one(
            "SELECT article_id FROM article_urls WHERE chat_id = ? AND url_key = ?", (chat_id, url_key)
        )
        return int(row[0]) if row else None

    async def add_arrival(
        self,
        chat_id: int,
        article_id: int,
        sources: Sequence[Source],
        *,
        message_ids: Sequence[int] = (),
        url_keys: Sequence[str] = (),
        consume_parts: Sequence[int] = (),
        owed: int | None = None,
    ) -> None:
        """Remember that a stored article arrived again: its new sources, messages and links; `owed`, the
        message whose answer that arrival owes."""
        now = iso(utcnow())
        async with self.db.transaction(chats=[chat_id]) as conn:
            async with conn.execute(
                "SELECT 1 FROM articles WHERE chat_id = ? AND id = ?", (chat_id, article_id)
            ) as cur:
                if await cur.fetchone() is None:
                    return  # not this chat's article, or deleted meanwhile
            if owed is not None:
                await owe_answer(conn, chat_id, owed, article_id)
            await conn.executemany(
                "INSERT INTO article_sources (article_id, source_kind, source_name, source_url, added_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [(article_id, s.kind, s.name, s.url, now) for s in sources],
            )
            await conn.executemany(
                "INSERT INTO message_refs (chat_id, message_id, article_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                [(chat_id, m, article_id) for m in message_ids],
            )
            await conn.executemany(
                "INSERT INTO article_urls (chat_id, url_key, article_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                [(chat_id, key, article_id) for key in url_keys],
            )
            await conn.executemany(
                "DELETE FROM pending_parts WHERE chat_id = ? AND id = ?", [(chat_id, p) for p in consume_parts]
            )

    async def claim_clean_hash(self, article_id: int, identity: str, chat_id: int | None = None) -> int | None:
        """Give a just-analysed article the identity of its cleaned text, unless the chat already has an
        article with that identity: then this one is folded into it (its sources, links and messages move
        over, it is deleted, and its number is given back when nothing was numbered after it) and the id of
        the article it joined is returned. One transaction, so two copies analysed at once cannot both stay.
        An article already gone was folded by another analysis of it (another process took the same arrival
        up): the copy it joined in `chat_id` is returned, if there is one."""
        held = [chat_id] if chat_id is not None else []
        async with self.db.transaction(chats=held) as conn:
            row = await self._hold_article_chat(conn, article_id, "chat_id, number", held=held)
            if row is None:
                if chat_id is None:
                    return None
                async with conn.execute(
                    "SELECT id FROM articles WHERE chat_id = ? AND clean_hash = ?", (chat_id, identity)
                ) as cur:
                    joined = await cur.fetchone()
                return int(joined[0]) if joined else None
            chat_id, number = int(row[0]), int(row[1])
            async with conn.execute(
                "SELECT id FROM articles WHERE chat_id = ? AND clean_hash = ? AND id <> ?",
                (chat_id, identity, article_id),
            ) as cur:
                other = await cur.fetchone()
            if other is None:
                await conn.execute("UPDATE articles SET clean_hash = ? WHERE id = ?", (identity, article_id))
                return None
            keeper = int(other[0])
            await conn.execute(
                "INSERT INTO article_sources (article_id, source_kind, source_name, source_url, added_at) "
                "SELECT ?, source_kind, source_name, source_url, added_at FROM article_sources WHERE article_id = ? "
                "ORDER BY id ON CONFLICT DO NOTHING",
                (keeper, article_id),
            )
            await conn.execute("UPDATE article_urls SET article_id = ? WHERE article_id = ?", (keeper, article_id))
            await conn.execute("UPDATE message_refs SET article_id = ? WHERE article_id = ?", (keeper, article_id))
            # Its arrival, not answered yet, is now a later arrival of the keeper: its answer stays owed.
            await conn.execute(
                "INSERT INTO answers_owed (chat_id, message_id, article_id) SELECT chat_id, message_id, ? "
                "FROM articles WHERE id = ? AND awaiting_answer = 1 AND message_id IS NOT NULL ON CONFLICT DO NOTHING",
                (keeper, article_id),
            )
            await conn.execute("UPDATE answers_owed SET article_id = ? WHERE article_id = ?", (keeper, article_id))
            await conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))
            await conn.execute("DELETE FROM articles_fts WHERE rowid = ?", (article_id,))
            await conn.execute("DELETE FROM articles_stems WHERE rowid = ?", (article_id,))
            await conn.execute(
                "UPDATE chats SET next_number = next_number - 1 WHERE id = ? AND next_number = ?",
                (chat_id, number + 1),
            )
            return keeper

    # -- parts of a series ---------------------------------------------------------------------------

    async def add_part(self, part: PendingPart, chat: tuple[str, str | None] | None = None) -> int | None:
        """Store a part as it arrived (committed before anything waits on it). Returns its id, or None when
        that message is already stored (Telegram delivered the update twice). `chat`, the chat's kind and title
        as Telegram gives them now, are recorded in the same transaction (one write for a forwarded post, not
        two: a burst's writes are what a command's commit waits behind)."""
        now = iso(utcnow())
        async with self.db.transaction(chats=[part.chat_id]) as conn:
            if chat is None:
                await conn.execute(
                    "INSERT INTO chats (id, created_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING", (part.chat_id, now)
                )
            else:
                await conn.execute(CHAT_UPSERT_SQL, (part.chat_id, chat[0], chat[1], now))
            async with conn.execute(
                "INSERT INTO pending_parts (chat_id, group_key, message_id, position, text, links, source_kind, "
                "source_name, source_url, published_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (chat_id, message_id) DO NOTHING RETURNING id",
                (
                    part.chat_id,
                    part.group_key,
                    part.message_id,
                    part.position,
                    part.text,
                    json.dumps(list(part.links), ensure_ascii=False),
                    part.source.kind,
                    part.source.name,
                    part.source.url,
                    iso(part.published_at) if part.published_at else None,
                    now,
                ),
            ) as cur:
                row = await cur.fetchone()
            if part.update_id is not None:
                # The part is the update's whole effect: once stored, it is joined by the series (or by the
                # next start), never by processing the update again.
                await conn.execute(
                    "UPDATE inbox SET done_at = ? WHERE update_id = ? AND done_at IS NULL", (now, part.update_id)
                )
        return int(row[0]) if row else None

    async def group_parts(self, chat_id: int, group_key: str) -> list[PendingPart]:
        """The stored parts of a series, in their order."""
        rows = await self._all(
            "SELECT id, chat_id, group_key, message_id, position, text, links, source_kind, source_name, "
            "source_url, published_at FROM pending_parts WHERE chat_id = ? AND group_key = ? "
            "ORDER BY position, message_id",
            (chat_id, group_key),
        )
        return [
            PendingPart(
                chat_id=r["chat_id"],
                group_key=r["group_key"],
                message_id=r["message_id"],
                position=r["position"],
                text=r["text"],
                source=Source(r["source_kind"], r["source_name"], r["source_url"]),
                published_at=parse_iso(r["published_at"]) if r["published_at"] else None,
                links=tuple(json.loads(r["links"] or "[]")),
                id=r["id"],
            )
            for r in rows
        ]

    async def pending_groups(self, chat_id: int | None = None) -> list[tuple[int, str]]:
        """Every (chat, series) with parts still waiting, oldest first: what a stop left behind (one chat's with
        `chat_id`)."""
        return [(g.chat_id, g.key) for g in await self.pending_group_states(chat_id)]

    async def pending_group_states(self, chat_id: int | None = None) -> list[PendingGroup]:
        """The groups of stored parts still waiting, oldest first, with what deciding about the next part of a
        series needs to know: how many parts, how many characters, the last position."""
        where = "" if chat_id is None else " WHERE chat_id = ?"
        rows = await self._all(
            "SELECT chat_id, group_key, min(id) AS first, count(*) AS parts, "
            "sum(length(coalesce(text, ''))) AS chars, max(position) AS last "
            f"FROM pending_parts{where} GROUP BY chat_id, group_key ORDER BY first",
            () if chat_id is None else (chat_id,),
        )
        return [
            PendingGroup(int(r["chat_id"]), str(r["group_key"]), int(r["parts"]), int(r["chars"]), int(r["last"]))
            for r in rows
        ]

    async def drop_parts(self, chat_id: int, part_ids: Sequence[int]) -> None:
        async with self.db.transaction(chats=[chat_id]) as conn:
            await conn.executemany(
                "DELETE FROM pending_parts WHERE chat_id = ? AND id = ?", [(chat_id, p) for p in part_ids]
            )
