"""Russian articles end to end through the analysis: cleaning, splitting, summaries, and what drives them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from analysis.clean import clean_article
from analysis.pipeline import analyze
from analysis.sentences import split_sentences
from analysis.summarize import rank_sentences

# A made-up channel post in the shape Telegram exports: a bold headline, emoji bullets, a photo credit, calls
# to read and subscribe, links, and a quote with its attribution.
POST = """❗️**Мост через Каму откроют весной**

🔻Строительство моста через Каму в Перми завершат в марте 2026 года, сообщил губернатор Дмитрий Лапин.

🔻«Осталось уложить асфальт и установить освещение», — сказал он журналистам.

__Фото: пресс-служба губернатора__

Читать нас без VPN можно здесь: bit.ly/example

Подробнее читайте здесь: https://example.org/most

📩 Подпишитесь на нашу рассылку

Читайте также:
Мэрия объявила конкурс на ремонт набережной
"""


def test_a_channel_post_is_cleaned() -> None:
    cleaned = clean_article(POST)
    assert cleaned.title == "Мост через Каму откроют весной"
    assert cleaned.text == (
        "Строительство моста через Каму в Перми завершат в марте 2026 года, сообщил губернатор Дмитрий Лапин.\n\n"
        "«Осталось уложить асфальт и установить освещение», — сказал он журналистам."
    )


@pytest.mark.parametrize(
    "line",
    [
        "Подписаться",
        "Подпишитесь на канал",
        "Читать нас без VPN можно здесь: bit.ly/x",
        "__Здесь наш сайт доступен без VPN ____https://example.org__",
        "Фото: Reuters",
        "Читайте также: Завод получил заказ",
        "Подробнее: https://example.org/a",
        "Если ссылка выше не открывается, читайте здесь.",
        "🎧 Слушайте подкаст «Что это было?»",
    ],
)
def test_russian_calls_to_act_go(line: str) -> None:
    cleaned = clean_article(f"Министр осмотрел новый цех и поговорил с рабочими.\n\n{line}")
    assert cleaned.text == "Министр осмотрел новый цех и поговорил с рабочими."


def test_a_bold_opening_that_goes_on_in_the_line_is_no_title() -> None:
    cleaned = clean_article("**Министр** осмотрел новый цех и поговорил с рабочими.")
    assert cleaned.title is None
    assert cleaned.text == "Министр осмотрел новый цех и поговорил с рабочими."


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("Проект одобрили в 2019 г. Строительство началось весной.", 2),
        ("Завод открыли в г. Самаре. Рабочие довольны.", 2),
        ("В 1990–2000 гг. страна изменилась. Реформы шли медленно.", 2),
        ("Концерт прошёл в зале им. Чайковского. Билеты раскупили.", 2),
        ("Об этом заявил В. Путин. Он добавил, что работа продолжится.", 2),
        ("Покупали хлеб, молоко и т.д. Магазин закрылся в полночь.", 2),
        ("Работу закончили, т.е. сдали объект досрочно.", 1),
        ("«Мы не отступим», — сказал он. Зал аплодировал.", 2),
        ("«Где деньги?» — спросил он. Ответа не было.", 2),
        ("Бюджет составил 5 трлн руб. Дефицит сократился.", 2),
        ("Его назначили 5 окт. 2020 г. Через год он ушёл.", 2),
    ],
)
def test_russian_abbreviations_and_quotes_split_right(text: str, pieces: int) -> None:
    assert len(split_sentences(text, "ru")) == pieces, [s.text for s in split_sentences(text, "ru")]


def test_the_russian_stemmer_counts_the_forms_of_a_word_together() -> None:
    # "бюджет", "бюджете", "бюджета": one word to the stemmer, three to a plain word count.
    text = (
        "Погода в городе была дождливой. Депутаты спорили о бюджете школ и больниц. "
        "Бюджета школ не хватит на ремонт, заявили депутаты. Бюджет больниц вырос. Мэр уехал в отпуск."
    )
    sentences = split_sentences(text, "ru")
    assert rank_sentences(sentences, "ru")[:3] == [1, 2, 3]
    assert rank_sentences(sentences, "und")[:3] != [1, 2, 3]


def test_the_pipeline_detects_russian_and_uses_it_everywhere() -> None:
    result = analyze(POST, datetime(2025, 11, 20, tzinfo=UTC))
    assert result.lang == "ru"
    assert result.notes == ()
    assert [q.speaker for q in result.quotes] == ["Дмитрий Лапин", "Дмитрий Лапин"]
    assert [e.label for e in result.events] == ["март 2026"]
    assert result.summary(1)


def test_an_unsupported_language_is_summarised_and_says_what_is_left_out() -> None:
    text = (
        "Die Regierung hat am Montag einen neuen Haushalt beschlossen. Die Opposition kritisierte den Plan "
        "scharf. Der Minister sagte, die Steuern würden nicht steigen. Im Jahr 2025 soll das Defizit sinken."
    )
    result = analyze(text, datetime(2025, 11, 20, tzinfo=UTC))
    assert result.lang == "und"
    assert result.notes == ("lang_unsupported",)
    assert result.quotes == () and result.timexes == () and result.events == ()
    assert len(result.summary(2)) == 2


def test_english_has_no_notes() -> None:
    result = analyze("The minister said the budget would pass. Critics disagreed strongly with him.")
    assert result.lang == "en" and result.notes == ()
