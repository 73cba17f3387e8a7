"""The English quote engine's tokens: each one's offsets point at its own characters in the text, in reading
order, whatever the text (abbreviations, possessives, quote marks, repeated words and punctuation)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.quotes.english import ENGLISH, _tokenize

PIECES = (
    "Mr.",
    "Mr",
    "U.S.",
    "D.C.",
    "J.",
    "Gov.",
    "Blair's",
    "Blair’s",
    "let's",
    "said",
    "Said",
    ".",
    "...",
    "…",
    "--",
    '"',
    "“",
    "”",
    "''",
    "``",
    "’",
    "-",
    "3.5",
    "10,000",
    "_",
    "x",
    "A",
    "ab-cd",
)
texts = st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from(("", " ", "\n", "  ", "\n\n"))), max_size=40).map(
    lambda parts: "".join(p + gap for p, gap in parts)
)


def _check(text: str) -> None:
    toks = _tokenize(text, ENGLISH.lexicon())
    end = 0
    for t in toks:
        assert t.start >= end
        assert text[t.start : t.end] == t.text
        end = t.end


@settings(max_examples=400, deadline=None)
@given(texts)
def test_token_offsets_point_at_their_words(text: str) -> None:
    _check(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_token_offsets_hold_for_any_text(text: str) -> None:
    _check(text)


def test_an_abbreviation_keeps_its_period_and_the_next_period_is_its_own() -> None:
    text = "Mr. Smith met Mr. Smith in the U.S. today. Blair's aide said so."
    toks = _tokenize(text, ENGLISH.lexicon())
    assert [t.text for t in toks][:6] == ["Mr.", "Smith", "met", "Mr.", "Smith", "in"]
    assert [(t.text, t.low) for t in toks if t.low in ("blair", "'s")] == [("Blair", "blair"), ("'s", "'s")]
    assert [t.start for t in toks if t.text == "Mr."] == [0, 14]
    assert toks[-1].text == "." and toks[-1].start == len(text) - 1
