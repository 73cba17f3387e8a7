"""/settings: the chat's time zone, summary length and what an empty digest period sends."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from telegram import Update

from handlers.common import PrecisContext, chat_language, reply_html, services_of
from handlers.digest import local_time, plan_chat, schedule_of
from handlers.i18n import UserError, t
from handlers.render import escape
from handlers.schedule import next_due, parse_zone, zone, zone_label
from handlers.services import Services


def s(lang: str, key: str, **values: Any) -> str:
    return t(lang, key, section="settings", **values)


class SettingsProblem(UserError):
    def message(self, lang: str) -> str:
        return s(lang, self.key, **self.values)


@dataclass(frozen=True, slots=True)
class SettingsView:
    timezone: str
    summary_sentences: int
    empty_digest: bool


async def current(services: Services, chat_id: int) -> SettingsView:
    chat = await services.repo.chat_settings(chat_id)
    state = await services.repo.digest_state(chat_id)
    return SettingsView(state.timezone, chat.summary_sentences, state.empty_digest)


async def set_timezone(services: Services, chat_id: int, name: str) -> str:
    """Set the chat's zone; its subscriptions keep their wall-clock times in the new zone. Returns the zone."""
    timezone = parse_zone(name)
    now = services.digests.now()
    tz = zone(timezone)
    subs = [sub for sub in await services.repo.subscriptions(chat_id) if not sub.paused]
    due = {sub.id: next_due(schedule_of(sub), tz, now) for sub in subs}
    await services.repo.set_timezone(chat_id, timezone, due, now)
    return timezone


def parse_on_off(value: str) -> bool:
    folded = value.casefold()
    if folded in ("on", "yes", "true", "1"):
        return True
    if folded in ("off", "no", "false", "0"):
        return False
    raise SettingsProblem("bad_on_off")


def render_settings(view: SettingsView, lang: str) -> str:
    return s(
        lang,
        "show",
        zone=escape(zone_label(view.timezone)),
        sentences=view.summary_sentences,
        empty=s(lang, "empty_on" if view.empty_digest else "empty_off"),
    )


async def apply(services: Services, chat_id: int, args: Sequence[str], lang: str) -> tuple[str, bool]:
    """Carry out `/settings KEY VALUE`; returns (the reply, whether the digest schedule changed)."""
    if len(args) != 2:
        raise SettingsProblem("bad_settings")
    key, value = args[0].casefold().replace("-", "_"), args[1]
    if key in ("timezone", "tz", "zone", "time_zone"):
        timezone = await set_timezone(services, chat_id, value)
        reply = s(lang, "timezone_set", zone=escape(zone_label(timezone)))
        upcoming = [sub.next_due_at for sub in await services.repo.subscriptions(chat_id) if not sub.paused]
        if upcoming:
            reply += " " + s(lang, "timezone_next", next=local_time(min(upcoming), timezone))
        return reply, True
    if key in ("empty_digest", "empty", "empty_digests"):
        on = parse_on_off(value)
        await services.repo.set_empty_digest(chat_id, on)
        return s(lang, "empty_set_on" if on else "empty_set_off"), False
    if key in ("summary", "sentences", "summary_sentences"):
        limit = services.limits.max_summary_sentences
        if not value.isdigit() or not 1 <= int(value) <= limit:
            raise SettingsProblem("bad_summary_length", max=limit)
        await services.repo.update_chat_settings(chat_id, summary_sentences=int(value))
        return s(lang, "summary_set", sentences=int(value)), False
    raise SettingsProblem("bad_settings")


async def on_settings(update: Update, context: PrecisContext) -> None:
    message = update.effective_message
    if message is None:
        return
    services = services_of(context)
    lang = await chat_language(services, update)
    args = context.args or []
    if not args:
        await reply_html(message, render_settings(await current(services, message.chat_id), lang))
        return
    await services.repo.ensure_chat(message.chat_id, message.chat.type, message.chat.title)
    try:
        reply, replan = await apply(services, message.chat_id, args, lang)
    except UserError as problem:
        await reply_html(message, problem.message(lang))
        return
    if replan:
        await plan_chat(context.job_queue, services, message.chat_id)
    await reply_html(message, reply)
