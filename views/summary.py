"""Summaries as text: the card shown after an article arrives and /summary's answer, and the source, date and
quote lines other answers share."""

from __future__ import annotations

from datetime import datetime

from storage.quotes import StoredQuote
from storage.repository import Source
from usecases.summary import SummaryView
from views.i18n import t, tn
from views.render import MESSAGE_LIMIT, Html, bold, escape, italic, link_or_text, truncate, visible_length

# Bounds that hold whatever the text: a "sentence" without breaks can be a whole megabyte.
MAX_SENTENCE_CHARS = 600
MAX_TITLE_CHARS = 200
MAX_QUOTE_CHARS = 500
MAX_NAME_CHARS = 100
SUMMARY_MESSAGES = 3  # /summary with many sentences may take a few messages; a card is always one


def render_source(source: Source, lang: str) -> str:
    if source.kind == "pasted" or not source.name:
        return escape(t(lang, "source_pasted"))
    name = source.name if len(source.name) <= MAX_NAME_CHARS else source.name[: MAX_NAME_CHARS - 1] + "…"
    if source.url:
        return link_or_text(name, source.url)
    return escape(name)


def render_date(moment: datetime, lang: str) -> str:
    months = t(lang, "months_in_dates").split()
    return f"{moment.day} {months[moment.month - 1]} {moment.year}"


def clipped(text: str, limit: int) -> Html:
    """Plain text as HTML of at most `limit` visible characters, cut at a word boundary with "…" if longer."""
    return truncate(escape(text[: limit + 1]), limit)


def render_quote(quote: StoredQuote, lang: str = "en") -> str:
    text = t(lang, "quote_open") + quote.text + t(lang, "quote_close") if quote.direct else quote.text
    return f"💬 {italic(clipped(text, MAX_QUOTE_CHARS))} — {clipped(quote.speaker or quote.mention, MAX_NAME_CHARS)}"


def render_summary(view: SummaryView, lang: str, *, limit: int = MESSAGE_LIMIT) -> str:
    """The summary in at most `limit` visible characters (one message by default), whatever the text: a
    "sentence" longer than MAX_SENTENCE_CHARS is cut at a word, and sentences that do not fit are left out."""
    article = view.article
    title = t(lang, "summary_header", number=article.number)
    if article.title:
        title = clipped(article.title, MAX_TITLE_CHARS)
    head = [
        bold(title),
        f"{render_source(article.source, lang)} · {render_date(article.published_at, lang)} · "
        + t(lang, "article_number", number=article.number),
        "",
    ]
    tail: list[str] = []
    if view.quote is not None:
        tail += ["", render_quote(view.quote, lang)]
    if view.event_count:
        tail += ["", tn(lang, "events_line", view.event_count, number=article.number)]
    tail += ["\n" + t(lang, f"note_{note}") for note in view.notes]
    if not view.sentences:
        return "\n".join([*head, escape(t(lang, "no_sentences", number=article.number)), *tail])
    # Two characters stay free for " …", which says that sentences were left out.
    room = limit - visible_length("\n".join([*head, "", *tail])) - 2
    shown: list[str] = []
    for sentence in view.sentences:
        piece = clipped(sentence, max(2, min(MAX_SENTENCE_CHARS, room)))
        cost = visible_length(piece) + (1 if shown else 0)
        if shown and cost > room:
            shown.append("…")
            break
        shown.append(piece)
        room -= cost
    return "\n".join([*head, " ".join(shown), *tail])
