"""Who said what, as text: a page of statements, "which one?", "did you mean", one article's quotes, /people.

Every piece below is already valid Telegram HTML (user text escaped once, by escape/bold/italic), and pieces
are joined with f-strings and str.join into plain strings: never `Html + str`, which would escape twice.
"""

from __future__ import annotations

from collections.abc import Sequence

from analysis.people import name_tokens
from storage.quotes import StoredQuote
from usecases.quotes import (
    PEOPLE_PAGE,
    PEOPLE_SCANNED,
    Ambiguous,
    ArticleQuotes,
    NoMatch,
    PeoplePage,
    QuotesAnswer,
    QuotesPage,
    Speaker,
)
from views.i18n import t, tn
from views.render import Html, bold, escape, italic, truncate
from views.summary import render_date, render_source

QUOTE_CHARS = 350
TITLE_CHARS = 90


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _count(lang: str, n: int) -> str:
    return tn(lang, "quotes_count", n, count=f"{n:,}")


def speaker_label(speaker: Speaker, lang: str) -> Html:
    if speaker.kind == "organization":
        return Html(f"{escape(speaker.name)} {escape(t(lang, 'quotes_organisation_mark'))}")
    return escape(speaker.name)


def render_statement(quote: StoredQuote, lang: str, *, labelled: bool) -> str:
    """💬 “direct quote” or 🗣 reported speech, with who said it when the list mixes speakers, and the words
    that named the speaker when they are not a form of the name ("he", "the President of France")."""
    text = shorten(quote.text, QUOTE_CHARS)
    marked = t(lang, "quote_open") + text + t(lang, "quote_close")
    line = f"💬 {italic(marked)}" if quote.direct else f"🗣 {escape(text)}"
    who: list[str] = []
    if labelled or quote.speaker is None:
        who.append(bold(quote.speaker or t(lang, "quotes_unnamed")))
    if quote.mention and not _names(quote.mention, quote.speaker):
        who.append(t(lang, "quotes_as", mention=escape(shorten(quote.mention, 60))))
    return f"{line} — {' '.join(who)}" if who else line


def _names(mention: str, speaker: str | None) -> bool:
    """Whether the words that named the speaker hold their name ("Shipping executive Erik Berg"), as opposed to
    a pronoun or a role ("he", "the President of France"), which the reader should see."""
    surname = name_tokens(speaker)[-1:] if speaker else []
    return bool(surname) and surname[0] in name_tokens(mention)


def render_article_line(quote: StoredQuote, lang: str) -> str:
    title = shorten(quote.article_title or t(lang, "quotes_untitled"), TITLE_CHARS)
    number = t(lang, "article_number", number=quote.article_number)
    when = render_date(quote.published_at, lang)
    return f"{bold(number)} {bold(title)}\n{render_source(quote.source, lang)} · {when}"


def _statements(quotes: Sequence[StoredQuote], lang: str, *, labelled: bool) -> list[str]:
    lines: list[str] = []
    article = None
    for quote in quotes:
        if quote.article_id != article:
            article = quote.article_id
            lines += ["", render_article_line(quote, lang)]
        lines.append(render_statement(quote, lang, labelled=labelled))
    return lines


def render_page(page: QuotesPage, lang: str, *, pageable: bool = True) -> Html:
    """One page of statements; `pageable`: whether the other pages can be asked for (a button can carry it)."""
    count = _count(lang, page.total)
    if page.labelled:
        names = ", ".join(f"{bold(speaker_label(s, lang))} ({s.quotes:,})" for s in page.speakers)
        lines = [
            t(lang, "quotes_header_many", people=len(page.speakers), names=names, count=count),
            t(lang, "quotes_hint_many", example=escape(page.speakers[0].name)),
        ]
    else:
        lines = [t(lang, "quotes_header", name=bold(speaker_label(page.speakers[0], lang)), count=count)]
    if page.pages > 1:
        lines[0] += " · " + t(lang, "quotes_page", page=page.page + 1, pages=page.pages)
    lines.append(italic(t(lang, "quotes_legend")))
    lines += _statements(page.quotes, lang, labelled=page.labelled)
    if page.pages > 1 and not pageable:
        lines += ["", italic(t(lang, "quotes_no_paging"))]
    # A page is edited in place, so it must stay one message: the limits above keep it well under 4096
    # characters; this is the net.
    return truncate("\n".join(lines))


def render_no_match(answer: NoMatch, lang: str) -> str:
    name = escape(answer.query)
    if answer.mentioned:
        names = ", ".join(bold(n) for n in answer.mentioned)
        return t(lang, "quotes_never_quoted", name=name, names=names)
    if answer.suggestions:
        names = ", ".join(bold(n) for n in answer.suggestions)
        return t(lang, "quotes_did_you_mean", name=name, names=names)
    return t(lang, "quotes_no_match", name=name)


def render_ambiguous(answer: Ambiguous, lang: str) -> str:
    lines = [t(lang, "quotes_which", name=escape(answer.query), people=answer.count)]
    lines += [f"• {bold(speaker_label(s, lang))} — {_count(lang, s.quotes)}" for s in answer.speakers]
    if answer.count > len(answer.speakers):
        lines.append(t(lang, "quotes_which_more", more=answer.count - len(answer.speakers)))
    return "\n".join(lines)


def render_answer(answer: QuotesAnswer, lang: str, *, pageable: bool = True) -> str:
    if isinstance(answer, QuotesPage):
        return render_page(answer, lang, pageable=pageable)
    if isinstance(answer, Ambiguous):
        return render_ambiguous(answer, lang)
    return render_no_match(answer, lang)


def render_article_quotes(found: ArticleQuotes, lang: str) -> str:
    article = found.article
    title = shorten(article.title or t(lang, "quotes_untitled"), TITLE_CHARS)
    lines = [
        f"{bold(t(lang, 'article_number', number=article.number))} {bold(title)}",
        f"{render_source(article.source, lang)} · {render_date(article.published_at, lang)}",
        "",
    ]
    if not found.quotes:
        lines.append(t(lang, "quotes_article_none", number=article.number))
        return "\n".join(lines)
    lines.append(t(lang, "quotes_article_header", count=_count(lang, len(found.quotes))))
    lines.append(italic(t(lang, "quotes_legend")))
    lines += [render_statement(q, lang, labelled=True) for q in found.quotes]
    return "\n".join(lines)


def render_people(found: PeoplePage, lang: str) -> str:
    if not found.speakers:
        return t(lang, "people_none")
    lines = [t(lang, "people_header", count=found.total)]
    if found.pages > 1:
        lines[0] += " · " + t(lang, "quotes_page", page=found.page + 1, pages=found.pages)
    first = found.page * PEOPLE_PAGE
    for i, speaker in enumerate(found.speakers, start=first + 1):
        lines.append(f"{i}. {bold(speaker_label(speaker, lang))} — {_count(lang, speaker.quotes)}")
    if found.capped:
        lines += ["", italic(t(lang, "people_capped", count=PEOPLE_SCANNED))]
    lines += ["", t(lang, "people_hint")]
    return "\n".join(lines)


def render_usage(top: Sequence[Speaker], lang: str) -> str:
    """/quotes without a name: how to use it, and whom to ask about (the most quoted speakers)."""
    lines = [t(lang, "quotes_usage")]
    if top:
        lines.append(t(lang, "quotes_top", names=", ".join(f"{escape(s.name)} ({s.quotes:,})" for s in top)))
    else:
        lines.append(t(lang, "people_none"))
    return "\n".join(lines)
