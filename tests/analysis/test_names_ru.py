"""Russian names: every case form finds the person, and Cyrillic and Latin spellings share one key."""

from __future__ import annotations

import pytest

from analysis.names_ru import key_word, lemma, may_be_nominative, transliterate
from analysis.people import name_key, person_matches, search_keys


@pytest.mark.parametrize(
    "form",
    ["Путин", "Путина", "Путину", "Путиным", "Путине", "путин", "ПУТИН", "Putin", "putin"],
)
def test_every_case_form_and_both_scripts_share_the_surname_key(form: str) -> None:
    assert name_key(form) == "putin"


@pytest.mark.parametrize(
    "form",
    ["Владимир Путин", "Владимира Путина", "Владимиру Путину", "Владимиром Путиным", "Vladimir Putin"],
)
def test_full_names_in_any_case(form: str) -> None:
    assert name_key(form) == "vladimir putin"


@pytest.mark.parametrize(
    ("forms", "key"),
    [
        (["Захарова", "Захаровой", "Захарову", "Zakharova"], "zakharov"),
        (["Зеленский", "Зеленского", "Зеленскому", "Зеленским", "Зеленском", "Zelensky", "Zelenskyy"], "zelensky"),
        (["Навальный", "Навального", "Навальным", "Navalny"], "navalny"),
        (["Медведев", "Медведева", "Medvedev"], "medvedev"),
        (["Шойгу", "Shoigu"], "shoigu"),  # does not decline
        (["Трамп", "Трампа", "Трампу", "Трампом", "Trump"], "trump"),  # spelled in English as in English
        (["Байден", "Байдена", "Biden"], "biden"),
        (["Ельцин", "Yeltsin"], "yeltsin"),
    ],
)
def test_surname_families_and_well_known_spellings(forms: list[str], key: str) -> None:
    assert {name_key(f) for f in forms} == {key}


@pytest.mark.parametrize(
    ("forms", "key"),
    [
        (["Мария Захарова", "Марии Захаровой", "Maria Zakharova"], "maria zakharov"),
        (["Сергей Лавров", "Сергея Лаврова", "Sergei Lavrov", "Sergey Lavrov"], "sergei lavrov"),
        (["Дмитрий Песков", "Дмитрия Пескова", "Dmitry Peskov", "Dmitriy Peskov"], "dmitry peskov"),
        (["Алексей Навальный", "Alexei Navalny", "Aleksei Navalny"], "aleksei navalny"),
        (["Дональд Трамп", "Дональда Трампа", "Donald Trump"], "donald trump"),
    ],
)
def test_first_names_decline_with_their_surnames(forms: list[str], key: str) -> None:
    assert {name_key(f) for f in forms} == {key}


def test_titles_and_their_case_forms_are_not_part_of_the_name() -> None:
    assert name_key("президент Путин") == "putin"
    assert name_key("президента России Владимира Путина") == "vladimir putin"
    assert name_key("министр иностранных дел Сергей Лавров") == "sergei lavrov"


def test_a_query_in_either_script_finds_a_person_stored_from_either_language() -> None:
    keys = search_keys("Владимир Путин", ["Путина", "Владимира Путина", "В. Путин"], lang="ru")
    for query in ["Путин", "Путину", "Putin", "Vladimir Putin", "Владимиру Путину", "President Putin"]:
        assert name_key(query) in keys, query
    assert person_matches("Путин", "Vladimir Putin")
    assert person_matches("Putin", "Владимир Путин")
    assert not person_matches("Лавров", "Владимир Путин")


def test_people_of_one_surname_stay_apart_by_their_first_names() -> None:
    assert not person_matches("Мария Захарова", "Пётр Захаров")
    assert person_matches("Захарова", "Мария Захарова")


def test_english_keys_keep_their_form() -> None:
    assert name_key("George W. Bush") == "george w bush"
    assert name_key("Hillary Clinton's") == "hillary clinton"
    assert name_key("José Martí") == "jose marti"


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("путин", "putin"),
        ("шойгу", "shoigu"),
        ("жириновский", "zhirinovskiy"),
        ("щукин", "shchukin"),
        ("юрий", "yuriy"),
        ("мария", "maria"),
        ("ельцин", "yeltsin"),
        ("токаев", "tokayev"),
        ("хабаров", "khabarov"),
    ],
)
def test_transliteration_table(cyrillic: str, latin: str) -> None:
    assert transliterate(cyrillic) == latin


def test_key_words_meet_across_spelling_variants() -> None:
    assert key_word("zelenskiy") == key_word("zelenskyy") == key_word("зеленский") == "zelensky"
    assert key_word("sergey") == key_word("sergei") == key_word("сергей")


@pytest.mark.parametrize(
    ("word", "case", "gender", "nominative"),
    [
        ("Путина", "gen", "", "Путин"),
        ("Владимира", "gen", "", "Владимир"),
        ("Захаровой", None, "", "Захарова"),
        ("Захарова", None, "", "Захарова"),  # a woman's nominative as well as a man's genitive
        ("Захарова", "gen", "", "Захаров"),
        ("Зеленского", None, "", "Зеленский"),
        ("Навального", None, "", "Навальный"),
        ("Шольца", "gen", "", "Шольц"),
        ("Марии", None, "", "Мария"),
        ("Путин", "nom", "", "Путин"),
        ("Шойгу", "gen", "", "Шойгу"),
        ("Зарему", None, "f", "Зарема"),  # a woman's given name no table knows, in the accusative
        ("Гульнару", "dat", "f", "Гульнара"),  # a woman's dative never ends in "-у": the case was misread
        ("Асию", None, "f", "Асия"),
        ("Рашиду", "dat", "m", "Рашид"),  # a man's dative is read as before
    ],
)
def test_lemma_gives_the_nominative_to_show(word: str, case: str | None, gender: str, nominative: str) -> None:
    assert lemma(word, case, gender) == nominative


def test_a_genitive_is_no_subject_of_a_masculine_verb() -> None:
    assert may_be_nominative("Песков", "m")
    assert not may_be_nominative("Пескова", "m")
    assert may_be_nominative("Захарова", "f")
    assert not may_be_nominative("Владимира", "m")
    assert may_be_nominative("Сибига", "m")  # a surname in -а is a nominative too
