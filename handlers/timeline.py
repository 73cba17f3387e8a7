"""/timeline: the dated events of an article, or of every article in the chat that mentions a topic or person.

The plain async functions (`timeline_for`, `article_timeline`, `topic_timeline`) serve the Telegram callbacks,
the CLI and the benchmark alike; rendering is separate; the callbacks only parse, call and reply.

Across articles the same event is often reported more than once. Two reports are one line when they give the
same normalised date and their lines share most of their content words (see `same_event`); the line then
lists every article it came from.

Paging is stateless: a button carries the page and what the list is of (an article id, or the topic itself
when it fits in Telegram's 64 bytes of callback data). A longer topic is read back from the command the list
answers, which the list message replies to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from analysis.lang import stop_words
from analysis.people import name_key, name_tokens, suggest
from analysis.search import query_stems
from handlers.common import Command, PrecisContext, chat_language, command, services_of
from handlers.i18n import UserError, t
from handlers.render import bold, escape, plain_text, truncate
from handlers.services import Services
from handlers.summary import find_article
from storage.base import iso
from storage.repository import ArticleRow
from storage.timeline import StoredEvent, fts_words

CALLBACK_PREFIX = "tl"
PAGE_SIZE = 10
MAX_TOPIC_CHARS = 100
MAX_ARTICLES = 500  # a topic's time line is built from at most this many of its newest articles
MAX_SOURCES_SHOWN = 5  # article numbers shown on one line; more are counted
_CALLBACK_BYTES = 64  # Telegram's limit on callback data
_GRANULARITY_RANK = {"century": 0, "decade": 1, "year": 2, "half": 3, "quarter": 3, "season": 3, "month": 4}
_WORD = re.compile(r"[^\W_]+")
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
    stops = stop_words(lang)
    date_words = {w.casefold() for w in _WORD.findall(event.label)}
    return frozenset(
        w[:_STEM]
        for w in (m.casefold() for m in _WORD.findall(event.text))
        if w not in stops and w not in date_words and not w.isdigit() and len(w) > 1
    )


def same_event(a: frozenset[str], b: frozenset[str]) -> bool:
    """Two lines with the same date tell the same event when most words of the shorter are in the longer:
    at least two shared and half of the shorter one's (all of it when it has fewer than three words)."""
    shared = len(a & b)
    smaller = min(len(a), len(b))
    if smaller == 0:
        return False
    if smaller < 3:
        return shared == smaller
    return shared >= 2 and 2 * shared >= smaller


def merge_reports(events: Iterable[StoredEvent], lang: str = "en") -> list[TimelineEntry]:
    """Events in date order, reports of the same event from different articles merged into one entry.

    Each report is compared with the first report of each entry (not with everything merged so far, so
    entries do not drift), and an entry holds at most one report per article; speakers must agree when both
    are known ("Putin: ..." and "Biden: ..." about the same day are two claims).
    """
    by_value: dict[str, list[StoredEvent]] = {}
    for event in sorted(events, key=lambda e: (e.article_number, e.sentence_index, e.id)):
        by_value.setdefault(event.value, []).append(event)
    entries = []
    for group in by_value.values():
        if len(group) == 1:  # most dates are named once: nothing to compare
            entries.append(TimelineEntry((group[0],)))
            continue
        clusters: list[tuple[frozenset[str], list[StoredEvent]]] = []
        for event in group:
            stems = content_stems(event, lang)
            for first_stems, reports in clusters:
                first = reports[0]
                if (
                    all(r.article_id != event.article_id for r in reports)
                    and (first.speaker is None or event.speaker is None or first.speaker == event.speaker)
                    and same_event(first_stems, stems)
                ):
                    reports.append(event)
                    break
            else:
                clusters.append((stems, [event]))
        entries.extend(TimelineEntry(tuple(reports)) for _, reports in clusters)
    entries.sort(key=_order)
    return entries


# -- the queries ----------------------------------------------------------------------------------------------


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
    if article.status == "pending":
        raise UserError("pending", number=article.number)
    if article.status == "failed":
        raise UserError("failed", number=article.number, reason=escape(article.error or "unknown error"))
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
                "timeline_not_found_suggest",
                topic=escape(topic),
                names=escape(", ".join(names)),
                command=escape(f"/timeline {names[0]}"),
            )
        raise UserError("timeline_not_found", topic=escape(topic))
    capped = len(ids) > MAX_ARTICLES
    ids = ids[:MAX_ARTICLES]
    events = await repo.events_of_articles(chat_id, ids)
    return TimelineView(
        kind=kind,
        subject=subject,
        entries=merge_reports(events),
        articles=len(ids),
        capped=capped,
        scope=f"t{topic}",
    )


# -- rendering ------------------------------------------------------------------------------------------------


def _plural(lang: str, key: str, n: int) -> str:
    return t(lang, f"{key}_one" if n == 1 else f"{key}_other", n=n)


def pages(view: TimelineView) -> int:
    return max(1, -(-len(view.entries) // PAGE_SIZE))


def render_sources(numbers: Sequence[int], lang: str) -> str:
    shown = ", ".join(f"#{n}" for n in numbers[:MAX_SOURCES_SHOWN])
    if len(numbers) > MAX_SOURCES_SHOWN:
        shown += " " + t(lang, "timeline_more_sources", n=len(numbers) - MAX_SOURCES_SHOWN)
    return shown


def render_entry(entry: TimelineEntry, lang: str) -> str:
    event = entry.event
    text = (
        t(lang, "timeline_claim", speaker=escape(event.speaker), text=escape(event.text))
        if event.speaker
        else escape(event.text)
    )
    return t(
        lang,
        "timeline_line",
        date=bold(event.label),
        text=text,
        sources=render_sources(entry.article_numbers, lang),
    )


def render_header(view: TimelineView, lang: str) -> str:
    if view.kind == "article" and view.article is not None:
        number = view.article.number
        if view.subject:
            return t(lang, "timeline_article_header", number=number, title=escape(view.subject))
        return t(lang, "timeline_article_header_untitled", number=number)
    return t(
        lang,
        "timeline_topic_header",
        subject=escape(view.subject),
        events=_plural(lang, "timeline_events", len(view.entries)),
        articles=_plural(lang, "timeline_articles", view.articles),
    )


def _render(view: TimelineView, lang: str, entries: Sequence[TimelineEntry]) -> list[str]:
    lines = [render_header(view, lang)]
    if view.capped:
        lines.append(t(lang, "timeline_capped", limit=MAX_ARTICLES))
    lines.append("")
    if not view.entries:
        if view.kind == "article" and view.article is not None:
            lines.append(t(lang, "timeline_article_empty", number=view.article.number))
        else:
            key = "timeline_topic_empty_one" if view.articles == 1 else "timeline_topic_empty_other"
            lines.append(t(lang, key, n=view.articles, subject=escape(view.subject)))
    lines.extend(render_entry(entry, lang) for entry in entries)
    return lines


def render_timeline(view: TimelineView, lang: str, page: int = 1) -> tuple[str, int]:
    """One page of the time line as Telegram HTML (always one message), and the page actually shown."""
    page = min(max(page, 1), pages(view))
    lines = _render(view, lang, view.entries[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
    if pages(view) > 1:
        lines += ["", t(lang, "timeline_page", page=page, pages=pages(view))]
    # A page is PAGE_SIZE lines of at most a few hundred characters; the cut is only a guard.
    return truncate("\n".join(lines)), page


def render_timeline_all(view: TimelineView, lang: str) -> tuple[str, int]:
    """The whole time line on one page, for a terminal."""
    return "\n".join(_render(view, lang, view.entries)), 1


def callback_data(scope: str, page: int) -> str:
    data = f"{CALLBACK_PREFIX}:{page}:{scope}"
    if len(data.encode("utf-8")) > _CALLBACK_BYTES:
        data = f"{CALLBACK_PREFIX}:{page}:r"  # read the topic back from the command this list answers
    return data


def page_keyboard(view: TimelineView, page: int, lang: str) -> InlineKeyboardMarkup | None:
    if pages(view) <= 1:
        return None
    row = []
    if page > 1:
        row.append(InlineKeyboardButton(t(lang, "timeline_earlier"), callback_data=callback_data(view.scope, page - 1)))
    if page < pages(view):
        row.append(InlineKeyboardButton(t(lang, "timeline_later"), callback_data=callback_data(view.scope, page + 1)))
    return InlineKeyboardMarkup([row])


def timeline_json(view: TimelineView) -> list[dict[str, Any]]:
    """The time line as the CLI's --json prints it: one object per line, in date order."""
    return [
        {
            "date": entry.date,
            "label": entry.event.label,
            "text": entry.event.text,
            "speaker": entry.event.speaker,
            "article_id": entry.article_numbers[0],
            "value": entry.event.value,
            "granularity": entry.event.granularity,
            "actors": list(entry.event.actors),
            "sources": [
                {
                    "article_id": r.article_number,
                    "title": r.article_title,
                    "source": r.source.name or r.source.kind,
                    "url": r.source.url,
                    "published_at": iso(r.published_at),
                    "text": r.text,
                }
                for r in sorted(entry.reports, key=lambda r: r.article_number)
            ],
        }
        for entry in view.entries
    ]


# -- Telegram -------------------------------------------------------------------------------------------------


@command
async def on_timeline(cmd: Command) -> None:
    reply_to = cmd.message.reply_to_message.message_id if cmd.message.reply_to_message else None
    view = await timeline_for(cmd.services, cmd.chat_id, " ".join(cmd.args), reply_to)
    html, page = render_timeline(view, cmd.lang)
    await cmd.reply(html, reply_markup=page_keyboard(view, page, cmd.lang))


async def on_timeline_button(update: Update, context: PrecisContext) -> None:
    """Earlier/Later: the same message is edited to show the other page."""
    query = update.callback_query
    if query is None or query.data is None or not isinstance(query.message, Message):
        return
    services = services_of(context)
    lang = await chat_language(services, update)
    chat_id = query.message.chat.id
    try:
        view, page = await _view_for_button(services, chat_id, query.data, query.message)
    except UserError as problem:
        await query.answer(plain_text(problem.message(lang))[:200], show_alert=True)
        return
    await query.answer()
    html, page = render_timeline(view, lang, page)
    try:
        await query.edit_message_text(html, reply_markup=page_keyboard(view, page, lang))
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():  # a double tap shows the same page: nothing to do
            raise


async def _view_for_button(services: Services, chat_id: int, data: str, message: Message) -> tuple[TimelineView, int]:
    try:
        _, page_text, scope = data.split(":", 2)
        page = int(page_text)
    except ValueError:
        raise UserError("timeline_expired") from None
    if scope.startswith("a") and scope[1:].isdigit():
        return await article_timeline(services, chat_id, article_id=int(scope[1:])), page
    if scope.startswith("t") and len(scope) > 1:
        return await topic_timeline(services, chat_id, scope[1:]), page
    if scope == "r":
        command = message.reply_to_message.text if message.reply_to_message else None
        parts = (command or "").split(maxsplit=1)
        if len(parts) == 2 and parts[0].split("@")[0] == "/timeline":
            return await topic_timeline(services, chat_id, parts[1]), page
    raise UserError("timeline_expired")


__all__ = [
    "CALLBACK_PREFIX",
    "TimelineEntry",
    "TimelineView",
    "article_timeline",
    "iso_date",
    "merge_reports",
    "on_timeline",
    "on_timeline_button",
    "render_timeline",
    "render_timeline_all",
    "timeline_for",
    "timeline_json",
    "topic_timeline",
]
