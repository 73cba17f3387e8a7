"""Summaries as text: the card shown after an article arrives and /summary's answer, and the source, date and
quote lines other answers share."""

from __future__ import annotations

from datetime import datetime

from storage.quotes import StoredQuote
from storage.repository import Source
from usecases.summary import SummaryView
from views.i18n import t
from views.render import bold, escape, italic, link_or_text


def render_source(source: Source, lang: str) -> str:
    if source.kind == "pasted" or not source.name:
        return escape(t(lang, "source_pasted"))
    if source.url:
        return link_or_text(source.name, source.url)
    return escape(source.name)


def render_date(moment: datetime, lang: str) -> str:
    months = t(lang, "months_in_dates").split()
    return f"{moment.day} {months[moment.month - 1]} {moment.year}"


def render_quote(quote: StoredQuote, lang: str = "en") -> str:
    text = t(lang, "quote_open") + quote.text + t(lang, "quote_close") if quote.direct else quote.text
    return f"💬 {italic(text)} — {escape(quote.speaker or quote.mention)}"


def render_summary(view: SummaryView, lang: str, *, header: bool = False) -> str:
    article = view.article
    title = article.title or t(lang, "summary_header", number=article.number)
    lines = [
        bold(title),
        f"{render_source(article.source, lang)} · {render_date(article.published_at, lang)} · "
        + t(lang, "article_number", number=article.number),
        "",
    ]
    if view.sentences:
        lines.append(escape(" ".join(view.sentences)))
    else:
        lines.append(escape(t(lang, "no_sentences", number=article.number)))
    if view.quote is not None:
        lines += ["", render_quote(view.quote, lang)]
    if view.event_count:
        key = "events_line_one" if view.event_count == 1 else "events_line"
        lines += ["", t(lang, key, count=view.event_count, number=article.number)]
    lines += ["\n" + t(lang, f"note_{note}") for note in view.notes]
    return "\n".join(lines)
