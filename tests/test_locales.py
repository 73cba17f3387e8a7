"""The message catalogues: every English message has its Russian twin with the same placeholders."""

from __future__ import annotations

import string
import tomllib
from importlib import resources
from typing import Any

import pytest

from bot.app import MENU_COMMANDS
from views.i18n import command_descriptions, languages, pick_language, t, tn


def catalogue(lang: str) -> dict[str, dict[str, str]]:
    data: dict[str, Any] = tomllib.loads(resources.files("views.locales").joinpath(f"{lang}.toml").read_text("utf-8"))
    return data


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


OTHER_LANGUAGES = [lang for lang in languages() if lang != "en"]
PLURAL = ("_one", "_two", "_few", "_many", "_other")  # CLDR categories: views.i18n.tn picks one


def plural_base(key: str) -> str | None:
    return next((key.removesuffix(suffix) for suffix in PLURAL if key.endswith(suffix)), None)


def test_russian_is_shipped() -> None:
    assert "ru" in languages()


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_every_english_key_is_translated_with_the_same_placeholders(lang: str) -> None:
    english, other = catalogue("en"), catalogue(lang)
    for section, messages in english.items():
        for key, template in messages.items():
            assert key in other.get(section, {}), f"{lang}.toml lacks [{section}] {key}"
            theirs, ours = placeholders(other[section][key]), placeholders(template)
            if plural_base(key) is not None:  # "the only article" need not say the count that "1 статья" says
                theirs, ours = theirs - {"count"}, ours - {"count"}
            assert theirs == ours, f"[{section}] {key}"


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_no_key_exists_only_in_a_translation(lang: str) -> None:
    english, other = catalogue("en"), catalogue(lang)
    for section, messages in other.items():
        known = set(english.get(section, {}))
        for key in messages:
            # A language may need plural forms English does not have ("5 статей" is "many", "3 статьи" "few").
            base = plural_base(key)
            assert key in known or (base is not None and f"{base}_other" in known), f"[{section}] {key}"


@pytest.mark.parametrize("lang", languages())
def test_every_menu_command_has_a_description(lang: str) -> None:
    descriptions = command_descriptions(lang)
    for command in MENU_COMMANDS:
        assert 0 < len(descriptions[command]) <= 256


def test_russian_messages_are_in_russian() -> None:
    assert t("ru", "no_articles") != t("en", "no_articles")
    assert command_descriptions("ru")["help"] != command_descriptions("en")["help"]


@pytest.mark.parametrize(
    ("chat", "user", "expected"),
    [
        (None, "ru", "ru"),
        (None, "ru-RU", "ru"),
        ("en", "ru", "en"),
        ("ru", "en", "ru"),
        ("auto", "ru", "ru"),
        (None, "de", "en"),
    ],
)
def test_the_chat_setting_then_the_users_language_then_english(chat: str | None, user: str, expected: str) -> None:
    assert pick_language(chat, user) == expected


def test_counts_take_the_plural_form_of_the_language() -> None:
    assert tn("en", "forget_all_confirm", 1).startswith("Delete the only article")
    assert tn("en", "forget_all_confirm", 2).startswith("Delete all 2 articles")
    assert tn("ru", "forget_all_confirm", 1).startswith("Удалить единственную статью")
    assert tn("ru", "forget_all_confirm", 3).startswith("Удалить 3 статьи")
    assert tn("ru", "forget_all_confirm", 5).startswith("Удалить 5 статей")
    assert tn("ru", "forgot_all", 21).startswith("Удалена 21 статья")
    assert tn("ru", "export_caption", 22).endswith("22 статьи.")
