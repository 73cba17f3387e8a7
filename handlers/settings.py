"""/settings: what the chat is set to, and changing it (`/settings language ru`, `/settings sentences 5`).

Each setting is one row of `SETTINGS`: its names (English and Russian, as users type them), how a value is
read (raising `UserError` with a message the user can act on), how it is stored, and how it is shown. A new
setting (the digest's time zone, say) is a new row; the command, its help and its errors follow from the table.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from telegram import Update

from handlers.common import PrecisContext, chat_language, reply_html, services_of
from handlers.i18n import UserError, languages, pick_language, t
from handlers.render import escape
from handlers.services import Services
from storage.repository import ChatSettings

AUTO = "auto"  # stored as the chat's language: follow each user's Telegram language


@dataclass(frozen=True, slots=True)
class Setting:
    name: str  # the name shown in help and errors
    aliases: tuple[str, ...]  # other names users type ("язык")
    example: str
    parse: Callable[[Services, str], Any]  # raises UserError for a bad value
    store: Callable[[Services, int, Any], Awaitable[None]]
    saved: Callable[[Any], tuple[str, dict[str, Any]]]  # (catalogue key, values) of the confirmation


def _parse_language(services: Services, value: str) -> str:
    aliases = {"auto": AUTO, "авто": AUTO, "english": "en", "английский": "en", "russian": "ru", "русский": "ru"}
    code = aliases.get(value.lower(), value.lower())
    if code != AUTO and code not in languages():
        raise UserError("settings_bad_language", choices=_language_choices(), example=languages()[0])
    return code


def _parse_sentences(services: Services, value: str) -> int:
    limit = services.limits.max_summary_sentences
    if not value.isdigit() or not 1 <= int(value) <= limit:
        raise UserError("settings_bad_sentences", max=limit)
    return int(value)


async def _store_language(services: Services, chat_id: int, code: str) -> None:
    await services.repo.update_chat_settings(chat_id, lang=code)


async def _store_sentences(services: Services, chat_id: int, n: int) -> None:
    await services.repo.update_chat_settings(chat_id, summary_sentences=n)


def _saved_language(code: str) -> tuple[str, dict[str, Any]]:
    if code == AUTO:
        return "settings_saved_language_auto", {}
    return "settings_saved_language", {"value": escape(t(code, "language_name"))}


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "language",
        ("lang", "язык"),
        "ru",
        _parse_language,
        _store_language,
        _saved_language,
    ),
    Setting(
        "sentences",
        ("length", "предложения", "длина"),
        "5",
        _parse_sentences,
        _store_sentences,
        lambda n: ("settings_saved_sentences", {"value": n}),
    ),
)


def find_setting(name: str) -> Setting:
    key = name.lower()
    for setting in SETTINGS:
        if key == setting.name or key in setting.aliases:
            return setting
    raise UserError("settings_unknown", name=escape(name), names=", ".join(s.name for s in SETTINGS))


def _language_choices() -> str:
    return ", ".join(f"{escape(t(code, 'language_name'))} ({code})" for code in languages())


async def change_setting(services: Services, chat_id: int, args: list[str]) -> tuple[Setting, Any]:
    """Apply `/settings NAME VALUE`: the setting changed and the value it now has."""
    setting = find_setting(args[0])
    if len(args) < 2:
        raise UserError("settings_missing_value", name=setting.name, example=setting.example)
    value = setting.parse(services, " ".join(args[1:]))
    await setting.store(services, chat_id, value)
    return setting, value


def render_settings(settings: ChatSettings, lang: str, user_lang: str | None) -> str:
    if settings.lang and settings.lang != AUTO and settings.lang in languages():
        language = str(escape(t(settings.lang, "language_name")))
    else:
        language = t(lang, "settings_language_auto", name=escape(t(pick_language(None, user_lang), "language_name")))
    lines = [
        t(lang, "settings_header"),
        t(lang, "settings_language", value=language),
        t(lang, "settings_sentences", value=settings.summary_sentences),
        t(lang, "settings_timezone", value=escape(settings.timezone)),
        "",
        t(lang, "settings_usage", languages=" · ".join(languages())),
    ]
    return "\n".join(lines)


async def on_settings(update: Update, context: PrecisContext) -> None:
    message = update.effective_message
    if message is None:
        return
    services = services_of(context)
    lang = await chat_language(services, update)
    args = context.args or []
    user_lang = update.effective_user.language_code if update.effective_user else None
    if not args:
        settings = await services.repo.chat_settings(message.chat_id)
        await reply_html(message, render_settings(settings, lang, user_lang))
        return
    try:
        await services.repo.ensure_chat(message.chat_id, message.chat.type, message.chat.title)
        setting, value = await change_setting(services, message.chat_id, args)
    except UserError as problem:
        await reply_html(message, problem.message(lang))
        return
    # The confirmation speaks the language the chat has now.
    lang = await chat_language(services, update)
    key, values = setting.saved(value)
    await reply_html(message, t(lang, key, **values))
