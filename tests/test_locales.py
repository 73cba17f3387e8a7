"""The message catalogues: every English message has its Russian twin with the same placeholders."""

from __future__ import annotations

import string
import tomllib
from importlib import resources
from typing import Any

import pytest

from bot.app import MENU_COMMANDS
from views.i18n import command_descriptions, languages, pick_language, t


def catalogue(lang: str) -> dict[str, dict[str, str]]:
    data: dict[str, Any] = tomllib.loads(resources.files("views.locales").joinpath(f"{lang}.toml").read_text("utf-8"))
    return data


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


OTHER_LANGUAGES = [lang for lang in languages() if lang != "en"]


def test_russian_is_shipped() -> None:
    assert "ru" in languages()


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_every_english_key_is_translated_with_the_same_placeholders(lang: str) -> None:
    english, other = catalogue("en"), catalogue(lang)
    for section, messages in english.items():
        for key, template in messages.items():
            assert key in other.get(section, {}), f"{lang}.toml lacks [{section}] {key}"
            assert placeholders(other[section][key]) == placeholders(template), f"[{section}] {key}"


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_no_key_exists_only_in_a_translation(lang: str) -> None:
    english, other = catalogue("en"), catalogue(lang)
    for section, messages in other.items():
        assert set(messages) <= set(english.get(section, {})), f"{lang}.toml has keys English lacks"


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
