"""The chat's settings: what they are, and changing one (`/settings language ru`, `precis settings tz
Europe/Riga`).

Each setting is one row of `SETTINGS`: its names (English and Russian, as users type them), how a value is
read (raising `UserError` with a message the user can act on) and how it is stored. A new setting is a new
row; the command, its help and its errors follow from the table. A new time zone moves the chat's digests
with it. How a setting and its change are shown is the fronts' (views.settings).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.digests import DigestState
from storage.repository import ChatSettings
from usecases.errors import UserError
from usecases.schedule import next_due, parse_zone, zone
from usecases.services import Services
from usecases.subscriptions import schedule_of

AUTO = "auto"  # stored as the chat's language: follow each user's Telegram language


@dataclass(frozen=True, slots=True)
class Setting:
    name: str  # the name shown in help and errors
    aliases: tuple[str, ...]  # other names users type ("язык", "tz")
    example: str
    parse: Callable[[Services, str, Mapping[str, str]], Any]  # raises UserError for a bad value
    store: Callable[[Services, int, Any], Awaitable[datetime | None]]  # returns when the next digest is due, if moved
    replans_digests: bool = False


@dataclass(frozen=True, slots=True)
class SettingChanged:
    """A setting changed: its new value, the chat's language now, and (for a new time zone) when the next
    digest is due."""

    setting: Setting
    value: Any
    chat_lang: str | None  # None: follow each user's language
    next_digest: datetime | None = None

    @property
    def name(self) -> str:
        return self.setting.name


@dataclass(frozen=True, slots=True)
class ChatSettingsView:
    """Everything `/settings` shows."""

    chat: ChatSettings
    digest: DigestState

    @property
    def language(self) -> str:
        return self.chat.lang or AUTO


def _parse_language(services: Services, value: str, languages: Mapping[str, str]) -> str:
    aliases = {"auto": AUTO, "авто": AUTO, "english": "en", "английский": "en", "russian": "ru", "русский": "ru"}
    code = aliases.get(value.lower(), value.lower())
    if code != AUTO and code not in languages:
        choices = ", ".join(f"{name} ({code})" for code, name in sorted(languages.items()))
        raise UserError("settings_bad_language", choices=choices, example=min(languages))
    return code


def _parse_sentences(services: Services, value: str, languages: Mapping[str, str]) -> int:
    limit = services.limits.max_summary_sentences
    if not value.isdigit() or not 1 <= int(value) <= limit:
        raise UserError("settings_bad_sentences", max=limit)
    return int(value)


def _parse_on_off(services: Services, value: str, languages: Mapping[str, str]) -> bool:
    folded = value.casefold()
    if folded in ("on", "yes", "true", "1", "вкл", "да"):
        return True
    if folded in ("off", "no", "false", "0", "выкл", "нет"):
        return False
    raise UserError("bad_on_off", section="settings")


async def store_language(services: Services, chat_id: int, code: str) -> None:
    await services.repo.update_chat_settings(chat_id, lang=code)


async def store_sentences(services: Services, chat_id: int, n: int) -> None:
    await services.repo.update_chat_settings(chat_id, summary_sentences=n)


async def store_timezone(services: Services, chat_id: int, timezone: str) -> datetime | None:
    """The chat's subscriptions keep their wall-clock times in the new zone; returns the next one due."""
    now = services.digests.now()
    tz = zone(timezone)
    subs = [sub for sub in await services.repo.subscriptions(chat_id) if not sub.paused]
    due = {sub.id: next_due(schedule_of(sub), tz, now) for sub in subs}
    await services.repo.set_timezone(chat_id, timezone, due, now)
    return min(due.values(), default=None)


async def store_empty_digest(services: Services, chat_id: int, on: bool) -> None:
    await services.repo.set_empty_digest(chat_id, on)


SETTINGS: tuple[Setting, ...] = (
    Setting("language", ("lang", "язык"), "ru", _parse_language, store_language),
    Setting(
        "sentences",
        ("summary", "length", "summary_sentences", "предложения", "длина"),
        "5",
        _parse_sentences,
        store_sentences,
    ),
    Setting(
        "timezone",
        ("tz", "zone", "time_zone", "пояс", "часовой_пояс"),
        "Europe/Riga",
        lambda services, value, languages: parse_zone(value),
        store_timezone,
        replans_digests=True,
    ),
    Setting("empty_digest", ("empty", "empty_digests", "пустой_дайджест"), "on", _parse_on_off, store_empty_digest),
)


def find_setting(name: str) -> Setting:
    key = name.lower().replace("-", "_")
    for setting in SETTINGS:
        if key == setting.name or key in setting.aliases:
            return setting
    raise UserError("settings_unknown", name=name, names=", ".join(s.name for s in SETTINGS))


async def chat_settings(services: Services, chat_id: int) -> ChatSettingsView:
    return ChatSettingsView(await services.repo.chat_settings(chat_id), await services.repo.digest_state(chat_id))


async def change_setting(
    services: Services,
    chat_id: int,
    args: list[str],
    languages: Mapping[str, str],
    *,
    chat_kind: str,
    chat_title: str | None = None,
) -> SettingChanged:
    """Apply `settings NAME VALUE` (args: NAME and the words of VALUE). `languages` are the interface
    languages there are, code → name (the fronts' catalogues)."""
    setting = find_setting(args[0])
    if len(args) < 2:
        raise UserError("settings_missing_value", name=setting.name, example=setting.example)
    value = setting.parse(services, " ".join(args[1:]), languages)
    await services.repo.ensure_chat(chat_id, chat_kind, chat_title)
    lang = value if setting.store is store_language else (await services.repo.chat_settings(chat_id)).lang
    next_digest = await setting.store(services, chat_id, value)
    return SettingChanged(setting, value, None if lang in (None, AUTO) else lang, next_digest)
