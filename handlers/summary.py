"""Summaries: the card shown after an article arrives, and /summary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from analysis.lang import limitations
from handlers.common import Command, PrecisContext, chat_language, command, send_html, services_of
from handlers.i18n import UserError, t
from handlers.render import bold, escape, italic, link_or_text
from handlers.services import Services
from storage.quotes import StoredQuote
from storage.repository import ArticleRow, Source

CALLBACK_PREFIX = "sum"


@dataclass(frozen=True, slots=True)
class SummaryView:
    article: ArticleRow
    sentences: list[str]
    total_sentences: int
    quote: StoredQuote | None
    event_count: int
    notes: tuple[str, ...] = ()  # what the analysis left out: "lang_unsupported"


async def find_article(
    services: Services, chat_id: int, number: int | None = None, reply_to_message_id: int | None = None
) -> ArticleRow:
    """The article a command is about: the replied-to message's, a numbered one, or the newest."""
    repo = services.repo
    if reply_to_message_id is not None and number is None:
        article = await repo.article_by_message(chat_id, reply_to_message_id)
        if article is None:
            raise UserError("not_an_article")
        return article
    if number is not None:
        article = await repo.article_by_number(chat_id, number)
        if article is None:
            last = await repo.last_article(chat_id)
            if last is None:
                raise UserError("no_such_article_empty", number=number)
            raise UserError("no_such_article", number=number, last=last.number)
        return article
    article = await repo.last_article(chat_id)
    if article is None:
        raise UserError("no_articles")
    return article


async def summary_view(services: Services, article: ArticleRow, sentences: int | None = None) -> SummaryView:
    limit = services.limits.max_summary_sentences
    if sentences is not None and not 1 <= sentences <= limit:
        raise UserError("bad_sentences", max=limit)
    if article.status == "pending":
        raise UserError("pending", number=article.number)
    if article.status == "failed":
        raise UserError("failed", number=article.number, reason=escape(article.error or "unknown error"))
    if sentences is None:
        sentences = (await services.repo.chat_settings(article.chat_id)).summary_sentences
    return SummaryView(
        article=article,
        sentences=await services.repo.summary_sentences(article.id, sentences),
        total_sentences=await services.repo.sentence_count(article.id),
        quote=await services.repo.strongest_quote(article.id),
        event_count=await services.repo.count_events(article.id),
        notes=limitations(article.lang) if article.lang else (),
    )


def parse_summary_args(args: list[str]) -> tuple[int | None, int | None]:
    """`/summary`, `/summary 12`, `/summary 12 5` → (number, sentences)."""
    if len(args) > 2 or not all(a.isdigit() and len(a) < 10 for a in args):
        raise UserError("bad_summary_args")
    numbers = [int(a) for a in args]
    return (numbers[0] if numbers else None), (numbers[1] if len(numbers) > 1 else None)


# -- rendering ---------------------------------------------------------------------------------------------


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


async def article_card(services: Services, article: ArticleRow, lang: str) -> tuple[str, InlineKeyboardMarkup | None]:
    """The card answered when an article arrives: its summary, and a button for more when there is more."""
    view = await summary_view(services, article)
    return render_summary(view, lang), more_keyboard(view, lang)


def card_keyboard(article: ArticleRow, lang: str, shown: int = 3) -> InlineKeyboardMarkup:
    more = min(shown + 3, 20)
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(t(lang, "sentences_more"), callback_data=f"{CALLBACK_PREFIX}:{article.id}:{more}")]]
    )


# -- Telegram ---------------------------------------------------------------------------------------------


@command
async def on_summary(cmd: Command) -> None:
    reply_to = cmd.message.reply_to_message.message_id if cmd.message.reply_to_message else None
    number, sentences = parse_summary_args(cmd.args)
    article = await find_article(cmd.services, cmd.chat_id, number, reply_to)
    view = await summary_view(cmd.services, article, sentences)
    await cmd.reply(render_summary(view, cmd.lang), reply_markup=more_keyboard(view, cmd.lang))


async def on_summary_button(update: Update, context: PrecisContext) -> None:
    query = update.callback_query
    if query is None or query.data is None or query.message is None:
        return
    services = services_of(context)
    lang = await chat_language(services, update)
    await query.answer()
    try:
        _, article_id, sentences = query.data.split(":")
        article = await services.repo.article_by_id(query.message.chat.id, int(article_id))
        if article is None:
            raise UserError("not_an_article")
        view = await summary_view(services, article, int(sentences))
    except (ValueError, UserError) as problem:
        text = problem.message(lang) if isinstance(problem, UserError) else t(lang, "error")
        await send_html(context.bot, query.message.chat.id, text)
        return
    await send_html(context.bot, query.message.chat.id, render_summary(view, lang), more_keyboard(view, lang))


def more_keyboard(view: SummaryView, lang: str) -> InlineKeyboardMarkup | None:
    if len(view.sentences) >= view.total_sentences or len(view.sentences) >= 20:
        return None
    return card_keyboard(view.article, lang, shown=len(view.sentences))
