"""Russian dates: the forms news uses, normalised like the English ones, and shown in Russian on a time line."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from analysis.dates import find_timexes
from analysis.sentences import split_sentences
from analysis.timeline import build_events, event_label
from analysis.types import TimeExpression

PUBLISHED = datetime(2024, 12, 4, 9, 0, tzinfo=UTC)  # a Wednesday


def timexes(text: str) -> list[TimeExpression]:
    return find_timexes(text, PUBLISHED, "ru")


def one(text: str) -> TimeExpression:
    found = timexes(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "value", "modifier"),
    [
        ("Союз подал заявку в 1954 году.", "1954", ""),
        ("Завод построили в 1954-м.", "1954", ""),
        ("В феврале 2022 года начались бои.", "2022-02", ""),
        ("Это случилось 24 февраля 2022 года.", "2022-02-24", ""),
        ("Договор подписали 3 марта 2023 г. в Минске.", "2023-03-03", ""),
        ("Встреча пройдёт в начале октября.", "2024-10", "START"),
        ("Решение примут в конце прошлого года.", "2023", "END"),
        ("Вчера парламент принял закон.", "2024-12-03", ""),
        ("В 2000-х страна быстро росла.", "200X", ""),
        ("В девяностые годы всё было иначе.", "199X", ""),
        ("Причины отказа устранили в середине XX века.", "19", "MID"),
        ("Город основали в XIX веке.", "18", ""),
        ("На прошлой неделе депутаты отклонили поправки.", "2024-W48", ""),
        ("Два года назад он ушёл в отставку.", "2022", ""),
        ("Год назад мост закрыли.", "2023", ""),
        ("В понедельник министр вернулся в Москву.", "2024-12-02", ""),
        ("В третьем квартале 2024 года выручка выросла.", "2024-Q3", ""),
        ("Летом прошлого года шли дожди.", "2023-SU", ""),
        ("Документ подписан 12.05.2023 в столице.", "2023-05-12", ""),
    ],
)
def test_russian_forms(text: str, value: str, modifier: str) -> None:
    found = one(text)
    assert (found.value, found.modifier) == (value, modifier)


def test_in_a_week_looks_ahead_and_a_count_is_read_from_words() -> None:
    assert one("Через неделю состоится саммит.").value == "2024-W50"
    assert one("Через две недели состоится саммит.").value == "2024-W51"


def test_a_count_of_people_is_no_year() -> None:
    assert [t.value for t in timexes("Погибли 2024 человека, а в 2024 году ещё трое.")] == ["2024"]


def test_a_day_range_gives_both_days() -> None:
    assert [t.value for t in timexes("Обыски прошли 5 и 6 апреля.")] == ["2024-04-05", "2024-04-06"]


def test_the_eve_of_something_is_no_date_but_the_day_before_is() -> None:
    assert timexes("Накануне марша посол выступил с речью.") == []
    assert one("Накануне министр заявил, что мост откроют.").value == "2024-12-03"


def test_ordinals_and_birth_years_are_no_dates() -> None:
    assert timexes("Реагировать в 1001-й день так же, как в первый.") == []
    assert [t.value for t in timexes("Задержан мужчина 1990 года рождения, а в 2020 году его отпустили.")] == ["2020"]


def test_the_following_day_counts_from_the_day_named() -> None:
    found = timexes("Ссора случилась 3 марта 2024 года. Утром следующего дня соседи вызвали полицию.")
    assert [t.value for t in found] == ["2024-03-03", "2024-03-04"]


def test_the_tense_of_the_sentence_places_a_weekday() -> None:
    # published on a Wednesday: a Friday that "завершает" is ahead, one that "провёл" is behind
    assert one("Министр сообщил, что в пятницу завершает работу.").value == "2024-12-06"
    assert one("В пятницу министр провёл совещание.").value == "2024-11-29"


def test_the_environment_is_no_wednesday() -> None:
    assert timexes("Эксперты обсудили проблемы окружающей среды и в среде учёных.") == []


@pytest.mark.parametrize(
    ("value", "modifier", "label"),
    [
        ("1954", "", "1954"),
        ("2022-02", "", "февраль 2022"),
        ("2022-02-24", "", "24 февраля 2022"),
        ("2025-10", "START", "начало октября 2025"),
        ("19", "MID", "середина XX века"),
        ("21", "", "XXII век"),
        ("200X", "", "2000-е"),
        ("200X", "START", "начало 2000-х"),
        ("2023", "END", "конец 2023 года"),
        ("2024-Q3", "", "3-й квартал 2024"),
        ("2023-SU", "", "лето 2023"),
        ("2024-12-03TEV", "", "3 декабря 2024, вечер"),
    ],
)
def test_russian_labels(value: str, modifier: str, label: str) -> None:
    assert event_label(value, modifier, "ru") == label


def test_english_labels_are_unchanged() -> None:
    assert event_label("2025-10", "START", "en") == "early October 2025"
    assert event_label("19", "MID", "en") == "the mid-20th century"
    assert event_label("2022-02-24", "", "en") == "24 February 2022"


def test_a_russian_time_line() -> None:
    text = (
        "Союз впервые подал заявку ещё в 1954 году. В феврале 2022 года переговоры прекратились. "
        "В начале октября 2025 года министр предложил вернуться к ним."
    )
    sentences = split_sentences(text, "ru")
    events = build_events(text, sentences, timexes(text), [], "ru")
    assert [e.label for e in events] == ["1954", "февраль 2022", "начало октября 2025"]
    assert events[1].text == "В феврале 2022 года переговоры прекратились"


# -- clock times, day parts and titles as Russian posts write them ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("Астероид упадет около 19.14 мск.", "19.14 мск", "2024-12-04T19:14"),
        ("Аэропорт закрыт до 11:30 мск.", "11:30 мск", "2024-12-04T11:30"),
        ("Полиция пришла около 1:30 по московскому времени.", "1:30 по московскому времени", "2024-12-04T01:30"),
        ("Продажа откроется 2 декабря в 10.00 мск.", "2 декабря в 10.00 мск", "2024-12-02T10:00"),
        ("Режим вступит в силу в среду в 11:00 мск.", "среду в 11:00 мск", "2024-12-04T11:00"),
        ("Трансляция пройдет вечером 30 декабря.", "вечером 30 декабря", "2024-12-30TEV"),
        ("Удар был нанесен в воскресенье вечером.", "воскресенье вечером", "2024-12-01TEV"),
        ("Дроны сбиты в ночь на понедельник.", "ночь на понедельник", "2024-12-02TNI"),
        ("Астероид открыли утром.", "утром", "2024-12-04TMO"),
    ],
)
def test_clock_times_and_parts_of_the_day(text: str, span: str, value: str) -> None:
    t = one(text)
    assert (t.text, t.type, t.value) == (span, "TIME", value)


def test_a_clock_range_is_two_times_of_the_zone_given_once() -> None:
    found = timexes("Предупреждение действует с 21.00 до 24.00 мск.")
    assert [(t.text, t.value) for t in found] == [("21.00", "2024-12-04T21:00"), ("24.00 мск", "2024-12-04T24:00")]


def test_a_decimal_number_is_not_a_clock_time() -> None:
    assert timexes("Ставка выросла с 2.40 до 2.50 процента.") == []


@pytest.mark.parametrize(
    "text",
    [
        'Молдавия присоединилась к санкциям против медиагруппы "Россия сегодня".',
        "Об этом он заявил «Известиям».",
        "00:00 Ведущий — Олег Антоненко. Приветствие\n03:54 Что такое должность спецпредставителя",
    ],
)
def test_titles_and_video_chapters_are_not_dates(text: str) -> None:
    assert timexes(text) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Речь шла о ходе сегодняшнего заседания.", "2024-12-04"),
        ("Но теперь он требует новую компенсацию.", "PRESENT_REF"),
        ("Больше всего атак пришлось на канун «Черной пятницы».", "2024-11-29"),
        ("Атак было в 1,5 раза больше, чем годом ранее.", "2023"),
        ("Путин в Международный день инвалидов посетит госпиталь.", "2024-12-03"),
        ("Фейки распространялись с марта по ноябрь 2022-го.", "2022-03"),
    ],
)
def test_more_russian_dates(text: str, value: str) -> None:
    assert timexes(text)[0].value == value


def test_earlier_alone_is_not_a_date() -> None:
    assert timexes("Ранее сообщалось о падении дрона.") == []
