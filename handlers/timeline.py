"""/timeline in Telegram: the command, the Earlier/Later buttons that edit the list in place, and the 🖼 Picture
button that sends the time line drawn as an image (drawn in the worker pool, never on the event loop).

Paging is stateless: a button carries the page and what the list is of (an article id, or the topic itself
when it fits in Telegram's 64 bytes of callback data). A longer topic is read back from the command the list
answers, which the list message replies to.
"""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message

from handlers.common import Button, Command, button, command
from usecases.errors import UserError
from usecases.services import Services
from usecases.timeline import TimelineView, article_timeline, chat_zone, timeline_for, topic_timeline
from views.i18n import t
from views.picture import render_png
from views.render import escape
from views.timeline import pages, picture_spec, render_timeline

CALLBACK_PREFIX = "tl"
PICTURE_PREFIX = "tp"
_CAPTION_CHARS = 1024  # Telegram's limit on a photo's caption
_CALLBACK_BYTES = 64  # Telegram's limit on callback data


def callback_data(scope: str, page: int) -> str:
    data = f"{CALLBACK_PREFIX}:{page}:{scope}"
    if len(data.encode("utf-8")) > _CALLBACK_BYTES:
        data = f"{CALLBACK_PREFIX}:{page}:r"  # read the topic back from the command this list answers
    return data


def page_keyboard(view: TimelineView, page: int, lang: str) -> InlineKeyboardMarkup | None:
    rows = []
    if pages(view) > 1:
        row = []
        if page > 1:
            label = t(lang, "timeline_earlier")
            row.append(InlineKeyboardButton(label, callback_data=callback_data(view.scope, page - 1)))
        if page < pages(view):
            label = t(lang, "timeline_later")
            row.append(InlineKeyboardButton(label, callback_data=callback_data(view.scope, page + 1)))
        rows.append(row)
    if view.entries:
        picture = callback_data(view.scope, 1).replace(f"{CALLBACK_PREFIX}:1:", f"{PICTURE_PREFIX}:", 1)
        rows.append([InlineKeyboardButton(t(lang, "timeline_picture"), callback_data=picture)])
    return InlineKeyboardMarkup(rows) if rows else None


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


@button
async def on_timeline_picture(pressed: Button) -> None:
    """🖼 Picture: the time line the list shows, drawn in the worker pool and sent as a photo."""
    if not isinstance(pressed.message, Message):
        raise UserError("timeline_expired")
    scope = pressed.data.split(":", 1)[1] if ":" in pressed.data else ""
    view, _ = await _view_for_button(pressed.services, pressed.chat_id, f"{CALLBACK_PREFIX}:1:{scope}", pressed.message)
    if not view.entries:
        await pressed.answer(t(pressed.lang, "timeline_picture_empty"), alert=True)
        return
    await pressed.answer()  # at once: drawing takes longer than Telegram waits for an answer
    spec = picture_spec(view, pressed.lang, await chat_zone(pressed.services, pressed.chat_id), datetime.now(UTC))
    png = await pressed.services.analyzer.run(render_png, spec)
    caption = t(pressed.lang, "timeline_picture_caption", title=escape(spec.title))
    await pressed.message.reply_photo(png, caption=caption[:_CAPTION_CHARS], do_quote=True)


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
