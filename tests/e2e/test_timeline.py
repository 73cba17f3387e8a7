"""/timeline through the real application over real HTTP: order, precision, merging, paging, walls, bad input."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.botapi import StoredMessage, origin_channel
from tests.e2e.articles import BRIDGE_POST
from tests.e2e.conftest import RunningBot
from tests.e2e.timeline_articles import (
    ARCHIVE_TALKS,
    NUMBERS_POST,
    UNDATED_POST,
    WIRE_FIRST,
    WIRE_SECOND,
    chronology,
)

CHAT = 6001
OTHER_CHAT = 6002
EMPTY = "This chat has no articles yet. Forward or paste one first."
POSTED = int(datetime(2025, 10, 20, 9, 0, tzinfo=UTC).timestamp())


def forward(bot: RunningBot, chat: int, text: str, message_id: int = 10) -> None:
    origin = origin_channel(-1001000000001, "World Desk", message_id=message_id, username="worlddesk", date=POSTED)
    bot.api.push_message(chat, text, forward_origin=origin)


async def ask(bot: RunningBot, chat: int, command: str) -> StoredMessage:
    count = len(bot.api.bot_messages(chat))
    bot.api.push_command(chat, command)
    return (await bot.api.wait_for_messages(chat, count + 1))[-1]


def event_lines(message: StoredMessage) -> list[str]:
    """The time line's lines: "DATE — EVENT · #N"."""
    return [line for line in (message.text or "").splitlines() if " — " in line and " · #" in line]


def labels(message: StoredMessage) -> list[str]:
    return [line.split(" — ", 1)[0] for line in event_lines(message)]


async def test_the_last_articles_timeline_in_date_order_at_its_precision(bot: RunningBot) -> None:
    forward(bot, CHAT, ARCHIVE_TALKS)
    (card,) = await bot.api.wait_for_messages(CHAT, 1)
    events_line = next(line for line in (card.text or "").splitlines() if line.startswith("🗓"))
    assert events_line.endswith("dated events — /timeline 1")
    count = int(events_line.split()[1])

    reply = await ask(bot, CHAT, "/timeline")
    assert (reply.text or "").startswith("🗓 Timeline of #1 · Archive Opens Record of 2001")
    lines = event_lines(reply)
    assert len(lines) == count  # the card promised as many lines as the time line has
    found = labels(reply)
    story = ["1954", "2000", "2001", "February 2022", "early October 2025"]
    assert all(label in found for label in story), found
    assert [found.index(label) for label in story] == sorted(found.index(label) for label in story)
    # The century sorts from its middle (1933), before 1954.
    assert found.index("the mid-20th century – the early 2000s") < found.index("1954")
    # "in 50 years" is a horizon, not a date: nothing about China's rivalry is placed on the line.
    assert not any("50 years" in line or "China" in line for line in lines)
    # A date from a claim says whose claim it is; every line names its article.
    assert any(line.startswith("1954 — Vladimir Putin: ") for line in lines)
    assert all(line.endswith("· #1") for line in lines)
    assert "<b>1954</b>" in (reply.html or "")

    # /timeline 1 is the same list, and replying /timeline to the card names that article.
    assert event_lines(await ask(bot, CHAT, "/timeline 1")) == lines
    bot.api.push_command(CHAT, "/timeline", reply_to_message_id=card.message_id)
    replied = (await bot.api.wait_for_messages(CHAT, 4))[-1]
    assert event_lines(replied) == lines
    assert bot.api.errors() == []


async def test_one_event_reported_by_two_articles_is_one_line_with_two_sources(bot: RunningBot) -> None:
    for i, text in enumerate((ARCHIVE_TALKS, WIRE_FIRST, WIRE_SECOND)):
        forward(bot, CHAT, text, message_id=20 + i)
        await bot.api.wait_for_messages(CHAT, i + 1)

    reply = await ask(bot, CHAT, "/timeline NATO")
    text = reply.text or ""
    assert text.startswith("🗓 Timeline: NATO — ")
    assert "from 3 articles" in text.splitlines()[0]
    pier = [line for line in event_lines(reply) if line.startswith("12 March 2024 — ")]
    assert len(pier) == 1 and pier[0].endswith("· #2, #3"), pier
    found = labels(reply)
    assert found.index("February 2022") < found.index("12 March 2024") < found.index("early October 2025")

    # A person: matched by name as people write it, only the articles that mention him.
    for query in ("Putin", "President Putin", "Vladimir Putin's"):
        person = await ask(bot, CHAT, f"/timeline {query}")
        assert (person.text or "").startswith("🗓 Timeline: Vladimir Putin — "), query
        assert "12 March 2024" not in labels(person)
        assert "1954" in labels(person)

    typo = await ask(bot, CHAT, "/timeline Puttin")
    assert (typo.text or "").startswith("No article in this chat mentions Puttin. Did you mean Vladimir Putin?")
    assert bot.api.errors() == []


async def test_long_time_lines_are_paged_in_the_same_message(bot: RunningBot) -> None:
    api = bot.api
    forward(bot, CHAT, chronology(25))
    await api.wait_for_messages(CHAT, 1)
    first = await ask(bot, CHAT, "/timeline")
    assert labels(first) == [str(1901 + 4 * i) for i in range(10)]
    assert (first.text or "").rstrip().endswith("Page 1 of 3")
    assert [b["text"] for b in first.buttons[0]] == ["Later ▶"]

    async def press(label: str) -> StoredMessage:
        current = api.message(CHAT, first.message_id)
        (data,) = [b["callback_data"] for row in current.buttons for b in row if b["text"] == label]
        edits = len(current.history)
        api.push_callback_query(CHAT, first.message_id, data)
        await api.wait_until(lambda: len(api.message(CHAT, first.message_id).history) > edits, what="an edit")
        return api.message(CHAT, first.message_id)

    second = await press("Later ▶")
    assert labels(second) == [str(1941 + 4 * i) for i in range(10)]
    assert "Page 2 of 3" in (second.text or "")
    assert [b["text"] for b in second.buttons[0]] == ["◀ Earlier", "Later ▶"]
    third = await press("Later ▶")
    assert labels(third) == [str(1981 + 4 * i) for i in range(5)]
    assert [b["text"] for b in third.buttons[0]] == ["◀ Earlier"]
    back = await press("◀ Earlier")
    assert labels(back) == labels(second)
    # Every page was the same message, edited: nothing new was sent.
    assert len(api.bot_messages(CHAT)) == 2

    # A topic too long for a button's 64 bytes is read back from the command the list answers.
    topic = "harbour board approved plan crossing chronicle Norvik bridge"
    listed = await ask(bot, CHAT, f"/timeline {topic}")
    assert (listed.text or "").startswith(f"🗓 Timeline: {topic} — 25 dated events from 1 article")
    data, picture = listed.callback_data
    assert (data, picture) == ("tl:2:r", "tp:r")
    api.push_callback_query(CHAT, listed.message_id, data)
    await api.wait_until(lambda: api.message(CHAT, listed.message_id).history, what="an edit")
    assert labels(api.message(CHAT, listed.message_id))[0] == "1941"
    assert api.errors() == []


async def test_chats_are_walled(bot: RunningBot) -> None:
    api = bot.api
    forward(bot, CHAT, ARCHIVE_TALKS)
    await api.wait_for_messages(CHAT, 1)
    assert (await ask(bot, OTHER_CHAT, "/timeline NATO")).text == EMPTY
    assert (await ask(bot, OTHER_CHAT, "/timeline")).text == EMPTY

    api.push_message(OTHER_CHAT, BRIDGE_POST)
    await api.wait_for_messages(OTHER_CHAT, 3)
    for query in ("NATO", "Putin", "1954"):
        reply = await ask(bot, OTHER_CHAT, f"/timeline {query}")
        assert "1954" not in labels(reply) and "Putin:" not in (reply.text or ""), reply.text
    own = await ask(bot, OTHER_CHAT, "/timeline")
    assert (own.text or "").startswith("🗓 Timeline of #1 · Harbour Bridge Plan Approved")

    # A forged button naming the other chat's article shows nothing of it.
    article = await bot.services.repo.article_by_number(CHAT, 1)
    assert article is not None
    pushed = api.push_callback_query(OTHER_CHAT, own.message_id, f"tl:1:a{article.id}", check_data=False)
    await api.wait_until(lambda: api.callback_answer(pushed.callback_query_id), what="the callback answer")
    answer = api.callback_answer(pushed.callback_query_id) or {}
    assert answer.get("text", "").startswith("This list is out of date")
    assert api.message(OTHER_CHAT, own.message_id).history == []
    assert api.errors() == []


async def test_bad_input_gets_a_clear_answer(bot: RunningBot) -> None:
    api = bot.api
    assert (await ask(bot, CHAT, "/timeline")).text == EMPTY
    forward(bot, CHAT, ARCHIVE_TALKS)
    await api.wait_for_messages(CHAT, 2)

    cases = [
        ("/timeline " + "x" * 300, "A topic can be at most 100 characters long; this one has 300."),
        # OR is no operator (NATO alone would match): a word, or a stop word that PostgreSQL's search leaves out.
        ("/timeline NATO OR whales*", "No article in this chat mentions NATO OR whales*."),
        ("/timeline NATO NEAR Russia", "No article in this chat mentions NATO NEAR Russia."),
        ("/timeline <b>NATO</b>", "No article in this chat mentions <b>NATO</b>."),
        ('/timeline "NATO" AND (', '🗓 Timeline: "NATO" AND ( — '),  # "and" is a word here
        ("/timeline ***", "A topic needs at least one word or name"),
        ('/timeline ")(" ', "A topic needs at least one word or name"),
        ("/timeline 7", "There is no article #7 in this chat. The newest is #1."),
        ("/timeline 99999999999999999999", "Use /timeline, /timeline NUMBER"),
    ]
    for command, answer in cases:
        reply = await ask(bot, CHAT, command)
        assert (reply.text or "").startswith(answer), (command, reply.text)
    # Quotes and brackets around a word are no syntax: the word is searched for.
    for query in ('"NATO"', "(NATO)", "nato:", "NATO*"):
        reply = await ask(bot, CHAT, f"/timeline {query}")
        assert "1954" in labels(reply), (query, reply.text)

    # Numbers that are no dates, a day that does not exist, a year out of reach.
    forward(bot, CHAT, NUMBERS_POST, message_id=11)
    card = (await api.wait_for_messages(CHAT, len(api.bot_messages(CHAT)) + 1))[-1]
    assert "#2" in (card.text or "")
    reply = await ask(bot, CHAT, "/timeline 2")
    assert set(labels(reply)) <= {"February 2022"}, reply.text
    # The card counts what the time line shows, in English: "1 dated event", "2 dated events".
    promised = [line for line in (card.text or "").splitlines() if line.startswith("🗓")]
    n = len(labels(reply))
    assert promised == ([] if n == 0 else [f"🗓 {n} dated event{'s' if n > 1 else ''} — /timeline 2"])
    assert not any(year in (reply.text or "").split(" — ")[0] for year in ("1999", "2001", "1954", "99999"))

    # A topic that is mentioned, but never with a date.
    forward(bot, CHAT, UNDATED_POST, message_id=12)
    card = (await api.wait_for_messages(CHAT, len(api.bot_messages(CHAT)) + 1))[-1]
    assert "🗓" not in (card.text or "")
    reply = await ask(bot, CHAT, "/timeline tomatoes")
    assert "The article that mentions tomatoes has no dated events." in (reply.text or "")
    reply = await ask(bot, CHAT, "/timeline 3")
    assert "Article #3 has no dated events." in (reply.text or "")
    assert api.errors() == []


async def test_a_pasted_articles_date_line_anchors_its_relative_dates(bot: RunningBot) -> None:
    pasted = (
        "Council Backs Harbour Tunnel\n"
        "24 February 2022\n"
        "\n"
        "The Norvik council voted for the harbour tunnel yesterday after a long debate. Work on the tunnel "
        "should begin in the spring of 2023, the mayor said."
    )
    bot.api.push_message(CHAT, pasted)
    (card,) = await bot.api.wait_for_messages(CHAT, 1)
    assert "pasted text · 24 Feb 2022 · #1" in (card.text or "")
    reply = await ask(bot, CHAT, "/timeline")
    assert "23 February 2022" in labels(reply), reply.text  # "yesterday", counted from the date line
    assert bot.api.errors() == []


async def test_the_picture_button_sends_the_time_line_as_a_photo(bot: RunningBot) -> None:
    api = bot.api
    forward(bot, CHAT, ARCHIVE_TALKS)
    await api.wait_for_messages(CHAT, 1)
    listed = await ask(bot, CHAT, "/timeline")
    (data,) = [b["callback_data"] for row in listed.buttons for b in row if b["text"] == "🖼 Picture"]
    pushed = api.push_callback_query(CHAT, listed.message_id, data)
    photos = await api.wait_until(
        lambda: [m for m in api.bot_messages(CHAT) if m.method == "sendPhoto"], what="the picture", timeout=60
    )
    (photo,) = photos
    assert photo.reply_to_message_id == listed.message_id
    assert (photo.caption or "").startswith("🖼 Timeline of #1 · Archive Opens Record of 2001")
    assert photo.photo is not None
    largest = photo.photo[-1]
    assert (largest["width"], largest["height"] > 400) == (1280, True)
    png = api.file_bytes(largest["file_id"])
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert api.callback_answer(pushed.callback_query_id) is not None
    # The list itself is unchanged, and nothing went wrong on the way.
    assert api.message(CHAT, listed.message_id).history == []
    assert api.errors() == []
