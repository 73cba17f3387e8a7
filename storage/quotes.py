"""Quotes and the people who said them.

Every query here is scoped by chat and walks an index: `person_keys` (chat_id, key) finds people by a
normalised name, `quotes_by_person` (person_id, article_id DESC, start, chat_id) lists what they said, newest
article first, and `people.quote_count` (kept by triggers, indexed per chat) says how much without counting. A
statement list for several people is merged from one index range per person, each cut at the page it needs, so
the cost of a page grows with its depth, never with the size of the archive.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.base import RepositoryBase, Source, parse_iso

# More people than this in one answer is a question back to the user, not a list (see usecases.quotes).
MAX_PEOPLE_PER_QUERY = 500


@dataclass(frozen=True, slots=True)
class StoredQuote:
    article_id: int
    article_number: int
    article_title: str | None
    source: Source
    published_at: datetime
    speaker: str | None
    speaker_kind: str
    mention: str
    text: str
    direct: bool
    cue: str
    score: float
    person_id: int | None = None


@dataclass(frozen=True, slots=True)
class PersonEntry:
    """A person (or organisation) an article names, as stored: with the keys a name query finds them by
    (computed by the caller: usecases.ingest.people_index)."""

    name: str
    kind: str  # person | organization | unknown
    keys: frozenset[str]


@dataclass(frozen=True, slots=True)
class StoredPerson:
    id: int
    name: str
    kind: str  # person | organization
    quotes: int = 0  # statements attributed to them in this chat


_QUOTE_COLUMNS = (
    "q.article_id, a.number, a.title, a.source_kind, a.source_name, a.source_url, a.published_at, "
    "q.speaker, q.speaker_kind, q.mention, q.text, q.direct, q.cue, q.score, q.person_id"
)


def _marks(n: int) -> str:
    return ", ".join("?" * n)


def quotes_of_people_sql(people: int) -> str:
    """The statements of `people` people, newest article first, in document order within an article.

    Parameters: chat_id, then (person_id, depth) per person, then limit and offset. Each person's rows come
    from their own `quotes_by_person` range, already in the wanted order and cut at `depth` (offset + limit),
    so no step reads more than the page needs.
    """
    if people < 1:
        raise ValueError("at least one person")
    # Numbered parameters: ?1 is the chat, each person has their own id and depth, then limit and offset.
    parts = [
        "SELECT * FROM (SELECT id, article_id, start FROM quotes "
        f"WHERE person_id = ?{2 * i + 2} AND chat_id = ?1 ORDER BY article_id DESC, start LIMIT ?{2 * i + 3}) AS p{i}"
        for i in range(people)
    ]
    last = 2 * people + 1
    return (
        f"SELECT {_QUOTE_COLUMNS} FROM ({' UNION ALL '.join(parts)}) AS pick "
        "JOIN quotes q ON q.id = pick.id JOIN articles a ON a.id = q.article_id "
        f"ORDER BY pick.article_id DESC, pick.start, pick.id LIMIT ?{last + 1} OFFSET ?{last + 2}"
    )


# CROSS JOIN fixes the join order (SQLite's documented hint): from the keys to the people, whatever the
# statistics say, so that a lookup never walks the chat's people. The join condition is in WHERE, which both
# dialects accept after a CROSS JOIN (PostgreSQL's planner chooses the same order from its statistics).
_PEOPLE_FROM_KEYS = (
    "SELECT DISTINCT p.id, p.name, p.kind, p.quote_count FROM person_keys k CROSS JOIN people p "
    "WHERE p.id = k.person_id AND "
)


def people_by_keys_sql(keys: int) -> str:
    """People indexed under any of `keys` keys. Parameters: chat_id, the keys, limit."""
    return _PEOPLE_FROM_KEYS + f"k.chat_id = ? AND k.key IN ({_marks(keys)}) ORDER BY p.id LIMIT ?"


# People with a key in a range (key >= prefix AND key < prefix + U+10FFFF: a range on the primary key, not a
# LIKE scan) and of a length in a range. Parameters: chat_id, prefix, prefix's end, shortest, longest, limit.
PEOPLE_BY_KEY_PREFIX_SQL = (
    _PEOPLE_FROM_KEYS + "k.chat_id = ? AND k.key >= ? AND k.key < ? AND length(k.key) BETWEEN ? AND ? LIMIT ?"
)


# The chat's most quoted, read from the people_by_quote_count index. Parameters: chat_id, limit.
QUOTED_PEOPLE_SQL = (
    "SELECT id, name, kind, quote_count FROM people WHERE chat_id = ? AND quote_count > 0 "
    "ORDER BY quote_count DESC, name LIMIT ?"
)


def quotes_of_people_params(chat_id: int, person_ids: Sequence[int], offset: int, limit: int) -> list[Any]:
    params: list[Any] = [chat_id]
    for person_id in person_ids:
        params += [person_id, offset + limit]
    return [*params, limit, offset]


def _quote(r: Any) -> StoredQuote:
    return StoredQuote(
        article_id=r[0],
        article_number=r[1],
        article_title=r[2],
        source=Source(r[3], r[4], r[5]),
        published_at=parse_iso(r[6]),
        speaker=r[7],
        speaker_kind=r[8],
        mention=r[9],
        text=r[10],
        direct=bool(r[11]),
        cue=r[12],
        score=r[13],
        person_id=r[14],
    )


class QuoteQueries(RepositoryBase):
    async def strongest_quote(self, chat_id: int, article_id: int) -> StoredQuote | None:
        """The article's key quote: the highest-scored statement with a resolved speaker."""
        quotes = await self._quotes(
            "q.article_id = ? AND q.chat_id = ? AND q.speaker IS NOT NULL",
            (article_id, chat_id),
            order="q.score DESC, q.direct DESC, q.start",
            limit=1,
        )
        return quotes[0] if quotes else None

    async def article_quotes(self, chat_id: int, article_id: int, limit: int = 1000) -> list[StoredQuote]:
        """Every statement found in one article, whoever the speaker, in document order."""
        return await self._quotes(
            "q.article_id = ? AND q.chat_id = ?", (article_id, chat_id), order="q.start", limit=limit
        )

    async def people_by_keys(
        self, chat_id: int, keys: Iterable[str], limit: int = MAX_PEOPLE_PER_QUERY
    ) -> list[StoredPerson]:
        """People (and organisations) indexed under any of `keys` (see usecases.ingest.people_index)."""
        wanted = sorted({k for k in keys if k})
        if not wanted:
            return []
        rows = await self._all(people_by_keys_sql(len(wanted)), (chat_id, *wanted, limit))
        return [StoredPerson(r[0], r[1], r[2], r[3]) for r in rows]

    async def people_by_key_prefixes(
        self, chat_id: int, prefixes: Iterable[str], lengths: tuple[int, int], limit: int = 500
    ) -> list[StoredPerson]:
        """People with a key that starts with any of `prefixes` and has a length within `lengths` (inclusive):
        the candidates for "did you mean"."""
        found: dict[int, StoredPerson] = {}
        for prefix in sorted({p for p in prefixes if p}):
            rows = await self._all(PEOPLE_BY_KEY_PREFIX_SQL, (chat_id, prefix, prefix + "\U0010ffff", *lengths, limit))
            for r in rows:
                found.setdefault(r[0], StoredPerson(r[0], r[1], r[2], r[3]))
        return list(found.values())[:limit]

    async def people_by_ids(self, chat_id: int, person_ids: Iterable[int]) -> list[StoredPerson]:
        ids = sorted(set(person_ids))
        if not ids:
            return []
        rows = await self._all(
            "SELECT id, name, kind, quote_count FROM people "
            f"WHERE chat_id = ? AND id IN ({_marks(len(ids))}) ORDER BY id",
            (chat_id, *ids),
        )
        return [StoredPerson(r[0], r[1], r[2], r[3]) for r in rows]

    async def keys_of(self, chat_id: int, person_ids: Iterable[int]) -> dict[int, list[str]]:
        """The lookup keys each person is indexed under: the forms of their name the articles used."""
        ids = sorted(set(person_ids))
        keys: dict[int, list[str]] = {i: [] for i in ids}
        if not ids:
            return keys
        rows = await self._all(
            f"SELECT person_id, key FROM person_keys WHERE person_id IN ({_marks(len(ids))}) AND chat_id = ?",
            (*ids, chat_id),
        )
        for r in rows:
            keys[r[0]].append(r[1])
        return keys

    async def quotes_of_people(
        self, chat_id: int, person_ids: Sequence[int], *, offset: int = 0, limit: int = 10
    ) -> list[StoredQuote]:
        """Statements of these people, newest article first (document order within an article)."""
        ids = sorted(set(person_ids))
        if not ids or limit <= 0:
            return []
        rows = await self._all(quotes_of_people_sql(len(ids)), quotes_of_people_params(chat_id, ids, offset, limit))
        return [_quote(r) for r in rows]

    async def quoted_people(self, chat_id: int, limit: int = 300) -> list[StoredPerson]:
        """The chat's most quoted people and organisations, with their counts."""
        rows = await self._all(QUOTED_PEOPLE_SQL, (chat_id, limit))
        return [StoredPerson(r[0], r[1], r[2], r[3]) for r in rows]

    async def _quotes(
        self, where: str, params: Sequence[Any], *, order: str, limit: int, offset: int = 0
    ) -> list[StoredQuote]:
        rows = await self._all(
            f"SELECT {_QUOTE_COLUMNS} FROM quotes q JOIN articles a ON a.id = q.article_id WHERE {where} "
            f"ORDER BY {order} LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return [_quote(r) for r in rows]
