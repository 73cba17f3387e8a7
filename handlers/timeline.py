"""/timeline in Telegram: the command, and the Earlier/Later buttons that edit the list in place.

Paging is stateless: a button carries the page and what the list is of (an article id, or the topic itself
when it fits in Telegram's 64 bytes of callback data). A longer topic is read back from the command the list
answers, which the list message replies to.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message

from handlers.common import Button, Command, button, command
from usecases.errors import UserError
from usecases.services import Services
from usecases.timeline import TimelineView, article_timeline, timeline_for, topic_timeline
from views.i18n import t
from views.timeline import pages, render_timeline

CALLBACK_PREFIX = "tl"
_CALLBACK_BYTES = 64  # Telegram's limit on callback data


def callback_data(scope: str, page: int) -> str:
    data = f"{CALLBACK_PREFIX}:{page}:{scope}"
    if len(data.encode("utf-8")) > _CALLBACK_BYTES:
        data = f"{CALLBACK_PREFIX}:{page}:r"  # read the topic back from the command this list answers
    return data


def page_keyboard(view: TimelineView, page: int, lang: str) -> InlineKeyboardMarkup | None:
    if pages(view) <= 1:
        return None
    row = []
    if page > 1:
        row.append(InlineKeyboardButton(t(lang, "timeline_earlier"), callback_data=callback_data(view.scope, page - 1)))
    if page < pages(view):
        row.append(InlineKeyboardButton(t(lang, "timeline_later"), callback_data=callback_data(view.scope, page + 1)))
    return InlineKeyboardMarkup([row])


@command
async def on_timeline(cmd: Command) -> None:
    reply_to = cmd.message.reply_to_message.message_id if cmd.message.reply_to_message else None
    view = await timeline_for(cmd.services, cmd.chat_id, " ".join(cmd.args), reply_to)
    html, page = render_timeline(view, cmd.lang)
    await cmd.reply(html, reply_markup=page_keyboard(view, page, cmd.lang))


@button
async def on_timeline_button(pressed: Button) -> None:
    """Earlier/Later: the same message is edited to show the other page."""
    if not isinstance(pressed.message, Message):
        raise UserError("timeline_expired")  # too old to be edited
    view, page = await _view_for_button(pressed.services, pressed.chat_id, pressed.data, pressed.message)
    html, page = render_timeline(view, pressed.lang, page)
    await pressed.edit(html, page_keyboard(view, page, pressed.lang))


async def _view_for_button(services: Services, chat_id: int, data: str, message: Message) -> tuple[TimelineView, int]:
    try:
        _, page_text, scope = data.split(":", 2)
        page = int(page_text)
    except ValueError:
        raise UserError("timeline_expired") from None
    if scope.startswith("a") and scope[1:].isdigit():
        return await article_timeline(services, chat_id, article_id=int(scope[1:])), page
    if scope.startswith("t") and len(scope) > 1:
        return await topic_timeline(services, chat_id, scope[1:]), page
    if scope == "r":
        command = message.reply_to_message.text if message.reply_to_message else None
        parts = (command or "").split(maxsplit=1)
        if len(parts) == 2 and parts[0].split("@")[0] == "/timeline":
            return await topic_timeline(services, chat_id, parts[1]), page
    raise UserError("timeline_expired")
