"""Summaries: behaviour of the ranking methods on texts written here."""

from __future__ import annotations

import pytest

from analysis.lang import stop_words
from analysis.sentences import split_sentences
from analysis.summarize import (
    DEFAULT_METHOD,
    METHODS,
    PrecisSummarizer,
    _stemmer,
    document_of,
    rank_sentences,
    summarize,
)
from analysis.types import Sentence
from bench.summarizers import ALL_METHODS, rank

# The second sentence is the one the others all talk about.
ARTICLE = (
    "Officials met in the capital on a rainy morning.\n\n"
    "The government approved a new budget that raises taxes on fuel to pay for schools and hospitals. "
    "Opposition leaders said the budget and its fuel taxes would hurt families. "
    "Teachers welcomed the budget money for schools. "
    "Doctors said hospitals needed the budget money more than ever. "
    "Fuel sellers warned the new taxes would raise prices.\n\n"
    "The weather stayed grey all week."
)


def sentences_of(text: str) -> list[Sentence]:
    return split_sentences(text)


@pytest.mark.parametrize("method", ALL_METHODS)
def test_every_method_ranks_every_sentence(method: str) -> None:
    sentences = sentences_of(ARTICLE)
    order = rank(sentences, "en", title="Budget Approved", method=method)
    assert sorted(order) == [s.index for s in sentences]


@pytest.mark.parametrize("method", [m for m in ALL_METHODS if m not in ("lead", "lsa", "kl", "sumbasic")])
def test_central_sentence_comes_first(method: str) -> None:
    order = rank(sentences_of(ARTICLE), "en", title="Government approves budget", method=method)
    assert order[0] == 1


def test_default_is_not_the_lead() -> None:
    sentences = sentences_of(ARTICLE)
    assert DEFAULT_METHOD != "lead"
    assert rank_sentences(sentences, "en")[:3] != [0, 1, 2]


def test_summarize_returns_n_sentences_in_document_order() -> None:
    summary = summarize(ARTICLE, 3)
    assert len(summary) == 3
    positions = [ARTICLE.index(s) for s in summary]
    assert positions == sorted(positions)
    assert summary[0].startswith("The government approved")


def test_numpy_graph_methods_match_sumy() -> None:
    # Distinct sentences: for exact copies sumy keeps one rating per text, so ties would order by noise.
    extra = " ".join(f"Report {i} said the budget of region {i % 4} changed." for i in range(12))
    sentences = sentences_of(ARTICLE + "\n\n" + extra)
    assert rank(sentences, method="lexrank") == rank(sentences, method="lexrank-np")
    assert rank(sentences, method="textrank") == rank(sentences, method="textrank-np")


def test_redundant_copies_are_not_picked_together() -> None:
    text = (
        "The central bank raised interest rates to fight inflation. "
        "The central bank raised interest rates to fight inflation. "
        "Inflation reached its highest level in a decade, the bank said. "
        "Markets fell after the bank raised rates."
    )
    order = rank_sentences(sentences_of(text))
    assert {0, 1} != set(order[:2])


@pytest.mark.parametrize(
    "text",
    ["", "One sentence only.", "🔥🔥🔥 👍", "Same words here. Same words here. Same words here.", "\n\n\n"],
)
@pytest.mark.parametrize("method", ALL_METHODS)
def test_degenerate_inputs(text: str, method: str) -> None:
    sentences = sentences_of(text)
    order = rank(sentences, "en", method=method)
    assert sorted(order) == [s.index for s in sentences]
    if method in METHODS:
        assert len(summarize(text, 2, method=method)) <= 2


def test_russian_text() -> None:
    text = (
        "Правительство утвердило новый бюджет. Бюджет увеличивает расходы на школы и больницы. "
        "Депутаты оппозиции раскритиковали бюджет. Погода была пасмурной."
    )
    for method in ("precis", "textrank", "edmundson"):
        order = rank_sentences(sentences_of(text), "ru", title="Бюджет утверждён", method=method)
        assert sorted(order) == [0, 1, 2, 3]


def test_a_long_document_is_ranked_whole() -> None:
    # How fast is bench.speed_summary's question; here, that every sentence of a long text gets a rank.
    paragraph = (
        "Parliament debated the {0} bill for hours. Ministers defended the {0} plan. "
        "Critics said the {0} costs were too high.\n\n"
    )
    text = "".join(paragraph.format(f"topic{i % 97}") for i in range(200))
    sentences = sentences_of(text)
    assert len(sentences) == 600
    assert sorted(rank_sentences(sentences)) == list(range(600))


def test_megabyte_text_is_capped() -> None:
    text = "Prices rose in the city again today. Shops blamed the cost of energy.\n\n" * 15000
    summary = summarize(text, 3)
    assert len(summary) == 3


def test_unknown_method() -> None:
    with pytest.raises(ValueError, match="unknown summarisation method"):
        rank_sentences(sentences_of(ARTICLE), method="nope")


def test_the_default_method_is_a_sumy_summarizer() -> None:
    sentences = sentences_of(ARTICLE)
    document = document_of([s.text for s in sentences], [s.paragraph for s in sentences], "en", "Budget Approved")
    summarizer = PrecisSummarizer(_stemmer("en"))
    summarizer.stop_words = ["the", "and", "a", "to", "for", "on", "of", "in", "would"]
    chosen = summarizer(document, 3)  # sumy's call: the best three, in document order
    texts = [str(s) for s in chosen]
    assert len(texts) == 3 and texts == [s.text for s in sentences if s.text in texts]
    assert texts[0].startswith("The government approved")
    assert len(summarizer(document, "50%")) == len(sentences) // 2  # sumy's other ways of saying how many


def test_its_choice_of_n_is_the_first_n_of_the_ranking_the_bot_stores() -> None:
    sentences = sentences_of(ARTICLE)
    document = document_of([s.text for s in sentences], [s.paragraph for s in sentences], "en", "Budget Approved")
    summarizer = PrecisSummarizer(_stemmer("en"))
    summarizer.stop_words = stop_words("en")
    order = summarizer.order(document)
    assert order == rank_sentences(sentences, "en", title="Budget Approved")  # the pipeline runs this summarizer
    for n in range(1, len(sentences) + 1):
        assert [str(s) for s in summarizer(document, n)] == [sentences[i].text for i in sorted(order[:n])]
