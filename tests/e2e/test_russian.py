"""A Russian-speaking user: Russian cards and replies, /settings to change them, through the real application."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.botapi import make_user, origin_channel
from tests.e2e.articles import BRIDGE_POST
from tests.e2e.articles_ru import GERMAN_POST, RIVER_POST
from tests.e2e.conftest import RunningBot

CHAT = 6001
RU_USER = make_user(CHAT, "Ольга", language_code="ru")
EN_USER = make_user(CHAT, "Olga", language_code="en")


async def test_a_russian_user_gets_a_russian_card(bot: RunningBot) -> None:
    posted = int(datetime(2025, 3, 14, 9, 0, tzinfo=UTC).timestamp())
    origin = origin_channel(-1001234500000, "Вербовские новости", message_id=5, username="verbovo", date=posted)
    bot.api.push_message(CHAT, RIVER_POST, forward_origin=origin, user=RU_USER)
    (card,) = await bot.api.wait_for_messages(CHAT, 1)

    assert card.text is not None
    lines = card.text.splitlines()
    assert lines[0] == "Мост через реку Лесную откроют весной"
    assert "Вербовские новости · 14 марта 2025 · #1" in lines[1]
    assert "Читать нас без VPN" not in card.text and "Фото:" not in card.text
    # the strongest quote, in Russian quotation marks, with its speaker in the nominative
    assert "💬 «Осталось уложить асфальт" in card.text and "— Дмитрий Лапин" in card.text
    assert "🗓 3 события с датами — /timeline 1" in card.text  # a count that reads right (CLDR plural forms)
    article = await bot.services.repo.article_by_number(CHAT, 1)
    assert article is not None and article.lang == "ru"
    assert bot.api.errors() == []


async def test_help_start_and_errors_speak_russian(bot: RunningBot) -> None:
    for command in ("/start", "/help", "/summary 5", "/frobnicate"):
        bot.api.push_command(CHAT, command, user=RU_USER)
    start, help_, missing, unknown = await bot.api.wait_for_messages(CHAT, 4)
    assert start.text is not None and "читает новости" in start.text
    assert help_.text is not None and "/settings — язык" in help_.text
    assert missing.text == "Статьи #5 нет: в этом чате пока нет ни одной статьи."
    assert unknown.text is not None and unknown.text.startswith("Такой команды я не знаю")


async def test_the_command_menu_has_russian_descriptions(bot: RunningBot) -> None:
    russian = {c["command"]: c["description"] for c in bot.api.commands(language_code="ru")}
    english = {c["command"]: c["description"] for c in bot.api.commands()}
    assert russian["settings"].startswith("Язык") and english["settings"].startswith("Language")
    assert set(russian) == set(english)
    assert all(any("а" <= ch <= "я" for ch in description.lower()) for description in russian.values())


async def test_settings_show_and_switch_the_language(bot: RunningBot) -> None:
    api = bot.api
    api.push_command(CHAT, "/settings", user=RU_USER)
    (shown,) = await api.wait_for_messages(CHAT, 1)
    assert shown.text is not None
    assert "Настройки этого чата" in shown.text
    assert "Язык: у каждого — язык его Telegram (у вас — русский)" in shown.text
    assert "Длина пересказа (предложений): 3" in shown.text and "Часовой пояс: UTC" in shown.text

    api.push_command(CHAT, "/settings language en", user=RU_USER)
    switched = (await api.wait_for_messages(CHAT, 2))[-1]
    assert switched.text == "Done: I will speak English in this chat."
    # the chat's setting now wins over the user's Telegram language
    api.push_command(CHAT, "/help", user=RU_USER)
    help_ = (await api.wait_for_messages(CHAT, 3))[-1]
    assert help_.text is not None and help_.text.startswith("How to use Précis")

    api.push_command(CHAT, "/settings язык ru", user=EN_USER)
    back = (await api.wait_for_messages(CHAT, 4))[-1]
    assert back.text == "Готово: язык этого чата — русский."

    api.push_command(CHAT, "/settings language auto", user=EN_USER)
    auto = (await api.wait_for_messages(CHAT, 5))[-1]
    assert auto.text == "Done: I will answer everyone in their Telegram language."
    assert (await bot.services.repo.chat_settings(CHAT)).lang == "auto"


async def test_settings_change_the_summary_length(bot: RunningBot) -> None:
    api = bot.api
    api.push_message(CHAT, BRIDGE_POST, user=EN_USER)
    await api.wait_for_messages(CHAT, 1)
    api.push_command(CHAT, "/settings sentences 5", user=EN_USER)
    reply = (await api.wait_for_messages(CHAT, 2))[-1]
    assert reply.text == "Done: summaries in this chat now have 5 sentences."
    api.push_command(CHAT, "/summary", user=EN_USER)
    summary = (await api.wait_for_messages(CHAT, 3))[-1]
    article = await bot.services.repo.article_by_number(CHAT, 1)
    assert article is not None
    five = await bot.services.repo.summary_sentences(article.chat_id, article.id, 5)
    assert summary.text is not None and " ".join(five) in summary.text


async def test_bad_settings_get_a_clear_answer(bot: RunningBot) -> None:
    cases = [
        ("/settings language de", "Я говорю на языках: English (en), русский (ru)."),
        ("/settings colour red", "Настройки «colour» нет. Можно изменить: language, sentences, timezone"),
        ("/settings sentences 99", "В пересказе может быть от 1 до 20 предложений"),
        ("/settings sentences", "Укажите значение, например: /settings sentences 5."),
        ("/settings <b>x</b> 1", "Настройки «<b>x</b>» нет."),
    ]
    for i, (command, answer) in enumerate(cases, 1):
        bot.api.push_command(CHAT, command, user=RU_USER)
        reply = (await bot.api.wait_for_messages(CHAT, i))[-1]
        assert reply.text is not None and reply.text.startswith(answer), (command, reply.text)
    assert (await bot.services.repo.chat_settings(CHAT)).summary_sentences == 3
    assert bot.api.errors() == []


async def test_an_unsupported_language_gets_a_plain_summary_and_says_so(bot: RunningBot) -> None:
    bot.api.push_message(CHAT, GERMAN_POST, user=RU_USER)
    (card,) = await bot.api.wait_for_messages(CHAT, 1)
    assert card.text is not None
    assert card.text.startswith("Neue Brücke über den Fluss eröffnet")
    assert "Этот язык я пока понимаю не полностью: здесь только пересказ, без цитат и дат." in card.text
    article = await bot.services.repo.article_by_number(CHAT, 1)
    assert article is not None and article.lang == "und" and article.status == "ready"


async def test_an_english_user_keeps_english(bot: RunningBot) -> None:
    bot.api.push_message(CHAT, RIVER_POST, user=EN_USER)
    (card,) = await bot.api.wait_for_messages(CHAT, 1)
    assert card.text is not None
    # March 2026 and 1998; "во вторник" is no date in pasted text that does not say when it was written.
    assert "🗓 2 dated events — /timeline 1" in card.text
    assert "Can't" not in card.text and "Этот язык" not in card.text
