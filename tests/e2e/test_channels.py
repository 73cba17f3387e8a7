"""Channels and groups through the real application over real HTTP: the bot added to a channel, its posts and
edits stored silently, /use by an administrator (refused to anyone else), the bot's standing noticed, a group
becoming a supergroup with its archive and subscriptions."""

from __future__ import annotations

from typing import Any

from storage.repository import Source
from tests.botapi import make_user, origin_hidden_user
from tests.e2e.articles import BRIDGE_POST, SECOND_POST
from tests.e2e.conftest import LOCAL_PAGES, RunningBot
from tests.e2e.test_digest import eventually
from tests.e2e.test_feeds import RSS_TYPE, article_body, rss
from tests.pages import PageServer, send

CHANNEL = -1001500000001
ADA = 5101  # administers the channel; her private chat with the bot has her user id
BEN = 5102  # does not


async def ask(bot: RunningBot, chat: int, command: str, **kwargs: Any) -> str:
    count = len(bot.api.bot_messages(chat))
    bot.api.push_command(chat, command, **kwargs)
    return (await bot.api.wait_for_messages(chat, count + 1))[-1].text or ""


async def articles(bot: RunningBot, chat: int) -> list[dict[str, Any]]:
    return await bot.services.repo.export_articles(chat)


async def test_a_channels_posts_and_edits_become_its_archive_silently(bot: RunningBot) -> None:
    api = bot.api
    api.add_chat(ADA, first_name="Ada")
    api.add_bot(CHANNEL, by=ADA, title="Norvik Daily", username="norvikdaily")
    (hello,) = await api.wait_for_messages(ADA, 1)
    assert (hello.text or "").startswith("I am now in Norvik Daily: every new post there becomes an article")
    assert "/use @norvikdaily" in (hello.text or "")

    post = api.push_channel_post(CHANNEL, BRIDGE_POST)
    await eventually(lambda: _ready(bot, CHANNEL, 1), "the channel post stored and analysed")
    (stored,) = await articles(bot, CHANNEL)
    assert stored["source"] == {"kind": "channel", "name": "Norvik Daily", "url": "https://t.me/norvikdaily/1"}
    assert stored["title"] == "Harbour Bridge Plan Approved After Long Debate"
    (travel,) = [q for q in stored["quotes"] if q["text"].startswith("the bridge would cut travel times")]
    assert travel["speaker"] == "Elena Varga"

    # The post is edited: the stored text and its analysis follow.
    edited = BRIDGE_POST.replace("Mayor Elena Varga said", "Deputy mayor Tomas Lind said")
    api.edit_channel_post(CHANNEL, post.message_id, edited)

    async def relabelled() -> bool:
        (a,) = await articles(bot, CHANNEL)
        return a["status"] == "ready" and "Tomas Lind" in a["text"]

    await eventually(relabelled, "the edit analysed")
    (after,) = await articles(bot, CHANNEL)
    (travel,) = [q for q in after["quotes"] if q["text"].startswith("the bridge would cut travel times")]
    assert travel["speaker"] == "Tomas Lind"  # it was Elena Varga's before the edit
    assert after["number"] == 1 and await bot.services.repo.count_articles(CHANNEL) == 1

    api.push_channel_post(CHANNEL, SECOND_POST)
    await eventually(lambda: _ready(bot, CHANNEL, 2), "the second post")
    # Nothing was ever posted to the channel, and no card is owed to it (a restart would send owed cards).
    assert api.bot_messages(CHANNEL) == []
    assert await bot.services.repo.owed_answers() == []
    assert api.errors() == []


async def _ready(bot: RunningBot, chat: int, n: int) -> bool:
    exported = await articles(bot, chat)
    return len(exported) == n and all(a["status"] == "ready" for a in exported)


async def test_use_a_channel_from_a_private_chat_only_as_its_administrator(start_bot: Any, pages: PageServer) -> None:
    async with start_bot(**LOCAL_PAGES) as bot:
        api = bot.api
        api.add_chat(ADA, first_name="Ada")
        api.add_chat(BEN, first_name="Ben")
        api.add_bot(CHANNEL, by=ADA, title="Norvik Daily", username="norvikdaily")
        await api.wait_for_messages(ADA, 1)
        api.push_channel_post(CHANNEL, BRIDGE_POST)
        await eventually(lambda: _ready(bot, CHANNEL, 1), "the channel post")

        assert (
            await ask(bot, BEN, "/use @norvikdaily") == "Only administrators of Norvik Daily can work on its archive."
        )
        assert (await ask(bot, BEN, "/summary")).startswith("This chat has no articles yet")
        assert (await ask(bot, BEN, "/use @nosuchchannel")).startswith("I cannot see @nosuchchannel")

        reply = await ask(bot, ADA, "/use @norvikdaily")
        assert reply.startswith("Every command here now works on Norvik Daily (1 article)")
        assert (await ask(bot, ADA, "/summary")).startswith("Harbour Bridge Plan Approved")
        # Its buttons work on the channel's archive too.
        card = api.bot_messages(ADA)[-1]
        (button,) = [b for row in card.buttons for b in row if b.get("callback_data", "").startswith("sum:")][:1]
        count = len(api.bot_messages(ADA))
        api.push_callback_query(ADA, card.message_id, button["callback_data"])
        longer = (await api.wait_for_messages(ADA, count + 1))[-1]
        assert (longer.text or "").startswith("Harbour Bridge Plan Approved")
        assert "#1" in await ask(bot, ADA, "/search bridge council")

        # Following a feed from here fills the channel's archive; its copy of the channel's story is the same
        # article with a second source, whichever way it came in.
        bridge_title, bridge_text = article_body(BRIDGE_POST)
        rail_title, rail_text = article_body(SECOND_POST)
        feed = rss(
            [
                ("rail", rail_title, "https://norvik.example/rail", rail_text),
                ("bridge", bridge_title, "https://norvik.example/bridge", bridge_text),
            ]
        )
        pages.routes["/rss"] = lambda r: send(r, 200, feed, RSS_TYPE)
        assert "Stored now: 1 new article (1 this chat already had)" in await ask(
            bot, ADA, f"/follow {pages.url('/rss')}"
        )
        repo = bot.services.repo
        assert await repo.count_articles(CHANNEL) == 2 and await repo.count_articles(ADA) == 0
        first = await repo.article_by_number(CHANNEL, 1)
        assert first is not None
        assert {s.kind for s in await repo.sources(CHANNEL, first.id)} == {"channel", "feed"}
        assert Source("feed", "Norvik Wire", "https://norvik.example/bridge") in await repo.sources(CHANNEL, first.id)

        # Ada is no longer an administrator: the next command is refused and she is back in her own archive.
        api.set_admin(CHANNEL, ADA, admin=False)
        assert (await ask(bot, ADA, "/summary")).startswith("You no longer administer that chat")
        assert (await ask(bot, ADA, "/summary")).startswith("This chat has no articles yet")
        api.set_admin(CHANNEL, ADA)
        await ask(bot, ADA, "/use @norvikdaily")
        assert await ask(bot, ADA, "/use me") == "Back to this chat's own archive."
        assert (await ask(bot, ADA, "/summary")).startswith("This chat has no articles yet")
        assert api.bot_messages(CHANNEL) == []


async def test_the_bot_notices_its_standing_without_spamming_a_channel(bot: RunningBot) -> None:
    api = bot.api
    api.add_chat(ADA, first_name="Ada")
    # Added to a channel without the right to post: it says what that means, privately.
    api.add_bot(CHANNEL, by=ADA, title="Norvik Daily", username="norvikdaily", can_post=False)
    (first,) = await api.wait_for_messages(ADA, 1)
    assert "I cannot post there, so digests to it will fail" in (first.text or "")
    api.add_bot(CHANNEL, by=ADA, title="Norvik Daily", username="norvikdaily", can_post=True)
    second = (await api.wait_for_messages(ADA, 2))[-1]
    assert (second.text or "").startswith("My rights in Norvik Daily changed: I still store every new post")
    api.add_bot(CHANNEL, by=ADA, status="kicked")
    third = (await api.wait_for_messages(ADA, 3))[-1]
    assert (third.text or "").startswith("I was removed from Norvik Daily. Its archive stays stored")
    info = await bot.services.repo.chat_info(CHANNEL)
    assert info is not None and (info.kind, info.member_status, info.added_by) == ("channel", "kicked", ADA)

    # Added to a group by someone who never started a private chat with the bot: it greets the group once.
    group = -700001
    api.add_bot(group, by=BEN, status="member", chat_type="group", title="Readers")
    (greeting,) = await api.wait_for_messages(group, 1)
    assert (greeting.text or "").startswith("Hello Readers!")
    # A channel whose adder cannot be reached hears nothing.
    api.add_bot(-1001500000009, by=BEN, title="Quiet Channel")
    api.block_bot(ADA)  # Ada blocks the bot: recorded, nothing sent anywhere
    await eventually(lambda: _status_is(bot, ADA, "kicked"), "the block recorded")
    await eventually(lambda: _status_is(bot, -1001500000009, "administrator"), "the second channel recorded")
    assert api.bot_messages(CHANNEL) == [] and api.bot_messages(-1001500000009) == []
    assert len(api.bot_messages(group)) == 1
    assert [e for e in api.errors() if e.method != "sendMessage"] == []


async def _status_is(bot: RunningBot, chat: int, status: str) -> bool:
    info = await bot.services.repo.chat_info(chat)
    return info is not None and info.member_status == status


async def test_a_group_becoming_a_supergroup_keeps_its_archive_and_subscriptions(bot: RunningBot) -> None:
    api = bot.api
    group, supergroup = -4001, -1004001
    admin = make_user(ADA, "Ada")
    api.push_message(group, BRIDGE_POST, chat_type="group", user=admin, forward_origin=origin_hidden_user("X"))
    await api.wait_for_messages(group, 1)
    api.set_admin(group, ADA)
    assert "daily" in await ask(bot, group, "/subscribe daily 08:00", chat_type="group", user=admin)
    assert (await ask(bot, group, "/settings sentences 5", chat_type="group", user=admin)).startswith("Done")

    api.migrate_group(group, supergroup)
    repo = bot.services.repo
    await eventually(lambda: _count_is(bot, supergroup, 1), "the archive moved")
    assert await repo.count_articles(group) == 0
    assert len(await repo.subscriptions(supergroup)) == 1 and await repo.subscriptions(group) == []
    assert (await repo.chat_settings(supergroup)).summary_sentences == 5
    jobs = [job.name for job in bot.app.job_queue.jobs()] if bot.app.job_queue else []
    assert any(name and name.startswith(f"digest:{supergroup}:") for name in jobs)
    assert not any(name and name.startswith(f"digest:{group}:") for name in jobs)
    # The supergroup goes on where the group left off.
    assert (await ask(bot, supergroup, "/summary", chat_type="supergroup", user=admin)).startswith("Harbour Bridge")
    api.push_message(supergroup, SECOND_POST, user=admin, forward_origin=origin_hidden_user("Y"))
    card = (await api.wait_for_messages(supergroup, 2))[-1]
    assert "#2" in (card.text or "")


async def _count_is(bot: RunningBot, chat: int, n: int) -> bool:
    return await bot.services.repo.count_articles(chat) == n
