"""In a group, only its administrators change what the whole group gets or delete what it stored."""

from __future__ import annotations

from tests.botapi import make_user, origin_hidden_user
from tests.e2e.articles import BRIDGE_POST
from tests.e2e.conftest import RunningBot

GROUP = -100888
ADMIN = make_user(501, "Ada")
MEMBER = make_user(502, "Ben")
ADMINS_ONLY = "In a group, only its administrators can do that."


async def test_members_may_read_but_only_admins_may_change_or_delete(bot: RunningBot) -> None:
    api = bot.api
    api.push_message(GROUP, BRIDGE_POST, chat_type="supergroup", user=MEMBER, forward_origin=origin_hidden_user("X"))
    await api.wait_for_messages(GROUP, 1)
    api.set_admin(GROUP, ADMIN["id"])

    for command in ("/forget 1", "/forget all", "/subscribe daily 08:00", "/unsubscribe", "/settings sentences 5"):
        count = len(api.bot_messages(GROUP))
        api.push_command(GROUP, command, chat_type="supergroup", user=MEMBER)
        reply = (await api.wait_for_messages(GROUP, count + 1))[-1]
        assert reply.text == ADMINS_ONLY, command
    assert await bot.services.repo.count_articles(GROUP) == 1
    assert await bot.services.repo.subscriptions(GROUP) == []

    # Reading is for everyone.
    count = len(api.bot_messages(GROUP))
    api.push_command(GROUP, "/settings", chat_type="supergroup", user=MEMBER)
    api.push_command(GROUP, "/summary", chat_type="supergroup", user=MEMBER)
    replies = (await api.wait_for_messages(GROUP, count + 2))[count:]
    assert all(r.text != ADMINS_ONLY for r in replies)

    # An administrator asks to delete everything; a member pressing the button is refused.
    api.push_command(GROUP, "/forget all", chat_type="supergroup", user=ADMIN)
    question = (await api.wait_for_messages(GROUP, count + 3))[-1]
    confirm = question.callback_data[0]  # forget:all and the prompt's token
    pressed = api.push_callback_query(GROUP, question.message_id, confirm, user=MEMBER)
    await api.wait_until(lambda: api.callback_answer(pressed.callback_query_id) is not None)
    assert (api.callback_answer(pressed.callback_query_id) or {}).get("text") == ADMINS_ONLY
    assert await bot.services.repo.count_articles(GROUP) == 1
    pressed = api.push_callback_query(GROUP, question.message_id, confirm, user=ADMIN)
    await api.wait_until(
        lambda: (api.message(GROUP, question.message_id).text or "").startswith("Deleted the only article")
    )
    assert await bot.services.repo.count_articles(GROUP) == 0

    api.push_command(GROUP, "/subscribe daily 08:00", chat_type="supergroup", user=ADMIN)
    await api.wait_until(lambda: len(api.bot_messages(GROUP)) >= count + 4)
    assert len(await bot.services.repo.subscriptions(GROUP)) == 1
