"""Language detection: script, stop words, short texts, speed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.lang import detect_language, stop_words


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The minister said that the talks would go on next week.", "en"),
        ("Budget vote delayed", "en"),
        ("Министр заявил, что переговоры продолжатся на следующей неделе.", "ru"),
        ("Саммит перенесли", "ru"),
        ("Сегодня в Москве открылась выставка https://example.org/very/long/latin/address", "ru"),
        ("Der Minister sagte, dass die Gespräche nächste Woche weitergehen würden.", "und"),
        ("Le ministre a déclaré que les négociations se poursuivraient la semaine prochaine.", "und"),
        ("Міністр заявив, що переговори триватимуть наступного тижня.", "und"),
        ("会談は来週も続く", "und"),
        ("🔥🔥🔥", "und"),
        ("", "und"),
        ("12 345", "und"),
    ],
)
def test_detect(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_stop_word_lists_ship_as_data() -> None:
    assert {"the", "and", "of"} <= stop_words("en")
    assert {"и", "в", "не"} <= stop_words("ru")
    assert stop_words("de") == frozenset()


def test_a_post_and_a_megabyte_of_it_are_the_same_language() -> None:
    post = "The minister said that the talks would go on next week, and the opposition agreed. " * 10
    assert detect_language(post) == "en"
    assert detect_language(post * 1500) == "en"  # only a sample is read: bounded, whatever the size


@given(st.text(max_size=200))
def test_always_one_of_three(text: str) -> None:
    assert detect_language(text) in ("en", "ru", "und")
