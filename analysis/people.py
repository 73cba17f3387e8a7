"""Name normalisation and matching, so that people are found the way users type them.

`/quotes Putin` must find "Vladimir Putin" whether the query says "putin", "President Putin" or "Putin's";
"Hillary Clinton" must not find "Bill Clinton"; a bare "Clinton" finds both. Storage indexes every person
under `search_keys(...)` and looks a query up by `name_key(query)`; `person_matches` confirms a hit and
`suggest` offers "did you mean" when nothing matched.

Languages differ in how names inflect ("Путина", "Путину"): a per-language word normaliser can be registered
with `register_normalizer`. Without one, a word goes through the rules of its script (`analysis.names_ru`):
a Cyrillic word is brought back to its nominative and transliterated, a Latin word has the spelling variants
of Russian endings folded ("Zelenskyy" -> "zelensky"), so that "Путин", "Путина" and "Putin" share the key
"putin" whichever language the article or the query is in. Titles of every shipped language are stripped for
the same reason: a query in one language may name a person stored from an article in another.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from analysis import names_ru

WordNormalizer = Callable[[str], str]

_NORMALIZERS: dict[str, WordNormalizer] = {"ru": names_ru.key_word}
_SCRIPT_NORMALIZER: WordNormalizer = names_ru.key_word  # for languages without a normaliser of their own
_ROLE_LANGUAGES = ("en", "ru")
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_WORD_RE = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")
_POSSESSIVE_RE = re.compile(r"(?<=\w)['’]s?\b", re.IGNORECASE)


def register_normalizer(lang: str, normalizer: WordNormalizer) -> None:
    """Install a word normaliser for `lang`, applied to each lowercased, folded word of a name."""
    _NORMALIZERS[lang] = normalizer


@lru_cache(maxsize=8)
def load_roles(lang: str = "en") -> dict[str, Any]:
    """The person and role lexicon of `lang` (empty when the language has none)."""
    try:
        raw = resources.files("analysis").joinpath(f"data/roles_{lang}.json").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return {}
    data: dict[str, Any] = json.loads(raw)
    return data


@dataclass(frozen=True, slots=True)
class _TitleSet:
    phrases: frozenset[tuple[str, ...]]
    longest: int


@lru_cache(maxsize=8)
def _titles(lang: str) -> _TitleSet:
    words: set[str] = {"the", "a", "an", "then", "former", "late"}
    for role_lang in dict.fromkeys((lang, *_ROLE_LANGUAGES)):
        roles = load_roles(role_lang)
        words.update(h.rstrip(".") for h in roles.get("honorifics", {}))
        words.update(t.rstrip(".") for t in roles.get("title_abbreviations", []))
        words.update(roles.get("title_expansions", {}).values())
        for group in roles.get("roles", {}).values():
            words.update(group)
            # a Russian role is declined before a name: "президента Путина", "министра Лаврова"
            words.update(_declined_first_word(w) for w in group if names_ru.is_cyrillic(w))
        words.update(roles.get("role_modifiers", []))
        for country, forms in roles.get("countries", {}).items():
            words.add(country)
            words.update(forms)
    normalize = _normalizer(lang)
    phrases = {tuple(normalize(w) for w in _fold(p).split()) for phrase in words for p in phrase.split("|")}
    phrases.discard(())
    return _TitleSet(frozenset(phrases), max((len(p) for p in phrases), default=1))


def _declined_first_word(phrase: str) -> str:
    first, _, rest = phrase.partition(" ")
    return "|".join(f"{form} {rest}".strip() for form in names_ru.declension(first, "m").values()) or phrase


def _normalizer(lang: str) -> WordNormalizer:
    return _NORMALIZERS.get(lang, _SCRIPT_NORMALIZER)


def _fold(text: str) -> str:
    """Lowercase, strip diacritics and dots ("U.S." -> "us"), keep word characters and inner hyphens.

    Cyrillic letters are kept whole: "й" and "ё" are letters of their own, not "и" and "е" with a mark."""
    text = "".join(c if "\u0400" <= c <= "\u04ff" else unicodedata.normalize("NFKD", c) for c in text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").replace(".", "")
    return " ".join(_WORD_RE.findall(text.lower()))


def name_tokens(name: str, lang: str = "en") -> list[str]:
    """The words of a name as keys are built from them: folded, possessive dropped, titles stripped."""
    name = _POSSESSIVE_RE.sub("", name)
    normalize = _normalizer(lang)
    words = [normalize(w) for w in _fold(name).split()]
    titles = _titles(lang)
    stripped = words
    while len(stripped) > 1:
        for size in range(min(titles.longest, len(stripped) - 1), 0, -1):
            if tuple(stripped[:size]) in titles.phrases:
                stripped = stripped[size:]
                break
        else:
            break
    if stripped and stripped[0] == "of":
        # A role phrase with nothing name-like left ("the President of Russia"): keep the role.
        stripped = words[1:] if words[0] in ("the", "a", "an") else words
    while len(stripped) > 1 and stripped[-1] in _SUFFIXES:
        stripped = stripped[:-1]
    return stripped


def name_key(name: str, lang: str = "en") -> str:
    """Normalised lookup key: "President Vladimir Putin's" -> "vladimir putin"."""
    return " ".join(name_tokens(name, lang))


def _initial_compatible(a: str, b: str) -> bool:
    return a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))


def _tokens_match(query: list[str], name: list[str]) -> bool:
    if not query or not name:
        return False
    if query == name:
        return True
    if len(query) == 1:
        return query[0] == name[-1]
    # "George Bush" ~ "George W. Bush", "G. Bush" ~ "George Bush"; middle names may be left out.
    if query[-1] != name[-1] or not _initial_compatible(query[0], name[0]):
        return False
    middle = set(name[1:-1])
    return all(w in middle or any(_initial_compatible(w, m) for m in middle) for w in query[1:-1])


def _is_role_form(words: list[str], lang: str) -> bool:
    """A form that names an office, not a person: "president of russia", "president"."""
    return "of" in words or (len(words) == 1 and (words[0],) in _titles(lang).phrases)


def person_matches(query: str, name: str, aliases: Iterable[str] = (), lang: str = "en") -> bool:
    """Whether a user's query names this person (or organisation).

    Role forms among the aliases ("the President of Russia") match only when the query is that role.
    """
    q = name_tokens(query, lang)
    if not q:
        return False
    for form in (name, *aliases):
        words = name_tokens(form, lang)
        if words == q or (not _is_role_form(words, lang) and _tokens_match(q, words)):
            return True
    return False


def search_keys(name: str, aliases: Iterable[str] = (), kind: str = "person", lang: str = "en") -> set[str]:
    """Keys to index a person under so that `name_key(query)` finds it by exact lookup.

    A person gets the full key, the surname and first+last without middle names; an organisation only its
    own forms (the last word of "The New York Times" is no name for it). Role forms are left out: "the
    president" names different people in different articles.
    """
    keys: set[str] = set()
    for form in (name, *aliases):
        words = name_tokens(form, lang)
        if not words or _is_role_form(words, lang):
            continue
        keys.add(" ".join(words))
        if kind == "person" and len(words) > 1:
            keys.add(words[-1])
            keys.add(f"{words[0]} {words[-1]}")
    return keys


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, giving up (returning limit + 1) once it must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        best = i
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            best = min(best, current[j])
        if best > limit:
            return limit + 1
        previous = current
    return previous[-1]


def suggest(query: str, names: Iterable[str], limit: int = 3, lang: str = "en") -> list[str]:
    """Names close to a query that matched nothing, best first ("Puttin" -> ["Vladimir Putin"])."""
    q = name_key(query, lang)
    if not q or limit <= 0:
        return []
    scored: list[tuple[float, str]] = []
    seen: set[str] = set()
    for name in names:
        if name in seen:
            continue
        seen.add(name)
        words = name_tokens(name, lang)
        if not words:
            continue
        best = 0.0
        for key in {" ".join(words), words[-1]}:
            allowed = max(1, min(len(q), len(key)) // 3)
            d = _distance(q, key, allowed)
            if d <= allowed:
                best = max(best, 1.0 - d / max(len(q), len(key)))
        if best > 0.0:
            scored.append((best, name))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [name for _, name in scored[:limit]]
