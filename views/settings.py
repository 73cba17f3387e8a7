"""The settings table behind /settings and `precis settings`: what the chat is set to, and changing it
(`/settings language ru`, `/settings timezone Europe/Riga`).

Each setting is one row of `SETTINGS`: its names (English and Russian, as users type them), how a value is
read (raising `UserError` with a message the user can act on), how it is stored, and how the change is
confirmed. A new setting is a new row; the command, its help and its errors follow from the table.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from usecases.errors import UserError
from usecases.schedule import parse_zone, zone_label
from usecases.services import Services
from usecases.settings import store_empty_digest, store_language, store_sentences, store_timezone
from views.digest import local_time
from views.i18n import languages, pick_language, t
from views.render import escape

AUTO = "auto"  # stored as the chat's language: follow each user's Telegram language


@dataclass(frozen=True, slots=True)
class Setting:
    name: str  # the name shown in help and errors
    aliases: tuple[str, ...]  # other names users type ("язык", "tz")
    example: str
    parse: Callable[[Services, str], Any]  # raises UserError for a bad value
    store: Callable[[Services, int, Any], Awaitable[None]]
    saved: Callable[[Services, int, Any, str], Awaitable[str]]  # the confirmation, in the chat's language now
    replans_digests: bool = False


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


def _parse_on_off(services: Services, value: str) -> bool:
    folded = value.casefold()
    if folded in ("on", "yes", "true", "1", "вкл", "да"):
        return True
    if folded in ("off", "no", "false", "0", "выкл", "нет"):
        return False
    raise UserError("bad_on_off", section="settings")


async def _saved_language(services: Services, chat_id: int, code: str, lang: str) -> str:
    if code == AUTO:
        return t(lang, "settings_saved_language_auto")
    return t(lang, "settings_saved_language", value=escape(t(code, "language_name")))


async def _saved_sentences(services: Services, chat_id: int, n: int, lang: str) -> str:
    return t(lang, "settings_saved_sentences", value=n)


async def _saved_timezone(services: Services, chat_id: int, timezone: str, lang: str) -> str:
    reply = t(lang, "timezone_set", section="settings", zone=escape(zone_label(timezone)))
    upcoming = [sub.next_due_at for sub in await services.repo.subscriptions(chat_id) if not sub.paused]
    if upcoming:
        reply += " " + t(lang, "timezone_next", section="settings", next=local_time(min(upcoming), timezone, lang))
    return reply


async def _saved_empty_digest(services: Services, chat_id: int, on: bool, lang: str) -> str:
    return t(lang, "empty_set_on" if on else "empty_set_off", section="settings")


SETTINGS: tuple[Setting, ...] = (
    Setting("language", ("lang", "язык"), "ru", _parse_language, store_language, _saved_language),
    Setting(
        "sentences",
        ("summary", "length", "summary_sentences", "предложения", "длина"),
        "5",
        _parse_sentences,
        store_sentences,
        _saved_sentences,
    ),
    Setting(
        "timezone",
        ("tz", "zone", "time_zone", "пояс", "часовой_пояс"),
        "Europe/Riga",
        lambda services, value: parse_zone(value),
        store_timezone,
        _saved_timezone,
        replans_digests=True,
    ),
    Setting(
        "empty_digest",
        ("empty", "empty_digests", "пустой_дайджест"),
        "on",
        _parse_on_off,
        store_empty_digest,
        _saved_empty_digest,
    ),
)


def find_setting(name: str) -> Setting:
    key = name.lower().replace("-", "_")
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


async def render_settings(services: Services, chat_id: int, lang: str, user_lang: str | None) -> str:
    settings = await services.repo.chat_settings(chat_id)
    digest = await services.repo.digest_state(chat_id)
    if settings.lang and settings.lang != AUTO and settings.lang in languages():
        language = str(escape(t(settings.lang, "language_name")))
    else:
        language = t(lang, "settings_language_auto", name=escape(t(pick_language(None, user_lang), "language_name")))
    empty = t(lang, "empty_on" if digest.empty_digest else "empty_off", section="settings")
    lines = [
        t(lang, "settings_header"),
        t(lang, "settings_language", value=language),
        t(lang, "settings_sentences", value=settings.summary_sentences),
        t(lang, "settings_timezone", value=escape(zone_label(digest.timezone))),
        t(lang, "settings_empty_digest", value=empty),
        "",
        t(lang, "settings_usage", languages=" · ".join(languages())),
    ]
    return "\n".join(lines)
