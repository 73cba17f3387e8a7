"""Time lines: the dated events of an article, or of every article in the chat that mentions a topic or person.

The plain async functions (`timeline_for`, `article_timeline`, `topic_timeline`) serve the Telegram callbacks,
the CLI and the benchmark alike.

A person's time line holds only the events the person takes part in: the person said it (the event's speaker),
or is named in the event's own clause (its actors), a pronoun standing for them resolved when the event is
built. An article that mentions Blair once does not put its every date on Blair's time line.

Across articles the same event is often reported more than once. Two reports are one line when they give the
same normalised date and their lines share most of their content words (see `same_event`); the line then
lists every article it came from.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from operator import attrgetter
from typing import Literal

from analysis.lang import stop_words
from analysis.people import name_key, name_tokens, search_keys, suggest
from analysis.search import query_stems
from storage.repository import ArticleRow
from storage.timeline import StoredEvent, fts_words
from usecases.errors import UserError
from usecases.services import Services
from usecases.summary import check_analysed, find_article

MAX_TOPIC_CHARS = 100
MAX_ARTICLES = 500  # a topic's time line is built from at most this many of its newest articles
_GRANULARITY_RANK = {"century": 0, "decade": 1, "year": 2, "half": 3, "quarter": 3, "season": 3, "month": 4}
_WORD = re.compile(r"[^\W_]+")
_ASCII_NOT_WORD = str.maketrans({c: " " for c in map(chr, range(128)) if not c.isalnum()})  # `_WORD`'s gaps
_STEM = 5  # words are compared by their first letters: "applied" and "application", "member" and "membership"

Kind = Literal["article", "topic", "person"]


# -- the model ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One line of a time line: an event, and every report of it (the first is the one shown)."""

    reports: tuple[StoredEvent, ...]

    @property
    def event(self) -> StoredEvent:
        return self.reports[0]

    @property
    def date(self) -> str:
        return iso_date(self.event.value)

    @property
    def article_numbers(self) -> list[int]:
        return sorted({r.article_number for r in self.reports})


@dataclass(frozen=True, slots=True)
class TimelineView:
    kind: Kind
    subject: str  # the topic as typed, the person's name, or the article's title
    entries: list[TimelineEntry]
    articles: int  # how many articles were read for it
    capped: bool = False  # more articles matched than were read
    article: ArticleRow | None = None
    scope: str = ""  # how a button names this list again: "a<article id>" or "t<topic>"


def iso_date(value: str) -> str:
    """The date at its precision, ISO-like: "1954", "2022-02", "2022-02-24", "199X" (a decade).

    A TimeML century is two digits ("19" is the 20th century); it is written "19XX" so no one reads it as
    the year 19.
    """
    return f"{value}XX" if re.fullmatch(r"\d\d", value) else value


def _order(entry: TimelineEntry) -> tuple[str, int, int, int]:
    e = entry.event
    return e.sort_key, _GRANULARITY_RANK.get(e.granularity, 5), e.article_number, e.sentence_index


# -- merging reports of the same event ------------------------------------------------------------------------


def content_stems(event: StoredEvent, lang: str = "en") -> frozenset[str]:
    """The words an event line is compared by: no stop words, numbers or words of the date itself."""
    return frozenset(_stems(event.text, _date_words(event.label), stop_words(lang)))


def _date_words(label: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in _WORD.findall(label))


def _stems(text: str, date_words: AbstractSet[str], stops: AbstractSet[str]) -> set[str]:
    if text.isascii():  # the words are its runs of letters and digits, and folding them is lower()
        words = set(text.lower().translate(_ASCII_NOT_WORD).split())
    else:  # each word folded as found: folding the text first could split one ("İ" folds to "i" and a dot)
        words = set(map(str.casefold, _WORD.findall(text)))
    return {w[:_STEM] for w in words if len(w) > 1 and w not in stops and w not in date_words and not w.isdigit()}


def same_event(a: AbstractSet[str], b: AbstractSet[str]) -> bool:
    """Two lines with the same date tell the same event when most words of the shorter are in the longer:
    at least two shared and half of the shorter one's (all of it when it has fewer than three words)."""
    shared = len(a & b)
    smaller = min(len(a), len(b))
    if smaller == 0:
        return False
    if smaller < 3:
        return shared == smaller
    return shared >= 2 and 2 * shared >= smaller


_ARRIVAL = attrgetter("article_number", "sentence_index", "id")
_INDEX_FROM = 16  # entries of one date from which reports find theirs through a word index


def merge_reports(events: Iterable[StoredEvent], lang: str = "en") -> list[TimelineEntry]:
    """Events in date order, reports of the same event from different articles merged into one entry.

    Each report is compared with the first report of each entry (not with everything merged so far, so
    entries do not drift), and an entry holds at most one report per article; speakers must agree when both
    are known ("Putin: ..." and "Biden: ..." about the same day are two claims).
    """
    by_value: dict[str, list[StoredEvent]] = {}
    for event in sorted(events, key=_ARRIVAL):
        group = by_value.get(event.value)
        if group is None:
            by_value[event.value] = [event]
        else:
            group.append(event)
    stops = stop_words(lang)
    date_words: dict[str, frozenset[str]] = {}  # by label: one date's reports mostly share it
    entries = []
    for group in by_value.values():
        if len(group) == 1:  # most dates are named once: nothing to compare
            entries.append(TimelineEntry((group[0],)))
            continue
        stems = []
        for event in group:
            words = date_words.get(event.label)
            if words is None:
                words = date_words[event.label] = _date_words(event.label)
            stems.append(_stems(event.text, words, stops))
        entries.extend(TimelineEntry(tuple(reports)) for reports in _clusters(group, stems))
    entries.sort(key=_order)
    return entries


def _clusters(group: list[StoredEvent], stems: list[set[str]]) -> list[list[StoredEvent]]:
    """The reports of one date, each in the first entry it tells the same event as, else in one of its own.

    An entry can only take a report that shares a word with its first report (`same_event` needs one at
    least). Once a date has many entries, a report is compared only with those found through its words, in
    the order the entries were made: the same first match as comparing with every entry, without comparing
    with all (a year named in hundreds of articles would make that quadratic).
    """
    clusters: list[list[StoredEvent]] = []
    firsts: list[set[str]] = []  # the stems of each entry's first report
    articles: list[set[int]] = []  # the articles each entry has a report from
    holding: dict[str, list[int]] | None = None  # a stem: the entries whose first report has it, oldest first
    for event, words in zip(group, stems, strict=True):
        if holding is None:
            candidates: Iterable[int] = range(len(clusters))
            if len(clusters) >= _INDEX_FROM:
                holding = {}
                for i, first in enumerate(firsts):
                    for word in first:
                        holding.setdefault(word, []).append(i)
        if holding is not None:
            found: set[int] = set()
            for word in words:
                having = holding.get(word)
                if having is not None:
                    found.update(having)
            candidates = sorted(found)
        for i in candidates:
            reports = clusters[i]
            speaker = reports[0].speaker
            if (
                event.article_id not in articles[i]
                and (speaker is None or event.speaker is None or speaker == event.speaker)
                and same_event(firsts[i], words)
            ):
                reports.append(event)
                articles[i].add(event.article_id)
                break
        else:
            if holding is not None:
                for word in words:
                    holding.setdefault(word, []).append(len(clusters))
            clusters.append([event])
            firsts.append(words)
            articles.append({event.article_id})
    return clusters


# -- who takes part -------------------------------------------------------------------------------------------

_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)


def _lang_of(name: str) -> str:
    return "ru" if _CYRILLIC.search(name) else "en"


def person_keys(query: str, names: Iterable[str]) -> set[str]:
    """The name keys a person is known by: the query's own, and each matching person's full name and surname."""
    keys = {name_key(query, _lang_of(query))} - {""}
    for name in names:
        keys |= search_keys(name, lang=_lang_of(name))
    return keys


def takes_part(event: StoredEvent, keys: set[str], known: dict[str, bool] | None = None) -> bool:
    """Whether the person with these keys said the event or is named in its clause.

    `known` remembers, across the events of one time line, whether a name is the person's: the same few
    speakers and actors recur in hundreds of events, and each name's keys take a parse to find."""
    known = {} if known is None else known
    names = [event.speaker, *event.actors] if event.speaker else event.actors
    for name in names:
        theirs = known.get(name)
        if theirs is None:
            theirs = known[name] = not keys.isdisjoint(search_keys(name, lang=_lang_of(name)))
        if theirs:
            return True
    return False


# -- the queries ----------------------------------------------------------------------------------------------


async def chat_zone(services: Services, chat_id: int) -> str:
    """The chat's time zone (set with /settings timezone or /subscribe), for what is shown in local time."""
    return (await services.repo.digest_state(chat_id)).timezone or "UTC"


async def timeline_for(
    services: Services, chat_id: int, args: str, reply_to_message_id: int | None = None
) -> TimelineView:
    """What `/timeline ARGS` means: nothing (the last or replied-to article), a number, or a topic/person."""
    args = " ".join(args.split())
    number = args.removeprefix("#")
    if not args:
        return await article_timeline(services, chat_id, reply_to_message_id=reply_to_message_id)
    if number.isdigit():
        if len(number) > 9:
            raise UserError("timeline_bad_number")
        return await article_timeline(services, chat_id, int(number))
    return await topic_timeline(services, chat_id, args)


async def article_timeline(
    services: Services,
    chat_id: int,
    number: int | None = None,
    *,
    reply_to_message_id: int | None = None,
    article_id: int | None = None,
) -> TimelineView:
    if article_id is not None:
        found = await services.repo.article_by_id(chat_id, article_id)
        if found is None:
            raise UserError("timeline_expired")
        article = found
    else:
        article = await find_article(services, chat_id, number, reply_to_message_id)
    check_analysed(article)
    events = await services.repo.article_events(chat_id, article.id)
    return TimelineView(
        kind="article",
        subject=article.title or "",
        entries=merge_reports(events, article.lang or "en"),
        articles=1,
        article=article,
        scope=f"a{article.id}",
    )


async def topic_timeline(services: Services, chat_id: int, topic: str) -> TimelineView:
    """Every dated event of the newest MAX_ARTICLES articles that mention the topic or person."""
    topic = " ".join(topic.split())
    if len(topic) > MAX_TOPIC_CHARS:
        raise UserError("timeline_topic_too_long", limit=MAX_TOPIC_CHARS, size=len(topic))
    words = fts_words(topic)
    if not words:
        raise UserError("timeline_no_words")
    repo = services.repo
    key = name_key(topic)
    people = await repo.timeline_people(chat_id, key) if key else []
    name_words = fts_words(" ".join(name_tokens(topic)))
    if people and name_words:
        kind: Kind = "person"
        subject = people[0].name if len(people) == 1 else topic
        ids = await repo.person_article_ids(chat_id, name_words, [p.id for p in people], MAX_ARTICLES + 1)
    else:
        kind, subject = "topic", topic
        # Stems, so that the topic matches in every case form ("Украина", "Украины", "Украину").
        ids = await repo.stem_article_ids(chat_id, query_stems(topic), MAX_ARTICLES + 1)
    if not ids:
        if not await repo.chat_has_articles(chat_id):
            raise UserError("no_articles")
        names = suggest(topic, await repo.timeline_person_names(chat_id))
        if names:
            raise UserError(
                "timeline_not_found_suggest", topic=topic, names=", ".join(names), command=f"/timeline {names[0]}"
            )
        raise UserError("timeline_not_found", topic=topic)
    capped = len(ids) > MAX_ARTICLES
    ids = ids[:MAX_ARTICLES]
    events = await repo.events_of_articles(chat_id, ids)
    if kind == "person":
        keys = person_keys(topic, [p.name for p in people])
        known: dict[str, bool] = {}
        events = [e for e in events if takes_part(e, keys, known)]
    return TimelineView(
        kind=kind,
        subject=subject,
        entries=merge_reports(events),
        articles=len(ids),
        capped=capped,
        scope=f"t{topic}",
    )
