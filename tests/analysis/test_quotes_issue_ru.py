"""The Russian forms readers found missing or wrong in `/quotes` (issue: who said what, right), each on a post
written here in the shape of the ones it came from. Posts go through `analyze`, as the bot does, so that the
headline the cleaner takes off the text is seen too."""

from __future__ import annotations

from analysis.pipeline import analyze
from analysis.types import Quote


def quotes_of(post: str) -> list[Quote]:
    return list(analyze(post).quotes)


def said(quotes: list[Quote], words: str) -> list[Quote]:
    return [q for q in quotes if words in q.text]


def test_a_quote_interrupted_by_its_attribution_is_one_statement() -> None:
    quotes = quotes_of(
        "Зеленский ответил на вопрос о переговорах с Россией.\n\n"
        "«Это будет непросто, но он сможет, — сказал Зеленский. — Потому что у него есть сила и воля»."
    )
    (q,) = quotes
    assert q.text == "Это будет непросто, но он сможет. Потому что у него есть сила и воля"
    assert q.speaker == "Зеленский" and q.direct
    assert "сказал" not in q.text


def test_a_headline_quote_is_the_named_persons() -> None:
    quotes = quotes_of(
        "Зеленский: «Мы не отдадим ни метра нашей земли»\n\n"
        "Президент Украины выступил в Верховной раде в среду. Депутаты приняли бюджет на следующий год."
    )
    (q,) = said(quotes, "ни метра")
    assert q.speaker == "Зеленский" and q.direct and q.in_title


def test_an_office_after_a_headline_naming_the_person_is_that_person() -> None:
    quotes = quotes_of(
        "Путин назвал условия для переговоров\n\n"
        "Российский президент заявил, что Москва готова к диалогу. "
        "Глава государства также подчеркнул, что санкции не работают."
    )
    assert [q.speaker for q in said(quotes, "готова к диалогу")] == ["Путин"]
    assert [q.speaker for q in said(quotes, "санкции не работают")] == ["Путин"]


def test_a_name_after_the_title_is_the_speaker() -> None:
    quotes = quotes_of(
        "Законопроект будет рассмотрен в первом чтении в декабре, заявил в среду замглавы фракции Максим Ткаченко."
    )
    assert [q.speaker for q in said(quotes, "первом чтении")] == ["Максим Ткаченко"]


def test_a_name_after_the_title_and_its_party_is_the_speaker() -> None:
    quotes = quotes_of(
        "Законопроект будет рассмотрен в первом чтении в декабре, заявил в среду замглавы фракции «Партия "
        "будущего» Максим Ткаченко."
    )
    assert [q.speaker for q in said(quotes, "первом чтении")] == ["Максим Ткаченко"]


def test_he_right_after_a_quote_is_its_speaker() -> None:
    quotes = quotes_of("«Мы будем действовать жестко», — сказал Путин. Он утверждает, что Россия не начинала войну.")
    assert [q.speaker for q in said(quotes, "не начинала войну")] == ["Путин"]


def test_a_participle_reports_its_subjects_statement() -> None:
    quotes = quotes_of("Шольц напомнил о поставках оружия, заявив, что нынешний подход не годится.")
    assert [q.speaker for q in said(quotes, "нынешний подход не годится")] == ["Шольц"]


def test_a_quoted_paragraph_after_an_introduced_address_is_the_speakers() -> None:
    quotes = quotes_of(
        "Владимир Путин обратился к гражданам с видеообращением.\n\n"
        "«Дорогие друзья! Сегодня мы вспоминаем тех, кто отдал жизнь за Родину. Мы будем помнить их всегда»."
    )
    (q,) = said(quotes, "Дорогие друзья")
    assert q.speaker == "Владимир Путин" and q.direct
    assert q.text.endswith("Мы будем помнить их всегда")  # not cut at its first "!" or "."


def test_a_statement_given_as_its_own_paragraph_after_a_colon() -> None:
    quotes = quotes_of(
        "Журналист был задержан в Минске в понедельник, сообщает его друг:\n\n"
        "«Его вывели из дома рано утром. Мы не знаем, где он сейчас. Адвоката к нему не пускают»."
    )
    (q,) = said(quotes, "Его вывели")
    assert q.mention == "друг" and q.speaker is None
    assert q.text.endswith("Адвоката к нему не пускают")


def test_what_a_bodys_document_says() -> None:
    quotes = quotes_of(
        "Минобороны России сообщило о пуске ракет. "
        "Удар был нанесен по складу боеприпасов, говорится в сообщении ведомства."
    )
    (q,) = said(quotes, "складу боеприпасов")
    assert q.speaker_kind == "organization" and "обороны" in (q.speaker or "")  # the ministry, by its one name


def test_by_a_magazines_version() -> None:
    quotes = quotes_of("По версии журнала Forbes, ущерб от удара превысил миллиард долларов.")
    assert [q.speaker for q in said(quotes, "превысил миллиард")] == ["Forbes"]


def test_a_long_quotation_is_one_statement() -> None:
    quotes = quotes_of("«Мы победим! Это точно. Враг будет разбит», — заявил министр обороны Андрей Белоусов.")
    (q,) = quotes
    assert q.text == "Мы победим! Это точно. Враг будет разбит" and q.speaker == "Андрей Белоусов"


def test_a_body_named_by_an_adjective_and_its_noun_speaks_and_is_named_again_by_its_noun() -> None:
    quotes = quotes_of(
        "Британская военная разведка опубликовала новую сводку о войне.\n\n"
        "Российские войска так и не смогли завоевать господство в воздухе, констатирует британская разведка. "
        "Россия использует авиацию как артиллерию.\n\n"
        "Удары дронов привели к крупнейшей потере боеприпасов за время войны, пишет разведка."
    )
    assert [q.speaker for q in said(quotes, "господство в воздухе")] == ["Британская военная разведка"]
    assert [q.speaker for q in said(quotes, "потере боеприпасов")] == ["Британская военная разведка"]


def test_an_acting_governor_in_a_parenthesis_speaks_and_the_parenthesis_is_not_his_statement() -> None:
    quotes = quotes_of(
        "Ночью над областью был сбит беспилотник.\n\n"
        "Временно исполняющий обязанности губернатора Иван Петров сообщил, что беспилотник был сбит в районе.\n\n"
        "Жертв и разрушений, как утверждает врио губернатора, нет."
    )
    (q,) = said(quotes, "Жертв")
    assert q.speaker == "Иван Петров"
    assert q.text == "Жертв и разрушений нет"
