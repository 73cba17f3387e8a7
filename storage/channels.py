"""Channels and groups: the bot's standing in a chat, the chat a private chat works on (/use), edits of stored
posts, and a group's move to a supergroup (every row of the old id moves to the new one)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.base import RepositoryBase, iso

# Every table that holds a chat id, with its column. A group becoming a supergroup moves all of them.
_CHAT_COLUMNS = (
    ("articles", "chat_id"),
    ("message_refs", "chat_id"),
    ("people", "chat_id"),
    ("person_keys", "chat_id"),
    ("quotes", "chat_id"),
    ("events", "chat_id"),
    ("articles_fts", "chat_id"),
    ("articles_stems", "chat_id"),
    ("subscriptions", "chat_id"),
    ("digests", "chat_id"),
    ("pending_parts", "chat_id"),
    ("article_urls", "chat_id"),
    ("feeds", "chat_id"),
    ("chat_targets", "target_id"),
)


@dataclass(frozen=True, slots=True)
class ChatInfo:
    id: int
    kind: str
    title: str | None
    member_status: str | None
    added_by: int | None


class ChannelQueries(RepositoryBase):
    async def chat_info(self, chat_id: int) -> ChatInfo | None:
        row = await self._one("SELECT id, kind, title, member_status, added_by FROM chats WHERE id = ?", (chat_id,))
        return ChatInfo(row[0], row[1], row[2], row[3], row[4]) if row else None

    async def set_member_status(
        self, chat_id: int, kind: str, title: str | None, status: str, by_user: int | None, now: datetime
    ) -> str | None:
        """Record the bot's standing in a chat; returns the one recorded before (None: never seen)."""
        async with self.db.transaction(chats=[chat_id]) as conn:
            async with conn.execute("SELECT member_status FROM chats WHERE id = ?", (chat_id,)) as cur:
                row = await cur.fetchone()
            await conn.execute(
                "INSERT INTO chats (id, kind, title, member_status, added_by, created_at) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, title = coalesce(excluded.title, chats.title), "
                "member_status = excluded.member_status, added_by = coalesce(excluded.added_by, chats.added_by)",
                (chat_id, kind, title, status, by_user, iso(now)),
            )
        return row[0] if row else None

    async def use_target(self, chat_id: int, target_id: int, now: datetime) -> None:
        async with self.db.transaction(chats=[chat_id, target_id]) as conn:
            for chat in (chat_id, target_id):
                await conn.execute(
                    "INSERT INTO chats (id, created_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING", (chat, iso(now))
                )
            await conn.execute(
                "INSERT INTO chat_targets (chat_id, target_id, set_at) VALUES (?, ?, ?) "
                "ON CONFLICT (chat_id) DO UPDATE SET target_id = excluded.target_id, set_at = excluded.set_at",
                (chat_id, target_id, iso(now)),
            )

    async def target_of(self, chat_id: int) -> int | None:
        row = await self._one_by_key("SELECT target_id FROM chat_targets WHERE chat_id = ?", (chat_id,))
        return int(row[0]) if row else None

    async def clear_target(self, chat_id: int) -> bool:
        async with (
            self.db.transaction(chats=[chat_id]) as conn,
            conn.execute("DELETE FROM chat_targets WHERE chat_id = ? RETURNING target_id", (chat_id,)) as cur,
        ):
            return await cur.fetchone() is not None

    async def replace_article_text(self, chat_id: int, article_id: int, raw_text: str, text_hash: str) -> bool:
        """An edited post: its new text replaces the stored one, to be analysed again. False when the chat
        already has another article with exactly this text (then nothing changes)."""
        async with self.db.transaction(chats=[chat_id]) as conn:
            async with conn.execute(
                "SELECT 1 FROM articles WHERE chat_id = ? AND content_hash = ? AND id <> ?",
                (chat_id, text_hash, article_id),
            ) as cur:
                if await cur.fetchone() is not None:
                    return False
            await conn.execute(
                "UPDATE articles SET raw_text = ?, content_hash = ?, status = 'pending', attempts = 0, error = NULL, "
                "clean_hash = NULL WHERE id = ? AND chat_id = ?",
                (raw_text, text_hash, article_id, chat_id),
            )
        return True

    async def migrate_chat(self, old_id: int, new_id: int, kind: str, now: datetime) -> bool:
        """A group became a supergroup with a new id: its archive, subscriptions and settings move there.
        False when there is nothing to move (already moved, or never seen)."""
        async with self.db.transaction(chats=[old_id, new_id], bulk=True) as conn:  # the whole archive moves
            async with conn.execute("SELECT 1 FROM chats WHERE id = ?", (old_id,)) as cur:
                if await cur.fetchone() is None:
                    return False
            async with conn.execute("SELECT 1 FROM articles WHERE chat_id = ? LIMIT 1", (new_id,)) as cur:
                new_has_articles = await cur.fetchone() is not None
            if new_has_articles:
                return False  # both ids have archives: merging them would renumber articles; keep both
            # The new id may have been seen already (its first message can arrive before the move's notice).
            await conn.execute("DELETE FROM chats WHERE id = ?", (new_id,))
            # The references to the chat are checked at the commit, when every row has moved.
            if self.db.dialect == "sqlite":
                await conn.execute("PRAGMA defer_foreign_keys = ON")
            else:
                await conn.execute("SET CONSTRAINTS ALL DEFERRED")
            await conn.execute("UPDATE chats SET id = ?, kind = ? WHERE id = ?", (new_id, kind, old_id))
            for table, column in _CHAT_COLUMNS:
                await conn.execute(f"UPDATE {table} SET {column} = ? WHERE {column} = ?", (new_id, old_id))
        return True
