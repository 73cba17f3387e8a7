"""Result types of the text analysis.

Every span (`start`, `end`) is a character offset into `Analysis.text`, the cleaned article text, so that
storage and rendering can always go back to the words the article used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from analysis.titles import first_words

TimexType = Literal["DATE", "TIME", "DURATION", "SET"]
SpeakerKind = Literal["person", "organization", "unknown"]
# What an attribution reports. Only statements are shown to users as quotes; the other kinds are found only
# when asked for (`extract_quotes(..., every_attribution=True)`), to measure the engine against corpora that
# annotate every attribution: a thought ("X believes …" without the person's own words), a topic ("outlined
# his plan"), a share of a poll's respondents ("58 percent said …"), a record ("the survey shows …").
QuoteKind = Literal["statement", "thought", "topic", "poll", "record"]


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str
    paragraph: int
    # Position in the summariser's selection order: 0 is picked first. The summary of N sentences is the
    # sentences with rank < N, shown in document order, so any length is served without re-running analysis.
    rank: int = -1


@dataclass(frozen=True, slots=True)
class Quote:
    text: str
    start: int
    end: int
    direct: bool
    mention: str  # the words that name the speaker in the text: "He", "the President of Russia"
    speaker: str | None  # the resolved speaker's canonical name: "Vladimir Putin"
    speaker_kind: SpeakerKind = "unknown"
    cue: str = ""  # the speech verb or phrase: "said", "according to"
    sentence_index: int = -1
    mention_start: int = -1
    mention_end: int = -1
    score: float = 0.0  # how strong a "key quote" it is; higher is stronger
    in_title: bool = False  # said in the headline ("Зеленский: «…»"): not in `Analysis.text`, start = end = 0
    # the statement's own words when its attribution interrupts it ("A," he said, "B."): one span per part
    parts: tuple[tuple[int, int], ...] = ()
    kind: QuoteKind = "statement"


@dataclass(frozen=True, slots=True)
class Person:
    name: str  # canonical: the fullest form the article used, "Vladimir Putin"
    kind: SpeakerKind = "person"
    aliases: tuple[str, ...] = ()  # other forms seen: "Putin", "President Putin", "the President of Russia"
    mentions: int = 0


@dataclass(frozen=True, slots=True)
class TimeExpression:
    text: str
    start: int
    end: int
    type: TimexType
    value: str  # TimeML-style normalised value: "1954", "2022-02", "2022-02-24", "199X", "P50Y", "XXXX-WXX-1"
    granularity: str  # "century", "decade", "year", "season", "quarter", "month", "week", "day", "time", ...
    modifier: str = ""  # "EARLY", "MID", "LATE", "APPROX", ... (TimeML `mod`)


@dataclass(frozen=True, slots=True)
class Event:
    value: str  # normalised date, as TimeExpression.value
    granularity: str
    sort_key: str  # "YYYY-MM-DD" of the earliest day the date can mean, for ordering across articles
    label: str  # how to show the date: "early October 2025", "the 2000s"
    text: str  # the event in one short line
    sentence_index: int
    speaker: str | None = None  # set when the date comes from someone's claim
    actors: tuple[str, ...] = ()
    end_value: str = ""  # the end of a period the event spans ("from 1954 to 2000"), as `value`; "" for a point


@dataclass(frozen=True, slots=True)
class Analysis:
    lang: str
    title: str | None
    text: str
    sentences: tuple[Sentence, ...]
    quotes: tuple[Quote, ...] = ()
    people: tuple[Person, ...] = ()
    timexes: tuple[TimeExpression, ...] = ()
    events: tuple[Event, ...] = ()
    notes: tuple[str, ...] = field(default=())  # what was limited, e.g. an unsupported language
    # the title and the text as the search index stores them (analysis.search.stemmed_text)
    title_stems: str = ""
    stems: str = ""

    def stored_title(self) -> str | None:
        """The one title the article is shown under: its headline, else its first words."""
        return self.title or first_words(self.text)

    def summary(self, n: int) -> tuple[Sentence, ...]:
        """The n-sentence extractive summary, in document order."""
        chosen = [s for s in self.sentences if 0 <= s.rank < n]
        return tuple(sorted(chosen, key=lambda s: s.index))
