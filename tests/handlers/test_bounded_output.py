"""A card is one message and /summary a bounded few, whatever the text: degenerate "sentences" of a megabyte,
titles and quotes without an end (property tests)."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage.quotes import StoredQuote
from storage.repository import ArticleRow, Source
from usecases.summary import SummaryView
from views.render import MESSAGE_LIMIT, plain_text, split_message, visible_length
from views.summary import MAX_SENTENCE_CHARS, SUMMARY_MESSAGES, render_summary

WHEN = datetime(2025, 3, 14, tzinfo=UTC)

DEGENERATE = [
    "a. " * 300000,
    "word " * 180000,
    "x" * 900_000,
]


def article(title: str | None) -> ArticleRow:
    return ArticleRow(
        1, 5, 12, title, Source("channel", "Norvik Daily", "https://t.me/n/1"), WHEN, WHEN, "ready", "en", None
    )


def quote(text: str) -> StoredQuote:
    return StoredQuote(1, 12, None, Source("pasted"), WHEN, text[:40], "person", text[:40], text, True, "said", 1.0)


def view(sentences: list[str], title: str | None = "Title", quote_text: str | None = None) -> SummaryView:
    return SummaryView(article(title), sentences, len(sentences), quote(quote_text) if quote_text else None, 3)


pieces = st.one_of(
    st.sampled_from(DEGENERATE),
    st.text(min_size=0, max_size=3000),
    st.builds(lambda w, n: (w + " ") * n, st.text(min_size=1, max_size=12), st.integers(1, 20000)),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example])
@given(
    sentences=st.lists(pieces, min_size=1, max_size=20),
    title=st.one_of(st.none(), pieces),
    quoted=st.one_of(st.none(), pieces),
)
def test_a_card_is_one_message_whatever_the_text(sentences: list[str], title: str | None, quoted: str | None) -> None:
    html = render_summary(view(sentences, title, quoted), "en")
    assert visible_length(html) <= MESSAGE_LIMIT
    assert len(split_message(html)) <= 1


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example])
@given(sentences=st.lists(pieces, min_size=1, max_size=20))
def test_a_summary_is_a_bounded_few_messages(sentences: list[str]) -> None:
    html = render_summary(view(sentences), "en", limit=SUMMARY_MESSAGES * MESSAGE_LIMIT)
    assert visible_length(html) <= SUMMARY_MESSAGES * MESSAGE_LIMIT
    # Each chunk of a split is at least half full, so the bound on characters bounds the messages.
    assert len(split_message(html)) <= 2 * SUMMARY_MESSAGES


def test_a_sentence_without_end_is_cut_at_a_word_with_an_ellipsis() -> None:
    html = render_summary(view(["word " * 180000, "Second sentence."]), "en")
    body = plain_text(html).splitlines()[3]
    first = body.split("…")[0]
    assert len(first) <= MAX_SENTENCE_CHARS and set(first.split()) == {"word"}
    assert body.startswith("word word") and "…" in body
    # Sentences that fit still follow the cut one.
    assert "Second sentence." in body


def test_a_single_token_is_cut_hard() -> None:
    html = render_summary(view(["x" * 900_000]), "en")
    assert visible_length(html) <= MESSAGE_LIMIT and "x" * 100 in html and "…" in html
