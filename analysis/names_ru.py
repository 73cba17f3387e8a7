"""Russian personal names: case forms back to the nominative, and Cyrillic to Latin, so that a name is found
however a text declines it and whichever script the user types it in.

Two uses, two levels of certainty:

- `lemma(word, case, gender)` gives the nominative to *show*, when the caller knows the case from the
  grammar around the name: "по словам Шольца" is a genitive, so "Шольц"; "Захаровой" is feminine, so
  "Захарова". Without a case it only undoes endings no nominative has.
- `key_word(word)` gives the word of a *search key*: every case form of a name must give the same key, and
  the key of "Путин" must be the key of "Putin". It folds genders together (Захаров, Захарова -> zakharov)
  and reads endings without context, so it only undoes the endings it can be sure of: given names and
  well-known names (declined by rule from `data/names_ru.json`), surnames in -ов/-ев/-ин/-ын, -ский/-цкий
  and adjectival ones (-ый/-ой). Other names keep their form ("Шольца" stays itself); the canonical name the
  quote extractor stores is already a nominative, and that is what queries meet.

Latin words go through `latin_key`: the spelling variants English news uses for the same Russian ending
("Zelenskyy", "Zelenskiy", "Zelensky"; "Sergey", "Sergei"; "Alexei", "Aleksei") meet on one form. The tables
are data; the rules here are the declension patterns of Russian names, which are few and regular.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_VELARS_SIBILANTS = "гкхжшчщ"
_HUSHING = "жшчщц"
_VOWELS = "аеёиоуыэюя"

# Surname families whose endings are unambiguous without context. Stems of at least two letters keep short
# words ("Ева", "Нина") out.
_SK = re.compile(r"^(.{2,}?(?:ск|цк))(ий|ого|ому|им|ом|ая|ой|ую|ое|ие|их|ими)$")
_OV = re.compile(r"^(.{2,}?(?:ов|ев|ин|ын))(а|у|ым|ом|е|ой|ую|ы|ых|ыми)?$")
_ADJ = re.compile(r"^(.{3,}?)(ый|ой|ого|ому|ым|ыми|ую|ая)$")
_CASES = ("gen", "dat", "acc", "ins", "pre")


@dataclass(frozen=True, slots=True)
class _Tables:
    nominatives: frozenset[str]
    oblique: dict[str, str]  # any case form -> nominative (nominatives excluded)
    genitive: dict[str, str]  # genitive form -> nominative, masculine first
    gender: dict[str, str]  # nominative -> "m" / "f"
    english: dict[str, str]  # nominative -> the Latin spelling English uses
    translit: dict[str, str]
    ye_after: str
    i_before_consonant: bool
    endings: tuple[tuple[str, str], ...]
    latin_endings: tuple[tuple[str, str], ...]
    latin_ending_forms: tuple[str, ...]  # the endings alone, for one test of them all
    latin_anywhere: tuple[tuple[str, str], ...]


def _plain(word: str) -> str:
    return word.lower().replace("ё", "е")


def declension(name: str, gender: str) -> dict[str, str]:
    """The case forms of a nominative given name or surname-like noun: {case: form}; {} if it does not decline.

    The patterns of Russian nouns: hard and soft consonant stems (Владимир, Игорь, Сергей, Дмитрий), the -а/-я
    declension (Анна, Ольга, Мария, Илья, Никита), with spelling rules after г к х ж ш ч щ ц.
    """
    n = _plain(name)
    if not n or not _CYRILLIC.search(n):
        return {}
    last = n[-1]
    if n.endswith("ий"):
        stem = n[:-1]
        return {"gen": stem + "я", "acc": stem + "я", "dat": stem + "ю", "ins": stem + "ем", "pre": stem + "и"}
    if last == "й":
        stem = n[:-1]
        return {"gen": stem + "я", "acc": stem + "я", "dat": stem + "ю", "ins": stem + "ем", "pre": stem + "е"}
    if last == "ь":
        if gender == "f":
            return {}
        stem = n[:-1]
        return {"gen": stem + "я", "acc": stem + "я", "dat": stem + "ю", "ins": stem + "ем", "pre": stem + "е"}
    if n.endswith("ия"):
        stem = n[:-1]
        return {"gen": stem + "и", "dat": stem + "и", "acc": stem + "ю", "ins": stem + "ей", "pre": stem + "и"}
    if last == "я":
        stem = n[:-1]
        return {"gen": stem + "и", "dat": stem + "е", "acc": stem + "ю", "ins": stem + "ей", "pre": stem + "е"}
    if last == "а":
        stem = n[:-1]
        gen = stem + ("и" if stem[-1:] in _VELARS_SIBILANTS else "ы")
        ins = stem + ("ей" if stem[-1:] in _HUSHING else "ой")
        return {"gen": gen, "dat": stem + "е", "acc": stem + "у", "ins": ins, "pre": stem + "е"}
    if last in _VOWELS or gender == "f":
        return {}  # Шойгу, Лукашенко, Меркель: the same in every case
    ins = n + ("ем" if last in _HUSHING else "ом")
    return {"gen": n + "а", "acc": n + "а", "dat": n + "у", "ins": ins, "pre": n + "е"}


@cache
def _tables() -> _Tables:
    raw = resources.files("analysis").joinpath("data", "names_ru.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(raw)
    gender: dict[str, str] = {}
    for g in ("m", "f"):
        for name in data["given_names"][g]:
            gender.setdefault(_plain(name), g)
    english = {_plain(k): v for k, v in data["known_names"].items()}
    # well-known surnames decline like men's names unless listed as indeclinable; they are no given names
    declined = {**{name: "m" for name in english}, **gender}
    indeclinable = {_plain(n) for n in data["indeclinable"]}
    irregular: dict[str, dict[str, str]] = {
        _plain(k): dict(zip(_CASES, v, strict=True)) for k, v in data.get("irregular", {}).items()
    }
    nominatives = frozenset(declined)
    oblique: dict[str, str] = {}
    genitive: dict[str, str] = {}
    # Masculine names first: "Александра" read as a genitive is Александр (a man is likelier to be quoted
    # under "по словам"); read without context it stays the woman's nominative.
    for name in sorted(declined, key=lambda n: declined[n] != "m"):
        if name in indeclinable:
            continue
        forms = irregular.get(name) or declension(name, declined[name])
        for case, form in forms.items():
            if form not in nominatives:
                oblique.setdefault(form, name)
            if case == "gen":
                genitive.setdefault(form, name)
    return _Tables(
        nominatives=nominatives,
        oblique=oblique,
        genitive=genitive,
        gender=gender,
        english=english,
        translit=dict(data["translit"]),
        ye_after=data["ye_after"],
        i_before_consonant=bool(data["i_before_consonant"]),
        endings=tuple(sorted(data["endings"].items(), key=lambda e: -len(e[0]))),
        latin_endings=tuple((a, b) for a, b in data["latin_endings"]),
        latin_ending_forms=tuple(a for a, _ in data["latin_endings"]),
        latin_anywhere=tuple((a, b) for a, b in data["latin_anywhere"]),
    )


def is_cyrillic(word: str) -> bool:
    return not word.isascii() and bool(_CYRILLIC.search(word))  # an ASCII word is told at once


def given_name_gender(word: str) -> str:
    """ "m" or "f" when the word is a known given name in any case form, else ""."""
    tables = _tables()
    w = _plain(word)
    name = w if w in tables.nominatives else tables.oblique.get(w, "")
    return tables.gender.get(name, "")


def is_given_name(word: str) -> bool:
    return bool(given_name_gender(word))


def _surname_nominative(w: str, gender: str, collapse: bool, genitive: bool = False) -> str | None:
    """The nominative of a surname in a family whose endings say the case; None when no family fits.

    `collapse` gives the masculine form whatever the gender (for keys). Otherwise an ending only a woman's
    name has ("-овой", "-ской") gives the feminine nominative, and an ending that is itself a nominative
    ("Захарова", "Толстой") is kept unless the case is known to be the genitive.
    """
    if m := _SK.match(w):
        stem, ending = m.group(1), m.group(2)
        if collapse:
            return stem + "ий"
        if ending in ("ий", "ая"):
            return w
        feminine = gender == "f" or (gender != "m" and ending in ("ой", "ую"))
        return stem + ("ая" if feminine else "ий")
    if m := _OV.match(w):
        stem, ending = m.group(1), m.group(2) or ""
        if collapse or not ending:
            return stem
        if ending == "а" and not genitive:
            return w if gender != "m" else stem  # "Захарова" is a woman's nominative too
        feminine = gender == "f" or (gender != "m" and ending in ("ой", "ую"))
        return stem + ("а" if feminine else "")
    if m := _ADJ.match(w):
        stem, ending = m.group(1), m.group(2)
        masculine = stem + ("ий" if stem[-1] in _VELARS_SIBILANTS else "ый")
        if collapse:
            return masculine
        if ending in ("ый", "ая") or (ending == "ой" and not gender):
            return w  # a nominative already, or "ой" that may be one ("Толстой")
        feminine = gender == "f" or (gender != "m" and ending in ("ую", "ой"))
        return stem + "ая" if feminine else masculine
    return None


def _recase(original: str, lemma: str) -> str:
    """Give the lemma the original's capitals: "ВЛАДИМИРА" -> "ВЛАДИМИР", "Путина" -> "Путин"."""
    if len(original) > 1 and original.isupper():
        return lemma.upper()
    chars = list(lemma)
    for i, ch in enumerate(original[: len(chars)]):
        if ch.isupper():
            chars[i] = chars[i].upper()
    return "".join(chars)


def lemma(word: str, case: str | None = None, gender: str = "") -> str:
    """The nominative of one word of a name, to show. `case`: "nom" (the word is a subject), "gen" (after
    "по словам"), None (unknown: only endings no nominative has are undone). `gender`: "m", "f" or ""."""
    if not is_cyrillic(word) or case == "nom":
        return word
    parts = word.split("-")
    if len(parts) > 1:
        return "-".join(lemma(p, case, gender) for p in parts)
    tables = _tables()
    w = _plain(word)
    if w in tables.nominatives:
        return word
    if case == "gen" and w in tables.genitive:
        name = tables.genitive[w]
        if not gender or tables.gender.get(name, gender) == gender:
            return _recase(word, name)
    if w in tables.oblique and (not gender or tables.gender.get(tables.oblique[w], gender) == gender):
        return _recase(word, tables.oblique[w])
    found = _surname_nominative(w, gender, collapse=False, genitive=case == "gen")
    if found is not None:
        return _recase(word, found) if found != w else word
    if gender == "f" and case in (None, "acc", "dat") and _feminine_accusative(w):
        return word[:-1] + ("а" if w[-1] == "у" else "я")  # "Зарему" -> "Зарема", "Асию" -> "Асия"
    if case in ("dat", "ins", "pre") and gender != "f":
        stem = _consonant_stem(w, case)
        return _recase(word, stem) if stem is not None else word
    if case == "gen" and len(w) > 3:
        if w[-1] == "а" and w[-2] not in _VOWELS:
            return word[:-1]  # Шольца -> Шольц
        if w[-1] in "ыи" and w[-2] not in _VOWELS:
            return word[:-1] + ("а" if w[-1] == "ы" or w[-2] in _VELARS_SIBILANTS else "я")  # Обамы -> Обама
        if w[-1] == "я" and not w.endswith("ия"):
            return word[:-1] + ("й" if w[-2] in _VOWELS else "ь")  # Гоголя -> Гоголь; "Бжания" stays
    return word


def _feminine_accusative(w: str) -> bool:
    """A woman's name in "-у" or "-ю" no table knows: her names end so only in the accusative (the dative is
    "-е" or "-и"), whatever case the words around it suggested."""
    return len(w) > 3 and w[-1] in "ую" and (w[-2] not in _VOWELS + "ьй" or w.endswith("ию"))


def _consonant_stem(w: str, case: str) -> str | None:
    """The nominative of a man's name of the consonant declension in a known oblique case, by its ending
    alone ("Розенбергу" dat., "Журавелем" ins. -> "Журавель", "Андреем" -> "Андрей"); None if it has none."""
    endings = {"dat": ("у", "ю"), "ins": ("ом", "ем", "ём"), "pre": ("е",)}.get(case, ())
    for ending in endings:
        stem = w[: -len(ending)]
        if not w.endswith(ending) or len(stem) < 2 or stem[-1] in _VOWELS + "ьй":
            continue
        if ending in ("у", "ом") or (ending == "ем" and stem[-1] in _HUSHING):
            return stem
        return stem + "ь"
    if (
        case in ("dat", "ins")
        and len(w) > 3
        and w.endswith(("ю", "ем"))
        and w[-3 if w.endswith("ем") else -2] in _VOWELS
    ):
        return w[: -2 if w.endswith("ем") else -1] + "й"
    return None


def _ends_after_consonant(w: str, ending: str) -> bool:
    return w.endswith(ending) and len(w) > len(ending) + 2 and w[-len(ending) - 1] not in _VOWELS + "ьй"


def name_case(words: Sequence[str]) -> str | None:
    """The case a name is written in when its own words show it: a given name in an oblique form ("Стивену",
    "Никитой"), or every word with the same ending of one case ("Скоттом Андерсоном"); None otherwise."""
    tables = _tables()
    first = _plain(words[0])
    if first in tables.oblique and first not in tables.nominatives:
        name = tables.oblique[first]
        forms = declension(name, tables.gender.get(name, "m"))
        cases = [c for c, f in forms.items() if f == first and c != "acc"]
        if cases:
            return "gen" if "gen" in cases else cases[0]
    if len(words) < 2:
        return None
    plain = [_plain(w) for w in words]
    for case, endings in (("ins", ("ом", "ем", "ём")), ("dat", ("у", "ю"))):
        if all(any(_ends_after_consonant(w, e) for e in endings) for w in plain):
            return case
    # a surname that does not decline ("Кобахидзе", "Чолаку") leaves the case to the given name
    if plain[-1][-1] in "еиоуэ" and len(plain[0]) > 4:
        if plain[0].endswith(("ом", "ием")) or _ends_after_consonant(plain[0], "ем"):
            return "ins"
        dative = _ends_after_consonant(plain[0], "у") or plain[0].endswith("ию")
        if dative and plain[-1][-1] not in "ую":  # "Чолаку" could be a dative
            return "dat"
    return None


def key_lemma(word: str) -> str:
    """The lower-case nominative a search key is built from, genders folded together."""
    w = _plain(word)
    parts = w.split("-")
    if len(parts) > 1:
        return "-".join(key_lemma(p) for p in parts)
    tables = _tables()
    if w in tables.nominatives or not is_cyrillic(w):
        return w
    if w in tables.oblique:
        return tables.oblique[w]
    return _surname_nominative(w, "", collapse=True) or w


def transliterate(word: str) -> str:
    """Cyrillic to Latin letters, as English news spells Russian names ("Шойгу" -> "shoigu")."""
    tables = _tables()
    w = _plain(word)
    tail = ""
    for ending, latin in tables.endings:
        if w.endswith(ending) and len(w) > len(ending):
            w, tail = w[: -len(ending)], latin
            break
    out: list[str] = []
    for i, ch in enumerate(w):
        if ch == "е" and (i == 0 or w[i - 1] in tables.ye_after):
            out.append("ye")  # Ельцин -> Yeltsin, Токаев -> Tokayev
        elif ch == "й" and tables.i_before_consonant and i + 1 < len(w) and w[i + 1] not in _VOWELS:
            out.append("i")
        else:
            out.append(tables.translit.get(ch, ch))
    return "".join(out) + tail


def latin_key(word: str) -> str:
    """One Latin spelling for the variants of the same ending ("zelenskyy", "zelenskiy" -> "zelensky")."""
    tables = _tables()
    for old, new in tables.latin_anywhere:
        word = word.replace(old, new)
    if not word.endswith(tables.latin_ending_forms):
        return word  # most words have none of the endings
    for old, new in tables.latin_endings:
        if word.endswith(old) and len(word) - len(old) >= 3:
            return word[: -len(old)] + new
    return word


def key_word(word: str) -> str:
    """The search-key form of one lower-case word of a name, in any script."""
    if not is_cyrillic(word):
        return latin_key(word)
    base = key_lemma(word)
    tables = _tables()
    parts = [tables.english.get(p) or transliterate(p) for p in base.split("-")]
    return "-".join(latin_key(p) for p in parts)


@cache
def known_lemmas() -> frozenset[str]:
    """Every form of the given and well-known names the tables hold, lower-case: words that are names."""
    tables = _tables()
    return tables.nominatives | frozenset(tables.oblique)


@cache
def known_keys() -> frozenset[str]:
    """The keys of the well-known names ("trump", "biden"): a capitalised word with one of them is a person."""
    tables = _tables()
    return frozenset(latin_key(v) for v in tables.english.values())


def may_be_nominative(word: str, gender: str = "") -> bool:
    """Whether a name word can be a nominative (of that gender): "Путин", "Захарова" (a woman), "Сибига"; not
    "Пескова" for a man, not "Владимира", "Зеленского", "Навальному". Unknown words may be."""
    tables = _tables()
    w = _plain(word)
    if w in tables.nominatives:
        return not gender or tables.gender.get(w, gender) == gender or w in tables.english
    if w in tables.oblique:
        return False
    if m := _SK.match(w):
        return m.group(2) in {"m": ("ий",), "f": ("ая",)}.get(gender, ("ий", "ая"))
    if m := _OV.match(w):
        ending = m.group(2) or ""
        return ending in {"m": ("",), "f": ("а",)}.get(gender, ("", "а"))
    if m := _ADJ.match(w):
        return m.group(2) in {"m": ("ый", "ой"), "f": ("ая",)}.get(gender, ("ый", "ой", "ая"))
    return True
