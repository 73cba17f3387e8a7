"""Message catalogues: every reply the bot writes comes from `locales/<lang>.toml`, never from code."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

from babel import Locale
from babel.plural import PluralRule

from usecases.errors import Reason, UserError
from views.render import Html, escape

DEFAULT_LANG = "en"


Message = str | dict[str, str]  # a text, or one text per plural category ("one", "few", "many", "other")


@cache
def _catalogue(lang: str) -> dict[str, dict[str, Message]]:
    try:
        raw = resources.files("views.locales").joinpath(f"{lang}.toml").read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    return tomllib.loads(raw)


@cache  # asked for every update a person sends: the shipped catalogues do not change while the bot runs
def languages() -> tuple[str, ...]:
    return tuple(
        sorted(
            entry.name.removesuffix(".toml")
            for entry in resources.files("views.locales").iterdir()
            if entry.name.endswith(".toml")
        )
    )


def pick_language(chat_lang: str | None, user_lang: str | None = None) -> str:
    """The chat's setting first, then the user's Telegram language (its primary subtag), then English."""
    for candidate in (chat_lang, (user_lang or "").split("-")[0].lower()):
        if candidate and candidate in languages():
            return candidate
    return DEFAULT_LANG


def _message(lang: str, key: str, section: str) -> tuple[str, Message]:
    """The message and the language it is in: `lang`'s, else English."""
    found = _catalogue(lang).get(section, {}).get(key)
    if found:
        return lang, found
    return DEFAULT_LANG, _catalogue(DEFAULT_LANG)[section][key]


def t(lang: str, key: str, section: str = "text", **values: Any) -> str:
    """The message `key` in `lang` (falling back to English), with `values` filled in."""
    _, template = _message(lang, key, section)
    if not isinstance(template, str):
        raise TypeError(f"[{section}] {key} depends on a number: use tn()")
    return template.format(**values) if values else template


@cache
@cache
def _plural_rule(lang: str) -> PluralRule:
    return Locale.parse(lang).plural_form


def load_catalogues() -> None:
    """Read every catalogue and plural rule now (at start-up), so that no reply reads one from disk on the event
    loop the first time its language is used."""
    for lang in languages():
        _catalogue(lang)
        _plural_rule(lang)


def plural_forms(lang: str) -> frozenset[str]:
    """The CLDR plural categories of a language (Unicode's plural rules, as Babel ships them)."""
    return frozenset(_plural_rule(lang).tags | {"other"})


def plural_category(lang: str, n: int) -> str:
    """ "one", "few", "many" or "other": which form of a word goes with the number `n` in `lang` (Russian:
    1, 21, 101 → one; 2–4, 22–24 → few; 0, 5–20, 25–30 → many)."""
    return str(_plural_rule(lang)(abs(n)))


def tn(lang: str, key: str, n: int, section: str = "text", **values: Any) -> str:
    """The message `key` for the number `n`: the catalogue gives one text per plural category of the language,
    and `n` picks one (as {count}, unless `values` give a count of their own, such as "1,024")."""
    found, forms = _message(lang, key, section)
    if isinstance(forms, str):
        raise TypeError(f"[{section}] {key} has no plural forms: use t()")
    template = forms.get(plural_category(found, n)) or forms["other"]
    return template.format(**{"count": n, **values})


def command_descriptions(lang: str) -> dict[str, str]:
    merged = {k: v for k, v in _catalogue(DEFAULT_LANG).get("commands", {}).items() if isinstance(v, str)}
    merged.update((k, v) for k, v in _catalogue(lang).get("commands", {}).items() if isinstance(v, str))
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
