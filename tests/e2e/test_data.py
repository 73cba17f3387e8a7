"""/forget and /export: the chat's data is its own to delete and to take away."""

from __future__ import annotations

import json

from tests.e2e.articles import BRIDGE_POST, SECOND_POST
from tests.e2e.conftest import RunningBot

CHAT = 6001


async def test_forget_one_article(bot: RunningBot) -> None:
    bot.api.push_message(CHAT, BRIDGE_POST)
    bot.api.push_message(CHAT, SECOND_POST)
    await bot.api.wait_for_messages(CHAT, 2)
    bot.api.push_command(CHAT, "/forget 1")
    bot.api.push_command(CHAT, "/forget 1")
    bot.api.push_command(CHAT, "/forget")
    replies = [m.text or "" for m in (await bot.api.wait_for_messages(CHAT, 5))[2:]]
    assert replies[0] == "Article #1 is deleted, with its summary, quotes and dates."
    assert replies[1] == "There is no article #1 in this chat. The newest is #2."
    assert replies[2].startswith("Use /forget NUMBER")
    assert await bot.services.repo.count_articles(CHAT) == 1


async def test_forget_all_asks_first(bot: RunningBot) -> None:
    bot.api.push_message(CHAT, BRIDGE_POST)
    bot.api.push_message(CHAT, SECOND_POST)
    await bot.api.wait_for_messages(CHAT, 2)
    bot.api.push_command(CHAT, "/forget all")
    question = (await bot.api.wait_for_messages(CHAT, 3))[-1]
    assert "Delete all 2 articles" in (question.text or "")
    bot.api.push_callback_query(CHAT, question.message_id, "forget:keep")
    await bot.api.wait_until(lambda: bot.api.message(CHAT, question.message_id).text == "Nothing was deleted.")
    assert await bot.services.repo.count_articles(CHAT) == 2

    bot.api.push_command(CHAT, "/forget all")
    question = (await bot.api.wait_for_messages(CHAT, 4))[-1]
    # A button the prompt did not make (a client can send any callback data) deletes nothing.
    bot.api.push_callback_query(CHAT, question.message_id, "forget:all", check_data=False)
    await bot.api.wait_until(
        lambda: (bot.api.message(CHAT, question.message_id).text or "").startswith("That button is not from")
    )
    assert await bot.services.repo.count_articles(CHAT) == 2

    bot.api.push_command(CHAT, "/forget all")
    question = (await bot.api.wait_for_messages(CHAT, 5))[-1]
    confirm = question.callback_data[0]
    assert confirm.startswith("forget:all:") and len(confirm) > len("forget:all:") + 12
    bot.api.push_callback_query(CHAT, question.message_id, confirm)
    await bot.api.wait_until(
        lambda: (bot.api.message(CHAT, question.message_id).text or "").startswith("Deleted 2 articles")
    )
    assert await bot.services.repo.count_articles(CHAT) == 0


async def test_a_text_of_only_invisible_characters_is_refused(bot: RunningBot) -> None:
    bot.api.push_message(CHAT, "\u200b\u200c\u200d\u2060\ufeff \u200b")
    (reply,) = await bot.api.wait_for_messages(CHAT, 1)
    assert (reply.text or "").startswith("There is no text in this message")
    assert await bot.services.repo.count_articles(CHAT) == 0


async def test_export_is_a_json_file_of_this_chat_only(bot: RunningBot) -> None:
    bot.api.push_command(CHAT, "/export")
    (empty,) = await bot.api.wait_for_messages(CHAT, 1)
    assert empty.text == "This chat has no articles to export."
    bot.api.push_message(CHAT, BRIDGE_POST)
    bot.api.push_message(7002, SECOND_POST)
    await bot.api.wait_for_messages(CHAT, 2)
    await bot.api.wait_for_messages(7002, 1)
    bot.api.push_command(CHAT, "/export")
    document = (await bot.api.wait_for_messages(CHAT, 3))[-1]
    assert document.document is not None
    # The double stores the message before it logs the request that sent it: wait for the log too.
    (upload,) = await bot.api.wait_for_requests("sendDocument")
    exported = json.loads(next(iter(upload.files.values())).data)
    assert [a["title"] for a in exported["articles"]] == ["Harbour Bridge Plan Approved After Long Debate"]
    assert exported["articles"][0]["text"] == BRIDGE_POST
    assert any(q["speaker"] == "Elena Varga" for q in exported["articles"][0]["quotes"])
