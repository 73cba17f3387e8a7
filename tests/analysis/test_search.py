"""Words as search compares them: every case form of a word has one stem; passages show the matches."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from analysis.search import best_passage, mentions_all, query_stems, stem, stemmed_text


def test_every_case_form_of_a_russian_noun_has_one_stem() -> None:
    forms = ["Украина", "Украины", "Украине", "Украину", "Украиной", "УКРАИНЕ"]
    assert len({stem(f) for f in forms}) == 1
    assert len({stem(f) for f in ["санкции", "санкций", "санкциями", "санкциях"]}) == 1
    assert stem("ёлка") == stem("елка")


def test_english_words_are_stemmed_and_numbers_kept() -> None:
    assert stem("sanctions") == stem("sanctioned") == stem("Sanction")
    assert stem("2022") == "2022"
    assert stemmed_text("NATO's sanctions, 2022!") == "nato s sanction 2022"


def test_a_query_asks_for_every_word_once() -> None:
    assert query_stems("the sanctions on Russia") == ["the", stem("sanctions"), "on", stem("Russia")]
    assert query_stems("Украины Украина") == [stem("Украина")]  # one stem asked once
    assert query_stems("  ") == []


def test_the_passage_is_the_sentence_with_most_matches_and_marks_every_form() -> None:
    sentences = [
        "Погода в Киеве была тёплой.",
        "Поставки в Украину продолжатся.",
        "Украине обещали помощь, сказал министр; санкции против Украины не отменят.",
    ]
    passage = best_passage(sentences, query_stems("Украина санкции"))
    assert passage is not None
    assert passage.text == sentences[2]
    assert [passage.text[s:e] for s, e in passage.spans] == ["Украине", "санкции", "Украины"]
    assert best_passage(sentences, query_stems("нефть")) is None


def test_mentions_all_needs_every_stem() -> None:
    assert mentions_all("Санкции против России", query_stems("россия санкция"))
    assert not mentions_all("Санкции против Ирана", query_stems("россия санкция"))


@given(st.text(max_size=200))
def test_stemmed_text_is_plain_words_whatever_the_input(text: str) -> None:
    out = stemmed_text(text)
    assert all(token and all(ch.isalnum() for ch in token) for token in out.split())
    assert '"' not in out
