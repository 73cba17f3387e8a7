"""The audit's draw leaves out an article the data set holds twice under two numbers (the same text, or the same
bar a few words), so a new sample is new material."""

from __future__ import annotations

from bench.audit_quotes import _seen_before, _shingles

ARTICLE = (
    "The chancellor has promised to cut the deficit within five years. Speaking in Leeds, he said the plan would "
    "protect schools and hospitals while taxes on small firms would fall. The shadow chancellor said the figures "
    "did not add up and that families would pay more. Business groups welcomed the plan but asked for details."
)


def test_the_same_article_with_a_few_words_changed_is_seen_before() -> None:
    edited = ARTICLE.replace("five years", "four years").replace("Leeds", "Leeds on Monday")
    assert _seen_before(edited, [_shingles(ARTICLE)])


def test_another_article_on_the_same_subject_is_not() -> None:
    other = (
        "The deficit will not be cut within five years, the shadow chancellor warned. Speaking in Bristol, she "
        "said the government's plan relied on growth that forecasters did not expect, and that schools would lose."
    )
    assert not _seen_before(other, [_shingles(ARTICLE)])
    assert not _seen_before(ARTICLE, [])
