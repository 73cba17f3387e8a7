"""Channels and groups in Telegram: posts and edits in a channel, the bot's own standing (my_chat_member), a
group moving to a supergroup, and /use from a private chat. What is done is usecases.channels'; here updates
become posts and notices, and nothing is ever posted to a channel that nobody asked for.
"""

from __future__ import annotations

import logging

from telegram import Chat, ChatMemberAdministrator, Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden, TelegramError

from fetch.client import find_links
from handlers.common import Command, PrecisContext, command, send_html, services_of
from handlers.digest_jobs import plan_chat
from storage.repository import Source
from usecases.channels import migrate_chat, record_standing, standing_changed, take_channel_post, take_edit, use_chat
from usecases.errors import UserError
from usecases.links import Post
from views.i18n import pick_language, t, tn
from views.render import escape

log = logging.getLogger(__name__)


def channel_source(chat: Chat, message_id: int) -> Source:
    if chat.username:
        url = f"https://t.me/{chat.username}/{message_id}"
    else:
        url = f"https://t.me/c/{str(chat.id).removeprefix('-100')}/{message_id}"
    return Source("channel", chat.title or chat.username, url)


def channel_post_of(message: Message) -> Post:
    text = message.text if message.text is not None else message.caption
    entities = message.entities if message.text is not None else message.caption_entities
    return Post(
        text,
        channel_source(message.chat, message.message_id),
        message.date,
        tuple(find_links(text, entities)),
        (message.message_id,),
        silent=True,  # a channel's own post owes no card: nothing is posted to a channel unasked
    )


async def on_channel_post(update: Update, context: PrecisContext) -> None:
    message = update.channel_post
    if message is None:
        return
    services = services_of(context)
    await services.repo.ensure_chat(message.chat_id, message.chat.type, message.chat.title)
    await take_channel_post(services, message.chat_id, channel_post_of(message))


async def on_edited_channel_post(update: Update, context: PrecisContext) -> None:
    message = update.edited_channel_post
    if message is None:
        return
    services = services_of(context)
    await take_edit(services, message.chat_id, message.message_id, channel_post_of(message))


async def on_my_chat_member(update: Update, context: PrecisContext) -> None:
    change = update.my_chat_member
    if change is None:
        return
    services = services_of(context)
    chat, new = change.chat, change.new_chat_member
    by_user = change.from_user.id if change.from_user else None
    old = await record_standing(services, chat.id, chat.type, chat.title, new.status, by_user)
    if old is None:
        old = change.old_chat_member.status  # first seen now: Telegram says what it was
    can_post = (
        not isinstance(new, ChatMemberAdministrator) or chat.type != ChatType.CHANNEL or bool(new.can_post_messages)
    )
    notice = standing_changed(chat.type, old, new.status, can_post)
    if notice is None:
        return
    lang = pick_language(None, change.from_user.language_code if change.from_user else None)
    name = escape(chat.title or chat.username or str(chat.id))
    handle = f"@{chat.username}" if chat.username else str(chat.id)
    text = t(lang, notice.key, title=name, handle=escape(handle))
    if by_user is not None and by_user != context.bot.id:
        try:
            await send_html(context.bot, by_user, text)
            return
        except (Forbidden, BadRequest):  # they never started a private chat with the bot
            log.info("could not tell user %s about chat %s", by_user, chat.id)
    if notice.group_may_hear:
        try:
            await send_html(context.bot, chat.id, text)
        except TelegramError:
            log.info("could not tell chat %s what the bot can do there", chat.id, exc_info=True)


async def on_migration(update: Update, context: PrecisContext) -> None:
    """A group became a supergroup: Telegram says so in the old group (migrate_to_chat_id) and in the new
    one (migrate_from_chat_id); whichever comes first moves the chat, the other finds nothing left to move."""
    message = update.effective_message
    if message is None:
        return
    services = services_of(context)
    if message.migrate_to_chat_id:
        old, new = message.chat_id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:
        old, new = message.migrate_from_chat_id, message.chat_id
    else:
        return
    if await migrate_chat(services, old, new):
        # Digest jobs are named by chat: the old id's go, the new id's come.
        await plan_chat(context.job_queue, services, old)
        await plan_chat(context.job_queue, services, new)


@command(here=True)
async def on_use(cmd: Command) -> None:
    if cmd.message.chat.type != ChatType.PRIVATE:
        raise UserError("use_private_only")
    argument = cmd.argument.strip()
    services = cmd.services
    if argument.lower() in ("me", "here", "мне", "здесь", "я"):
        await services.repo.clear_target(cmd.message.chat_id)
        await cmd.reply(t(cmd.lang, "use_me"))
        return
    if not argument:
        target = await services.repo.target_of(cmd.message.chat_id)
        info = await services.repo.chat_info(target) if target is not None else None
        if info is None:
            raise UserError("use_usage")
        await cmd.reply(t(cmd.lang, "use_current", title=escape(info.title or str(info.id))))
        return
    user = cmd.message.from_user
    name = argument if argument.startswith("@") or argument.lstrip("-").isdigit() else f"@{argument}"
    bot = cmd.context.bot
    try:
        chat = await bot.get_chat(name)
        if chat.type == ChatType.PRIVATE:
            raise UserError("use_not_a_channel")
        admins = await bot.get_chat_administrators(chat.id)
    except (BadRequest, Forbidden):
        raise UserError("use_unknown", name=name) from None
    if user is None or all(member.user.id != user.id for member in admins):
        raise UserError("use_not_admin", title=chat.title or name)
    count = await use_chat(services, cmd.message.chat_id, chat.id, chat.type, chat.title)
    await cmd.reply(tn(cmd.lang, "use_done", count, title=escape(chat.title or name)))
