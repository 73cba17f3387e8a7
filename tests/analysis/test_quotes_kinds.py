"""What an attribution reports (a statement, or a thought, a topic, a poll's share, a record that only an
evaluation asks for) and where a reported statement ends. Texts written here."""

from __future__ import annotations

import pytest

from analysis.quotes import extract_quotes
from analysis.sentences import split_sentences
from analysis.types import Person, Quote


def run(text: str, every: bool = False) -> tuple[list[Quote], list[Person]]:
    return extract_quotes(text, split_sentences(text, "en"), "en", every_attribution=every)


def only(text: str) -> Quote:
    quotes = run(text)[0]
    assert len(quotes) == 1, quotes
    return quotes[0]


class TestKinds:
    @pytest.mark.parametrize(
        ("text", "kind", "content"),
        [
            ("Councillor Hanna Voss believes the ferry will be cancelled.", "thought", "the ferry will be cancelled"),
            ("Mr. Okafor outlined his plan for the harbour.", "topic", "his plan for the harbour"),
            ("Nearly half said they prefer a mayor with experience.", "poll", "they prefer a mayor with experience"),
            ("Six in 10 say the ferry is too expensive.", "poll", "the ferry is too expensive"),
            ("A full 72 percent of Democrats say they would back the levy.", "poll", "they would back the levy"),
        ],
    )
    def test_found_with_its_kind_only_when_asked(self, text: str, kind: str, content: str) -> None:
        assert run(text)[0] == []  # never shown as a quote
        quotes, _ = run(text, every=True)
        assert [(q.kind, q.text) for q in quotes] == [(kind, content)]

    def test_a_poll_share_names_no_speaker(self) -> None:
        # "Nearly" and "Twenty-four" were read as people's names
        quotes, people = run("Twenty-four percent said they were more likely to vote for him.", every=True)
        assert [(q.kind, q.speaker) for q in quotes] == [("poll", None)]
        assert people == []

    @pytest.mark.parametrize(
        "text",
        [
            "The harbour is losing money, and 55 percent of all voters say the ferry should close.",
            "The council faces an electorate in which 61 percent of voters say the levy is unfair.",
            "By the time the vote closed, as many as 40 percent of members said they would leave.",
        ],
    )
    def test_a_poll_share_after_a_clause_edge(self, text: str) -> None:
        quotes, _ = run(text, every=True)
        assert [q.kind for q in quotes] == ["poll"]

    def test_two_shares_are_two_answers(self) -> None:
        text = (
            "Three-quarters of the voters said they were worried, and more than 4 in 10 said the mayor would be best."
        )
        quotes, _ = run(text, every=True)
        assert [q.text for q in quotes] == ["they were worried", "the mayor would be best"]

    def test_a_share_that_is_no_poll_stays_a_statement(self) -> None:
        q = only("He gave half of his savings to the shelter, officials said.")
        assert q.kind == "statement" and q.text == "He gave half of his savings to the shelter"

    def test_a_statement_is_never_displaced_by_another_kind(self) -> None:
        text = "Mayor Lena Brandt said the ferry will run all winter."
        assert run(text, every=True)[0] == run(text)[0]
        assert run(text)[0][0].kind == "statement"


class TestWhereTheStatementEnds:
    def test_a_participle_after_a_quotation_closed_with_its_comma(self) -> None:
        q = only("Brandt said the works \u201cshould be finished by spring,\u201d referring to the new pier.")
        assert q.text == "the works \u201cshould be finished by spring,\u201d"

    def test_a_second_attribution_by_according_to(self) -> None:
        quotes, _ = run("Most residents said the tax is unfair, according to a survey by the Harbour Trust.")
        said = [q for q in quotes if q.cue == "said"]
        assert [q.text for q in said] == ["the tax is unfair"]

    def test_according_to_a_rule_is_nobody_s_attribution(self) -> None:
        q = only("She said the report should have been published, according to the council's code, and demanded more.")
        assert q.cue == "said"
        assert q.text == "the report should have been published, according to the council's code"

    @pytest.mark.parametrize(
        ("text", "content"),
        [
            (
                "He said that he would pray for the winner but did not say it would be Voss.",
                "he would pray for the winner",
            ),
            (
                "Okafor said the pier has \u201ckept us afloat\u201d on radio before claiming that the tax hurts.",
                "the pier has \u201ckept us afloat\u201d on radio",
            ),
        ],
    )
    def test_the_speaker_s_next_act(self, text: str, content: str) -> None:
        said = [q for q in run(text)[0] if q.cue == "said"]
        assert [q.text for q in said] == [content]

    def test_a_summing_up_noun_phrase(self) -> None:
        q = only("Inspector Dahl said the ferry should face no penalty, a recommendation the council adopted.")
        assert q.text == "the ferry should face no penalty"

    def test_a_participle_phrase_inside_the_clause(self) -> None:
        q = only("The Census Bureau says pensioners, numbering 2.1 million, outnumbered students in 2023.")
        assert q.text == "pensioners, numbering 2.1 million, outnumbered students in 2023"

    def test_a_quotation_that_goes_on_past_its_sentence(self) -> None:
        text = 'Mr. Ruiz said the ferry "may have left the harbour. I do not want to judge the crew." Then he left.'
        q = only(text)
        assert q.text == 'the ferry "may have left the harbour. I do not want to judge the crew."'


class TestAttributionForms:
    @pytest.mark.parametrize(
        "text",
        [
            "Okafor told The Kingsport Post and Courier newspaper on Saturday that the pier would reopen.",
            "Okafor told diners at a busy Kingsport, Maine, breakfast spot that the pier would reopen.",
        ],
    )
    def test_an_addressee_of_any_length_before_that(self, text: str) -> None:
        q = only(text)
        assert q.speaker == "Okafor" and q.text == "the pier would reopen"

    @pytest.mark.parametrize(
        "text",
        [
            "Okafor however said the pier would reopen.",
            "Okafor said, however, that the pier would reopen.",
            "Okafor said, among other things, that the pier would reopen.",
        ],
    )
    def test_an_aside_between_source_cue_and_clause(self, text: str) -> None:
        q = only(text)
        assert q.speaker == "Okafor" and q.text == "the pier would reopen"

    def test_then_says_goes_on_from_the_verb_before(self) -> None:
        q = only("Okafor offered the fisherman a job, then says he will welcome advice.")
        assert q.speaker == "Okafor" and q.text == "he will welcome advice"

    @pytest.mark.parametrize(
        ("text", "mention"),
        [
            (
                "A person familiar with the plans for the pier says the works will start in May.",
                "A person familiar with the plans for the pier",
            ),
            (
                "The deputy head of Norway\u2019s delegation to the summit said the quotas should fall.",
                "The deputy head of Norway\u2019s delegation to the summit",
            ),
            (
                "Neighbours of the mayor who have seen the plans say that the pier is too small.",
                "Neighbours of the mayor who have seen the plans",
            ),
        ],
    )
    def test_the_whole_subject_before_a_plain_said(self, text: str, mention: str) -> None:
        quotes, _ = run(text)
        assert [q.mention for q in quotes] == [mention]

    def test_an_inverted_attribution_keeps_its_own_source(self) -> None:
        q = only("The tone of the campaign, said Mr Okafor, would be calmer than before.")
        assert q.speaker == "Okafor"

    def test_an_addressee_alone_is_no_statement(self) -> None:
        assert run("Okafor told union workers in Kingsport.")[0] == []
