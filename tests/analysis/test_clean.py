"""Cleaning of forwarded posts: boilerplate out, title and paragraphs kept."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.clean import CleanedArticle, clean_article, text_content

# A made-up article with the shapes of a forwarded news post: the headline with a counter, section and outlet
# names, the headline again, a photo credit, paragraphs, two section headings, a byline, counters and calls.
POST = """Leaked Memo Shows Talks Between Two Leaders on Trade in 1999 0

World News
Daily Courier
Leaked Memo Shows Talks Between Two Leaders on Trade in 1999
Photo: Youtube

The memo suggests the first leader asked for a seat at the table. The talks covered tariffs and ports, the paper says.

An archive in the U.S. has published the memo of the 1999 talks. It shows that one leader felt "left out" of the deal.

Background of the Deal

The second leader said he saw the partner as a friend. "Perhaps we could join (the pact)," the first leader said.

What Came Later

In late March 2024, the first leader said the talks had failed twice.

Redaction DC.NEWS
0
0
0
0
0
0

Leave a comment

READ ALSO
"""

EXPECTED_TEXT = (
    "The memo suggests the first leader asked for a seat at the table. The talks covered tariffs and ports, "
    "the paper says.\n\n"
    'An archive in the U.S. has published the memo of the 1999 talks. It shows that one leader felt "left out" '
    "of the deal.\n\n"
    "Background of the Deal\n\n"
    'The second leader said he saw the partner as a friend. "Perhaps we could join (the pact)," the first leader '
    "said.\n\n"
    "What Came Later\n\n"
    "In late March 2024, the first leader said the talks had failed twice."
)


def test_seed_like_post() -> None:
    cleaned = clean_article(POST)
    assert cleaned.title == "Leaked Memo Shows Talks Between Two Leaders on Trade in 1999"
    assert cleaned.text == EXPECTED_TEXT


def test_line_endings_markdown_and_invisible_characters() -> None:
    raw = "**Storm Hits Coast**\r\n\r\nWinds\u200b reached 100 km/h.\r\nSchools   closed.\r\n"
    cleaned = clean_article(raw)
    assert cleaned.title == "Storm Hits Coast"
    assert cleaned.text == "Winds reached 100 km/h.\n\nSchools closed."


def test_russian_boilerplate() -> None:
    raw = (
        "Министр посетил завод\n\nФото: пресс-служба\n\nМинистр осмотрел цеха и поговорил с рабочими.\n\n"
        "Читайте также: Завод получил заказ\n\nhttps://example.org/news/1\n\nПодписывайтесь на наш канал\n#новости"
    )
    cleaned = clean_article(raw)
    assert cleaned.title == "Министр посетил завод"
    assert cleaned.text == "Министр осмотрел цеха и поговорил с рабочими."


def test_markdown_link_keeps_words() -> None:
    raw = "The report [was published](https://example.org/r) on Monday by the agency."
    assert clean_article(raw).text == "The report was published on Monday by the agency."


def test_wrapped_prose_is_joined() -> None:
    raw = "The committee said on Monday that it would\nreview the plans before the end of the year."
    assert clean_article(raw).text == (
        "The committee said on Monday that it would review the plans before the end of the year."
    )


def test_no_title_when_post_starts_with_prose() -> None:
    cleaned = clean_article("Prices rose again this month. Shops blamed energy costs.")
    assert cleaned.title is None
    assert cleaned.text == "Prices rose again this month. Shops blamed energy costs."


def test_lone_headline_stays_as_text() -> None:
    assert clean_article("Markets Close Higher") == CleanedArticle(None, "Markets Close Higher")


def test_empty_and_non_string() -> None:
    assert clean_article("") == CleanedArticle(None, "")
    assert clean_article(" \n\n ") == CleanedArticle(None, "")
    assert clean_article(None) == CleanedArticle(None, "")  # type: ignore[arg-type]


def test_one_megabyte_is_cleaned() -> None:
    paragraph = "The council approved the budget on Tuesday. Opposition members walked out in protest.\n\n"
    raw = "Budget Approved\n\n" + paragraph * (1_000_000 // len(paragraph))
    cleaned = clean_article(raw)
    assert cleaned.title == "Budget Approved"
    assert len(cleaned.text) <= len(raw)


lines = st.sampled_from(
    [
        "Photo: Reuters",
        "0",
        "Leave a comment",
        "READ ALSO",
        "World News",
        "A Short Heading Here",
        "The minister said the plan would go ahead.",
        "Critics called it a mistake, and the vote was close.",
        "https://example.org/a",
        "«Мы не уйдём», — сказал он.",
        "",
        "  ",
        "**Bold words** open this sentence.",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(lines, max_size=25))
def test_properties(parts: list[str]) -> None:
    raw = "\n".join(parts)
    cleaned = clean_article(raw)
    assert len(cleaned.text) <= len(raw)
    assert cleaned.text == cleaned.text.strip()
    assert "\n\n\n" not in cleaned.text
    assert "**" not in cleaned.text
    # Cleaning the cleaned article (title over its text) changes nothing more.
    rebuilt = (cleaned.title + "\n\n" if cleaned.title else "") + cleaned.text
    assert clean_article(rebuilt) == cleaned


def test_the_title_repeated_far_below_is_dropped_at_once() -> None:
    # found by test_properties: a repeat more than twelve lines below the first paragraph was kept, and
    # cleaning the result again dropped it
    raw = "\n".join(["World News", "The minister said the plan would go ahead."] + ["World News"] * 12 + ["Done now."])
    cleaned = clean_article(raw)
    assert cleaned.title == "World News"
    assert cleaned.text == "The minister said the plan would go ahead.\n\nDone now."
    assert clean_article(cleaned.title + "\n\n" + cleaned.text) == cleaned


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["The minister said the plan would go ahead.", "Critics disagreed strongly."]),
        min_size=1,
        max_size=8,
    )
)
def test_prose_is_never_lost(sentences: list[str]) -> None:
    raw = "Photo: Reuters\n\n" + "\n\n".join(sentences) + "\n\n0\n0\nLeave a comment"
    cleaned = clean_article(raw)
    assert cleaned.text == "\n\n".join(sentences)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_never_raises_never_grows(raw: str) -> None:
    cleaned = clean_article(raw)
    assert len(cleaned.text) <= len(raw)
    assert cleaned.title is None or cleaned.title.strip() == cleaned.title


def test_what_a_text_holds_nothing_no_words_or_words() -> None:
    # Nothing visible: spaces, zero-width characters, a byte-order mark, a soft hyphen, direction marks.
    for text in ("", "  \n\t ", "\u200b\u200d\ufeff", "\u00ad \u2060", "\u202e\u2066\u2069", "\u3000\u00a0"):
        assert text_content(text) == "nothing", repr(text)
    # Visible, but no word: emoji (with a skin tone, joined), punctuation, digits.
    for text in ("🔥🔥🔥 🚀", "... !!! ???", "— 12 — 2025 —", "👍🏽", "👩\u200d👩\u200d👧", "\u200b🔥\u200b"):
        assert text_content(text) == "no_words", repr(text)
    # A letter in any script is a word, whatever surrounds it.
    for text in ("Да.", "a", "Word 🔥", "\u200bx", "東京", "ü", "12 мая"):
        assert text_content(text) == "words", repr(text)
