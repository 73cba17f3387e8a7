"""Attributions the news writes in many shapes: sources with descriptions, groups, statements before their
cue, beliefs and claims. Texts written here."""

from __future__ import annotations

import pytest

from analysis.quotes import extract_quotes
from analysis.sentences import split_sentences
from analysis.types import Person, Quote


def run(text: str) -> tuple[list[Quote], list[Person]]:
    return extract_quotes(text, split_sentences(text, "en"), "en")


def only(text: str) -> Quote:
    quotes = run(text)[0]
    assert len(quotes) == 1, quotes
    return quotes[0]


class TestSourceDescriptions:
    def test_an_age_and_a_description_between_commas(self) -> None:
        q = only("Marta Kowal, 52, a retired nurse, said the clinic should never have been closed.")
        assert q.speaker == "Marta Kowal"
        assert q.text == "the clinic should never have been closed"

    def test_a_party_and_state_label(self) -> None:
        q = only("Rep. Dana Whitfield, D-Ore., noted that the bridge repairs were two years late.")
        assert q.speaker == "Dana Whitfield"
        assert q.text == "the bridge repairs were two years late"

    def test_an_office_held_for_someone_else(self) -> None:
        q = only("Ruth Ames, the governor's chief of staff, said the budget would be ready by Friday.")
        assert q.speaker == "Ruth Ames"
        assert q.text == "the budget would be ready by Friday"

    def test_a_relative_clause_is_no_description(self) -> None:
        # "who" opens a clause of its own: what follows "said" is still Ames's, never the clause's
        quotes, _ = run("Ruth Ames, who met the mayor, said the budget would be ready by Friday.")
        assert [q.speaker for q in quotes] == ["Ruth Ames"]

    @pytest.mark.parametrize(
        "text",
        [
            "\u201cWe will not sell the farm,\u201d the cooperative\u2019s Ines Barra told reporters.",
            '"We will not sell the farm," former dairy farmer Ines Barra said.',
        ],
    )
    def test_words_describing_the_name_after_a_quote(self, text: str) -> None:
        q = only(text)
        assert q.direct and q.speaker == "Ines Barra"
        assert q.text == "We will not sell the farm"


class TestGroups:
    @pytest.mark.parametrize(
        ("text", "mention", "content"),
        [
            (
                "The mayor's associates said he is not planning to run again.",
                "The mayor's associates",
                "he is not planning to run again",
            ),
            (
                "Harbour unions say the new cranes will cost hundreds of jobs.",
                "Harbour unions",
                "the new cranes will cost hundreds of jobs",
            ),
            (
                "The fix is simple, but security specialists say it is rarely applied.",
                "security specialists",
                "it is rarely applied",
            ),
        ],
    )
    def test_a_plural_noun_heads_the_source(self, text: str, mention: str, content: str) -> None:
        q = only(text)
        assert q.mention == mention
        assert q.text == content

    def test_a_capital_before_a_group_is_no_person(self) -> None:
        quotes, people = run("Harbour unions say the new cranes will cost hundreds of jobs.")
        assert quotes[0].speaker is None
        assert "Harbour" not in {p.name for p in people}

    def test_a_plural_after_is_is_no_source(self) -> None:
        # "the problem is workers say …" is not a source phrase: "workers" after "is" starts a clause
        quotes, _ = run("What worries the board is profits fell again.")
        assert quotes == []

    @pytest.mark.parametrize(
        "text",
        [
            "Readers may not let editorials tell them how to vote, but they care enough to write.",
            "One after another, mining firms, including Keld, declared bankruptcy.",
            "The mayor answered with attacks on the council, including Friday's tweets.",
            "What campaigners say hurts schools most is the lack of teachers.",
        ],
    )
    def test_a_plural_inside_another_clause_is_no_source(self, text: str) -> None:
        assert run(text)[0] == []

    def test_a_group_after_and_starts_a_statement_of_its_own(self) -> None:
        quotes, _ = run(
            "Ida Brandt spoke first. Brandt stressed that the reforms were not complete, and rights groups "
            "warned that the government was losing leverage over the army."
        )
        assert [(q.speaker or q.mention, q.text) for q in quotes] == [
            ("Ida Brandt", "the reforms were not complete"),
            ("rights groups", "the government was losing leverage over the army"),
        ]

    def test_a_group_before_who_speaks(self) -> None:
        q = only("The ruling angered the local officials, who warned that the school would have to close.")
        assert (q.speaker, q.mention, q.text) == (None, "the local officials", "the school would have to close")

    def test_people_before_who_that_no_lexicon_knows_say_nothing(self) -> None:
        assert run("It was a day for gardeners, who believe that rain will come.")[0] == []


class TestCueAfterTheStatement:
    @pytest.mark.parametrize(
        ("text", "mention"),
        [
            ("Few of the ballots were ever counted twice, election officials said.", "election officials"),
            ("The river will flood again within a decade, local climate scientists say.", "local climate scientists"),
        ],
    )
    def test_the_whole_source_phrase_after_a_comma(self, text: str, mention: str) -> None:
        q = only(text)
        assert q.mention == mention
        assert q.text == text.split(",")[0]


class TestWhenIsNotWho:
    @pytest.mark.parametrize(
        "text",
        [
            "Lena Voss spoke. Voss earlier Thursday said the inquiry had heard 40 witnesses.",
            "Lena Voss spoke. Voss on Tuesday wrote that the inquiry had heard 40 witnesses.",
            "Lena Voss spoke. Voss a week later announced that the inquiry had heard 40 witnesses.",
        ],
    )
    def test_a_day_before_the_cue_is_no_source(self, text: str) -> None:
        q = only(text)
        assert (q.speaker, q.mention) == ("Lena Voss", "Voss")

    def test_the_main_clause_after_a_when_clause_is_no_content(self) -> None:
        q = only("When Lena Voss announced that the mill would close, some workers walked out.")
        assert q.text == "the mill would close"


class TestQuotesWithTheirSpeakers:
    def test_a_verb_in_an_apposition_is_not_the_cue(self) -> None:
        q = only('"The tunnel will open in May," Vega, who has not commented before, told reporters in Lyon.')
        assert q.direct and q.speaker == "Vega"

    def test_one_of_a_group_after_the_quote(self) -> None:
        q = only('"Nobody expected the vote to pass," said one of the organisers, who asked not to be named.')
        assert q.direct and q.mention == "one of the organisers"

    def test_went_on_to_say(self) -> None:
        q = only("Ana Lindqvist spoke first. Lindqvist went on to say, \u201cThe fund is empty and we know it.\u201d")
        assert q.direct and q.speaker == "Ana Lindqvist"

    def test_a_second_verb_after_and(self) -> None:
        quotes, _ = run('Paul Okafor called on the minister to resign and said, "Her plan is dead."')
        said = [q for q in quotes if q.direct]
        assert [(q.speaker, q.text) for q in said] == [("Paul Okafor", "Her plan is dead.")]

    def test_an_adjective_between_the_cue_and_the_quote(self) -> None:
        q = only("Mia Sorensen told the Daily Courier in a written statement, \u201cI will not stand again.\u201d")
        assert q.direct and q.speaker == "Mia Sorensen" and q.cue == "told"

    @pytest.mark.parametrize(
        ("text", "speaker", "content"),
        [
            (
                "Ola Berg spoke on Monday. Loyalty, he noted, has long been the party's first rule.",
                "Ola Berg",
                "Loyalty has long been the party's first rule",
            ),
            (
                "Ola Berg spoke on Monday. Otherwise, he said, the towns would simply compete for jobs.",
                "Ola Berg",
                "the towns would simply compete for jobs",
            ),
        ],
    )
    def test_an_attribution_after_the_first_word(self, text: str, speaker: str, content: str) -> None:
        q = only(text)
        assert (q.speaker, q.text) == (speaker, content)

    def test_a_belief_between_commas_is_no_statement(self) -> None:
        text = "Ola Berg spoke on Monday. What this is about, believes Mr Berg, is a chance to win."
        assert run(text)[0] == []

    def test_the_speakers_description_after_an_inverted_cue_is_no_content(self) -> None:
        q = only("Few of these jobs will ever come back, said Tomas Brekke, a professor of economics at Oslo.")
        assert (q.speaker, q.text) == ("Tomas Brekke", "Few of these jobs will ever come back")

    def test_a_document_filed_somewhere_is_no_person(self) -> None:
        q = only("The partners meant to reopen the mill as a hotel, according to a lawsuit filed in Leeds.")
        assert q.speaker is None and q.speaker_kind == "organization"

    def test_figures_revealed_by_a_body_are_the_bodys(self) -> None:
        q = only("The party spent more than its rivals, according to figures released by the Audit Office.")
        assert q.speaker == "Audit Office"


class TestTheSentenceSubjectSpeaks:
    @pytest.mark.parametrize(
        ("text", "mention", "content"),
        [
            (
                "Several dairy unions objected to the tariff, saying it would ruin small dairies.",
                "Several dairy unions",
                "it would ruin small dairies",
            ),
            (
                "The weekly magazine has been outspoken against the plan, arguing it favours the rich.",
                "The weekly magazine",
                "it favours the rich",
            ),
        ],
    )
    def test_a_group_or_body_that_opens_the_sentence(self, text: str, mention: str, content: str) -> None:
        q = only(text)
        assert (q.mention, q.text) == (mention, content)

    def test_a_thing_that_shows_someone_saying_is_no_speaker(self) -> None:
        text = 'The poster shows the minister holding a watch, saying: "I can spend the money twice."'
        assert all(q.mention != "The poster" for q in run(text)[0])

    def test_figures_that_show_are_no_speaker_of_a_sentence_before(self) -> None:
        assert run("The party spent more than its rivals in the spring, new figures show.")[0] == []


class TestNominalCues:
    @pytest.mark.parametrize(
        ("text", "speaker", "content"),
        [
            (
                "Irma Vance spoke on Monday. The mayor rejected Vance's claim that the budget had been cut twice.",
                "Irma Vance",
                "the budget had been cut twice",
            ),
            (
                "Irma Vance spoke on Monday. Few took seriously her warning that the dam could fail.",
                "Irma Vance",
                "the dam could fail",
            ),
        ],
    )
    def test_a_possessor_and_a_noun_that_names_a_statement(self, text: str, speaker: str, content: str) -> None:
        q = only(text)
        assert (q.speaker, q.text) == (speaker, content)

    @pytest.mark.parametrize(
        "text",
        [
            "The claim that the budget had been cut twice is false.",
            "Irma Vance spoke on Monday. Her claim that the budget was cut drew fire from the council.",
        ],
    )
    def test_no_possessor_or_a_claim_as_the_subject_gives_nothing(self, text: str) -> None:
        assert run(text)[0] == []

    def test_a_view_inside_a_statement_stays_inside_it(self) -> None:
        quotes, _ = run("Irma Vance spoke. She added the answer reflected her view that the plan was lawful.")
        assert [q.text for q in quotes] == ["the answer reflected her view that the plan was lawful"]

    def test_an_admission_inside_a_statement_is_reported_too(self) -> None:
        quotes, _ = run(
            "Irma Vance spoke. Ivo Lang said he welcomed Vance's admission that the answer was not her advice."
        )
        assert ("Irma Vance", "the answer was not her advice") in {(q.speaker, q.text) for q in quotes}


class TestQuotesAfterAColon:
    @pytest.mark.parametrize(
        ("text", "words"),
        [
            (
                'Nora Quist spoke. Quist has since apologised for what happened: "I should have asked first. '
                'Not doing so was a mistake."',
                "I should have asked first. Not doing so was a mistake.",
            ),
            (
                "Nora Quist spoke. In a radio interview that evening, Quist went further: \u201cIf the board "
                "stays, the club is finished.\u201d",
                "If the board stays, the club is finished.",
            ),
            ("Nora Quist spoke. Ms Quist gloated: \u201cI told you they would never be ready.\u201d", None),
        ],
    )
    def test_a_clause_with_a_person_as_subject_introduces_the_quote(self, text: str, words: str | None) -> None:
        q = only(text)
        assert q.direct and q.speaker == "Nora Quist"
        if words is not None:
            assert q.text == words

    def test_a_possessive_before_the_colon_is_no_speaker_clause(self) -> None:
        quotes, _ = run('Nora Quist spoke. Quist\'s answer was brief: "We will see what the members want."')
        assert all(q.cue != "answer was brief" for q in quotes)


class TestAccordingTo:
    @pytest.mark.parametrize(
        ("text", "speaker", "content"),
        [
            (
                "Turnout fell in every district, according to Rolf Sand, a pollster who ran the survey.",
                "Rolf Sand",
                "Turnout fell in every district",
            ),
            (
                "According to Rolf Sand, writing for the Courier, turnout fell in every district.",
                "Rolf Sand",
                "turnout fell in every district",
            ),
            (
                "According to Rolf Sand, the chairman of the panel, turnout fell in every district.",
                "Rolf Sand",
                "turnout fell in every district",
            ),
        ],
    )
    def test_the_sources_description_is_no_content(self, text: str, speaker: str, content: str) -> None:
        q = only(text)
        assert (q.speaker, q.text) == (speaker, content)

    def test_content_that_starts_with_the(self) -> None:
        q = only("According to the minister, the deal was off.")
        assert (q.mention, q.text) == ("the minister", "the deal was off")


class TestTitlesBeforeACue:
    def test_a_programme_title_before_said_that_is_no_quote(self) -> None:
        quotes, _ = run('Ida Moe spoke. On the BBC\'s "Sunday Politics," Moe said that the tax would be scrapped.')
        assert [(q.direct, q.text) for q in quotes] == [(False, "the tax would be scrapped")]

    def test_a_cited_phrase_before_told_that(self) -> None:
        quotes, _ = run(
            "Ida Moe spoke. Citing \u201cfamily reasons,\u201d her aide told reporters that Moe would skip the summit."
        )
        assert [(q.direct, q.text) for q in quotes] == [(False, "Moe would skip the summit")]

    def test_an_inverted_source_that_goes_on_as_a_clause(self) -> None:
        quotes, _ = run("Ida Moe, citing ''the magic of the campaign,'' said the party could win the north.")
        assert all(q.text != "the magic of the campaign" for q in quotes)


class TestWhenTheCueIsFollowedByWhen:
    def test_told_someone_as_something_happened(self) -> None:
        q = only("This is not about me, Ada Holm told her closest advisers as she worked on the speech.")
        assert (q.speaker, q.text) == ("Ada Holm", "This is not about me")

    def test_said_if_is_a_conditional_statement(self) -> None:
        q = only("Ada Holm said if a decisive blow was struck it would be by older voters.")
        assert q.text == "if a decisive blow was struck it would be by older voters"


class TestAddressees:
    @pytest.mark.parametrize(
        ("text", "content"),
        [
            ("Tor Dahl spoke. Dahl told her husband the plan would fail.", "the plan would fail"),
            ("Tor Dahl spoke. Dahl told her she clearly did not need any notes.", "she clearly did not need any notes"),
        ],
    )
    def test_the_addressee_ends_where_the_clause_starts(self, text: str, content: str) -> None:
        q = only(text)
        assert (q.speaker, q.text) == ("Tor Dahl", content)

    def test_a_source_described_by_a_participle(self) -> None:
        q = only("The aides, led by the campaign manager, told donors that they did not expect to win Iowa.")
        assert (q.mention, q.text) == ("The aides", "they did not expect to win Iowa")


class TestSourceNamedLast:
    """A source named at the end of its statement may be followed by words about it: they are no more of the
    statement (an issue's "…, said X, Y's director" gave Y's director as a second part of what was said)."""

    def test_a_possessive_description_after_an_inverted_attribution(self) -> None:
        q = only("The new route is safer for cyclists, said Lena Marsh, the council's transport planning officer.")
        assert (q.speaker, q.text) == ("Lena Marsh", "The new route is safer for cyclists")
        assert len(q.parts) <= 1

    def test_a_named_body_described_by_its_possessor(self) -> None:
        q = only("Rents will rise again next year, said Oskar Brandt, Harwell Bank's chief economist.")
        assert (q.speaker, q.text) == ("Oskar Brandt", "Rents will rise again next year")

    def test_a_which_clause_after_according_to(self) -> None:
        q = only("The group has called for more strikes, according to the Delta Monitor, which tracks extremist posts.")
        assert q.text == "The group has called for more strikes"
        assert len(q.parts) <= 1

    def test_a_statement_interrupted_by_according_to_goes_on(self) -> None:
        q = only("The treaty, according to the foreign minister, was never ratified.")
        assert q.speaker_kind != "" and len(q.parts) == 2

    def test_a_statement_interrupted_by_said_goes_on(self) -> None:
        q = only("The tunnel, said Ines Kalb, will open in the spring.")
        assert q.speaker == "Ines Kalb"
        assert len(q.parts) == 2


class TestQuantifierSources:
    """A quantifier alone as the subject of "say" / "said": unnamed people the text has just introduced."""

    @pytest.mark.parametrize(
        ("text", "mention", "content"),
        [
            ("Farmers met in the hall. Some say the new levy will ruin them.", "Some", "the new levy will ruin them"),
            ("Teachers were polled. Several said they would strike in May.", "Several", "they would strike in May"),
            ("The residents were angry, and many said the road should close.", "many", "the road should close"),
            ("Both said the talks had gone well.", "Both", "the talks had gone well"),
        ],
    )
    def test_a_bare_quantifier_says(self, text: str, mention: str, content: str) -> None:
        q = only(text)
        assert (q.mention, q.text, q.speaker) == (mention, content, None)

    def test_a_singular_verb_after_a_quantifier_is_no_attribution(self) -> None:
        assert run("Some says nothing about the weather.")[0] == []

    def test_a_quantifier_after_and_starts_a_statement_of_its_own(self) -> None:
        quotes = run("Most said the plan was bad, and some said it was worse.")[0]
        assert [(q.mention, q.text) for q in quotes] == [("Most", "the plan was bad"), ("some", "it was worse")]


class TestNoContent:
    """A cue followed by an amount reports nothing; "said so" reports only "so"."""

    def test_said_little_is_no_statement(self) -> None:
        quotes = run("Dana Roe came to the lunch and said little, according to an attendee.")[0]
        assert all(not q.text.startswith("little") for q in quotes)

    def test_said_nothing_is_no_statement(self) -> None:
        quotes = run("Asked about the budget, Tom Hale said nothing.")[0]
        assert quotes == []

    def test_said_so_leaves_the_time_out(self) -> None:
        quotes = run("Six in ten call him honest, after half said so in the earlier poll.")[0]
        assert all("earlier poll" not in q.text for q in quotes)

    def test_a_relative_clause_with_said_is_kept(self) -> None:
        q = only("The council passed a rule which Mayor Ann Hill said was long overdue.")
        assert q.text.endswith("was long overdue")


class TestAccordingToSources:
    def test_a_rule_word_inside_the_source_is_no_rule(self) -> None:
        q = only("According to law enforcement officials, the car was rented in Leeds.")
        assert (q.mention, q.text) == ("law enforcement officials", "the car was rented in Leeds")

    def test_a_rule_is_still_no_source(self) -> None:
        assert run("According to the ministerial code, ministers must resign.")[0] == []

    def test_a_statement_opening_like_a_description(self) -> None:
        q = only("According to critic Nora Vale, one striking feature of the film is its silence.")
        assert q.text == "one striking feature of the film is its silence"

    def test_a_long_source_opening_the_sentence(self) -> None:
        q = only(
            "According to early results of exit polls conducted for the Daily Ledger and two radio networks by "
            "Marlow Research, most voters were angry."
        )
        assert q.text == "most voters were angry"

    def test_according_to_after_a_colon_opens_a_clause(self) -> None:
        q = only("The shift is plain: according to recent polls, the mayor holds only 14 percent of the vote.")
        assert (q.mention, q.text) == ("recent polls", "the mayor holds only 14 percent of the vote")


class TestUnnamedGroups:
    def test_others_is_no_name(self) -> None:
        quotes = run("Critics said the plan was bad. Others say it is fine.")[0]
        assert [(q.mention, q.speaker) for q in quotes] == [("Critics", None), ("Others", None)]
