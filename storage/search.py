"""Search over word stems: the articles of a chat that hold every asked stem, best first (bm25).

The index `articles_stems` has one row per analysed article (rowid = article id) holding the stems of its
title and text (analysis.search.stemmed_text). On SQLite it is an FTS5 table, and the MATCH expression quotes
every stem, so no input reaches FTS5's query syntax. On PostgreSQL it is a tsvector of the stems word for word
(precis_simple) in a GIN index; the stems go to `plainto_tsquery`, which reads plain text and has no syntax at
all, and `ts_rank` orders the matches. Every value is a bound parameter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from storage.base import RepositoryBase
from storage.timeline import fts_query

# A title's words weigh more than the body's: an article about NATO says so in its headline.
_TITLE_WEIGHT = 4.0

# The best articles of a chat for the stems: bm25 is lower for better matches.
SEARCH_SQL = (
    f"SELECT rowid, bm25(articles_stems, {_TITLE_WEIGHT}, 1.0) AS score FROM articles_stems "
    "WHERE articles_stems MATCH ? AND chat_id = ? ORDER BY score, rowid DESC LIMIT ?"
)
# The newest articles of a chat that hold the stems (topics of /timeline).
NEWEST_SQL = "SELECT rowid FROM articles_stems WHERE articles_stems MATCH ? AND chat_id = ? ORDER BY rowid DESC LIMIT ?"
# Which of these articles hold the stems (digest filters).
AMONG_SQL = "SELECT rowid FROM articles_stems WHERE articles_stems MATCH ? AND chat_id = ? AND rowid IN ({ids})"

# The same on PostgreSQL. The stems, as plain text, must all be there; ts_rank weighs a title's stem (A) _TITLE_WEIGHT
# times a body's (B) and divides by the log of the length, as bm25 favours the shorter text; it is higher for better
# matches, so its negation is the score (lower is better, as bm25's).
_PG_STEMS = "plainto_tsquery('precis_simple', ?1)"
PG_SEARCH_SQL = (
    f"SELECT rowid, -ts_rank('{{0, 0, {1 / _TITLE_WEIGHT}, 1}}', tsv, {_PG_STEMS}, 1) AS score "
    f"FROM articles_stems WHERE chat_id = ?2 AND tsv @@ {_PG_STEMS} ORDER BY score, rowid DESC LIMIT ?3"
)
PG_NEWEST_SQL = (
    f"SELECT rowid FROM articles_stems WHERE chat_id = ?2 AND tsv @@ {_PG_STEMS} ORDER BY rowid DESC LIMIT ?3"
)
PG_AMONG_SQL = (
    "SELECT rowid FROM articles_stems WHERE chat_id = ? AND tsv @@ plainto_tsquery('precis_simple', ?) "
    "AND rowid = ANY(?)"
)


def pg_stems(stems: Sequence[str]) -> str:
    """The stems as plainto_tsquery's text: words separated by spaces (a NUL is no word, and PostgreSQL's text
    cannot hold one)."""
    return " ".join(stems).replace("\x00", "")


@dataclass(frozen=True, slots=True)
class Unindexed:
    id: int
    chat_id: int
    title: str
    text: str


class SearchQueries(RepositoryBase):
    async def search_articles(self, chat_id: int, stems: Sequence[str], limit: int) -> list[tuple[int, float]]:
        """(article id, bm25 score) of the chat's articles holding every stem, best first."""
        if not stems:
            return []
        if self.db.dialect == "postgresql":
            rows = await self._all(PG_SEARCH_SQL, (pg_stems(stems), chat_id, limit))
        else:
            rows = await self._all(SEARCH_SQL, (fts_query(stems), chat_id, limit))
        return [(int(r[0]), float(r[1])) for r in rows]

    async def stem_article_ids(self, chat_id: int, stems: Sequence[str], limit: int) -> list[int]:
        """Ids of the newest `limit` articles of the chat holding every stem, newest first."""
        if not stems:
            return []
        if self.db.dialect == "postgresql":
            rows = await self._all(PG_NEWEST_SQL, (pg_stems(stems), chat_id, limit))
        else:
            rows = await self._all(NEWEST_SQL, (fts_query(stems), chat_id, limit))
        return [int(r[0]) for r in rows]

    async def articles_matching(
        self, chat_id: int, article_ids: Sequence[int], stems: Sequence[str], *, any_of: bool = False
    ) -> set[int]:
        """The ids among `article_ids` whose text holds every stem (or, with any_of, at least one)."""
        if not stems or not article_ids:
            return set()
        found: set[int] = set()
        groups = [[s] for s in stems] if any_of else [list(stems)]
        for start in range(0, len(article_ids), 500):
            chunk = article_ids[start : start + 500]
            sql = AMONG_SQL.format(ids=", ".join("?" * len(chunk)))
            for group in groups:
                if self.db.dialect == "postgresql":
                    rows = await self._all(PG_AMONG_SQL, (chat_id, pg_stems(group), list(chunk)))
                else:
                    rows = await self._all(sql, (fts_query(group), chat_id, *chunk))
                found.update(int(r[0]) for r in rows)
        return found

    async def articles_quoting(self, chat_id: int, article_ids: Sequence[int], person_ids: Sequence[int]) -> set[int]:
        """The ids among `article_ids` that hold a statement by one of the people (digest filters: "from X")."""
        if not article_ids or not person_ids:
            return set()
        found: set[int] = set()
        people = ", ".join("?" * len(person_ids))
        for start in range(0, len(article_ids), 500):
            chunk = article_ids[start : start + 500]
            rows = await self._all(
                f"SELECT DISTINCT article_id FROM quotes WHERE person_id IN ({people}) AND +chat_id = ? "
                f"AND article_id IN ({', '.join('?' * len(chunk))})",
                (*person_ids, chat_id, *chunk),
            )
            found.update(int(r[0]) for r in rows)
        return found

    async def article_sentence_texts(self, article_id: int) -> list[str]:
        rows = await self._all("SELECT text FROM sentences WHERE article_id = ? ORDER BY idx", (article_id,))
        return [r[0] for r in rows]

    async def unindexed_articles(self, limit: int = 200) -> list[Unindexed]:
        """Analysed articles missing from the stem index (stored before it existed)."""
        rows = await self._all(
            "SELECT id, chat_id, coalesce(title, ''), coalesce(clean_text, raw_text) FROM articles a "
            "WHERE status = 'ready' AND NOT EXISTS (SELECT 1 FROM articles_stems s WHERE s.rowid = a.id) "
            "ORDER BY id LIMIT ?",
            (limit,),
        )
        return [Unindexed(int(r[0]), int(r[1]), r[2], r[3]) for r in rows]

    async def index_stems(self, entries: Sequence[tuple[int, int, str, str]]) -> None:
        """Store (article id, chat id, title stems, text stems) rows in the stem index, replacing old ones."""
        # A backfill's batch (many articles' stems) is bulk; one article's is not.
        async with self.db.transaction(chats={chat_id for _, chat_id, _, _ in entries}, bulk=len(entries) > 1) as conn:
            for article_id, chat_id, title_stems, stems in entries:
                await conn.execute("DELETE FROM articles_stems WHERE rowid = ?", (article_id,))
                await conn.execute(
                    "INSERT INTO articles_stems (rowid, title, body, chat_id) "
                    "SELECT id, ?, ?, chat_id FROM articles WHERE id = ? AND chat_id = ?",
                    (title_stems, stems, article_id, chat_id),
                )
