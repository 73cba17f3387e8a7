"""Digests in Telegram: /subscribe (and its guide's buttons), /subscriptions, /unsubscribe, /digest, and the
resumption of a chat's paused subscriptions when it writes again.

A chat has one stream of digests. Each digest lists the articles that arrived since the previous one (the chat's
watermark: the last article id a delivered digest covered); several subscriptions only add delivery times.
`/digest` sends the next digest of that stream now: it consumes what it shows, so the next scheduled digest
continues after it instead of repeating it, and it leaves the schedule alone. `precis digest` previews the
next digest without consuming anything. Delivery is usecases.digest_delivery's; jobs are handlers.digest_jobs'.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from handlers.common import Button, Command, PrecisContext, button, chat_language, command, send_html, services_of
from handlers.digest_jobs import TelegramOutbox, plan_chat, plan_retry
from storage.base import priority_reads
from usecases.digest_content import preview
from usecases.digest_delivery import deliver
from usecases.digest_filter import parse_filter, split_schedule_and_filter
from usecases.errors import UserError
from usecases.schedule import parse_schedule, schedule_from_spec
from usecases.subscriptions import parse_unsubscribe_args, resume_paused, subscribe, subscriptions, unsubscribe
from views.digest import (
    d,
    describe,
    render_digest,
    render_resumed,
    render_subscribed,
    render_subscriptions,
    render_unsubscribed,
)

log = logging.getLogger(__name__)

CALLBACK_PREFIX = "dg"
GUIDE_CHOICES = ("daily 08:00", "weekly mon 09:00", "every 6h")


def render_guide(lang: str) -> tuple[str, InlineKeyboardMarkup]:
    buttons = [
        InlineKeyboardButton(describe(schedule_from_spec(spec), lang), callback_data=f"{CALLBACK_PREFIX}:sub:{spec}")
        for spec in GUIDE_CHOICES
    ]
    return d(lang, "guide"), InlineKeyboardMarkup([[b] for b in buttons])


@command
async def on_subscribe(cmd: Command) -> None:
    if not cmd.args:
        text, keyboard = render_guide(cmd.lang)
        await cmd.reply(text, reply_markup=keyboard)
        return
    await cmd.require_admin()
    schedule_words, filter_words = split_schedule_and_filter(cmd.args)
    schedule, zone_name = parse_schedule(schedule_words)
    digest_filter = parse_filter(filter_words)
    await cmd.services.repo.ensure_chat(cmd.chat_id, cmd.message.chat.type, cmd.message.chat.title)
    outcome = await subscribe(cmd.services, cmd.chat_id, schedule, zone_name, digest_filter)
    await plan_chat(cmd.context.job_queue, cmd.services, cmd.chat_id)
    await cmd.reply(render_subscribed(outcome, cmd.lang))


@button
async def on_subscribe_button(pressed: Button) -> None:
    try:
        schedule = schedule_from_spec(pressed.data.split(":", 2)[2])
    except (IndexError, ValueError):
        return  # no button of ours carries such data
    await pressed.require_admin()
    chat = pressed.message.chat
    if pressed.chat_id == chat.id:
        await pressed.services.repo.ensure_chat(chat.id, chat.type, chat.title)
    try:
        # The chat's own digests, or those of the chat it works on after /use.
        outcome = await subscribe(pressed.services, pressed.chat_id, schedule, None)
    except UserError:
        await pressed.answer()  # then the reason goes to the chat, where the guide was
        raise
    await plan_chat(pressed.context.job_queue, pressed.services, pressed.chat_id)
    await pressed.answer(describe(schedule, pressed.lang))
    await pressed.send(render_subscribed(outcome, pressed.lang))


@command
async def on_subscriptions(cmd: Command) -> None:
    subs, state = await subscriptions(cmd.services, cmd.chat_id)
    await cmd.reply(render_subscriptions(subs, state, cmd.lang))


@command
async def on_unsubscribe(cmd: Command) -> None:
    await cmd.require_admin()
    removed = await unsubscribe(cmd.services, cmd.chat_id, parse_unsubscribe_args(cmd.args))
    await plan_chat(cmd.context.job_queue, cmd.services, cmd.chat_id)
    await cmd.reply(render_unsubscribed(removed, cmd.lang))


@command
async def on_digest(cmd: Command) -> None:
    delivery = await deliver(cmd.services, TelegramOutbox(cmd.context.bot), cmd.chat_id, fresh=True, scheduled=False)
    if delivery.outcome == "nothing":
        content = delivery.content or await preview(cmd.services, cmd.chat_id)
        await cmd.reply(str(render_digest(content, cmd.lang)))
    elif delivery.outcome == "busy":
        await cmd.reply(d(cmd.lang, "busy"))
    elif delivery.outcome == "retry" and delivery.retry_at is not None:
        plan_retry(cmd.context.job_queue, cmd.services, cmd.chat_id, delivery.retry_at)


async def on_any_update(update: Update, context: PrecisContext) -> None:
    """Runs before every handler: a chat whose digests were paused because it could not be reached has
    evidently come back, so they resume (and the chat is told once)."""
    chat = update.effective_chat
    if chat is None or update.effective_message is None or update.effective_user is None:
        return
    services = services_of(context)
    with priority_reads():  # every update passes here before its handler: this check must not queue
        resumed = await resume_paused(services, chat.id)
    if not resumed:
        return
    await plan_chat(context.job_queue, services, chat.id)
    lang = await chat_language(services, update)
    state = await services.repo.digest_state(chat.id)
    log.info("chat %s wrote again: %d paused subscription(s) resumed", chat.id, len(resumed))
    await send_html(context.bot, chat.id, render_resumed(resumed, state, lang))
