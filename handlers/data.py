"""The chat's data in Telegram: /forget (with a confirmation button for all of it) and /export (a JSON file)."""

from __future__ import annotations

import io

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from handlers.common import Button, Command, button, command
from usecases.data import export_json, forget, forget_all
from usecases.errors import UserError
from views.i18n import t, tn

CALLBACK_PREFIX = "forget"


@command
async def on_forget(cmd: Command) -> None:
    await cmd.require_admin()
    lang = cmd.lang
    if cmd.args == ["all"]:
        count = await cmd.services.repo.count_articles(cmd.chat_id)
        if count == 0:
            raise UserError("no_articles")
        keyboard = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(t(lang, "forget_all_yes"), callback_data=f"{CALLBACK_PREFIX}:all"),
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
    if pressed.data == f"{CALLBACK_PREFIX}:all":
        count = await forget_all(pressed.services, pressed.chat_id)
        await pressed.edit(tn(pressed.lang, "forgot_all", count))
    else:
        await pressed.edit(t(pressed.lang, "forget_all_kept"))


@command
async def on_export(cmd: Command) -> None:
    data = await export_json(cmd.services, cmd.chat_id)
    count = await cmd.services.repo.count_articles(cmd.chat_id)
    await cmd.message.reply_document(
        io.BytesIO(data),
        filename=f"precis-export-{cmd.chat_id}.json",
        caption=tn(cmd.lang, "export_caption", count),
    )
