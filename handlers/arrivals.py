"""Messages arriving in a chat: a post on its own, a post with a link, a series of posts, a file.

The order of things, for every message:

1. **Route** it (handlers.series), synchronously, before anything is awaited, so series are recognised in
   the order Telegram delivered the posts even though messages are handled concurrently.
2. **Store it raw**. A plain post is stored as an article at once. A part of a series, or a post whose link
   will be fetched, is stored in `pending_parts` first: a stop during the wait or the fetch loses nothing, and
   whatever is left there is taken at the next start (`take_leftovers`).
3. **Think**: join the series, fetch the page (handlers.links), analyse in the worker pool (handlers.ingest).
4. **Answer once**, in reply to the first message of what arrived.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from telegram import Message, Update
from telegram.constants import ChatAction
from telegram.error import TelegramError
from telegram.ext import ExtBot

from fetch.client import find_links
from handlers.common import PrecisContext, chat_language, send_html, services_of
from handlers.files import check_file, file_article, read_file
from handlers.i18n import pick_language
from handlers.ingest import IngestRefused, Note, Reason, answer, ingest, origin_of, wants_message
from handlers.links import Post, fetchable_links, take_post
from handlers.services import Services
from storage.sources import PendingPart

log = logging.getLogger(__name__)

__all__ = ["on_document", "on_message", "post_of", "take_leftovers", "take_series"]


def post_of(message: Message) -> Post:
    """A message as a post: its text or caption, the links in it (hidden ones included), where it came from."""
    source, published_at = origin_of(message)
    text = message.text if message.text is not None else message.caption
    entities = message.entities if message.text is not None else message.caption_entities
    links = tuple(find_links(text, entities))
    return Post(text, source, published_at, links, (message.message_id,))


def _part(message: Message, key: str, position: int, update_id: int) -> PendingPart:
    post = post_of(message)
    return PendingPart(
        chat_id=message.chat_id,
        group_key=key,
        message_id=message.message_id,
        position=position,
        text=post.text,
        source=post.source,
        published_at=post.published_at,
        links=post.links,
        update_id=update_id,
    )


def assemble(parts: list[PendingPart]) -> Post:
    """The parts of a series as one post: their texts in order, one paragraph break apart; the first part's
    source and date; every part's message, the first one to be answered."""
    texts = [p.text.strip() for p in parts if p.text and p.text.strip()]
    first = parts[0]
    return Post(
        "\n\n".join(texts) if texts else (first.text if any(p.text is not None for p in parts) else None),
        first.source,
        first.published_at,
        tuple(dict.fromkeys(link for p in parts for link in p.links)),
        tuple(p.message_id for p in parts),
        tuple(p.id for p in parts if p.id is not None),
    )


async def on_message(update: Update, context: PrecisContext) -> None:
    message = update.effective_message
    if message is None or not wants_message(message):
        return
    services = services_of(context)
    chat_id = message.chat_id
    routing = services.series.route(message)  # first of all: see the module's description
    for ended in routing.ended:
        context.application.create_task(take_series(services, context.bot, chat_id, ended), update=update)

    key = routing.key
    if key is None:
        post = post_of(message)
        if not fetchable_links(post.links):
            lang = await chat_language(services, update)
            await services.repo.ensure_chat(chat_id, message.chat.type, message.chat.title)
            await _take(services, context.bot, chat_id, post, lang)
            return
        key = f"post:{message.message_id}"
    # The lock is free unless another part of this chat is being stored: taken without yielding, before any
    # series of this chat can be read for joining.
    async with services.series.lock(chat_id):
        await services.repo.add_part(_part(message, key, routing.position, update.update_id))
    lang = await chat_language(services, update)
    await services.repo.ensure_chat(chat_id, message.chat.type, message.chat.title)
    if routing.key is None or (routing.full and services.series.take(chat_id, key)):
        await take_series(services, context.bot, chat_id, key, lang)
        return
    bot, app = context.bot, context.application

    def due() -> None:
        if services.series.take(chat_id, key):
            app.create_task(take_series(services, bot, chat_id, key, lang))

    services.series.schedule(chat_id, key, due)


async def take_series(services: Services, bot: ExtBot[Any], chat_id: int, key: str, lang: str | None = None) -> None:
    """Join the stored parts of a series (or the one stored post) into one article and answer once."""
    async with services.series.lock(chat_id):
        parts = await services.repo.group_parts(chat_id, key)
    if not parts:
        return
    post = assemble(parts)
    if lang is None:
        lang = pick_language((await services.repo.chat_settings(chat_id)).lang)
    if fetchable_links(post.links):
        try:  # fetching may take a few seconds: show that something is happening
            await bot.send_chat_action(chat_id, ChatAction.TYPING)
        except TelegramError:
            log.debug("could not show the typing action", exc_info=True)
    reply_to = post.message_ids[0]
    try:
        outcome = await take_post(services, chat_id, post)
    except IngestRefused as refused:
        await services.repo.drop_parts(chat_id, post.part_ids)
        await send_html(bot, chat_id, refused.message(lang), reply_to=reply_to)
        return
    await answer(services, bot, chat_id, reply_to, outcome, lang)


async def _take(services: Services, bot: ExtBot[Any], chat_id: int, post: Post, lang: str) -> None:
    reply_to = post.message_ids[0] if post.message_ids else None
    try:
        outcome = await take_post(services, chat_id, post)
    except IngestRefused as refused:
        await send_html(bot, chat_id, refused.message(lang), reply_to=reply_to)
        return
    await answer(services, bot, chat_id, reply_to, outcome, lang)


async def take_leftovers(services: Services, bot: ExtBot[Any], groups: list[tuple[int, str]]) -> int:
    """Join what the last stop left in `pending_parts` (listed before polling started)."""
    for chat_id, key in groups:
        try:
            await take_series(services, bot, chat_id, key)
        except Exception:  # one bad series must not keep the others waiting; it stays stored for next time
            log.exception("could not take the stored posts %s of chat %s", key, chat_id)
    return len(groups)


async def on_document(update: Update, context: PrecisContext) -> None:
    message = update.effective_message
    if message is None or message.document is None or not wants_message(message):
        return
    services = services_of(context)
    chat_id = message.chat_id
    for ended in services.series.end(chat_id):
        context.application.create_task(take_series(services, context.bot, chat_id, ended), update=update)
    lang = await chat_language(services, update)
    await services.repo.ensure_chat(chat_id, message.chat.type, message.chat.title)
    document = message.document
    source, published_at = origin_of(message)
    try:
        check_file(services, document.file_name, document.mime_type, document.file_size)
        try:
            telegram_file = await context.bot.get_file(document.file_id)
            data = bytes(await telegram_file.download_as_bytearray())
        except TelegramError as exc:
            log.warning("could not download %s: %s", document.file_name, exc)
            raise IngestRefused("file_refused", reason=Reason("file", "download")) from None
        read = await read_file(services, document.file_name, data, document.mime_type)
    except IngestRefused as refused:
        caption = post_of(message)
        if caption.text and caption.text.strip():
            # The file cannot be read, but its caption can: say so, and take the caption as the post.
            note = Note("file_skipped_caption_stored", reason=refused.reason)
            try:
                outcome = await take_post(services, chat_id, caption)
            except IngestRefused:
                pass
            else:
                outcome = replace(outcome, notes=(note, *outcome.notes))
                await answer(services, context.bot, chat_id, message.message_id, outcome, lang)
                return
        await send_html(context.bot, chat_id, refused.message(lang), reply_to=message.message_id)
        return
    incoming = file_article(
        read,
        document.file_name,
        published_at=published_at,
        message_id=message.message_id,
        forwarded_from=source if message.forward_origin is not None else None,
    )
    try:
        outcome = await ingest(services, chat_id, incoming)
    except IngestRefused as refused:
        await send_html(context.bot, chat_id, refused.message(lang), reply_to=message.message_id)
        return
    await answer(services, context.bot, chat_id, message.message_id, outcome, lang)
