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

import gzip
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from analysis import names_ru
from analysis.types import Person, Quote

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
    for cached in (_name_tokens, _titles, _script_titles, _prefix_phrases, _organisations):
        cached.cache_clear()  # built with the normaliser they found


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


def _title_words(lang: str) -> set[str]:
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
    return words


def _title_set(words: Iterable[str], key: Callable[[str], str]) -> _TitleSet:
    phrases = {tuple(key(w) for w in _fold(p).split()) for phrase in words for p in phrase.split("|")}
    phrases.discard(())
    return _TitleSet(frozenset(phrases), max((len(p) for p in phrases), default=1))


@lru_cache(maxsize=8)
def _titles(lang: str) -> _TitleSet:
    """Titles as name keys give them (to tell a role form from a name)."""
    return _title_set(_title_words(lang), _normalizer(lang))


@lru_cache(maxsize=8)
def _script_titles(lang: str) -> _TitleSet:
    """Titles as `_script_key` gives them, to strip from the front of a name without mistaking a word of one
    script for a title of the other: "Герман" is a given name, not "German"."""
    return _title_set(_title_words(lang), lambda w: _script_key(w, lang))


def _script_key(folded_word: str, lang: str) -> str:
    """A word's key in its own script: a Cyrillic word in its nominative, a Latin one with its spelling
    variants folded; a language with a normaliser of its own uses it."""
    if lang in _NORMALIZERS and lang != "ru":
        return _NORMALIZERS[lang](folded_word)
    return names_ru.key_lemma(folded_word) if names_ru.is_cyrillic(folded_word) else names_ru.latin_key(folded_word)


def _declined_first_word(phrase: str) -> str:
    first, _, rest = phrase.partition(" ")
    return "|".join(f"{form} {rest}".strip() for form in names_ru.declension(first, "m").values()) or phrase


def _normalizer(lang: str) -> WordNormalizer:
    return _NORMALIZERS.get(lang, _SCRIPT_NORMALIZER)


def _fold(text: str) -> str:
    """Lowercase, strip diacritics and dots ("U.S." -> "us"), keep word characters and inner hyphens.

    Cyrillic letters are kept whole: "й" and "ё" are letters of their own, not "и" and "е" with a mark."""
    if not text.isascii():  # ASCII has nothing to decompose and no combining marks
        text = "".join(c if "\u0400" <= c <= "\u04ff" else unicodedata.normalize("NFKD", c) for c in text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").replace(".", "")
    return " ".join(_WORD_RE.findall(text.lower()))


def name_tokens(name: str, lang: str = "en") -> list[str]:
    """The words of a name as keys are built from them: folded, possessive dropped, titles and the party,
    nationality or office words before it stripped; a known organisation's words are those of its one name."""
    return list(_name_tokens(name, lang))


@lru_cache(maxsize=65536)
def _name_tokens(name: str, lang: str) -> tuple[str, ...]:
    normalize = _normalizer(lang)
    folded = _fold(_POSSESSIVE_RE.sub("", name)).split()
    words = [normalize(w) for w in folded]
    organisation = _organisations(lang).get(" ".join(words[1:] if words[:1] == ["the"] else words))
    if organisation is not None:
        # Every form of a known organisation has one key: "Lib Dems" is "Liberal Democrats".
        return tuple(_org_form_key(organisation, lang).split())
    run = _prefix_run_keys([_prefix_key(w) for w in folded], lang)
    if 0 < run < len(words) and folded[run] not in _stopwords():
        words = words[run:]
    titles = _script_titles(lang)
    tail = folded[len(folded) - len(words) :]
    # A Latin word's key is its name key already (unless the language has its own normaliser).
    same = lang not in _NORMALIZERS or lang == "ru"
    keys = [
        k if same and not names_ru.is_cyrillic(w) else _script_key(w, lang) for w, k in zip(tail, words, strict=True)
    ]
    first = 0  # words before it are titles
    while len(words) - first > 1:
        for size in range(min(titles.longest, len(words) - first - 1), 0, -1):
            if tuple(keys[first : first + size]) in titles.phrases:
                first += size
                break
        else:
            break
    stripped = words[first:]
    if stripped and stripped[0] == "of":
        # A role phrase with nothing name-like left ("the President of Russia"): keep the role.
        stripped = words[1:] if words[0] in ("the", "a", "an") else words
    while len(stripped) > 1 and stripped[-1] in _SUFFIXES:
        stripped = stripped[:-1]
    return tuple(stripped)


def name_key(name: str, lang: str = "en") -> str:
    """Normalised lookup key: "President Vladimir Putin's" -> "vladimir putin"."""
    return " ".join(name_tokens(name, lang))


def _initial_compatible(a: str, b: str) -> bool:
    return a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))


def _tokens_match(query: Sequence[str], name: Sequence[str]) -> bool:
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


def _is_role_form(words: Sequence[str], lang: str) -> bool:
    """A form that names an office, not a person: "president of russia", "president"."""
    return "of" in words or (len(words) == 1 and (words[0],) in _titles(lang).phrases)


def person_matches(query: str, name: str, aliases: Iterable[str] = (), lang: str = "en") -> bool:
    """Whether a user's query names this person (or organisation).

    Role forms among the aliases ("the President of Russia") match only when the query is that role.
    """
    q = _name_tokens(query, lang)  # the cached keys as they are: only read here, never changed
    if not q:
        return False
    for form in (name, *aliases):
        words = _name_tokens(form, lang)
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


# -- what is a name ------------------------------------------------------------------------------------------
# A capitalised word at the start of a sentence ("Construction", "Shadow") looks like a name to a rule that
# only sees capitals. Two tests tell them apart: a dictionary of ordinary lower-case words (see
# bench/build_common_words.py for how it is made and data/COMMON_WORDS_LICENSE.txt for its sources), and the
# article itself, which writes an ordinary word in lower case elsewhere.

# Oblique endings of Russian nouns and the nominative endings they may come from: "строительства" ->
# "строительство", "власти" -> "власть". Only used to look a word up in the lexicon of common nouns.
_RU_OBLIQUE = (
    ("ами", ("а", "я", "о", "")),
    ("ями", ("я", "ь", "е")),
    ("ах", ("а", "о", "")),
    ("ях", ("я", "ь", "е")),
    ("ом", ("", "о")),
    ("ем", ("е", "ь", "й")),
    ("ой", ("а",)),
    ("ей", ("я", "ь")),
    ("ов", ("", "о")),
    ("ию", ("ия",)),
    ("ии", ("ия", "ие")),
    ("ия", ("ие",)),
    ("а", ("", "о")),
    ("я", ("ь", "й", "е")),
    ("у", ("", "о", "а")),
    ("ю", ("ь", "й", "я")),
    ("ы", ("а",)),
    ("и", ("а", "я", "ь")),
    ("е", ("", "о", "а", "я")),
)


# Nouns that end a description of a person, never a name ("Glasgow Kelvin MP", "Tory spokesman").
_MEMBER_NOUNS = frozenset({"mp", "mps", "msp", "mep", "spokesman", "spokeswoman", "spokesperson"})

# The endings of Russian, Ukrainian and Caucasian surnames in the nominative.
_RU_SURNAME = re.compile(r"^.{2,}(?:ов|ев|ин|ын|ова|ева|ина|ына|ский|цкий|ская|цкая|енко|ук|юк|ян|швили|дзе)$")


@lru_cache(maxsize=4)
def _common_words(lang: str) -> frozenset[str]:
    try:
        raw = resources.files("analysis").joinpath(f"data/common_{lang}.txt.gz").read_bytes()
    except (FileNotFoundError, OSError):
        return frozenset()
    return frozenset(gzip.decompress(raw).decode("utf-8").split())


@lru_cache(maxsize=4)
def _given_names(lang: str) -> frozenset[str]:
    names = {n.lower() for n in load_roles(lang).get("given_names", {})}
    if lang == "ru":
        names |= names_ru.known_lemmas()
    return frozenset(names)


def _russian_nominatives(word: str) -> Iterable[str]:
    yield word
    # The longest ending only: "франция" is read as "-ия", never as "-я" (which would make it "франций").
    for ending, nominatives in _RU_OBLIQUE:
        if word.endswith(ending) and len(word) > len(ending) + 2:
            stem = word[: -len(ending)]
            yield from (stem + n for n in nominatives)
            return


def is_common_word(token: str, lang: str = "en") -> bool:
    """Whether a word is an ordinary lower-case word of the language ("Construction", "Shadow", "Строительства"),
    and not also a given name ("Bill", "Mark") or a name the tables know.

    Russian words are also looked up through their oblique cases, so a capitalised word inside a sentence can
    be both ("Путина": the fishing season); ask about words whose capital says nothing (a sentence's first
    word), or use `is_person_name` for a speaker's nominative name."""
    word = token.strip().lower().replace("ё", "е").replace("’", "'")
    if not word or word in _given_names(lang):
        return False
    words = _common_words(lang)
    parts = word.split("-")
    if len(parts) > 1:  # "ex-foreign", "cross-party": common when each part is
        return all(p in words or p in {"ex", "anti", "pro", "non", "co", "экс"} for p in parts if p)
    if word in words:
        return True
    if lang != "ru" or names_ru.key_word(word) in names_ru.known_keys():
        return False  # "Путина" is a well-known name before it is the fishing season
    return any(form in words for form in _russian_nominatives(word))


def _lower_in_text(phrase: str, text: str) -> bool:
    lowered = phrase.lower()
    if lowered == phrase:
        return False
    return re.search(rf"(?<![\w-]){re.escape(lowered)}(?![\w-])", text) is not None


def _is_common_nominative(word: str, lang: str) -> bool:
    """`is_common_word` for a word already in its nominative (a speaker's name): a Russian one is looked up as
    it is or as a plural ("Критики"), never as an oblique case, which would make "Путин" the fishing season."""
    if not names_ru.is_cyrillic(word[:1]):
        return is_common_word(word, lang)
    lowered = word.lower().replace("ё", "е")
    if lowered in _given_names("ru") or names_ru.key_word(lowered) in names_ru.known_keys():
        return False
    if _RU_SURNAME.match(lowered):
        return False  # "Рябков" is a surname before it is anything the dictionary lists
    words = _common_words("ru")
    stems = [lowered[:-1]] if lowered.endswith(("и", "ы")) else []
    return lowered in words or any(stem + end in words for stem in stems for end in ("", "а", "я", "ь"))


def is_person_name(name: str, text: str | None = None, lang: str = "en") -> bool:
    """Whether `name` can name a person: not only party, nationality or office words ("Britons", "Labour MP"),
    not only ordinary lower-case words ("Construction", "Weakest Link"), and not a capitalised word that the
    article (`text`, when given) also writes in lower case, or as a place ("in Edinburgh")."""
    display = strip_name_prefixes(name, lang)
    words = display.split()
    if not name_tokens(display, lang) or _only_prefixes(display, lang):
        return False
    core = [w for w in words if _fold(w) and (_normalizer(lang)(_fold(w)),) not in _titles(lang).phrases]
    if not core:
        return False
    titled = len(words) > 1 and _fold(words[0]) in _honorifics(lang)  # "Lord Falconer", "Mr Baker": a name
    common = all(_is_common_nominative(w.strip(".,'’"), lang) for w in core)
    if common and not titled and not _capital_inside(core, text, lang):
        return False
    if text is None:
        return True
    return not (_lower_in_text(" ".join(core), text) or (len(core) == 1 and _place_in_text(core[0], text)))


@cache
def _honorifics(lang: str) -> frozenset[str]:
    """Titles that only ever stand before a person's name ("Mr", "Lord", "Baroness"), folded."""
    return frozenset(_fold(word) for word in load_roles(lang).get("honorifics", {})) | {"baroness", "baron"}


def _capital_inside(core: Sequence[str], text: str | None, lang: str) -> bool:
    """Whether the Russian article writes a one-word name with its capital inside a sentence, right after a
    lower-case word ("сообщил Сальдо", "губернатор региона Богомаз"): Russian capitalises no ordinary noun
    there, so the dictionary's "сальдо" is someone's surname."""
    if lang != "ru" or text is None or len(core) != 1:
        return False
    return re.search(rf"(?<=[а-яё,] ){re.escape(core[0])}\b", text) is not None


def _place_in_text(word: str, text: str) -> bool:
    """Whether the article writes the word as a place: "in Edinburgh", "near Basra" (not "in Blair's view")."""
    return re.search(rf"\b(?:in|near)\s+{re.escape(word)}\b(?!['’]s)", text) is not None


# -- prefixes before a name ----------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _prefix_phrases(lang: str) -> _TitleSet:
    raw = resources.files("analysis").joinpath("data/name_prefixes.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(raw)
    # Every shipped language's words: a query in one language may name a person stored from another.
    words = [w for language in dict.fromkeys((lang, *_ROLE_LANGUAGES)) for w in data.get(language, [])]
    phrases = {tuple(_prefix_key(w) for w in _fold(p).split()) for p in words}
    phrases.discard(())
    return _TitleSet(frozenset(phrases), max((len(p) for p in phrases), default=1))


def _prefix_key(folded_word: str) -> str:
    """A word as prefixes are compared: in its own script, so that "Герман" is never the English "German"."""
    return names_ru.key_lemma(folded_word) if names_ru.is_cyrillic(folded_word) else folded_word


def _prefix_run(words: Sequence[str], lang: str) -> int:
    """How many of the leading words are party, nationality or office words (longest phrases first)."""
    return _prefix_run_keys([_prefix_key(_fold(w)) for w in words], lang)


def _prefix_run_keys(keys: Sequence[str], lang: str) -> int:
    prefixes = _prefix_phrases(lang)
    i = 0
    while i < len(keys):
        for size in range(min(prefixes.longest, len(keys) - i), 0, -1):
            if tuple(keys[i : i + size]) in prefixes.phrases:
                i += size
                break
        else:
            break
    return i


def _only_prefixes(name: str, lang: str) -> bool:
    words = [w for w in name.split() if _fold(w)]
    return bool(words) and _prefix_run(words, lang) == len(words)


def strip_name_prefixes(name: str, lang: str = "en") -> str:
    """The name without the party, nationality or office words before it: "Liberal Democrat Sarah Teather" ->
    "Sarah Teather", "глава МИД Сергей Лавров" -> "Сергей Лавров". A name made only of such words ("Labour",
    "Liberal Democrats") is returned as it is."""
    words = name.split()
    run = _prefix_run(words, lang) or _described_name_start(words, lang) or _given_name_after_words(words, lang)
    if not 0 < run < len(words) or _fold(words[run]) in _stopwords():
        return name  # nothing to strip, nothing left, or a role phrase: "President of Russia"
    return " ".join(words[run:])


def _described_name_start(words: Sequence[str], lang: str) -> int:
    """Where the name starts after a description that ends in an office word: "Nottingham City Councillor
    Brian Parbutt", "Bank of England Governor Mervyn King" (two capitalised words at least must follow)."""
    prefixes = _prefix_phrases(lang).phrases
    for i in range(len(words) - 3, 0, -1):
        if (_prefix_key(_fold(words[i])),) in prefixes and all(w[:1].isupper() for w in words[i + 1 :]):
            return i + 1
    return 0


def _given_name_after_words(words: Sequence[str], lang: str) -> int:
    """Where the name starts after ordinary words of a title the parser kept: "Families Margaret Hodge" (from
    "Minister for Children, Young People and Families Margaret Hodge"); a given name and a surname must follow,
    and no word before may be a given name itself ("Rose Mary Smith")."""
    given = _given_names(lang)
    for i in range(1, len(words) - 1):
        if _fold(words[i]) in given:
            before = [_fold(w) for w in words[:i]]
            if all(w not in given and is_common_word(w, lang) for w in before):
                return i
            break
    return 0


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    words: set[str] = set()
    for lang in _ROLE_LANGUAGES:
        raw = resources.files("analysis").joinpath(f"data/stopwords_{lang}.txt").read_text(encoding="utf-8")
        words.update(w.strip().lower() for w in raw.splitlines() if w.strip() and not w.startswith("#"))
    return frozenset(words)


# -- organisations -------------------------------------------------------------------------------------------


def _org_form_key(name: str, lang: str) -> str:
    words = _fold(_POSSESSIVE_RE.sub("", name)).split()
    if words and words[0] == "the":
        words = words[1:]
    normalize = _normalizer(lang)
    return " ".join(normalize(w) for w in words)


@lru_cache(maxsize=4)
def _organisations(lang: str) -> dict[str, str]:
    """Every known form of an organisation, as a key, -> its display name."""
    raw = resources.files("analysis").joinpath("data/organisations.json").read_text(encoding="utf-8")
    forms: dict[str, str] = {}
    for org in json.loads(raw)["organisations"]:
        for form in (org["name"], *org["aliases"]):
            forms.setdefault(_org_form_key(form, lang), org["name"])
    return forms


def organisation_name(name: str, lang: str = "en") -> str | None:
    """The display name of a known organisation that `name` is a form of ("Lib Dems" -> "Liberal Democrats",
    "Минобороны" -> "Министерство обороны"), else None."""
    return _organisations(lang).get(_org_form_key(name, lang))


def organisation_aliases(name: str, lang: str = "en") -> list[str]:
    """The other forms of a known organisation (its aliases), so that it is found by any of them."""
    canonical = organisation_name(name, lang)
    if canonical is None:
        return []
    return [form for form, display in _organisations(lang).items() if display == canonical]


def organisation_key(name: str, lang: str = "en") -> str:
    """One key per organisation, whatever form names it."""
    return _org_form_key(organisation_name(name, lang) or name, lang)


# -- one name per person -------------------------------------------------------------------------------------


def _shorter_form(words: list[str], fuller: list[str]) -> bool:
    if len(words) >= len(fuller):
        return False
    if len(words) == 1:
        return words[0] == fuller[-1]
    return _tokens_match(words, fuller)


def fullest_name(name: str, known: Iterable[str], lang: str = "en", *, one_article: bool = False) -> str | None:
    """The one fuller name among `known` that `name` is a shorter form of, or None.

    "Putin" -> "Vladimir Putin" (or "Владимир Путин": keys are shared across scripts and cases); "Digby" ->
    "Digby Jones" when no known name has "Digby" as its surname (a common given name alone, "Sarah", is left
    alone: it could be anyone); "Clinton" beside "Bill Clinton" and "Hillary
    Clinton" -> None, since it could be either. Fuller names that are forms of one another ("Vladimir Putin",
    "Vladimir Vladimirovich Putin") are one person, and the fullest of them is returned.
    """
    words = name_tokens(name, lang)
    if not words:
        return None
    forms = {k: name_tokens(k, lang) for k in dict.fromkeys(known) if k != name}
    fits = {k: w for k, w in forms.items() if w and _shorter_form(words, w)}
    if not fits and len(words) == 1 and (one_article or not _is_common_given_name(name, lang)):
        # A first name alone ("Sir Digby"), when no known name has it as a surname. Across an archive a common
        # one ("Sarah", "John") could be anyone and stays alone; within `one_article`, it is the one named.
        fits = {k: w for k, w in forms.items() if len(w) > 1 and w[0] == words[0]}
    if not fits:
        return None
    best = max(fits, key=lambda k: (len(fits[k]), len(k), k))
    if all(fits[k] == fits[best] or _shorter_form(fits[k], fits[best]) for k in fits):
        return best
    return None


def _is_common_given_name(name: str, lang: str) -> bool:
    words = _fold(name).split()
    return bool(words) and any(words[-1] in _given_names(language) for language in dict.fromkeys((lang, "en", "ru")))


def tidy_speakers(
    quotes: Sequence[Quote], people: Sequence[Person], text: str, lang: str = "en"
) -> tuple[list[Quote], list[Person]]:
    """One name per speaker in one article, and no speaker that is not one.

    Known organisations get their one display name and kind ("Lib Dem", "Tories" are parties); party,
    nationality and office words go from the front of a person's name; a "person" that is no name (an
    ordinary word, "Construction", or a word the article writes in lower case) loses its statements' speaker;
    a shorter form of a fuller name the article uses ("Digby", "Digby Jones") becomes the fuller one, and the
    tail of an organisation's name the article gives in full becomes that organisation.
    """
    kinds = {p.name: p.kind for p in people}
    for quote in quotes:
        if quote.speaker:
            kinds.setdefault(quote.speaker, quote.speaker_kind)
    renamed = {name: speaker_form(name, kind, text, lang) for name, kind in kinds.items()}
    mentions: dict[str, list[str]] = {}
    for quote in quotes:
        if quote.speaker and quote.mention:
            mentions.setdefault(quote.speaker, []).append(quote.mention)
    for person in people:
        titled = _titled(person, lang) or _after_an_office(person, mentions.get(person.name, ()), lang)
        if renamed.get(person.name) is None and titled and not _only_prefixes(person.name, lang):
            # "Mr Younger", "Ms King": a title before it makes a word that is also an ordinary one a surname
            renamed[person.name] = (strip_name_prefixes(person.name, lang), "person")
    person_names = [v[0] for v in renamed.values() if v is not None and v[1] != "organization"]
    organisations = {v[0] for v in renamed.values() if v is not None and v[1] == "organization"}
    for name, value in renamed.items():
        if value is not None and value[1] == "organization":
            # "Curriculum Authority" cut from "Qualifications and Curriculum Authority": the body named in full.
            longer = [o for o in organisations if o.endswith(" " + value[0])]
            if len(longer) == 1:
                renamed[name] = (longer[0], "organization")
    for name, value in renamed.items():
        if value is not None and value[1] == "organization" and _ACRONYM.fullmatch(value[0]):
            # "FSA" after "the Food Standards Agency": the body's initials, so the body
            spelled = [o for o in organisations if spells(value[0], o)]
            if len(spelled) == 1:
                renamed[name] = (spelled[0], "organization")
    surnames = _surnames_called(
        [form for p in people for form in (p.name, *p.aliases)] + [m for ms in mentions.values() for m in ms], lang
    )
    for name, value in renamed.items():
        if value is not None and value[1] != "organization":
            fuller = fullest_name(value[0], _may_be_named(value[0], person_names, surnames), lang, one_article=True)
            if fuller is not None:
                renamed[name] = (fuller, value[1])
    return _renamed_quotes(quotes, renamed), _renamed_people(people, renamed)


def _surnames_called(forms: Sequence[str], lang: str) -> set[str]:
    """The words the article puts right after an honorific that only ever stands before a surname ("Mr",
    "Ms", "Dr"; not "Sir"), folded: "Mr Flight" makes "flight" a surname."""
    honorifics = _surname_honorifics(lang)
    folded = (_fold(form).split() for form in forms)
    return {words[1] for words in folded if len(words) == 2 and words[0].rstrip(".") in honorifics}


def _may_be_named(name: str, known: Sequence[str], surnames: set[str]) -> list[str]:
    """The fuller names a one-word `name` may stand for: not one whose first word it is when the article calls
    both by their surnames ("Mr Howard" is not Howard Flight, called "Mr Flight"; "Mr. Lou" is Lou Jiwei, never
    called "Mr. Jiwei": his family name comes first)."""
    word = _fold(name)
    if word not in surnames:
        return list(known)
    return [k for k in known if not ((w := _fold(k).split())[0] == word and len(w) > 1 and w[-1] in surnames)]


@cache
def _surname_honorifics(lang: str) -> frozenset[str]:
    return frozenset(_fold(word) for word in load_roles(lang).get("surname_honorifics", ()))


def _titled(person: Person, lang: str) -> bool:
    """Whether the article calls the person by an honorific or an office and their surname ("Mr Younger",
    "Lord Chancellor Falconer")."""
    if person.kind != "person":
        return False
    honorifics = {h.rstrip(".") for h in load_roles(lang).get("honorifics", {})}
    surname = _fold(person.name).split()[-1:]
    for alias in (person.name, *person.aliases):
        words = alias.split()
        if len(words) < 2 or _fold(words[-1]).split() != surname:
            continue
        before = words[:-1]
        if all(_fold(w).rstrip(".") in honorifics or _only_prefixes(w, lang) for w in before):
            return True
    return False


def _after_an_office(person: Person, mentions: Sequence[str], lang: str) -> bool:
    """Whether a statement names the person by an office and its complement, then the surname: "губернатор
    региона Богомаз" is a surname though "богомаз" is also an ordinary word."""
    if person.kind != "person" or len(person.name.split()) != 1:
        return False
    surname = _fold(person.name)
    for mention in mentions:
        words = mention.split()
        if len(words) < 2 or not _fold(words[-1]).startswith(surname[: max(3, len(surname) - 1)]):
            continue
        if _prefix_run(words[:1], lang) and all(w.islower() for w in words[1:-1]):
            return True
    return False


_ACRONYM = re.compile(r"[A-ZА-ЯЁ]{2,6}")
_LINK_WORDS = frozenset({"of", "and", "for", "the", "on", "in", "&"})


def _initials(name: str) -> set[str]:
    """The acronyms a body's name spells: with and without its small words ("Association of Chief Police
    Officers": ACPO, AOCPO)."""
    words = [w for w in re.split(r"[\s-]+", name) if w[:1].isalpha()]
    if len(words) < 2:
        return set()
    every = "".join(w[0] for w in words).upper()
    main = "".join(w[0] for w in words if w.lower() not in _LINK_WORDS).upper()
    return {every, main}


def spells(acronym: str, name: str) -> bool:
    """Whether `acronym` is made of the initials of the body's `name` ("FSA", "Food Standards Agency")."""
    return bool(_ACRONYM.fullmatch(acronym)) and acronym in _initials(name)


def speaker_form(name: str, kind: str, text: str | None = None, lang: str = "en") -> tuple[str, str] | None:
    """(the name to show, its kind) for a speaker, or None when it names nobody.

    A known organisation's form becomes its one name ("Lib Dems" -> "Liberal Democrats", an organisation);
    a person loses the party, nationality or office words before the name; an ordinary word, a word the
    article (`text`) writes in lower case, or an organisation of one ordinary word ("Department") is no one.
    """
    if (organisation := organisation_name(name, lang)) is not None:
        return organisation, "organization"
    if _fold(name).split()[-1:] and _fold(name).split()[-1] in _MEMBER_NOUNS:
        return None  # "Glasgow Kelvin MP", "Labour spokesman": who someone is, not their name
    if kind == "organization":
        return (name, kind) if _is_organisation_name(name, lang) else None
    stripped = strip_name_prefixes(name, lang)
    if is_person_name(stripped, text, lang):
        return stripped, kind
    if _is_titled_phrase(stripped, text, lang):
        return stripped, "organization"  # "Age Concern", "Matrix Chambers": a body's name, not a person's
    return None


def _is_titled_phrase(name: str, text: str | None, lang: str) -> bool:
    """Two or more capitalised ordinary words, not party or office words and not written in lower case in the
    article: the name of a body or a work rather than no one."""
    words = name.split()
    return (
        len(words) > 1
        and all(w[:1].isupper() for w in words)
        and not _only_prefixes(name, lang)
        and not (text is not None and _lower_in_text(name, text))
    )


def language_of_name(name: str) -> str:
    """The language whose rules a stored name is read by when the article's is not at hand."""
    return "ru" if any(names_ru.is_cyrillic(c) for c in name) else "en"


def _is_organisation_name(name: str, lang: str) -> bool:
    """An organisation of one ordinary word ("Department", "Pensions") is a fragment, not a body."""
    words = [w for w in name.split() if _fold(w) and _fold(w) != "the"]
    if len(words) != 1 or words[0].isupper():
        return bool(words)
    return not _is_common_nominative(words[0].strip(".,'’"), lang)


def _renamed_quotes(quotes: Sequence[Quote], renamed: dict[str, tuple[str, str] | None]) -> list[Quote]:
    out = []
    for quote in quotes:
        if quote.speaker is None or quote.speaker not in renamed:
            out.append(quote)
        elif (new := renamed[quote.speaker]) is None:
            out.append(replace(quote, speaker=None, speaker_kind="unknown"))
        else:
            kind = "organization" if new[1] == "organization" else quote.speaker_kind
            out.append(replace(quote, speaker=new[0], speaker_kind=kind))
    return out


def _renamed_people(people: Sequence[Person], renamed: dict[str, tuple[str, str] | None]) -> list[Person]:
    merged: dict[str, Person] = {}
    for person in people:
        new = renamed.get(person.name, (person.name, person.kind))
        if new is None:
            continue
        name, kind = new
        forms = tuple(f for f in (person.name, *person.aliases) if f != name)
        if name in merged:
            old = merged[name]
            aliases = tuple(dict.fromkeys((*old.aliases, *forms)))
            merged[name] = replace(old, aliases=aliases, mentions=old.mentions + person.mentions)
        else:
            merged[name] = replace(person, name=name, kind=kind, aliases=forms)  # type: ignore[arg-type]
    return list(merged.values())


def warm_name_tables() -> None:
    """Build now the tables name keys are made with (titles and offices in both scripts, organisations, Russian
    lemmas), which are built on first use: in the bot that was while the first article of a burst was stored,
    30–40 ms on the event loop a person's command then waited behind. Once per process."""
    for lang in ("en", "ru"):
        _titles(lang)
        _script_titles(lang)
        _prefix_phrases(lang)
        _organisations(lang)
        for name in ("President Vladimir Putin", "Президент Владимир Путин"):
            fullest_name(name, ["Putin", name], lang)
            name_tokens(name, lang)
