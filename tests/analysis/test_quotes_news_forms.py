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
