"""Who said what: direct quotes, reported speech and their speakers, by rules and lexicons.

One engine for every language: `model` holds the shared types, `pipeline` the steps written once, and a
module per language (`english`, `russian`) only what differs: its lexicons and its rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from analysis.quotes.english import ENGLISH
from analysis.quotes.pipeline import Language, extract
from analysis.quotes.russian import RUSSIAN
from analysis.types import Person, Quote, Sentence

LANGUAGES: dict[str, Language[Any]] = {"en": ENGLISH, "ru": RUSSIAN}


def extract_quotes(
    text: str,
    sentences: Sequence[Sentence],
    lang: str = "en",
    title: str | None = None,
    every_attribution: bool = False,
) -> tuple[list[Quote], list[Person]]:
    """Direct and reported quotes of an article with their speakers, and the people it names. `title`, the
    headline the cleaner took off the text, may carry a statement and names who the article is about.
    `every_attribution` adds what is not a statement, each with its `kind` (thoughts, topics, polls): for
    measuring against corpora that annotate them, never for showing as quotes."""
    language = LANGUAGES.get(lang)
    if language is None:
        return [], []
    return extract(text, sentences, language, title, every_attribution)
