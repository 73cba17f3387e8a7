"""Summaries in Telegram: the card shown after an article arrives, /summary, and the "more sentences" button."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from handlers.common import Button, Command, button, command
from storage.repository import ArticleRow
from usecases.errors import UserError
from usecases.services import Services
from usecases.summary import SummaryView, find_article, summary_view
from views.i18n import t
from views.render import MESSAGE_LIMIT
from views.summary import SUMMARY_MESSAGES, render_summary

CALLBACK_PREFIX = "sum"


def parse_summary_args(args: list[str]) -> tuple[int | None, int | None]:
    """`/summary`, `/summary 12`, `/summary 12 5` → (number, sentences)."""
    if len(args) > 2 or not all(a.isdigit() and len(a) < 10 for a in args):
        raise UserError("bad_summary_args")
    numbers = [int(a) for a in args]
    return (numbers[0] if numbers else None), (numbers[1] if len(numbers) > 1 else None)


async def article_card(services: Services, article: ArticleRow, lang: str) -> tuple[str, InlineKeyboardMarkup | None]:
    """The card answered when an article arrives: its summary, and a button for more when there is more."""
    view = await summary_view(services, article)
    return render_summary(view, lang), more_keyboard(view, lang)


def card_keyboard(article: ArticleRow, lang: str, shown: int = 3) -> InlineKeyboardMarkup:
    more = min(shown + 3, 20)
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(t(lang, "sentences_more"), callback_data=f"{CALLBACK_PREFIX}:{article.id}:{more}")]]
    )


def more_keyboard(view: SummaryView, lang: str) -> InlineKeyboardMarkup | None:
    if len(view.sentences) >= view.total_sentences or len(view.sentences) >= 20:
        return None
    return card_keyboard(view.article, lang, shown=len(view.sentences))


@command
async def on_summary(cmd: Command) -> None:
    reply_to = cmd.message.reply_to_message.message_id if cmd.message.reply_to_message else None
    number, sentences = parse_summary_args(cmd.args)
    article = await find_article(cmd.services, cmd.chat_id, number, reply_to)
    view = await summary_view(cmd.services, article, sentences)
    html = render_summary(view, cmd.lang, limit=SUMMARY_MESSAGES * MESSAGE_LIMIT)
    await cmd.reply(html, reply_markup=more_keyboard(view, cmd.lang))


@button
async def on_summary_button(pressed: Button) -> None:
    await pressed.answer()  # the answer is a new message: what goes wrong is said there too
    try:
        _, article_id, sentences = pressed.data.split(":")
        article = await pressed.services.repo.article_by_id(pressed.chat_id, int(article_id))
        shown = int(sentences)
    except ValueError:
        await pressed.send(t(pressed.lang, "error"))
        return
    if article is None:
        raise UserError("not_an_article")
    view = await summary_view(pressed.services, article, shown)
    html = render_summary(view, pressed.lang, limit=SUMMARY_MESSAGES * MESSAGE_LIMIT)
    await pressed.send(html, more_keyboard(view, pressed.lang))
