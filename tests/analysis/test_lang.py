"""Language detection: script, stop words, short texts, speed."""

from __future__ import annotations

import time

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


def test_fast_on_a_post_and_bounded_on_a_megabyte() -> None:
    post = "The minister said that the talks would go on next week, and the opposition agreed. " * 10
    detect_language(post)
    t0 = time.perf_counter()
    for _ in range(100):
        detect_language(post)
    assert (time.perf_counter() - t0) / 100 < 0.001
    t0 = time.perf_counter()
    assert detect_language(post * 1500) == "en"
    assert time.perf_counter() - t0 < 0.05


@given(st.text(max_size=200))
def test_always_one_of_three(text: str) -> None:
    assert detect_language(text) in ("en", "ru", "und")
