"""/search words: the chat's articles that hold every word (in any of its forms), best first, each with the
sentence that matched and the words in bold.

`search` serves the Telegram command and the CLI alike; the callback only parses, calls and replies.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from analysis.search import Passage, best_passage, query_stems, stemmed_articles
from handlers.common import Command, command
from handlers.i18n import UserError, t
from handlers.render import bold, escape, truncate
from handlers.services import Services
from storage.base import iso
from storage.repository import ArticleRow

log = logging.getLogger(__name__)

MAX_QUERY_CHARS = 200
SHOWN = 10  # articles listed in one answer; the rest are counted
_LOOKED_AT = 200  # matches counted beyond those shown
_PASSAGE_CHARS = 400
_INDEX_BATCH = 100


@dataclass(frozen=True, slots=True)
class SearchHit:
    article: ArticleRow
    passage: Passage | None
    score: float  # bm25: lower is better


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


# -- rendering ------------------------------------------------------------------------------------------------


def render_passage(passage: Passage, limit: int = _PASSAGE_CHARS) -> str:
    """The sentence as HTML with the matching words in bold; a long one is cut around its first match."""
    text, spans = passage.text, passage.spans
    start = 0
    if len(text) > limit and spans:
        start = max(0, min(spans[0][0] - limit // 4, len(text) - limit))
    end = min(len(text), start + limit)
    out = ["…" if start else ""]
    pos = start
    for s, e in spans:
        if s < start or e > end:
            continue
        out.append(escape(text[pos:s]))
        out.append(bold(text[s:e]))
        pos = e
    out.append(escape(text[pos:end]))
    if end < len(text):
        out.append("…")
    return "".join(out)


def render_search(result: SearchResult, lang: str) -> str:
    if not result.hits:
        return t(lang, "search_none", query=escape(result.query))
    key = "search_header_one" if result.total == 1 else "search_header_other"
    lines = [t(lang, key, n=result.total, query=escape(result.query)), ""]
    for hit in result.hits:
        article = hit.article
        title = escape(article.title or t(lang, "search_untitled"))
        lines.append(
            t(lang, "search_hit", number=article.number, title=title, date=article.published_at.strftime("%Y-%m-%d"))
        )
        if hit.passage is not None:
            lines.append(render_passage(hit.passage))
        lines.append("")
    if result.total > len(result.hits):
        lines.append(t(lang, "search_more", n=result.total - len(result.hits)))
    return truncate("\n".join(lines).strip())


def search_json(result: SearchResult) -> list[dict[str, Any]]:
    return [
        {
            "article_id": hit.article.number,
            "title": hit.article.title,
            "source": hit.article.source.name or hit.article.source.kind,
            "url": hit.article.source.url,
            "published_at": iso(hit.article.published_at),
            "score": round(-hit.score, 4),
            "sentence": hit.passage.text if hit.passage else None,
            "matches": [hit.passage.text[s:e] for s, e in hit.passage.spans] if hit.passage else [],
        }
        for hit in result.hits
    ]


# -- Telegram -------------------------------------------------------------------------------------------------


@command
async def on_search(cmd: Command) -> None:
    result = await search(cmd.services, cmd.chat_id, cmd.argument)
    await cmd.reply(render_search(result, cmd.lang))


__all__ = ["SearchHit", "SearchResult", "index_missing", "on_search", "render_search", "search", "search_json"]
