"""Message catalogues: every reply the bot writes comes from `locales/<lang>.toml`, never from code."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

from babel import Locale, UnknownLocaleError

from usecases.errors import Reason, UserError
from views.render import Html, escape

DEFAULT_LANG = "en"


@cache
def _catalogue(lang: str) -> dict[str, dict[str, str]]:
    try:
        raw = resources.files("views.locales").joinpath(f"{lang}.toml").read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    return tomllib.loads(raw)


def languages() -> list[str]:
    return sorted(
        entry.name.removesuffix(".toml")
        for entry in resources.files("views.locales").iterdir()
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


def plural_category(lang: str, count: int) -> str:
    """The CLDR plural category of `count` in `lang` (Babel's rules): "one", "few", "many" or "other"."""
    try:
        return str(Locale.parse(lang).plural_form(count))
    except (ValueError, UnknownLocaleError):
        return str(Locale.parse(DEFAULT_LANG).plural_form(count))


def tn(lang: str, key: str, count: int, section: str = "text", **values: Any) -> str:
    """The message for `count` things: `key_one`, `key_few`, `key_many` or `key_other` as the language's plural
    rules say (falling back to `key_other`), with {count} and `values` filled in."""
    catalogue = _catalogue(lang).get(section, {})
    category = plural_category(lang, count)
    if f"{key}_{category}" not in catalogue and f"{key}_other" not in catalogue:
        lang, category = DEFAULT_LANG, plural_category(DEFAULT_LANG, count)
    chosen = f"{key}_{category}" if f"{key}_{category}" in _catalogue(lang).get(section, {}) else f"{key}_other"
    return t(lang, chosen, section, count=count, **values)


def command_descriptions(lang: str) -> dict[str, str]:
    merged = dict(_catalogue(DEFAULT_LANG).get("commands", {}))
    merged.update(_catalogue(lang).get("commands", {}))
    return merged


def render_reason(reason: Reason, lang: str) -> str:
    """Why a link or a file could not be read, in `lang`, its values escaped."""
    return t(lang, reason.key, section=reason.section, **{k: escape(str(v)) for k, v in reason.values.items()})


def explain(problem: UserError, lang: str) -> Html:
    """A problem the user can fix, in their language: its catalogue message with its values escaped."""
    values: dict[str, Any] = {k: escape(v) if isinstance(v, str) else v for k, v in problem.values.items()}
    if problem.cause is not None:
        values["reason"] = Html(render_reason(problem.cause, lang))
    return Html(t(lang, problem.key, section=problem.section, **values))
