"""The date line of a pasted article: used when it is clearly the page's date, ignored otherwise."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from analysis.dateline import dateline

RECEIVED = datetime(2025, 10, 20, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bridge approved\n24 February 2022\n\nThe council voted yesterday.", datetime(2022, 2, 24, 12, tzinfo=UTC)),
        ("Bridge approved\nPublished: March 3, 2025\n\nText.", datetime(2025, 3, 3, 12, tzinfo=UTC)),
        ("Bridge approved\nBy Anna Smith | 3 Mar 2025\n\nText.", datetime(2025, 3, 3, 12, tzinfo=UTC)),
        ("Bridge approved\n2025-03-04\n\nText.", datetime(2025, 3, 4, 12, tzinfo=UTC)),
    ],
)
def test_a_date_line_at_the_top_is_the_publication_date(text: str, expected: datetime) -> None:
    assert dateline(text, RECEIVED) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Bridge approved\nMonday\n\nText.",  # no year: relative to a date we do not know
        "Talks of 2001 revealed\nThe archive released the record of the 2001 talks on Friday.",  # a year only
        "Bridge approved\n24 February 2030\n\nText.",  # after the text reached us
        "Bridge approved\n31 February 2022\n\nText.",  # no such day
        "Bridge approved\nThe council approved the bridge on 24 February 2022 after a long debate.",  # a sentence
        "Title\n" + "Filler line of words.\n" * 40 + "24 February 2022",  # far from the top
        "",
    ],
)
def test_anything_else_is_no_date_line(text: str) -> None:
    assert dateline(text, RECEIVED) is None
