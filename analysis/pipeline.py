"""The one entry point of the analysis: raw article text in, `Analysis` out. Pure CPU, no I/O."""

from __future__ import annotations

from datetime import datetime

from analysis.clean import clean_article
from analysis.dates import find_timexes
from analysis.lang import SUPPORTED, detect_language, limitations
from analysis.people import tidy_speakers
from analysis.quotes import extract_quotes
from analysis.search import stemmed_text
from analysis.sentences import split_sentences
from analysis.summarize import DEFAULT_METHOD, rank_sentences
from analysis.timeline import build_events
from analysis.types import Analysis, Sentence


def analyze(raw_text: str, published_at: datetime | None = None, summary_method: str = DEFAULT_METHOD) -> Analysis:
    cleaned = clean_article(raw_text)
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
