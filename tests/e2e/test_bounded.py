"""A text without sentence breaks does not flood the chat: its card is one message, /summary a bounded few."""

from __future__ import annotations

from tests.e2e.conftest import RunningBot
from views.render import MESSAGE_LIMIT
from views.summary import SUMMARY_MESSAGES

CHAT = 5301


async def test_a_megabyte_sentence_gets_one_card_and_a_bounded_summary(bot: RunningBot) -> None:
    bot.api.push_message(CHAT, "word " * 180000)
    (card,) = await bot.api.wait_for_messages(CHAT, 1, timeout=60)
    assert card.text is not None and "word word" in card.text and "…" in card.text
    bot.api.push_command(CHAT, "/summary 1 20")
    await bot.api.wait_until(lambda: len(bot.api.bot_messages(CHAT)) > 1, timeout=60, what="the summary")
    bot.api.push_command(CHAT, "/help")  # answered after the summary: every part of the summary is in
    await bot.api.wait_until(
        lambda: any("/summary" in (m.text or "") for m in bot.api.bot_messages(CHAT)[2:]), what="the help"
    )
    summary = bot.api.bot_messages(CHAT)[1:-1]
    assert 1 <= len(summary) <= 2 * SUMMARY_MESSAGES
    assert sum(len(m.text or "") for m in summary) <= SUMMARY_MESSAGES * MESSAGE_LIMIT
