"""Time lines as text: one page of a time line for Telegram, the whole of it for a terminal, and as JSON."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from analysis.timeline import sort_key
from storage.base import iso
from usecases.timeline import MAX_ARTICLES, TimelineEntry, TimelineView
from views.i18n import t, tn
from views.picture import PictureEvent, PictureSpec
from views.render import bold, escape, truncate

PAGE_SIZE = 10
MAX_SOURCES_SHOWN = 5  # article numbers shown on one line; more are counted


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
        events=tn(lang, "timeline_events", len(view.entries)),
        articles=tn(lang, "timeline_articles", view.articles),
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
            lines.append(tn(lang, "timeline_topic_empty", view.articles, subject=escape(view.subject)))
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


def picture_spec(view: TimelineView, lang: str, zone: str, made: datetime, dark: bool = False) -> PictureSpec:
    """What the picture shows, in the chat's language and time zone (plain text: the picture is not HTML)."""
    if view.kind == "article" and view.article is not None:
        title = t(lang, "timeline_picture_article_title", number=view.article.number, title=view.subject or "")
    else:
        title = t(lang, "timeline_picture_topic_title", subject=view.subject)
    local = made.astimezone(ZoneInfo(zone)) if zone else made
    subtitle = t(
        lang,
        "timeline_picture_subtitle",
        events=tn(lang, "timeline_events", len(view.entries)),
        articles=tn(lang, "timeline_articles", view.articles),
        made=local.strftime("%Y-%m-%d %H:%M"),
        zone=zone or "UTC",
    )
    events = tuple(
        PictureEvent(
            start=entry.event.sort_key,
            end=sort_key(entry.event.end_value) if entry.event.end_value else "",
            label=entry.event.label,
            text=f"{entry.event.speaker}: {entry.event.text}" if entry.event.speaker else entry.event.text,
            source=_picture_source(entry),
        )
        for entry in view.entries
    )
    return PictureSpec(title.removesuffix(" · "), subtitle, events, lang, dark)


def _picture_source(entry: TimelineEntry) -> str:
    first = entry.event
    name = first.source.name or first.article_title or ""
    numbers = ", ".join(f"#{n}" for n in entry.article_numbers[:MAX_SOURCES_SHOWN])
    return f"{numbers} {name}".strip()
