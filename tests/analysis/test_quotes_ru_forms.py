"""Russian statements and speakers the engine used to miss or get wrong, each on a post written here: heads of
bodies named by another name of the body, headlines that give a body's statement, speakers shown in the
nominative, statements given as paragraphs of their own."""

from __future__ import annotations

from analysis.pipeline import analyze
from analysis.types import Quote


def quotes_of(post: str) -> list[Quote]:
    return list(analyze(post).quotes)


def said(quotes: list[Quote], words: str) -> list[Quote]:
    return [q for q in quotes if words in q.text]


def test_the_head_of_a_body_named_by_another_of_its_names_is_its_head() -> None:
    quotes = quotes_of(
        "Генсек НАТО Марк Рютте провел встречу с министрами обороны стран альянса.\n\n"
        "Глава альянса заявил, что союзникам придется тратить на оборону больше трех процентов ВВП."
    )
    assert [q.speaker for q in said(quotes, "тратить на оборону")] == ["Марк Рютте"]


def test_the_head_of_another_body_is_not_that_person() -> None:
    quotes = quotes_of(
        "Генсек НАТО Марк Рютте провел встречу с министрами обороны.\n\n"
        "Глава Еврокомиссии заявил, что союзникам придется тратить на оборону больше."
    )
    assert [q.speaker for q in said(quotes, "тратить на оборону")] != ["Марк Рютте"]


def test_an_acronym_of_a_thing_is_no_body_a_document_stands_for() -> None:
    quotes = quotes_of(
        "В трех районах области объявлен режим ЧС.\n\n"
        "Уровень воды в реке поднялся на два метра, говорится в сообщении ведомства."
    )
    (q,) = said(quotes, "Уровень воды")
    assert q.speaker != "ЧС"
    assert "ЧС" not in [p.name for p in analyze("В трех районах объявлен режим ЧС, заявил губернатор.").people]


def test_a_headline_gives_a_bodys_statement_without_quote_marks() -> None:
    quotes = quotes_of(
        "Минобороны: ПВО за ночь сбили над регионами двадцать беспилотников\n\n"
        "Об этом сообщили в военном ведомстве утром в субботу. Пострадавших нет."
    )
    (q,) = [q for q in quotes if q.in_title]
    assert q.speaker == "Министерство обороны" and q.speaker_kind == "organization"
    assert q.text == "ПВО за ночь сбили над регионами двадцать беспилотников"


def test_a_headline_opening_with_a_place_or_a_thing_gives_no_statement() -> None:
    for title in ("США: снегопад парализовал движение на востоке страны", "ЧС: в районе ввели режим эвакуации"):
        quotes = quotes_of(f"{title}\n\nСнег идет третьи сутки, дороги закрыты, школы не работают.")
        assert not [q for q in quotes if q.in_title]


def test_words_given_as_their_own_paragraph_after_a_colon_without_quote_marks() -> None:
    quotes = quotes_of(
        "На складе под Тверью произошел пожар. Владелец склада Олег Смирнов рассказал:\n\n"
        "Сначала загорелась крыша, потом огонь перешел на соседний ангар. Машины приехали через час.\n\n"
        "Полиция начала проверку."
    )
    (q,) = said(quotes, "загорелась крыша")
    assert q.speaker == "Олег Смирнов"
    assert q.text.endswith("Машины приехали через час")  # the whole paragraph, not its first sentence
    assert not said(quotes, "Полиция")


def test_a_list_after_a_colon_is_one_statement() -> None:
    quotes = quotes_of(
        "Министр финансов Антон Силуанов заявил, что у бюджета три задачи:\n\n"
        "— снизить дефицит до одного процента;\n"
        "— сохранить все социальные выплаты;\n"
        "— увеличить расходы на дороги.\n\n"
        "Госдума рассмотрит проект в октябре."
    )
    (q,) = said(quotes, "снизить дефицит")
    assert q.speaker == "Антон Силуанов"
    assert "расходы на дороги" in q.text and "Госдума" not in q.text


def test_an_attribution_after_its_clause_that_introduces_more_words_below() -> None:
    quotes = quotes_of(
        "Журналиста задержали в Минске в понедельник, рассказал его друг Павел Орлов:\n\n"
        "Его увели из дома рано утром. Мы не знаем, где он сейчас.\n"
    )
    (q,) = said(quotes, "задержали в Минске")
    assert q.speaker == "Павел Орлов"
    assert q.text == (
        "Журналиста задержали в Минске в понедельник. Его увели из дома рано утром. Мы не знаем, где он сейчас"
    )


def test_people_named_only_in_a_dative_or_instrumental_are_listed_in_the_nominative() -> None:
    people = analyze(
        "Президент встретился со Стивеном Брауном и Марчелом Чолаку в Кишиневе.\n\n"
        "Позже он позвонил Андрюсу Кубилюсу и Ираклию Кобахидзе, сообщает пресс-служба."
    ).people
    names = {p.name for p in people}
    assert {"Марчел Чолаку", "Андрюс Кубилюс", "Ираклий Кобахидзе"} <= names
    assert not names & {"Марчелом Чолаку", "Андрюсу Кубилюсу", "Ираклию Кобахидзе"}


def test_a_surname_of_the_soft_declension_loses_its_instrumental_ending() -> None:
    names = {
        p.name for p in analyze("Суд продлил арест Никите Журавелю. Встреча с Никитой Журавелем прошла в СИЗО.").people
    }
    assert names == {"Никита Журавель"}


def test_by_his_words_after_a_named_speaker_is_that_speakers_statement() -> None:
    quotes = quotes_of(
        "Инфляция в стране замедлилась, заявил министр финансов Антон Силуанов на заседании правительства. "
        "По его словам, бюджет будет исполнен без дефицита."
    )
    assert [q.speaker for q in said(quotes, "без дефицита")] == ["Антон Силуанов"]


def test_by_her_words_in_the_middle_of_a_sentence_is_the_womans() -> None:
    quotes = quotes_of(
        "Официальный представитель МИД Мария Захарова заявила, что посол будет вызван. "
        "Ответ России, по ее словам, будет жестким."
    )
    assert [q.speaker for q in said(quotes, "будет жестким")] == ["Мария Захарова"]
    assert not [q for q in said(quotes, "будет жестким") if "по ее словам" in q.text]


def test_by_his_words_with_nobody_to_stand_for_gives_no_statement() -> None:
    quotes = quotes_of("Ночью в городе шел снег. По его словам, дороги расчистят к утру.")
    assert not said(quotes, "дороги расчистят")


def test_a_paragraph_written_like_a_headline_gives_the_named_persons_statement() -> None:
    quotes = quotes_of(
        "Министр иностранных дел Сергей Лавров выступил на пресс-конференции. Главное:\n\n"
        "▪️Лавров: западные страны не готовы к серьезному разговору о безопасности;\n\n"
        "▪️Минобороны: войска отразили пять атак на южном направлении;\n\n"
        "▪️Погода: в Москве ожидается снег и сильный ветер."
    )
    assert [q.speaker for q in said(quotes, "не готовы к серьезному")] == ["Сергей Лавров"]
    assert [q.speaker for q in said(quotes, "отразили пять атак")] == ["Министерство обороны"]
    assert not said(quotes, "ожидается снег")


def test_a_credit_line_signed_with_a_name_is_no_statement() -> None:
    quotes = quotes_of(
        "Корреспондент Елена Смирнова рассказывает о выборах.\n\n"
        "00:00 Приветствие. Ведущий — Павел Орлов\n"
        "03:15 Кто победит на выборах?"
    )
    assert not [q for q in quotes if q.speaker == "Павел Орлов"]


def test_a_paragraph_written_like_a_headline_works_in_english_too() -> None:
    quotes = quotes_of(
        "The parties set out their plans on Monday. Here is what they promise.\n\n"
        "* Liberal Democrats: a new 50% tax band for top earners to pay for free care for the elderly.\n\n"
        "* Weather: rain is expected in the north."
    )
    assert [q.speaker for q in said(quotes, "new 50% tax band")] == ["Liberal Democrats"]
    assert not said(quotes, "rain is expected")


def test_a_promise_or_a_call_is_the_infinitive_clause_after_it() -> None:
    quotes = quotes_of(
        "Мэр города Олег Смирнов пообещал построить до конца года три новые школы. "
        "Депутат Анна Белова предложила министерству ввести льготы для многодетных семей."
    )
    assert [(q.speaker, q.text) for q in said(quotes, "школы")] == [
        ("Олег Смирнов", "построить до конца года три новые школы")
    ]
    assert [q.speaker for q in said(quotes, "ввести льготы")] == ["Анна Белова"]


def test_an_accusation_is_the_accused_and_the_charge_up_to_the_next_cue() -> None:
    quotes = quotes_of(
        "Премьер-министр Павел Орлов обвинил оппозицию в попытке сорвать выборы "
        "и заявил, что голосование пройдет в срок."
    )
    assert [q.text for q in quotes if q.speaker == "Павел Орлов"] == [
        "оппозицию в попытке сорвать выборы",
        "голосование пройдет в срок",
    ]


def test_an_accusation_by_a_participle_is_the_subjects() -> None:
    quotes = quotes_of("Оппозиция Павла Орлова вышла на протест, обвиняя власти в массовых фальсификациях.")
    assert [q.text for q in said(quotes, "фальсификациях")] == ["власти в массовых фальсификациях"]


def test_a_person_named_in_the_dative_before_the_cue_is_whom_it_was_offered_to() -> None:
    quotes = quotes_of(
        "Дональд Трамп выдвинул кандидатуры министров, а бизнесмену Вивеку Рамасвами предложил возглавить "
        "новое ведомство."
    )
    assert [q.speaker for q in said(quotes, "возглавить")] == ["Дональд Трамп"]


def test_a_quote_from_a_bodys_statement_is_the_bodys() -> None:
    quotes = quotes_of(
        "Минздрав России выпустил заявление о вакцинации детей.\n\n"
        "«Вакцина безопасна и прошла все испытания», — говорится в сообщении."
    )
    (q,) = said(quotes, "Вакцина безопасна")
    assert q.direct and q.speaker == "Минздрав России"


def test_a_quote_from_a_document_of_a_body_named_in_passing_long_before_is_nobodys() -> None:
    quotes = quotes_of(
        "Жители жаловались в Минздрав на очереди. Прошел год. Больницы открылись снова. Врачи вернулись.\n\n"
        "«Прием ведется по записи», — говорится в сообщении."
    )
    assert not [q for q in said(quotes, "Прием ведется") if q.speaker == "Минздрав"]


def test_a_place_in_the_dative_after_the_cue_is_no_speaker() -> None:
    quotes = quotes_of(
        "Замглавы МИД Сергей Иванов, отвечая на вопросы журналистов о санкциях, рассказал о новых сигналах "
        "Вашингтону со стороны Москвы."
    )
    assert not [q for q in quotes if q.speaker == "Вашингтону"]
    assert "Вашингтону" not in [p.name for p in analyze("Ответ был направлен Вашингтону, сообщил дипломат.").people]


def test_a_news_agency_of_two_words_is_named_whole() -> None:
    quotes = quotes_of("Переговоры о перемирии возобновятся в понедельник, передает агентство Франс Пресс.")
    assert [q.speaker for q in said(quotes, "Переговоры")] == ["Франс Пресс"]


def test_a_newspaper_whose_name_is_an_ordinary_word_keeps_its_statement() -> None:
    quotes = quotes_of(
        "Рынок ждет решения регулятора.\n\nКак сообщает «Коммерсант», сделка будет закрыта до конца года."
    )
    assert [q.speaker for q in said(quotes, "сделка будет закрыта")] == ["Коммерсант"]


def test_what_something_was_called_is_a_statement_but_a_named_topic_is_not() -> None:
    quotes = quotes_of(
        "Суд вынес решение по делу.\n\n"
        "Сенатор Андрей Клишас назвал решение суда незаконным. "
        "Министр Олег Смирнов назвал условия для переговоров с Киевом."
    )
    assert [(q.speaker, q.text) for q in said(quotes, "незаконным")] == [("Андрей Клишас", "решение суда незаконным")]
    assert not said(quotes, "условия для переговоров")


def test_a_headline_naming_the_texts_body_in_several_words_gives_its_statement() -> None:
    quotes = quotes_of(
        "Британская военная разведка: флот России ушел из западной части Черного моря\n\n"
        "Британская военная разведка опубликовала новую сводку о войне. Бои продолжаются."
    )
    (q,) = [q for q in quotes if q.in_title]
    assert q.speaker == "Британская военная разведка"
    assert q.text == "флот России ушел из западной части Черного моря"


def test_a_headline_written_as_a_sentence_gives_its_reported_statement() -> None:
    post = (
        "Глава парламента Мария Орлова заявила, что не уйдет в отставку до весенних выборов\n\n"
        "Орлова выступила с обращением к депутатам в пятницу вечером. Заседание продлится три дня."
    )
    quotes = quotes_of(post)
    (q,) = [q for q in quotes if q.in_title]
    assert (q.speaker, q.text) == ("Мария Орлова", "не уйдет в отставку до весенних выборов")
    assert (q.start, q.end) == (0, 0)
    assert all(q.in_title or q.start > 0 for q in quotes)


def test_a_headline_quote_with_a_colon_is_given_once() -> None:
    quotes = quotes_of(
        "Орлова: «Мы не уйдем в отставку до весенних выборов»\n\n"
        "Председатель парламента Мария Орлова выступила с обращением к депутатам в пятницу."
    )
    assert len([q for q in quotes if q.in_title]) == 1


def test_a_neuter_body_speaks_in_the_neuter_past() -> None:
    quotes = quotes_of(
        "Переговоры о перемирии зашли в тупик.\n\n"
        "Правительство Норвегии обвинило обе стороны в нежелании вести переговоры и отказалось от посредничества."
    )
    (q,) = said(quotes, "нежелании")
    assert q.text.startswith("обе стороны в нежелании вести переговоры")
    assert q.speaker_kind == "organization"


def test_a_promise_and_a_threat_in_the_past_give_what_was_promised() -> None:
    quotes = quotes_of(
        "Выборы прошли в ноябре.\n\n"
        "Кандидат Иван Соколов обещал в короткие сроки снизить налоги. "
        "Мэр Олег Кравцов пригрозил закрыть рынок до весны."
    )
    assert [q.speaker for q in said(quotes, "снизить налоги")] == ["Иван Соколов"]
    assert [q.speaker for q in said(quotes, "закрыть рынок")] == ["Олег Кравцов"]


def test_a_quoted_outlet_name_that_opens_with_a_number_is_the_outlet() -> None:
    quotes = quotes_of(
        "Стороны близки к соглашению.\n\nКак сообщает «5-й канал», соглашение включает перемирие на два месяца."
    )
    assert [q.speaker for q in said(quotes, "перемирие на два месяца")] == ["5-й канал"]


def test_an_outlets_own_finding_is_its_report_not_a_statement() -> None:
    quotes = quotes_of(
        "Проверка началась весной.\n\n"
        "Директор школы годами скрывал жалобы родителей на учителей, выяснила Би-би-си. Школа закрыта."
    )
    assert not said(quotes, "скрывал жалобы")


def test_a_headline_that_asks_how_something_was_proposed_is_no_statement() -> None:
    quotes = quotes_of(
        "Сенатор Джон Миллер стал советником президента. Как он раньше предлагал закончить войну\n\n"
        "Весной Миллер опубликовал план урегулирования. Он занимал пост генерала."
    )
    assert not said(quotes, "закончить войну")


def test_the_office_of_a_head_is_a_body_that_speaks() -> None:
    quotes = quotes_of(
        "Суд выдал ордер на арест министра.\n\n"
        "Канцелярия премьер-министра назвала решение суда «политическим» и отметила, что страна не уступит."
    )
    assert {q.speaker for q in quotes} == {"Канцелярия премьер-министра"}
    assert {q.speaker_kind for q in quotes} == {"organization"}


def test_a_bare_role_is_the_one_person_the_post_has_named() -> None:
    quotes = quotes_of(
        "Депутат Госдумы Антропенко предложил театрам продавать детские билеты дешевле.\n\n"
        "«Для детей спектакль — это встреча с чудом», — сказал парламентарий РИА Новости."
    )
    assert [q.speaker for q in said(quotes, "встреча с чудом")] == ["Антропенко"]


def test_a_bare_role_among_several_people_or_of_another_country_stays_unresolved() -> None:
    quotes = quotes_of(
        "Владимир Путин провел переговоры с Эммануэлем Макроном.\n\n«Переговоры были трудными», — сказал президент."
    )
    assert [q.speaker for q in said(quotes, "трудными")] == [None]
    quotes = quotes_of("Владимир Путин прибыл в Астану.\n\n«Мы готовы к диалогу», — сказал президент Франции.")
    assert [q.speaker for q in said(quotes, "к диалогу")] != ["Владимир Путин"]


def test_the_person_an_outlet_quotes_speaks_whichever_side_of_it() -> None:
    quotes = quotes_of(
        "Постпред Василий Небензя выступил в Совбезе.\n\n"
        "«Мы делились этой информацией с партнерами», — цитирует Небензю агентство ТАСС."
    )
    assert [q.speaker for q in said(quotes, "делились")] == ["Василий Небензя"]


def test_a_statement_its_attribution_interrupts_is_one_statement() -> None:
    quotes = quotes_of(
        "Власти ввели новые правила для телевидения.\n\n"
        "Показывать такую рекламу, уточняет минздрав, можно будет только после 21.00. "
        "Мы готовы к переговорам, сказал Путин, отвечая на вопрос журналистов."
    )
    (q,) = said(quotes, "Показывать")
    assert q.text == "Показывать такую рекламу можно будет только после 21.00"
    assert (q.speaker, q.speaker_kind) == ("Минздрав", "organization")
    assert [q.text for q in said(quotes, "переговорам")] == ["Мы готовы к переговорам"]


def test_a_reported_statement_ends_where_another_attribution_begins() -> None:
    quotes = quotes_of(
        "Капитан судна задержан.\n\n"
        "Следователь Иван Орлов рассказал, что в крови капитана нашли алкоголь – правда сам капитан Петр Сидоров "
        "утверждает, что выпил уже после аварии."
    )
    assert [q.text for q in said(quotes, "алкоголь")] == ["в крови капитана нашли алкоголь"]
    assert [q.speaker for q in said(quotes, "выпил")] == ["Петр Сидоров"]


def test_a_body_is_named_with_an_acronym_in_the_genitive_and_without_the_verb_after_it() -> None:
    people = analyze("Музей истории ГУЛАГа объявил, что закрывается на ремонт.").people
    assert [p.name for p in people] == ["Музей истории ГУЛАГа"]
    quotes = quotes_of("Выставка закрыта.\n\nВ телеграм-канале музея сообщается, что экспозиция закроется на ремонт.")
    assert all("сообщается" not in (q.speaker or "") for q in quotes)


def test_a_statement_told_to_an_agency_in_an_unnamed_place_is_unnamed() -> None:
    quotes = quotes_of(
        "Удар нанесен по скоплению техники в Черниговской области, сообщили РИА Новости в подполье.\n\n"
        "Других подробностей нет."
    )
    assert [(q.speaker, q.text) for q in said(quotes, "Удар")] == [
        (None, "Удар нанесен по скоплению техники в Черниговской области")
    ]


def test_a_role_the_headline_names_nobody_for_is_the_first_speaker_below() -> None:
    quotes = quotes_of(
        "Российский посол в ООН обвинил Францию в поддержке повстанцев\n\n"
        "Постоянный представитель России при ООН Василий Небензя заявил, что Париж передает повстанцам оружие."
    )
    (q,) = [q for q in quotes if q.in_title]
    assert (q.speaker, q.text) == ("Василий Небензя", "Францию в поддержке повстанцев")


def test_an_unnamed_source_in_the_headline_stays_unnamed() -> None:
    quotes = quotes_of(
        "Источник сообщил, что переговоры сорваны\n\n"
        "Министр Иван Орлов заявил, что переговоры продолжатся на следующей неделе."
    )
    assert [q.speaker for q in quotes if q.in_title] in ([], [None])


def test_a_foreign_name_after_according_is_one_name_and_its_apposition_no_statement() -> None:
    quotes = quotes_of(
        "Суд над шпионами продолжился в Лондоне.\n\n"
        "По утверждению Элисон Морган, представлявшей гособвинение, подсудимая пыталась взломать телефоны военных."
    )
    assert [(q.speaker, q.text) for q in said(quotes, "взломать")] == [
        ("Элисон Морган", "подсудимая пыталась взломать телефоны военных")
    ]


def test_what_follows_the_source_of_an_interruption_is_its_apposition_or_a_new_clause_not_the_statement() -> None:
    quotes = quotes_of(
        "Бои у города продолжаются.\n\n"
        "Наступление управлялось из штабов у границы, сообщил агентству источник, близкий к спецслужбам. "
        "Этой зимой Европа не замерзнет, утверждают аналитики, однако без последствий не обойдется."
    )
    assert [q.text for q in said(quotes, "Наступление")] == ["Наступление управлялось из штабов у границы"]
    assert [q.text for q in said(quotes, "Европа")] == ["Этой зимой Европа не замерзнет"]


def test_a_body_whose_adjective_is_already_in_the_nominative_keeps_it() -> None:
    quotes = quotes_of("Театр открыл продажи.\n\nБольшой театр сообщил, что билеты на балет будут стоить 1250 рублей.")
    assert [q.speaker for q in said(quotes, "билеты")] == ["Большой театр"]


def test_a_known_surname_in_the_genitive_does_not_join_the_next_name() -> None:
    quotes = quotes_of(
        "Режиссер Шахназаров рассказал Путину, что студия отдала свои танки армии\n\n"
        "На выступление Шахназарова Путин отреагировал коротко. «Мы передали армии 28 танков», — сказал Шахназаров."
    )
    assert {q.speaker for q in quotes if "танк" in q.text} == {"Шахназаров"}


def test_a_correspondent_in_the_headline_is_not_the_person_who_speaks_later() -> None:
    quotes = quotes_of(
        "Протестующие остаются на проспекте Руставели, передает корреспондент Би-би-си\n\n"
        "Люди поют гимн и стоят у парламента.\n\n"
        "Президент Саломе Зурабишвили заявила, что поддерживает протестующих."
    )
    assert [q.speaker for q in quotes if q.in_title] != ["Саломе Зурабишвили"]


def test_a_foreign_surname_in_the_genitive_is_the_person_named_before() -> None:
    quotes = quotes_of(
        "Переговоры о мире\n\n"
        "Канцлер Нехаммер провел беседу с Трампом. По мнению Нехаммера, американец настроен на урегулирование."
    )
    assert [q.speaker for q in said(quotes, "настроен на урегулирование")] == ["Нехаммер"]


def test_one_of_several_sources_is_a_source() -> None:
    quotes = quotes_of(
        "Разговор лидеров прошел хорошо.\n\n"
        "Как выразился один из собеседников издания, после беседы «у министра не осталось чувства отчаяния»."
    )
    assert [q.speaker_kind != "person" for q in said(quotes, "после беседы")] == [True]


def test_what_was_promised_or_forecast_as_a_noun_phrase_is_the_statement() -> None:
    quotes = quotes_of(
        "Франция обещает военную поддержку Украине и после выборов\n\n"
        "Париж продолжит помогать Киеву. Синоптики прогнозируют сильные осадки в ближайшие сутки."
    )
    assert [(q.speaker, q.text) for q in quotes if q.in_title] == [
        ("Франция", "военную поддержку Украине и после выборов")
    ]
    assert [q.speaker for q in said(quotes, "сильные осадки")] == [None]
    assert not said(quotes_of("Погода испортилась.\n\nМинистр пообещал ему помочь."), "ему")


def test_the_source_an_outlet_cites_by_name_is_the_speaker() -> None:
    quotes = quotes_of(
        "Пожар в поликлинике на окраине города потушен, пострадавших нет, пишет ТАСС со ссылкой на МЧС.\n\n"
        "Светличная скончалась утром в субботу, как передает Интерфакс со ссылкой на Союз кинематографистов."
    )
    assert [q.speaker for q in said(quotes, "Пожар в поликлинике")] == ["МЧС"]
    assert [q.speaker for q in said(quotes, "скончалась утром")] == ["Союз кинематографистов"]


def test_a_person_an_outlet_cites_is_named_in_the_nominative() -> None:
    quotes = quotes_of(
        "Покушение на главу города совершено с использованием дронов, никто не пострадал, сообщает агентство "
        "со ссылкой на губернатора области Владимира Сальдо."
    )
    assert [q.speaker for q in said(quotes, "Покушение на главу")] == ["Владимир Сальдо"]


def test_an_outlet_citing_nobody_named_is_the_speaker() -> None:
    quotes = quotes_of(
        "Администрация готовит новый пакет военной помощи на 725 млн долларов, сообщает Reuters со ссылкой на "
        "источники.\n\n"
        "ТАСС со ссылкой на местную прокуратуру передал, что обрушение произошло после подземного толчка."
    )
    assert [q.speaker for q in said(quotes, "новый пакет")] == ["Reuters"]
    assert [q.speaker for q in said(quotes, "обрушение произошло")] == ["ТАСС"]


def test_a_leaders_office_stands_for_the_person_just_quoted() -> None:
    quotes = quotes_of(
        "Дональд Трамп заявил, что в первый же день введет новые пошлины для товаров из Китая.\n\n"
        "Избранный президент Соединенных Штатов обещал, что после инаугурации подпишет указ о пошлинах."
    )
    assert [q.speaker for q in said(quotes, "подпишет указ")] == ["Дональд Трамп"]
    quotes = quotes_of(
        "Путин назвал Трампа умным и опытным политиком. Российский лидер отметил, что нападки на семью "
        "политика были омерзительными."
    )
    assert [q.speaker for q in said(quotes, "нападки на семью")] == ["Путин"]


def test_an_office_is_not_the_person_quoted_when_it_cannot_be_theirs() -> None:
    cases = {
        "Путин встретился с Макроном в Париже, заявив, что рад встрече. Президент Франции заявил, что "
        "переговоры были трудными.": "переговоры были",
        "Байден заявил, что помощь будет продолжена. Бывший президент заявил, что помощь надо прекратить.": (
            "надо прекратить"
        ),
        "Министр обороны Андрей Белоусов заявил, что учения пройдут по плану. Президент заявил, что войска "
        "готовы.": "войска готовы",
    }
    for post, words in cases.items():
        assert [q.speaker for q in said(quotes_of(post), words)] == [None], post


def test_an_adverb_of_time_opening_a_sentence_is_no_first_name() -> None:
    quotes = quotes_of("Вечером Путин собрал совещание с военными. Москва продолжит испытания ракеты, сказал Путин.")
    assert [q.speaker for q in said(quotes, "продолжит испытания")] == ["Путин"]


def test_about_this_refers_to_a_one_sentence_lede_in_the_paragraph_before() -> None:
    quotes = quotes_of(
        "Власти области лишили брони всех коммунальщиков региона и постановили мобилизовать их за два дня.\n\n"
        "Об этом сообщил мэр города Семенихин. По его словам, решение принял начальник администрации."
    )
    assert [q.speaker for q in said(quotes, "лишили брони")] == ["Семенихин"]


def test_about_this_after_a_paragraph_with_its_own_attribution_is_not_that_paragraph() -> None:
    quotes = quotes_of(
        "Разведка сообщила, что войска перешли границу на рассвете, передает агентство Reuters.\n\n"
        "Ранее об этом заявлял Госдепартамент США."
    )
    assert [q.speaker for q in said(quotes, "перешли границу")] == ["Reuters"]


def test_an_agency_told_about_this_is_not_who_spoke() -> None:
    quotes = quotes_of(
        "Военные медики спасли раненого бойца, ему провели три операции.\n\n"
        "Об этом РИА Новости рассказал начальник отделения госпиталя."
    )
    (q,) = said(quotes, "спасли раненого")
    assert q.speaker is None


def test_a_surname_with_a_past_verb_of_its_gender_is_a_woman_a_pronoun_can_stand_for() -> None:
    quotes = quotes_of(
        "Москалькова опубликовала список из 630 военных и выразила надежду на их скорый обмен.\n\n"
        "Она отметила, что Киев затягивает обменный процесс."
    )
    assert [q.speaker for q in said(quotes, "затягивает")] == ["Москалькова"]
    assert not [q.speaker for q in quotes_of("Женщина пояснила, что купила сувенир в лавке.") if q.speaker]


def test_every_past_form_of_a_cue_is_a_cue() -> None:
    quotes = quotes_of(
        "Астероид сгорел над Якутией. Как рассказывали в Институте прикладной астрономии РАН, он не "
        "представлял угрозы для людей."
    )
    assert [q.speaker for q in said(quotes, "не представлял угрозы")] == ["Институт прикладной астрономии РАН"]


def test_the_outlet_named_by_what_it_is_is_the_one_just_quoted() -> None:
    quotes = quotes_of(
        "Мужчина по имени Михаил жил и работал в Грузии, пишет The Insider. По данным издания, он снимал "
        "протесты на телефон.\n\n"
        "«У Михаила потребовали паспорт, а оригинала у него не было», — утверждает издание."
    )
    assert [q.speaker for q in said(quotes, "снимал протесты")] == ["The Insider"]
    assert [q.speaker for q in said(quotes, "потребовали паспорт")] == ["The Insider"]


def test_the_outlet_named_by_what_it_is_is_nobody_once_another_was_named() -> None:
    quotes = quotes_of(
        "Во время разгона акции пострадали журналисты, сообщают корреспонденты Би-би-си.\n\n"
        "Сотрудник «Публики» Александр Кешелашвили был задержан и избит, пишет издание."
    )
    assert [q.speaker for q in said(quotes, "был задержан")] == [None]


def test_a_body_quoted_in_so_many_words_by_its_kind_is_the_body_that_spoke() -> None:
    quotes = quotes_of(
        "В МВД заявили, что будут применять спецсредства.\n\n"
        "«Митинг вышел за рамки мирного собрания», — заявили в ведомстве."
    )
    assert [q.speaker for q in said(quotes, "рамки мирного")] == ["МВД"]
    quotes = quotes_of("«Переговоры пройдут на следующей неделе в Москве», — сообщили в Кремле.")
    assert [q.speaker for q in said(quotes, "Переговоры пройдут")] == ["Кремль"]


def test_the_press_office_of_a_body_named_before_is_that_body() -> None:
    quotes = quotes_of(
        "Пиротехники МЧС за сутки обнаружили и уничтожили 300 боеприпасов американской ракеты ATACMS, "
        "сообщили РИА Новости в пресс-службе ведомства."
    )
    assert [q.speaker for q in said(quotes, "Пиротехники")] == ["МЧС"]


def test_an_office_is_the_person_the_text_names_with_it_later() -> None:
    quotes = quotes_of(
        "Паводок в области отступает, заявил губернатор. Вода ушла из трех сел.\n\n"
        "Спасатели работают круглые сутки. Губернатор Иван Петров провел совещание с главами районов."
    )
    assert [q.speaker for q in said(quotes, "Паводок")] == ["Иван Петров"]


def test_an_office_named_for_two_people_later_is_neither() -> None:
    quotes = quotes_of(
        "Губернатор заявил, что паводок отступает. Губернатор Иван Петров и губернатор Олег Сидоров провели совещание."
    )
    assert [q.speaker for q in said(quotes, "паводок")] == [None]


def test_a_headline_signed_by_an_office_is_that_officials_statement() -> None:
    quotes = quotes_of(
        "В Самарской области сбиты шесть беспилотников — губернатор\n\n"
        "Губернатор Вячеслав Федорищев утверждает, что пострадавших и разрушений нет."
    )
    (q,) = [q for q in quotes if q.in_title]
    assert q.speaker == "Вячеслав Федорищев" and q.text == "В Самарской области сбиты шесть беспилотников"


def test_a_headline_signed_by_the_authorities_is_the_first_paragraphs_source() -> None:
    quotes = quotes_of(
        "Белгород снова обстрелян — власти\n\n"
        "Губернатор Вячеслав Гладков сообщил, что пострадавших нет, повреждены два дома."
    )
    assert [(q.speaker, q.text) for q in quotes if q.in_title] == [("Вячеслав Гладков", "Белгород снова обстрелян")]


def test_an_acting_official_is_no_initial() -> None:
    quotes = quotes_of(
        "И.о. мэра города Сумы Артем Кобзарь сообщает, что в результате налета в городе погибли два человека."
    )
    assert [q.speaker for q in quotes] == ["Артем Кобзарь"]


def test_a_name_in_another_case_is_shown_as_the_nominative_the_text_writes() -> None:
    quotes = quotes_of(
        "Президент Аслан Бжания готов уйти в отставку.\n\n"
        "«Когда они покинут здание, я напишу заявление об уходе», — цитирует РИА Новости Бжанию."
    )
    assert [q.speaker for q in said(quotes, "покинут здание")] == ["Аслан Бжания"]


def test_a_name_in_the_dative_is_no_subject_when_the_text_writes_its_nominative() -> None:
    quotes = quotes_of(
        "Кандидатом власти был Виктор Янукович. ЦИК огласил итоги, отдав победу Януковичу, после чего "
        "оппозиция обвинила команду премьера в краже голосов."
    )
    assert not [q for q in quotes if q.speaker and "Янукович" in q.speaker]


def test_a_womans_surname_is_not_the_oblique_case_of_a_mans() -> None:
    quotes = quotes_of(
        "Центр отменил выступление правнучки Никиты Хрущева, политолога Нины Хрущевой.\n\n"
        "После отставки Хрущев жил на даче.\n\n"
        "Ранее Хрущёва называла войну «одним из самых страшных решений Кремля»."
    )
    assert [q.speaker for q in said(quotes, "страшных решений")] == ["Нина Хрущева"]


def test_a_persons_channel_speaks_for_that_person() -> None:
    quotes = quotes_of(
        "Президент Сирии Башар Асад прокомментировал ситуацию на севере страны.\n\n"
        "Как сообщает телеграм-канал Асада, Сирия будет продолжать защищать свою стабильность."
    )
    assert [q.speaker for q in said(quotes, "защищать свою")] == ["Башар Асад"]


def test_each_item_of_a_list_of_someones_statements_is_their_statement() -> None:
    quotes = quotes_of(
        "Песков ответил на вопросы журналистов\n\n"
        "Другие заявления Пескова на брифинге:\n\n"
        "▪️ О визите канцлера в Киев: наблюдаем за всеми контактами украинской стороны\n\n"
        "▪️ Госвизит в Казахстан был очень эффективным\n\n"
        "Брифинг продолжался час."
    )
    assert [(q.speaker, q.text) for q in quotes] == [
        ("Песков", "наблюдаем за всеми контактами украинской стороны"),
        ("Песков", "Госвизит в Казахстан был очень эффективным"),
    ]


def test_a_list_of_two_peoples_statements_is_nobodys_in_particular() -> None:
    quotes = quotes_of(
        "Совместное заявление Путина и Токаева:\n\n"
        "Россия и Казахстан будут тесно сотрудничать по линии спецслужб\n\n"
        "Стороны подтвердили приверженность союзу"
    )
    assert not [q for q in quotes if q.speaker in ("Путин", "Токаев")]


def test_a_person_named_in_the_dative_after_a_verb_is_not_its_subject() -> None:
    quotes = quotes_of(
        "Захарова предложила Хантеру Байдену начать помощь зависимым с Зеленского.\n\n"
        "«Пусть начнет с Зеленского, у него зависимости сильные», — написала она в своем канале."
    )
    assert [q.speaker for q in said(quotes, "Пусть начнет")] == ["Захарова"]


def test_an_office_of_someone_named_in_the_genitive_speaks_not_that_person() -> None:
    # "Адвокат Мусаевой": her lawyer spoke, unnamed; she did not
    quotes = quotes_of(
        "Суд арестовал Зарему Мусаеву на два месяца.\n\nАдвокат Мусаевой заявил, что обжалует решение суда."
    )
    found = said(quotes, "обжалует решение")
    assert len(found) == 1
    assert found[0].speaker is None
    alone = said(quotes_of("Адвокат Мусаевой заявил журналистам, что решение будет обжаловано."), "обжаловано")
    assert [q.speaker for q in alone] == [None]


def test_the_media_is_no_named_speaker() -> None:
    text = "Как сообщили турецкие СМИ, прокуратура Стамбула начала расследование. СМИ сообщают, что ущерб велик."
    quotes = analyze(text).quotes  # the language is detected
    assert quotes and all(q.speaker is None for q in quotes)


def test_a_bodys_verb_in_ala_ends_the_body_before_the_person_it_acts_on() -> None:
    # "задержала" is a verb, not a genitive like "канала"; the name after it is a woman's, in the accusative
    post = "Полиция задержала Зарему Мусаеву в Грозном.\n\nМусаева заявила, что не признает вину и обжалует арест."
    result = analyze(post)
    assert [q.speaker for q in said(list(result.quotes), "не признает вину")] == ["Зарема Мусаева"]
    assert [p.name for p in result.people] == ["Зарема Мусаева"]


def test_a_genitive_in_ala_still_completes_the_body() -> None:
    quotes = quotes_of("Пресс-служба телеканала заявила, что эфир возобновится завтра.")
    assert [q.speaker for q in said(quotes, "эфир возобновится")] == ["Пресс-служба телеканала"]


def test_a_surname_that_is_also_an_ordinary_word_after_an_office_is_the_speaker() -> None:
    quotes = quotes_of("В Брянской области при пожаре никто не пострадал, сообщил губернатор региона Мороз.")
    assert [q.speaker for q in said(quotes, "никто не пострадал")] == ["Мороз"]


def test_a_statement_that_follows_from_someones_statement_is_theirs() -> None:
    post = (
        "Два жилых дома в Каменском районе повреждены при обстреле, следует из заявления главы районной "
        "администрации Петра Соколова.\n\n"
        "«Пострадавших нет. Жильцов временно разместили в школе», — написал он в телеграме."
    )
    quotes = quotes_of(post)
    assert [q.speaker for q in said(quotes, "повреждены при обстреле")] == ["Петр Соколов"]
    assert [q.speaker for q in said(quotes, "Пострадавших нет")] == ["Петр Соколов"]


def test_a_statement_that_follows_from_a_document_of_nobody_named_has_no_speaker() -> None:
    quotes = quotes_of("Расходы на дороги вырастут на треть, следует из документа, который есть у редакции.")
    assert [q.speaker for q in quotes] == []


def test_a_surname_that_is_also_an_ordinary_word_right_after_the_cue_is_the_speaker() -> None:
    quotes = quotes_of("Подача тепла в Каменском районе восстановлена после аварии, сообщил Сальдо.")
    assert [q.speaker for q in said(quotes, "восстановлена после аварии")] == ["Сальдо"]


def test_an_ordinary_word_the_post_also_writes_in_lower_case_is_no_speaker() -> None:
    quotes = quotes_of("Ударил мороз. Подача тепла восстановлена после аварии, сообщил Мороз.")
    assert [q.speaker for q in said(quotes, "восстановлена после аварии")] == [None]


def test_a_clause_after_khotya_without_a_subject_is_the_sentences_subjects() -> None:
    quotes = quotes_of("Губернатор Иван Петров помиловал сына Мейсона, хотя ранее говорил, что не будет этого делать.")
    assert [q.speaker for q in said(quotes, "не будет этого делать")] == ["Иван Петров"]


def test_a_clause_after_no_with_a_subject_of_its_own_is_not_the_first_subjects() -> None:
    quotes = quotes_of("Иван Петров решение не прокомментировал, но его ближний круг назвал его ошибкой.")
    assert [q.speaker for q in quotes if q.speaker == "Иван Петров"] == []


def test_the_state_department_by_its_short_name_is_a_body() -> None:
    result = analyze("Госдеп заявил, что заинтересован в деэскалации обстановки.\n\nПозиция Госдепа не изменилась.")
    assert [q.speaker for q in result.quotes] == ["State Department"]
    assert "Госдепа" not in [p.name for p in result.people]


def test_a_surname_both_genders_share_opens_the_sentence_as_its_subject() -> None:
    for post, speaker in (
        ("Лещенко заявил, что переговоры продолжатся в понедельник.", "Лещенко"),
        ("Ткачук заявила, что переговоры продолжатся в понедельник.", "Ткачук"),
        ("Папуашвили заявил, что переговоры продолжатся в понедельник.", "Папуашвили"),
    ):
        assert [q.speaker for q in said(quotes_of("Вступление.\n\n" + post), "переговоры продолжатся")] == [speaker]


def test_about_this_told_to_an_outlet_in_quotation_marks_is_the_named_persons() -> None:
    post = (
        "Новые сплавы позволят строить более легкие самолеты.\n\n"
        "Об этом «Известиям» заявил директор института Павел Громов."
    )
    assert [q.speaker for q in said(quotes_of(post), "более легкие самолеты")] == ["Павел Громов"]


def test_an_outlet_told_in_the_dative_is_not_the_speaker() -> None:
    post = "Вступление.\n\n«Погибших нет, пожар потушен», — сказали «Коммерсанту» в пресс-службе аэропорта."
    assert "Коммерсанту" not in [q.speaker for q in quotes_of(post)]


def test_a_speaker_after_the_agency_told_is_the_antecedent_of_he() -> None:
    post = (
        "Вступление.\n\nПодразделения продвинулись у села Луговое, сообщил РИА Новости Гордиенко.\n\n"
        "Он добавил, что бои идут на окраинах соседнего поселка."
    )
    assert [q.speaker for q in said(quotes_of(post), "бои идут на окраинах")] == ["Гордиенко"]


def test_the_investigation_speaks_for_the_investigative_committee_the_post_named() -> None:
    named = (
        "Следственный комитет России возбудил уголовное дело о поджоге склада. "
        "По версии следствия, мужчина облил склад бензином и поджег его ночью."
    )
    unnamed = "Полиция задержала мужчину в Твери. По версии следствия, он угнал машину соседа."
    assert [q.speaker for q in analyze(named).quotes if "бензином" in q.text] == ["Следственный комитет России"]
    assert [q.speaker for q in analyze(unnamed).quotes if "угнал" in q.text] == [None]


def test_a_resident_of_a_place_is_unnamed_not_the_place() -> None:
    post = (
        "Житель Новой Каховки спас двух пострадавших и отвез их в больницу, рассказала одна из спасенных, "
        "добавив, что считает везением, что у нее только четыре перелома."
    )
    assert [q.speaker for q in quotes_of(post) if "везением" in q.text] == [None]
    assert [q.speaker for q in quotes_of("Житель Донецка рассказал, что обстрел шел всю ночь.")] == [None]
