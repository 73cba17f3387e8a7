"""Digest schedules: what /subscribe accepts, the errors it explains, and due instants across DST changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from usecases.schedule import (
    Schedule,
    ScheduleError,
    last_due,
    next_due,
    parse_schedule,
    parse_zone,
    schedule_from_spec,
    zone_label,
)
from usecases.services import Clock
from views.i18n import explain
from views.render import plain_text

RIGA = ZoneInfo("Europe/Riga")
NEW_YORK = ZoneInfo("America/New_York")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("words", "schedule", "zone"),
    [
        ("daily 08:00", Schedule("daily", minute=480), None),
        ("daily 8:30", Schedule("daily", minute=510), None),
        ("daily 8am", Schedule("daily", minute=480), None),
        ("daily 7:30pm", Schedule("daily", minute=1170), None),
        ("Daily 08:00 europe/riga", Schedule("daily", minute=480), "Europe/Riga"),
        ("daily 08:00 UTC", Schedule("daily", minute=480), "UTC"),
        ("daily 08:00 UTC+3", Schedule("daily", minute=480), "Etc/GMT-3"),
        ("weekly mon 09:00", Schedule("weekly", minute=540, weekday=0), None),
        ("weekly Sunday 21:15 America/New_York", Schedule("weekly", minute=1275, weekday=6), "America/New_York"),
        ("every 6h", Schedule("every", hours=6), None),
        ("every 6 hours", Schedule("every", hours=6), None),
        ("every hour", Schedule("every", hours=1), None),
        ("hourly", Schedule("every", hours=1), None),
        ("every 1 day", Schedule("every", hours=24), None),
    ],
)
def test_what_subscribe_accepts(words: str, schedule: Schedule, zone: str | None) -> None:
    assert parse_schedule(words.split()) == (schedule, zone)
    assert schedule_from_spec(schedule.spec) == schedule


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("daily 25:00", "“25:00” is not a time of day. Use the 24-hour clock, for example /subscribe daily 08:00"),
        ("daily 24:00", "“24:00” is not a time of day"),
        ("daily 08:61", "“08:61” is not a time of day"),
        ("daily 13pm", "“13pm” is not a time of day"),
        ("daily", "Tell me the time of day, for example /subscribe daily 08:00."),
        (
            "weekly funday 09:00",
            "“funday” is not a day of the week. Use mon, tue, wed, thu, fri, sat or sun, for example",
        ),
        ("weekly mon", "Tell me the day and the time, for example /subscribe weekly mon 09:00."),
        (
            "daily 08:00 Mars/Olympus",
            "I don't know the time zone “Mars/Olympus”. Use a name from the time zone database",
        ),
        ("daily 08:00 Europe/Rgia", "Did you mean Europe/Riga? For example: /settings timezone Europe/Riga"),
        ("every 30m", "Digests come at most once an hour, for example /subscribe every 1h."),
        ("every 48h", "use daily or weekly, for example /subscribe daily 08:00"),
        ("every often", "“every often” is not an interval I know. Use hours, for example /subscribe every 6h."),
        ("monthly 1", "“monthly 1” is not a schedule I know. Try /subscribe daily 08:00"),
        ("daily 08:00 Europe/Riga please", "“daily 08:00 Europe/Riga please” is not a schedule I know."),
        ("Europe/Riga", "Tell me when, too: for example /subscribe daily 08:00 Europe/Riga."),
        ("daily <b>&", "“&lt;b&gt;&amp;” is not a time of day"),
    ],
)
def test_bad_schedules_get_a_clear_answer_with_an_example(words: str, expected: str) -> None:
    with pytest.raises(ScheduleError) as caught:
        parse_schedule(words.split())
    message = explain(caught.value, "en")
    assert expected in message
    plain_text(message)  # valid Telegram HTML: what the user wrote is escaped


def test_zones_by_any_spelling_and_their_labels() -> None:
    assert parse_zone("europe/RIGA") == "Europe/Riga"
    assert parse_zone("utc-5") == "Etc/GMT+5"
    assert zone_label("Etc/GMT+5") == "UTC-5"
    assert zone_label("Etc/GMT-3") == "UTC+3"
    assert zone_label("Europe/Riga") == "Europe/Riga"
    assert parse_zone("UTC+0") == "UTC"
    with pytest.raises(ScheduleError):
        parse_zone("UTC+15")


def test_daily_0800_in_riga_is_0800_local_on_both_sides_of_the_spring_change() -> None:
    daily = Schedule("daily", minute=8 * 60)
    # Riga is UTC+2 in winter and UTC+3 from 03:00 on 30 March 2025.
    assert next_due(daily, RIGA, utc(2025, 3, 28, 12)) == utc(2025, 3, 29, 6)
    assert next_due(daily, RIGA, utc(2025, 3, 29, 6)) == utc(2025, 3, 30, 5)
    assert next_due(daily, RIGA, utc(2025, 3, 30, 5)) == utc(2025, 3, 31, 5)
    # And back in autumn (26 October 2025).
    assert next_due(daily, RIGA, utc(2025, 10, 25, 5)) == utc(2025, 10, 26, 6)


def test_a_time_in_the_spring_gap_moves_forward_by_the_gap() -> None:
    at_0330 = Schedule("daily", minute=3 * 60 + 30)
    due = next_due(at_0330, RIGA, utc(2025, 3, 29, 12))
    assert due == utc(2025, 3, 30, 1, 30)  # 04:30 local summer time: 03:30 does not exist that night
    assert due.astimezone(RIGA).hour == 4
    assert next_due(at_0330, RIGA, due) == utc(2025, 3, 31, 0, 30)  # 03:30 again the next night


def test_a_time_that_happens_twice_in_autumn_means_its_first_occurrence_and_comes_once() -> None:
    at_0330 = Schedule("daily", minute=3 * 60 + 30)
    first = next_due(at_0330, RIGA, utc(2025, 10, 25, 12))
    assert first == utc(2025, 10, 26, 0, 30)  # 03:30 summer time, before the clocks go back
    assert next_due(at_0330, RIGA, first) == utc(2025, 10, 27, 1, 30)  # not the second 03:30 of the same night


def test_every_6h_counts_from_local_midnight() -> None:
    every6 = Schedule("every", hours=6)
    slots = [next_due(every6, RIGA, utc(2025, 6, 1, 0))]
    for _ in range(4):
        slots.append(next_due(every6, RIGA, slots[-1]))
    assert [s.astimezone(RIGA).hour for s in slots] == [6, 12, 18, 0, 6]


def test_hourly_across_both_changes_is_strictly_increasing_without_repeats() -> None:
    hourly = Schedule("every", hours=1)
    for start in (utc(2025, 3, 29, 20), utc(2025, 10, 25, 20)):
        due = [next_due(hourly, RIGA, start)]
        for _ in range(12):
            due.append(next_due(hourly, RIGA, due[-1]))
        assert all(b > a for a, b in pairwise(due))
        assert len(set(due)) == len(due)


def test_weekly_in_new_york_keeps_its_wall_time_over_dst() -> None:
    monday = Schedule("weekly", minute=9 * 60, weekday=0)
    first = next_due(monday, NEW_YORK, utc(2025, 3, 1))  # Mon 3 March, EST (UTC-5)
    second = next_due(monday, NEW_YORK, first)  # Mon 10 March, EDT (UTC-4) since 9 March
    assert first == utc(2025, 3, 3, 14) and second == utc(2025, 3, 10, 13)
    assert last_due(monday, NEW_YORK, second + timedelta(days=6)) == second


schedules = st.one_of(
    st.builds(lambda m: Schedule("daily", minute=m), st.integers(0, 1439)),
    st.builds(lambda m, w: Schedule("weekly", minute=m, weekday=w), st.integers(0, 1439), st.integers(0, 6)),
    st.builds(lambda h: Schedule("every", hours=h), st.integers(1, 24)),
)
zones = st.sampled_from(["UTC", "Europe/Riga", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu"])
instants = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2027, 12, 31)).map(
    lambda moment: moment.replace(tzinfo=UTC)
)


@settings(max_examples=300, deadline=None)
@given(schedules, zones, instants)
def test_next_due_is_the_first_slot_after_and_last_due_the_latest_before(
    schedule: Schedule, zone_name: str, moment: datetime
) -> None:
    tz = ZoneInfo(zone_name)
    due = next_due(schedule, tz, moment)
    assert due > moment
    assert due - moment <= timedelta(days=7, hours=1)
    # No slot lies between: the latest slot before `due` is at or before `moment`.
    assert last_due(schedule, tz, due - timedelta(microseconds=1)) <= moment
    assert last_due(schedule, tz, due) == due
    assert last_due(schedule, tz, moment) <= moment


def test_the_clock_can_be_set_and_keeps_ticking() -> None:
    clock = Clock()
    clock.set(utc(2025, 3, 30, 4, 59, 59))
    first = clock.now()
    assert abs(first - utc(2025, 3, 30, 4, 59, 59)) < timedelta(seconds=1)
    clock.advance(timedelta(hours=2))
    assert clock.now() - first >= timedelta(hours=2)
