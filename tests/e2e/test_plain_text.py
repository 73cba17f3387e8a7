"""Pasted text as it really comes: without a headline, without a date, or without any words at all."""

from __future__ import annotations

import json

import pytest

from tests.e2e.conftest import RunningBot

CHAT = 9101

# No headline: the first line is already prose. No date line: nothing says when it was published.
UNTITLED = (
    "The city council voted on Tuesday to close the old harbour bridge for repairs after engineers warned "
    "that its steel frame was failing.\n\n"
    '"We cannot wait for the bridge to fall before we act," said Maria Lund, the head of the city council. '
    "She added that ferries would run every twenty minutes while the bridge is closed.\n\n"
    "Work on the bridge will start on 5 May and should last two years, the council said yesterday. "
    "Most traders expect the works to begin on 5 May as planned, and shops near the bridge fear a quiet summer. "
    "The last repairs were made in 1998 and cost the city far less than this plan.\n"
)
FIRST_WORDS = "The city council voted on Tuesday to close the old harbour…"
DATED = "14 February 2005\n\n" + UNTITLED


# (Invisible characters alone are "no text" at all: analysis.clean.text_content tells the two apart.)
@pytest.mark.parametrize("text", ["🔥🔥🔥 👍", "... !!! ???", "— 12 —"])
async def test_a_text_with_no_words_is_refused_and_nothing_is_stored(bot: RunningBot, text: str) -> None:
    bot.api.push_message(CHAT, text)
    (reply,) = await bot.api.wait_for_messages(CHAT, 1)
    assert reply.text is not None and reply.text.startswith("There are no words in this message")
    assert await bot.services.repo.count_articles(CHAT) == 0


@pytest.mark.parametrize(
    ("link", "scheme"),
    [("ftp://example.org/report.txt", "ftp"), ("file:///etc/hosts", "file"), ("mailto:ed@example.org", "mailto")],
)
async def test_a_link_that_is_not_to_a_web_page_is_explained(bot: RunningBot, link: str, scheme: str) -> None:
    bot.api.push_message(CHAT, link)
    (reply,) = await bot.api.wait_for_messages(CHAT, 1)
    assert reply.text == f"I could not read the link: only http and https links are followed, not {scheme}."
    assert await bot.services.repo.count_articles(CHAT) == 0


async def test_an_untitled_article_has_one_title_everywhere(bot: RunningBot) -> None:
    api = bot.api
    api.push_message(CHAT, UNTITLED)
    (card,) = await api.wait_for_messages(CHAT, 1)
    assert card.text is not None and card.text.splitlines()[0] == FIRST_WORDS

    api.push_command(CHAT, "/digest")
    digest = (await api.wait_for_messages(CHAT, 2))[-1]
    assert FIRST_WORDS in (digest.text or "") and "Article #1" not in (digest.text or "")

    api.push_command(CHAT, "/quotes Lund")
    quotes = (await api.wait_for_messages(CHAT, 3))[-1]
    assert FIRST_WORDS in (quotes.text or "") and "Untitled" not in (quotes.text or "")

    api.push_command(CHAT, "/timeline")
    timeline = (await api.wait_for_messages(CHAT, 4))[-1]
    assert FIRST_WORDS in (timeline.text or "")

    api.push_command(CHAT, "/export")
    (upload,) = await api.wait_until(lambda: api.requests("sendDocument"), what="the export")
    exported = json.loads(next(iter(upload.files.values())).data)
    assert [a["title"] for a in exported["articles"]] == [FIRST_WORDS]


async def test_undated_text_keeps_its_relative_dates_open(bot: RunningBot) -> None:
    """Pasted today, the text says nothing of when it was written: "5 May" has no year to take, and
    "yesterday" is no day at all, rather than days counted from today."""
    bot.api.push_message(CHAT, UNTITLED)
    await bot.api.wait_for_messages(CHAT, 1)
    article = await bot.services.repo.article_by_number(CHAT, 1)
    assert article is not None and not article.dated
    events = await bot.services.repo.article_events(CHAT, article.id)
    labels = [e.label for e in events]
    assert labels == ["1998", "5 May"], labels  # one "5 May", shown without a year, after the dated event

    bot.api.push_command(CHAT, "/export")
    (upload,) = await bot.api.wait_until(lambda: bot.api.requests("sendDocument"), what="the export")
    exported = json.loads(next(iter(upload.files.values())).data)
    assert exported["articles"][0]["published_at"] is None


async def test_a_date_line_anchors_every_date_without_a_year(bot: RunningBot) -> None:
    bot.api.push_message(CHAT, DATED)
    await bot.api.wait_for_messages(CHAT, 1)
    article = await bot.services.repo.article_by_number(CHAT, 1)
    assert article is not None and article.dated and article.published_at.date().isoformat() == "2005-02-14"
    events = await bot.services.repo.article_events(CHAT, article.id)
    # Both mentions of 5 May are the one after the date line, never a year apart.
    assert {e.value for e in events if e.value.endswith("-05-05")} == {"2005-05-05"}


async def test_the_russian_interface_writes_dates_in_russian(bot: RunningBot) -> None:
    bot.api.push_command(CHAT, "/settings language ru")
    await bot.api.wait_for_messages(CHAT, 1)
    bot.api.push_message(CHAT, DATED)
    await bot.api.wait_for_messages(CHAT, 2)
    bot.api.push_command(CHAT, "/quotes Lund")
    reply = (await bot.api.wait_for_messages(CHAT, 3))[-1]
    assert "14 февраля 2005" in (reply.text or "") and "Feb" not in (reply.text or "")
