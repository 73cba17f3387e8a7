"""Followed feeds: follow, unfollow, and the polling that turns new items into articles.

The Telegram commands (/follow, /following, /unfollow), the CLI (precis follow, poll, following) and the
polling job all call these functions; views.feeds renders what they return.

- **Following**: the URL is fetched through the safe fetcher (`PageFetcher.fetch_feed`: the SSRF guard on every
  hop, byte and time caps). RSS, Atom and JSON Feed are read (fetch.feeds, in a worker); an HTML page that
  advertises its feed (`<link rel="alternate">`) is followed through that feed.
- **Polling**: the schedule lives in the database (`feeds.next_poll_at`), so a restart loses nothing: one
  repeating job looks for due feeds. At most `concurrency` feeds are fetched at once, one request per site per
  `site_pace`; requests are conditional (ETag / Last-Modified), a 304 costs nothing. A failure backs off
  (interval × 2^failures, at most `max_backoff`) and `/following` says so; a feed answering 404/410
  `gone_after` times in a row is paused, not retried forever; one that does not parse is marked malformed.
- **Items**: only the newest `max_new_items` unseen items of one poll become articles (a 10,000-item feed
  brings its newest few, the rest are noted as seen); each goes through the same ingest path as a forward
  (dedup by link and by cleaned text: a feed item and a forward of the same story are one article with two
  sources). An item that is only a teaser has its page fetched, as a link sent to the bot is. Feed items are
  stored silently: they show up in /search, /timeline, /quotes and digests, never as a message each.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from fetch.client import FetchedPage, FetchError
from fetch.feeds import FeedItem, FeedRefused, ParsedFeed, discover_feeds, parse_feed
from fetch.urls import canonical_url
from storage.feeds import FeedRow
from storage.repository import Source
from usecases.errors import IngestRefused, UserError
from usecases.ingest import IncomingArticle, IngestOutcome, ingest
from usecases.links import Post, take_post
from usecases.services import FeedPolicy, Services

log = logging.getLogger(__name__)

GONE_STATUSES = frozenset({404, 410})


@dataclass(frozen=True, slots=True)
class FollowOutcome:
    feed: FeedRow
    created: bool
    poll: PollResult | None  # the first poll's result (None when the feed was already followed)


@dataclass(frozen=True, slots=True)
class PollResult:
    feed_id: int
    state: str  # ok | not_modified | failing | malformed | paused
    new_articles: int = 0
    merged: int = 0  # items the chat already had (another source added)
    skipped: int = 0  # unseen items beyond max_new_items
    error: str | None = None
    article_ids: tuple[int, ...] = field(default=())


# -- following ------------------------------------------------------------------------------------------------


def _fetch_error(failure: FetchError) -> UserError:
    return UserError("follow_unreachable", reason=failure.reason)


async def _read(services: Services, page: FetchedPage) -> ParsedFeed:
    return await services.analyzer.run(parse_feed, page.body, page.final_url, page.charset)


async def follow(services: Services, chat_id: int, url: str) -> FollowOutcome:
    """Follow the feed at `url` (or the one the page at `url` advertises), then poll it once."""
    url = url.strip().strip("<>")
    if not url:
        raise UserError("follow_usage")
    if canonical_url(url) is None:
        raise UserError("follow_bad_link")
    fetcher = services.fetcher
    if fetcher is None:
        raise UserError("follow_off")
    try:
        page = await fetcher.fetch_feed(url)
    except FetchError as failure:
        raise _fetch_error(failure) from None
    feed_url, page_url = page.final_url, None
    try:
        parsed = await _read(services, page)
    except FeedRefused as refused:
        if refused.key == "malformed":
            raise UserError("follow_malformed", reason=refused.detail or "") from None
        advertised = await services.analyzer.run(discover_feeds, page.body, page.final_url, page.charset)
        if not advertised:
            raise UserError("follow_not_a_feed") from None
        page_url, feed_url = page.final_url, advertised[0]
        try:
            page = await fetcher.fetch_feed(feed_url)
            parsed = await _read(services, page)
        except FetchError as failure:
            raise _fetch_error(failure) from None
        except FeedRefused as again:
            raise UserError("follow_malformed", reason=again.detail or again.key) from None
    host = urlsplit(feed_url).hostname or feed_url
    runtime = services.feeds
    existing = await services.repo.feed_by_url(chat_id, feed_url)
    if existing is not None and existing.state != "paused":
        return FollowOutcome(existing, created=False, poll=None)
    now = runtime.now()
    feed, created = await services.repo.add_feed(chat_id, feed_url, host, now, page_url=page_url)
    runtime.site_last[host] = now
    result = await _store_poll(services, feed, page, parsed, now)
    refreshed = await services.repo.feed_by_id(feed.id)
    return FollowOutcome(refreshed or feed, created=created or existing is not None, poll=result)


async def unfollow(services: Services, chat_id: int, number: int) -> FeedRow:
    feeds = await services.repo.chat_feeds(chat_id)
    if not 1 <= number <= len(feeds):
        raise UserError("unfollow_unknown", number=number, count=len(feeds))
    feed = feeds[number - 1]
    await services.repo.remove_feed(chat_id, feed.id)
    return feed


# -- polling --------------------------------------------------------------------------------------------------


def backoff(policy: FeedPolicy, failures: int) -> timedelta:
    """How long after its n-th failure in a row (n ≥ 1) a feed is tried again."""
    step = policy.interval * (2 ** min(failures, 16))
    return min(step, policy.max_backoff)


async def poll_feed(services: Services, feed: FeedRow) -> PollResult:
    """Fetch one feed (conditionally) and store its new items; its state and next poll are recorded."""
    runtime, repo = services.feeds, services.repo
    policy = runtime.policy
    fetcher = services.fetcher
    if fetcher is None:
        return PollResult(feed.id, feed.state, error="fetching is off")
    now = runtime.now()
    try:
        page = await fetcher.fetch_feed(feed.url, etag=feed.etag, last_modified=feed.last_modified)
    except FetchError as failure:
        gone = failure.key == "status" and failure.values.get("status") in GONE_STATUSES
        pause = gone and feed.gone + 1 >= policy.gone_after
        state = "paused" if pause else "failing"
        await repo.feed_failed(
            feed.id, now, now + backoff(policy, feed.failures + 1), state=state, error=failure.reason, gone=gone
        )
        log.info("feed %s (%s): %s", feed.id, feed.url, failure.reason)
        return PollResult(feed.id, state, error=failure.reason)
    if page.not_modified:
        await repo.feed_polled(feed.id, now, now + policy.interval)
        return PollResult(feed.id, "not_modified")
    try:
        parsed = await _read(services, page)
    except FeedRefused as refused:
        reason = "not a feed any more" if refused.key == "not_a_feed" else f"malformed: {refused.detail}"
        await repo.feed_failed(feed.id, now, now + backoff(policy, feed.failures + 1), state="malformed", error=reason)
        return PollResult(feed.id, "malformed", error=reason)
    return await _store_poll(services, feed, page, parsed, now)


async def _store_poll(
    services: Services, feed: FeedRow, page: FetchedPage, parsed: ParsedFeed, now: datetime
) -> PollResult:
    result = await take_items(services, feed, parsed)
    await services.repo.feed_polled(
        feed.id,
        services.feeds.now(),
        now + services.feeds.policy.interval,
        title=parsed.title,
        kind=parsed.kind,
        etag=page.etag,
        last_modified=page.last_modified,
        new_articles=result.new_articles,
    )
    return result


async def take_items(services: Services, feed: FeedRow, parsed: ParsedFeed) -> PollResult:
    """The newest unseen items (at most max_new_items) become articles, oldest first; the rest are noted seen."""
    repo, runtime = services.repo, services.feeds
    keys = list(dict.fromkeys(item.key for item in parsed.items))
    unseen = await repo.unseen_item_keys(feed.id, keys)
    fresh: list[FeedItem] = []
    for item in parsed.items:
        if item.key in unseen and all(f.key != item.key for f in fresh):
            fresh.append(item)
    chosen = fresh[: runtime.policy.max_new_items]
    skipped = fresh[runtime.policy.max_new_items :]
    if skipped:
        await repo.mark_items_seen(feed.id, [(item.key, None) for item in skipped], runtime.now())
    name = parsed.title or feed.title or feed.host
    created, merged, ids = 0, 0, []
    for item in reversed(chosen):  # oldest first: article numbers follow the feed's time
        outcome = await store_item(services, feed.chat_id, name, item)
        article_id = outcome.article.id if outcome is not None else None
        await repo.mark_items_seen(feed.id, [(item.key, article_id)], runtime.now())
        if outcome is None:
            continue
        ids.append(outcome.article.id)
        if outcome.created:
            created += 1
        else:
            merged += 1
    return PollResult(feed.id, "ok", created, merged, len(skipped), article_ids=tuple(ids))


async def store_item(services: Services, chat_id: int, feed_name: str, item: FeedItem) -> IngestOutcome | None:
    """One item through the same ingest path as a forward; None when it holds nothing to store."""
    source = Source("feed", feed_name, item.link)
    text = f"{item.title}\n\n{item.text}" if item.title and item.text else (item.title or item.text)
    try:
        if item.teaser and item.link:
            return await take_post(services, chat_id, Post(text or None, source, item.published, links=(item.link,)))
        key = canonical_url(item.link) if item.link else None
        incoming = IncomingArticle(
            text, source, item.published, title=item.title or None, url_keys=(key,) if key else ()
        )
        return await ingest(services, chat_id, incoming)
    except IngestRefused as refused:
        log.info("feed item %s not stored: %s", item.key, refused.key)
        return None


async def poll_due(services: Services) -> list[PollResult]:
    """Poll the feeds that are due: a bounded number at once, one per site within the site's pace."""
    runtime = services.feeds
    now = runtime.now()
    chosen: list[FeedRow] = []
    hosts: set[str] = set()
    for feed in await services.repo.due_feeds(now, runtime.policy.batch):
        last = runtime.site_last.get(feed.host)
        if feed.id in runtime.in_flight or feed.host in hosts:
            continue
        if last is not None and now - last < runtime.policy.site_pace:
            continue  # the site was asked a moment ago: its feed stays due for the next tick
        hosts.add(feed.host)
        runtime.site_last[feed.host] = now
        runtime.in_flight.add(feed.id)
        chosen.append(feed)

    async def one(feed: FeedRow) -> PollResult:
        try:
            async with runtime.slots:
                return await poll_feed(services, feed)
        finally:
            runtime.in_flight.discard(feed.id)

    results = await asyncio.gather(*(one(feed) for feed in chosen), return_exceptions=True)
    done = []
    for feed, result in zip(chosen, results, strict=True):
        if isinstance(result, BaseException):
            log.error("polling feed %s failed", feed.id, exc_info=result)
        else:
            done.append(result)
    return done


async def feed_number(services: Services, chat_id: int, feed_id: int) -> int:
    return next((i for i, f in enumerate(await services.repo.chat_feeds(chat_id), 1) if f.id == feed_id), 0)
