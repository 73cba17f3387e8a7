"""Digests as text: the digest itself, schedules and local times, and the answers of the subscription commands."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from storage.digests import DigestArticle, DigestState, SubscriptionRow
from usecases.digest_content import DigestContent
from usecases.digest_filter import DigestFilter
from usecases.schedule import WEEKDAYS, Schedule, zone, zone_label
from usecases.subscriptions import PAUSE_REASONS, SubscribeOutcome, schedule_of
from views.i18n import t, tn
from views.render import Html, bold, escape, split_message, truncate
from views.summary import render_quote, render_source


def d(lang: str, key: str, **values: Any) -> str:
    """A message of the digest catalogue section."""
    return t(lang, key, section="digest", **values)


def dn(lang: str, key: str, count: int, **values: Any) -> str:
    """A message of the digest catalogue section that depends on a number."""
    return tn(lang, key, count, section="digest", **values)


def local_time(moment: datetime, zone_name: str, lang: str = "en") -> str:
    """'Sun 30 Mar 08:00' ('Вс 30 марта 08:00') in the chat's zone and language."""
    local = moment.astimezone(zone(zone_name))
    weekday = t(lang, "weekdays_short").split()[local.weekday()]
    month = t(lang, "months_in_dates").split()[local.month - 1]
    return f"{weekday} {local.day} {month} {local:%H:%M}"


def describe(schedule: Schedule, lang: str) -> str:
    if schedule.kind == "every":
        return d(lang, "every_hour") if schedule.hours == 1 else d(lang, "every_hours", hours=schedule.hours)
    assert schedule.minute is not None
    clock = f"{schedule.minute // 60:02d}:{schedule.minute % 60:02d}"
    if schedule.kind == "weekly":
        assert schedule.weekday is not None
        return d(lang, "weekly_at", day=d(lang, f"day_{WEEKDAYS[schedule.weekday]}"), time=clock)
    return d(lang, "daily_at", time=clock)


def describe_filter(digest_filter: DigestFilter, lang: str) -> str:
    """'about NATO, Ukraine · from Putin · not about sport', escaped."""
    parts = []
    if digest_filter.about:
        parts.append(d(lang, "filter_about", topics=escape(", ".join(digest_filter.about))))
    if digest_filter.people:
        parts.append(d(lang, "filter_from", people=escape(", ".join(digest_filter.people))))
    if digest_filter.exclude:
        parts.append(d(lang, "filter_not", topics=escape(", ".join(digest_filter.exclude))))
    return " · ".join(parts)


def describe_subscription(sub: SubscriptionRow, lang: str) -> str:
    what = describe(schedule_of(sub), lang)
    if sub.filter:
        what += " · " + describe_filter(DigestFilter.from_json(sub.filter), lang)
    return what


def _title(article: DigestArticle, lang: str) -> str:
    return article.title or d(lang, "untitled", number=article.number)


def render_digest(content: DigestContent, lang: str) -> Html:
    state = content.state
    about = d(lang, "header_filter", filter=describe_filter(content.filter, lang)) if content.filter else ""
    if content.empty and content.filter:
        return Html(d(lang, "nothing_matched", filter=describe_filter(content.filter, lang)))
    if content.empty:
        if state.last_digest_at is not None:
            return Html(d(lang, "nothing_new_since", since=local_time(state.last_digest_at, state.timezone, lang)))
        return Html(d(lang, "nothing_new"))
    header = dn(lang, "header", content.count) + about
    if state.last_digest_at is not None and content.filter is None:
        header += d(lang, "header_since", since=local_time(state.last_digest_at, state.timezone, lang))
    blocks = [header]
    listed: list[str] = []
    for entry in content.entries:
        article = entry.article
        number = d(lang, "number", number=article.number)
        if not entry.full:
            status = ""
            if article.status == "failed":
                status = d(lang, "not_analysed")
            elif article.status == "pending":
                status = d(lang, "still_analysing")
            listed.append(f"{number} {escape(_title(article, lang))} — {render_source(article.source, lang)}{status}")
            continue
        lines = [str(bold(_title(article, lang))), f"{render_source(article.source, lang)} · {number}"]
        if entry.sentences:
            lines.append(str(truncate(escape(" ".join(entry.sentences)), 400)))
        if entry.quote is not None:
            lines.append(render_quote(entry.quote, lang))
        if entry.top_event is not None:
            label, text = entry.top_event
            event = d(lang, "event", label=escape(label), text=escape(text[:160]))
            if article.event_count > 1:
                event += dn(lang, "events_more", article.event_count - 1, number=article.number)
            lines.append(event)
        blocks.append("\n".join(lines))
    if listed:
        title = d(lang, "also_new") if len(listed) < len(content.entries) else d(lang, "new_articles")
        blocks.append("\n".join([str(bold(title)), *listed]))
    if content.more:
        first, last = content.more[0].number, content.more[-1].number
        blocks.append(dn(lang, "and_more", len(content.more), first=first, last=last))
    return Html("\n\n".join(blocks))


def digest_parts(content: DigestContent, lang: str, *, empty_line: bool) -> list[str]:
    """The messages a digest is sent as, in order; none for an empty period unless the chat wants the line."""
    if content.empty and not empty_line:
        return []
    return [str(part) for part in split_message(render_digest(content, lang))]


def render_subscribed(outcome: SubscribeOutcome, lang: str) -> str:
    what = describe_subscription(outcome.subscription, lang)
    when = local_time(outcome.subscription.next_due_at, outcome.timezone, lang)
    key = "subscribed" if outcome.created else ("resumed" if outcome.resumed else "already_subscribed")
    lines = [d(lang, key, what=what, zone=escape(zone_label(outcome.timezone)), next=when)]
    if outcome.created:
        lines.append(d(lang, "first_digest"))
    if outcome.zone_defaulted:
        lines.append(d(lang, "zone_default"))
    elif outcome.zone_changed:
        lines.append(d(lang, "zone_changed", zone=escape(zone_label(outcome.timezone))))
        if outcome.others_moved:
            lines.append(dn(lang, "others_follow", outcome.others_moved))
    return "\n".join(lines)


def render_subscriptions(subs: Sequence[SubscriptionRow], state: DigestState, lang: str) -> str:
    if not subs:
        return d(lang, "no_subscriptions")
    lines = [d(lang, "list_header", zone=escape(zone_label(state.timezone)))]
    for i, sub in enumerate(subs, start=1):
        what = describe_subscription(sub, lang)
        if sub.paused:
            reason = d(lang, f"paused_{sub.paused_reason}") if sub.paused_reason in PAUSE_REASONS else ""
            lines.append(d(lang, "list_paused", number=i, what=what, reason=reason))
        else:
            lines.append(
                d(lang, "list_item", number=i, what=what, next=local_time(sub.next_due_at, state.timezone, lang))
            )
    lines.append("")
    lines.append(d(lang, "list_empty_on") if state.empty_digest else d(lang, "list_empty_off"))
    lines.append(tn(lang, "list_footer", len(subs), section="digest"))
    return "\n".join(lines)


def render_unsubscribed(removed: Sequence[SubscriptionRow], lang: str) -> str:
    if len(removed) == 1:
        return d(lang, "unsubscribed_one", what=describe_subscription(removed[0], lang))
    return dn(lang, "unsubscribed_all", len(removed))


def render_resumed(resumed: Sequence[SubscriptionRow], state: DigestState, lang: str) -> str:
    """The chat wrote again, and its paused subscriptions run again."""
    listing = ", ".join(describe_subscription(s, lang) for s in resumed)
    return d(
        lang,
        "resumed_on_message",
        what=listing,
        next=local_time(min(r.next_due_at for r in resumed), state.timezone, lang),
    )
