"""/search and /timeline TOPIC through the real application: every case form, best first, bold, escaped."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.botapi import StoredMessage, origin_channel
from tests.e2e.conftest import RunningBot

CHAT = 6101
OTHER_CHAT = 6102
POSTED = int(datetime(2025, 10, 20, 9, 0, tzinfo=UTC).timestamp())

# Four posts, each naming the country in another case, each with a dated event; one post about something else.
POSTS = [
    "Переговоры в Женеве\n\nУкраина и её партнёры провели переговоры в Женеве 14 марта 2024 года. "
    "Стороны договорились встретиться снова.",
    "Помощь союзников\n\nСоюзники Украины объявили о новом пакете помощи в феврале 2023 года. "
    "Пакет включает продовольствие и генераторы.",
    "Поставки зерна\n\nПоставки зерна к Украине через порт возобновились 5 августа 2022 года. "
    "Первое судно вышло из Одессы утром.",
    "Энергетика\n\nЕвропейский банк выделил кредит на Украину 1 декабря 2023 года. Деньги пойдут на ремонт подстанций.",
    "Погода\n\nВ Риге 3 января 2024 года выпал снег. Синоптики обещают мороз до конца недели.",
]


def forward(bot: RunningBot, chat: int, text: str, message_id: int) -> None:
    origin = origin_channel(-1001000000009, "Лента", message_id=message_id, username="lenta_test", date=POSTED)
    bot.api.push_message(chat, text, forward_origin=origin)


async def ask(bot: RunningBot, chat: int, command: str) -> StoredMessage:
    count = len(bot.api.bot_messages(chat))
    bot.api.push_command(chat, command)
    return (await bot.api.wait_for_messages(chat, count + 1))[-1]


async def fill(bot: RunningBot, chat: int) -> None:
    for i, text in enumerate(POSTS):
        forward(bot, chat, text, 100 + i)
        await bot.api.wait_for_messages(chat, i + 1)


async def test_every_case_form_finds_every_article_with_its_sentence_in_bold(bot: RunningBot) -> None:
    await fill(bot, CHAT)
    for form in ("Украина", "Украины", "Украине", "Украину", "украиной"):
        reply = await ask(bot, CHAT, f"/search {form}")
        text = reply.text or ""
        assert text.startswith(f"🔎 4 articles for {form}"), text
        numbers = sorted(int(line.split()[0][1:]) for line in text.splitlines() if line.startswith("#"))
        assert numbers == [1, 2, 3, 4]
        html = reply.html or ""
        for shown in ("<b>Украина</b>", "<b>Украины</b>", "<b>Украине</b>", "<b>Украину</b>"):
            assert shown in html
        assert "Погода" not in text
    # Several words: all of them, in any form.
    reply = await ask(bot, CHAT, "/search поставками зерном")
    assert (reply.text or "").startswith("🔎 1 article for поставками зерном")
    assert "<b>Поставки</b> <b>зерна</b>" in (reply.html or "")
    assert bot.api.errors() == []


async def test_the_timeline_of_a_topic_reads_every_case_form(bot: RunningBot) -> None:
    await fill(bot, CHAT)
    reply = await ask(bot, CHAT, "/timeline Украина")
    text = reply.text or ""
    assert "from 4 articles" in text, text
    for date in ("5 августа 2022 года", "феврале 2023 года", "1 декабря 2023 года", "14 марта 2024 года"):
        assert date in text
    assert "снег" not in text


async def test_search_input_is_never_syntax_or_markup_and_chats_are_walled(bot: RunningBot) -> None:
    await fill(bot, CHAT)
    reply = await ask(bot, CHAT, '/search Украина OR "<b>снег" NEAR(*)')
    assert (reply.text or "").startswith("No article in this chat holds Украина OR")
    assert "&lt;b&gt;снег" in (reply.html or "")
    reply = await ask(bot, CHAT, "/search")
    assert "Tell me what to look for" in (reply.text or "")
    # Another chat has no articles: nothing of CHAT's is shown to it.
    reply = await ask(bot, OTHER_CHAT, "/search Украина")
    assert (reply.text or "") == "This chat has no articles yet. Forward or paste one first."
    assert bot.api.errors() == []
