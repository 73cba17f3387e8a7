"""The English errors readers found in `/quotes` (issue: who said what, right), each on a text written here
in the shape of the article it came from."""

from __future__ import annotations

from analysis.quotes import extract_quotes
from analysis.sentences import split_sentences
from analysis.types import Person, Quote


def run(text: str) -> tuple[list[Quote], list[Person]]:
    return extract_quotes(text, split_sentences(text, "en"), "en")


def quotes_of(text: str) -> list[Quote]:
    return run(text)[0]


def holding(quotes: list[Quote], words: str) -> list[Quote]:
    return [q for q in quotes if words.lower() in q.text.lower()]


class TestStatementsNotTopics:
    TEXT = (
        "Separately, Putin outlined his interpretation of the collapse of the Soviet Union. He expressed the "
        'opinion that it was the "goodwill" of the USSR that changed the world order. In this context, he '
        "mentioned Ukraine, Kazakhstan, and the Caucasus. Putin also stated that much of Russian society feels "
        '"deceived" by the changes.'
    )

    def test_what_he_talked_about_is_not_listed_as_what_he_said(self) -> None:
        quotes = quotes_of(self.TEXT)
        assert holding(quotes, "his interpretation") == []
        assert holding(quotes, "Kazakhstan") == []

    def test_the_statements_around_them_stay(self) -> None:
        quotes = quotes_of(self.TEXT)
        assert [q.speaker for q in holding(quotes, "goodwill")] == ["Putin"]
        assert [q.speaker for q in holding(quotes, "deceived")] == ["Putin"]

    def test_a_that_clause_after_a_topic_verb_is_a_statement(self) -> None:
        (q,) = quotes_of("Mr Howard mentioned that the party had raised more money than ever.")
        assert q.text == "the party had raised more money than ever"


class TestBoundaries:
    def test_a_relative_clause_inside_the_reported_clause_does_not_cut_it(self) -> None:
        (q,) = quotes_of(
            "Mr Blair said the bill, which has been criticised by civil liberties groups, had the support of most MPs."
        )
        assert q.text == "the bill, which has been criticised by civil liberties groups, had the support of most MPs"

    def test_attribution_words_never_end_up_in_the_content(self) -> None:
        text = (
            "Asked why he thought the warnings were not there Lord Butler said: "
            '"One has got to remember what the purpose of the dossier was."'
        )
        quotes = quotes_of(text)
        assert [q.text for q in quotes] == ["One has got to remember what the purpose of the dossier was."]
        assert quotes[0].speaker == "Lord Butler"  # a peer is shown with his title

    def test_the_people_told_are_not_part_of_what_they_were_told(self) -> None:
        (q,) = quotes_of('Mr Howard told party members the Tories offered a "clear alternative".')
        assert q.text == 'the Tories offered a "clear alternative"'

    def test_a_day_with_a_possessive_is_the_start_of_the_content(self) -> None:
        (q,) = quotes_of("Mr Brown said Thursday's report reinforced stability and opportunity.")
        assert q.text == "Thursday's report reinforced stability and opportunity"


class TestSpeakers:
    def test_a_place_before_a_role_is_not_the_person_with_that_role(self) -> None:
        quotes, people = run(
            "In a speech in Edinburgh, the prime minister said the report reinforced stability and opportunity."
        )
        assert quotes[0].speaker is None
        assert "Edinburgh" not in [p.name for p in people]

    def test_he_is_the_speaker_of_the_sentence_before_not_the_man_he_spoke_about(self) -> None:
        text = (
            "Mr Blair apologised to the families on Wednesday. However, one of the Guildford Four, Gerry Conlon - "
            "who was wrongly convicted - said the families were delighted. He said Mr Blair had spoken with "
            '"such sincerity", adding: "He went beyond what we thought he would."'
        )
        quotes = quotes_of(text)
        assert [q.speaker for q in holding(quotes, "families were delighted")] == ["Gerry Conlon"]
        assert [q.speaker for q in holding(quotes, "went beyond")] == ["Gerry Conlon"]
        assert [q.speaker for q in holding(quotes, "such sincerity")] == ["Gerry Conlon"]

    def test_a_capitalised_common_word_at_a_sentence_start_is_nobody(self) -> None:
        text = (
            'Ms Hewitt said: "Engineering is a male-dominated industry.\n\n'
            '"Construction is even worse. Childcare is seen as a job for women."\n\n'
            "Construction firms said the figures were old. She added that progress had been made."
        )
        quotes, people = run(text)
        assert "Construction" not in [p.name for p in people]
        assert [q.speaker for q in holding(quotes, "progress had been made")] != ["Construction"]

    def test_a_long_quotation_does_not_push_its_speaker_out_of_reach(self) -> None:
        text = (
            "Patricia Hewitt spoke on Monday. "
            'She said: "One. Two is next. Three follows. Four is here. Five is last. Six too." '
            "She added that progress had been made."
        )
        quotes = quotes_of(text)
        assert [q.speaker for q in holding(quotes, "progress had been made")] == ["Patricia Hewitt"]


class TestPartialQuotations:
    def test_a_quoted_end_of_a_clause_is_reported_with_its_beginning(self) -> None:
        (q,) = quotes_of('The timing of the new rules was "too unlikely to have been a coincidence", Mr Beith said.')
        assert q.text == 'The timing of the new rules was "too unlikely to have been a coincidence"'
        assert q.speaker == "Beith"


class TestHeadlines:
    def test_a_signed_headline_is_the_named_persons_statement(self) -> None:
        from analysis.pipeline import analyze

        analysis = analyze(
            "Taxes must be trusted - Kennedy\n\n"
            "Charles Kennedy has set out his party's tax plans. The Lib Dem leader said people would pay more "
            "only if they could see where the money went."
        )
        (q,) = [q for q in analysis.quotes if q.in_title]
        assert q.text == "Taxes must be trusted" and q.speaker == "Charles Kennedy"

    def test_the_prime_minister_is_the_headlines_subject_when_nobody_else_is_given_the_office(self) -> None:
        from analysis.pipeline import analyze

        analysis = analyze(
            "Blair defends his record on schools\n\n"
            "Tony Blair spoke to teachers in Leeds on Monday. In a speech in Leeds, the prime minister said "
            "standards had risen in every region."
        )
        assert [q.speaker for q in analysis.quotes if "standards had risen" in q.text] == ["Tony Blair"]


class TestPartiesAndNames:
    def test_a_party_before_a_name_is_not_part_of_the_name(self) -> None:
        quotes, people = run("Liberal Democrat Sarah Teather said the policy was wrong.")
        assert quotes[0].speaker == "Sarah Teather"
        assert [p.name for p in people] == ["Sarah Teather"]

    def test_a_party_that_speaks_is_an_organisation(self) -> None:
        quotes, people = run("Labour said the policy was right. The Tories said it was wrong.")
        assert {p.name: p.kind for p in people} == {"Labour": "organization", "Tories": "organization"}
        assert all(q.speaker_kind == "organization" for q in quotes)


class TestThoughts:
    def test_what_a_group_believes_is_not_a_statement(self) -> None:
        assert quotes_of("Most Britons believe the pay gap between men and women is natural.") == []

    def test_a_named_persons_belief_is_not_what_he_said(self) -> None:
        assert quotes_of("Tony Blair believes the pay gap between men and women must close.") == []

    def test_a_belief_he_said_he_holds_is_a_statement(self) -> None:
        (q,) = quotes_of("Tony Blair said he believes the pay gap between men and women must close.")
        assert q.speaker == "Tony Blair"
        assert q.text.startswith("he believes the pay gap")


class TestLongQuotations:
    def test_a_quotation_whose_paragraph_breaks_were_lost_is_one_statement(self) -> None:
        text = (
            'Mr Kennedy said: "Budgets have to add up. Tough choices are needed. "That contract with the '
            'people can only be sustained if parties are honest." Mr Fox disagreed.'
        )
        (q,) = quotes_of(text)
        assert q.text.startswith("Budgets have to add up") and q.text.endswith("if parties are honest.")
        assert q.speaker == "Kennedy"

    def test_a_quoted_sentence_right_after_a_reported_statement_is_the_same_speakers(self) -> None:
        text = (
            "Robin Cook said young people were more interested in politics than ever before. "
            '"They are turned off by the way we do politics in Britain. There is a message there."'
        )
        quotes = quotes_of(text)
        assert [q.speaker for q in holding(quotes, "turned off")] == ["Robin Cook"]
        assert [q.direct for q in holding(quotes, "turned off")] == [True]

    def test_that_as_the_subject_of_the_reported_clause_stays_in_it(self) -> None:
        (q,) = quotes_of("Sir Edward said that was impossible because the Labour left was against it.")
        assert q.text == "that was impossible because the Labour left was against it"

    def test_they_after_a_party_that_spoke_is_the_party(self) -> None:
        quotes = quotes_of(
            "Labour says it wants to keep the property tax. They say they are already helping pensioners."
        )
        assert [q.speaker for q in holding(quotes, "already helping")] == ["Labour"]

    def test_they_after_people_are_named_is_nobody_in_particular(self) -> None:
        quotes = quotes_of("Labour says it wants to keep the tax. Officials met Mr Brown. They said talks went well.")
        assert [q.speaker for q in holding(quotes, "talks went well")] == [None]


class TestOfficeWordAsSurname:
    TEXT = (
        'Labour MP Oona King has been challenged by George Galloway. Ms King said she was "delighted" at the '
        'chance to take on Mr Galloway. "I will win," she said. Mr President Obama said the vote was fair.'
    )

    def test_ms_king_keeps_her_speaker(self) -> None:
        quotes = quotes_of(self.TEXT)
        assert [q.speaker for q in holding(quotes, "delighted")] == ["Oona King"]
        assert [q.speaker for q in holding(quotes, "I will win")] == ["Oona King"]

    def test_an_office_before_a_name_stays_an_office(self) -> None:
        assert [q.speaker for q in holding(quotes_of(self.TEXT), "the vote was fair")] == ["Obama"]
