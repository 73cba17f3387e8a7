"""Texts that do not say when they were written, and dates named without a year."""

from __future__ import annotations

from datetime import UTC, datetime

from analysis.dateline import is_dateline
from analysis.dates import find_timexes
from analysis.pipeline import analyze, guess_title
from analysis.titles import first_words

FEB_2005 = datetime(2005, 2, 14, 12, tzinfo=UTC)
DEC_2026 = datetime(2026, 12, 3, 12, tzinfo=UTC)


def values(text: str, anchor: datetime | None) -> list[tuple[str, str]]:
    return [(x.text, x.value) for x in find_timexes(text, anchor)]


def test_a_day_after_the_anchor_without_a_tense_cue_is_the_next_one() -> None:
    text = "Tony Blair has yet to name the date of the election, but most pundits are betting on 5 May."
    assert values(text, FEB_2005) == [("5 May", "2005-05-05")]


def test_a_day_reported_in_the_past_is_still_the_last_one() -> None:
    assert values("On 20 December the minister resigned.", datetime(2005, 1, 5, tzinfo=UTC)) == [
        ("20 December", "2004-12-20")
    ]


def test_the_same_day_is_one_date_in_one_article() -> None:
    text = "Pundits say 5 May suits Labour. The vote will be held on 5 May, the party confirmed."
    assert values(text, DEC_2026) == [("5 May", "2027-05-05"), ("5 May", "2027-05-05")]
    text = "Pundits expect 5 May. He will speak on 5 May."
    assert values(text, FEB_2005) == [("5 May", "2005-05-05"), ("5 May", "2005-05-05")]


def test_without_an_anchor_nothing_is_counted_from_today() -> None:
    analysis = analyze("The vote will be held on 5 May, officials said yesterday. Critics expect a delay.")
    assert [(x.text, x.value) for x in analysis.timexes] == [("5 May", "XXXX-05-05"), ("yesterday", "XXXX-XX-XX")]
    # On the time line, the day without a year is shown as the text says it; "yesterday" is no date at all.
    assert [e.label for e in analysis.events] == ["5 May"]


def test_first_words_are_cut_at_a_word_boundary() -> None:
    text = "The city council voted on Tuesday to close the old harbour bridge for repairs.\nMore."
    assert first_words(text) == "The city council voted on Tuesday to close the old harbour…"
    assert first_words("\n\n  Short line.  \nMore.") == "Short line."
    assert first_words("x" * 100) == "x" * 60 + "…"
    assert first_words(" \n ") is None


def test_a_date_line_is_not_a_headline() -> None:
    assert is_dateline("14 February 2005") and is_dateline("Published: March 3, 2025")
    assert not is_dateline("Harbour Bridge Plan Approved") and not is_dateline("Budget set for 16 March 2005")
    text = "14 February 2005\n\nThe city council voted on Tuesday to close the old harbour bridge for repairs."
    assert guess_title(text) == "The city council voted on Tuesday to close the old harbour…"
    assert analyze(text).stored_title() == guess_title(text)
    assert guess_title("Bridge Plan Approved\n\nThe council voted on Tuesday to close it.") == "Bridge Plan Approved"
