"""Sentence splitting: boundaries, offsets, paragraphs and the sumy tokenizer."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.sentences import SumyTokenizer, split_sentences, words


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Officials in the U.S. capital agreed. The U.S. team left.",
            ["Officials in the U.S. capital agreed.", "The U.S. team left."],
        ),
        ("It ended in the U.S. He flew home.", ["It ended in the U.S.", "He flew home."]),
        ("George W. Bush met Mr. Blair and Dr. Rice.", ["George W. Bush met Mr. Blair and Dr. Rice."]),
        (
            "The poll is on Oct. 12 in hall No. 5 at 9 a.m. sharp.",
            ["The poll is on Oct. 12 in hall No. 5 at 9 a.m. sharp."],
        ),
        ("Growth was 2.5 per cent. Inflation fell.", ["Growth was 2.5 per cent.", "Inflation fell."]),
        ("Some towns, e.g. Leeds, voted. Others did not.", ["Some towns, e.g. Leeds, voted.", "Others did not."]),
        ("Nobody knew... Then it rained.", ["Nobody knew...", "Then it rained."]),
        (
            '"We stay," he said. "We fight." Next came silence.',
            ['"We stay," he said.', '"We fight."', "Next came silence."],
        ),
        ('"Why now?" she asked. Nobody replied.', ['"Why now?" she asked.', "Nobody replied."]),
        ("Costs rose (by a half.) Unions objected.", ["Costs rose (by a half.)", "Unions objected."]),
        (
            "He asked “Is it over?” and left. Then “No.” came back.",
            ["He asked “Is it over?” and left.", "Then “No.” came back."],
        ),
        ("«Мы уходим», — сказал он. Зал молчал.", ["«Мы уходим», — сказал он.", "Зал молчал."]),
        ("«Это конец!» — заявил министр. Все ушли.", ["«Это конец!» — заявил министр.", "Все ушли."]),
        (
            "В. Путин посетил музей им. Пушкина. Это было в г. Москве.",
            ["В. Путин посетил музей им. Пушкина.", "Это было в г. Москве."],
        ),
        ("Речь о налогах, т.е. о сборах. Решения нет.", ["Речь о налогах, т.е. о сборах.", "Решения нет."]),
        ("Докладчиком был А. С. Петров. Он ушёл.", ["Докладчиком был А. С. Петров.", "Он ушёл."]),
    ],
)
def test_boundaries(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def test_offsets_indices_and_paragraphs() -> None:
    text = "Big News Today\n\nFirst point. Second point.\n\nA Section Heading\nBody text here.\n\nLast one."
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "Big News Today",
        "First point.",
        "Second point.",
        "A Section Heading",
        "Body text here.",
        "Last one.",
    ]
    assert [s.paragraph for s in sentences] == [0, 1, 1, 2, 3, 4]
    assert [s.index for s in sentences] == list(range(6))
    assert all(text[s.start : s.end] == s.text for s in sentences)
    assert all(s.rank == -1 for s in sentences)


def test_wrapped_line_is_not_cut() -> None:
    text = "The committee said on Monday that it would\nreview the plans before the end of the year."
    assert len(split_sentences(text)) == 1


def test_empty_and_blank() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\n \t ") == []


def test_a_large_text_is_split_whole() -> None:
    text = "The minister said the plan, worth 2.5 bn, was ready. Critics (e.g. unions) disagreed!\n\n" * 12000
    assert len(split_sentences(text)) == 24000


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab AБ.!?\"«»“”()\n—-0123…' ")), max_size=300))
def test_offsets_hold_on_any_text(text: str) -> None:
    sentences = split_sentences(text)
    last_end = 0
    for i, s in enumerate(sentences):
        assert s.index == i
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip() and s.text
        assert s.start >= last_end
        last_end = s.end
    # Nothing but white space is lost between sentences.
    assert "".join("".join(s.text.split()) for s in sentences) == "".join(text.split())


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_never_crashes_and_keeps_every_visible_character(text: str) -> None:
    sentences = split_sentences(text)
    assert "".join("".join(s.text.split()) for s in sentences) == "".join(text.split())


def test_sumy_tokenizer() -> None:
    tok = SumyTokenizer("en")
    assert tok.language == "english"
    assert tok.to_sentences("Mr. Smith left. He came back.") == ("Mr. Smith left.", "He came back.")
    assert tok.to_words("Russia's full-scale plan, in 2001!") == ("Russia", "full-scale", "plan", "in")
    assert SumyTokenizer("ru").language == "russian"
    assert words("Путина нет") == ("Путина", "нет")


def test_sumy_runs_with_our_tokenizer() -> None:
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.text_rank import TextRankSummarizer

    text = "Taxes rose. The tax rise hit families. Families protested the tax rise. It rained."
    parser = PlaintextParser.from_string(text, SumyTokenizer("en"))
    summary = TextRankSummarizer()(parser.document, 1)
    assert len(summary) == 1
