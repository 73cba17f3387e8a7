"""The message catalogues: every English message has its Russian twin with the same placeholders."""

from __future__ import annotations

import string
import tomllib
from importlib import resources
from typing import Any

import pytest

from bot.app import MENU_COMMANDS
from views.i18n import command_descriptions, languages, pick_language, plural_forms, t, tn


def catalogue(lang: str) -> dict[str, dict[str, str]]:
    data: dict[str, Any] = tomllib.loads(resources.files("views.locales").joinpath(f"{lang}.toml").read_text("utf-8"))
    return data


def placeholders(message: str | dict[str, str]) -> set[str]:
    """The names a message fills in; for one with plural forms, those of all its forms but the count (a form
    may leave the number out: "Stopped this chat's digest")."""
    if isinstance(message, dict):
        return {name for form in message.values() for name in placeholders(form)} - {"count"}
    return {name for _, name, _, _ in string.Formatter().parse(message) if name}


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
            assert isinstance(other[section][key], dict) == isinstance(template, dict), f"[{section}] {key}"


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


def test_counts_take_the_plural_form_of_the_language() -> None:
    assert tn("en", "forget_all_confirm", 1).startswith("Delete the only article")
    assert tn("en", "forget_all_confirm", 2).startswith("Delete all 2 articles")
    assert tn("ru", "forget_all_confirm", 1).startswith("Удалить единственную статью")
    assert tn("ru", "forget_all_confirm", 3).startswith("Удалить 3 статьи")
    assert tn("ru", "forget_all_confirm", 5).startswith("Удалить 5 статей")
    assert tn("ru", "forgot_all", 21).startswith("Удалена 21 статья")
    assert tn("ru", "export_caption", 22).endswith("22 статьи.")


@pytest.mark.parametrize("lang", languages())
def test_a_message_with_plural_forms_has_exactly_the_languages_categories(lang: str) -> None:
    for section, messages in catalogue(lang).items():
        for key, message in messages.items():
            if isinstance(message, dict):
                assert set(message) == plural_forms(lang), f"{lang}.toml [{section}] {key}"
    assert plural_forms("ru") == {"one", "few", "many", "other"} and plural_forms("en") == {"one", "other"}


@pytest.mark.parametrize(
    ("lang", "n", "expected"),
    [
        ("en", 1, "📰 <b>Digest</b> · 1 new article"),
        ("en", 21, "📰 <b>Digest</b> · 21 new articles"),
        ("ru", 1, "📰 <b>Дайджест</b> · 1 новая статья"),
        ("ru", 3, "📰 <b>Дайджест</b> · 3 новые статьи"),
        ("ru", 5, "📰 <b>Дайджест</b> · 5 новых статей"),
        ("ru", 11, "📰 <b>Дайджест</b> · 11 новых статей"),
        ("ru", 21, "📰 <b>Дайджест</b> · 21 новая статья"),
        ("ru", 22, "📰 <b>Дайджест</b> · 22 новые статьи"),
        ("ru", 112, "📰 <b>Дайджест</b> · 112 новых статей"),
    ],
)
def test_a_count_reads_right_for_any_number(lang: str, n: int, expected: str) -> None:
    assert tn(lang, "header", n, section="digest") == expected


def test_a_count_may_be_shown_formatted() -> None:
    assert tn("ru", "quotes_count", 5000, count="5,000") == "5,000 высказываний"
    assert tn("en", "quotes_count", 1) == "1 statement"


def test_plain_and_plural_messages_are_not_confused() -> None:
    with pytest.raises(TypeError):
        t("en", "header", section="digest")
    with pytest.raises(TypeError):
        tn("en", "no_articles", 2)


def test_picking_a_language_does_not_list_the_catalogues_folder_again(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every update a person sends picks a language: listing the folder each time is a system call on the event
    # loop for every command of a burst.
    shipped = languages()

    def no_folder(package: str) -> Any:
        raise AssertionError(f"the catalogues of {package} were listed again")

    monkeypatch.setattr(resources, "files", no_folder)
    assert pick_language(None, "ru-RU") == "ru"
    assert pick_language("en", "ru") == "en"
    assert pick_language(None, "xx") == "en"
    assert languages() == shipped


def test_plural_rules_loaded_at_start_up_are_not_read_again(monkeypatch: pytest.MonkeyPatch) -> None:
    # The first card in a language would otherwise read Babel's locale data from disk on the event loop.
    import babel.localedata

    from views.i18n import load_catalogues, plural_category

    load_catalogues()

    def no_disk(name: str, merge_inherited: bool = True) -> Any:
        raise AssertionError(f"the locale data of {name} was read again")

    monkeypatch.setattr(babel.localedata, "load", no_disk)
    assert plural_category("ru", 3) == "few"
    assert plural_category("ru", 5) == "many"
    assert plural_category("en", 1) == "one"
