"""Followed feeds as text: the answer to /follow, the /following list with each feed's state, and JSON."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from storage.feeds import FeedRow
from usecases.feeds import FollowOutcome
from views.i18n import t, tn
from views.render import escape, link_or_text


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def render_feed_line(number: int, feed: FeedRow, lang: str) -> str:
    name = link_or_text(feed.title or feed.host, feed.url)
    if feed.state == "paused":
        status = t(lang, "following_paused", reason=escape(feed.error or ""))
    elif feed.state in ("failing", "malformed"):
        status = t(
            lang,
            "following_failing" if feed.state == "failing" else "following_malformed",
            reason=escape(feed.error or ""),
            failures=feed.failures,
            next=_when(feed.next_poll_at),
        )
    else:
        status = tn(lang, "following_ok", feed.articles, next=_when(feed.next_poll_at))
    return t(lang, "following_line", number=number, name=name, status=status)


def render_following(feeds: list[FeedRow], lang: str) -> str:
    if not feeds:
        return t(lang, "following_none")
    lines = [t(lang, "following_header", n=len(feeds)), ""]
    lines += [render_feed_line(i, feed, lang) for i, feed in enumerate(feeds, start=1)]
    return "\n".join(lines)


def render_follow(outcome: FollowOutcome, number: int, lang: str) -> str:
    feed = outcome.feed
    name = link_or_text(feed.title or feed.host, feed.url)
    if outcome.poll is None:
        return t(lang, "follow_already", name=name, number=number)
    poll = outcome.poll
    key = "follow_done_page" if feed.page_url else "follow_done"
    lines = [t(lang, key, name=name, number=number)]
    if poll.error:
        lines.append(t(lang, "follow_first_failed", reason=escape(poll.error)))
    else:
        lines.append(tn(lang, "follow_stored", poll.new_articles, merged=poll.merged))
        if poll.skipped:
            lines.append(t(lang, "follow_skipped", n=poll.skipped))
    return "\n".join(lines)


def feed_json(number: int, feed: FeedRow) -> dict[str, Any]:
    return {
        "number": number,
        "url": feed.url,
        "page_url": feed.page_url,
        "title": feed.title,
        "kind": feed.kind,
        "state": feed.state,
        "error": feed.error,
        "failures": feed.failures,
        "articles": feed.articles,
        "next_poll_at": feed.next_poll_at.isoformat(),
        "last_poll_at": feed.last_poll_at.isoformat() if feed.last_poll_at else None,
    }
