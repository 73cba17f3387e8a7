"""/start, /help and the answer to commands the bot does not know."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType

from handlers.common import Command, PrecisContext, chat_language, command, reply_html, services_of
from views.i18n import t


@command(here=True)
async def on_start(cmd: Command) -> None:
    await cmd.reply(t(cmd.lang, "start"))


@command(here=True)
async def on_help(cmd: Command) -> None:
    group_note = t(cmd.lang, "help_group_note") if cmd.message.chat.type != ChatType.PRIVATE else ""
    await cmd.reply(t(cmd.lang, "help", group_note=group_note))


def addressed_to_us(command: str, bot_username: str, private: bool) -> bool:
    """In a group, other bots' commands are none of our business: answer only `/cmd@ourbot` there."""
    _, _, target = command.partition("@")
    if target:
        return target.lower() == bot_username.lower()
    return private


async def on_unknown_command(update: Update, context: PrecisContext) -> None:
    message = update.effective_message
    if message is None or not message.text:
        return
    command = message.text.split(maxsplit=1)[0]
    if not addressed_to_us(command, context.bot.username, message.chat.type == ChatType.PRIVATE):
        return
    lang = await chat_language(services_of(context), update)
    await reply_html(message, t(lang, "unknown_command"))
