"""Message catalogues: every reply the bot writes comes from `locales/<lang>.toml`, never from code."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

DEFAULT_LANG = "en"


@cache
def _catalogue(lang: str) -> dict[str, dict[str, str]]:
    try:
        raw = resources.files("handlers.locales").joinpath(f"{lang}.toml").read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    return tomllib.loads(raw)


def languages() -> list[str]:
    return sorted(
        entry.name.removesuffix(".toml")
        for entry in resources.files("handlers.locales").iterdir()
        if entry.name.endswith(".toml")
    )


def pick_language(chat_lang: str | None, user_lang: str | None = None) -> str:
    """The chat's setting first, then the user's Telegram language (its primary subtag), then English."""
    for candidate in (chat_lang, (user_lang or "").split("-")[0].lower()):
        if candidate and candidate in languages():
            return candidate
    return DEFAULT_LANG


def t(lang: str, key: str, section: str = "text", **values: Any) -> str:
    """The message `key` in `lang` (falling back to English), with `values` filled in."""
    template = _catalogue(lang).get(section, {}).get(key) or _catalogue(DEFAULT_LANG)[section][key]
    return template.format(**values) if values else template


def command_descriptions(lang: str) -> dict[str, str]:
    merged = dict(_catalogue(DEFAULT_LANG).get("commands", {}))
    merged.update(_catalogue(lang).get("commands", {}))
    return merged


class UserError(Exception):
    """A problem the user can fix; `key` names the catalogue message that explains it."""

    def __init__(self, key: str, **values: Any) -> None:
        super().__init__(key)
        self.key = key
        self.values = values

    def message(self, lang: str) -> str:
        return t(lang, self.key, **self.values)
