"""Who may be a speaker, and under which name: common words are no people, party and office words are no part
of a name, an organisation has one name whatever form the article uses, a person the fullest form it uses."""

from __future__ import annotations

import pytest

from analysis.people import (
    fullest_name,
    is_common_word,
    is_person_name,
    name_key,
    organisation_key,
    organisation_name,
    person_matches,
    search_keys,
    speaker_form,
    strip_name_prefixes,
    tidy_speakers,
)
from analysis.pipeline import analyze
from analysis.types import Person, Quote


@pytest.mark.parametrize(
    ("word", "lang"),
    [
        ("Construction", "en"),
        ("Consumer", "en"),
        ("Shadow", "en"),
        ("weakest", "en"),
        ("Privately", "en"),
        ("Ex-foreign", "en"),
        ("Строительство", "ru"),
        ("Строительства", "ru"),
        ("Власти", "ru"),
    ],
)
def test_ordinary_words_are_common(word: str, lang: str) -> None:
    assert is_common_word(word, lang)


@pytest.mark.parametrize(
    ("word", "lang"),
    [
        ("Edinburgh", "en"),
        ("Blair", "en"),
        ("Bill", "en"),
        ("Brown", "en"),
        ("Mark", "en"),
        ("Путин", "ru"),
        ("Франция", "ru"),
    ],
)
def test_names_and_words_that_are_also_names_are_not_common(word: str, lang: str) -> None:
    assert not is_common_word(word, lang)


@pytest.mark.parametrize(
    ("name", "lang"),
    [
        ("Construction", "en"),
        ("Weakest Link", "en"),
        ("Britons", "en"),
        ("Labour MP", "en"),
        ("Critics", "en"),
        ("Эксперты", "ru"),
        ("Критики", "ru"),
    ],
)
def test_no_person_is_named_by_ordinary_or_office_words(name: str, lang: str) -> None:
    assert not is_person_name(name, lang=lang)


@pytest.mark.parametrize(
    ("name", "lang"),
    [("Gordon Brown", "en"), ("Jack Straw", "en"), ("Sarah Teather", "en"), ("Путин", "ru"), ("Собянин", "ru")],
)
def test_people_are_people(name: str, lang: str) -> None:
    assert is_person_name(name, lang=lang)


def test_a_capitalised_word_the_article_writes_in_lower_case_is_no_name() -> None:
    text = "Skelmore said the bridge would open. Later, skelmore was served at the dinner."
    assert not is_person_name("Skelmore", text)
    assert is_person_name("Skelmore", "Skelmore said the bridge would open. Nobody argued with Skelmore.")


@pytest.mark.parametrize(
    ("name", "lang", "stripped"),
    [
        ("Liberal Democrat Sarah Teather", "en", "Sarah Teather"),
        ("Labour MP Ann Keen", "en", "Ann Keen"),
        ("Tory leader Michael Howard", "en", "Michael Howard"),
        ("US President George Bush", "en", "George Bush"),
        ("Tories Ken Clarke", "en", "Ken Clarke"),
        ("министр Сергей Лавров", "ru", "Сергей Лавров"),
        ("глава МИД Сергей Лавров", "ru", "Сергей Лавров"),
        ("Liberal Democrats", "en", "Liberal Democrats"),
        ("Labour", "en", "Labour"),
        ("Andrew Green", "en", "Andrew Green"),
        ("Nottingham City Councillor Brian Parbutt", "en", "Brian Parbutt"),
        ("Bank of England Governor Mervyn King", "en", "Mervyn King"),
    ],
)
def test_party_nationality_and_office_words_go_from_the_front_of_a_name(name: str, lang: str, stripped: str) -> None:
    assert strip_name_prefixes(name, lang) == stripped


def test_a_name_with_its_party_is_found_by_the_name_alone() -> None:
    assert name_key("Liberal Democrat Sarah Teather") == "sarah teather"
    assert person_matches("Sarah Teather", "Liberal Democrat Sarah Teather")


@pytest.mark.parametrize(
    ("forms", "lang"),
    [
        (["Lib Dem", "Lib Dems", "Liberal Democrats", "the Liberal Democrats'"], "en"),
        (["Tories", "Conservatives", "Conservative Party", "Tory"], "en"),
        (["Labour", "Labour Party"], "en"),
        (["Минобороны", "Министерство обороны", "Минобороны России"], "ru"),
        (["МИД", "Министерство иностранных дел", "МИД РФ"], "ru"),
    ],
)
def test_an_organisation_has_one_key_whatever_form_names_it(forms: list[str], lang: str) -> None:
    assert len({organisation_key(f, lang) for f in forms}) == 1
    assert len({organisation_name(f, lang) for f in forms}) == 1


def test_an_organisation_is_found_by_any_of_its_forms() -> None:
    keys = search_keys("Liberal Democrats", kind="organization")
    assert {name_key("Lib Dems"), name_key("Lib Dem"), name_key("Liberal Democrats")} <= keys


@pytest.mark.parametrize(
    ("name", "known", "fullest"),
    [
        ("Putin", ["Vladimir Putin", "Tony Blair"], "Vladimir Putin"),
        ("Путин", ["Владимир Путин"], "Владимир Путин"),
        ("Путина", ["Владимир Путин"], "Владимир Путин"),
        ("Digby", ["Digby Jones"], "Digby Jones"),
        ("Sir Digby", ["Digby Jones"], "Digby Jones"),
        ("Clinton", ["Bill Clinton", "Hillary Clinton"], None),
        ("Bill Clinton", ["Hillary Clinton", "Clinton"], None),
        ("Putin", ["Vladimir Putin", "Vladimir Vladimirovich Putin"], "Vladimir Vladimirovich Putin"),
        ("Jones", ["Digby Jones", "Phil Jones"], None),
        ("Sarah", ["Sarah Teather"], None),
    ],
)
def test_a_short_form_takes_the_one_fuller_name_it_fits(name: str, known: list[str], fullest: str | None) -> None:
    assert fullest_name(name, known, "ru" if name[0] > "z" else "en") == fullest


def _quote(speaker: str, kind: str = "person") -> Quote:
    return Quote(text="words", start=0, end=5, direct=True, mention=speaker, speaker=speaker, speaker_kind=kind)  # type: ignore[arg-type]


def test_within_one_article_even_a_common_first_name_is_the_person_named() -> None:
    assert fullest_name("Sir Edward", ["Edward Heath"], one_article=True) == "Edward Heath"
    assert fullest_name("Sir Edward", ["Edward Heath"]) is None


def test_tidy_speakers_drops_non_names_and_merges_forms() -> None:
    quotes = [
        _quote("Shadow"),
        _quote("Lib Dem"),
        _quote("Lib Dems", "organization"),
        _quote("Digby"),
        _quote("Digby Jones"),
    ]
    people = [
        Person("Shadow"),
        Person("Lib Dem"),
        Person("Lib Dems", "organization"),
        Person("Digby"),
        Person("Digby Jones"),
    ]
    tidied, persons = tidy_speakers(quotes, people, "A text.", "en")
    assert [(q.speaker, q.speaker_kind) for q in tidied] == [
        (None, "unknown"),
        ("Liberal Democrats", "organization"),
        ("Liberal Democrats", "organization"),
        ("Digby Jones", "person"),
        ("Digby Jones", "person"),
    ]
    assert sorted(p.name for p in persons) == ["Digby Jones", "Liberal Democrats"]


def test_the_tail_of_an_organisation_named_in_full_is_that_organisation() -> None:
    quotes = [_quote("Curriculum Authority", "organization"), _quote("QCA", "organization")]
    people = [Person("Curriculum Authority", "organization"), Person("QCA", "organization")]
    tidied, persons = tidy_speakers(quotes, people, "A text.", "en")
    assert {q.speaker for q in tidied} == {"Qualifications and Curriculum Authority"}
    assert [p.name for p in persons] == ["Qualifications and Curriculum Authority"]


def test_an_article_never_gives_a_common_word_as_speaker() -> None:
    text = (
        "Budget row\n\nShadow chancellor Oliver Letwin attacked the plans. Shadow ministers said the tax would hurt "
        'families. "It is a stealth tax," he said.'
    )
    analysis = analyze(text)
    assert "Shadow" not in {q.speaker for q in analysis.quotes}
    assert "Shadow" not in {p.name for p in analysis.people}


def test_an_article_keeps_the_party_out_of_the_name_and_merges_the_party_forms() -> None:
    teather = analyze(
        'Party news\n\nLiberal Democrat Sarah Teather said the policy had failed. "It is a mess," she said.'
    )
    assert {q.speaker for q in teather.quotes} == {"Sarah Teather"}
    parties = analyze(
        "Conference\n\nThe Lib Dems said the vote was a triumph. The Liberal Democrats said they would win more "
        "seats. Lib Dem leaders said the party was united."
    )
    assert {(q.speaker, q.speaker_kind) for q in parties.quotes if q.speaker} == {("Liberal Democrats", "organization")}


@pytest.mark.parametrize(
    ("name", "kind", "form"),
    [
        ("Age Concern", "person", ("Age Concern", "organization")),
        ("Construction", "person", None),
        ("Department", "organization", None),
        ("Lib Dem", "person", ("Liberal Democrats", "organization")),
        ("Liberal Democrat Paul Tyler", "person", ("Paul Tyler", "person")),
        ("Home Office", "organization", ("Home Office", "organization")),
        ("Glasgow Kelvin MP", "organization", None),
        ("the government", "organization", ("Government", "organization")),
        ("the Liberals", "organization", ("Liberal Party", "organization")),
        ("Treasury", "organization", ("Treasury", "organization")),
        ("Франция", "organization", ("Франция", "organization")),
        ("Labour spokesman", "person", None),
        ("Минобороны", "organization", ("Министерство обороны", "organization")),
    ],
)
def test_each_speaker_gets_one_form_or_none(name: str, kind: str, form: tuple[str, str] | None) -> None:
    assert speaker_form(name, kind, lang="ru" if name[0] > "z" else "en") == form


def test_a_word_the_article_names_as_a_place_is_no_person() -> None:
    text = "In a speech in Dunmore, the minister said the plan would work. Dunmore backed it, he added."
    assert not is_person_name("Dunmore", text)
    assert is_person_name("Dunmore", "Dunmore said the plan would work. In Dunmore's view it was late.")


@pytest.mark.parametrize(
    ("name", "key"),
    [("Герман Галущенко", "german galushchenko"), ("German Chancellor Olaf Scholz", "olaf scholz")],
)
def test_a_word_of_one_script_is_never_a_title_of_the_other(name: str, key: str) -> None:
    # "Герман" is a given name; the English "German" before a name is a nationality.
    assert name_key(name, "ru") == key


@pytest.mark.parametrize("surname", ["Рябков", "Галущенко", "Козицкий"])
def test_a_russian_surname_is_a_name_even_when_a_dictionary_lists_the_word(surname: str) -> None:
    assert is_person_name(surname, lang="ru")


@pytest.mark.parametrize("name", ["Lord Falconer", "Baroness Scotland", "Mr Baker"])
def test_a_title_makes_an_ordinary_word_a_persons_name(name: str) -> None:
    assert is_person_name(name)
    assert speaker_form(name, "person") == (name, "person")


def test_a_peer_is_shown_with_the_title_the_article_names_him_by() -> None:
    text = (
        "Succession law debate\n\n"
        "Lord Falconer said the act was discriminatory. "
        "He added that changing it would be complex."
    )
    analysis = analyze(text)
    assert [q.speaker for q in analysis.quotes] == ["Lord Falconer", "Lord Falconer"]
    assert "Lord Falconer" in {p.name for p in analysis.people}


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            # "Mr Howard" is a surname: not Howard Flight, whom the article calls "Mr Flight"
            "Sacked MP Howard Flight says he will not stand down. Mr Flight said his local party had not asked him "
            "to go. At a news conference, Mr Howard insisted he had played by the party's rules.",
            "Howard",
        ),
        (
            # a family name first: "Mr. Lou" is Lou Jiwei, never called "Mr. Jiwei"
            "Finance Minister Lou Jiwei spoke in Beijing on Tuesday. Mr. Lou said the government had no estimate "
            "of the job losses.",
            "Lou Jiwei",
        ),
    ],
    ids=["given name of another", "family name first"],
)
def test_a_word_after_mr_is_a_surname(text: str, speaker: str) -> None:
    said = [q for q in analyze(text).quotes if q.mention in ("Mr Howard", "Mr. Lou")]
    assert [q.speaker for q in said] == [speaker]


def test_a_speech_noun_after_an_article_is_no_attribution_of_the_reporter() -> None:
    # "The comments were not a "one-off", he said": "comments" is a noun here, so the quoted words finish
    # the reporter's clause and the whole clause is his statement; "he" is the coordinator who just spoke,
    # not the man named inside what the coordinator said
    text = (
        'Labour election campaign coordinator Alan Milburn said the Tories were in "turmoil" because Mr Flight '
        'had exposed their hidden plans. The comments were not a "one-off", he said.'
    )
    assert [(q.speaker, q.text) for q in analyze(text).quotes] == [
        ("Alan Milburn", 'the Tories were in "turmoil" because Mr Flight had exposed their hidden plans'),
        ("Alan Milburn", 'The comments were not a "one-off"'),
    ]


def test_a_street_named_after_a_person_is_no_speaker() -> None:
    # "George Street" opens with a given name but is a place: the "he" after the director's words is the
    # director, not the street named in the paragraph before
    text = (
        "The building on George Street has been empty since the 1980s.\n\n"
        "Taha Idris, director of the race equality council, said his group had called the police. "
        '"I am shocked to see this sort of leaflet here," he said.'
    )
    assert {q.speaker for q in analyze(text).quotes} == {"Taha Idris"}
    assert "George Street" not in {p.name for p in analyze(text).people}


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Families Margaret Hodge", "Margaret Hodge"),  # "Minister for Children, Young People and Families …"
        ("Solicitor Gareth Pierce", "Gareth Pierce"),
        ("Fault Ted Cruz", "Ted Cruz"),  # a sub-heading run into the name
        ("Rose Mary Smith", "Rose Mary Smith"),  # a given name before a given name is part of the name
        ("Will Smith", "Will Smith"),
    ],
)
def test_ordinary_words_before_a_given_name_and_surname_are_no_part_of_the_name(name: str, shown: str) -> None:
    assert strip_name_prefixes(name, "en") == shown
