"""Temporal expressions: what is found, where, and the TimeML value it gets."""

from __future__ import annotations

import itertools
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.dates import find_timexes
from analysis.types import TimeExpression

PUBLISHED = datetime(2025, 11, 20, 9, 30)  # a Thursday


def found(text: str, published: datetime | None = PUBLISHED) -> list[TimeExpression]:
    return find_timexes(text, published)


def values(text: str, published: datetime | None = PUBLISHED) -> list[str]:
    return [t.value for t in found(text, published)]


def only(text: str, published: datetime | None = PUBLISHED) -> TimeExpression:
    timexes = found(text, published)
    assert len(timexes) == 1, timexes
    return timexes[0]


# -- years and what is not a year -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("The treaty was signed in 1954, the archive says.", "1954", "1954"),
        ("Notes from the 2001 talks were released.", "2001", "2001"),
        ("Sales have grown since 1999.", "1999", "1999"),
        ("The plan must be finished by 2030.", "2030", "2030"),
        ("He left the party in fiscal 2019.", "fiscal 2019", "2019"),
    ],
)
def test_a_year_in_context(text: str, span: str, value: str) -> None:
    t = only(text)
    assert (t.text, t.value, t.type, t.granularity) == (span, value, "DATE", "year")


@pytest.mark.parametrize(
    "text",
    [
        "The ticket cost $2000 at the door.",
        "About 2000 people marched through the centre.",
        "The border grew by 1,300 kilometers.",
        "The final score was 3-1 after extra time.",
        "Call the office on 555-2000 for details.",
        "Flight 1954 landed safely.",
        "He paid 1500 euros for the car.",
    ],
)
def test_numbers_that_are_not_years(text: str) -> None:
    assert found(text) == []


def test_spans_point_into_the_text() -> None:
    text = "On 24 February 2022 the war began; in 1954 and in 2000 Moscow asked to join."
    for t in found(text):
        assert text[t.start : t.end] == t.text


# -- calendar dates ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("It started on 24 February 2022 at dawn.", "24 February 2022", "2022-02-24"),
        ("It started on February 24, 2022 at dawn.", "February 24, 2022", "2022-02-24"),
        ("It started on the 24th of February 2022.", "the 24th of February 2022", "2022-02-24"),
        ("The file is dated 2022-02-24 in the archive.", "2022-02-24", "2022-02-24"),
        ("The file is dated 24.02.2022 in the archive.", "24.02.2022", "2022-02-24"),
        ("The deal was closed on Monday, Oct. 26, 1998.", "Monday, Oct. 26, 1998", "1998-10-26"),
    ],
)
def test_full_dates_in_the_usual_orders(text: str, span: str, value: str) -> None:
    t = only(text)
    assert (t.text, t.value, t.granularity) == (span, value, "day")


def test_a_day_without_a_year_takes_the_nearest_year_of_the_publication() -> None:
    assert values("The vote was held on Feb. 24.") == ["2025-02-24"]
    # Early January seen from late November lies ahead, not ten months back.
    assert values("The new rules take effect Jan. 2.") == ["2026-01-02"]


def test_month_and_year() -> None:
    t = only("He used the same argument in February 2022.")
    assert (t.text, t.value, t.granularity, t.modifier) == ("February 2022", "2022-02", "month", "")


def test_early_mid_late_go_to_the_modifier() -> None:
    t = only("In early October 2025, he spoke at a forum.")
    assert (t.text, t.value, t.modifier) == ("early October 2025", "2025-10", "START")
    assert only("Prices fell in mid-2022.").modifier == "MID"
    assert only("Talks resumed in late March 2024.").modifier == "END"


def test_an_impossible_day_keeps_only_the_month() -> None:
    t = only("The memo is dated 31 February 2022.")
    assert (t.value, t.granularity) == ("2022-02", "month")


def test_absurd_years_never_crash() -> None:
    assert values("They promised peace until the year 99999.") == []
    assert found("In 9999, or on 31.12.9999, or 9999 years ago.", PUBLISHED) is not None


def test_may_the_name_is_not_may_the_month() -> None:
    assert values("Theresa May said the talks would go on.") == []
    assert values("The talks ended in May.") == ["2025-05"]


def test_a_weekday_in_a_name_is_not_a_date() -> None:
    assert values("She told the channel's Sunday programme about the plan.") == []
    assert values("The Sunday Times reported the leak.") == []


def test_an_expression_never_crosses_a_line_break() -> None:
    text = "Markets stay closed until Friday\nSeptember 18, 2008\nThe exchange said so."
    assert [t.text for t in found(text)] == ["Friday", "September 18, 2008"]


def test_coordinated_days_share_the_month() -> None:
    assert values("The summit is on April 24 and 25, 2026.") == ["2026-04-24", "2026-04-25"]


# -- periods ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span", "value", "granularity", "modifier"),
    [
        ("Prices rose in the 1990s.", "the 1990s", "199X", "decade", ""),
        ("It had changed by the early 2000s.", "the early 2000s", "200X", "decade", "START"),
        ("The idea dates from the mid-20th century.", "the mid-20th century", "19", "century", "MID"),
        ("It is a problem of the 21st century.", "the 21st century", "20", "century", ""),
        ("The bridge opened in spring 2023.", "spring 2023", "2023-SP", "season", ""),
        ("Profit fell in the third quarter of 2024.", "the third quarter of 2024", "2024-Q3", "quarter", ""),
        ("Profit fell in the first half of 2024.", "the first half of 2024", "2024-H1", "half", ""),
    ],
)
def test_decades_centuries_seasons_quarters(text: str, span: str, value: str, granularity: str, modifier: str) -> None:
    t = only(text)
    assert (t.text, t.value, t.granularity, t.modifier) == (span, value, granularity, modifier)


def test_a_quarter_without_a_year_is_the_latest_one() -> None:
    assert values("Profit fell in the third quarter.") == ["2025-Q3"]


def test_ranges_give_two_dates() -> None:
    assert values("He led the region from 2014 to 2022.") == ["2014", "2022"]
    assert values("He led the region in 2014-2022.") == ["2014", "2022"]
    assert [t.text for t in found("The 2014-15 season was long.")] == ["2014", "15"]
    assert values("The 2014-15 season was long.") == ["2014", "2015"]


# -- relative expressions -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The minister resigned yesterday.", "2025-11-19"),
        ("The minister resigns today.", "2025-11-20"),
        ("The talks resume tomorrow.", "2025-11-21"),
        ("Turnout was low last week.", "2025-W46"),
        ("The bank was sold two years ago.", "2023"),
        ("Exports grew this year.", "2025"),
        ("The rules change next month.", "2025-12"),
        ("The plant closed last April.", "2025-04"),
        ("The minister spoke on Monday.", "2025-11-17"),
        ("The minister will speak on Monday.", "2025-11-24"),
    ],
)
def test_relative_dates_are_anchored_on_the_publication(text: str, value: str) -> None:
    assert values(text) == [value]


def test_without_a_publication_date_relative_values_stay_unknown() -> None:
    assert values("The minister resigned yesterday.", None) == ["XXXX-XX-XX"]
    assert values("The talks ended in May.", None) == ["XXXX-05"]
    assert values("Turnout was low last week.", None) == ["XXXX-WXX"]
    assert values("The minister spoke on Monday.", None) == ["XXXX-WXX-1"]
    # What the text states in full needs no anchor.
    assert values("It started on 24 February 2022.", None) == ["2022-02-24"]


def test_in_fifty_years_is_a_future_reference_not_a_date() -> None:
    t = only("In 50 years, he argued, India may lead the world economy.")
    assert (t.text, t.type, t.value) == ("50 years", "DATE", "FUTURE_REF")
    # A short horizon is resolved as TimeML does.
    assert values("The election will take place in two weeks.") == ["2025-W49"]


def test_references_to_now_past_and_future() -> None:
    assert values("The company is now bankrupt.") == ["PRESENT_REF"]
    assert values("The company has recently changed hands.") == ["PAST_REF"]
    assert values("More cuts may come in the future.") == ["FUTURE_REF"]


# -- times, durations, sets ---------------------------------------------------------------------------------------


def test_clock_times() -> None:
    t = only("The meeting starts at 9 a.m. sharp.")
    assert (t.text, t.type, t.value) == ("9 a.m.", "TIME", "2025-11-20T09:00")
    assert values("Polls close at 9:30 p.m. GMT.") == ["2025-11-20T21:30"]
    assert [t.text for t in found("The index was down 3% at 16:08 UTC.")] == ["16:08 UTC"]
    assert values("The deadline is noon tomorrow.") == ["2025-11-21T12:00"]


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("The siege lasted three years.", "three years", "P3Y"),
        ("He waited for several months.", "several months", "PXM"),
        ("Shares fell over the past five days.", "the past five days", "P5D"),
        ("They issued a 30-year bond.", "30-year", "P30Y"),
        ("Talks went on for more than two thousand years.", "more than two thousand years", "P2000Y"),
    ],
)
def test_durations(text: str, span: str, value: str) -> None:
    t = only(text)
    assert (t.text, t.type, t.value) == (span, "DURATION", value)


def test_an_age_is_not_a_duration() -> None:
    assert found("A five-year-old boy was rescued.") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The council meets every Monday.", "XXXX-WXX-1"),
        ("The paper appears daily.", "P1D"),
        ("He pays twice a year.", "P1Y"),
    ],
)
def test_sets(text: str, value: str) -> None:
    t = only(text)
    assert (t.type, t.value) == ("SET", value)


def test_years_in_words_and_holidays() -> None:
    assert values("In nineteen ninety-one the union collapsed.") == ["1991"]
    assert values("He was found on Thanksgiving Day 1999.") == ["1999-11-25"]
    assert values("The shops close on Christmas Day 2024.") == ["2024-12-25"]


def test_earnings_report_references_follow_the_quarter_named() -> None:
    text = "Net income rose in the third quarter. It was $5 million a year earlier, and the quarter was strong."
    assert values(text, datetime(1989, 11, 2)) == ["1989-Q3", "1988-Q3", "1989-Q3"]


def test_narrative_references_count_from_the_last_date_named() -> None:
    text = (
        "On 12 March 2022 the talks began. The next day they stalled, and two days later they collapsed. "
        "Later that year a deal was signed; the following year it broke down."
    )
    assert values(text) == ["2022-03-12", "2022-03-13", "2022-03-15", "2022", "2023"]
    assert found(text)[3].modifier == "END"


def test_narrative_references_without_a_fine_enough_date_stay_unknown() -> None:
    assert values("The plant opened in 2019. Three days later it closed. That day was grim.") == [
        "2019",
        "XXXX-XX-XX",
        "XXXX-XX-XX",
    ]
    # With no date named at all, "later" counts from the publication.
    assert values("Three days later the plant closed.") == ["2025-11-23"]


# -- robustness and speed --------------------------------------------------------------------------------------------


def test_results_are_ordered_and_never_overlap() -> None:
    text = "From 2014 to 2022, and on 24 February 2022 at 9 a.m., in early October 2025 and last week."
    timexes = found(text)
    for a, b in itertools.pairwise(timexes):
        assert a.end <= b.start


@pytest.mark.slow
def test_empty_and_huge_inputs() -> None:
    assert found("") == []
    assert found("1" * 1_000_000) == []
    assert found("a" * 1_000_000) == []
    assert {x.value for x in found("2000 " * 200_000)} <= {"2000"}


def test_an_article_of_a_thousand_words_gives_each_copy_its_dates() -> None:
    # How fast is bench_timeline's question (the time-expression figures); here, that repetition is counted.
    paragraph = (
        "On 24 February 2022 the army crossed the border, officials said on Monday. Prices rose 3.5% in the "
        "third quarter, compared with 2.1% a year earlier, and 1,300 people were moved in early October 2025. "
        "The minister, who served from 2014 to 2022, said the plan would take several years. "
    )
    text = paragraph * 20  # about a thousand words
    assert len(find_timexes(text, PUBLISHED)) == 20 * len(find_timexes(paragraph, PUBLISHED))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789 -./:,'aAmMyYJjFfeEbBrsuntdhTw\n")), max_size=200))
def test_any_text_gives_valid_spans(text: str) -> None:
    for t in find_timexes(text, PUBLISHED):
        assert text[t.start : t.end] == t.text
        assert t.type in ("DATE", "TIME", "DURATION", "SET")
        assert t.value


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300), st.none() | st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)))
def test_any_text_and_any_publication_date_never_crash(text: str, published: datetime | None) -> None:
    find_timexes(text + " yesterday, last week, in May, two years ago, Monday, the 1990s", published)


def test_a_group_of_a_phone_number_is_no_year() -> None:
    # Regression: "2022" after "555 2001" was read as a year and reached the time line.
    found = find_timexes("Fans can call +1 555 2001 2022 to book. It opened in 1954 and 2000.", None)
    assert [x.value for x in found] == ["1954", "2000"]


# -- the forms of the news: clock times, titles, named days ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("Polls close at 1930 GMT.", "1930 GMT", "2025-11-20T19:30"),
        ("The statement is due at 2005 GMT.", "2005 GMT", "2025-11-20T20:05"),
        ("Prime minister's questions start at 1200 GMT.", "1200 GMT", "2025-11-20T12:00"),
        ("The talks resume at 12:00 BST.", "12:00 BST", "2025-11-20T12:00"),
        ("The curfew ends at 0800 local time.", "0800 local time", "2025-11-20T08:00"),
        ("He will speak at 1200, aides said.", "1200", "2025-11-20T12:00"),
        ("The rally begins at 7pm.", "7pm", "2025-11-20T19:00"),
        ("Trading stopped at 14:48 UTC.", "14:48 UTC", "2025-11-20T14:48Z"),
    ],
)
def test_clock_times_in_news_forms_are_times_not_years(text: str, span: str, value: str) -> None:
    t = only(text)
    assert (t.text, t.type, t.value) == (span, "TIME", value)


def test_a_clock_time_takes_the_day_named_before_it() -> None:
    assert values("The Budget will be on 16 March, at about 1230 GMT.") == ["2026-03-16", "2026-03-16T12:30"]


def test_years_that_look_like_clock_times_stay_years() -> None:
    assert values("Spending will rise by 2008, he said.") == ["2008"]


@pytest.mark.parametrize(
    "text",
    [
        "He told BBC Radio 4's Today programme that taxes would not rise.",
        "Mr Balls told Today the Budget was prudent.",
        "She appeared on ITV1's This Morning to defend the plan.",
        "The figures were leaked to the Evening Standard.",
        "The company ran Windows 2000 on every desk.",
        "Tickets for Euro 2004 sold out.",
        'He called it a "vote now, pay later" Budget.',
        "They want people to vote now and pay later.",
    ],
)
def test_titles_names_and_slogans_are_not_dates(text: str) -> None:
    assert found(text) == []


def test_a_date_word_that_opens_a_quote_is_still_a_date() -> None:
    assert values('He said: "Today the Tories are making promises."') == ["2025-11-20"]


def test_a_year_before_an_event_noun_or_a_verb() -> None:
    assert values("It was before the historic 1997 election.") == ["1997"]
    assert values('"1983 was when I was first elected," he said.') == ["1983"]
    assert values("A poll ahead of an expected May election.") == ["2026-05"]


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("It was one of the terrible side effects of 9/11.", "9/11", "2001-09-11"),
        ("Security was tightened after 7/7 in London.", "7/7", "2005-07-07"),
        ("Laws passed after the 11 September attacks in the US.", "the 11 September", "2001-09-11"),
    ],
)
def test_days_known_by_their_name(text: str, span: str, value: str) -> None:
    t = only(text)
    assert (t.text, t.value) == (span, value)


def test_the_first_end_of_a_range_takes_the_year_of_the_second() -> None:
    assert values("Fakes were spread from March to November 2022.") == ["2022-03", "2022-11"]


def test_the_new_year_ahead_and_recent_and_coming_years() -> None:
    assert values("Parliament will renew the law in the New Year.") == ["2026"]
    assert values("He has chaired the group in recent years.") == ["PAST_REF"]
    assert values("Surprises may come in the coming years.") == ["FUTURE_REF"]


def test_that_weekday_is_in_the_week_of_the_day_named_before() -> None:
    text = "The Budget will be on 16 March. It starts at 1230 GMT on that Wednesday."
    assert values(text) == ["2026-03-16", "2026-03-16T12:30", "2026-03-18"]
    assert values("He arrived on 16 March 2026 and left on that Friday.")[-1] == "2026-03-20"


def test_the_month_of_an_event_may_lie_ahead_without_a_future_verb() -> None:
    assert values("If a May election is called, the Budget comes first.", datetime(2005, 2, 15)) == ["2005-05"]


# -- a weekday takes the tense of its own clause --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # Past forms close to the day, near or far from a future word in another clause: the last one.
        ("The company announced Friday that it will cut 3,000 jobs.", "2025-11-14"),
        ("The king met the envoy Monday, and aides said the talks would go on for weeks.", "2025-11-17"),
        ("Since the ruling was announced Wednesday, the family has said it would appeal.", "2025-11-19"),
        # Intentions and schedules look ahead to the day that follows them: the next one.
        ("The team planned to leave the capital on Monday for the coast.", "2025-11-24"),
        ("The trial is set to begin on Tuesday in the high court.", "2025-11-25"),
        ("Protesters were planning to march to the airport on Saturday.", "2025-11-22"),
        ("The father would be travelling to the United States with his wife and son Friday.", "2025-11-21"),
        # A passive after "will be" is no past: "held" does not turn the vote back.
        ("The vote will be held on Monday.", "2025-11-24"),
        # What the day itself opens stays in its clause: on Friday the government planned (a past plan).
        ("On Friday, the government planned to pay the families.", "2025-11-14"),
    ],
)
def test_a_weekday_takes_the_tense_of_its_own_clause(text: str, value: str) -> None:
    assert [t.value for t in found(text) if t.granularity == "day"] == [value]


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("Voting closes at 1200 GMT on Wednesday.", "1200 GMT on Wednesday", "2025-11-19T12:00"),
        ("The offer runs until 5 p.m. EST, Nov. 9, the bank said.", "5 p.m. EST, Nov. 9", "2025-11-09T17:00"),
        ("The bill was read on Tuesday at 1930 GMT.", "Tuesday at 1930 GMT", "2025-11-18T19:30"),
    ],
)
def test_a_clock_time_and_its_day_are_one_time(text: str, span: str, value: str) -> None:
    timex = only(text)
    assert (timex.text, timex.type, timex.value) == (span, "TIME", value)


def test_a_clock_time_and_a_day_in_different_sentences_stay_two() -> None:
    assert values("Polls close at 2200 GMT. Voting began on Monday.") == ["2025-11-20T22:00", "2025-11-17"]


# -- earnings reports: the quarter the report speaks of ---------------------------------------------------------

EARNINGS = datetime(1989, 11, 2)  # a report of the third quarter, in the fourth


def test_the_quarter_is_the_last_one_over_not_one_ahead() -> None:
    text = (
        "Unisys posted a loss for the third quarter. It expects little better in the first quarter of 1990. "
        "It reduced inventories during the quarter, and sales in the latest quarter rose. In the year-ago period "
        "it earned more."
    )
    by_text = {t.text: t.value for t in found(text, EARNINGS)}
    assert by_text["the quarter"] == "1989-Q3"  # not 1990's first quarter, named last but still ahead
    assert by_text["the latest quarter"] == "1989-Q3"
    assert by_text["the year-ago period"] == "1988-Q3"


def test_the_current_quarter_is_the_one_under_way() -> None:
    text = "Sales fell in the third quarter, with the current quarter having begun well."
    assert [t.value for t in found(text, EARNINGS)] == ["1989-Q3", "1989-Q4"]


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("Net rose in the third quarter from $5 million in the 1988 quarter.", "the 1988 quarter", "1988-Q3"),
        ("Net rose in the third quarter, up from the corresponding period last year.", None, "1988-Q3"),
        ("Net rose in the third quarter. U.K. sales for last year's quarter were small.", None, "1988-Q3"),
        ("Net rose in the third quarter. For the quarter a year ago, it lost money.", None, "1988-Q3"),
    ],
)
def test_a_quarter_a_year_back_is_the_named_quarter_a_year_earlier(text: str, span: str | None, value: str) -> None:
    last = found(text, EARNINGS)[-1]
    assert last.value == value
    if span is not None:
        assert last.text == span


def test_the_same_month_a_year_ago_is_the_named_month_a_year_back() -> None:
    text = "Sales fell 35% in January, compared to the same month a year ago."
    assert values(text, datetime(2009, 2, 3)) == ["2009-01", "2008-01"]
    text = "Sales rose 43% in February compared to the same period last year."
    assert values(text, datetime(2010, 3, 3)) == ["2010-02", "2009-02"]


def test_the_day_of_a_market_report_is_the_day_it_speaks_of() -> None:
    text = "The Dow rose on Monday, ending the day at 8,017 points."
    assert values(text) == ["2025-11-17", "2025-11-17"]
    # Without a day named, the report's own day; a report written on a Saturday speaks of Friday's trading.
    assert values("The Nikkei fell 6% to end the day at 7,162.") == ["2025-11-20"]
    assert values("Stocks gained 1%, ending the day at 8,017.", datetime(2009, 4, 4)) == ["2009-04-03"]
    assert values("The minister arrived in Leeds later in the day.") == ["2025-11-20"]
    assert values("It was the day before the vote.") == []


def test_the_year_ago_third_quarter_and_the_latest_period() -> None:
    text = "Net rose in the third quarter. In the year-earlier third quarter it lost money."
    assert values(text, EARNINGS) == ["1989-Q3", "1988-Q3"]
    text = "Net rose in the third quarter. Sales in the latest period were $1.76 billion."
    assert values(text, EARNINGS) == ["1989-Q3", "1989-Q3"]


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("They lived in the camps for 2 1/2 years.", "2 1/2 years", "P2Y6M"),
        ("She spent 5 1/2 hours in Nairobi.", "5 1/2 hours", "PT5H30M"),
    ],
)
def test_a_half_is_written_in_the_next_smaller_unit(text: str, span: str, value: str) -> None:
    timex = only(text)
    assert (timex.text, timex.value) == (span, value)


def test_the_year_of_a_report() -> None:
    # "the year ended June 30" is a year's length; "for the year", "the full year" the year spoken of.
    text = "Net rose in the third quarter. For the year ended Sept. 30, it earned $422 million."
    assert [t.value for t in found(text, EARNINGS)][:2] == ["1989-Q3", "P1Y"]
    assert values("It forecast an increase for the full year.", EARNINGS) == ["1989"]
    text = "GM lost $4.8 billion in the fourth quarter of 2005 and $8.6 billion for the entire year."
    assert values(text, datetime(2006, 1, 27)) == ["2005-Q4", "2005"]
    assert values("Sales fell in the first nine months of the year.", EARNINGS)[-1] == "1989"
    assert values("Sales will be higher in the current fiscal year.", EARNINGS) == ["1989"]
    assert values("It will report lower earnings for the fiscal year.", EARNINGS) == ["1989"]


def test_this_past_season_is_the_last_one_before_publication() -> None:
    assert values("It scrapped the unit this past spring.", EARNINGS) == ["1989-SP"]
    assert values("It began last spring.", EARNINGS) == ["1988-SP"]
