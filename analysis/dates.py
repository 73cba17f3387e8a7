"""Temporal expressions: find them in text and normalise them to TimeML (TIMEX3) values.

Rules in the spirit of HeidelTime: every rule of the language file (`analysis.dates_lexicon`) is run over the
text, a match is checked in its context ("in 1954" is a year, "2000 people" is not) and normalised from its
named groups; where matches overlap the longest wins, ties going to the earlier rule.

Values follow TimeML as TimeBank uses it:

- dates "1954", "2022-02", "2022-02-24", "2023-SP", "2022-Q3", "2022-H1", "2022-W08", "2022-W08-WE";
  decades "199X" (the 1990s), centuries "19" (the 20th century); times "2022-02-24T09:00", "2022-02-24TMO".
- "early/mid/late" go to `modifier` as START/MID/END (TimeBank's choice for "early"), the value keeps the
  period: "early October 2025" is "2025-10" + START. "about/more than" give APPROX, MORE_THAN, ...
- durations "P50Y", "PT3H", "PXY" (several years); sets "P1D" (daily), "XXXX-WXX-1" (every Monday).
- PRESENT_REF, PAST_REF, FUTURE_REF for "now", "recently", "the future".
- "in 50 years" is a DATE with value FUTURE_REF: a point far ahead of an anchor the text rarely states (often
  the reported conversation, not the publication), so it is not put on a time line. Short horizons
  ("in two weeks") are resolved against the publication date as TimeML does.

Relative expressions ("yesterday", "last week", "two years ago", "on Monday", "in February") are resolved
against `published_at`. Without it they keep TimeML's unknown digits: "XXXX-XX-XX", "XXXX-02", "XXXX-WXX-1";
callers that need a real date skip values that do not start with a year.
"""

from __future__ import annotations

import bisect
import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from analysis.dates_lexicon import Lexicon, Rule, key, load
from analysis.types import TimeExpression, TimexType

__all__ = ["find_timexes"]

_MAX_YEAR = 2199  # a four-digit number above this is never read as a year
_AHEAD = 62  # days: how far a month or day without a year may lie on the side its tense denies
_AHEAD_WEIGHT = 2  # without a tense, a date ahead of the anchor counts as this many times as far away
_PUNCT_AFTER = frozenset(",.;:)]–—-!?\"'”’»")
_TOKEN = re.compile(r"\w+")
_NUMBER_RUN = re.compile(r"\d[ \u00a0]+$")
_DIGIT = frozenset({"digit"})
_YEAR4 = frozenset({"year4"})
_FOUR_DIGITS = re.compile(r"\d{4}")
_REACH = 50  # how far a match can reach from its trigger word, in characters
_NOW_LATER = re.compile(r"\W+(?:\w+\W+){0,2}later\b", re.IGNORECASE)
_OPENING_QUOTES = ('"', "«", "“", "„")
_CLOSING_QUOTES = ('"', "»", "”", "“")
_QUOTE_CHARS = frozenset(_OPENING_QUOTES + _CLOSING_QUOTES)


@dataclass(frozen=True, slots=True)
class _Norm:
    type: TimexType
    value: str
    granularity: str
    modifier: str = ""
    # Resolved against earlier expressions of the text: "quarter", "year_ago", "year_offset", "narrative", "clock"
    # (with `unit` and `shift`: "the following day" is ("D", 1) from the date last named).
    anaphor: str = ""
    unit: str = ""
    shift: int = 0


def find_timexes(text: str, published_at: datetime | None, lang: str = "en") -> list[TimeExpression]:
    """Every temporal expression of `text`, in text order, without overlaps."""
    if not text:
        return []
    lex = load(lang)
    finder = _Finder(text, published_at.date() if published_at else None, lex)
    windows = _windows(text, lex)
    candidates: list[tuple[int, int, int, _Norm]] = []
    for order, rule in enumerate(lex.rules):
        for lo, hi in windows[rule.trigger]:
            for match in rule.regex.finditer(text, lo, hi):
                start, end = match.span()
                if end <= start or (rule.before and _word_before(text, start) not in rule.before):
                    continue
                if rule.context and not finder.plausible(rule, match):
                    continue
                if finder.titled(start, end):
                    continue
                norm = finder.normalise(rule, match)
                if norm is not None:
                    candidates.append((start, end, order, norm))
    # Longest first, then the earlier rule: "24 February 2022" beats "February 2022" beats "2022".
    candidates.sort(key=lambda c: (c[0] - c[1], c[2], c[0]))
    taken = bytearray(len(text))
    chosen: list[tuple[int, int, _Norm]] = []
    for start, end, _, norm in candidates:
        if any(taken[start:end]):
            continue
        taken[start:end] = b"\x01" * (end - start)
        chosen.append((start, end, norm))
    chosen.sort(key=lambda c: c[0])
    found = [
        TimeExpression(text[start:end], start, end, norm.type, norm.value, norm.granularity, norm.modifier)
        for start, end, norm in _clock_on_day(text, _resolve_anaphors(_one_year_each(chosen, finder), finder), lex)
    ]
    return _range_years(text, found, lex)


_MONTH_VALUE = re.compile(r"(\d{4})-(\d\d)(-\d\d)?$")


def _range_years(text: str, found: list[TimeExpression], lex: Lexicon) -> list[TimeExpression]:
    """The first end of a range takes its year from the second: "from March to November 2022" is 2022-03."""
    out = list(found)
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        ma, mb = _MONTH_VALUE.match(a.value), _MONTH_VALUE.match(b.value)
        if ma is None or mb is None or ma.group(1) == mb.group(1) or _FOUR_DIGITS.search(a.text):
            continue
        if not _FOUR_DIGITS.search(b.text) or not lex.range_between.fullmatch(text, a.end, b.start):
            continue
        year = int(mb.group(1)) - (int(ma.group(2)) > int(mb.group(2)))
        out[i] = replace(a, value=f"{year:04d}" + a.value[4:])
    return out


_CLOCK_VALUE = re.compile(r"T\d\d:\d\d")
_DAY_VALUE = re.compile(r"(?:\d{4}|XXXX)-(?:\d\d-\d\d|WXX-\d)$")


def _clock_and_day(clock: _Norm, day: _Norm, joined: object) -> _Norm | None:
    """A clock time and the day it is on, written next to each other, as one time: "1200 GMT on Wednesday"."""
    if not (
        joined
        and clock.type == "TIME"
        and _CLOCK_VALUE.search(clock.value)
        and day.type == "DATE"
        and _DAY_VALUE.match(day.value)
    ):
        return None
    return _Norm("TIME", day.value + clock.value[clock.value.index("T") :], "time", clock.modifier)


def _clock_on_day(text: str, chosen: list[tuple[int, int, _Norm]], lex: Lexicon) -> list[tuple[int, int, _Norm]]:
    """A clock time followed by the day it is on is one time: "1200 GMT on Wednesday", "5 p.m. EST, Nov. 9"."""
    out: list[tuple[int, int, _Norm]] = []
    for start, end, norm in chosen:
        if out:
            p_start, p_end, p_norm = out[-1]
            joined = _clock_and_day(p_norm, norm, lex.clock_day_joiner.fullmatch(text, p_end, start)) or _clock_and_day(
                norm,
                p_norm,
                lex.day_clock_joiner.fullmatch(text, p_end, start),  # "on Wednesday at 1200 GMT"
            )
            if joined is not None:
                out[-1] = (p_start, end, joined)
                continue
        out.append((start, end, norm))
    return out


_YEARLESS = re.compile(r"\d{4}(-\d\d(?:-\d\d)?)$")


def _one_year_each(chosen: list[tuple[int, int, _Norm]], finder: _Finder) -> list[tuple[int, int, _Norm]]:
    """The same month or day named without a year ("5 May" twice) is one date in one article: where its
    occurrences got different years, the year of the first one with a tense cue (a forward-looking "will be
    held on 5 May"), else of the first one."""
    groups: dict[tuple[str, str], list[int]] = {}
    for i, (start, end, norm) in enumerate(chosen):
        m = _YEARLESS.match(norm.value) if norm.type == "DATE" and not norm.anaphor else None
        if m is None or norm.granularity not in ("day", "month") or _FOUR_DIGITS.search(finder.text, start, end):
            continue
        groups.setdefault((norm.granularity, m.group(1)), []).append(i)
    out = list(chosen)
    for members in groups.values():
        if len({chosen[i][2].value for i in members}) < 2:
            continue  # the common case: nothing to reconcile, no tense to read
        cued = [i for i in members if finder.tense_cued(chosen[i][0], chosen[i][1])]
        year = chosen[(cued or members)[0]][2].value[:4]
        for i in members:
            start, end, norm = chosen[i]
            out[i] = (start, end, replace(norm, value=year + norm.value[4:]))
    return out


_QUARTER = re.compile(r"(\d{4})-Q([1-4])$")
_ANAPHOR_REACH = 1500  # characters: how far back "the quarter" looks for the quarter it means


def _resolve_anaphors(chosen: list[tuple[int, int, _Norm]], finder: _Finder) -> list[tuple[int, int, _Norm]]:
    """References to dates the text named before.

    Earnings reports: beside "the third quarter", "the quarter" is that quarter, and "a year earlier" or "the
    year-ago period" its twin a year before. Narratives: "the following day", "that year", "three days later"
    count from the last date named, and stay unknown when it is too coarse ("in 2019 ... three days later");
    when no date was named at all, "later" counts from the publication and "that day" stays unknown.
    """
    resolved = []
    quarter: tuple[int, int, int] | None = None  # position, year, quarter number
    named: _Norm | None = None  # the last date named
    for start, end, norm in chosen:
        anaphor = norm.anaphor
        near = quarter is not None and start - quarter[0] <= _ANAPHOR_REACH
        if anaphor == "period_year_ago":
            month = _MONTH_ONLY.match(named.value) if named is not None else None
            if quarter is not None and near and norm.unit != "month":
                norm = _Norm("DATE", f"{quarter[1] - 1:04d}-Q{quarter[2]}", "quarter", norm.modifier)
            elif month is not None and norm.unit != "quarter":
                norm = _Norm("DATE", f"{int(month.group(1)) - 1:04d}-{month.group(2)}", "month", norm.modifier)
            else:
                norm = finder.unanchored(replace(norm, anaphor="year_ago"))
        elif anaphor == "quarter_in_year":
            if quarter is not None and near:
                norm = _Norm("DATE", f"{norm.shift:04d}-Q{quarter[2]}", "quarter", norm.modifier)
        elif anaphor in ("quarter", "year_ago") or (anaphor.startswith("year_offset") and near):
            if quarter is not None and near:
                year = quarter[1] - (anaphor != "quarter")
                norm = _Norm("DATE", f"{year:04d}-Q{quarter[2]}", "quarter", norm.modifier)
            else:
                norm = finder.unanchored(norm)
        elif anaphor in _COUNTED_FROM_NAMED and named is not None:
            shifted = _shift_value(named.value, norm.unit, norm.shift)
            value, granularity = shifted or (_UNKNOWN.get(norm.unit, "XXXX-XX-XX"), norm.granularity)
            norm = _Norm(norm.type, value, granularity, norm.modifier)
        elif (
            anaphor == "report_year"
            and named is not None
            and _NAMED.match(named.value)
            and (
                named.value[:4] <= norm.value  # a year named ahead ("by 1992") is not the year reported on
            )
        ):
            norm = _Norm("DATE", named.value[:4], "year", norm.modifier)
        elif anaphor == "report_day" and named is not None and _DAY.match(named.value):
            norm = _Norm("DATE", named.value[:10], "day", norm.modifier)
        elif anaphor == "clock" and named is not None and _DAY.match(named.value):
            norm = _Norm(norm.type, named.value[:10] + norm.value[norm.value.index("T") :], "time", norm.modifier)
        elif anaphor == "that_weekday" and named is not None and _DAY.match(named.value):
            named_day = date.fromisoformat(named.value[:10])
            norm = _Norm("DATE", _ymd(named_day + timedelta(days=norm.shift - named_day.isoweekday())), "day")
        elif anaphor == "narrative":  # "that day" with no day named before it
            norm = _Norm(norm.type, _UNKNOWN.get(norm.unit, "XXXX-XX-XX"), norm.granularity, norm.modifier)
        if (not anaphor or anaphor in _COUNTED_FROM_NAMED) and _NAMED.match(norm.value):
            named = norm
        if not anaphor and (m := _QUARTER.match(norm.value)) and finder.reported(int(m.group(1)), int(m.group(2))):
            quarter = (start, int(m.group(1)), int(m.group(2)))
        resolved.append((start, end, replace(norm, anaphor="")))
    return resolved


_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
_MONTH_ONLY = re.compile(r"(\d{4})-(\d\d)$")
_COUNTED_FROM_NAMED = frozenset({"narrative", "narrative_offset", "year_offset_narrative"})
_DAY = re.compile(r"\d{4}-\d\d-\d\d")
_NAMED = re.compile(r"\d{4}(?:-\d\d)?")  # a value that dates something to a year or finer
_UNKNOWN = {"Y": "XXXX", "M": "XXXX-XX", "W": "XXXX-WXX", "WE": "XXXX-WXX-WE", "Q": "XXXX-QX", "D": "XXXX-XX-XX"}


def _shift_value(value: str, unit: str, k: int) -> tuple[str, str] | None:
    """A named date moved by k units; the result is no finer than the unit ("a year later" is a year)."""
    m = re.match(r"(\d{4})(?:-(\d\d)(?:-(\d\d))?)?", value)
    if m is None:
        return None
    year = int(m.group(1))
    month = int(m.group(2)) if m.group(2) else None
    day = date(year, month, int(m.group(3))) if m.group(3) and month else None
    try:
        if unit in ("D", "W", "FN", "WE"):
            if day is None:
                return None
            moved = day + timedelta(days=k * {"D": 1, "W": 7, "FN": 14, "WE": 7}[unit])
            if unit == "WE":
                return _week(moved) + "-WE", "week"
            return (_ymd(moved), "day") if unit == "D" or k else (_week(moved), "week")
        if unit in ("M", "Q"):
            if month is None:
                return None
            y, mo = _shift_months(year, month, k * (3 if unit == "Q" else 1))
            if unit == "Q":
                return f"{y:04d}-Q{(mo - 1) // 3 + 1}", "quarter"
            return f"{y:04d}-{mo:02d}", "month"
        if unit in ("Y", "DE", "CE"):
            y = year + k * {"Y": 1, "DE": 10, "CE": 100}[unit]
            return (f"{y:04d}", "year") if _valid_year(y) else None
    except ValueError:
        return None
    return None


def _windows(text: str, lex: Lexicon) -> dict[tuple[str, ...], list[tuple[int, int]]]:
    """Stretches of text around the words that can start a rule, merged, for each rule's trigger classes.

    Running every rule over the whole text costs a scan per rule; running it only around its trigger words
    ("February", "years", a number) keeps an article in a few milliseconds and a megabyte in well under a second.
    """
    n = len(text)
    found: dict[str, list[tuple[int, int]]] = {}
    triggers = lex.triggers
    for token in _TOKEN.finditer(text):
        word = token.group(0)
        classes = triggers.get(word.lower())
        if not word.isalpha():
            classes = (classes or frozenset()) | (_YEAR4 if _FOUR_DIGITS.search(word) else _DIGIT)
            suffix = word.lstrip("0123456789").lower()  # "7pm": a number run into its word
            if suffix and suffix != word.lower():
                classes |= triggers.get(suffix, frozenset())
        elif classes is None:
            continue
        # Widen to a space so that no word is cut; give up after a few characters (a megabyte of digits).
        lo = max(token.start() - _REACH, 0)
        if lo:
            space = text.rfind(" ", lo - 20, lo)
            lo = space + 1 if space >= 0 else lo
        hi = min(token.end() + _REACH, n)
        if hi < n:
            space = text.find(" ", hi, hi + 20)
            hi = space if space >= 0 else hi
        for name in classes:
            found.setdefault(name, []).append((lo, hi))
    merged: dict[tuple[str, ...], list[tuple[int, int]]] = {}
    for rule in lex.rules:
        if rule.trigger not in merged:
            merged[rule.trigger] = _merged(sorted(s for name in rule.trigger for s in found.get(name, ())))
    return merged


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for lo, hi in spans:
        if merged and lo <= merged[-1][1]:
            if hi > merged[-1][1]:
                merged[-1] = (merged[-1][0], hi)
        else:
            merged.append((lo, hi))
    return merged


def _word_before(text: str, start: int) -> str:
    i = start
    while i > 0 and text[i - 1].isspace():
        i -= 1
    j = i
    while j > 0 and not text[j - 1].isspace() and i - j < 30:
        j -= 1
    return key(text[j:i].lstrip("(\"'“‘«[").rstrip(","))


def _word_after(text: str, end: int) -> str:
    i = end
    n = len(text)
    while i < n and text[i] in " \t\u00a0":
        i += 1
    if i >= n or text[i] == "\n":
        return ""
    if text[i] in _PUNCT_AFTER:
        return text[i]
    j = i
    while j < n and (text[j].isalnum() or text[j] in "'’-") and j - i < 30:
        j += 1
    return text[i:j]


def _holiday_date(rule: str, year: int) -> date:
    """ "12-25" a fixed day; "11-W4-4" the 4th Thursday of November, "11-W4-4+1" the day after it;
    "easter-2" two days before Easter."""
    if rule.startswith("easter"):
        return _easter(year) + timedelta(days=int(rule[len("easter") :]))
    month, _, rest = rule.partition("-")
    if rest.startswith("W"):
        rest, _, after = rest.partition("+")
        nth, weekday = (int(x) for x in rest[1:].split("-"))
        first = date(year, int(month), 1)
        return first + timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (nth - 1) + int(after or 0))
    return date(year, int(month), int(rest))


def _easter(year: int) -> date:
    # The anonymous Gregorian algorithm (Meeus/Jones/Butcher).
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _ymd(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


def _week(d: date) -> str:
    iso = d.isocalendar()
    return f"{iso.year:04d}-W{iso.week:02d}"


def _shift_months(year: int, month: int, k: int) -> tuple[int, int]:
    total = year * 12 + month - 1 + k
    return total // 12, total % 12 + 1


def _valid_year(year: int) -> bool:
    return 1 <= year <= 9999


def _number(lex: Lexicon, text: str | None) -> float | None:
    if text is None:
        return None
    word = key(text)
    digits = word.replace(",", "")
    if digits.endswith(" 1/2") and digits[:-4].isdigit():  # "2 1/2 years"
        return float(digits[:-4]) + 0.5
    if digits.replace(".", "", 1).isdigit():
        return float(digits)
    if word in lex.numbers:
        return float(lex.numbers[word])
    factor = 1
    head, _, last = word.rpartition(" ")
    if head and last in lex.multipliers:  # "two thousand"
        word, factor = head, lex.multipliers[last]
        if word in lex.numbers:
            return float(lex.numbers[word] * factor)
    parts = re.split(r"[-\s]+", word)
    if all(p in lex.numbers for p in parts):
        return float(sum(lex.numbers[p] for p in parts) * factor)
    return None


def _counted(m: re.Match[str]) -> bool:
    """Whether a rule states a count ("two years ago", "several years ago") rather than implying one."""
    return "num" in m.re.groupindex or "vague" in m.re.groupindex


_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}


def _roman(numeral: str) -> int:
    """ "XX" -> 20, "XIX" -> 19; 0 for anything else."""
    values = [_ROMAN.get(ch, 0) for ch in numeral]
    if not values or 0 in values:
        return 0
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def _count(n: float) -> str:
    return str(int(n)) if n.is_integer() else f"{n:g}"


class _Finder:
    """Context checks and normalisation for one text and one anchor date."""

    def __init__(self, text: str, anchor: date | None, lex: Lexicon) -> None:
        self.text = text
        self.anchor = anchor
        self.lex = lex
        # Words English always capitalises: a capital on any other date word inside a sentence makes a name.
        self._proper = {*lex.months, *lex.weekdays, *(h.split()[0] for h in lex.holidays)}
        self._quotes = [i for i, ch in enumerate(text) if ch in _QUOTE_CHARS]

    # -- context -------------------------------------------------------------------------------------------

    def plausible(self, rule: Rule, m: re.Match[str]) -> bool:
        if rule.context == "year":
            return self._year_plausible(m)
        if rule.context == "weekday":
            before = _word_before(self.text, m.start())
            after = key(_word_after(self.text, m.end()))
            return not before.endswith("'s") and after not in self.lex.weekday_blockers_after
        if rule.context == "year_range":
            return _word_after(self.text, m.end()).lower() not in self.lex.year_blockers_after
        if rule.context == "clock_digits":
            # "at 1200" is noon; "at 1999 prices" and "by 2008" are years, which a clock needs a zone to beat.
            number = int(m.group("hour")) * 100 + int(m.group("minute"))
            after = key(_word_after(self.text, m.end()))
            return not 1800 <= number <= 2100 and after not in self.lex.year_blockers_after
        if rule.context in ("month", "season"):
            if m.groupdict().get("mod"):
                return True
            before = _word_before(self.text, m.start())
            if rule.context == "season" and key(_word_after(self.text, m.end())) == "of":
                return False  # "the fall of the Wall"
            word = key(m.group(rule.context))
            if rule.context == "month" and word not in self.lex.ambiguous_months:
                return True
            if rule.context == "month" and key(_word_after(self.text, m.end())) in self.lex.month_followers:
                return True  # "a May election"
            return before in (self.lex.month_cues if rule.context == "month" else self.lex.season_cues)
        return True

    def titled(self, start: int, end: int) -> bool:
        """Whether date words are a title or a slogan: Radio 4's "Today", ITV's "This Morning", "the Sunday
        programme", «Россия сегодня», "vote now, pay later"."""
        text = self.text
        words = text[start:end]
        capital = words[:1].isupper()
        if capital and key(_word_after(text, end)) in self.lex.title_nouns:
            return True
        # A word written in lower case inside a sentence ("today", "this morning") is a name when capitalised.
        first = _TOKEN.match(words)
        if capital and self.lex.lang == "en" and first and key(first.group(0)) not in self._proper:
            i = start
            while i > 0 and text[i - 1] in " \t\u00a0":
                i -= 1
            if i > 0 and (text[i - 1].isalnum() or text[i - 1] == ","):
                return True
        return self._in_short_quote(start, end)

    def _in_short_quote(self, start: int, end: int) -> bool:
        """A date word inside a quoted name of a few words, not at its start: «Россия сегодня», "vote now, pay
        later". A quote that starts with the date ("Today we ...") or is the date itself stays a date."""
        text, quotes = self.text, self._quotes
        k = bisect.bisect_left(quotes, start)
        if k == 0 or k == len(quotes) or quotes[k] < end:
            return False
        opening, closing = quotes[k - 1], quotes[k]
        if text[opening] not in _OPENING_QUOTES or text[closing] not in _CLOSING_QUOTES or closing - opening > 60:
            return False
        inner = text[opening + 1 : closing]
        lead = text[opening + 1 : start].strip()
        return "\n" not in inner and bool(lead) and len(inner.split()) <= 4

    def _year_plausible(self, m: re.Match[str]) -> bool:
        lex = self.lex
        groups = m.groupdict()
        if groups.get("mod"):
            return True
        before = _word_before(self.text, m.start())
        after = _word_after(self.text, m.end())
        if before in lex.year_blockers_before or key(after) in lex.year_blockers_after:
            return False
        if groups.get("yy") is not None:
            return before in lex.year_cues_strong
        year = int(m.group("year"))
        if year > _MAX_YEAR:
            return False
        if _NUMBER_RUN.search(self.text, max(0, m.start() - 8), m.start()):
            return False  # "+1 555 2001 2022": one group of a phone number or a code, not a year
        rest = self.text[m.end() : m.end() + 6]
        if rest[:1] in "-–" and rest[1:2].isdigit():
            second = re.match(r"\d+", rest[1:])
            digits = second.group(0) if second else ""
            if len(digits) == 4 and not year < int(digits) <= year + 200:
                return False
            if len(digits) not in (2, 4):
                return False
        if before in lex.year_cues_strong:
            return True
        # "of 2000 applicants": after a weak cue, a plural noun makes the number a count.
        plural_noun = after[:1].islower() and after.endswith("s") and after not in lex.not_plural
        if before in lex.year_cues_weak:
            return not plural_noun
        return 1800 <= year <= 2100 and (after == "" or after in _PUNCT_AFTER or after in lex.year_followers)

    def _tense(self, start: int, end: int, reach: int = 10**6, clause: bool = False) -> int:
        """+1 when the words nearest the expression speak of the future ("will meet on Monday"), -1 of the
        past ("said Friday", "the king met Monday"), 0 when the sentence gives no cue.

        With `clause`, only the expression's own clause counts: what follows a subordinator after it ("announced
        Friday that it will ...") is another clause with its own tense.
        """
        text, lex = self.text, self.lex
        lo = max(text.rfind(".", 0, start), text.rfind("\n", 0, start), start - 150) + 1
        hi = min((i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0), default=len(text))
        hi = min(hi, end + 150)
        if clause and (sub := lex.clause_breaks.search(text, end, hi)) is not None:
            hi = sub.start()
        future = [(c.start(), c.end()) for c in lex.future_cues.finditer(text, lo, hi)]
        # Intentions ("planned to", "is expected to") look ahead only: "On Friday, the government planned to ..."
        forward = [(c.start(), c.end()) for c in lex.future_cues_forward.finditer(text, lo, start)]
        future += [(a, b) for a, b in forward if b <= start]
        past = [
            (c.start(), c.end())
            for c in lex.past_cues.finditer(text, lo, hi)
            # "expected", "scheduled" look past and speak of the future; "will be held" is a passive, not a past
            if not any(f0 <= c.start() < f1 for f0, f1 in future)
            and not lex.passive_before.search(text, max(lo, c.start() - 12), c.start())
        ]
        best, tense = 10**6, 0
        for cues, sign in ((future, 1), (past, -1)):
            for cue_start, cue_end in cues:
                if start <= cue_start < end:
                    continue  # "last" or "next" inside the expression itself is read by the rule
                distance = start - cue_end if cue_end <= start else cue_start - end
                if distance < best and distance <= reach:
                    best, tense = distance, sign
        return tense

    def tense_cued(self, start: int, end: int) -> bool:
        return self._tense(start, end) != 0

    def _future(self, pos: int) -> bool:
        return self._tense(pos, pos) > 0

    # -- normalisation -------------------------------------------------------------------------------------

    def normalise(self, rule: Rule, m: re.Match[str]) -> _Norm | None:
        try:
            return getattr(self, "_" + rule.kind)(rule, m)
        except (ValueError, OverflowError):
            return None  # arithmetic past year 9999 and the like: not a date we can name

    def _mod(self, m: re.Match[str]) -> str:
        groups = m.groupdict()
        if groups.get("mod"):
            return self.lex.modifiers.get(key(groups["mod"]), "")
        if groups.get("approx"):
            return self.lex.approximators.get(key(groups["approx"]), "")
        return ""

    def _group(self, m: re.Match[str], name: str) -> str | None:
        return m.groupdict().get(name)

    def _explicit_year(self, m: re.Match[str]) -> int | None:
        year = self._group(m, "year") or self._group(m, "year2")
        if year is not None:
            return int(year)
        yy = self._group(m, "yy")
        if yy is not None:
            return self._two_digit_year(int(yy))
        words = self._group(m, "yearwords")
        if words is not None:
            return self._year_from_words(words)
        relyear = self._group(m, "relyear")
        if relyear is not None and self.anchor is not None:
            return self.anchor.year + self.lex.relative.get(key(relyear), 0)
        return None

    def _year_from_words(self, words: str) -> int | None:
        spoken = self.lex.year_words
        fillers = {spoken["zero"], spoken["hundred"], spoken["joiner"]}
        parts = re.split(r"[-\s]+", key(words))
        thousand = spoken["thousand"].split()
        if parts[: len(thousand)] == thousand:  # "two thousand and one"
            return 2000 + int(sum(self.lex.numbers.get(p, 0) for p in parts[len(thousand) :] if p not in fillers))
        century = self.lex.numbers.get(parts[0])
        rest = [p for p in parts[1:] if p not in fillers]
        if century is None or not all(p in self.lex.numbers for p in rest):
            return None
        return century * 100 + int(sum(self.lex.numbers[p] for p in rest))

    def _two_digit_year(self, yy: int) -> int:
        ref = self.anchor.year if self.anchor else 2000
        year = ref // 100 * 100 + yy
        return year - 100 if year > ref + 10 else year

    def _month_year(self, month: int, m: re.Match[str], day: int = 15) -> int | None:
        """The year of a month or day named without one: of the last, this and next year, the occurrence
        nearest the publication date, on the side of it the sentence's tense points to."""
        a = self.anchor
        if a is None:
            return None
        tense = self._tense(m.start(), m.end())
        # "a May election", "the March anniversary": an event's month, as likely ahead as behind.
        event = key(_word_after(self.text, m.end())) in self.lex.month_followers
        best: tuple[int, int] | None = None
        for year in (a.year - 1, a.year, a.year + 1):
            days = (date(year, month, min(day, 28)) - a).days
            if (tense > 0 and days < -_AHEAD) or (tense < 0 and days > _AHEAD):
                continue
            # News mostly reports what happened: without a cue, a date ahead counts as twice as far away, so
            # "betting on 5 May" in mid-February is this May, but "on 20 December" in January is last December;
            # an event's month ("a May election") is as likely ahead as behind.
            distance = days * _AHEAD_WEIGHT if tense == 0 and days > 0 and not event else abs(days)
            if best is None or distance < best[0]:
                best = (distance, year)
        return best[1] if best else a.year

    def _date(self, rule: Rule, m: re.Match[str]) -> _Norm | None:
        lex = self.lex
        month = lex.word(lex.months, self._group(m, "month"))
        if month is None and self._group(m, "mnum") is not None:
            month = int(m.group("mnum"))
        if month is None:
            return None
        day_text = self._group(m, "day")
        day = int(day_text) if day_text is not None else lex.word(lex.ordinals, self._group(m, "dayword"))
        if not day:
            return None
        year = self._explicit_year(m)
        numeric = rule.name.startswith(("iso", "numeric"))
        named = lex.named_day_years.get(f"{month:02d}-{day:02d}")
        if year is None and named and key(_word_after(self.text, m.end())) in lex.named_day_nouns:
            year = named  # "the 11 September attacks"
        if year is None and 1 <= month <= 12:
            year = self._month_year(month, m, day)
        y = f"{year:04d}" if year is not None else "XXXX"
        if year is not None and not (_valid_year(year) and 1 <= month <= 12):
            return None
        if day > (calendar.monthrange(year, month)[1] if year is not None else 31) or (month == 2 and day > 29):
            # "31 February 2022": keep the month the text names, never invent a day.
            return None if numeric else _Norm("DATE", f"{y}-{month:02d}", "month")
        value = f"{y}-{month:02d}-{day:02d}"
        clock = self._clock(m)
        if clock:
            return _Norm("TIME", f"{value}T{clock}", "time", self._mod(m))
        part = lex.word(lex.day_parts, self._group(m, "part"))
        if part:
            return _Norm("TIME", f"{value}T{part}", "day")  # "вечером 30 декабря"
        return _Norm("DATE", value, "day")

    def _named_day(self, rule: Rule, m: re.Match[str]) -> _Norm | None:
        return _Norm("DATE", self.lex.named_days[m.group("named")], "day")

    def _clock(self, m: re.Match[str]) -> str:
        groups = m.groupdict()
        if groups.get("noon"):
            return "24:00" if key(groups["noon"]) in self.lex.midnight else "12:00"
        if groups.get("hour") is None:
            return ""
        hour = int(groups["hour"])
        minute = int(groups.get("minute") or 0)
        ampm = groups.get("ampm")
        if ampm:
            if hour == 0 or hour > 12:
                return ""
            hour = hour % 12 + (12 if key(ampm).replace(" ", "") in {p.replace(" ", "") for p in self.lex.pm} else 0)
        # TimeML marks a time given in UTC with "Z"; other zones are kept as the text's local time.
        return f"{hour:02d}:{minute:02d}" + ("Z" if groups.get("tz") == "UTC" else "")

    def _holiday(self, rule: Rule, m: re.Match[str]) -> _Norm | None:
        rule_text = self.lex.word(self.lex.holidays, m.group("holiday"))
        a = self.anchor
        if rule_text == "01-01" and _word_before(self.text, m.start()) == "the" and a is not None:
            # "in the New Year": the year ahead, not its first day.
            return _Norm("DATE", f"{a.year + (a.month >= 7):04d}", "year")
        year = self._explicit_year(m)
        month = 4 if rule_text.startswith("easter") else int(rule_text[:2])
        if year is None and self._group(m, "rel") is not None and self.anchor is not None:
            k = self.lex.relative.get(key(m.group("rel")), 0)
            year = self.anchor.year + k + (k < 0 and month > self.anchor.month)
        if year is None and self.anchor is not None:
            year = self._month_year(month, m)
        if year is None or not _valid_year(year):
            return _Norm(
                "DATE", f"XXXX-{rule_text}" if rule_text[2:3] == "-" and "W" not in rule_text else "XXXX", "day"
            )
        return _Norm("DATE", _ymd(_holiday_date(rule_text, year)), "day")

    def _month(self, rule: Rule, m: re.Match[str]) -> _Norm | None:
        month = self.lex.word(self.lex.months, m.group("month"))
        if month is None:
            return None
        year = self._explicit_year(m)
        rel = self._group(m, "rel")
        if year is None and rel is not None and self.anchor is not None:
            # "last April": the latest April before this month; "next April": the first one after it.
            k = self.lex.relative.get(key(rel), 0)
            a = self.anchor
            if k < 0:
                year = a.year if month < a.month else a.year - 1
            elif k > 0:
                year = a.year if month > a.month else a.year + 1
            else:
                year = a.year
        if year is None:
            year = self._month_year(month, m)
        y = f"{year:04d}" if year is not None else "XXXX"
        return _Norm("DATE", f"{y}-{month:02d}", "month", self._mod(m))

    def _season(self, rule: Rule, m: re.Match[str]) -> _Norm | None:
        code = self.lex.word(self.lex.seasons, m.group("season"))
        year = self._explicit_year(m)
        rel = self._group(m, "rel")
        if year is None and self.anchor is not None:
            k = self.lex.relative.get(key(rel), 0) if rel else 0
            year = self.anchor.year + k
            if rel and key(rel).startswith("this ") and code in _SEASON_START:
                # "this past spring" in October is this year's; "this coming winter" the next one to begin
                started = _SEASON_START[code] <= self.anchor.month
                year = self.anchor.year - (k < 0 and not started) + (k > 0 and started)
        y = f"{year:04d}" if year is not None else "XXXX"
        return _Norm("DATE", f"{y}-{code}", "season", self._mod(m))

    def _quarter(self, rule: Rule, m: re.Match[str]) -> _Norm | None:
        n = self.lex.word(self.lex.quarter_ordinals, self._group(m, "ord")) or int(self._group(m, "qnum") or 0)
        if not 1 <= n <= 4:
            return None
        year = self._explicit_year(m)
        if year is None and self.anchor is not None:
            current = (self.anchor.month - 1) // 3 + 1
            year = self.anchor.year - (1 if n > current and not self._future(m.start()) else 0)
        if year is not None and self._group(m, "ago"):
            year -= 1  # "the year-ago third quarter"
        y = f"{year:04d}" if year is not None else "XXXX"
        return _Norm("DATE", f"{y}-Q{n}", "quarter")

    def _half(self, rule: Rule, m: re.Match[str]) -> _Norm | None:
        n = self.lex.word(self.lex.half_ordinals, m.group("half")) or 2
        year = self._explicit_year(m)
        if year is None and self.anchor is not None:
            year = self.anchor.year
        y = f"{year:04d}" if year is not None else "XXXX"
        return _Norm("DATE", f"{y}-H{n}", "half")

    def _narrative(self, rule: Rule, m: re.Match[str]) -> _Norm | None:
        unit = self.lex.word(self.lex.units, m.group("unit"))
        if unit not in _UNKNOWN:
            return None
        k = self.lex.narrative.get(key(m.group("ana")), 1)
        return _Norm("DATE", "", _GRANULARITY[unit], self._mod(m), anaphor="narrative", unit=unit, shift=k)

    def _quarter_ref(self, rule: Rule, m: re.Match[str]) -> _Norm | None:
        return _Norm("DATE", "", "quarter", anaphor="quarter")

    def _year_ago(self, rule: Rule, m: re.Match[str]) -> _Norm | None:
        return _Norm("DATE", "", "year", anaphor="year_ago")

    def _year_ended(self, rule: Rule, m: re.Match[str]) -> _Norm | None:
        """ "the year ended June 30": a year's length ending on the date that follows, as TimeML writes it."""
        return _Norm("DURATION", "P1Y", "year")

    def _report_year(self, rule: Rule, m: re.Match[str]) -> _Norm | None:
        """ "for the year", "the full year": the year the text speaks of (of the date it last named, unless that
        lies ahead, else the year of publication)."""
        year = f"{self.anchor.year:04d}" if self.anchor else "XXXX"
        return _Norm("DATE", year, "year", anaphor="report_year")

    def _report_day(self, rule: Rule, m: re.Match[str]) -> _Norm | None:
        """ "ended the day 2% down", "later in the day": the day the text speaks of (the day it last named, else
        the day of publication, or the Friday before a weekend's for a day of trading)."""
        a = self.anchor
        if a is not None and rule.before and a.isoweekday() > 5:
            a -= timedelta(days=a.isoweekday() - 5)  # markets "ended the day" on a weekday: a weekend's report
        day = _ymd(a) if a else "XXXX-XX-XX"
        return _Norm("DATE", day, "day", anaphor="report_day")

    def _year_quarter(self, rule: Rule, m: re.Match[str]) -> _Norm | None:
        """ "the 1988 quarter": the quarter the text speaks of, in that year."""
        year = self._explicit_year(m)
        if year is None or not _valid_year(year):
            return None
        return _Norm("DATE", f"{year:04d}", "year", anaphor="quarter_in_year", shift=year)

    def _period_year_ago(self, rule: Rule, m: re.Match[str]) -> _Norm | None:
        """ "the same period last year", "the quarter a year ago", "the same month a year ago": the quarter or
        month the text named, a year back."""
        unit = key(m.group("unit") or m.group("unit2") or "")
        return _Norm("DATE", "", "year", anaphor="period_year_ago", unit=unit)

    def reported(self, year: int, n: int) -> bool:
        """Whether a quarter can be the one a report speaks of: over by the publication (not one ahead)."""
        a = self.anchor
        return a is None or (year, n) < (a.year, (a.month - 1) // 3 + 1)

    def unanchored(self, norm: _Norm) -> _Norm:
        """An anaphor with nothing to refer to: the last finished quarter, or the year before publication."""
        a = self.anchor
        if norm.anaphor == "quarter":
            if a is None:
                return _Norm("DATE", "XXXX-QX", "quarter")
            y, mo = _shift_months(a.year, a.month, -3)
            return _Norm("DATE", f"{y:04d}-Q{(mo - 1) // 3 + 1}", "quarter")
        return _Norm("DATE", f"{a.year - 1:04d}" if a else "XXXX", "year")

    def _day_tail(self, rule: Rule, m: re.Match[str]) -> _Norm | None:
        """The second day of "April 24 and 25" or "April 24-25": month and year come from the first."""
        before = self.lex.day_before_tail.search(self.text, max(0, m.start() - 40), m.start())
        if before is None:
            return None
        month = self.lex.word(self.lex.months, before.group("month"))
        day = int(m.group("day"))
        if month is None or day <= int(before.group("first")):
            return None
        explicit = self._group(m, "year") or before.group("year")
        year = int(explicit) if explicit else self._month_year(month, m, day)
        if year is None:
            return _Norm("DATE", f"XXXX-{month:02d}-{day:02d}", "day") if day <= 31 else None
        if not _valid_year(year) or day > calendar.monthrange(year, month)[1]:
            return None
        return _Norm("DATE", f"{year:04d}-{month:02d}-{day:02d}", "day")

    def _year(self, rule: Rule, m: re.Match[str]) -> _Norm | None:
        year = self._explicit_year(m)
        if year is None or not 1000 <= year <= _MAX_YEAR:
            return None
        return _Norm("DATE", f"{year:04d}", "year", self._mod(m))

    def _year_short(self, rule: Rule, m: re.Match[str]) -> _Norm | None:
        first = int(self.text[m.start() - 5 : m.start() - 1])
        year = first // 100 * 100 + int(m.group("yy"))
        if year <= first:
            year += 100
        if not 0 < year - first <= 20:
            return None
        return _Norm("DATE", f"{year:04d}", "year")

    def _decade(self, rule: Rule, m: re.Match[str]) -> _Norm | None:
        mod = self._mod(m)
        four = self._group(m, "decade")
        if four is not None:
            start = int(four)
            if start % 100 == 0 and start < 2000:
                return _Norm("DATE", f"{start // 100:02d}", "century", mod)  # "the 1800s"
            return _Norm("DATE", f"{start // 10:03d}X", "decade", mod)
        short = key(self._group(m, "decade2") or "")
        tens = self.lex.decade_words.get(short)
        if tens is None:
            digits = re.sub(r"\D", "", short) or self._group(m, "yy") or ""
            if not digits:
                return None
            tens = int(digits) // 10
        ref = self.anchor.year if self.anchor else 1999
        start = 2000 + tens * 10 if 2000 + tens * 10 <= ref and tens <= 3 else 1900 + tens * 10
        return _Norm("DATE", f"{start // 10:03d}X", "decade", mod)

    def _century(self, rule: Rule, m: re.Match[str]) -> _Norm | None:
        n = (
            int(self._group(m, "cent") or 0)
            or self.lex.word(self.lex.ordinals, self._group(m, "centword"))
            or _roman(self._group(m, "roman") or "")
        )
        if not 1 <= n <= 30:
            return None
        return _Norm("DATE", f"{n - 1:02d}", "century", self._mod(m))

    def _relative(self, rule: Rule, m: re.Match[str]) -> _Norm | None:
        unit = self.lex.word(self.lex.units, m.group("unit"))
        rel = self._group(m, "rel")
        k = self.lex.relative.get(key(rel), 0) if rel else 0
        mod = self._mod(m)
        a = self.anchor
        if unit == "WE":
            if a is None:
                return _Norm("DATE", "XXXX-WXX-WE", "week", mod)
            if rel is None:  # "the weekend": the coming one in a sentence about the future, else the last one
                k = 0 if self._future(m.start()) or a.isoweekday() >= 6 else -1
            return _Norm("DATE", _week(a + timedelta(weeks=k)) + "-WE", "week", mod)
        if a is None:
            unknown = {"Y": "XXXX", "M": "XXXX-XX", "W": "XXXX-WXX", "D": "XXXX-XX-XX", "Q": "XXXX-QX"}
            if unit not in unknown:
                return None
            return _Norm("DATE", unknown[unit], _GRANULARITY[unit], mod)
        if unit == "Y":
            return _Norm("DATE", f"{a.year + k:04d}", "year", mod)
        if unit == "M":
            y, mo = _shift_months(a.year, a.month, k)
            return _Norm("DATE", f"{y:04d}-{mo:02d}", "month", mod)
        if unit == "W":
            return _Norm("DATE", _week(a + timedelta(weeks=k)), "week", mod)
        if unit == "D":
            return _Norm("DATE", _ymd(a + timedelta(days=k)), "day", mod)
        if unit == "Q":
            y, mo = _shift_months(a.year, a.month, 3 * k)
            return _Norm("DATE", f"{y:04d}-Q{(mo - 1) // 3 + 1}", "quarter", mod)
        if unit == "DE":
            return _Norm("DATE", f"{a.year // 10 + k:03d}X", "decade", mod)
        if unit == "CE":
            return _Norm("DATE", f"{a.year // 100 + k:02d}", "century", mod)
        return None

    def _offset(self, rule: Rule, m: re.Match[str], direction: int | None = None) -> _Norm | None:
        lex = self.lex
        unit = lex.word(lex.units, m.group("unit"))
        if direction is None:
            direction = lex.directions.get(key(m.group("direction")), -1)
        mod = self._mod(m)
        n = _number(lex, self._group(m, "num")) if _counted(m) else 1.0  # "год назад": one year
        if n is None or not n.is_integer():
            return _Norm("DATE", "PAST_REF" if direction < 0 else "FUTURE_REF", "ref", mod)
        k = int(n) * direction
        shifted = self._shifted(unit, k, mod) or _Norm(
            "DATE", _UNKNOWN.get(unit or "", "XXXX"), _GRANULARITY.get(unit or "", "year"), mod
        )
        narrative = key(m.group("direction") or "") in lex.narrative_directions  # "later", not "ago"
        if unit == "Y" and k == -1:  # "a year ago" may mean the quarter named before, a year back
            anaphor = "year_offset_narrative" if narrative else "year_offset"
        elif narrative:
            anaphor = "narrative_offset"
        else:
            return shifted
        return replace(shifted, anaphor=anaphor, unit=unit or "", shift=k)

    def _shifted(self, unit: str | None, k: int, mod: str) -> _Norm | None:
        a = self.anchor
        if unit is None:
            return None
        if a is None:
            unknown = {"Y": "XXXX", "DE": "XXXX", "CE": "XXXX", "M": "XXXX-XX", "W": "XXXX-WXX", "Q": "XXXX-QX"}
            return _Norm("DATE", unknown.get(unit, "XXXX-XX-XX"), _GRANULARITY.get(unit, "day"), mod)
        if unit in ("Y", "DE", "CE", "ML"):
            years = k * {"Y": 1, "DE": 10, "CE": 100, "ML": 1000}[unit]
            year = a.year + years
            return _Norm("DATE", f"{year:04d}", "year", mod) if _valid_year(year) else None
        if unit in ("M", "Q"):
            y, mo = _shift_months(a.year, a.month, k * (3 if unit == "Q" else 1))
            if unit == "Q":
                return _Norm("DATE", f"{y:04d}-Q{(mo - 1) // 3 + 1}", "quarter", mod)
            return _Norm("DATE", f"{y:04d}-{mo:02d}", "month", mod)
        if unit in ("W", "FN"):
            return _Norm("DATE", _week(a + timedelta(weeks=k * (2 if unit == "FN" else 1))), "week", mod)
        if unit in ("D", "WE"):
            return _Norm("DATE", _ymd(a + timedelta(days=k)), "day", mod)
        return None  # hours and minutes from a publication date are too fine to trust

    def _future_offset(self, rule: Rule, m: re.Match[str]) -> _Norm | None:
        unit = self.lex.word(self.lex.units, m.group("unit"))
        n = _number(self.lex, self._group(m, "num")) if self._group(m, "num") is not None else 1.0  # "через неделю"
        if unit in ("Y", "DE", "CE", "ML") or n is None or not n.is_integer():
            return _Norm("DATE", "FUTURE_REF", "ref")
        return self._shifted(unit, int(n), "")

    def _day(self, rule: Rule, m: re.Match[str]) -> _Norm | None:
        lex = self.lex
        groups = m.groupdict()
        part = lex.word(lex.day_parts, groups.get("part")) or ""
        if groups.get("dayrel"):
            k, own_part = lex.relative_days.get(key(groups["dayrel"]), (0, ""))
            part = part or own_part
        else:
            k = lex.relative.get(key(groups.get("rel") or ""), 0)
            if not part:
                return None
        day = _ymd(self.anchor + timedelta(days=k)) if self.anchor else "XXXX-XX-XX"
        if part:
            return _Norm("TIME", f"{day}T{part}", "day", self._mod(m))
        return _Norm("DATE", day, "day", self._mod(m))

    def _weekday_date(self, weekday: int, rel: str | None, pos: int) -> str:
        a = self.anchor
        if a is None:
            return f"XXXX-WXX-{weekday}"
        k = self.lex.relative.get(key(rel), 0) if rel else None
        today = a.isoweekday()
        if k == 0:  # "this Friday": the one in the publication's week
            d = a + timedelta(days=weekday - today)
        elif (k is None and self._tense(pos, pos, clause=True) > 0) or (k is not None and k > 0):
            d = a + timedelta(days=(weekday - today) % 7 or (7 if k else 0))
        else:
            d = a - timedelta(days=(today - weekday) % 7 or (7 if k else 0))
        return _ymd(d)

    def _weekday(self, rule: Rule, m: re.Match[str]) -> _Norm | None:
        weekday = self.lex.word(self.lex.weekdays, m.group("weekday"))
        if weekday is None:
            return None
        day = self._weekday_date(weekday, self._group(m, "rel"), m.start())
        part = self.lex.word(self.lex.day_parts, self._group(m, "part"))
        if part:
            return _Norm("TIME", f"{day}T{part}", "day")
        if _word_before(self.text, m.start()) in self.lex.that:  # "on that Wednesday": of the day named before
            return _Norm("DATE", day, "day", anaphor="that_weekday", shift=weekday)
        return _Norm("DATE", day, "day")

    def _time(self, rule: Rule, m: re.Match[str]) -> _Norm | None:
        clock = self._clock(m)
        if not clock:
            return None
        groups = m.groupdict()
        if groups.get("weekday"):
            weekday = self.lex.word(self.lex.weekdays, groups["weekday"])
            day = self._weekday_date(weekday, None, m.start()) if weekday else "XXXX-XX-XX"
        elif groups.get("dayrel"):
            k, _ = self.lex.relative_days.get(key(groups["dayrel"]), (0, ""))
            day = _ymd(self.anchor + timedelta(days=k)) if self.anchor else "XXXX-XX-XX"
        else:  # "at 10 p.m.": on the day last named, or the day of publication
            day = _ymd(self.anchor) if self.anchor else "XXXX-XX-XX"
            return _Norm("TIME", f"{day}T{clock}", "time", self._mod(m), anaphor="clock")
        return _Norm("TIME", f"{day}T{clock}", "time", self._mod(m))

    def _duration(self, rule: Rule, m: re.Match[str]) -> _Norm | None:
        lex = self.lex
        unit = lex.word(lex.units, m.group("unit"))
        if unit is None:
            return None
        groups = m.groupdict()
        n = _number(lex, groups.get("num")) if groups.get("num") else None
        if groups.get("num") is None and "vague" not in groups and rule.name == "duration_the_past":
            n = 1.0
        return _Norm("DURATION", _period(unit, n), _GRANULARITY.get(unit, "day"), self._mod(m))

    def _set(self, rule: Rule, m: re.Match[str]) -> _Norm | None:
        lex = self.lex
        groups = m.groupdict()
        if groups.get("setword"):
            return _Norm("SET", lex.sets[key(groups["setword"])], "set")
        part = lex.word(lex.day_parts, groups.get("part"))
        suffix = f"T{part}" if part else ""
        if groups.get("weekday"):
            return _Norm("SET", f"XXXX-WXX-{lex.word(lex.weekdays, groups['weekday'])}{suffix}", "day")
        if groups.get("month"):
            return _Norm("SET", f"XXXX-{lex.word(lex.months, groups['month']):02d}", "month")
        if groups.get("season"):
            return _Norm("SET", f"XXXX-{lex.word(lex.seasons, groups['season'])}", "season")
        unit = lex.word(lex.units, groups.get("unit"))
        if unit is None:
            return None
        n = _number(lex, groups.get("num")) if groups.get("num") else 1.0
        return _Norm("SET", _period(unit, n), _GRANULARITY.get(unit, "day"))

    def _reference(self, rule: Rule, m: re.Match[str]) -> _Norm | None:
        if _NOW_LATER.match(self.text, m.end()):
            return None  # "buy now, pay later": a slogan's contrast, not the present
        return _Norm("DATE", self.lex.references[key(m.group("ref"))], "ref")


_GRANULARITY = {
    "S": "second",
    "MIN": "minute",
    "H": "hour",
    "D": "day",
    "WE": "week",
    "W": "week",
    "FN": "week",
    "M": "month",
    "Q": "quarter",
    "Y": "year",
    "DE": "decade",
    "CE": "century",
    "ML": "millennium",
}


def _period(unit: str, n: float | None) -> str:
    """A TimeML duration: P2Y, PT3H, P20Y for two decades; X for an unknown count ("several years": PXY)."""
    scale = {"DE": (10, "Y"), "CE": (100, "Y"), "ML": (1000, "Y"), "FN": (2, "W"), "WE": (2, "D")}
    if n is None:
        count, code = "X", unit
    else:
        factor, code = scale.get(unit, (1, unit))
        count = _count(n * factor)
        half = {"Y": "6M", "D": "T12H", "H": "30M", "MIN": "30S"}.get(code)
        if half and not (n * factor).is_integer() and (2 * n * factor).is_integer():
            # TimeML writes half a unit in the next smaller one: two and a half years are P2Y6M
            whole = int(n * factor)
            if code in ("H", "MIN"):
                return f"PT{whole}{code[0]}{half}"
            return f"P{whole}{code}{half}"
    if code in ("H", "MIN", "S"):
        return f"PT{count}{'M' if code == 'MIN' else code}"
    return f"P{count}{code}"
