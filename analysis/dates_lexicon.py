"""The per-language data of the date finder: word lists and rule patterns, read from `data/dates_<lang>.json`.

A rule pattern is a regular expression with slots: `{month}` becomes a named group matching the language's
month names, `{year}` four digits, `{num}` a number in digits or words, and so on (see `_slots`). A plain space
in a pattern stands for a run of spaces (never a line break) and ` ?` for optional ones, so patterns stay
readable. Each rule names its `kind` (the normaliser that reads its groups), its `trigger` (word classes every
match contains, so the rule only runs near them), and optionally a `context` check or the words allowed
`before` it.

The code that turns a match into a TimeML value (`analysis.dates`) only reads the named groups, so another
language is a new JSON file: its own names (all inflected forms map to the same number: "февраля", "феврале"
→ 2) and its own word order ("{month} {year} года"). A language without a file gets the English rules, whose
numeric forms ("24.02.2022", "2022-02-24") still apply.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

_DATA = Path(__file__).parent / "data"
_SLOT = re.compile(r"\{(\w+)\}")
# White space inside an expression never crosses a line break: a headline and the dateline under it are two
# things, and posts break lines between paragraphs.
_BLANK = r"^\S\n"
_SPACE = rf"[{_BLANK}]+"
_SPACE_OPT = rf"[{_BLANK}]*"
_HYPHEN_OR_SPACE = rf"(?:-|[{_BLANK}])"


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    kind: str
    regex: re.Pattern[str]
    trigger: tuple[str, ...]  # the word classes a match always contains: the rule runs only near them
    context: str = ""  # a named plausibility check: "year", "month", "season", "year_range"
    before: frozenset[str] = frozenset()  # the word just before the match must be one of these
    order: str = "dmy"  # field order of an all-numeric date


@dataclass(frozen=True, slots=True)
class Lexicon:
    lang: str
    months: dict[str, int]
    weekdays: dict[str, int]
    seasons: dict[str, str]
    day_parts: dict[str, str]
    numbers: dict[str, int]
    vague: frozenset[str]
    ordinals: dict[str, int]
    quarter_ordinals: dict[str, int]
    half_ordinals: dict[str, int]
    units: dict[str, str]  # every form → unit code ("years" → "Y")
    relative: dict[str, int]
    relative_days: dict[str, tuple[int, str]]
    directions: dict[str, int]
    narrative: dict[str, int]  # "the following" day: +1 from the date the text last named
    narrative_directions: frozenset[str]  # "three days later": counted from the date the text last named
    modifiers: dict[str, str]
    approximators: dict[str, str]
    references: dict[str, str]
    sets: dict[str, str]
    frequencies: dict[str, int]
    decade_words: dict[str, int]
    holidays: dict[str, str]
    multipliers: dict[str, int]
    day_before_tail: re.Pattern[str]  # "April 24 and" just before the "25" of "April 24 and 25"
    noon: frozenset[str]
    midnight: frozenset[str]
    pm: frozenset[str]
    future_cues: re.Pattern[str]
    future_cues_forward: re.Pattern[str]  # "planned to leave on Thursday": the future of what follows them
    past_cues: re.Pattern[str]
    passive_before: re.Pattern[str]  # "is", "be" just before a past form: "will be held", a passive
    clause_breaks: re.Pattern[str]  # "that", "which": where the clause of an expression ends
    year_cues_strong: frozenset[str]
    year_cues_weak: frozenset[str]
    year_blockers_before: frozenset[str]
    year_blockers_after: frozenset[str]
    month_cues: frozenset[str]
    year_followers: frozenset[str]  # words after a bare number that let it be a year: "1954 and 2000"
    weekday_blockers_after: frozenset[str]  # "GMTV's Sunday programme" names a show, not a day
    named_days: dict[str, str]  # "9/11": a day known by its name
    named_day_nouns: frozenset[str]  # "the 11 September attacks": the day of a known year
    named_day_years: dict[str, int]  # "09-11" -> 2001
    month_followers: frozenset[str]  # "a May election": the month before an event's noun
    title_nouns: frozenset[str]  # "the Today programme": a date word naming a programme or paper
    that: frozenset[str]  # "that Wednesday": the weekday of the week named before
    clock_day_joiner: re.Pattern[str]  # between a clock time and its day: " on ", ", "
    day_clock_joiner: re.Pattern[str]  # between a day and its clock time: " at "
    range_between: re.Pattern[str]  # what stands between the two ends of a range: " to ", "-", " по "
    not_plural: frozenset[str]  # words ending like plurals that are not nouns: "2001 was"
    year_words: dict[str, str]
    season_cues: frozenset[str]
    ambiguous_months: frozenset[str]
    labels: dict[str, Any]
    timeline: dict[str, Any]
    triggers: dict[str, frozenset[str]]  # lower-case word → the trigger classes it belongs to
    rules: tuple[Rule, ...] = field(default=())

    def word(self, table: dict[str, Any], text: str | None) -> Any:
        """Look a matched word up in one of the tables, forgiving case, dots and inner white space."""
        if text is None:
            return None
        return table.get(key(text))


_WHITE_SPACE = re.compile(r"\s+")  # compiled once: `key` runs for every number that may be a year


def key(text: str) -> str:
    return _WHITE_SPACE.sub(" ", text.strip().lower().replace("’", "'")).rstrip(".")


def _char(ch: str) -> str:
    if ch == " ":
        return _SPACE
    if ch in "'’":
        return "['’]"
    return re.escape(ch)


def _choices(words: list[str] | set[str] | dict[str, Any]) -> str:
    """An alternation of words as a trie, so that the engine tests a first letter once, not once per word.

    At every node the longer continuations are tried before the word that ends there ("the past few" before
    "the past"), and a word ending in a letter or digit must not run on into the next letters.
    """
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in " ".join(word.split()):
            node = node.setdefault("’" if ch == "'" else ch, {})
        node[""] = {}

    def build(node: dict[str, Any], last: str) -> str:
        branches = [_char(ch) + build(child, ch) for ch, child in sorted(node.items()) if ch]
        if "" in node:
            branches.append(r"(?!\w)" if last.isalnum() else "")
        if len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")"

    first = "".join(sorted({_char(w.strip()[0]) if w.strip()[0] not in "'’" else "'’" for w in words}))
    return f"(?=[{first}])" + build(trie, "")


def _alternation(words: list[str] | set[str] | dict[str, Any]) -> str:
    return r"(?<!\w)(?:" + _choices(words) + ")"


def _cased(words: list[str], allow_lower: bool = True) -> list[str]:
    forms = []
    for word in words:
        forms += [word.capitalize(), word.upper()]
        if allow_lower:
            forms.append(word)
    return forms


def _names(full: dict[str, int], abbreviations: dict[str, int], ambiguous: set[str], dotted: bool) -> str:
    """Case-sensitive month or weekday names: "May" is a month, "may" is not."""
    names = _cased([w for w in full if w not in ambiguous])
    names += _cased([w for w in full if w in ambiguous], allow_lower=False)
    alternatives = [_choices(names)]
    if abbreviations:
        short = _choices(_cased(list(abbreviations), False)).replace(r"(?!\w)", "")
        alternatives.append(short + (r"\." if dotted else r"(?:\.|(?![\w.]))"))
    return r"(?-i:(?<!\w)(?:" + "|".join(alternatives) + "))"


def _number_words(data: dict[str, Any]) -> str:
    tens = "|".join(data["tens"])
    ones = "|".join(data["units_below_ten"])
    compound = rf"(?:{tens})(?:{_HYPHEN_OR_SPACE}(?:{ones}))?(?!\w)"
    multiplier = rf"(?:{_SPACE}(?:" + _choices(data["multipliers"]) + "))?"
    return r"(?:(?:" + compound + "|" + _choices(data["numbers"]) + ")" + multiplier + ")"


def _year_words(data: dict[str, Any]) -> str:
    """Years said in words, as transcripts write them: "nineteen ninety-one", "two thousand and one"."""
    words = data["year_words"]
    tens = "|".join(data["tens"])
    ones = "|".join(data["units_below_ten"])
    teens = "|".join(w for w, n in data["numbers"].items() if 10 <= n <= 19)
    zero, hundred, joiner = (re.escape(words[k]) for k in ("zero", "hundred", "joiner"))
    thousand = _SPACE.join(re.escape(w) for w in words["thousand"].split())
    below_hundred = rf"(?:(?:{tens})(?:{_HYPHEN_OR_SPACE}(?:{ones}))?|{teens}|{zero}{_HYPHEN_OR_SPACE}(?:{ones}))(?!\w)"
    centuries = "|".join(data["year_word_centuries"])
    return (
        rf"(?P<yearwords>(?<!\w)(?:(?:{centuries}){_SPACE}(?:{hundred}(?!\w)|{below_hundred})"
        rf"|{thousand}(?:(?:{_SPACE}{joiner})?{_SPACE}(?:{below_hundred}|{ones}))?(?!\w)))"
    )


def _slots(data: dict[str, Any]) -> dict[str, str]:
    months_full, months_abbr = data["months"], data["month_abbreviations"]
    ambiguous = set(data["ambiguous_months"])
    units_singular = [f for u in data["units"].values() for f in u["singular"]]
    units_plural = [f for u in data["units"].values() for f in u["plural"]]
    clock = data["clock"]
    ampm = "(?:" + _choices(clock["am"] + clock["pm"]) + ")"  # no word edge before it: "7pm"
    noon = _alternation(clock["noon"] + clock["midnight"])
    timezone = rf"(?-i:(?P<tz>{'|'.join(clock['timezones'])}))(?!\w)"
    digits = r"(?<![\d,./])(?:\d{1,3}(?:,\d{3})+|\d{1,6}(?:\.\d+)?(?: 1/2(?!\d))?)(?![\d,]\d)"  # "2 1/2"
    return {
        "year": r"(?P<year>(?<!\d)[12]\d{3})",
        "year2": r"(?P<year2>(?<!\d)[12]\d{3})",  # a second year in one pattern, as in "April 24 and 25, 2026"
        "yy": r"(?P<yy>(?<!\d)\d\d)",
        "mnum": r"(?P<mnum>(?<!\d)(?:1[0-2]|0?[1-9]))",
        "mnum2": r"(?P<mnum>1[0-2]|0[1-9])",
        "day": r"(?P<day>(?<![\d.,])(?:3[01]|[12]\d|0?[1-9]))",
        "day2": r"(?P<day>3[01]|[12]\d|0[1-9])",
        "ordsuf": data["ordinal_suffix"],
        "hour": r"(?P<hour>(?<!\d)(?:2[0-3]|[01]?\d))",
        "minute": r"(?P<minute>[0-5]\d)",
        "clock": (
            r"(?:(?P<hour>(?<![\d.,])(?:2[0-3]|[01]?\d))(?:[:.](?P<minute>[0-5]\d))?"
            rf"(?:[^\S\n]?(?P<ampm>{ampm})|{_SPACE}o['’]clock(?!\w))|(?P<noon>{noon}))"
            rf"(?:{_SPACE}{timezone})?"
        ),
        "tz": timezone,
        "month": f"(?P<month>{_names(months_full, {}, ambiguous, False)})",
        "month_any": f"(?P<month>{_names(months_full, months_abbr, ambiguous, False)})",
        "weekday": f"(?P<weekday>{_names(data['weekdays'], data['weekday_abbreviations'], set(), True)})",
        "weekday_any": f"(?P<weekday>{_names(data['weekdays'], data['weekday_abbreviations'], set(), False)})",
        "weekdays": "(?P<weekday>(?-i:(?<!\\w)(?:"
        + "|".join(n + "s" for n in _cased(list(data["weekdays"]), True) if not n.isupper())
        + ")(?!\\w)))",
        "season": f"(?P<season>{_alternation(data['seasons'])})",
        "part": f"(?P<part>{_alternation(data['day_parts'])})",
        "dayrel": f"(?P<dayrel>{_alternation(data['relative_days'])})",
        "rel": f"(?P<rel>{_alternation(data['relative'])})",
        "relyear": f"(?P<relyear>{_alternation(data['relative'])})",  # "June last year": the year is relative
        "mod": f"(?P<mod>{_alternation(data['modifiers'])})",
        "approx": f"(?P<approx>{_alternation(data['approximators'])})",
        "direction": f"(?P<direction>{_alternation(data['offset_directions'])})",
        "num": f"(?P<num>{digits}|(?<!\\w){_number_words(data)})",
        "vague": f"(?P<vague>{_alternation(data['vague_numbers'])})",
        "unit": f"(?P<unit>{_alternation(units_singular)})",
        "units": f"(?P<unit>{_alternation(units_plural)})",
        "unit_any": f"(?P<unit>{_alternation(units_singular + units_plural)})",
        "ordword": f"(?P<ord>{_alternation(data['quarter_ordinals'])})",
        "halfword": f"(?P<half>{_alternation(data['half_ordinals'])})",
        "dayword": f"(?P<dayword>{_alternation([w for w, n in data['ordinals'].items() if n <= 31])})",
        "qnum": r"(?P<qnum>[1-4])",
        "cent": r"(?P<cent>(?<!\d)[12]?\d)",
        "centword": f"(?P<centword>{_alternation(data['ordinals'])})",
        "decade": r"(?P<decade>(?<!\d)[12]\d\d0)['’]?s(?!\w)",
        "decade2": f"(?P<decade2>(?<!\\d)\\d0['’]?s(?!\\w)|{_alternation(data['decade_words'])})",
        "ref": f"(?P<ref>{_alternation(data['references'])})",
        "ana": f"(?P<ana>{_alternation(data['narrative'])})",
        "setword": f"(?P<setword>{_alternation(data['sets'])})",
        "freq": f"(?P<freq>{_alternation(data['frequencies'])})",
        "holiday": f"(?P<holiday>{_alternation(data['holidays'])})",
        "named": f"(?P<named>{_choices(data['named_days'])})" if data.get("named_days") else "(?P<named>(?!))",
        # Years said in words are an English rule; a language without them never matches the slot.
        "yearwords": _year_words(data) if "year_words" in data else "(?P<yearwords>(?!))",
        "roman": r"(?P<roman>(?<!\w)(?-i:[IVX]{1,6})(?!\w))",  # centuries: "XX век"
    }


def expand(pattern: str, slots: dict[str, str]) -> str:
    """Fill the slots and turn template spaces into white-space runs (not inside classes or look-behinds)."""
    out: list[str] = []
    depth_lookbehind: list[bool] = []
    in_class = False
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
            out.append(ch)
        elif ch == "[":
            in_class = True
            out.append(ch)
        elif ch == "(":
            depth_lookbehind.append(pattern.startswith(("(?<=", "(?<!"), i))
            out.append(ch)
        elif ch == ")":
            if depth_lookbehind:
                depth_lookbehind.pop()
            out.append(ch)
        elif ch == " " and not any(depth_lookbehind):
            if pattern.startswith(" ?", i):
                out.append(_SPACE_OPT)
                i += 1
            else:
                out.append(_SPACE)
        elif ch == "{" and (m := _SLOT.match(pattern, i)) and m.group(1) in slots:
            out.append(slots[m.group(1)])
            i = m.end()
            continue
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def _forms(data: dict[str, Any]) -> dict[str, str]:
    return {key(form): u["code"] for u in data["units"].values() for form in u["singular"] + u["plural"]}


def _cues(words: list[str], pattern: str = "") -> re.Pattern[str]:
    """Tense cue words, and a pattern for what a language marks by endings (Russian "-ил", "-ала": the past)."""
    alternatives = [_alternation(words)] + ([pattern] if pattern else [])
    return re.compile("|".join(alternatives), re.IGNORECASE)


def _triggers(data: dict[str, Any]) -> dict[str, frozenset[str]]:
    """Which words announce which kind of expression."""
    classes: dict[str, list[str] | dict[str, Any]] = {
        "month": {**data["months"], **data["month_abbreviations"]},
        "weekday": {**data["weekdays"], **data["weekday_abbreviations"]},
        "season": data["seasons"],
        "part": data["day_parts"],
        "unit": [f for u in data["units"].values() for f in u["singular"] + u["plural"]],
        "dayrel": data["relative_days"],
        "ref": data["references"],
        "set": data["sets"],
        "freq": data["frequencies"],
        "decade": data["decade_words"],
        "holiday": data["holidays"],
        "clock": data["clock"]["triggers"],
        "yearword": data.get("year_word_centuries", []) + (["thousand"] if "year_words" in data else []),
        "period": data.get("report_period_words", []),  # "the latest period" of an earnings report
    }
    stop = set(data["trigger_stopwords"])
    table: dict[str, set[str]] = {}
    for name, words in classes.items():
        for phrase in words:
            # A phrase is announced by its longest word that is not a stop word: "day before yesterday".
            tokens = re.findall(r"\w+", phrase.lower())
            content = [t for t in tokens if t not in stop and len(t) > 1] or tokens
            word = max(content, key=len)
            table.setdefault(word, set()).add(name)
            if name == "weekday":
                table.setdefault(word + "s", set()).add(name)
    return {word: frozenset(names) for word, names in table.items()}


def _lower(words: list[str]) -> frozenset[str]:
    return frozenset(key(w) for w in words)


@cache
def load(lang: str = "en") -> Lexicon:
    """The lexicon of a language, read and compiled once per process; English when there is no file."""
    path = _DATA / f"dates_{lang}.json"
    if not path.exists():
        path = _DATA / "dates_en.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    slots = _slots(data)
    rules = tuple(
        Rule(
            name=r["name"],
            kind=r["kind"],
            # Matches start at a word's edge: the guard makes every other position fail at once.
            regex=re.compile(r"(?<!\w)(?:" + expand(r["pattern"], slots) + ")", re.IGNORECASE),
            trigger=tuple(r["trigger"]),
            context=r.get("context", ""),
            before=_lower(r.get("before", [])),
            order=r.get("order", "dmy"),
        )
        for r in data["rules"]
    )
    clock = data["clock"]
    return Lexicon(
        lang=data["lang"],
        months={**{key(k): v for k, v in data["months"].items()}, **data["month_abbreviations"]},
        weekdays={**data["weekdays"], **data["weekday_abbreviations"]},
        seasons=data["seasons"],
        day_parts=data["day_parts"],
        numbers={key(k): v for k, v in data["numbers"].items()},
        vague=_lower(data["vague_numbers"]),
        ordinals={key(k): v for k, v in data["ordinals"].items()},
        quarter_ordinals={key(k): v for k, v in data["quarter_ordinals"].items()},
        half_ordinals={key(k): v for k, v in data["half_ordinals"].items()},
        units=_forms(data),
        relative={key(k): v for k, v in data["relative"].items()},
        relative_days={key(k): (v[0], v[1]) for k, v in data["relative_days"].items()},
        directions={key(k): v for k, v in data["offset_directions"].items()},
        narrative={key(k): v for k, v in data["narrative"].items()},
        narrative_directions=_lower(data["narrative_directions"]),
        modifiers={key(k): v for k, v in data["modifiers"].items()},
        approximators={key(k): v for k, v in data["approximators"].items()},
        references={key(k): v for k, v in data["references"].items()},
        sets={key(k): v for k, v in data["sets"].items()},
        frequencies={key(k): v for k, v in data["frequencies"].items()},
        decade_words=data["decade_words"],
        holidays={key(k): v for k, v in data["holidays"].items()},
        multipliers=data["multipliers"],
        day_before_tail=re.compile(
            expand("{month_any} (?:the )?(?P<first>\\d{1,2})", slots)
            + rf"(?:st|nd|rd|th)?(?:,?{_SPACE}(?P<year>[12]\d{{3}}))?,?{_SPACE_OPT}(?:"
            + "|".join(re.escape(c) for c in data["range_connectors"])
            + rf"){_SPACE_OPT}$"
        ),
        noon=_lower(clock["noon"]),
        midnight=_lower(clock["midnight"]),
        pm=_lower(clock["pm"]),
        future_cues=_cues(data["future_cues"], data.get("future_cue_pattern", "")),
        future_cues_forward=(
            _cues(data["future_cues_forward"]) if data.get("future_cues_forward") else re.compile("(?!)")
        ),
        past_cues=_cues(data["past_cues"], data.get("past_cue_pattern", "")),
        passive_before=re.compile(
            "(?<!\\w)(?:" + "|".join(re.escape(w) for w in data.get("passive_auxiliaries", [])) + r")\s+$"
            if data.get("passive_auxiliaries")
            else "(?!)",
            re.IGNORECASE,
        ),
        clause_breaks=re.compile(
            "(?<!\\w)(?:" + "|".join(re.escape(w) for w in data.get("clause_breaks", [])) + r")(?!\w)"
            if data.get("clause_breaks")
            else "(?!)",
            re.IGNORECASE,
        ),
        year_cues_strong=_lower(data["year_cues_strong"]),
        year_cues_weak=_lower(data["year_cues_weak"]),
        year_blockers_before=_lower(data["year_blockers_before"]),
        year_blockers_after=_lower(data["year_blockers_after"]),
        month_cues=_lower(data["month_cues_before"]),
        year_followers=_lower(data["year_followers"]),
        not_plural=_lower(data["not_plural"]),
        weekday_blockers_after=_lower(data["weekday_blockers_after"]),
        named_days=data.get("named_days", {}),
        named_day_nouns=_lower(data.get("named_day_nouns", {}).get("nouns", [])),
        named_day_years=data.get("named_day_nouns", {}).get("days", {}),
        month_followers=_lower(data.get("month_followers", [])),
        title_nouns=_lower(data.get("title_nouns", [])),
        that=_lower(data.get("that", [])),
        clock_day_joiner=re.compile(
            r",?\s+(?:(?:" + "|".join(re.escape(w) for w in data.get("clock_day_joiners", [])) + r")\s+)?"
            if data.get("clock_day_joiners")
            else r",?\s+",
            re.IGNORECASE,
        ),
        day_clock_joiner=re.compile(
            r",?\s+(?:(?:" + "|".join(re.escape(w) for w in data.get("day_clock_joiners", [])) + r")\s+)?"
            if data.get("day_clock_joiners")
            else r",?\s+",
            re.IGNORECASE,
        ),
        range_between=re.compile(
            _SPACE_OPT + "(?:" + "|".join(re.escape(c) for c in data["range_connectors"]) + ")" + _SPACE_OPT,
            re.IGNORECASE,
        ),
        year_words=data.get("year_words", {}),
        season_cues=_lower(data["season_cues_before"]),
        ambiguous_months=_lower(data["ambiguous_months"]),
        labels=data["labels"],
        timeline=data["timeline"],
        triggers=_triggers(data),
        rules=rules,
    )
