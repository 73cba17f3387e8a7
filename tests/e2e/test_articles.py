"""Forwarding articles and asking for summaries, through the real application over real HTTP."""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import UTC, datetime

from storage.repository import Source
from tests.botapi import Fault, origin_channel, origin_hidden_user
from tests.e2e.articles import BRIDGE_POST, SECOND_POST
from tests.e2e.conftest import RunningBot

CHAT = 5001
OTHER_CHAT = 5002


async def test_a_forwarded_channel_post_gets_a_card(bot: RunningBot) -> None:
    posted = int(datetime(2025, 3, 14, 9, 0, tzinfo=UTC).timestamp())
    origin = origin_channel(-1001234567890, "Norvik Daily", message_id=77, username="norvikdaily", date=posted)
    bot.api.push_message(CHAT, BRIDGE_POST, forward_origin=origin)
    (card,) = await bot.api.wait_for_messages(CHAT, 1)

    assert card.text is not None
    lines = card.text.splitlines()
    assert lines[0] == "Harbour Bridge Plan Approved After Long Debate"
    assert "Norvik Daily · 14 Mar 2025 · #1" in lines[1]
    assert 'href="https://t.me/norvikdaily/77"' in (card.html or "")
    assert "Photo: Archive" not in card.text and "Leave a comment" not in card.text
    # The card's summary is three of the article's own sentences, in the article's order.
    article = await bot.services.repo.article_by_number(CHAT, 1)
    assert article is not None
    sentences = await bot.services.repo.summary_sentences(article.chat_id, article.id, 3)
    assert len(sentences) == 3 and lines[3] == " ".join(sentences)
    assert all(sentence in BRIDGE_POST for sentence in sentences)
    # The strongest quote, attributed to the resolved speaker.
    assert "most important decision" in card.text and "Elena Varga" in card.text


async def test_the_same_article_twice_is_stored_once(bot: RunningBot) -> None:
    bot.api.push_message(CHAT, BRIDGE_POST)
    await bot.api.wait_for_messages(CHAT, 1)
    bot.api.push_message(CHAT, BRIDGE_POST.replace("\n\n", "\n\n\n"), forward_origin=origin_hidden_user("Someone"))
    messages = await bot.api.wait_for_messages(CHAT, 2)
    assert messages[1].text is not None and messages[1].text.startswith("I already have this article: #1.")
    assert await bot.services.repo.count_articles(CHAT) == 1


async def test_summary_commands(bot: RunningBot) -> None:
    api = bot.api
    api.push_message(CHAT, BRIDGE_POST)
    api.push_message(CHAT, SECOND_POST)
    cards = await api.wait_for_messages(CHAT, 2)
    # The two articles are analysed side by side: their cards may arrive in either order.
    (first_card,) = [card for card in cards if (card.text or "").startswith("Harbour Bridge")]

    api.push_command(CHAT, "/summary")
    reply = (await api.wait_for_messages(CHAT, 3))[-1]
    assert reply.text is not None and reply.text.startswith("Rail Strike Halts Trains")

    api.push_command(CHAT, "/summary 1 5")
    reply = (await api.wait_for_messages(CHAT, 4))[-1]
    assert reply.text is not None and reply.text.startswith("Harbour Bridge")
    assert reply.text.count("Varga") >= 2  # five sentences reach further into the article

    # Replying /summary to the bot's card names that article.
    api.push_command(CHAT, "/summary", reply_to_message_id=first_card.message_id)
    reply = (await api.wait_for_messages(CHAT, 5))[-1]
    assert reply.text is not None and reply.text.startswith("Harbour Bridge")

    for command, answer in [
        ("/summary abc", "Use /summary, /summary NUMBER"),
        ("/summary 999999", "There is no article #999999 in this chat. The newest is #2."),
        ("/summary 1 0", "A summary can have from 1 to 20 sentences."),
        ("/summary 1 2 3", "Use /summary"),
    ]:
        count = len(api.bot_messages(CHAT))
        api.push_command(CHAT, command)
        reply = (await api.wait_for_messages(CHAT, count + 1))[-1]
        assert reply.text is not None and reply.text.startswith(answer), (command, reply.text)


async def test_the_longer_summary_button(bot: RunningBot) -> None:
    bot.api.push_message(CHAT, BRIDGE_POST)
    (card,) = await bot.api.wait_for_messages(CHAT, 1)
    (data,) = card.callback_data
    bot.api.push_callback_query(CHAT, card.message_id, data)
    longer = (await bot.api.wait_for_messages(CHAT, 2))[-1]
    assert longer.text is not None and len(longer.text) > len(card.text or "")


async def test_chats_cannot_see_each_others_articles(bot: RunningBot) -> None:
    bot.api.push_message(CHAT, BRIDGE_POST)
    await bot.api.wait_for_messages(CHAT, 1)
    bot.api.push_command(OTHER_CHAT, "/summary")
    bot.api.push_command(OTHER_CHAT, "/summary 1")
    replies = await bot.api.wait_for_messages(OTHER_CHAT, 2)
    texts = [m.text or "" for m in replies]
    assert texts[0].startswith("This chat has no articles yet")
    assert texts[1].startswith("There is no article #1: this chat has no articles yet")
    assert all("Harbour" not in text for text in texts)


async def test_bad_input_gets_a_clear_answer_and_nothing_breaks(bot: RunningBot) -> None:
    api = bot.api
    api.push_message(CHAT, "   \n\t  ")
    api.push_message(CHAT, sticker=True)
    api.push_message(CHAT, "🔥🔥🔥 🚀")
    api.push_message(CHAT, "<b>Not bold</b> & <script>alert(1)</script> is what the post says.")
    api.push_command(CHAT, "/frobnicate now")
    replies = await api.wait_for_messages(CHAT, 5)
    texts = sorted(m.text or "" for m in replies)
    assert any(t.startswith("There is no text in this message") for t in texts)
    assert any(t.startswith("I can only read text") for t in texts)
    assert any(t.startswith("I don't know that command") for t in texts)
    escaped = next(m for m in replies if "Not bold" in (m.text or ""))
    assert "<b>Not bold</b> &" in (escaped.text or "")  # shown literally: it was escaped, not markup
    assert any(t.startswith("There are no words in this message") for t in texts)  # the emoji-only post
    assert api.errors() == []  # every reply was valid for Telegram


async def test_a_long_post_is_answered_within_telegram_limits(bot: RunningBot) -> None:
    sentence = "The committee reviewed the budget line by line and found several errors in the figures. "
    post = (sentence * 60)[:4096]
    bot.api.push_message(CHAT, post)
    await bot.api.wait_for_messages(CHAT, 1)
    bot.api.push_command(CHAT, "/summary 1 20")
    await bot.api.wait_for_messages(CHAT, 2)
    assert bot.api.errors() == []


async def test_help_and_start_and_the_command_menu(bot: RunningBot) -> None:
    bot.api.push_command(CHAT, "/start")
    bot.api.push_command(CHAT, "/help")
    start, help_ = await bot.api.wait_for_messages(CHAT, 2)
    assert start.text is not None and "Précis" in start.text
    assert help_.text is not None and "/summary 12 5" in help_.text
    menu = [c["command"] for c in bot.api.commands()]
    assert "summary" in menu and "help" in menu


async def test_in_a_group_only_forwarded_posts_are_articles(bot: RunningBot) -> None:
    group = -100777
    bot.api.push_message(group, "Just chatting about lunch. Anyone hungry?", chat_type="supergroup")
    bot.api.push_message(group, BRIDGE_POST, chat_type="supergroup", forward_origin=origin_hidden_user("A friend"))
    (card,) = await bot.api.wait_for_messages(group, 1)
    assert card.text is not None and card.text.startswith("Harbour Bridge")
    bot.api.push_command(group, "/help", chat_type="supergroup")
    help_ = (await bot.api.wait_for_messages(group, 2))[-1]
    assert "In a group, I read forwarded posts only" in (help_.text or "")
    assert await bot.services.repo.count_articles(group) == 1
    # Other bots' commands get no answer in a group; ours, addressed by name, do.
    bot.api.push_command(group, "/weather Riga", chat_type="supergroup")
    bot.api.push_command(group, "/frobnicate@precis_test_bot", chat_type="supergroup")
    reply = (await bot.api.wait_for_messages(group, 3))[-1]
    assert (reply.text or "").startswith("I don't know that command")
    await bot.api.wait_for_no_pending_updates()
    assert len(bot.api.bot_messages(group)) == 3


async def test_a_flood_wait_is_obeyed_and_the_card_still_arrives(bot: RunningBot) -> None:
    bot.api.inject("sendMessage", Fault.flood(retry_after=1))
    bot.api.push_message(CHAT, BRIDGE_POST)
    (card,) = await bot.api.wait_for_messages(CHAT, 1, timeout=60)
    assert card.text is not None and card.text.startswith("Harbour Bridge")


async def test_a_telegram_outage_loses_no_article(bot: RunningBot) -> None:
    bot.api.inject("sendMessage", Fault.server_error(502), times=2)
    bot.api.push_message(CHAT, BRIDGE_POST)
    # The card could not be delivered; the article is stored and analysed all the same.
    await bot.api.wait_until(lambda: bot.api.count("sendMessage") >= 2, what="the card and the error notice")
    article = await bot.services.repo.article_by_number(CHAT, 1)
    assert article is not None and article.status == "ready"
    bot.api.push_command(CHAT, "/summary")
    reply = await bot.api.wait_until(
        lambda: [m for m in bot.api.bot_messages(CHAT) if (m.text or "").startswith("Harbour")], what="summary"
    )
    assert reply


async def test_a_slow_telegram_does_not_lose_the_article(start_bot) -> None:  # type: ignore[no-untyped-def]
    async with start_bot() as bot:
        answer = threading.Event()
        bot.api.inject("sendMessage", Fault.hold(answer))  # Telegram answers the card when the test says so
        bot.api.push_message(CHAT, BRIDGE_POST)
        await bot.api.wait_until(lambda: bot.api.arrived("sendMessage") >= 1, what="a send attempt")
        article = await bot.services.repo.article_by_number(CHAT, 1)
        assert article is not None  # stored while Telegram keeps the bot waiting
        answer.set()
        (card,) = await bot.api.wait_for_messages(CHAT, 1)
        assert card.text is not None and card.text.startswith("Harbour Bridge Plan Approved")
        assert await bot.services.repo.article_by_number(CHAT, 1) == article


async def test_an_interrupted_analysis_is_finished_at_start(start_bot) -> None:  # type: ignore[no-untyped-def]
    async with start_bot() as bot:
        repo = bot.services.repo
        # As if the bot stopped between storing the raw text and analysing it.
        article, _ = await repo.add_article(CHAT, SECOND_POST, Source("pasted"))
        assert article.status == "pending"
    async with start_bot() as bot:
        repo = bot.services.repo

        async def ready() -> bool:
            stored = await repo.article_by_number(CHAT, 1)
            return stored is not None and stored.status == "ready"

        deadline = time.monotonic() + 60
        while not await ready():
            assert time.monotonic() < deadline, "the interrupted article was not analysed at start"
            await asyncio.sleep(0.05)
        bot.api.push_command(CHAT, "/summary")
        (reply,) = await bot.api.wait_for_messages(CHAT, 1)
        assert reply.text is not None and reply.text.startswith("Rail Strike")
