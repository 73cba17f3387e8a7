"""Search results as text: for Telegram (the matching words in bold) and as JSON for the CLI."""

from __future__ import annotations

from typing import Any

from analysis.search import Passage
from storage.base import iso
from usecases.search import SearchResult
from views.i18n import t, tn
from views.render import bold, escape, truncate

_PASSAGE_CHARS = 400


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
    lines = [tn(lang, "search_header", result.total, query=escape(result.query)), ""]
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
