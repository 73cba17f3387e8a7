"""Russian quotes and speakers: every form a Russian news text uses, on texts written for these tests."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.quotes import extract_quotes
from analysis.sentences import split_sentences
from analysis.types import Person, Quote


def run(text: str) -> tuple[list[Quote], list[Person]]:
    return extract_quotes(text, split_sentences(text, "ru"), "ru")


def quotes_of(text: str) -> list[Quote]:
    return run(text)[0]


def only(text: str) -> Quote:
    quotes = quotes_of(text)
    assert len(quotes) == 1, quotes
    return quotes[0]


# A made-up report in the shape of a channel post: a minister named with his roles, a pronoun, a role alone,
# a genitive after "по словам", a spokeswoman, an agency and a ministry speaking as bodies.
REPORT = """\
Министр энергетики Олег Карпов заявил, что зимой перебоев с электричеством не будет.

«Мы готовы к морозам и заранее закупили резервные генераторы», — сказал он журналистам после совещания.

Как отметил министр, ремонт сетей завершат к концу месяца. По словам Олега Карпова, тарифы в следующем году \
вырастут умеренно.

Пресс-секретарь ведомства Анна Белова уточнила, что график отключений опубликуют на сайте. Она добавила, что \
жители смогут подать жалобу онлайн.

Аварии на подстанциях участились, сообщили в МЧС. Запасы угля выросли на треть, пишет «Вестник энергетика».
"""


class TestReport:
    @pytest.fixture(scope="class")
    def result(self) -> tuple[list[Quote], list[Person]]:
        return run(REPORT)

    @pytest.mark.parametrize(
        ("words", "speaker", "direct"),
        [
            ("перебоев с электричеством не будет", "Олег Карпов", False),
            ("Мы готовы к морозам", "Олег Карпов", True),
            ("ремонт сетей завершат", "Олег Карпов", False),
            ("тарифы в следующем году", "Олег Карпов", False),
            ("график отключений опубликуют", "Анна Белова", False),
            ("подать жалобу онлайн", "Анна Белова", False),
            ("Аварии на подстанциях участились", "МЧС", False),
            ("Запасы угля выросли", "Вестник энергетика", False),
        ],
    )
    def test_statement_and_speaker(
        self, result: tuple[list[Quote], list[Person]], words: str, speaker: str, direct: bool
    ) -> None:
        found = [q for q in result[0] if words.lower() in q.text.lower()]
        assert len(found) == 1, (words, result[0])
        assert found[0].speaker == speaker
        assert found[0].direct is direct

    def test_bodies_are_organisations(self, result: tuple[list[Quote], list[Person]]) -> None:
        kinds = {q.speaker: q.speaker_kind for q in result[0] if q.speaker}
        assert kinds["МЧС"] == "organization"
        assert kinds["Вестник энергетика"] == "organization"
        assert kinds["Олег Карпов"] == "person"

    def test_people_in_the_nominative_with_the_forms_seen(self, result: tuple[list[Quote], list[Person]]) -> None:
        people = {p.name: p for p in result[1]}
        assert {"Олег Карпов", "Анна Белова"} <= set(people)
        assert "Олега Карпова" in people["Олег Карпов"].aliases


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("«Переговоры зашли в тупик», — сказал Путин.", "Путин"),
        ("«Это окончательное решение», — заявила Захарова.", "Захарова"),
        ("«Сделка состоится», — пишет РБК.", "РБК"),
        ("«Рынок ждёт решений» — пишет «Вестник биржи».", "Вестник биржи"),
        ('"Мы подадим апелляцию", - заявил адвокат Игорь Семёнов.', "Игорь Семёнов"),
    ],
)
def test_direct_quote_with_the_attribution_after_it(text: str, speaker: str) -> None:
    quote = only(text)
    assert quote.direct and quote.speaker == speaker


def test_direct_quote_after_a_colon() -> None:
    quote = only("Глава компании Пётр Волков подчеркнул: «Производство не остановится ни на день».")
    assert quote.direct and quote.speaker == "Пётр Волков"
    assert quote.text == "Производство не остановится ни на день"


def test_a_quote_going_on_in_the_next_paragraph_keeps_its_speaker() -> None:
    text = (
        "«Мы начали строительство моста», — сказал губернатор Иван Ершов.\n\n"
        "«Работы продлятся два года, движение не перекроют»."
    )
    quotes = quotes_of(text)
    assert [q.speaker for q in quotes] == ["Иван Ершов", "Иван Ершов"]


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        ("Путин заявил, что переговоры продолжатся.", "Путин", "переговоры продолжатся"),
        ("Экономика растёт быстрее прогнозов, заявил Путин.", "Путин", "Экономика растёт быстрее прогнозов"),
        ("По словам Путина, экономика растёт быстрее прогнозов.", "Путин", "экономика растёт быстрее прогнозов"),
        ("Экономика растёт быстрее прогнозов, по словам Путина.", "Путин", "Экономика растёт быстрее прогнозов"),
        ("По словам Марии Захаровой, ответ будет симметричным.", "Мария Захарова", "ответ будет симметричным"),
        ("Санкции не работают, заявили в Кремле.", "Кремль", "Санкции не работают"),
        ("Как сообщает ТАСС, заседание перенесли на утро.", "ТАСС", "заседание перенесли на утро"),
    ],
)
def test_reported_speech(text: str, speaker: str, content: str) -> None:
    quote = only(text)
    assert not quote.direct
    assert quote.speaker == speaker
    assert quote.text == content


def test_as_the_minister_noted() -> None:
    text = "Министр финансов Антон Рябов выступил в парламенте. Как отметил министр, дефицит бюджета сократится."
    assert only(text).speaker == "Антон Рябов"


def test_about_this_refers_to_the_sentence_before() -> None:
    text = "Завод возобновит работу в понедельник. Об этом сообщил директор предприятия Сергей Гусев."
    quote = only(text)
    assert quote.speaker == "Сергей Гусев"
    assert quote.text.startswith("Завод возобновит работу")


def test_a_gerund_reports_for_the_subject_of_its_sentence() -> None:
    text = "Мэр Ольга Титова открыла новую школу, подчеркнув, что в районе построят ещё две."
    quote = only(text)
    assert quote.speaker == "Ольга Титова"
    assert quote.text == "в районе построят ещё две"


def test_an_outlet_told_is_not_the_speaker() -> None:
    text = "Выборы пройдут по графику, заявила РИА Новости глава комиссии Елена Лыкова."
    assert only(text).speaker == "Елена Лыкова"
    told = only("Станцию закрыли на ремонт, сообщили РИА Новости в пресс-службе метрополитена.")
    assert told.speaker == "Пресс-служба метрополитена" and told.speaker_kind == "organization"
    unnamed = only("Станцию закрыли на ремонт, сообщили РИА Новости в ведомстве.")
    assert unnamed.speaker is None and unnamed.speaker_kind == "organization"


@pytest.mark.parametrize(
    "text",
    [
        "Путин не сказал, что переговоры завершены.",
        "Министр отказался сообщить, когда начнётся ремонт.",
        "Заявил ли министр, что ремонт закончен?",
    ],
)
def test_negations_and_questions_report_nothing(text: str) -> None:
    assert quotes_of(text) == []


def test_a_role_the_text_never_gave_anyone_has_no_speaker() -> None:
    quote = only("Учения пройдут в трёх странах, сообщил генсек организации.")
    assert quote.speaker is None
    assert quote.mention == "генсек организации"


def test_she_never_means_a_man() -> None:
    text = "Министр Павел Орлов прибыл в Казань. «Сотрудничество продолжится», — заявила она."
    quote = only(text)
    assert quote.speaker is None


def test_a_capitalised_common_word_is_nobody() -> None:
    quote = only("Старейший житель страны умер в возрасте 110 лет, сообщила Книга рекордов во вторник.")
    assert quote.speaker is None


def test_a_noun_after_a_preposition_never_speaks() -> None:
    text = "Президент Сербии Бранко Илич во время встречи с премьером Италии сказал, что торговля выросла."
    assert only(text).speaker == "Бранко Илич"


def test_short_quoted_names_are_not_quotes() -> None:
    text = "Клуб «Северная звезда» выиграл кубок, а болельщики назвали матч «исторический»."
    assert quotes_of(text) == []


def test_english_is_untouched() -> None:
    quotes, _ = extract_quotes(
        '"We will build it," the mayor said.', split_sentences('"We will build it," the mayor said.'), "en"
    )
    assert quotes and quotes[0].direct


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(["«", "»", '"', "—", ",", " ", "Путин", "заявил", "что", "по словам", "он", ".", "\n"]),
        max_size=40,
    )
)
def test_never_raises_on_fragments(parts: list[str]) -> None:
    text = "".join(parts)
    for quote in quotes_of(text):
        assert 0 <= quote.start <= quote.end <= len(text)


def test_bounded_on_a_long_text() -> None:
    paragraph = "«Работы идут по плану», — сказал Иван Ершов. Он добавил, что мост откроют весной.\n\n"
    text = paragraph * 400
    quotes = quotes_of(text)  # how fast is bench_quotes' question
    assert len(quotes) == 800


def test_what_a_report_is_about_is_no_statement() -> None:
    # "Что … меняет, рассказывает корреспондент": a sentence that opens with "что" asks what, it is the topic
    # of the report that follows, not something the correspondent said
    text = (
        "Власти говорили, что ответят на удары. Что на практике меняет новое решение, рассказывает "
        "корреспондент в Киеве Иван Петров."
    )
    assert [q.text for q in quotes_of(text)] == ["ответят на удары"]
    said = "Новое решение ничего не меняет, рассказывает корреспондент в Киеве Иван Петров."
    assert [(q.speaker, q.text) for q in quotes_of(said)] == [("Иван Петров", "Новое решение ничего не меняет")]
