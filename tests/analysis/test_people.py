"""Name keys and matching, as `/quotes NAME` and `/timeline NAME` will use them."""

from __future__ import annotations

import pytest

from analysis.people import name_key, person_matches, register_normalizer, search_keys, suggest


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Vladimir Putin", "vladimir putin"),
        ("vladimir  PUTIN", "vladimir putin"),
        ("Putin's", "putin"),
        ("Putin’s", "putin"),
        ("President Putin", "putin"),
        ("Russian President Vladimir Putin", "vladimir putin"),
        ("then U.S. President Bill Clinton", "bill clinton"),
        ("George W. Bush", "george w bush"),
        ("Mr. Obama", "obama"),
        ("Sen. Bernie Sanders", "bernie sanders"),
        ("Retired Lt. Gen. Michael Flynn", "michael flynn"),
        ("Martin Luther King Jr.", "martin luther king"),
        ("José Martí", "jose marti"),
        ("Angela Merkel", "angela merkel"),
        ("the President of Russia", "president of russia"),
        ("", ""),
        ("President", "president"),
    ],
)
def test_name_key(name: str, key: str) -> None:
    assert name_key(name) == key


@pytest.mark.parametrize(
    "query", ["Putin", "putin", "Vladimir Putin", "President Putin", "Putin's", "PUTIN", "V. Putin"]
)
def test_forms_of_a_name_match(query: str) -> None:
    assert person_matches(query, "Vladimir Putin", ["Putin", "the President of Russia"])


def test_same_surname_is_kept_apart_by_first_names() -> None:
    assert not person_matches("Hillary Clinton", "Bill Clinton", ["Clinton"])
    assert person_matches("Clinton", "Bill Clinton", [])
    assert person_matches("Clinton", "Hillary Clinton", [])
    assert person_matches("Bill Clinton", "Bill Clinton", [])


def test_middle_names_may_be_left_out() -> None:
    assert person_matches("George Bush", "George W. Bush", [])
    assert person_matches("Donald Trump", "Donald J. Trump", [])
    assert not person_matches("George Bush", "Jeb Bush", [])


def test_roles_match_only_as_roles() -> None:
    aliases = ["Putin", "the President of Russia"]
    assert person_matches("President of Russia", "Vladimir Putin", aliases)
    assert not person_matches("Russia", "Vladimir Putin", aliases)
    assert not person_matches("President", "Vladimir Putin", aliases)


def test_nothing_matches_nothing() -> None:
    assert not person_matches("", "Vladimir Putin", [])
    assert not person_matches("Medvedev", "Vladimir Putin", ["Putin"])


def test_search_keys_let_a_database_look_up_by_key() -> None:
    keys = search_keys("George W. Bush", ["Bush", "U.S. President George W. Bush", "the American president"])
    assert {"george w bush", "george bush", "bush"} <= keys
    assert "president" not in keys and "american president" not in keys
    for query in ["Bush", "George Bush", "President Bush", "George W. Bush", "Bush's"]:
        assert name_key(query) in keys


def test_search_keys_of_organisations_are_their_own_forms() -> None:
    keys = search_keys("The New York Times", ["New York Times"], kind="organization")
    assert "times" not in keys
    assert name_key("the New York Times") in keys


def test_suggest_did_you_mean() -> None:
    names = ["Vladimir Putin", "Bill Clinton", "Hillary Clinton", "George W. Bush", "Angela Merkel"]
    assert suggest("Puttin", names)[0] == "Vladimir Putin"
    assert suggest("Merkle", names) == ["Angela Merkel"]
    assert set(suggest("Clintn", names)) == {"Bill Clinton", "Hillary Clinton"}
    assert suggest("Zelensky", names) == []
    assert suggest("", names) == []
    assert len(suggest("Clinton", names, limit=1)) == 1


def test_suggest_finds_the_name_among_many() -> None:
    names = [f"Person{i} Surname{i}" for i in range(20_000)] + ["Vladimir Putin"]
    assert suggest("Vladimir Puttin", names)[0] == "Vladimir Putin"


def test_a_language_can_register_its_own_word_normaliser() -> None:
    # stands in for Russian case endings: "путина", "путину" -> "путин"
    register_normalizer("xx", lambda word: word[:-1] if word.endswith(("а", "у")) else word)
    assert name_key("Путина", "xx") == name_key("Путину", "xx") == "путин"
    assert person_matches("Путину", "Владимир Путин", [], lang="xx")
