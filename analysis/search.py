"""Words as search compares them: every word reduced to its stem, so that a word matches in any of its forms.

"Украина", "Украины", "Украине" and "Украину" all become "украин"; "sanctions" and "sanctioned" "sanction".
Each word is stemmed by its own script (Snowball's Russian stemmer for Cyrillic, its English one for Latin
letters), not by the article's language: a Latin name in a Russian post and a query typed in either script
are stemmed the same way on both sides. The stemmers are NLTK's Snowball implementations, pure code with no
data to download.

The archive keeps a second full-text index over these stems (see storage.search); a query is stemmed with the
same function, so the index and the query always agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

# The same split as FTS5's unicode61 tokenizer: runs of letters and digits.
_TOKEN = re.compile(r"[^\W_]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-z]")


@lru_cache(maxsize=2)
def _stemmer(lang: str) -> Callable[[str], str]:
    from nltk.stem.snowball import EnglishStemmer, RussianStemmer

    stem = RussianStemmer().stem if lang == "ru" else EnglishStemmer().stem
    return lru_cache(maxsize=131072)(stem)


def stem(word: str) -> str:
    """The stem of one word (lower case; ё read as е); digits and words of other scripts stay as written."""
    w = word.casefold().replace("ё", "е")
    if _CYRILLIC.search(w):
        return _stemmer("ru")(w) or w
    if _LATIN.search(w) and w.isalpha():
        return _stemmer("en")(w) or w
    return w


def tokens(text: str) -> list[tuple[int, int, str]]:
    """(start, end, word) of every word of a text."""
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


def stemmed_text(text: str) -> str:
    """The text as the stem index stores it: its stems, in order, separated by spaces."""
    return " ".join(stem(m.group()) for m in _TOKEN.finditer(text))


def stemmed_articles(articles: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """(title stems, text stems) of many (title, text) pairs, for indexing in one call to a worker."""
    return [(stemmed_text(title), stemmed_text(text)) for title, text in articles]


def query_stems(text: str) -> list[str]:
    """The stems a user's words ask for, in order, without repeats (every word counts, as typed)."""
    seen: dict[str, None] = {}
    for word in _TOKEN.findall(text):
        seen.setdefault(stem(word))
    return list(seen)


@dataclass(frozen=True, slots=True)
class Passage:
    """The sentence of an article that best shows why it matched, with the spans of the matching words."""

    text: str
    spans: tuple[tuple[int, int], ...]
    matched: int  # how many of the asked stems it holds


def best_passage(sentences: Iterable[str], stems: Sequence[str]) -> Passage | None:
    """The first sentence holding the most of the asked stems (None when none holds any)."""
    wanted = set(stems)
    best: Passage | None = None
    for sentence in sentences:
        spans = []
        found: set[str] = set()
        for start, end, word in tokens(sentence):
            s = stem(word)
            if s in wanted:
                spans.append((start, end))
                found.add(s)
        if found and (best is None or len(found) > best.matched):
            best = Passage(sentence, tuple(spans), len(found))
            if len(found) == len(wanted):
                break
    return best


def mentions_all(text: str, stems: Sequence[str]) -> bool:
    """Whether a text holds every one of the stems (in any form of the words)."""
    wanted = set(stems)
    for match in _TOKEN.finditer(text):
        wanted.discard(stem(match.group()))
        if not wanted:
            return True
    return not wanted
