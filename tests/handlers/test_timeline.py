"""Merging reports of one event, dates at their precision, and pages that always fit one message."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.timeline import callback_data, page_keyboard
from storage.base import Source
from storage.timeline import StoredEvent
from usecases.timeline import MAX_TOPIC_CHARS, TimelineView, content_stems, iso_date, merge_reports, same_event
from views.render import plain_text, visible_length
from views.timeline import PAGE_SIZE, render_timeline, timeline_json

_ids = iter(range(1, 1_000_000))


def report(
    value: str,
    text: str,
    article: int,
    *,
    sort_key: str | None = None,
    granularity: str = "year",
    label: str | None = None,
    speaker: str | None = None,
) -> StoredEvent:
    return StoredEvent(
        id=next(_ids),
        article_id=1000 + article,
        article_number=article,
        article_title=f"Article {article}",
        source=Source("channel", "Desk", "https://t.me/desk/1"),
        published_at=datetime(2025, 10, 20, tzinfo=UTC),
        value=value,
        granularity=granularity,
        sort_key=sort_key or (value + "-01-01")[:10],
        label=label or value,
        text=text,
        speaker=speaker,
        actors=(),
        sentence_index=0,
    )


def test_dates_are_iso_like_at_their_precision() -> None:
    assert [iso_date(v) for v in ("1954", "2022-02", "2022-02-24", "199X", "19", "2022-Q3")] == [
        "1954",
        "2022-02",
        "2022-02-24",
        "199X",
        "19XX",
        "2022-Q3",
    ]


def test_the_same_event_from_two_articles_is_one_entry_with_both_sources() -> None:
    entries = merge_reports(
        [
            report("2024-03-12", "The harbour authority opened the new northern pier", 3),
            report("2024-03-12", "The Norvik harbour authority opened its new northern pier", 5),
            report("2024-03-12", "Dockers went on strike over pay", 4),  # same day, another event
            report("2024", "The harbour authority opened the new northern pier", 6),  # another date
        ]
    )
    assert [(e.date, e.article_numbers) for e in entries] == [
        ("2024", [6]),
        ("2024-03-12", [3, 5]),
        ("2024-03-12", [4]),
    ]
    assert entries[1].event.article_number == 3  # the first report is the one shown


def test_what_is_never_merged() -> None:
    # Two lines of one article stay two lines; so do two people's claims about the same year.
    same_article = merge_reports([report("1954", "Moscow asked to join", 1), report("1954", "Moscow asked to join", 1)])
    assert len(same_article) == 2
    claims = merge_reports(
        [
            report("1954", "Moscow asked to join the alliance", 1, speaker="Vladimir Putin"),
            report("1954", "Moscow asked to join the alliance", 2, speaker="Jens Stoltenberg"),
            report("1954", "Moscow asked to join the alliance", 3),  # no speaker: agrees with the first claim
        ]
    )
    assert [e.article_numbers for e in claims] == [[1, 3], [2]]
    # Two words in common out of many are not enough.
    loose = merge_reports(
        [
            report("2001", "Putin and Bush talked about the alliance in Ljubljana", 1),
            report("2001", "Putin and Bush signed nothing while inflation climbed", 2),
        ]
    )
    assert len(loose) == 2


def test_entries_are_in_date_order_coarser_first() -> None:
    entries = merge_reports(
        [
            report("2022-02-24", "The invasion began", 2, sort_key="2022-02-24", granularity="day"),
            report("2022-02", "Troops massed at the border", 1, sort_key="2022-02-01", granularity="month"),
            report("2022", "A hard year began", 3, sort_key="2022-01-01"),
            report("19", "The old order was built", 1, sort_key="1933-01-01", granularity="century"),
            report("1954", "Moscow asked to join", 4),
        ]
    )
    assert [e.date for e in entries] == ["19XX", "1954", "2022", "2022-02", "2022-02-24"]


def test_json_gives_every_source() -> None:
    view = TimelineView(
        kind="topic",
        subject="pier",
        entries=merge_reports(
            [
                report("2024-03-12", "The harbour authority opened the new northern pier", 3, label="12 March 2024"),
                report("2024-03-12", "The harbour authority opened a new northern pier", 2, label="12 March 2024"),
            ]
        ),
        articles=2,
    )
    (entry,) = timeline_json(view)
    assert entry["date"] == "2024-03-12" and entry["label"] == "12 March 2024"
    assert entry["article_id"] == 2
    assert [s["article_id"] for s in entry["sources"]] == [2, 3]


_line = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=300)


@settings(max_examples=60, deadline=None)
@given(
    texts=st.lists(_line, min_size=1, max_size=35),
    speaker=st.none() | st.text(min_size=1, max_size=80),
    sources=st.integers(1, 40),
    topic=st.text(min_size=1, max_size=MAX_TOPIC_CHARS),
)
def test_every_page_is_one_valid_message_and_every_button_fits(
    texts: list[str], speaker: str | None, sources: int, topic: str
) -> None:
    events = [
        report("2022-02", text, n, label="early February 2022", speaker=speaker)
        for i, text in enumerate(texts)
        for n in ([i * 100 + k for k in range(sources)] if i == 0 else [i * 100])
    ]
    view = TimelineView(
        kind="topic", subject=topic, entries=merge_reports(events), articles=len(events), scope=f"t{topic}"
    )
    pages = -(-len(view.entries) // PAGE_SIZE)
    for page in range(1, pages + 1):
        html, shown = render_timeline(view, "en", page)
        assert shown == page
        assert visible_length(html) <= 4096
        assert "early February 2022" in plain_text(html) or not view.entries
        keyboard = page_keyboard(view, page, "en")
        for row in keyboard.inline_keyboard if keyboard else ():
            for button in row:
                assert isinstance(button.callback_data, str)
                assert len(button.callback_data.encode("utf-8")) <= 64
    assert render_timeline(view, "en", pages + 5)[1] == max(pages, 1)  # a stale page number shows the last


def test_callback_data_keeps_short_topics_and_points_back_for_long_ones() -> None:
    assert callback_data("tNATO", 2) == "tl:2:tNATO"
    assert callback_data("a123", 7) == "tl:7:a123"
    assert callback_data("t" + "Организация по безопасности и сотрудничеству", 2) == "tl:2:r"


def merged_by_comparing_with_every_entry(events: list[StoredEvent]) -> list[list[int]]:
    """The merge written plainly (each report compared with every entry of its date, in order), as ids."""
    by_value: dict[str, list[StoredEvent]] = {}
    for event in sorted(events, key=lambda e: (e.article_number, e.sentence_index, e.id)):
        by_value.setdefault(event.value, []).append(event)
    merged = []
    for group in by_value.values():
        clusters: list[list[StoredEvent]] = []
        for event in group:
            for reports in clusters:
                first = reports[0]
                if (
                    all(r.article_id != event.article_id for r in reports)
                    and (first.speaker is None or event.speaker is None or first.speaker == event.speaker)
                    and same_event(content_stems(first), content_stems(event))
                ):
                    reports.append(event)
                    break
            else:
                clusters.append([event])
        merged += [[r.id for r in reports] for reports in clusters]
    return sorted(merged)


# Few enough words that lines share some, enough that a date gathers dozens of entries.
_WORDS = [f"{a}{n:02}" for a in ("alp", "bet", "gam") for n in range(10)]


@settings(max_examples=80, deadline=None)
@given(
    lines=st.lists(
        st.tuples(
            st.sampled_from(["2024", "2024", "1954"]),
            st.lists(st.sampled_from(_WORDS), min_size=0, max_size=4),
            st.integers(1, 60),
            st.sampled_from([None, None, "Ann Lee", "Bo Kim"]),
        ),
        min_size=30,  # past the word index's threshold often
        max_size=150,
    )
)
def test_merging_finds_the_entry_comparing_with_every_one_would(
    lines: list[tuple[str, list[str], int, str | None]],
) -> None:
    # Dates with many entries (more than the word index waits for) as well as few.
    events = [report(value, " ".join(words), article, speaker=speaker) for value, words, article, speaker in lines]
    entries = merge_reports(events)
    assert sorted([r.id for r in e.reports] for e in entries) == merged_by_comparing_with_every_entry(events)
    assert sum(len(e.reports) for e in entries) == len(events)


def test_a_date_with_many_entries_gives_a_report_to_the_first_it_matches() -> None:
    # Twenty distinct events of one year (more than the word index waits for), then a report that tells the
    # same as the fourth and the eighteenth: it goes to the fourth, as comparing with every entry in order would.
    distinct = [report("1954", f"alp{n:02} bet{n:02} gam{n:02}", n) for n in range(1, 21)]
    both = report("1954", "alp04 bet04 alp18 bet18", 30)
    entries = merge_reports([*distinct, both])
    assert len(entries) == 20
    (joined,) = [e for e in entries if len(e.reports) == 2]
    assert joined.article_numbers == [4, 30]
