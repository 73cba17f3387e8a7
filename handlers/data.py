"""The chat's data in Telegram: /forget (with a confirmation button for all of it) and /export (a JSON file)."""

from __future__ import annotations

import io
import secrets

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from handlers.common import Button, Command, button, command
from usecases.data import export_json, forget, forget_all
from usecases.errors import UserError
from views.i18n import t, tn

CALLBACK_PREFIX = "forget"
CONFIRMATION_KEY = "forget_all_token"  # in the chat's data: the token of the last /forget all prompt


@command
async def on_forget(cmd: Command) -> None:
    await cmd.require_admin()
    lang = cmd.lang
    if cmd.args == ["all"]:
        count = await cmd.services.repo.count_articles(cmd.chat_id)
        if count == 0:
            raise UserError("no_articles")
        # Only this prompt knows the token: a button made up by a client (forget:all) deletes nothing.
        token = secrets.token_urlsafe(12)
        if cmd.context.chat_data is None:  # a command always has a chat; this is for the type checker
            raise UserError("forget_usage")
        cmd.context.chat_data[CONFIRMATION_KEY] = token
        keyboard = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(t(lang, "forget_all_yes"), callback_data=f"{CALLBACK_PREFIX}:all:{token}"),
                    InlineKeyboardButton(t(lang, "forget_all_no"), callback_data=f"{CALLBACK_PREFIX}:keep"),
                ]
            ]
        )
        await cmd.reply(tn(lang, "forget_all_confirm", count), reply_markup=keyboard)
        return
    if len(cmd.args) != 1 or not cmd.args[0].isdigit() or len(cmd.args[0]) > 9:
        raise UserError("forget_usage")
    await forget(cmd.services, cmd.chat_id, int(cmd.args[0]))
    await cmd.reply(t(lang, "forgot_one", number=int(cmd.args[0])))


@button
async def on_forget_button(pressed: Button) -> None:
    await pressed.require_admin()
    await pressed.answer()
    pending = pressed.context.chat_data if pressed.context.chat_data is not None else {}
    if not pressed.data.startswith(f"{CALLBACK_PREFIX}:all"):
        pending.pop(CONFIRMATION_KEY, None)
        await pressed.edit(t(pressed.lang, "forget_all_kept"))
        return
    # Only the latest prompt's token deletes: a button made up by a client (forget:all) deletes nothing.
    expected = pending.get(CONFIRMATION_KEY)
    given = pressed.data.removeprefix(f"{CALLBACK_PREFIX}:all:")
    if not isinstance(expected, str) or not secrets.compare_digest(given.encode(), expected.encode()):
        await pressed.edit(t(pressed.lang, "forget_all_stale"))
        return
    pending.pop(CONFIRMATION_KEY, None)  # one deletion per prompt
    count = await forget_all(pressed.services, pressed.chat_id)
    await pressed.edit(tn(pressed.lang, "forgot_all", count))


@command
async def on_export(cmd: Command) -> None:
    data = await export_json(cmd.services, cmd.chat_id)
    count = await cmd.services.repo.count_articles(cmd.chat_id)
    await cmd.message.reply_document(
        io.BytesIO(data),
        filename=f"precis-export-{cmd.chat_id}.json",
        caption=tn(cmd.lang, "export_caption", count),
    )
