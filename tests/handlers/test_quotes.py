"""The parts of /quotes that need no database: grouping people into speakers, button data, rendering."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from handlers.quotes import CALLBACK_LIMIT, page_data, page_keyboard, parse_page_data, render_reply
from storage.quotes import StoredPerson, StoredQuote
from storage.repository import Source
from usecases.errors import UserError
from usecases.quotes import QuotesPage, Speaker, check_name, group_speakers
from views.quotes import render_statement
from views.render import plain_text


def people(*names: str, kind: str = "person") -> list[StoredPerson]:
    return [StoredPerson(i, name, kind, quotes=10 - i) for i, name in enumerate(names, start=1)]


def grouped(found: list[StoredPerson]) -> list[list[str]]:
    names = {p.id: p.name for p in found}
    return sorted(sorted(names[i] for i in s.person_ids) for s in group_speakers(found))


def test_a_surname_joins_the_one_full_name_it_fits() -> None:
    assert grouped(people("Vladimir Putin", "Putin", "President Putin")) == [
        ["President Putin", "Putin", "Vladimir Putin"]
    ]
    assert group_speakers(people("Putin", "Vladimir Putin"))[0].name == "Vladimir Putin"


def test_a_surname_that_fits_two_people_stays_apart() -> None:
    assert grouped(people("Bill Clinton", "Hillary Clinton", "Clinton")) == [
        ["Bill Clinton"],
        ["Clinton"],
        ["Hillary Clinton"],
    ]


def test_middle_names_tell_father_and_son_apart() -> None:
    assert grouped(people("George W. Bush", "George H. W. Bush", "George Bush")) == [
        ["George Bush"],
        ["George H. W. Bush"],
        ["George W. Bush"],
    ]
    assert grouped(people("George W. Bush", "George Bush", "Bush")) == [["Bush", "George Bush", "George W. Bush"]]


def test_organisations_are_never_merged_into_people() -> None:
    found = [*people("Anna Reuters"), StoredPerson(9, "Reuters", "organization", 3)]
    assert grouped(found) == [["Anna Reuters"], ["Reuters"]]
    assert {s.kind for s in group_speakers(found)} == {"person", "organization"}


def test_speakers_come_most_quoted_first_with_their_counts_summed() -> None:
    found = [
        StoredPerson(1, "Ada Lind", "person", 2),
        StoredPerson(2, "Lind", "person", 5),
        StoredPerson(3, "Bo Berg", "person", 6),
    ]
    assert [(s.name, s.quotes) for s in group_speakers(found)] == [("Ada Lind", 7), ("Bo Berg", 6)]


@pytest.mark.parametrize(
    ("raw", "key"),
    [("Putin", "putin"), ("  President   Putin's ", "putin"), ("Vladimir PUTIN", "vladimir putin")],
)
def test_names_are_tidied_and_keyed(raw: str, key: str) -> None:
    assert check_name(raw)[1] == key


@pytest.mark.parametrize(
    ("raw", "problem"),
    [("", "quotes_usage"), ("   ", "quotes_usage"), ("x" * 101, "quotes_name_too_long"), ("?!", "quotes_not_a_name")],
)
def test_bad_names_are_refused_with_a_reason(raw: str, problem: str) -> None:
    with pytest.raises(UserError) as refused:
        check_name(raw)
    assert refused.value.key == problem


def page(key: str, ids: tuple[int, ...] = (7,), total: int = 30, number: int = 0, by_ids: bool = False) -> QuotesPage:
    speaker = Speaker("Some Name", "person", ids, total)
    return QuotesPage(key, (speaker,), total, number, 5, (), by_ids)


def test_button_data_round_trips_and_fits_telegram() -> None:
    data = page_data(page("vladimir putin"), 3)
    assert data == "qt:k:3:vladimir putin"
    request = parse_page_data(data)
    assert request is not None and (request.page, request.key) == (3, "vladimir putin")


def test_a_name_too_long_for_a_button_pages_by_ids() -> None:
    cyrillic = "владимир владимирович путин-старший"  # two bytes a letter: too long for 64 bytes
    data = page_data(page(cyrillic, ids=(123456, 7)), 2)
    assert data == "qt:i:2:2n9c.7"
    request = parse_page_data(data)
    assert request is not None and request.person_ids == (123456, 7) and request.page == 2
    # Pages asked for by ids go on by ids.
    assert page_data(page("putin", ids=(5,), by_ids=True), 1) == "qt:i:1:5"


def test_when_nothing_fits_a_button_the_page_says_so() -> None:
    crowded = page("ж" * 40, ids=tuple(range(10**6, 10**6 + 20)))
    assert page_data(crowded, 1) is None
    assert page_keyboard(crowded, "en") is None
    assert "too long for page buttons" in plain_text(render_reply(crowded, "en")[0])
    for row in page_keyboard(page("putin"), "en").inline_keyboard:  # type: ignore[union-attr]
        assert all(len(str(b.callback_data).encode()) <= CALLBACK_LIMIT for b in row)


@pytest.mark.parametrize(
    "forged",
    [
        "",
        "qt",
        "qt:k:1",
        "qt:k:x:putin",
        "qt:k:-1:putin",
        "qt:k:9999999:putin",
        "qt:k:0:?!",
        "qt:i:0:",
        "qt:i:0:a..b",
        "qt:i:0:" + ".".join("1" * 33),
        "qt:z:0:putin",
        "sum:1:2",
        "qt:k:0:" + "a" * 101,
    ],
)
def test_forged_button_data_is_refused(forged: str) -> None:
    assert parse_page_data(forged) is None


def quote(text: str, mention: str, speaker: str | None = "Luc Moreau", direct: bool = False) -> StoredQuote:
    return StoredQuote(
        1,
        1,
        "T",
        Source("pasted"),
        datetime(2025, 1, 1, tzinfo=UTC),
        speaker,
        "person",
        mention,
        text,
        direct,
        "said",
        0.5,
    )


def test_statements_are_marked_and_escaped() -> None:
    direct = render_statement(quote("<b>Yes</b> & no", "Moreau", direct=True), "en", labelled=False)
    assert direct == "💬 <i>“&lt;b&gt;Yes&lt;/b&gt; &amp; no”</i>"
    reported = render_statement(quote("it went well", "He"), "en", labelled=True)
    assert reported == "🗣 it went well — <b>Luc Moreau</b> (as “He”)"
    titled = render_statement(quote("it went well", "French President Luc Moreau"), "en", labelled=False)
    assert titled == "🗣 it went well"
    unnamed = render_statement(quote("it went well", "The <notes>", speaker=None), "en", labelled=False)
    assert unnamed == "🗣 it went well — <b>unnamed source</b> (as “The &lt;notes&gt;”)"


def test_a_bodys_initials_join_the_one_body_whose_name_they_spell() -> None:
    found = [
        StoredPerson(1, "Food Standards Agency", "organization", 4),
        StoredPerson(2, "FSA", "organization", 2),
        StoredPerson(3, "Audit Commission", "organization", 1),
        StoredPerson(4, "AC", "organization", 1),
        StoredPerson(5, "Arts Council", "organization", 1),
    ]
    assert grouped(found) == [["AC"], ["Arts Council"], ["Audit Commission"], ["FSA", "Food Standards Agency"]]
    assert (group_speakers(found)[0].name, group_speakers(found)[0].quotes) == ("Food Standards Agency", 6)
