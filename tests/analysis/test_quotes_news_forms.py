"""English news forms the quote engine must read: how British political reporting names its sources and
cuts its statements. Every text is written here."""

from __future__ import annotations

from analysis.quotes import extract_quotes
from analysis.sentences import split_sentences
from analysis.types import Quote


def quotes_of(text: str) -> list[Quote]:
    return extract_quotes(text, split_sentences(text, "en"), "en")[0]


def holding(quotes: list[Quote], words: str) -> list[Quote]:
    return [q for q in quotes if words.lower() in q.text.lower()]


class TestSourcePhrases:
    def test_a_group_opened_by_a_quantifier_is_a_source(self) -> None:
        quotes = quotes_of("Other parties have accused the Greens of making promises they cannot keep.")
        assert [q.text for q in quotes] == ["the Greens of making promises they cannot keep"]
        assert quotes[0].speaker is None

    def test_two_descriptions_after_a_name_keep_the_name(self) -> None:
        (q,) = quotes_of("Alan Porter, 61, MP for Hexley in Kent, said he was tired of the party's leadership.")
        assert q.text == "he was tired of the party's leadership"
        assert q.speaker == "Alan Porter"

    def test_words_describing_a_role_after_the_cue_belong_to_the_source(self) -> None:
        (q,) = quotes_of(
            "Yet both sides want to avoid a strike before the summer, said BBC health affairs correspondent Mary Dunne."
        )
        assert q.text == "both sides want to avoid a strike before the summer"
        assert q.speaker == "Mary Dunne"

    def test_our_correspondent_is_the_correspondent_the_article_named(self) -> None:
        text = (
            "Both sides want to avoid a strike, said BBC correspondent Mary Dunne. That would leave months for "
            "talks, said our correspondent. Privately the unions expect a deal, our correspondent added."
        )
        quotes = quotes_of(text)
        assert [q.speaker for q in holding(quotes, "months for talks")] == ["Mary Dunne"]
        assert [q.speaker for q in holding(quotes, "expect a deal")] == ["Mary Dunne"]


class TestSpeakers:
    def test_he_after_a_question_about_someone_else_is_the_one_asked(self) -> None:
        text = (
            "On the radio, Mr Harding was asked why Mr Cole had been allowed to leave. "
            'He replied: "Mr Cole decided it was time to go."'
        )
        (q,) = quotes_of(text)
        assert q.speaker == "Harding"

    def test_a_later_main_subject_still_wins(self) -> None:
        text = (
            "Mr Cole led the campaign last year but Mr Harding is leading it now. "
            "It will be a quieter campaign, he said."
        )
        assert [q.speaker for q in quotes_of(text)] == ["Harding"]

    def test_a_bodys_spokeswoman_is_an_unnamed_person_not_the_body(self) -> None:
        (q,) = quotes_of("A Department for Rural Affairs spokeswoman confirmed Mr Cole was still in post.")
        assert q.speaker is None
        assert q.speaker_kind == "person"

    def test_he_after_an_unnamed_spokesman_is_that_spokesman(self) -> None:
        text = (
            "Mr Harding praised the plan on Monday. A spokesman for Mr Harding said the plan was sound. "
            "He added that it was not surprising the rebels had left."
        )
        quotes = quotes_of(text)
        assert [q.speaker for q in holding(quotes, "not surprising")] == [None]

    def test_he_after_the_person_is_named_again_is_that_person(self) -> None:
        text = (
            "A spokesman for the party said the plan was sound. Mr Harding later spoke to reporters. "
            "He said that it was not surprising the rebels had left."
        )
        quotes = quotes_of(text)
        assert [q.speaker for q in holding(quotes, "not surprising")] == ["Harding"]

    def test_he_after_a_quote_is_the_speaker_not_a_subject_inside_what_was_said(self) -> None:
        text = (
            'Tory MP Nigel Barker said he was "amazed" Mr Cole was still in his job. '
            '"We were led to believe he was going shortly," he said.'
        )
        quotes = quotes_of(text)
        assert [q.speaker for q in holding(quotes, "led to believe")] == ["Nigel Barker"]

    def test_a_speaker_with_an_apposition_stays_the_speaker(self) -> None:
        text = (
            "Sir Archy Lomond, who chairs the committee, said that when Mr Harding had announced the move he "
            "got the impression Mr Cole was retiring. He added that the committee would say nothing further."
        )
        quotes = quotes_of(text)
        assert [q.speaker for q in holding(quotes, "nothing further")] == ["Archy Lomond"]

    def test_a_party_and_a_described_office_before_a_name_are_no_person(self) -> None:
        text = (
            "Green home affairs spokesman Sir Roland Pike said the statement did not clear up the issues. "
            '"If the advice was sound, why was it hidden?" he said.'
        )
        quotes = quotes_of(text)
        assert [q.speaker for q in quotes] == ["Roland Pike", "Roland Pike"]

    def test_a_group_noun_opening_a_sentence_is_no_speakers_name(self) -> None:
        quotes = quotes_of("Officials now say he did not resign. Critics argue the plan is weak.")
        assert [(q.speaker, q.speaker_kind) for q in quotes] == [(None, "person"), (None, "person")]


class TestBodies:
    def test_the_party_is_the_party_named_before(self) -> None:
        text = (
            "The Greens want to scrap the property tax altogether. "
            "The party says it would aim for a bigger personal allowance."
        )
        quotes = quotes_of(text)
        assert [q.speaker for q in holding(quotes, "bigger personal allowance")] == ["Greens"]
        assert [q.speaker_kind for q in holding(quotes, "bigger personal allowance")] == ["organization"]

    def test_the_newspaper_is_the_paper_named_before(self) -> None:
        text = (
            "The Evening Herald was sued by Mr Cole after it printed the claims. "
            "The newspaper said it was in the public interest to publish them."
        )
        quotes = quotes_of(text)
        assert [q.speaker for q in holding(quotes, "public interest")] == ["Evening Herald"]

    def test_the_association_is_the_body_of_that_name(self) -> None:
        text = (
            "The Seaside Hotels Association was unhappy with the decision. "
            "The association said the town had lost out again."
        )
        quotes = quotes_of(text)
        assert [q.speaker for q in holding(quotes, "lost out")] == ["Seaside Hotels Association"]

    def test_the_party_with_no_party_named_is_unnamed(self) -> None:
        quotes = quotes_of("The council met on Monday. The party says it would cut the rates.")
        assert [q.speaker for q in holding(quotes, "cut the rates")] == [None]


class TestBoundaries:
    def test_a_clause_after_deny_needs_no_that(self) -> None:
        (q,) = quotes_of('Campaign chief Alan Porter denied the party was trying to "hide" its leader.')
        assert q.text == 'the party was trying to "hide" its leader'
        assert q.speaker == "Alan Porter"

    def test_a_clause_after_reveal_needs_no_that(self) -> None:
        (q,) = quotes_of("The Speaker revealed some MPs had been using their phones during debates.")
        assert q.text == "some MPs had been using their phones during debates"

    def test_deny_with_only_an_object_is_no_statement(self) -> None:
        assert quotes_of("Mr Porter denied the charges in court on Monday.") == []

    def test_a_second_source_with_its_own_verb_ends_the_statement(self) -> None:
        quotes = quotes_of(
            'The Audit Office found the whole system was "deeply flawed" and all three of the main parties have '
            "said the system has to change."
        )
        assert [q.text for q in holding(quotes, "deeply flawed")] == ['the whole system was "deeply flawed"']

    def test_made_it_clear_needs_no_that(self) -> None:
        (q,) = quotes_of("Mr Porter made it clear he was determined to counter that accusation.")
        assert q.text == "he was determined to counter that accusation"

    def test_made_the_point_with_no_clause_says_nothing(self) -> None:
        assert quotes_of("Mr Porter made the point again on Monday.") == []

    def test_an_object_shown_with_a_relative_clause_is_no_clause(self) -> None:
        assert quotes_of("It showed Mr Cole and Mr Lee - who are both farmers - as flying pigs.") == []


class TestUnclosedAppositions:
    def test_a_relative_clause_missing_its_closing_comma_keeps_the_named_speaker(self) -> None:
        (q,) = quotes_of(
            "Mr Dalton, who on Thursday won damages from the Evening Herald said he would stand in Hexley."
        )
        assert q.speaker == "Dalton"
        assert q.text == "he would stand in Hexley"

    def test_an_apposition_missing_its_closing_comma_keeps_the_named_speaker(self) -> None:
        (q,) = quotes_of("Ann Marsh, a parliamentary candidate said Mr Lee had shown he could rouse the party.")
        assert q.speaker == "Ann Marsh"

    def test_a_relative_clause_with_its_own_subject_keeps_that_subject(self) -> None:
        quotes = quotes_of('He dropped the posters of Mr Cole, which critics claimed were "cruel".')
        assert [q.speaker for q in quotes if q.speaker] == []


class TestAddressees:
    def test_an_addressee_no_lexicon_knows_before_to(self) -> None:
        (q,) = quotes_of("Mr Cook urged politicians to avoid negative campaigning.")
        assert q.text == "politicians to avoid negative campaigning"
        assert q.speaker == "Cook"

    def test_an_addressee_no_lexicon_knows_before_of(self) -> None:
        (q,) = quotes_of("Sir Bill Moss accused both the big parties of engaging in a bidding war.")
        assert q.text == "both the big parties of engaging in a bidding war"

    def test_told_with_only_an_addressee_says_nothing(self) -> None:
        assert quotes_of("Mr Cook told reporters on Monday.") == []

    def test_a_thing_that_encourages_is_no_speaker(self) -> None:
        assert quotes_of("The mild winter encouraged growers to plant early this year.") == []

    def test_a_long_description_before_a_name_keeps_her_the_subject(self) -> None:
        text = (
            "Sarah Teale spoke first. Labour's deputy minister for women Jacqui Lamb accused the Greens of "
            'false promises. She said: "These proposals would cost far too much."'
        )
        quotes = quotes_of(text)
        assert [q.speaker for q in holding(quotes, "cost far too much")] == ["Jacqui Lamb"]

    def test_a_name_inside_talks_with_is_no_subject(self) -> None:
        text = (
            "Five unions will hold talks with Deputy Prime Minister John Prest on Friday. "
            'PCS leader Mark Serr warned that there could be walkouts. "It is ironic," he said.'
        )
        quotes = quotes_of(text)
        assert [q.speaker for q in holding(quotes, "ironic")] == ["Mark Serr"]

    def test_a_role_named_in_the_apposition_after_it_is_that_person(self) -> None:
        text = (
            "Mr Kilroy, the party leader, left on Monday. The Green Party's leader, Roger Knap, has said he is glad "
            'to see him go. "He has a remarkable ability to influence people," he said.'
        )
        quotes = quotes_of(text)
        assert [q.speaker for q in quotes] == ["Roger Knap", "Roger Knap"]


class TestAuthorsAndAffiliations:
    def test_a_persons_statement_is_that_persons(self) -> None:
        text = 'Mr Crossley denied it. Mr Crossley\'s statement said: "The party has been making an impact."'
        quotes = quotes_of(text)
        assert [q.speaker for q in holding(quotes, "making an impact")] == ["Crossley"]

    def test_an_organisation_after_a_name_is_where_the_person_works(self) -> None:
        (q,) = quotes_of('Colin Ashby, Seaside Hotels Association said: "We have tried very hard."')
        assert q.speaker == "Colin Ashby"

    def test_a_dash_and_but_hand_back_to_the_reporter(self) -> None:
        (q,) = quotes_of(
            'Mr Lee has told supporters he is "back" and hungry for the job - but does that sum up the mood?'
        )
        assert q.text == 'he is "back" and hungry for the job'

    def test_a_subordinate_clause_after_accused_of_is_the_reporters(self) -> None:
        (q,) = quotes_of(
            'The Greens have accused Mr Lee of being "terrified" of scrutiny after his party unveiled its plans.'
        )
        assert q.text == 'Mr Lee of being "terrified" of scrutiny'


class TestRecordsSpeakForNobody:
    def test_a_survey_or_the_documents_make_no_statement(self) -> None:
        text = (
            "A survey for the charity suggests 60% of pensioners always vote. Research undertaken for the "
            "Electoral Commission suggests most students feel strongly about rents. According to the documents "
            "released at the archive, the first meeting went well. Documents show that the minister considered "
            "resigning."
        )
        assert quotes_of(text) == []

    def test_a_body_that_finds_something_still_speaks(self) -> None:
        (q,) = quotes_of("The Audit Commission found that the survey had wasted millions.")
        assert q.text == "the survey had wasted millions"
        assert q.speaker == "Audit Commission"


class TestAnnouncedThings:
    def test_announcing_a_thing_is_a_topic_not_a_statement(self) -> None:
        text = (
            "Mr Hale recently announced party consultation on new shortlists. Ms Reed announced her plans a "
            "day after launching her new party. Labour has already announced plans to help first-time buyers."
        )
        assert quotes_of(text) == []

    def test_announcing_a_clause_is_a_statement(self) -> None:
        (q,) = quotes_of("The party has confirmed Sam Hale will return to lead its campaign.")
        assert q.text == "Sam Hale will return to lead its campaign"

    def test_a_prediction_whose_subject_is_coordinated_is_a_clause(self) -> None:
        (q,) = quotes_of("Ms Reed predicted worries over rents and other local issues would decide the vote.")
        assert q.text == "worries over rents and other local issues would decide the vote"


class TestOfficesForNamedPeople:
    def test_an_office_opening_the_lede_is_the_headlines_subject(self) -> None:
        text = (
            "The attorney general has denied his letter to the party was written by officials. Lord Marlowe "
            "told peers the words were his own."
        )
        quotes, _ = extract_quotes(text, split_sentences(text, "en"), "en", title="Marlowe denies letter claim")
        (q,) = holding(quotes, "letter to the party")
        assert q.speaker is not None and q.speaker.endswith("Marlowe")

    def test_an_office_opening_the_next_sentence_is_the_last_subject(self) -> None:
        text = (
            "Voters will punish the government over the war, Helen Marlowe has said. The Green leader "
            "predicted concerns over rents would decide many seats."
        )
        quotes = quotes_of(text)
        assert [q.speaker for q in holding(quotes, "concerns over rents")] == ["Helen Marlowe"]

    def test_an_office_another_person_holds_is_not_the_last_subject(self) -> None:
        text = (
            "Green leader Tom Ash spoke first. Voters will punish the government, Helen Marlowe has said. "
            "The Green leader predicted concerns over rents would decide many seats."
        )
        quotes = quotes_of(text)
        assert [q.speaker for q in holding(quotes, "concerns over rents")] == ["Tom Ash"]


class TestPhrasesBeforeTheClause:
    def test_a_time_or_place_phrase_between_cue_and_clause(self) -> None:
        quotes = quotes_of(
            "The Greens said in November they would freeze rail fares. The Liberals say in the northern "
            "cities, the race is between them and Labour."
        )
        assert [q.text for q in quotes] == [
            "they would freeze rail fares",
            "the race is between them and Labour",
        ]

    def test_a_phrase_with_a_verb_of_its_own_is_no_adverbial(self) -> None:
        quotes = quotes_of(
            'Minister Jo Hart accused the Greens of offering "false promises" to women and said their sums '
            "did not add up."
        )
        assert [q.text for q in quotes] == [
            'the Greens of offering "false promises" to women',
            "their sums did not add up",
        ]


class TestPartiesSpeakInThePlural:
    def test_labour_say(self) -> None:
        (q,) = quotes_of("Labour say a vote for the Greens could let the Tories in.")
        assert q.text == "a vote for the Greens could let the Tories in"
        assert q.speaker == "Labour"

    def test_a_second_party_after_while_has_its_own_statement(self) -> None:
        quotes = quotes_of(
            "Labour say a Green vote could let the Tories in, while the Tories say it would mean tax rises."
        )
        assert [(q.text, q.speaker) for q in quotes] == [
            ("a Green vote could let the Tories in", "Labour"),
            ("it would mean tax rises", "Tories"),
        ]

    def test_while_inside_what_was_said_stays_in_it(self) -> None:
        (q,) = quotes_of(
            "The Liberals say the race is with Labour in the north, while in the south it is with the Tories."
        )
        assert q.text == "the race is with Labour in the north, while in the south it is with the Tories"


class TestThePartyItNamed:
    def test_a_party_named_in_passing_is_the_party(self) -> None:
        (q,) = quotes_of("Sam Hale will return to strengthen Labour's election campaign, the party has confirmed.")
        assert q.speaker == "Labour"

    def test_the_only_party_named_is_the_party_however_far_back(self) -> None:
        text = (
            "The Labour Party will hold its autumn conference in Leeds. The decision was taken on Monday. "
            "The city last hosted it in 1950. Hotels expect a busy week. Traders welcomed the news. Blackpool "
            "will host the spring event. In 1998 the party said it would not return to Blackpool."
        )
        (q,) = quotes_of(text)
        assert q.text == "it would not return to Blackpool"
        assert q.speaker is not None and q.speaker.startswith("Labour")


class TestPartiesAreNeverHeOrShe:
    def test_a_pronoun_after_a_party_finds_the_person(self) -> None:
        text = (
            "On Monday Mr Johnson was asked why the chief had gone. His exit was raised by both Tory and Lib "
            'Dem leaders during questions. He replied: "The chief executive decided it was time to move on."'
        )
        quotes = quotes_of(text)
        assert [q.speaker for q in holding(quotes, "time to move on")] == ["Johnson"]


class TestPromisesAndLongDescriptions:
    def test_a_promised_thing_is_the_promise(self) -> None:
        (q,) = quotes_of("The Greens promised a cut in council tax.")
        assert q.text == "a cut in council tax"

    def test_a_promise_to_an_addressee_keeps_its_clause(self) -> None:
        (q,) = quotes_of("Ms Reed promised voters that the toll would go.")
        assert q.text == "the toll would go"

    def test_a_name_then_an_office_and_a_which_clause(self) -> None:
        (q,) = quotes_of(
            "Mary Oduya, head of the Riverside Tenants Union, which represents 4,000 families, said the rent "
            "rise would force people out."
        )
        assert q.text == "the rent rise would force people out"
        assert q.speaker == "Mary Oduya"


class TestParticipleBeforeAQuotation:
    def test_saying_colon_ends_the_reported_clause_and_opens_a_quotation(self) -> None:
        quotes = quotes_of(
            'Mr Blair insisted there was no plan for an invasion of the country saying: "Sometimes people say '
            'things they do not mean."'
        )
        assert [(q.text, q.speaker, q.direct) for q in quotes] == [
            ("there was no plan for an invasion of the country", "Blair", False),
            ("Sometimes people say things they do not mean.", "Blair", True),
        ]


class TestPartyClaims:
    def test_a_party_word_before_claims_is_the_source(self) -> None:
        (q,) = quotes_of("Mr Hale has defended the posters amid Tory claims the ads were cruel.")
        assert (q.text, q.speaker) == ("the ads were cruel", "Tory")

    def test_a_quotation_after_brushing_off_a_claim_is_the_subjects(self) -> None:
        text = (
            "Ms Reed spoke in Leeds. But she brushed off Labour suggestions a vote for her party would let the "
            'Tories in. "We have beaten the Conservatives in seats like this before and we will do it again."'
        )
        quotes = quotes_of(text)
        assert [(q.speaker, q.direct) for q in holding(quotes, "beaten the Conservatives")] == [("Reed", True)]
        assert [q.speaker for q in holding(quotes, "let the Tories in")] == ["Labour"]


class TestPointingTo:
    def test_pointing_to_a_thing_is_a_topic(self) -> None:
        assert quotes_of("Mr Willetts pointed to Tory plans to raise the basic state pension.") == []

    def test_pointing_to_how_or_the_fact_that_carries_a_clause(self) -> None:
        quotes = quotes_of(
            "Mr Howard pointed to how Mr Blair had complained about abusive campaigns. Ms Reed points to "
            "the fact that 40% of the party's candidates are women."
        )
        assert [q.speaker for q in quotes] == ["Howard", "Reed"]


class TestQuotedWordsInAPromise:
    def test_a_promise_whose_words_open_with_a_quotation_mark(self) -> None:
        (q,) = quotes_of('Ms Reed has pledged to "never, ever" raise the toll on the old bridge.')
        assert q.text == 'to "never, ever" raise the toll on the old bridge'
        assert q.speaker == "Reed"


class TestSubjectAfterAnOpeningParticiple:
    def test_the_name_after_an_asked_phrase_is_the_next_hes(self) -> None:
        text = (
            "Tory MP Tom Ash said he was amazed the chief was still in his job. Asked on Thursday about Mr "
            "Smith's position Mr Johnson told the BBC it was a non-story. He added that he had been open "
            "about the departure."
        )
        quotes = quotes_of(text)
        assert [q.speaker for q in holding(quotes, "he had been open")] == ["Johnson"]


class TestLongDescriptions:
    """A source named with a description that runs over several commas, dashes or a quotation."""

    def test_a_relative_clause_and_an_apposition_after_the_name(self) -> None:
        (q,) = quotes_of(
            "Ms. Harlan, who helped found Greenway, a river charity based in Leeds, said she would not stand "
            "for the council."
        )
        assert q.text == "she would not stand for the council"
        assert q.speaker == "Harlan"

    def test_a_description_holding_a_relative_clause(self) -> None:
        (q,) = quotes_of(
            "Peter Okafor, an official at the Northfield Housing Trust, which has a backlog of 300 homes to "
            "repair, said the new rule would force him to cut his crews."
        )
        assert q.text == "the new rule would force him to cut his crews"
        assert q.speaker == "Peter Okafor"

    def test_a_description_ending_in_a_quoted_title(self) -> None:
        (q,) = quotes_of(
            'Dan Mercer, host of the radio show "Morning Round," suggested the mayor\'s silence could cost him '
            "the election."
        )
        assert q.text == "the mayor's silence could cost him the election"
        assert q.speaker == "Dan Mercer"

    def test_a_description_after_a_name_and_its_place(self) -> None:
        (q,) = quotes_of("Rep. Alan Tuck of Ohio, an ally of the leadership, said Thursday the vote would be close.")
        assert q.text == "the vote would be close"
        assert q.speaker == "Alan Tuck"

    def test_a_name_and_its_place_alone(self) -> None:
        (q,) = quotes_of("Senator Joan Rhee of Texas said the chamber would vote on Monday.")
        assert q.speaker == "Joan Rhee"
        assert q.mention.startswith("Senator Joan Rhee")

    def test_a_dash_pair_holding_an_earlier_statement(self) -> None:
        quotes = quotes_of(
            'Candidate Mark Ellis - who once said he would "tear the whole thing down" - said at a rally on '
            "Saturday that the state should close its prisons."
        )
        assert [q.text for q in holding(quotes, "close its prisons")] == ["the state should close its prisons"]
        assert [q.speaker for q in holding(quotes, "close its prisons")] == ["Mark Ellis"]

    def test_a_quote_before_a_name_with_two_descriptions(self) -> None:
        quotes = quotes_of(
            "The plan is the main tool. \"It's an invasion of the state's domain,\" Carl Pruett, the attorney "
            "general of Kansas, one of the states suing the agency, said at an event this month."
        )
        (q,) = holding(quotes, "invasion")
        assert q.speaker == "Carl Pruett"
        assert q.text == "It's an invasion of the state's domain"

    def test_a_relative_clause_ends_where_the_main_verb_comes(self) -> None:
        quotes = quotes_of(
            "Mr. Sands, who endorsed Kerr in May and said he would campaign with him, ultimately did not "
            "appear at the rally."
        )
        assert [q.text for q in holding(quotes, "campaign with him")] == ["he would campaign with him"]

    def test_a_relative_clause_ends_at_the_main_speech_verb(self) -> None:
        quotes = quotes_of(
            "Mr. Dale, who has told aides he sees the two issues as one, said in a statement that he would "
            "act within days."
        )
        assert [q.text for q in holding(quotes, "as one")] == ["he sees the two issues as one"]
        assert [q.text for q in holding(quotes, "within days")] == ["he would act within days"]


class TestSpeakerOfASecondVerb:
    """A participle or a second verb speaks for the sentence's subject, not for a subject inside its words."""

    def test_a_participle_after_a_reported_statement(self) -> None:
        quotes = quotes_of(
            "Mr Dorrin said he saw no need to change his campaign, telling reporters that the voters were with him."
        )
        (q,) = holding(quotes, "voters were with him")
        assert q.speaker == "Dorrin"
        assert q.mention == "Mr Dorrin"

    def test_a_second_verb_after_a_subordinate_clause(self) -> None:
        (q,) = quotes_of(
            "Ms Hale was quick to welcome the deal after she won the vote and said that the party would be stronger."
        )
        assert q.text == "the party would be stronger"
        assert q.mention == "Ms Hale"


class TestTrailingAttributions:
    """A quotation and then its attribution, in the forms news wires write."""

    def test_a_space_before_the_closing_mark(self) -> None:
        (q,) = quotes_of('"The judge should be ashamed of himself. It is a disgrace, " Mr Tarrant said.')
        assert q.text == "The judge should be ashamed of himself. It is a disgrace"
        assert q.speaker == "Tarrant"

    def test_a_possessive_role_after_the_verb(self) -> None:
        (q,) = quotes_of('"We will keep chipping away at the lead," added his campaign manager Joe Weller.')
        assert q.text == "We will keep chipping away at the lead"
        assert q.speaker == "Joe Weller"

    def test_a_description_and_a_comma_before_the_name(self) -> None:
        (q,) = quotes_of('"Life is very hard here," his wife, Dana Lassiter, wrote in a letter to the court.')
        assert q.text == "Life is very hard here"
        assert q.speaker == "Dana Lassiter"


class TestQuestions:
    """An asked question is what was said; its "whether", "if" or question word stays, so it reads as one."""

    def test_asked_whether(self) -> None:
        (q,) = quotes_of("Ms Wood asked whether the council had considered the cost of the bridge.")
        assert q.text == "whether the council had considered the cost of the bridge"
        assert q.speaker == "Wood"

    def test_asked_someone_if(self) -> None:
        (q,) = quotes_of("Mr Hale asked the minister if the report would be published before the vote.")
        assert q.text == "if the report would be published before the vote"
        assert q.speaker == "Hale"

    def test_asked_someone_why(self) -> None:
        (q,) = quotes_of("Mr Hale asked the minister why the report had been delayed.")
        assert q.text == "why the report had been delayed"

    def test_asked_about_a_topic_is_no_statement(self) -> None:
        assert quotes_of("Mr Hale asked about the report.") == []

    def test_the_reporters_question_before_an_answer_is_not_the_answer(self) -> None:
        quotes = quotes_of("Asked whether he would resign, Mr Hale said he would not.")
        assert [q.text for q in quotes] == ["he would not"]


class TestAccordingTo:
    def test_a_sentence_opened_by_according_to_whose_statement_starts_with_a_role(self) -> None:
        (q,) = quotes_of("According to Mr Hale, the minister will resign on Friday.")
        assert q.text == "the minister will resign on Friday"
        assert q.speaker == "Hale"

    def test_a_description_of_the_source_is_skipped(self) -> None:
        (q,) = quotes_of("According to Jack Kelly, the chairman of the panel, the plan is dead.")
        assert q.text == "the plan is dead"

    def test_the_statement_goes_on_after_a_described_source(self) -> None:
        (q,) = quotes_of("The plan, according to Jack Kelly, the chairman of the panel, is dead.")
        assert q.text == "The plan is dead"
        assert q.speaker == "Jack Kelly"

    def test_a_description_that_goes_on_is_not_the_statement(self) -> None:
        (q,) = quotes_of(
            "Some families would pay more tax, according to the Tax Policy Centre, a research group, whose "
            "figures were backed by others."
        )
        assert q.text == "Some families would pay more tax"


class TestDocumentsFromSomeone:
    def test_a_statement_from_a_body(self) -> None:
        (q,) = quotes_of("A statement from the ministry said the talks would resume in May.")
        assert q.text == "the talks would resume in May"
        assert q.mention == "A statement from the ministry"

    def test_a_letter_from_a_person_is_that_persons(self) -> None:
        (q,) = quotes_of("A letter from Mr Hale said the talks would resume in May.")
        assert q.text == "the talks would resume in May"
        assert q.speaker == "Hale"


class TestNominalInSubjectPosition:
    """ "His claim that …" opening the sentence: the claim ends where the sentence's own verb comes."""

    def test_a_claim_then_a_passive(self) -> None:
        (q,) = quotes_of("Mr Hale's claim that the vote was rigged was rejected by the court.")
        assert q.text == "the vote was rigged"
        assert q.speaker == "Hale"

    def test_a_warning_then_a_perfect(self) -> None:
        (q,) = quotes_of("Mr Hale's warning that taxes would rise has been ignored by the Treasury.")
        assert q.text == "taxes would rise"
        assert q.speaker == "Hale"

    def test_a_relative_clause_inside_the_claim(self) -> None:
        (q,) = quotes_of("Ms Dunn's claim that the plan, which passed last year, will fail was dismissed.")
        assert q.text == "the plan, which passed last year, will fail"

    def test_an_unknown_main_verb_leaves_it_out(self) -> None:
        assert quotes_of("Mr Hale's claim that the vote was rigged drew fire from both parties.") == []

    def test_hes_claiming_is_a_verb(self) -> None:
        text = "Mr Hale spoke on Friday. He's claiming that the vote was rigged."
        assert [q.text for q in quotes_of(text)] == ["the vote was rigged"]


class TestUnnamedSpeakerAfterTheVerb:
    """ "said the designer", "said one woman": an unnamed speaker after the verb is still the quote's source."""

    def test_a_noun_no_lexicon_knows_before_a_comma(self) -> None:
        (q,) = quotes_of('"This is still my family," said the designer, who works for another brand.')
        assert q.text == "This is still my family"
        assert q.mention == "the designer"

    def test_a_noun_before_a_preposition(self) -> None:
        (q,) = quotes_of('"It is hard enough," said a woman in the crowd.')
        assert q.mention == "a woman"

    def test_a_clause_after_the_verb_is_no_source(self) -> None:
        quotes = quotes_of('Mr Hale was blunt. "We lost," said the plan would fail.')
        assert all(q.mention != "the plan" for q in quotes)


class TestNestedQuotations:
    """`"A," he said. "B."` where A holds a quotation of its own: the attribution and the continuation."""

    def test_a_comma_inside_a_nested_single_quote_still_leads_to_the_attribution(self) -> None:
        quotes = quotes_of(
            "Labour MP Tom Harris spoke to reporters.\n\n"
            '"I told them: \'Enough is enough,\'" he said. "And I meant every word of it."'
        )
        assert [(q.speaker, q.text) for q in quotes] == [
            ("Tom Harris", "I told them: 'Enough is enough.' And I meant every word of it.")
        ]

    def test_curly_nested_marks_are_read_alike(self) -> None:
        quotes = quotes_of(
            "Labour MP Tom Harris spoke to reporters.\n\n"
            "“I told them: ‘Enough is enough,’” he said. “And I meant every word of it.”"
        )
        assert [q.speaker for q in holding(quotes, "meant every word")] == ["Tom Harris"]

    def test_a_nested_question_before_the_attribution(self) -> None:
        quotes = quotes_of(
            "Labour MP Tom Harris spoke to reporters.\n\n"
            '"They keep asking me \'Why now?\'" he said. "The answer is simple."'
        )
        assert [q.speaker for q in holding(quotes, "The answer is simple")] == ["Tom Harris"]

    def test_a_nested_question_before_a_new_sentence_is_no_attribution(self) -> None:
        quotes = quotes_of(
            'Labour MP Tom Harris said the budget was "a disgrace".\n\n'
            "\"It makes you ask, 'What are they hiding?'\" The general election is widely expected next spring."
        )
        assert [q.speaker for q in holding(quotes, "What are they hiding")] == ["Tom Harris"]

    def test_a_quotation_in_straight_marks_inside_a_quote_in_straight_marks(self) -> None:
        quotes = quotes_of(
            "Labour MP Tom Harris spoke to reporters.\n\n"
            '"The phrase "value for money" means nothing to them," he said. "We will change that."'
        )
        assert [(q.speaker, q.text) for q in quotes] == [
            ("Tom Harris", 'The phrase "value for money" means nothing to them. We will change that.')
        ]

    def test_apostrophes_inside_the_quote_change_nothing(self) -> None:
        quotes = quotes_of(
            "Labour MP Tom Harris spoke to reporters.\n\n"
            '"It\'s the members\' decision, not mine," he said. "I\'ll respect it."'
        )
        assert [(q.speaker, q.text) for q in quotes] == [
            ("Tom Harris", "It's the members' decision, not mine. I'll respect it.")
        ]


class TestDescriptionsWithAbbreviationsAndNouns:
    """A name, then descriptions set off by commas, then the cue: a state's abbreviation or a word that is
    also a verb ("state", "report") inside them ends nothing."""

    def test_a_place_with_an_abbreviated_state_after_an_age(self) -> None:
        quotes = quotes_of("Dana Whitfield, 34, of Boise, Ida., said she would vote for the first time.")
        assert [(q.speaker, q.text) for q in quotes] == [("Dana Whitfield", "she would vote for the first time")]

    def test_a_description_holding_a_place_with_an_abbreviated_state(self) -> None:
        quotes = quotes_of(
            "Aaron Pell, a Tampa, Fla., pastor helping to run the food bank, said demand had doubled since May."
        )
        assert [(q.speaker, q.text) for q in quotes] == [("Aaron Pell", "demand had doubled since May")]

    def test_a_possessive_office_naming_a_noun_that_is_also_a_verb(self) -> None:
        quotes = quotes_of(
            "Nia Cole, the governor's director of state programs and public outreach, said no county would lose money."
        )
        assert [(q.speaker, q.text) for q in quotes] == [("Nia Cole", "no county would lose money")]
        quotes = quotes_of("Nia Cole, Harper's director of state programs, said no county would lose money.")
        assert [(q.speaker, q.text) for q in quotes] == [("Nia Cole", "no county would lose money")]


class TestOneWordAnswers:
    def test_a_one_word_quote_with_its_attribution_is_what_was_said(self) -> None:
        quotes = quotes_of("The mayor was asked where the summit would be held.\n\n“Leeds,” she answered.")
        assert [(q.speaker, q.text) for q in quotes] == [(None, "Leeds")]
        quotes = quotes_of('Mayor Ann Price was asked if she would stand again. "Never!" Ms Price said.')
        assert [(q.speaker, q.text) for q in quotes] == [("Ann Price", "Never!")]

    def test_a_borrowed_word_in_marks_is_still_no_statement(self) -> None:
        quotes = quotes_of('Mayor Ann Price said the "Leeds" plan was reckless. She said "Leeds," not York.')
        assert [q.text for q in quotes if q.text.strip('"!,') == "Leeds"] == []

    def test_an_exclamation_after_its_verb_is_whole_though_the_sentence_goes_on(self) -> None:
        quotes = quotes_of("Councillor Ray Dunn lost his temper when he shouted “Shame on you!” at the cabinet.")
        assert [(q.speaker, q.text) for q in quotes] == [("Ray Dunn", "Shame on you!")]

    def test_a_short_quote_inside_a_sentence_stays_a_partial_quote(self) -> None:
        quotes = quotes_of("Councillor Ray Dunn lost his temper when he called it “a shameful mess” at the cabinet.")
        assert [q.text for q in quotes if q.direct] == []


class TestCouncillors:
    def test_a_councillor_is_an_office_not_part_of_the_name(self) -> None:
        quotes = quotes_of("Councillor Ray Dunn said the depot would close in June.")
        assert [q.speaker for q in quotes] == ["Ray Dunn"]
        quotes = quotes_of(
            "Councillor Ray Dunn was re-elected in May.\n\nThe councillor said the depot would close in June."
        )
        assert [q.speaker for q in holding(quotes, "depot")] == ["Ray Dunn"]


class TestProgrammeTitles:
    def test_a_programme_in_quotation_marks_before_the_speaker_is_no_quote(self) -> None:
        quotes = quotes_of(
            "Tuesday on Radio Kent's “Evening Review,” Senator Ann Ray said Labour's tax plan is a fraud on voters."
        )
        assert [(q.speaker, q.text, q.direct) for q in quotes] == [
            ("Ann Ray", "Labour's tax plan is a fraud on voters", False)
        ]

    def test_words_in_title_case_that_someone_said_stay_a_quote(self) -> None:
        quotes = quotes_of("Senator Ann Ray arrived late. “Thank You All,” Ms Ray said as she took the stage.")
        assert [(q.speaker, q.direct) for q in holding(quotes, "Thank You All")] == [("Ann Ray", True)]


class TestProgrammesAsAddressees:
    """ "told ABC's "Good Morning America" …": whom it was said to, then what was said."""

    def test_a_programme_owned_by_a_channel_is_skipped_with_the_channel(self) -> None:
        quotes = quotes_of("Ann Ray told Radio Kent's “Morning Call” on Monday the tone of the talks was cordial.")
        assert [(q.speaker, q.text) for q in quotes] == [("Ann Ray", "the tone of the talks was cordial")]
        quotes = quotes_of("Ann Ray told Radio Kent's Breakfast show the tone of the talks was cordial.")
        assert [(q.speaker, q.text) for q in quotes] == [("Ann Ray", "the tone of the talks was cordial")]

    def test_a_clause_after_the_addressee_is_no_object_of_the_cue(self) -> None:
        quotes = quotes_of("Ann Ray told reporters on Monday the tone of the talks was cordial.")
        assert [(q.speaker, q.text) for q in quotes] == [("Ann Ray", "the tone of the talks was cordial")]

    def test_a_programme_named_show_before_a_colon_is_no_speaker(self) -> None:
        quotes = quotes_of(
            "Ann Ray has asked the mayor to apologise.\n\n"
            "Ms Ray told Radio Kent's Morning Call show: \"Let's just apologise and move on.\""
        )
        assert [q.speaker for q in holding(quotes, "move on")] == ["Ann Ray"]

    def test_a_participle_then_where_it_was_written_before_a_colon(self) -> None:
        quotes = quotes_of(
            "On Friday, Ann Ray joined the attack on the council, saying in a post on Twitter: "
            '"The budget is a disaster for the town."'
        )
        assert [q.speaker for q in holding(quotes, "disaster for the town")] == ["Ann Ray"]


class TestOfficeOfSomeoneElse:
    def test_an_office_the_subject_before_spoke_to_is_not_that_subject(self) -> None:
        quotes = quotes_of(
            "Ann Price has called on the mayor to apologise.\n\nThe mayor said the remarks may have been unwise."
        )
        assert [q.speaker for q in holding(quotes, "remarks may have been unwise")] == [None]

    def test_an_office_nobody_else_holds_still_describes_the_subject_before(self) -> None:
        quotes = quotes_of(
            "Ann Price has backed the plan.\n\nBut the Labour leader said the remarks may have been unwise."
        )
        assert [q.speaker for q in holding(quotes, "remarks may have been unwise")] == ["Ann Price"]
