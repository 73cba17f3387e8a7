"""Every query Précis makes, as typed methods. Each one is scoped by chat: no method returns another chat's data."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from analysis.types import Analysis
from storage.base import CHAT_UPSERT_SQL, LOCAL_CHAT_ID, Conn, RepositoryBase, Row, Source, iso, parse_iso, utcnow
from storage.channels import ChannelQueries
from storage.digests import DigestQueries
from storage.feeds import FeedQueries
from storage.inbox import InboxQueries, owe_answer
from storage.people import merge_forms
from storage.quotes import PersonEntry, QuoteQueries
from storage.search import SearchQueries
from storage.sources import SourceQueries
from storage.timeline import TimelineQueries, index_article

_SPACE = re.compile(r"\s+")


def content_hash(text: str) -> str:
    """The identity of an article's text: the same words with other spacing or case are the same article."""
    normal = _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class ChatSettings:
    chat_id: int
    lang: str | None
    timezone: str
    summary_sentences: int


@dataclass(frozen=True, slots=True)
class ArticleRow:
    id: int
    chat_id: int
    number: int
    title: str | None
    source: Source
    published_at: datetime
    ingested_at: datetime
    status: str
    lang: str | None
    error: str | None
    author: str | None = None
    # False: nothing said when it was published (pasted text, a file without a date line); `published_at` is
    # then when it arrived, and relative dates in the text were not resolved against it.
    dated: bool = True
    title_guessed: bool = False  # the title is the text's first words or a guessed headline, not a declared one

    @classmethod
    def from_row(cls, row: Row) -> ArticleRow:
        return cls(
            id=row["id"],
            chat_id=row["chat_id"],
            number=row["number"],
            title=row["title"],
            source=Source(row["source_kind"], row["source_name"], row["source_url"]),
            published_at=parse_iso(row["published_at"]),
            ingested_at=parse_iso(row["ingested_at"]),
            status=row["status"],
            lang=row["lang"],
            error=row["error"],
            author=row["author"],
            dated=bool(row["dated"]),
            title_guessed=bool(row["title_guessed"]),
        )

    @property
    def anchor(self) -> datetime | None:
        """The date relative expressions in the text count from: its publication date, when known."""
        return self.published_at if self.dated else None


@dataclass(frozen=True, slots=True)
class UnfinishedArticle:
    id: int
    chat_id: int
    raw_text: str
    published_at: datetime | None  # None: the text has no known publication date (see ArticleRow.dated)
    attempts: int


BULK_TEXT_CHARS = 20_000  # an analysis of a longer text is stored off the event loop's thread (a few ms inline)

_ARTICLE_COLUMNS = (
    "id, chat_id, number, title, source_kind, source_name, source_url, published_at, ingested_at, status, lang, error, "
    "author, dated, title_guessed"
)


class ArticleQueries(RepositoryBase):
    """Chats, articles, their sources and the stored analysis."""

    # -- chats ---------------------------------------------------------------------------------------

    async def ensure_chat(self, chat_id: int, kind: str = "private", title: str | None = None) -> None:
        async with self.db.transaction(chats=[chat_id]) as conn:
            await conn.execute(CHAT_UPSERT_SQL, (chat_id, kind, title, iso(utcnow())))

    async def chat_settings(self, chat_id: int) -> ChatSettings:
        row = await self._one_by_key("SELECT id, lang, timezone, summary_sentences FROM chats WHERE id = ?", (chat_id,))
        if row is None:
            return ChatSettings(chat_id, None, "UTC", 3)
        return ChatSettings(row["id"], row["lang"], row["timezone"], row["summary_sentences"])

    async def update_chat_settings(
        self,
        chat_id: int,
        *,
        lang: str | None = None,
        timezone: str | None = None,
        summary_sentences: int | None = None,
    ) -> ChatSettings:
        async with self.db.transaction(chats=[chat_id]) as conn:
            # a chat seen for the first time; an existing one keeps its kind and title
            await conn.execute(
                "INSERT INTO chats (id, created_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING", (chat_id, iso(utcnow()))
            )
            await conn.execute(
                "UPDATE chats SET lang = COALESCE(?, lang), timezone = COALESCE(?, timezone), "
                "summary_sentences = COALESCE(?, summary_sentences) WHERE id = ?",
                (lang, timezone, summary_sentences, chat_id),
            )
        return await self.chat_settings(chat_id)

    # -- articles ------------------------------------------------------------------------------------

    async def find_duplicate(self, chat_id: int, text_hash: str) -> ArticleRow | None:
        row = await self._one(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE chat_id = ? AND content_hash = ?",
            (chat_id, text_hash),
        )
        return ArticleRow.from_row(row) if row else None

    async def add_article(
        self,
        chat_id: int,
        raw_text: str,
        source: Source,
        *,
        published_at: datetime | None = None,
        message_id: int | None = None,
        text_hash: str | None = None,
        title: str | None = None,
        title_guessed: bool = False,
        author: str | None = None,
        url_keys: Sequence[str] = (),
        extra_sources: Sequence[Source] = (),
        message_ids: Sequence[int] = (),
        consume_parts: Sequence[int] = (),
        answer_owed: bool = True,
    ) -> tuple[ArticleRow, bool]:
        """Commit the raw article before anything else happens to it.

        Returns (article, created). When the chat already has the same text, or an article fetched from one of
        `url_keys` (see fetch.urls.canonical_url), nothing is inserted: the existing article is returned with
        created=False and the new sources and messages are remembered beside it. `title` and `author` are what
        a page or file declares (analysis keeps a declared title; `title_guessed` marks one it may replace);
        `published_at` None stores the arrival time and marks the article undated; `message_ids` are further
        messages that stand for the article (the parts of a series), and `consume_parts` the pending parts it was joined
        from, deleted in the same transaction so that a part is never both lost and stored twice.
        """
        text_hash = text_hash or content_hash(raw_text)
        now = iso(utcnow())
        async with self.db.transaction(chats=[chat_id]) as conn:
            await conn.execute(
                "INSERT INTO chats (id, created_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING", (chat_id, now)
            )
            async with conn.execute(
                "SELECT id FROM articles WHERE chat_id = ? AND content_hash = ?", (chat_id, text_hash)
            ) as cur:
                existing = await cur.fetchone()
            for key in url_keys:
                if existing is not None:
                    break
                async with conn.execute(
                    "SELECT article_id AS id FROM article_urls WHERE chat_id = ? AND url_key = ?", (chat_id, key)
                ) as cur:
                    existing = await cur.fetchone()
            if existing is not None:
                article_id, created = int(existing["id"]), False
                if answer_owed and message_id is not None:  # its answer ("already #N") is owed until sent
                    await owe_answer(conn, chat_id, message_id, article_id)
            else:
                async with conn.execute(
                    "UPDATE chats SET next_number = next_number + 1 WHERE id = ? RETURNING next_number - 1",
                    (chat_id,),
                ) as cur:
                    number_row = await cur.fetchone()
                assert number_row is not None  # the chat row was ensured above in this transaction
                async with conn.execute(
                    "INSERT INTO articles (chat_id, number, content_hash, raw_text, title, title_guessed, author, "
                    "source_kind, source_name, source_url, message_id, published_at, dated, ingested_at, "
                    "awaiting_answer) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    (
                        chat_id,
                        number_row[0],
                        text_hash,
                        raw_text,
                        title,
                        int(title_guessed and title is not None),
                        author,
                        source.kind,
                        source.name,
                        source.url,
                        message_id,
                        iso(published_at or utcnow()),
                        int(published_at is not None),
                        now,
                        int(answer_owed and message_id is not None),  # the message it came with is owed a card
                    ),
                ) as cur:
                    id_row = await cur.fetchone()
                assert id_row is not None
                article_id, created = int(id_row[0]), True
            await conn.executemany(
                "INSERT INTO article_sources (article_id, source_kind, source_name, source_url, added_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [(article_id, s.kind, s.name, s.url, now) for s in (source, *extra_sources)],
            )
            await conn.executemany(
                "INSERT INTO article_urls (chat_id, url_key, article_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                [(chat_id, key, article_id) for key in url_keys],
            )
            refs = [m for m in (message_id, *message_ids) if m is not None]
            await conn.executemany(
                "INSERT INTO message_refs (chat_id, message_id, article_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                [(chat_id, m, article_id) for m in refs],
            )
            await conn.executemany(
                "DELETE FROM pending_parts WHERE chat_id = ? AND id = ?", [(chat_id, p) for p in consume_parts]
            )
        article = await self.article_by_id(chat_id, article_id)
        assert article is not None
        return article, created

    async def article_by_id(self, chat_id: int, article_id: int) -> ArticleRow | None:
        row = await self._one_by_key(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE chat_id = ? AND id = ?", (chat_id, article_id)
        )
        return ArticleRow.from_row(row) if row else None

    async def article_by_number(self, chat_id: int, number: int) -> ArticleRow | None:
        row = await self._one_by_key(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE chat_id = ? AND number = ?", (chat_id, number)
        )
        return ArticleRow.from_row(row) if row else None

    async def last_article(self, chat_id: int) -> ArticleRow | None:
        row = await self._one_by_key(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE chat_id = ? ORDER BY id DESC LIMIT 1", (chat_id,)
        )
        return ArticleRow.from_row(row) if row else None

    async def article_by_message(self, chat_id: int, message_id: int) -> ArticleRow | None:
        row = await self._one_by_key(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE chat_id = ? AND id = "
            "(SELECT article_id FROM message_refs WHERE chat_id = ? AND message_id = ?)",
            (chat_id, chat_id, message_id),
        )
        return ArticleRow.from_row(row) if row else None

    async def articles_since(self, chat_id: int, since: datetime, limit: int = 200) -> list[ArticleRow]:
        rows = await self._all(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE chat_id = ? AND ingested_at >= ? ORDER BY id LIMIT ?",
            (chat_id, iso(since), limit),
        )
        return [ArticleRow.from_row(r) for r in rows]

    async def count_articles(self, chat_id: int) -> int:
        row = await self._one("SELECT count(*) FROM articles WHERE chat_id = ?", (chat_id,))
        return int(row[0]) if row else 0

    async def link_message(self, chat_id: int, message_id: int, article_id: int) -> None:
        async with self.db.transaction(chats=[chat_id]) as conn:
            await conn.execute(
                "INSERT INTO message_refs (chat_id, message_id, article_id) "
                "SELECT ?, ?, id FROM articles WHERE id = ? AND chat_id = ? ON CONFLICT DO NOTHING",
                (chat_id, message_id, article_id, chat_id),
            )

    async def sources(self, chat_id: int, article_id: int) -> list[Source]:
        rows = await self._all(
            "SELECT s.source_kind, s.source_name, s.source_url FROM article_sources s "
            "JOIN articles a ON a.id = s.article_id WHERE a.chat_id = ? AND a.id = ? ORDER BY s.id",
            (chat_id, article_id),
        )
        return [Source(r[0], r[1], r[2]) for r in rows]

    # -- analysis ------------------------------------------------------------------------------------

    async def unfinished_articles(self, max_attempts: int = 3, limit: int = 1000) -> list[UnfinishedArticle]:
        """Articles whose analysis never finished (interrupted) or failed fewer than max_attempts times."""
        rows = await self._all(
            "SELECT id, chat_id, raw_text, published_at, dated, attempts FROM articles "
            "WHERE status <> 'ready' AND attempts < ? ORDER BY id LIMIT ?",
            (max_attempts, limit),
        )
        return [UnfinishedArticle(r[0], r[1], r[2], parse_iso(r[3]) if r[4] else None, r[5]) for r in rows]

    async def unfinished_article(self, article_id: int, max_attempts: int = 3) -> UnfinishedArticle | None:
        """The article, if its analysis is still to be done (and may be tried again)."""
        row = await self._one(
            "SELECT id, chat_id, raw_text, published_at, attempts FROM articles "
            "WHERE id = ? AND status <> 'ready' AND attempts < ?",
            (article_id, max_attempts),
        )
        return UnfinishedArticle(row[0], row[1], row[2], parse_iso(row[3]), row[4]) if row else None

    async def analysis_status(self, article_id: int) -> str | None:
        """'pending', 'ready' or 'failed'; None when the article is gone (deleted, or folded into another)."""
        row = await self._one_by_key("SELECT status FROM articles WHERE id = ?", (article_id,))
        return str(row[0]) if row is not None else None

    async def mark_attempt(self, article_id: int) -> None:
        async with self.db.transaction() as conn:
            await conn.execute("UPDATE articles SET attempts = attempts + 1 WHERE id = ?", (article_id,))

    async def mark_failed(self, article_id: int, error: str) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE articles SET status = 'failed', error = ? WHERE id = ?", (error[:500], article_id)
            )

    async def save_analysis(
        self, article_id: int, analysis: Analysis, people: Sequence[PersonEntry], *, chat_id: int | None = None
    ) -> None:
        """Store everything the analysis found, replacing any earlier result, in one transaction; `people` are
        the people it names (every quote's speaker among them), with their search keys. `chat_id`, the
        article's chat when the caller knows it, is held from the transaction's first statement."""
        held = [chat_id] if chat_id is not None else []
        # A long text's sentences and index entries are bulk: a text near the size limit took 90 ms to index on
        # the event loop's thread, and every chat waited.
        bulk = len(analysis.text) > BULK_TEXT_CHARS
        async with self.db.transaction(chats=held, bulk=bulk) as conn:
            row = await self._hold_article_chat(conn, article_id, held=held)
            if row is None:
                return  # deleted while it was being analysed: nothing to store
            chat_id = int(row[0])
            if self.db.dialect == "postgresql":  # one round trip for the five
                await conn.execute(
                    "WITH s AS (DELETE FROM sentences WHERE article_id = ?1), "
                    "q AS (DELETE FROM quotes WHERE article_id = ?1), e AS (DELETE FROM events WHERE article_id = ?1), "
                    "f AS (DELETE FROM articles_fts WHERE rowid = ?1) DELETE FROM articles_stems WHERE rowid = ?1",
                    (article_id,),
                )
            else:
                for table in ("sentences", "quotes", "events"):
                    await conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
                await conn.execute("DELETE FROM articles_fts WHERE rowid = ?", (article_id,))
                await conn.execute("DELETE FROM articles_stems WHERE rowid = ?", (article_id,))
            await conn.executemany(
                'INSERT INTO sentences (article_id, idx, start, "end", paragraph, rank, text) '
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(article_id, s.index, s.start, s.end, s.paragraph, s.rank, s.text) for s in analysis.sentences],
            )
            person_ids = await self._upsert_people(conn, chat_id, people)
            await conn.executemany(
                "INSERT INTO quotes (article_id, chat_id, person_id, speaker, speaker_kind, mention, text, "
                'direct, cue, start, "end", sentence_idx, score) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
                [
                    (
                        article_id,
                        chat_id,
                        person_ids.get(q.speaker) if q.speaker else None,
                        q.speaker,
                        q.speaker_kind,
                        q.mention,
                        q.text,
                        int(q.direct),
                        q.cue,
                        q.start,
                        q.end,
                        q.sentence_index,
                        q.score,
                    )
                    for q in analysis.quotes
                ],
            )
            await conn.executemany(
                "INSERT INTO events (article_id, chat_id, value, granularity, sort_key, label, text, speaker, "
                "actors, sentence_idx, end_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        article_id,
                        chat_id,
                        e.value,
                        e.granularity,
                        e.sort_key,
                        e.label,
                        e.text,
                        e.speaker,
                        "; ".join(e.actors),
                        e.sentence_index,
                        e.end_value,
                    )
                    for e in analysis.events
                ],
            )
            # One row per person across the archive: "Putin" here joins a stored "Vladimir Putin", or the other
            # way round.
            await merge_forms(conn, chat_id, [p.name for p in people if p.kind == "person"])
            await index_article(self.db, conn, article_id, chat_id, analysis.title or "", analysis.text, analysis.lang)
            await conn.execute(
                "INSERT INTO articles_stems (rowid, title, body, chat_id) VALUES (?, ?, ?, ?)",
                (article_id, analysis.title_stems, analysis.stems, chat_id),
            )
            await conn.execute(
                # A title the page or file declared stays; a guess made before the text was cleaned gives way
                # to the analysis' (its headline, else its first words).
                "UPDATE articles SET status = 'ready', error = NULL, "
                "title = CASE WHEN title IS NULL OR title_guessed = 1 THEN COALESCE(?, title) ELSE title END, "
                "lang = ?, clean_text = ? WHERE id = ?",
                (analysis.stored_title(), analysis.lang, analysis.text, article_id),
            )

    async def _upsert_people(self, conn: Conn, chat_id: int, people: Sequence[PersonEntry]) -> dict[str, int]:
        ids: dict[str, int] = {}
        # A statement per 300 people, not one per person: on PostgreSQL every statement is a round trip.
        for start in range(0, len(people), 300):
            chunk = people[start : start + 300]
            async with conn.execute(
                f"INSERT INTO people (chat_id, name, kind) VALUES {', '.join(['(?, ?, ?)'] * len(chunk))} "
                "ON CONFLICT (chat_id, name) DO UPDATE SET kind = excluded.kind RETURNING id, name",
                [value for person in chunk for value in (chat_id, person.name, person.kind)],
            ) as cur:
                for row in await cur.fetchall():
                    ids[str(row[1])] = int(row[0])
        await conn.executemany(
            "INSERT INTO person_keys (chat_id, key, person_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            [(chat_id, key, ids[person.name]) for person in people for key in sorted(person.keys)],
        )
        return ids

    async def summary_sentences(self, chat_id: int, article_id: int, n: int) -> list[str]:
        rows = await self._all(
            "SELECT s.text FROM sentences s JOIN articles a ON a.id = s.article_id "
            "WHERE s.article_id = ? AND a.chat_id = ? AND s.rank >= 0 AND s.rank < ? ORDER BY s.idx",
            (article_id, chat_id, n),
        )
        return [r[0] for r in rows]

    async def sentence_count(self, chat_id: int, article_id: int) -> int:
        row = await self._one(
            "SELECT count(*) FROM sentences s JOIN articles a ON a.id = s.article_id "
            "WHERE s.article_id = ? AND a.chat_id = ?",
            (article_id, chat_id),
        )
        return int(row[0]) if row else 0

    async def count_events(self, chat_id: int, article_id: int) -> int:
        row = await self._one("SELECT count(*) FROM events WHERE article_id = ? AND chat_id = ?", (article_id, chat_id))
        return int(row[0]) if row else 0

    # -- deletion and export -------------------------------------------------------------------------

    async def delete_article(self, chat_id: int, number: int) -> bool:
        async with self.db.transaction(chats=[chat_id]) as conn:
            async with conn.execute(
                "DELETE FROM articles WHERE chat_id = ? AND number = ? RETURNING id", (chat_id, number)
            ) as cur:
                row = await cur.fetchone()
            if row is None:
                return False
            await conn.execute("DELETE FROM articles_fts WHERE rowid = ?", (row[0],))
            await conn.execute("DELETE FROM articles_stems WHERE rowid = ?", (row[0],))
            await _drop_orphan_people(conn, chat_id)
        return True

    async def delete_chat_data(self, chat_id: int) -> int:
        async with self.db.transaction(chats=[chat_id], bulk=True) as conn:
            async with conn.execute("DELETE FROM articles WHERE chat_id = ? RETURNING id", (chat_id,)) as cur:
                deleted = [r[0] for r in await cur.fetchall()]
            await conn.execute("DELETE FROM articles_fts WHERE chat_id = ?", (chat_id,))
            await conn.execute("DELETE FROM articles_stems WHERE chat_id = ?", (chat_id,))
            await conn.execute("DELETE FROM people WHERE chat_id = ?", (chat_id,))
        return len(deleted)

    async def export_articles(self, chat_id: int) -> list[dict[str, Any]]:
        """Everything the chat stored, in four queries whatever the archive's size (not four per article)."""
        rows = await self._all(
            f"SELECT {_ARTICLE_COLUMNS}, raw_text FROM articles WHERE chat_id = ? ORDER BY number", (chat_id,)
        )
        summaries: dict[int, list[str]] = {}
        for r in await self._all(
            "SELECT s.article_id, s.text FROM sentences s JOIN articles a ON a.id = s.article_id "
            "WHERE a.chat_id = ? AND s.rank >= 0 AND s.rank < 3 ORDER BY s.article_id, s.idx",
            (chat_id,),
        ):
            summaries.setdefault(r[0], []).append(r[1])
        quotes: dict[int, list[dict[str, Any]]] = {}
        for r in await self._all(
            "SELECT q.article_id, q.speaker, q.mention, q.text, q.direct FROM quotes q "
            "JOIN articles a ON a.id = q.article_id WHERE a.chat_id = ? ORDER BY q.article_id, q.start",
            (chat_id,),
        ):
            quotes.setdefault(r[0], []).append({"speaker": r[1], "mention": r[2], "text": r[3], "direct": bool(r[4])})
        events: dict[int, list[dict[str, Any]]] = {}
        for r in await self._all(
            "SELECT e.article_id, e.value, e.label, e.text, e.speaker FROM events e "
            "JOIN articles a ON a.id = e.article_id WHERE a.chat_id = ? ORDER BY e.article_id, e.sort_key",
            (chat_id,),
        ):
            events.setdefault(r[0], []).append({"value": r[1], "label": r[2], "text": r[3], "speaker": r[4]})
        exported = []
        for row in rows:
            article = ArticleRow.from_row(row)
            exported.append(
                {
                    "number": article.number,
                    "title": article.title,
                    "author": article.author,
                    "source": {
                        "kind": article.source.kind,
                        "name": article.source.name,
                        "url": article.source.url,
                    },
                    "published_at": iso(article.published_at) if article.dated else None,
                    "ingested_at": iso(article.ingested_at),
                    "status": article.status,
                    "text": row["raw_text"],
                    "summary": summaries.get(article.id, []),
                    "quotes": quotes.get(article.id, []),
                    "events": events.get(article.id, []),
                }
            )
        return exported


async def _drop_orphan_people(conn: Conn, chat_id: int) -> None:
    await conn.execute(
        "DELETE FROM people WHERE chat_id = ? AND NOT EXISTS (SELECT 1 FROM quotes q WHERE q.person_id = people.id)",
        (chat_id,),
    )


class Repository(
    ArticleQueries,
    QuoteQueries,
    SourceQueries,
    TimelineQueries,
    DigestQueries,
    SearchQueries,
    FeedQueries,
    ChannelQueries,
    InboxQueries,
):
    """The one repository: each feature's queries live in their own module and are mixed in here."""


__all__ = ["LOCAL_CHAT_ID", "ArticleRow", "ChatSettings", "Repository", "RepositoryBase", "Source", "utcnow"]
