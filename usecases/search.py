"""/search words: the chat's articles that hold every word (in any of its forms), best first, each with the
sentence that matched. The Telegram command and the CLI both call `search`; views.search renders it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from analysis.search import Passage, best_passage, query_stems, stemmed_articles
from storage.repository import ArticleRow
from usecases.errors import UserError
from usecases.services import Services

log = logging.getLogger(__name__)

MAX_QUERY_CHARS = 200
SHOWN = 10  # articles listed in one answer; the rest are counted
_LOOKED_AT = 200  # matches counted beyond those shown
_INDEX_BATCH = 100


@dataclass(frozen=True, slots=True)
class SearchHit:
    article: ArticleRow
    passage: Passage | None
    score: float  # relevance, lower is better: bm25 on SQLite, ts_rank negated on PostgreSQL


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: str
    hits: list[SearchHit]
    total: int  # how many articles matched (at most _LOOKED_AT)


async def search(services: Services, chat_id: int, query: str, limit: int = SHOWN) -> SearchResult:
    """The chat's articles holding every word of the query (any case form), best first."""
    query = " ".join(query.split())
    if not query:
        raise UserError("search_usage")
    if len(query) > MAX_QUERY_CHARS:
        raise UserError("search_too_long", limit=MAX_QUERY_CHARS, size=len(query))
    stems = query_stems(query)
    if not stems:
        raise UserError("search_usage")
    repo = services.repo
    found = await repo.search_articles(chat_id, stems, max(limit, _LOOKED_AT))
    if not found and not await repo.chat_has_articles(chat_id):
        raise UserError("no_articles")
    hits = []
    for article_id, score in found[:limit]:
        article = await repo.article_by_id(chat_id, article_id)
        if article is None:
            continue
        passage = best_passage(await repo.article_sentence_texts(article_id), stems)
        hits.append(SearchHit(article, passage, score))
    return SearchResult(query, hits, len(found))


async def index_missing(services: Services) -> int:
    """Put every analysed article that the stem index lacks into it (articles stored before it existed);
    the stems are computed in the analysis workers."""
    done = 0
    while batch := await services.repo.unindexed_articles(_INDEX_BATCH):
        stemmed = await services.analyzer.run(stemmed_articles, [(a.title, a.text) for a in batch])
        await services.repo.index_stems(
            [(a.id, a.chat_id, title, text) for a, (title, text) in zip(batch, stemmed, strict=True)]
        )
        done += len(batch)
    return done
