"""Who said what: /quotes, /people and their buttons, through the real application over real HTTP."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from analysis.types import Analysis, Person, Quote, Sentence
from storage.repository import Source
from tests.botapi import BotApiDouble, StoredMessage, origin_channel
from tests.e2e.articles import ARCHIVE_POST, HARBOUR_TAX_POST
from tests.e2e.conftest import RunningBot, StartupJobs
from usecases.ingest import store_analysis

CHAT = 6001
OTHER_CHAT = 6002
MOREAU = [
    'Paris felt "left outside" the process',
    "his country wanted to be treated as an equal",
    "France had helped to found the alliance",
    "in 1966 his country had left the integrated command",
    "We may come back, but only as equals",
    "the talks had been friendly",
]
HALE = [
    "he saw France as a close partner and not as a rival",
    "within twenty years, trade disputes could become the main risk",
    "the prosperity of Europe depends on open markets",
]


async def ask(api: BotApiDouble, command: str, chat: int = CHAT) -> StoredMessage:
    """Send a command and return the bot's answer (the newest of its messages in the chat)."""
    before = len(api.bot_messages(chat))
    api.push_command(chat, command)
    return (await api.wait_for_messages(chat, before + 1))[-1]


async def press(api: BotApiDouble, message: StoredMessage, data: str, chat: int = CHAT) -> StoredMessage:
    """Press a button of the bot's message and return that message once the bot has edited it."""
    edits = len(message.history)
    api.push_callback_query(chat, message.message_id, data)

    def edited() -> StoredMessage | None:
        current = api.message(chat, message.message_id)
        return current if len(current.history) > edits else None

    return await api.wait_until(edited, what=f"an edit of message {message.message_id}")


def button(message: StoredMessage, label: str) -> str:
    (data,) = [b["callback_data"] for row in message.buttons for b in row if label in b["text"]]
    return str(data)


async def forward_archive_post(bot: RunningBot, chat: int = CHAT) -> StoredMessage:
    posted = int(datetime(2025, 10, 9, 7, 30, tzinfo=UTC).timestamp())
    origin = origin_channel(-1009876543210, "Nordic Desk", message_id=12, username="nordicdesk", date=posted)
    before = len(bot.api.bot_messages(chat))
    bot.api.push_message(chat, ARCHIVE_POST, forward_origin=origin)
    return (await bot.api.wait_for_messages(chat, before + 1))[-1]


async def test_a_speaker_is_found_by_every_form_of_the_name(bot: RunningBot) -> None:
    api = bot.api
    card = await forward_archive_post(bot)
    # The card's strongest quote is the direct one, under the speaker's resolved name.
    assert "“We may come back, but only as equals” — Luc Moreau" in (card.text or "")
    assert "“We may come back, but only as equals” — Luc Moreau" in ((await ask(api, "/summary")).text or "")

    answers = [await ask(api, f"/quotes {name}") for name in ("Moreau", "Luc Moreau", "moreau's", "President Moreau")]
    first = answers[0].text or ""
    assert first.startswith("Luc Moreau · 6 statements, newest first")
    for statement in MOREAU:
        assert statement in first, statement
    for statement in HALE:
        assert statement not in first
    assert "did not mention" not in first  # a negation is no statement
    # Article, source (linked to the post), date and number; direct and reported speech told apart.
    assert "#1 Declassified Notes Reveal 2003 Talks Between Moreau and Hale" in first
    assert "Nordic Desk · 9 Oct 2025" in first
    assert 'href="https://t.me/nordicdesk/12"' in (answers[0].html or "")
    assert "💬 “We may come back, but only as equals”" in first
    assert "🗣 the talks had been friendly" in first
    # Statements made through "he" or a role say so.
    assert "🗣 France had helped to found the alliance — (as “He”)" in first
    assert "(as “The President of France”)" in first
    assert all(a.text == first for a in answers[1:]), [a.text for a in answers]

    hale = (await ask(api, "/quotes Hale")).text or ""
    assert hale.startswith("Henry Hale · 3 statements")
    for statement in HALE:
        assert statement in hale
    assert "(as “the American president”)" in hale
    assert not any(statement in hale for statement in MOREAU)

    # An agency is a source too, listed as an organisation, never merged into a person.
    nwr = (await ask(api, "/quotes NWR")).text or ""
    assert nwr.startswith("NWR (organisation) · 1 statement")
    assert api.errors() == []


async def test_pages_are_turned_in_the_same_message(bot: RunningBot) -> None:
    api = bot.api
    await forward_archive_post(bot)
    api.push_message(CHAT, HARBOUR_TAX_POST)
    await api.wait_for_messages(CHAT, 2)

    # The second article names him by surname only: still one speaker, seven statements, two pages.
    first = await ask(api, "/quotes Moreau")
    assert (first.text or "").startswith("Luc Moreau · 7 statements, newest first · page 1 of 2")
    assert "#2 Harbour Tax Vote Delayed" in (first.text or "")
    assert (first.text or "").index("#2 Harbour") < (first.text or "").index("#1 Declassified")
    assert [b["text"] for row in first.buttons for b in row] == ["Older ›"]
    assert all(len(data.encode()) <= 64 for data in first.callback_data)

    second = await press(api, first, button(first, "Older"))
    assert second.message_id == first.message_id
    assert "page 2 of 2" in (second.text or "")
    shown = [s for s in [*MOREAU, "the dispute was a local matter"] if s in (first.text or "")]
    assert not any(s in (second.text or "") for s in shown)  # the next page goes on where the first stopped
    assert "#1 Declassified" in (second.text or "")  # the article is named again on the page that continues it
    assert [b["text"] for row in second.buttons for b in row] == ["‹ Newer"]

    back = await press(api, second, button(second, "Newer"))
    assert back.text == first.text
    assert api.errors() == []


async def test_a_shared_surname_lists_both_people_clearly_labelled(bot: RunningBot) -> None:
    api = bot.api
    api.push_message(CHAT, HARBOUR_TAX_POST)
    await api.wait_for_messages(CHAT, 1)

    both = (await ask(api, "/quotes Berg")).text or ""
    assert both.startswith("2 people fit this name: Anna Berg (2), Erik Berg (2) · 4 statements")
    assert "“We cannot wait forever” — Anna Berg" in both
    assert "“This will empty our docks within a year” — Erik Berg" in both

    anna = (await ask(api, "/quotes Anna Berg")).text or ""
    assert anna.startswith("Anna Berg · 2 statements")
    assert "empty our docks" not in anna


async def test_a_typo_gets_did_you_mean_with_a_button(bot: RunningBot) -> None:
    api = bot.api
    await forward_archive_post(bot)
    reply = await ask(api, "/quotes Moraeu")
    assert reply.text == "No one called “Moraeu” is quoted in this chat. Did you mean Luc Moreau?"
    listed = await press(api, reply, button(reply, "Luc Moreau"))
    assert (listed.text or "").startswith("Luc Moreau · 6 statements")

    # Named in an article but never quoted is said as such.
    api.push_message(
        CHAT, "Budget Talks\n\nThe minister met Olga Petrov on Monday. Nobody commented on the meeting afterwards."
    )
    await api.wait_for_messages(CHAT, 3)  # the card, the question (edited into the list), this card
    never = (await ask(api, "/quotes Olga Petrov")).text
    assert never == "The articles here name Olga Petrov, but never quote them."


async def test_bad_names_get_clear_bounded_answers(bot: RunningBot) -> None:
    api = bot.api
    await forward_archive_post(bot)

    usage = (await ask(api, "/quotes")).text or ""
    assert usage.startswith("Write a name after /quotes, for example /quotes Putin")
    assert "Most quoted here: Luc Moreau (6), Henry Hale (3), NWR (1)." in usage

    long_name = (await ask(api, "/quotes " + "Moreau" * 50)).text
    assert long_name == "That name is 300 characters long; a name can have at most 100."

    injection = (await ask(api, "/quotes Robert'); DROP TABLE quotes;--")).text or ""
    assert injection.startswith("No one called “Robert'); DROP TABLE quotes;--” is quoted in this chat.")

    html = await ask(api, "/quotes <b>Moreau</b> & <i>co</i>")
    assert "“<b>Moreau</b> & <i>co</i>”" in (html.text or "")  # shown as typed, not as markup
    assert not [e for e in html.entities if e["type"] in ("bold", "italic")]

    assert (await ask(api, "/quotes ?!")).text == (
        "“?!” is not a name I can look up. Write a person's or an organisation's name, for example /quotes Putin."
    )
    assert ((await ask(api, "/quotes\nHale")).text or "").startswith("Henry Hale · 3 statements")
    assert (await ask(api, "/quotes Nobody Atall")).text == (
        "No one called “Nobody Atall” is quoted in this chat. /people lists who is."
    )
    # After all that, the archive is intact.
    assert ((await ask(api, "/quotes Moreau")).text or "").startswith("Luc Moreau · 6 statements")
    assert api.errors() == []


@pytest.mark.slow
async def test_a_name_with_five_thousand_statements_is_paged(bot: RunningBot, startup_jobs: StartupJobs) -> None:
    api = bot.api
    repo = bot.services.repo
    await startup_jobs.finished(bot.app)  # the articles below are stored as analysed: nothing may analyse them
    await repo.ensure_chat(CHAT)
    for article in range(250):
        text = " ".join(f"Statement {article}-{i} was made." for i in range(20))
        stored, _ = await repo.add_article(CHAT, text, Source("pasted"))
        quotes = tuple(
            Quote(f"statement {article}-{i} <&> was made", 0, 5, bool(i % 2), "Vera Sand", "Vera Sand", "person")
            for i in range(20)
        )
        analysis = Analysis(
            "en",
            f"Daily briefing {article}",
            text,
            (Sentence(0, 0, len(text), text, 0, 0),),
            quotes=quotes,
            people=(Person("Vera Sand", aliases=("Sand",)),),
        )
        await store_analysis(repo, stored.id, analysis)

    first = await ask(api, "/quotes Sand")
    assert (first.text or "").startswith("Vera Sand · 5,000 statements, newest first · page 1 of 834")
    assert "#250 Daily briefing 249" in (first.text or "")
    assert "statement 249-0 <&> was made" in (first.text or "")  # escaped, shown as written
    assert len(first.text or "") < 4096
    second = await press(api, first, button(first, "Older"))
    assert "page 2 of 834" in (second.text or "") and "statement 249-6 <&> was made" in (second.text or "")

    people = (await ask(api, "/people")).text or ""
    assert "1. Vera Sand — 5,000 statements" in people
    assert api.errors() == []


async def test_old_and_forged_buttons_get_a_clear_answer(bot: RunningBot) -> None:
    api = bot.api
    await forward_archive_post(bot)
    api.push_message(CHAT, HARBOUR_TAX_POST)
    await api.wait_for_messages(CHAT, 2)
    listing = await ask(api, "/quotes Moreau")
    older = button(listing, "Older")

    # Another chat's people, asked for by id from this chat's message, are no one here.
    await forward_archive_post(bot, OTHER_CHAT)
    other = await ask(api, "/quotes Hale", chat=OTHER_CHAT)
    assert other.text and "Henry Hale" in other.text
    [other_id] = [p.id for p in await bot.services.repo.quoted_people(OTHER_CHAT) if p.name == "Henry Hale"]
    forged_ids = "qt:i:0:" + _b36(other_id)

    for data in ("qt:k:abc:moreau", "qt:x:0:moreau", "qt:k:0:", "qt:i:0:!!", forged_ids, "ppl:x", older):
        if data == older:
            # The articles are gone: the button outlived its list.
            assert await bot.services.repo.delete_article(CHAT, 1)
            assert await bot.services.repo.delete_article(CHAT, 2)
        pushed = api.push_callback_query(CHAT, listing.message_id, data, check_data=False)
        answer = await api.wait_until(lambda q=pushed.callback_query_id: api.callback_answer(q), what=data)
        assert answer["text"] == "This list is out of date. Send /quotes with the name again.", data
        assert answer["show_alert"] is True
    assert api.message(CHAT, listing.message_id).text == listing.text  # nothing was shown instead
    assert api.errors() == []


async def test_chats_are_walled(bot: RunningBot) -> None:
    api = bot.api
    await forward_archive_post(bot)
    nothing = (await ask(api, "/quotes Moreau", chat=OTHER_CHAT)).text
    assert nothing == "No one called “Moreau” is quoted in this chat. /people lists who is."
    assert (await ask(api, "/people", chat=OTHER_CHAT)).text == (
        "No one is quoted in this chat yet. Forward an article first."
    )
    assert ((await ask(api, "/quotes 1", chat=OTHER_CHAT)).text or "").startswith(
        "There is no article #1: this chat has no articles yet"
    )


async def test_people_and_an_articles_quotes(bot: RunningBot) -> None:
    api = bot.api
    await forward_archive_post(bot)
    api.push_message(CHAT, HARBOUR_TAX_POST)
    await api.wait_for_messages(CHAT, 2)

    people = (await ask(api, "/people")).text or ""
    assert people.splitlines()[:6] == [
        "Quoted in this chat: 5, most quoted first",
        "1. Luc Moreau — 7 statements",
        "2. Henry Hale — 3 statements",
        "3. Anna Berg — 2 statements",
        "4. Erik Berg — 2 statements",
        "5. NWR (organisation) — 1 statement",
    ]

    article = (await ask(api, "/quotes 1")).text or ""
    assert article.startswith("#1 Declassified Notes")
    for statement in MOREAU + HALE:
        assert statement in article
    assert "Moreau asked for a seat at the planning table — unnamed source (as “The notes”)" in article
    assert "did not mention" not in article
    assert (await ask(api, "/quotes #9")).text == "There is no article #9 in this chat. The newest is #2."

    menu = [c["command"] for c in api.commands()]
    assert "quotes" in menu and "people" in menu
    help_text = (await ask(api, "/help")).text or ""
    assert "/quotes Putin" in help_text and "/people" in help_text


def _b36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out


async def test_people_are_paged_in_the_same_message(bot: RunningBot, startup_jobs: StartupJobs) -> None:
    repo = bot.services.repo
    await startup_jobs.finished(bot.app)  # the articles below are stored as analysed: nothing may analyse them
    await repo.ensure_chat(CHAT)
    names = [f"Speaker{chr(65 + i % 26)} Number{i}" for i in range(45)]
    for i, name in enumerate(names):
        text = f"Report {i}. " + " ".join(f"Line {j}." for j in range(i + 1))
        stored, _ = await repo.add_article(CHAT, text, Source("pasted"))
        # Speaker i has i + 1 statements, so the most quoted is the last one stored.
        quotes = tuple(Quote(f"line {j}", 0, 4, False, name, name, "person") for j in range(i + 1))
        sentences = (Sentence(0, 0, len(text), text, 0, 0),)
        await store_analysis(repo, stored.id, Analysis("en", f"Report {i}", text, sentences, quotes=quotes))

    first = await ask(bot.api, "/people")
    lines = (first.text or "").splitlines()
    assert lines[:2] == ["Quoted in this chat: 45, most quoted first · page 1 of 3", f"1. {names[44]} — 45 statements"]
    second = await press(bot.api, first, button(first, "Next"))
    assert f"21. {names[24]} — 25 statements" in (second.text or "")
    third = await press(bot.api, second, button(second, "Next"))
    assert f"45. {names[0]} — 1 statement" in (third.text or "")
    assert [b["text"] for row in third.buttons for b in row] == ["‹ Previous"]
    assert bot.api.errors() == []
