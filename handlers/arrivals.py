"""Messages arriving in a chat, as Telegram delivers them: a post on its own, a post with a link, a series of
posts, a file. What is done with them is usecases.arrivals' (see there for the order of things); here a
message becomes a post, and what was stored is answered once, in reply to the first message of what arrived.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from typing import Any

from telegram import (
    InlineKeyboardMarkup,
    Message,
    MessageOriginChannel,
    MessageOriginChat,
    MessageOriginHiddenUser,
    MessageOriginUser,
    Update,
)
from telegram.constants import ChatAction, ChatType
from telegram.error import TelegramError
from telegram.ext import ExtBot

from fetch.client import find_links
from handlers.common import PrecisContext, bulk_sending, chat_language, send_html, services_of
from handlers.summary import article_card, more_keyboard
from storage.repository import Source
from usecases.arrivals import joined_post, pending_part, store_part, take_joined
from usecases.errors import IngestRefused, Reason, UserError
from usecases.files import check_file, file_article, read_file
from usecases.ingest import IngestOutcome, Note, ingest
from usecases.links import Post, fetchable_links, take_post
from usecases.series import SeriesMessage
from usecases.services import Services
from views.i18n import explain, pick_language, t
from views.ingest import render_note
from views.summary import render_summary

log = logging.getLogger(__name__)

__all__ = ["on_document", "on_message", "origin_of", "post_of", "series_message", "take_leftovers", "take_series"]


def origin_of(message: Message) -> tuple[Source, datetime | None]:
    """Who wrote the article and when, from `forward_origin` (or the sender, for pasted text)."""
    origin = message.forward_origin
    if isinstance(origin, MessageOriginChannel):
        chat = origin.chat
        if chat.username:
            url: str | None = f"https://t.me/{chat.username}/{origin.message_id}"
        else:
            internal = str(chat.id).removeprefix("-100")
            url = f"https://t.me/c/{internal}/{origin.message_id}"
        return Source("channel", chat.title or chat.username, url), origin.date
    if isinstance(origin, MessageOriginChat):
        chat = origin.sender_chat
        url = f"https://t.me/{chat.username}" if chat.username else None
        return Source("chat", chat.title or chat.username, url), origin.date
    if isinstance(origin, MessageOriginUser):
        user = origin.sender_user
        url = f"https://t.me/{user.username}" if user.username else None
        return Source("user", user.full_name, url), origin.date
    if isinstance(origin, MessageOriginHiddenUser):
        return Source("hidden_user", origin.sender_user_name), origin.date
    # Pasted text: the message's date is when it was sent, not when the article was published.
    return Source("pasted"), None


def wants_message(message: Message) -> bool:
    """In a private chat everything sent is an article; in a group only forwarded posts are."""
    return message.chat.type == ChatType.PRIVATE or message.forward_origin is not None


def post_of(message: Message) -> Post:
    """A message as a post: its text or caption, the links in it (hidden ones included), where it came from."""
    source, published_at = origin_of(message)
    text = message.text if message.text is not None else message.caption
    entities = message.entities if message.text is not None else message.caption_entities
    links = tuple(find_links(text, entities))
    return Post(text, source, published_at, links, (message.message_id,))


def series_message(message: Message) -> SeriesMessage:
    """What the series buffer needs to know of a message."""
    origin = message.forward_origin
    channel = origin if isinstance(origin, MessageOriginChannel) else None
    return SeriesMessage(
        chat_id=message.chat_id,
        message_id=message.message_id,
        text_chars=len(message.text or message.caption or ""),
        channel_id=channel.chat.id if channel else None,
        channel_post_id=channel.message_id if channel else None,
        media_group_id=message.media_group_id,
    )


async def on_message(update: Update, context: PrecisContext) -> None:
    message = update.effective_message
    if message is None or not wants_message(message):
        return
    services = services_of(context)
    chat_id = message.chat_id
    routing = services.series.route(series_message(message))  # first of all: see usecases.arrivals
    for ended in routing.ended:
        context.application.create_task(take_series(services, context.bot, chat_id, ended), update=update)

    key = routing.key
    if key is None:
        post = post_of(message)
        if fetchable_links(post.links):
            # Stored before the page is fetched, so a stop during the fetch loses nothing; then taken as it is.
            part_id = await store_part(
                services,
                pending_part(
                    chat_id, f"post:{message.message_id}", message.message_id, routing.position, post, update.update_id
                ),
            )
            if part_id is None:
                return  # delivered twice: the first delivery takes it
            post = replace(post, part_ids=(part_id,))
        lang = await chat_language(services, update)
        await services.repo.ensure_chat(chat_id, message.chat.type, message.chat.title)
        await _take(services, context.bot, chat_id, post, lang)
        return
    part = pending_part(chat_id, key, message.message_id, routing.position, post_of(message), update.update_id)
    await store_part(services, part, (message.chat.type, message.chat.title))
    lang = await chat_language(services, update)
    if routing.full and services.series.take(chat_id, key):
        await take_series(services, context.bot, chat_id, key, lang)
        return
    bot, app = context.bot, context.application

    def due() -> None:
        if services.series.take(chat_id, key):
            app.create_task(take_series(services, bot, chat_id, key, lang))

    services.series.schedule(chat_id, key, due)


async def take_series(services: Services, bot: ExtBot[Any], chat_id: int, key: str, lang: str | None = None) -> None:
    """Join the stored parts of a series (or the one stored post) into one article and answer once."""
    post = await joined_post(services, chat_id, key)
    if post is None:
        return
    if lang is None:
        lang = pick_language((await services.repo.chat_settings(chat_id)).lang)
    await _take(services, bot, chat_id, post, lang)


async def _take(services: Services, bot: ExtBot[Any], chat_id: int, post: Post, lang: str) -> None:
    if fetchable_links(post.links):
        try:  # fetching may take a few seconds: show that something is happening
            await bot.send_chat_action(chat_id, ChatAction.TYPING)
        except TelegramError:
            log.debug("could not show the typing action", exc_info=True)
    reply_to = post.message_ids[0] if post.message_ids else None
    try:
        outcome = await take_joined(services, chat_id, post)
    except IngestRefused as refused:
        await send_html(bot, chat_id, explain(refused, lang), reply_to=reply_to)
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
            raise IngestRefused("file_refused", cause=Reason("file", "download")) from None
        read = await read_file(services, document.file_name, data, document.mime_type)
    except IngestRefused as refused:
        caption = post_of(message)
        if caption.text and caption.text.strip():
            # The file cannot be read, but its caption can: say so, and take the caption as the post.
            note = Note("file_skipped_caption_stored", reason=refused.cause)
            try:
                outcome = await take_post(services, chat_id, caption)
            except IngestRefused:
                pass
            else:
                outcome = replace(outcome, notes=(note, *outcome.notes))
                await answer(services, context.bot, chat_id, message.message_id, outcome, lang)
                return
        await send_html(context.bot, chat_id, explain(refused, lang), reply_to=message.message_id)
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
        await send_html(context.bot, chat_id, explain(refused, lang), reply_to=message.message_id)
        return
    await answer(services, context.bot, chat_id, message.message_id, outcome, lang)


async def answer(
    services: Services, bot: ExtBot[Any], chat_id: int, reply_to: int | None, outcome: IngestOutcome, lang: str
) -> None:
    """The one reply to an arrival: its notes, then its card (or why there is none yet); the reply's messages
    then stand for the article too, for commands sent in reply to them. An arrival answered before (its update
    processed again after a stop) is not answered twice."""
    article = outcome.article
    async with services.article_locks.hold(("answer", article.id)):
        first = await services.repo.first_arrival(article.id)
        original = first is not None and reply_to == first.message_id
        if first is not None and original and first.answered:
            return
        later = reply_to if not original and reply_to is not None else None
        if later is not None and not await services.repo.answer_owed(chat_id, later):
            return  # a later arrival answered before (its update processed again after a stop)
        html, keyboard = await _answer_html(services, outcome, lang, original=original)
        # One answer between Telegram and the database at a time: a crash can repeat at most that one.
        async with services.bulk_sends, services.answer_lane:  # cards of a burst leave room for replies
            with bulk_sending():
                sent = await send_html(bot, chat_id, html, keyboard, reply_to=reply_to)
            await services.repo.mark_answered(
                article.id, chat_id, [m.message_id for m in sent], first=original, answered=later
            )


async def _answer_html(
    services: Services, outcome: IngestOutcome, lang: str, *, original: bool
) -> tuple[str, InlineKeyboardMarkup | None]:
    article = outcome.article
    keyboard = None
    if not outcome.analysed:
        body = t(lang, "stored_not_analysed", number=article.number, reason=t(lang, "error"))
    elif outcome.card is not None:  # analysed just now: the card comes from what the analysis found
        body, keyboard = render_summary(outcome.card, lang), more_keyboard(outcome.card, lang)
    else:
        try:
            body, keyboard = await article_card(services, article, lang)
        except UserError as problem:  # still being analysed, or its analysis failed
            body = explain(problem, lang)
        if not outcome.created and not original:  # the first arrival, processed again, is no duplicate
            body = t(lang, "duplicate", number=article.number) + "\n\n" + body
    html = "\n\n".join([*(render_note(note, lang) for note in outcome.notes), body])
    return html, keyboard
