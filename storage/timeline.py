"""Dated events: one article's, and those of every article in a chat that mentions a topic or a person.

Topics are found with the articles_fts index (rowid = article id), people through person_keys and the quotes
they are credited with. On SQLite the MATCH expression is built by `fts_query` from the words of the user's
text, each one a quoted string, so no input can reach FTS5's query syntax. On PostgreSQL the words go to
`plainto_tsquery` / `phraseto_tsquery`, which read plain text and have no syntax at all; each article is indexed in
its language's text search configuration, and a query is read in each of them. Every value is a bound parameter.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.base import RepositoryBase, Row, Source, parse_iso
from storage.db import Database

# FTS5's unicode61 tokenizer splits at everything that is not a letter or digit; so do we, so that each word
# we quote is one token for it.
_FTS_WORD = re.compile(r"[^\W_]+")


def fts_words(text: str) -> list[str]:
    """The searchable words of a user's text, in order, without repeats (case-insensitively)."""
    seen: set[str] = set()
    words = []
    for word in _FTS_WORD.findall(text):
        if word.casefold() not in seen:
            seen.add(word.casefold())
            words.append(word)
    return words


def fts_query(words: Sequence[str], *, phrase: bool = False) -> str:
    """A MATCH expression that means only "these words" (all of them, or as one phrase).

    Each word is an FTS5 string: inside double quotes, with any double quote doubled, so "OR", "NEAR", "*",
    "(" and ":" are words to look for, never operators.
    """
    # A NUL would end the string inside SQLite's FTS5 parser ("unterminated string"): it is no word anyway.
    quoted = ['"' + w.replace("\x00", "").replace('"', '""') + '"' for w in words]
    return " + ".join(quoted) if phrase else " AND ".join(quoted)


# Not frozen: a topic's time line makes a few thousand of these, and a frozen dataclass sets each field through
# object.__setattr__ (several times the cost). Nothing changes one after it is made.
@dataclass(slots=True)
class StoredEvent:
    id: int
    article_id: int
    article_number: int
    article_title: str | None
    source: Source
    published_at: datetime
    value: str
    granularity: str
    sort_key: str
    label: str
    text: str
    speaker: str | None
    actors: tuple[str, ...]
    sentence_index: int
    end_value: str = ""  # the end of the period the event spans; "" for a point


@dataclass(frozen=True, slots=True)
class PersonHit:
    id: int
    name: str
    kind: str


_EVENT_COLUMNS = (
    "e.id, e.article_id, a.number, a.title, a.source_kind, a.source_name, a.source_url, a.published_at, "
    "e.value, e.granularity, e.sort_key, e.label, e.text, e.speaker, e.actors, e.sentence_idx, e.end_value"
)

# PostgreSQL text search configurations by article language; any other language is indexed word for word.
TS_CONFIGS = {"en": "precis_english", "ru": "precis_russian"}


def ts_config(lang: str | None) -> str:
    return TS_CONFIGS.get(lang or "", "precis_simple")


async def index_article(
    db: Database, conn: Any, article_id: int, chat_id: int, title: str, body: str, lang: str | None
) -> None:
    """Put an analysed article into the full-text index (inside the caller's transaction)."""
    if db.dialect == "sqlite":
        await conn.execute(
            "INSERT INTO articles_fts (rowid, title, body, chat_id) VALUES (?, ?, ?, ?)",
            (article_id, title, body, chat_id),
        )
    else:
        await conn.execute(
            "INSERT INTO articles_fts (rowid, title, body, chat_id, config) VALUES (?, ?, ?, ?, ?::regconfig) "
            "ON CONFLICT (rowid) DO UPDATE SET title = excluded.title, body = excluded.body, config = excluded.config",
            (article_id, title, body, chat_id, ts_config(lang)),
        )


# A query in every configuration an article may be indexed in: the words must all be there (as stems, for
# English and Russian), or form a phrase. Parameters: the chat, the words as plain text, then the rest.
_PG_ANY_CONFIG = (
    "(plainto_tsquery('precis_english', ?2) || plainto_tsquery('precis_russian', ?2) "
    "|| plainto_tsquery('precis_simple', ?2))"
)
_PG_ANY_CONFIG_PHRASE = _PG_ANY_CONFIG.replace("plainto_tsquery", "phraseto_tsquery")
PG_TOPIC_ARTICLES_SQL = (
    f"SELECT rowid FROM articles_fts WHERE chat_id = ?1 AND tsv @@ {_PG_ANY_CONFIG} ORDER BY rowid DESC LIMIT ?3"
)
PG_PERSON_ARTICLES_SQL = (
    f"SELECT rowid FROM articles_fts WHERE chat_id = ?1 AND tsv @@ {_PG_ANY_CONFIG_PHRASE} "
    "UNION SELECT article_id FROM quotes WHERE chat_id = ?1 AND person_id = ANY(?3) "
    "ORDER BY 1 DESC LIMIT ?4"
)

# One article's events, in the order the article's time line has them (events_by_article gives sort_key).
ARTICLE_EVENTS_SQL = (
    f"SELECT {_EVENT_COLUMNS} FROM events e JOIN articles a ON a.id = e.article_id "
    "WHERE e.article_id = ? AND a.chat_id = ? ORDER BY e.sort_key, e.sentence_idx"
)

# The newest articles of a chat whose title or text matches; FTS5 walks its rowids (article ids) downwards.
TOPIC_ARTICLES_SQL = (
    "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? AND chat_id = ? ORDER BY rowid DESC LIMIT ?"
)

# Articles that name a person (the phrase of their name) or quote them.
PERSON_ARTICLES_SQL = (
    "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? AND chat_id = ? "
    "UNION SELECT article_id FROM quotes WHERE chat_id = ? AND person_id IN ({ids}) "
    "ORDER BY 1 DESC LIMIT ?"
)

# The events of given articles, and those articles' details once each (not once per event). The chat is
# checked with `+e.chat_id`: the unary plus keeps the planner off events_by_chat, which would walk every
# event of the chat instead of the few of these articles.
ARTICLES_EVENTS_SQL = (
    "SELECT e.id, e.article_id, e.value, e.granularity, e.sort_key, e.label, e.text, e.speaker, e.actors, "
    "e.sentence_idx, e.end_value FROM events e WHERE e.article_id IN ({ids}) AND +e.chat_id = ?"
)
ARTICLES_INFO_SQL = (
    "SELECT id, number, title, source_kind, source_name, source_url, published_at FROM articles "
    "WHERE id IN ({ids}) AND chat_id = ?"
)

# On PostgreSQL both in one statement, with the ids as one array parameter: one round trip, and one statement
# text whatever the number of articles, so the server prepares it once per connection. The ids bound both
# tables: with them on the events alone, the planner takes a few thousand events for more than a sequential
# read of every article of the chat costs, and hashes the whole articles table (tens of milliseconds at
# 100,000 articles) to join 500 of them.
PG_ARTICLES_EVENTS_SQL = (
    "SELECT e.id, e.article_id, e.value, e.granularity, e.sort_key, e.label, e.text, e.speaker, e.actors, "
    "e.sentence_idx, e.end_value, a.number, a.title, a.source_kind, a.source_name, a.source_url, a.published_at "
    "FROM articles a JOIN events e ON e.article_id = a.id "
    "WHERE a.id = ANY(?1) AND e.article_id = ANY(?1) AND a.chat_id = ?2 AND e.chat_id = ?2"
)

PEOPLE_BY_KEY_SQL = (
    "SELECT p.id, p.name, p.kind FROM person_keys k JOIN people p ON p.id = k.person_id "
    "WHERE k.chat_id = ? AND k.key = ? ORDER BY p.name"
)


def _placeholders(n: int) -> str:
    return ", ".join("?" * n)


class TimelineQueries(RepositoryBase):
    async def article_events(self, chat_id: int, article_id: int) -> list[StoredEvent]:
        rows = await self._all(ARTICLE_EVENTS_SQL, (article_id, chat_id))
        return [_event(r) for r in rows]

    async def topic_article_ids(self, chat_id: int, words: Sequence[str], limit: int) -> list[int]:
        """Ids of the newest `limit` articles of the chat that contain every word, newest first."""
        if not words:
            return []
        if self.db.dialect == "postgresql":
            rows = await self._all(PG_TOPIC_ARTICLES_SQL, (chat_id, " ".join(words), limit))
            return [int(r[0]) for r in rows]
        rows = await self._all(TOPIC_ARTICLES_SQL, (fts_query(words), chat_id, limit))
        return [int(r[0]) for r in rows]

    async def person_article_ids(
        self, chat_id: int, name_words: Sequence[str], person_ids: Sequence[int], limit: int
    ) -> list[int]:
        """Ids of the newest `limit` articles that contain the name as a phrase or quote one of the people."""
        if not name_words:
            return []
        if self.db.dialect == "postgresql":
            rows = await self._all(PG_PERSON_ARTICLES_SQL, (chat_id, " ".join(name_words), list(person_ids), limit))
            return [int(r[0]) for r in rows]
        sql = PERSON_ARTICLES_SQL.format(ids=_placeholders(len(person_ids)))
        rows = await self._all(sql, (fts_query(name_words, phrase=True), chat_id, chat_id, *person_ids, limit))
        return [int(r[0]) for r in rows]

    async def events_of_articles(self, chat_id: int, article_ids: Sequence[int]) -> list[StoredEvent]:
        """The events of these articles (those of the chat only), in no particular order."""
        if not article_ids:
            return []
        # Rows are unpacked, not indexed: a PostgreSQL row's [i] is a Python call (it also takes column
        # names), and a time line reads a few thousand rows of a dozen columns.
        info: dict[int, tuple[int, str | None, Source, datetime]] = {}
        if self.db.dialect == "postgresql":
            rows = await self._all(PG_ARTICLES_EVENTS_SQL, (list(article_ids), chat_id))
            events = []
            for row in rows:
                article_id = row[1]
                article = info.get(article_id)
                if article is None:  # each article's details come with each of its events: read them once
                    number, title, source_kind, source_name, source_url, published_at = row[EVENT_FIELDS:]
                    article = info[article_id] = (
                        number,
                        title,
                        Source(source_kind, source_name, source_url),
                        parse_iso(published_at),
                    )
                events.append(_stored_event(row, article))
            return events
        ids = _placeholders(len(article_ids))
        for article_id, number, title, source_kind, source_name, source_url, published_at in await self._all(
            ARTICLES_INFO_SQL.format(ids=ids), (*article_ids, chat_id)
        ):
            info[article_id] = (number, title, Source(source_kind, source_name, source_url), parse_iso(published_at))
        events = []
        for row in await self._all(ARTICLES_EVENTS_SQL.format(ids=ids), (*article_ids, chat_id)):
            article = info.get(row[1])
            if article is None:  # not the chat's: the article check and the events check must agree
                continue
            events.append(_stored_event(row, article))
        return events

    async def timeline_people(self, chat_id: int, key: str) -> list[PersonHit]:
        """The chat's people indexed under a name key (see usecases.ingest.people_index)."""
        rows = await self._all(PEOPLE_BY_KEY_SQL, (chat_id, key))
        return [PersonHit(int(r[0]), r[1], r[2]) for r in rows]

    async def chat_has_articles(self, chat_id: int) -> bool:
        return await self._one("SELECT 1 FROM articles WHERE chat_id = ? LIMIT 1", (chat_id,)) is not None

    async def timeline_person_names(self, chat_id: int, limit: int = 5000) -> list[str]:
        """Names to suggest from when a query matched nothing."""
        rows = await self._all("SELECT name FROM people WHERE chat_id = ? ORDER BY id DESC LIMIT ?", (chat_id, limit))
        return [r[0] for r in rows]


EVENT_FIELDS = 11  # the columns of an event row before its article's (PostgreSQL reads both in one row)


def _stored_event(row: Row, article: tuple[int, str | None, Source, datetime]) -> StoredEvent:
    """An event row (id, article id, value, granularity, sort key, label, text, speaker, actors, sentence index,
    end value) with its article's number, title, source and date."""
    event_id, article_id, value, granularity, sort_key, label, text, speaker, actors, sentence_index, end_value = row[
        :EVENT_FIELDS
    ]
    return StoredEvent(
        event_id,
        article_id,
        *article,
        value,
        granularity,
        sort_key,
        label,
        text,
        speaker,
        _actors(actors),
        sentence_index,
        end_value,
    )


def _actors(stored: str | None) -> tuple[str, ...]:
    """The actors column ("Name; Name") as names."""
    return tuple(filter(None, stored.split("; "))) if stored else ()


def _event(r: Row) -> StoredEvent:
    return StoredEvent(
        id=r[0],
        article_id=r[1],
        article_number=r[2],
        article_title=r[3],
        source=Source(r[4], r[5], r[6]),
        published_at=parse_iso(r[7]),
        value=r[8],
        granularity=r[9],
        sort_key=r[10],
        label=r[11],
        text=r[12],
        speaker=r[13],
        actors=_actors(r[14]),
        sentence_index=r[15],
        end_value=r[16],
    )
