"""The one entry point of the analysis: raw article text in, `Analysis` out. Pure CPU, no I/O."""

from __future__ import annotations

from datetime import datetime

from analysis.clean import CleanedArticle, clean_article
from analysis.dateline import is_dateline
from analysis.dates import find_timexes
from analysis.lang import SUPPORTED, detect_language, limitations
from analysis.people import tidy_speakers
from analysis.quotes import extract_quotes
from analysis.search import stemmed_text
from analysis.sentences import split_sentences
from analysis.summarize import DEFAULT_METHOD, rank_sentences
from analysis.timeline import build_events
from analysis.titles import first_words
from analysis.types import Analysis, Sentence

HEAD_CHARS = 3000  # enough of a text's top for its headline or first words


def headline(raw_text: str) -> CleanedArticle:
    """The cleaned article, with a date line standing above the text not taken for its headline."""
    cleaned = clean_article(raw_text)
    if cleaned.title is not None and is_dateline(cleaned.title):
        return CleanedArticle(None, cleaned.text)
    return cleaned


def guess_title(raw_text: str) -> str | None:
    """The title an article is stored under before its analysis: the headline of its top, else its first
    words. Only the top of the text is read, so this is cheap enough to do before storing."""
    head = headline(raw_text[:HEAD_CHARS])
    return head.title or first_words(head.text)


def analyze(raw_text: str, published_at: datetime | None = None, summary_method: str = DEFAULT_METHOD) -> Analysis:
    cleaned = headline(raw_text)
    lang = detect_language(cleaned.text)
    sentences = split_sentences(cleaned.text, lang)
    order = rank_sentences(sentences, lang, title=cleaned.title, method=summary_method)
    rank_of = {index: rank for rank, index in enumerate(order)}
    ranked = tuple(Sentence(s.index, s.start, s.end, s.text, s.paragraph, rank_of.get(s.index, -1)) for s in sentences)
    if lang not in SUPPORTED:
        # Stored and summarised on its plain words; quotes and dates need rules the language does not have.
        return Analysis(
            lang,
            cleaned.title,
            cleaned.text,
            ranked,
            notes=limitations(lang) if ranked else (),
            title_stems=stemmed_text(cleaned.title or ""),
            stems=stemmed_text(cleaned.text),
        )
    quotes, people = tidy_speakers(*extract_quotes(cleaned.text, ranked, lang, title=cleaned.title), cleaned.text, lang)
    timexes = find_timexes(cleaned.text, published_at, lang)
    events = build_events(cleaned.text, ranked, timexes, quotes, lang, people)
    return Analysis(
        lang=lang,
        title=cleaned.title,
        text=cleaned.text,
        sentences=ranked,
        quotes=tuple(quotes),
        people=tuple(people),
        timexes=tuple(timexes),
        events=tuple(events),
        title_stems=stemmed_text(cleaned.title or ""),
        stems=stemmed_text(cleaned.text),
    )
