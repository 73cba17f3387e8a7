"""Dated events: what goes on the time line, in which words, in which order, said by whom."""

from __future__ import annotations

import re
from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.dates import find_timexes
from analysis.sentences import split_sentences
from analysis.timeline import MAX_CHARS, build_events, event_label, same_event, sort_key
from analysis.types import Event, Person, Quote

PUBLISHED = datetime(2025, 11, 20)

# A forwarded post written for these tests, shaped like the articles the bot is for: a headline repeating the
# lead's date, a far-future remark, reported speech with several dates, and channel boilerplate.
ARTICLE = """Archive notes show Putin raised NATO membership with Bush in 2001

Photo: archive

An American archive has published notes from the 2001 meeting between Russian leader Vladimir Putin and \
US President George W. Bush. According to the notes, Putin asked whether Russia could one day join NATO.

Bush answered that in 50 years China might become the main challenge for both countries.

Putin noted that in 1954, Moscow had sent the alliance a membership request. He argued that the objections \
raised in the mid-20th century no longer applied by the early 2000s.

In early October 2025, speaking at the Valdai forum, Putin said Russia had made two bids for NATO membership - \
one in 1954, one in 2000 - the second while Bill Clinton was visiting Moscow.

He repeated those claims in February 2022 as he announced the full-scale invasion of Ukraine, saying that \
NATO's growth had to be stopped.

After Finland joined, the border between Russia and NATO grew by about 1,300 kilometers.

0
0
Leave a comment"""


def events(text: str, quotes: list[Quote] | None = None, published: datetime | None = PUBLISHED) -> list[Event]:
    return build_events(text, split_sentences(text, "en"), find_timexes(text, published), quotes or [], "en")


def reported(text: str, content: str, speaker: str) -> Quote:
    start = text.index(content)
    return Quote(text=content, start=start, end=start + len(content), direct=False, mention=speaker, speaker=speaker)


def first(found: list[Event], value: str) -> Event:
    return next(e for e in found if e.value == value)


def test_the_article_time_line_holds_the_events_a_reader_needs_in_order() -> None:
    found = events(ARTICLE)
    values = [e.value for e in found]
    order = [values.index(v) for v in ("1954", "2000", "2001", "2022-02", "2025-10")]
    assert order == sorted(order)
    assert "membership request" in first(found, "1954").text
    assert "Clinton" in first(found, "2000").text
    assert "invasion" in first(found, "2022-02").text
    assert "Putin said Russia had made two bids for NATO membership" in first(found, "2025-10").text
    assert first(found, "2025-10").label == "early October 2025"


def test_far_future_remarks_and_counts_stay_off_the_time_line() -> None:
    found = events(ARTICLE)
    assert all(re.match(r"\d", e.value) for e in found)
    assert not any("50 years" in e.text and e.value.startswith("20") and "China" in e.text for e in found)
    assert not any("1,300" in e.label for e in found)


def test_a_date_named_twice_is_one_event() -> None:
    found = events(ARTICLE)
    assert [e.value for e in found].count("2001") == 1
    assert [e.value for e in found].count("1954") == 1
    # The lead's sentence is preferred to the headline.
    assert "American archive" in first(found, "2001").text


def test_reasoning_periods_are_dated_by_their_period() -> None:
    century = first(events("The objections were first raised in the mid-20th century."), "19")
    assert (century.label, century.sort_key) == ("the mid-20th century", "1933-01-01")
    assert first(events("Growth returned in the early 2000s."), "200X").label == "the early 2000s"


def test_one_sentence_that_dates_one_thing_twice_is_one_event() -> None:
    found = events(ARTICLE)
    line = "The objections raised in the mid-20th century no longer applied by the early 2000s"
    assert [(e.value, e.end_value) for e in found if e.text == line] == [("19", "200X")]
    assert [e.label for e in found if e.text == line] == ["the mid-20th century – the early 2000s"]
    (nested,) = events("Sanctions imposed in 2022 tightened further after the summit on 24 June 2022.")
    assert (nested.value, nested.end_value) == ("2022-06-24", "")
    (span,) = events("Trade grew in 2014 and was still rising as sanctions bit in 2022.")
    assert (span.value, span.end_value, span.label) == ("2014", "2022", "2014 – 2022")


def test_a_range_is_one_event_with_a_start_and_an_end() -> None:
    (event,) = events("He led the region from 1954 to 2000, the archive shows.")
    assert (event.value, event.end_value, event.label) == ("1954", "2000", "1954 – 2000")
    assert event.text == "He led the region from 1954 to 2000"
    (budget,) = events("The bloc is negotiating its budget for 2007-2013 in Brussels.")
    assert (budget.value, budget.end_value) == ("2007", "2013")


def test_a_range_in_russian() -> None:
    text = "Касьянов возглавлял правительство с 2000 по 2004 год, напомнил суд."
    found = build_events(text, split_sentences(text, "ru"), find_timexes(text, PUBLISHED, "ru"), [], "ru")
    assert [(e.value, e.end_value) for e in found] == [("2000", "2004")]


def test_an_opening_participle_keeps_the_main_clause() -> None:
    text = "Speaking at the Valdai Club in October 2025, Putin repeated that Russia had twice asked to join NATO."
    (event,) = events(text)
    assert "Putin repeated that Russia had twice asked to join NATO" in event.text
    assert "Putin" in event.actors


def test_a_pronoun_is_resolved_to_the_person_the_quote_engine_found() -> None:
    text = (
        'Vladimir Putin said the alliance had refused Moscow twice. "We were told no," he said. '
        "He used similar arguments in February 2022 when announcing the invasion."
    )
    quote_text = "We were told no,"
    quote = reported(text, quote_text, "Vladimir Putin")
    quote = Quote(
        text=quote.text,
        start=quote.start,
        end=quote.end,
        direct=True,
        mention="he",
        speaker="Vladimir Putin",
        speaker_kind="person",
    )
    (event,) = events(text, [quote])
    assert event.text.startswith("He used similar arguments")  # the quote's "he" is in another sentence
    people = [Person("Vladimir Putin", mentions=3), Person("Joe Biden", mentions=1)]
    (event,) = build_events(text, split_sentences(text, "en"), find_timexes(text, PUBLISHED), [quote], "en", people)
    assert event.text.startswith("Putin used similar arguments")
    assert "Putin" in event.actors


def test_a_pronoun_named_by_the_quote_engine_in_its_own_sentence() -> None:
    text = "Ministers met in Rome. He said in March 2025 that talks would go on."
    content = "talks would go on"
    start = text.index(content)
    quote = Quote(
        text=content,
        start=start,
        end=start + len(content),
        direct=False,
        mention="He",
        speaker="Mario Rossi",
        speaker_kind="person",
        mention_start=text.index("He"),
        mention_end=text.index("He") + 2,
    )
    people = [Person("Anna Bianchi", mentions=5)]
    (event,) = build_events(text, split_sentences(text, "en"), find_timexes(text, PUBLISHED), [quote], "en", people)
    assert event.text.startswith("Rossi said")  # not the article's most mentioned person


def test_the_speaker_of_a_quote_goes_with_the_dates_inside_it() -> None:
    quotes = [
        reported(ARTICLE, "in 1954, Moscow had sent the alliance a membership request", "Vladimir Putin"),
        reported(
            ARTICLE,
            "Russia had made two bids for NATO membership - one in 1954, one in 2000 - the second while Bill Clinton "
            "was visiting Moscow",
            "Vladimir Putin",
        ),
    ]
    found = events(ARTICLE, quotes)
    assert first(found, "1954").speaker == "Vladimir Putin"
    assert first(found, "2000").speaker == "Vladimir Putin"
    assert first(found, "2000").text.startswith("Russia had made two bids")
    # The date of the speech is outside the quote: it is not the speaker's claim.
    assert first(found, "2025-10").speaker is None


def test_a_clause_opened_by_which_keeps_what_it_refers_to() -> None:
    text = "Ministers fear strikes before the general election, which is widely expected next May."
    (event,) = events(text)
    assert event.text == "Ministers fear strikes before the general election, which is widely expected next May"
    assert event.value == "2026-05"


def test_an_opening_phrase_with_the_date_introduces_the_clause_after_it() -> None:
    text = "In a statement on Sunday, the ministry said the plan was under review."
    (event,) = events(text)
    assert event.text == "The ministry said the plan was under review"


def test_two_dates_in_one_sentence_give_two_events() -> None:
    text = "Russia applied to join the alliance in 1954 and again in 2000, the minister recalled."
    found = events(text)
    assert [e.value for e in found] == ["1954", "2000"]


def test_an_opening_date_is_dropped_from_the_line() -> None:
    text = "On 24 February 2022, Russian troops crossed the border into Ukraine."
    (event,) = events(text)
    assert event.text == "Russian troops crossed the border into Ukraine"
    assert (event.label, event.sort_key, event.granularity) == ("24 February 2022", "2022-02-24", "day")
    assert "Ukraine" in event.actors


def test_lines_are_short() -> None:
    text = (
        "The committee, which had been meeting behind closed doors for months and which had heard dozens of "
        "witnesses from several countries, finally published its long-awaited report on 3 March 2024 after a "
        "vote that split its members along party lines and surprised many observers in the capital."
    )
    (event,) = events(text)
    assert len(event.text) <= MAX_CHARS
    assert "3 March 2024" in event.text


def test_publication_lines_and_datelines_are_not_events() -> None:
    text = "Published: 24 February 2022\n\nUpdated 25 February 2022, 10:00\n\nThe talks failed in 2019."
    assert [e.value for e in events(text)] == ["2019"]


def test_relative_dates_need_a_publication_date_to_be_placed() -> None:
    text = "The minister resigned yesterday after a vote."
    assert [e.value for e in events(text)] == ["2025-11-19"]
    assert events(text, published=None) == []


def test_durations_sets_and_references_are_not_events() -> None:
    text = "The siege lasted three years. The council meets every Monday. The company is now bankrupt."
    assert events(text) == []


def test_labels_as_people_read_them() -> None:
    assert event_label("1954") == "1954"
    assert event_label("2022-02") == "February 2022"
    assert event_label("2025-10", "START") == "early October 2025"
    assert event_label("2022-02-24") == "24 February 2022"
    assert event_label("200X") == "the 2000s"
    assert event_label("19", "MID") == "the mid-20th century"
    assert event_label("20") == "the 21st century"
    assert event_label("2023-SP") == "spring 2023"
    assert event_label("2022-Q3") == "Q3 2022"
    assert event_label("2022-W08") == "the week of 21 February 2022"
    assert event_label("2022-02-24T09:00") == "24 February 2022, 09:00"
    assert event_label("1998", "END") == "late 1998"
    assert event_label("2005-W10", "START") == "the week of 7 March 2005"


def test_sort_keys_are_the_first_day_a_date_can_mean() -> None:
    assert sort_key("1954") == "1954-01-01"
    assert sort_key("2025-10", "START") == "2025-10-01"
    assert sort_key("2025-10", "END") == "2025-10-21"
    assert sort_key("199X") == "1990-01-01"
    assert sort_key("19", "MID") == "1933-01-01"
    assert sort_key("2022-Q3") == "2022-07-01"
    assert sort_key("2022-W08-WE") == "2022-02-26"
    assert sort_key("2022-02-24T09:00") == "2022-02-24"
    assert sort_key("FUTURE_REF") == "9999-12-31"


def test_same_event_across_articles() -> None:
    one = events("On 24 February 2022, Russian troops crossed the border into Ukraine.")[0]
    two = events("Russian troops crossed into Ukraine on 24 February 2022, the ministry said.")[0]
    other = events("On 24 February 2022, markets in Moscow fell sharply.")[0]
    assert same_event(one, two)
    assert not same_event(one, other)


def test_empty_input() -> None:
    assert build_events("", [], [], [], "en") == []


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "In 1954, the union applied.",
                "On 24 February 2022 troops crossed the border",
                " - in 1990 and in 1995 - ",
                "Putin said",
                ", ",
                "yesterday",
                "Published: 3 March 2024",
                "\n\n",
                "(in May)",
                "that in 2001",
                "“We will win in 2030,” he said.",
                "a" * 300,
                " ",
            ]
        ),
        max_size=12,
    )
)
def test_any_text_gives_short_sorted_events(parts: list[str]) -> None:
    text = "".join(parts)
    found = events(text)
    assert [e.sort_key for e in found] == sorted(e.sort_key for e in found)
    for e in found:
        assert e.text and len(e.text) <= MAX_CHARS + 2  # room for the ellipses of a cut line
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", e.sort_key)


def test_an_opening_participle_keeps_the_main_clause_in_russian() -> None:
    text = "Выступая на форуме в октябре 2025 года, Путин повторил, что Россия дважды просилась в НАТО."
    found = build_events(text, split_sentences(text, "ru"), find_timexes(text, PUBLISHED, "ru"), [], "ru")
    assert [e.value for e in found] == ["2025-10"]
    assert "Путин повторил" in found[0].text


def test_a_person_named_only_as_an_owner_in_someone_elses_clause_is_no_actor() -> None:
    text = (
        "Lib Dem leader Charles Kennedy is expected to attack Mr Blair's words as he begins a tour on Monday. "
        "Kennedy contrasted his approach with Mr Brown's pledge in 2001 not to raise income tax. "
        "Mr Blair's speech on Thursday was cheered."
    )
    people = [
        Person("Charles Kennedy", mentions=2),
        Person("Tony Blair", mentions=2),
        Person("Gordon Brown", mentions=1),
    ]
    found = build_events(text, split_sentences(text, "en"), find_timexes(text, PUBLISHED), [], "en", people)
    tour, pledge, speech = (next(e for e in found if word in e.text) for word in ("tour", "pledge", "speech"))
    assert "Blair" not in tour.actors and "Charles Kennedy" in tour.actors  # Kennedy's tour, Blair's words
    assert pledge.actors == ("Brown",)  # the date dates Brown's pledge, not Kennedy's contrast
    assert "Blair" in speech.actors  # an owner with no one else in the clause is the clause's person
