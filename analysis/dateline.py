"""The publication date a pasted article states at its top ("24 February 2022", "Published: March 3, 2025").

A forwarded post carries its own date; pasted text and files only carry the moment they were sent, which
can be years after the article appeared. Relative dates ("yesterday", "last week") are resolved against the
publication date, so a date line at the top of the text is worth using.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from analysis.dates import find_timexes
from analysis.dates_lexicon import load

HEAD_CHARS = 600  # only the top of the text: a date further down is about the story, not the page
HEAD_LINES = 8
MAX_OTHER_WORDS = 4  # "Published on", "By Anna Smith |": a few words beside the date, not a sentence
_DAY = re.compile(r"^(\d{4})-(\d\d)-(\d\d)(?:T(\d\d):(\d\d))?$")
_YEAR = re.compile(r"\b\d{4}\b")
_WORD = re.compile(r"[^\W\d_]+")


def dateline(
    text: str, received: datetime, lang: str = "en", max_other_words: int = MAX_OTHER_WORDS
) -> datetime | None:
    """The date of a line near the top that is a full calendar date and little else, or None.

    The date must name its year (a bare "Monday" is relative to a date we do not know yet) and must not lie
    after `received`. A day without a time is taken at noon UTC, so it reads as the same day in any time
    zone.
    """
    head = text[:HEAD_CHARS]
    lines = [line.strip() for line in head.splitlines() if line.strip()][:HEAD_LINES]
    for line in lines:
        if len(line) > 80:
            continue
        for timex in find_timexes(line, received, lang):
            match = _DAY.match(timex.value)
            if timex.type not in ("DATE", "TIME") or not match or not _YEAR.search(timex.text):
                continue
            others = _WORD.findall(line[: timex.start] + " " + line[timex.end :])
            if len(others) > max_other_words:
                continue
            year, month, day, hour, minute = match.groups()
            try:
                moment = datetime(
                    int(year),
                    int(month),
                    int(day),
                    int(hour) if hour else 12,
                    int(minute) if minute else 0,
                    tzinfo=UTC,
                )
            except ValueError:
                continue
            if moment <= received.astimezone(UTC) + timedelta(days=1):
                return moment
    return None


def is_dateline(line: str) -> bool:
    """Whether a line is a date and hardly more ("14 February 2005", "Published: March 3, 2025"): a date line,
    not a headline ("Budget set for 16 March 2005" is one)."""
    latest = datetime.max.replace(tzinfo=UTC) - timedelta(days=2)
    return "\n" not in line.strip() and dateline(line, latest, max_other_words=2) is not None


def warm_dateline(lang: str = "en") -> None:
    """Compile now the date rules `dateline` reads with, which are compiled on first use: in the bot that was
    the first article stored after a start, 80 ms on the event loop a person's command then waited behind.
    Once per process."""
    load(lang)
