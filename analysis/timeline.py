"""Dated events for a time line: which dates place something in time, and what happened then, in one line.

For every DATE or TIME expression whose value names a real period (not "now", not a duration or a set, not
"in 50 years"), the event is the clause the date modifies, cut from the sentence's own words:

- the sentence is split into clauses at commas, semicolons, colons, dashes and brackets;
- a clause that is only the date ("In early October 2025, ...", "that in 1954, ...") introduces the next one,
  and the event is that next clause; a date-only aside ("two offers - in 1990 and 1995 - both refused") takes the
  clauses on both sides;
- when the date sits in a quote, only the quoted words are used and the quote's speaker goes to `speaker`;
- long clauses are cut at "that", "which", "when", ... around the date to fit one line.

A value named twice in an article gives one event: the mention that dates nothing else wins over a list of
dates ("in 1954 and in 2000"), and near-identical lines (a headline repeating the lead) collapse to one.
`sort_key` is the first day the date can mean, refined by early/mid/late: the mid-20th century sorts from 1933.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from analysis.dates_lexicon import Lexicon, load
from analysis.types import Event, Person, Quote, Sentence, TimeExpression

__all__ = ["build_events", "event_label", "same_event", "sort_key"]

MAX_CHARS = 140
_MIN_WORDS = 3  # fewer content words than this and a clause is "only the date"
_PLACEABLE = re.compile(r"^(\d{2}|\d{3}X|\d{4}(?:-(?:\d\d(?:-\d\d)?|Q[1-4]|H[12]|SP|SU|FA|WI|W\d\d(?:-WE)?))?)(T.*)?$")
# A month or day of a text with no known publication date ("5 May"): placed, shown without a year, after
# every dated event.
_YEARLESS = re.compile(r"^XXXX-(\d\d)(?:-(\d\d))?$")
_WORD = re.compile(r"[\w'’.-]+")
_STRIP = ',;:!?()"“”«»'
_LIST_WORDS = 3  # at most this many words between two dates make a list ("in 1954 and again in 2000")
_GRANULARITY_RANK = {"century": 0, "decade": 1, "year": 2, "half": 3, "quarter": 3, "season": 3, "month": 4}


def build_events(
    text: str,
    sentences: Sequence[Sentence],
    timexes: Sequence[TimeExpression],
    quotes: Sequence[Quote],
    lang: str = "en",
    people: Sequence[Person] = (),
) -> list[Event]:
    """The article's dated events in date order. `quotes` and `people` are the quote engine's results: a
    pronoun that opens an event ("He used similar arguments") is resolved with them."""
    lex = load(lang)
    settings = _Settings.of(lex)
    starts = [s.start for s in sentences]
    # Words written with a capital inside sentences are names; a capital at a sentence's start proves nothing.
    inner_capitals = {
        word.strip(_STRIP) for s in sentences for word in s.text.split()[1:] if word.strip(_STRIP)[:1].isupper()
    }
    surnames = {p.name.split()[-1] for p in people if p.kind == "person" and p.name.split()}
    candidates: list[_Candidate] = []
    placeable = [
        t for t in timexes if t.type in ("DATE", "TIME") and (_PLACEABLE.match(t.value) or _YEARLESS.match(t.value))
    ]
    range_end = _ranges(text, placeable, settings)
    ends = {id(t) for t in range_end.values()}
    for timex in placeable:
        if id(timex) in ends:
            continue  # the second end of a range is in the first's event
        sentence = _sentence_at(sentences, starts, timex.start)
        lo, hi = (sentence.start, sentence.end) if sentence else _line_around(text, timex.start)
        if settings.is_boilerplate(text[lo:hi], timex):
            continue
        quote = _quote_at(quotes, timex)
        if quote is not None:  # only the quoted words: the line will read "speaker: ..."
            lo, hi = max(lo, quote.start), min(hi, quote.end)
        clause = _clause(text, lo, hi, timex, timexes, settings)
        if clause is None:
            continue
        raw, dates_in_clause = clause
        if quote is None and sentence is not None:
            raw = _with_subject(raw, text, sentence, quotes, people, settings)
        line = raw[0].upper() + raw[1:]
        label = event_label(timex.value, timex.modifier, lang)
        end = range_end.get(id(timex))
        if end is not None:
            label = f"{label} – {event_label(end.value, end.modifier, lang)}"
        candidates.append(
            _Candidate(
                Event(
                    value=timex.value,
                    granularity=timex.granularity,
                    sort_key=sort_key(timex.value, timex.modifier),
                    label=label,
                    text=line,
                    sentence_index=sentence.index if sentence else -1,
                    speaker=(quote.speaker or None) if quote else None,
                    actors=settings.participants(raw, timex.text, settings.actors(raw, inner_capitals), surnames),
                    end_value=end.value if end is not None else "",
                ),
                shared=dates_in_clause > 1 and end is None,
                headline=not text[lo:hi].rstrip().endswith((".", "!", "?", "»", '"', "”")),
                start=timex.start,
                end=timex.end,
                modifier=timex.modifier,
            )
        )
    events = _deduplicate(_one_per_sentence(text, candidates, settings, lang))
    events.sort(key=lambda e: (e.sort_key, _GRANULARITY_RANK.get(e.granularity, 5), e.sentence_index))
    return events


@dataclass(frozen=True, slots=True)
class _Candidate:
    event: Event
    shared: bool  # the clause dates other things too: "in 1954 and in 2000"
    headline: bool  # from a line without final punctuation
    start: int = 0  # the date's span in the text
    end: int = 0
    modifier: str = ""


@dataclass(frozen=True, slots=True)
class _Settings:
    breaks: re.Pattern[str]
    subordinators: re.Pattern[str]
    lead_words: frozenset[str]
    adverbial_starts: frozenset[str]
    relative_pronouns: frozenset[str]
    adverbial_suffixes: tuple[str, ...]  # "speaking at a forum, ...": a participle opens an adverbial
    date_words: frozenset[str]
    boilerplate: tuple[str, ...]
    titles: frozenset[str]
    non_names: frozenset[str]
    connectors: frozenset[str]  # small words inside names: "Bank of England"
    calendar_words: frozenset[str]
    subject_pronouns: frozenset[str]  # "He used similar arguments": the person the article speaks of
    range_openers: frozenset[str]  # "from" 1954 to 2000
    range_connectors: re.Pattern[str]  # what joins a range's two dates

    @classmethod
    def of(cls, lex: Lexicon) -> _Settings:
        conf: dict[str, Any] = lex.timeline
        marks = "|".join(re.escape(b) for b in conf["clause_breaks"])
        # Dashes break only between spaces ("bids - in 1954"), never inside a word ("mid-20th"); other marks
        # only before a space, so "1,300" and "10:30" stay whole.
        dashes = "|".join(re.escape(b) for b in conf["clause_dashes"])
        breaks = re.compile(rf"\s+(?:{dashes})\s+|(?:{marks})(?=\s|$)|\(")
        subordinators = re.compile(r"\b(?:" + "|".join(conf["subordinators"]) + r")\b", re.IGNORECASE)
        calendar = {w.capitalize() for w in [*lex.months, *lex.weekdays, *lex.seasons]}
        return cls(
            breaks=breaks,
            subordinators=subordinators,
            lead_words=frozenset(conf["clause_lead_words"]),
            adverbial_starts=frozenset(conf["adverbial_starts"]),
            relative_pronouns=frozenset(conf["relative_pronouns"]),
            adverbial_suffixes=tuple(conf["adverbial_suffixes"]),
            date_words=frozenset(conf["date_only_words"] + conf["clause_lead_words"] + conf["subordinators"]),
            boilerplate=tuple(conf["boilerplate_words"]),
            titles=frozenset(conf["titles"]),
            non_names=frozenset(conf["non_names"]),
            connectors=frozenset(conf["name_connectors"]),
            calendar_words=frozenset(calendar),
            subject_pronouns=frozenset(conf.get("subject_pronouns", [])),
            range_openers=frozenset(conf.get("range_openers", [])),
            range_connectors=re.compile(
                r"\s*(?:[-–—]|" + "|".join(conf.get("range_connectors", ["-"])) + r")\s*", re.IGNORECASE
            ),
        )

    def is_boilerplate(self, sentence: str, timex: TimeExpression) -> bool:
        """A dateline or a "Published 24 Feb 2022" line: the date dates the page, not an event."""
        rest = sentence.replace(timex.text, " ")
        words = [w for w in _WORD.findall(rest) if any(ch.isalpha() for ch in w)]
        if len(words) < _MIN_WORDS:
            return True
        lowered = sentence.lower().lstrip(" \t\"'“«(*•-–—")
        short = len(words) < 8
        return any(lowered.startswith(b) or (short and b in lowered) for b in self.boilerplate)

    def content_words(self, piece: str, timexes: Sequence[tuple[int, int]], offset: int) -> int:
        count = 0
        for m in _WORD.finditer(piece):
            at = offset + m.start()
            if any(s <= at < e for s, e in timexes):
                continue
            if m.group(0).lower().strip(".") not in self.date_words and any(ch.isalpha() for ch in m.group(0)):
                count += 1
        return count

    def actors(self, line: str, inner_capitals: set[str]) -> tuple[str, ...]:
        """Capitalised names in the line, cheaply: "U.S. President Bill Clinton's" gives "Bill Clinton". A
        lone capitalised word opening the line counts only if the article capitalises it elsewhere too."""
        words_of_line = line.split()
        lone = len(words_of_line) < 2 or not words_of_line[1][:1].isupper()
        if words_of_line and lone and words_of_line[0].strip(_STRIP) not in inner_capitals:
            words_of_line = words_of_line[1:]
        runs: list[list[str]] = [[]]
        for raw in words_of_line:
            word = raw.strip(_STRIP)
            if word[:1].isupper() or (runs[-1] and word in self.connectors):
                runs[-1].append(word)
            elif runs[-1]:
                runs.append([])
            if raw.endswith((",", ";", ":")) and runs[-1]:  # "Ukraine, Kazakhstan": two names
                runs.append([])
        found: list[str] = []
        for words in runs:
            while words and (words[0] in self.titles or words[0] in self.non_names):
                words.pop(0)
            while words and words[-1] in self.connectors:
                words.pop()
            if not words or (len(words) == 1 and words[0] in self.calendar_words):
                continue
            name = re.sub(r"['’]s$", "", " ".join(words)).strip(".")
            if len(name) > 1 and name not in found and not any(ch.isdigit() for ch in name):
                found.append(name)
        return tuple(found[:6])

    def participants(self, line: str, date_text: str, names: tuple[str, ...], surnames: set[str]) -> tuple[str, ...]:
        """The names that take part in what the date dates. "Kennedy contrasted his approach with Mr Brown's
        pledge in 2001": the date dates the pledge, Brown's alone. "Kennedy is expected to attack Mr Blair's words
        as he begins a tour on Monday": Blair is only the owner of words in Kennedy's clause, so not an actor."""
        at = line.find(date_text)
        owner = _OWNED_DATE.search(line, 0, at) if at > 0 else None
        if owner is not None:
            mine = tuple(n for n in names if n.split()[-1] == owner.group(1))
            if mine:
                return mine
        kept = []
        for name in names:
            last = re.escape(name.split()[-1])
            mentions = list(re.finditer(rf"(?<![\w'’]){last}(?P<s>['’]s)?(?!\w)", line))
            if mentions and all(m.group("s") for m in mentions):
                first = mentions[0].start()
                # Only ever an owner, after a person (one the quote engine knows) named as himself: that one is
                # the clause's person.
                if any(
                    (m := re.search(rf"(?<![\w'’]){re.escape(o.split()[-1])}(?![\w'’])", line)) and m.start() < first
                    for o in names
                    if o != name and o.split()[-1] in surnames
                ):
                    continue
            kept.append(name)
        return tuple(kept)


# "Mr Brown's pledge in 2001", "Blair's speech on": a date right after a noun someone owns.
_OWNED_DATE = re.compile(
    r"([A-Z][\w-]*)['’]s (?:[a-z][\w-]* ){0,2}[a-z][\w-]*(?: (?:in|on|of|from|at|during|last|this|next))? $"
)


def _sentence_at(sentences: Sequence[Sentence], starts: list[int], pos: int) -> Sentence | None:
    i = bisect.bisect_right(starts, pos) - 1
    if i >= 0 and sentences[i].start <= pos < sentences[i].end:
        return sentences[i]
    return None


def _line_around(text: str, pos: int) -> tuple[int, int]:
    lo = text.rfind("\n", 0, pos) + 1
    hi = text.find("\n", pos)
    return lo, len(text) if hi < 0 else hi


def _quote_at(quotes: Sequence[Quote], timex: TimeExpression) -> Quote | None:
    for quote in quotes:
        if quote.start <= timex.start and timex.end <= quote.end:
            return quote
    return None


def _ranges(text: str, timexes: Sequence[TimeExpression], settings: _Settings) -> dict[int, TimeExpression]:
    """Ranges: "from 1954 to 2000", "between 2014 and 2016", "2007-13", "с 21.00 до 24.00". The first date's
    id maps to the second: one event spans them."""
    found: dict[int, TimeExpression] = {}
    for a, b in itertools.pairwise(timexes):
        between = text[a.end : b.start]
        if not settings.range_connectors.fullmatch(between) or "\n" in between:
            continue
        hyphen = between.strip() in ("-", "–", "—")
        before = text[max(0, a.start - 20) : a.start].split()
        opened = bool(before) and before[-1].lower() in settings.range_openers
        if (hyphen or opened) and sort_key(a.value) < sort_key(b.value) and id(a) not in found:
            found[id(a)] = b
    return found


def _with_subject(
    line: str, text: str, sentence: Sentence, quotes: Sequence[Quote], people: Sequence[Person], settings: _Settings
) -> str:
    """ "He used similar arguments in February 2022": the pronoun replaced by the person the quote engine
    resolved it to (a quote whose speaker this pronoun names in this sentence), or else by the person the
    article is about (the engine's most mentioned person). The one place where an event borrows the quote
    engine's resolution."""
    first, _, rest = line.partition(" ")
    if first.lower() not in settings.subject_pronouns or not rest:
        return line
    # The pronoun that opens the line: its first occurrence in the sentence.
    found = re.search(rf"(?<!\w){re.escape(first)}(?!\w)", text[sentence.start : sentence.end], re.IGNORECASE)
    at = sentence.start + found.start() if found else -1
    speaker = next(
        (q.speaker for q in quotes if q.speaker_kind == "person" and q.speaker and q.mention_start == at),
        None,
    )
    if speaker is None:
        persons = [p for p in people if p.kind == "person" and p.mentions > 0]
        speaker = max(persons, key=lambda p: p.mentions).name if persons else None
    if speaker is None:
        return line
    return f"{speaker.split()[-1]} {rest}"


def _one_per_sentence(text: str, candidates: list[_Candidate], settings: _Settings, lang: str) -> list[_Candidate]:
    """One sentence that dates one thing twice gives one event: "work begins in March 2026 and ends in 2027"
    spans both dates; "in 2022, on 24 February" (one inside the other) takes the finer one. Dates joined as a
    list ("in 1954 and again in 2000") date two things and stay two events."""
    out: list[_Candidate] = []
    for c in candidates:
        twin = next(
            (
                k
                for k, o in enumerate(out)
                if o.event.sentence_index == c.event.sentence_index >= 0
                and o.event.value != c.event.value
                and not o.event.end_value
                and not c.event.end_value
                and o.event.text == c.event.text
                and len(_WORD.findall(text[min(o.end, c.end) : max(o.start, c.start)])) > _LIST_WORDS
            ),
            None,
        )
        if twin is None:
            out.append(c)
            continue
        a, b = sorted((out[twin], c), key=lambda x: x.event.sort_key)
        outer, inner = a.event.value.rstrip("X"), b.event.value.rstrip("X")
        if inner.startswith(outer) or outer.startswith(inner):  # "in 2022, on 24 February": the finer one
            out[twin] = a if len(a.event.value) > len(b.event.value) else b
        else:
            label = f"{a.event.label} – {event_label(b.event.value, b.modifier, lang)}"
            out[twin] = replace(a, event=replace(a.event, end_value=b.event.value, label=label), shared=False)
    return out


def _clause(
    text: str, lo: int, hi: int, timex: TimeExpression, timexes: Sequence[TimeExpression], settings: _Settings
) -> tuple[str, int] | None:
    """The words of text[lo:hi] that the date modifies, and how many dates they hold."""
    spans = [(t.start, t.end) for t in timexes if lo <= t.start and t.end <= hi]
    pieces = _pieces(text, lo, hi, spans, settings)
    if not pieces:
        return None
    i = next((k for k, (s, e) in enumerate(pieces) if s <= timex.start < e), None)
    if i is None:
        return None
    start, end = pieces[i]
    opening = _intro_subordinate(text, start, timex.start, settings)

    def only_date(k: int, from_: int | None = None) -> bool:
        s, e = pieces[k]
        s = s if from_ is None else from_
        return settings.content_words(text[s:e], spans, s) < _MIN_WORDS - 1

    def comma_between(k: int) -> bool:
        return "," in text[pieces[k][1] : pieces[k + 1][0]]

    if only_date(i, opening):
        # Only dates here: as an opening adverbial they introduce what follows ("In October 2025, Putin said",
        # "reminded that in 1954, the Union applied"); at the end they close what precedes; in the middle, a
        # list of dates or an aside between dashes, they go with the clauses on both sides.
        first, last = i, i
        if opening == start:
            while first > 0 and only_date(first - 1) and comma_between(first - 1):
                first -= 1
        while last + 1 < len(pieces) and only_date(last + 1) and comma_between(last):
            last += 1
        if first == 0 or opening > start:
            if last + 1 < len(pieces):
                start = pieces[last + 1][0]
                end = _extend(text, pieces, last + 1, spans, settings)
            elif opening == start:
                return None
        elif last + 1 == len(pieces):
            start, end = pieces[first - 1]
        else:
            start, end = pieces[first - 1][0], pieces[last + 1][1]
    else:
        start = opening
        if i == 0 and i + 1 < len(pieces) and _participial(text[start:end], settings):
            # "Speaking at the forum in October 2025, Putin repeated that ...": the opening participle's
            # clause is only how the main clause came about; the main clause is the event.
            end = _extend(text, pieces, i + 1, spans, settings)
    if i > 0 and start == pieces[i][0] and end - pieces[i - 1][0] <= MAX_CHARS:
        # "..., which is expected next May": the clause a relative pronoun opens needs what it refers to.
        words = text[start:end].split(maxsplit=1)
        if words and words[0].lower() in settings.relative_pronouns:
            start = pieces[i - 1][0]
    line = _fit(text, start, end, timex, settings)
    if line is None:
        return None
    dates = sum(1 for s, e in spans if start <= s and e <= end)
    return line, max(dates, 1)


def _participial(piece: str, settings: _Settings) -> bool:
    first = piece.split(maxsplit=1)[0].lower() if piece.strip() else ""
    if first in settings.adverbial_starts and first not in ("at", "in", "on", "в", "во", "на", "с", "со", "по"):
        return len(first) > 4  # "speaking", "выступая", "following": not a preposition
    return first.endswith(settings.adverbial_suffixes) and len(first) > 4


def _pieces(text: str, lo: int, hi: int, spans: list[tuple[int, int]], settings: _Settings) -> list[tuple[int, int]]:
    """Clause-sized stretches of text[lo:hi], never cutting a date ("February 24, 2022")."""
    pieces = []
    start = lo
    for m in settings.breaks.finditer(text, lo, hi):
        if any(s < m.start() < e for s, e in spans):
            continue
        if text[start : m.start()].strip():
            pieces.append(_trim(text, start, m.start()))
        start = m.end()
    if text[start:hi].strip():
        pieces.append(_trim(text, start, hi))
    return pieces


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in "\"'“”«»"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".,;:!?\"'“”«»"):
        end -= 1
    return start, end


def _intro_subordinate(text: str, start: int, date_start: int, settings: _Settings) -> int:
    """In "He reminded that in 1954, the Union applied", the clause starts after "that"."""
    last = None
    for m in settings.subordinators.finditer(text, start, date_start):
        last = m
    return last.start() if last is not None and last.start() > start else start


def _extend(text: str, pieces: list[tuple[int, int]], i: int, spans: list[tuple[int, int]], settings: _Settings) -> int:
    """The end of the clause that starts at piece i: pieces are added while it is too short alone ("Putin
    said, ...") or is one more adverbial ("In 2025, speaking at a forum, Putin said ...")."""
    start, end = pieces[i]
    while i + 1 < len(pieces) and pieces[i + 1][1] - start <= MAX_CHARS:
        piece = text[pieces[i][0] : pieces[i][1]]
        first = piece.split(maxsplit=1)[0].lower() if piece.strip() else ""
        short = settings.content_words(text[start:end], spans, start) < _MIN_WORDS
        adverbial = first in settings.adverbial_starts or (
            first.endswith(settings.adverbial_suffixes) and len(first) > 4
        )
        if not (short or adverbial):
            break
        i += 1
        end = pieces[i][1]
    return end


def _fit(text: str, start: int, end: int, timex: TimeExpression, settings: _Settings) -> str | None:
    """The clause as one line of at most MAX_CHARS, cut at clause words around the date, then at words."""
    if end - start > MAX_CHARS:
        cuts = [m.start() for m in settings.subordinators.finditer(text, start, end)]
        # Drop leading parts while the date stays in, then trailing parts.
        for cut in cuts:
            if end - start <= MAX_CHARS:
                break
            if cut <= timex.start and cut > start:
                start = cut
        for cut in reversed(cuts):
            if end - start <= MAX_CHARS:
                break
            if cut >= timex.end and cut < end:
                end = cut
    line = " ".join(text[start:end].split())
    words = line.split(" ")
    while words and words[0].lower() in settings.lead_words:
        words.pop(0)
    line = " ".join(words).strip(" ,;:-–—")
    if len(line) > MAX_CHARS:
        line = _window(line, text[timex.start : timex.end])
    if not line or not any(ch.isalpha() for ch in line):
        return None
    return line


def _window(line: str, date_text: str) -> str:
    """A word-aligned window of the line around the date, with ellipses where it was cut; from the start of
    the line when the date is near enough to it."""
    at = max(line.find(date_text), 0)
    if at + len(date_text) <= MAX_CHARS - 20:
        lo = 0
    else:
        lo = max(0, min(at - (MAX_CHARS - len(date_text)) // 2, len(line) - MAX_CHARS + 2))
    hi = min(len(line), lo + MAX_CHARS - 2)
    # Cut between words when there is a space to cut at; a single endless word is cut where it stands.
    if lo > 0 and (space := line.find(" ", lo, hi)) >= 0:
        lo = space + 1
    if hi < len(line) and (space := line.rfind(" ", lo, hi)) > lo:
        hi = space
    return ("…" if lo > 0 else "") + line[lo:hi].strip() + ("…" if hi < len(line) else "")


def _deduplicate(candidates: list[_Candidate]) -> list[Event]:
    """One event per thing dated: a specific mention beats a list of dates, a sentence beats a headline."""
    by_value: dict[str, list[_Candidate]] = {}
    for c in candidates:
        by_value.setdefault(c.event.value, []).append(c)
    kept: list[Event] = []
    for group in by_value.values():
        if any(not c.shared for c in group):
            group = [c for c in group if not c.shared]
        group.sort(key=lambda c: (c.headline, c.event.sentence_index))
        chosen: list[_Candidate] = []
        for c in group:
            twin = next((k for k, o in enumerate(chosen) if _similar(o.event.text, c.event.text)), None)
            if twin is None:
                chosen.append(c)
            elif chosen[twin].event.speaker is None and c.event.speaker:
                chosen[twin] = replace(chosen[twin], event=replace(chosen[twin].event, speaker=c.event.speaker))
        kept += [c.event for c in chosen]
    return kept


def same_event(a: Event, b: Event) -> bool:
    """Whether two events, from one article or two, tell of the same thing: the same date and most of the
    shorter line's words in the other. For merging time lines across articles."""
    return a.value == b.value and _similar(a.text, b.text)


def _similar(a: str, b: str) -> bool:
    wa, wb = _content(a), _content(b)
    if not wa or not wb:
        return a == b
    return len(wa & wb) / min(len(wa), len(wb)) >= 0.4


def _content(line: str) -> set[str]:
    return {w.lower().strip(".'’") for w in _WORD.findall(line) if len(w) > 3 or w.isupper()}


# -- dates for people and for sorting -----------------------------------------------------------------------


def sort_key(value: str, modifier: str = "") -> str:
    """The first day a TimeML value can mean, "YYYY-MM-DD"; early/mid/late move it by thirds of the period."""
    if m := _YEARLESS.match(value):
        return f"9999-{m.group(1)}-{m.group(2) or '01'}"
    first, length = _period(value)
    if first is None:
        return "9999-12-31"
    third = {"MID": 1, "END": 2}.get(modifier, 0)
    if third and length:
        months, days = length
        if months >= 24:  # decades and centuries move by whole years: the mid-20th century from 1933
            first = date(first.year + months // 12 * third // 3, 1, 1)
        elif months:
            total = first.year * 12 + first.month - 1 + months * third // 3
            first = date(total // 12, total % 12 + 1, 1)
        else:
            first = first + timedelta(days=days * third // 3)
    return first.isoformat()


def _period(value: str) -> tuple[date | None, tuple[int, int]]:
    """First day of a value and its length as (months, days)."""
    try:
        if re.fullmatch(r"\d\d", value):
            return date(max(int(value) * 100, 1), 1, 1), (1200, 0)
        if re.fullmatch(r"\d{3}X", value):
            return date(max(int(value[:3]) * 10, 1), 1, 1), (120, 0)
        year = int(value[:4])
        rest = value[4:].split("T")[0]
        if rest == "":
            return date(year, 1, 1), (12, 0)
        if m := re.fullmatch(r"-(\d\d)", rest):
            return date(year, int(m.group(1)), 1), (0, 30)
        if m := re.fullmatch(r"-(\d\d)-(\d\d)", rest):
            return date(year, int(m.group(1)), int(m.group(2))), (0, 0)
        if m := re.fullmatch(r"-Q([1-4])", rest):
            return date(year, 3 * int(m.group(1)) - 2, 1), (3, 0)
        if m := re.fullmatch(r"-H([12])", rest):
            return date(year, 6 * int(m.group(1)) - 5, 1), (6, 0)
        if m := re.fullmatch(r"-(SP|SU|FA|WI)", rest):
            return date(year, {"WI": 1, "SP": 3, "SU": 6, "FA": 9}[m.group(1)], 1), (3, 0)
        if m := re.fullmatch(r"-W(\d\d)(-WE)?", rest):
            monday = date.fromisocalendar(year, int(m.group(1)), 1)
            return (monday + timedelta(days=5), (0, 2)) if m.group(2) else (monday, (0, 7))
    except ValueError:
        pass
    return None, (0, 0)


def event_label(value: str, modifier: str = "", lang: str = "en") -> str:
    """How a reader says the date: "1954", "early October 2025", "the mid-20th century", "24 February 2022";
    in Russian "1954", "начало октября 2025", "середина XX века", "24 февраля 2022".

    A language's labels may give a month and a season a second form (`months_genitive`) and a template a
    second shape for when early/mid/late applies (`month_modified`: "октября 2025" after "начало")."""
    labels = load(lang).labels
    months: list[str] = labels["months"]
    months_genitive: list[str] = labels.get("months_genitive", months)
    base = value
    time_part = ""
    if "T" in value:
        base, time_part = value.split("T", 1)
    # "early" and "late" are said of months and longer periods; an early part of a week or a day is noise.
    mod = labels["modifiers"].get(modifier) if not re.search(r"-W\d|-\d\d-\d\d", base) else None

    def fill(kind: str, **values: Any) -> str:
        template = labels.get(f"{kind}_modified", labels[kind]) if mod else labels[kind]
        return str(template.format(**values))

    label = base
    article = False
    if m := _YEARLESS.match(base):  # "5 May", "May": the templates' year left out
        i = int(m.group(1)) - 1
        values = {"month": months[i], "month_genitive": months_genitive[i], "year": ""}
        day = m.group(2)
        label = (labels["day"].format(day=int(day), **values) if day else fill("month", **values)).strip()
    elif m := re.fullmatch(r"(\d\d)", base):
        n = int(m.group(1)) + 1
        label = fill("century", ordinal=_ordinal(n, labels), roman=_to_roman(n))
        article = True
    elif m := re.fullmatch(r"(\d{3})X", base):
        label = fill("decade", year=f"{int(m.group(1)) * 10}")
        article = True
    elif m := re.fullmatch(r"(\d{4})", base):
        label = fill("year", year=int(m.group(1)))
    elif m := re.fullmatch(r"(\d{4})-(\d\d)", base):
        i = int(m.group(2)) - 1
        label = fill("month", month=months[i], month_genitive=months_genitive[i], year=int(m.group(1)))
    elif m := re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)", base):
        i = int(m.group(2)) - 1
        label = labels["day"].format(
            day=int(m.group(3)), month=months[i], month_genitive=months_genitive[i], year=int(m.group(1))
        )
    elif m := re.fullmatch(r"(\d{4})-Q([1-4])", base):
        label = labels["quarter"].format(n=m.group(2), year=int(m.group(1)))
    elif m := re.fullmatch(r"(\d{4})-H([12])", base):
        label = labels["half"].format(n=m.group(2), year=int(m.group(1)))
    elif m := re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", base):
        code = m.group(2)
        genitive = labels.get("seasons_genitive", labels["seasons"])
        label = fill("season", season=labels["seasons"][code], season_genitive=genitive[code], year=int(m.group(1)))
    elif m := re.fullmatch(r"(\d{4})-W(\d\d)(-WE)?", base):
        first, _ = _period(base)
        if first is not None:
            template = labels["weekend" if m.group(3) else "week"]
            i = first.month - 1
            label = template.format(day=first.day, month=months[i], month_genitive=months_genitive[i], year=first.year)
    if time_part:
        part = labels["day_parts"].get(time_part)
        label = (
            labels["day_part"].format(date=label, part=part)
            if part
            else labels["time"].format(date=label, time=time_part)
        )
    if mod:
        if article and label.startswith("the "):
            key = "modified_article_mid" if modifier == "MID" else "modified_article"
            label = labels[key].format(mod=mod, label=label[len("the ") :])
        else:
            key = "modified_mid" if modifier == "MID" else "modified"
            label = labels[key].format(mod=mod, label=label)
    return label


def _to_roman(n: int) -> str:
    out = ""
    for value, numeral in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += numeral
            n -= value
    return out


def _ordinal(n: int, labels: dict[str, Any]) -> str:
    suffixes: dict[str, str] = labels["ordinal_suffixes"]
    if 10 <= n % 100 <= 20:
        return f"{n}{suffixes['teens']}"
    return f"{n}{suffixes.get(str(n % 10), suffixes['other'])}"
