"""Following feeds through the real application: /follow, /following, /unfollow, polling, and every way a
feed goes wrong. Feeds are served on 127.0.0.1 by the tests' own server; the clock of the polling is the tests'.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from typing import Any
from xml.sax.saxutils import escape

from storage.base import Source
from tests.botapi import StoredMessage, origin_channel
from tests.e2e.articles import BRIDGE_POST, FERRY_PAGE, FERRY_TEASER, FERRY_TITLE, SECOND_POST
from tests.e2e.conftest import LOCAL_PAGES, RunningBot
from tests.pages import PageServer, send
from usecases.feeds import poll_due
from usecases.services import Clock, FeedPolicy, FeedRuntime

CHAT = 7001
OTHER_CHAT = 7002
START = datetime(2025, 6, 2, 8, 0, tzinfo=UTC)
RSS_TYPE = "application/rss+xml; charset=utf-8"


def rss(items: list[tuple[str, str, str, str]], title: str = "Norvik Wire") -> bytes:
    """An RSS 2.0 feed of (guid, title, link, description) items, newest first."""
    body = "".join(
        f"<item><guid>{g}</guid><title>{escape(t)}</title><link>{escape(link)}</link>"
        f"<description>{escape(d)}</description></item>"
        for g, t, link, d in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>https://norvik.example/</link>{body}</channel></rss>"
    ).encode()


def article_body(text: str) -> tuple[str, str]:
    title, _, rest = text.partition("\n")
    return title, rest.strip()


def runtime(**policy: Any) -> tuple[FeedRuntime, Clock]:
    clock = Clock()
    clock.set(START)
    # tick: the repeating job looks once at start, then the tests poll with their own clock.
    return FeedRuntime(FeedPolicy(site_pace=timedelta(0), tick=3600, **policy), clock), clock


async def ask(bot: RunningBot, chat: int, command: str) -> StoredMessage:
    count = len(bot.api.bot_messages(chat))
    bot.api.push_command(chat, command)
    return (await bot.api.wait_for_messages(chat, count + 1))[-1]


def recording(pages: PageServer, path: str, answer: Callable[[BaseHTTPRequestHandler], None]) -> list[dict[str, str]]:
    """Serve `path` with `answer`, noting each request's headers."""
    seen: list[dict[str, str]] = []

    def handler(req: BaseHTTPRequestHandler) -> None:
        seen.append({k.lower(): v for k, v in req.headers.items()})
        answer(req)

    pages.routes[path] = handler
    return seen


async def test_follow_an_rss_feed_full_items_and_a_teaser_whose_page_is_fetched(
    start_bot: Any, pages: PageServer
) -> None:
    bridge_title, bridge_text = article_body(BRIDGE_POST)
    pages.routes["/news/ferry"] = lambda r: send(r, 200, FERRY_PAGE.encode(), "text/html; charset=utf-8")
    feed = rss(
        [
            ("ferry", "Ferries", pages.url("/news/ferry"), FERRY_TEASER[:150] + " Read more…"),
            ("bridge", bridge_title, pages.url("/news/bridge"), bridge_text),
        ]
    )
    pages.routes["/rss"] = lambda r: send(r, 200, feed, RSS_TYPE)
    feeds, _ = runtime()
    async with start_bot(feed_runtime=feeds, **LOCAL_PAGES) as bot:
        reply = await ask(bot, CHAT, f"/follow {pages.url('/rss')}")
        text = reply.text or ""
        assert text.startswith("Following Norvik Wire (feed 1)"), text
        assert "Stored now: 2 new articles" in text
        repo = bot.services.repo
        first, second = await repo.article_by_number(CHAT, 1), await repo.article_by_number(CHAT, 2)
        assert first is not None and second is not None
        # Oldest first; the full item is stored from the feed, the teaser's page was fetched (never the bridge's).
        assert first.title == bridge_title and first.source == Source("feed", "Norvik Wire", pages.url("/news/bridge"))
        assert second.title == FERRY_TITLE and second.source.kind == "link"
        assert Source("feed", "Norvik Wire", pages.url("/news/ferry")) in await repo.sources(CHAT, second.id)
        assert not any(path == "/news/bridge" for path, _ in pages.requests)
        # Nothing was posted for the items themselves: only the reply to /follow.
        assert len(bot.api.bot_messages(CHAT)) == 1

        listing = await ask(bot, CHAT, "/following")
        assert "1. Norvik Wire — 2 articles so far · next check 2025-06-02 08:30 UTC" in (listing.text or "")
        assert "no feed" in ((await ask(bot, OTHER_CHAT, "/following")).text or "")
        # Found by /search like any article.
        assert "#1" in ((await ask(bot, CHAT, "/search harbour bridge")).text or "")
        assert bot.api.errors() == []


async def test_conditional_requests_new_items_only_and_one_story_from_two_ways_in(
    start_bot: Any, pages: PageServer
) -> None:
    bridge_title, bridge_text = article_body(BRIDGE_POST)
    rail_title, rail_text = article_body(SECOND_POST)
    state = {"items": [("bridge", bridge_title, "https://norvik.example/bridge", bridge_text)]}

    def answer(req: BaseHTTPRequestHandler) -> None:
        etag = f'"v{len(state["items"])}"'
        if req.headers.get("If-None-Match") == etag:
            send(req, 304, b"", None, ETag=etag)
        else:
            send(req, 200, rss(state["items"]), RSS_TYPE, ETag=etag, Last_Modified="Mon, 02 Jun 2025 07:00:00 GMT")

    seen = recording(pages, "/rss", answer)
    feeds, clock = runtime()
    async with start_bot(feed_runtime=feeds, **LOCAL_PAGES) as bot:
        # The rail story arrives first as a forward from a channel.
        origin = origin_channel(-100777, "Rail News", message_id=5, username="railnews", date=int(START.timestamp()))
        bot.api.push_message(CHAT, SECOND_POST, forward_origin=origin)
        await bot.api.wait_for_messages(CHAT, 1)
        await ask(bot, CHAT, f"/follow {pages.url('/rss')}")
        assert "if-none-match" not in seen[0]

        # Not yet due: nothing is fetched.
        assert await poll_due(bot.services) == []
        clock.set(START + timedelta(minutes=31))
        (result,) = await poll_due(bot.services)
        assert result.state == "not_modified" and seen[-1]["if-none-match"] == '"v1"'
        assert seen[-1]["if-modified-since"] == "Mon, 02 Jun 2025 07:00:00 GMT"

        # The feed gets the rail story, which the chat already has from the channel: one article, two sources.
        state["items"].insert(0, ("rail", rail_title, "https://norvik.example/rail", rail_text))
        clock.set(START + timedelta(minutes=62))
        (result,) = await poll_due(bot.services)
        assert (result.state, result.new_articles, result.merged) == ("ok", 0, 1)
        repo = bot.services.repo
        assert await repo.count_articles(CHAT) == 2
        rail = await repo.article_by_number(CHAT, 1)
        assert rail is not None
        kinds = {s.kind for s in await repo.sources(CHAT, rail.id)}
        assert kinds == {"channel", "feed"}
        # Seen items are never taken again.
        state["items"].insert(0, ("x", "Third", "https://norvik.example/x", bridge_text.replace("bridge", "tunnel")))
        clock.set(START + timedelta(minutes=93))
        (result,) = await poll_due(bot.services)
        assert (result.new_articles, result.merged) == (1, 0)


async def test_a_page_advertising_an_atom_feed_and_a_json_feed(start_bot: Any, pages: PageServer) -> None:
    bridge_title, bridge_text = article_body(BRIDGE_POST)
    rail_title, rail_text = article_body(SECOND_POST)
    atom = (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Desk</title><id>urn:d</id>'
        f"<updated>2025-06-01T00:00:00Z</updated><entry><title>{bridge_title}</title><id>urn:1</id>"
        f'<link href="https://atom.example/1"/><updated>2025-06-01T00:00:00Z</updated>'
        f'<content type="text">{escape(bridge_text)}</content></entry></feed>'
    ).encode()
    pages.routes["/atom.xml"] = lambda r: send(r, 200, atom, "application/atom+xml")
    home = b'<html><head><link rel="alternate" type="application/atom+xml" href="/atom.xml"></head></html>'
    pages.routes["/"] = lambda r: send(r, 200, home, "text/html")
    json_feed = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "JSON Rail",
            "items": [{"id": "r", "url": "https://json.example/r", "title": rail_title, "content_text": rail_text}],
        }
    ).encode()
    pages.routes["/feed.json"] = lambda r: send(r, 200, json_feed, "application/feed+json")
    feeds, _ = runtime()
    async with start_bot(feed_runtime=feeds, **LOCAL_PAGES) as bot:
        reply = await ask(bot, CHAT, f"/follow {pages.url('/')}")
        assert (reply.text or "").startswith("That page advertises a feed: following Atom Desk (feed 1)")
        reply = await ask(bot, CHAT, f"/follow {pages.url('/feed.json')}")
        assert (reply.text or "").startswith("Following JSON Rail (feed 2)")
        repo = bot.services.repo
        titles = [(await repo.article_by_number(CHAT, n)) for n in (1, 2)]
        assert [a.title for a in titles if a] == [bridge_title, rail_title]
        feeds_now = await repo.chat_feeds(CHAT)
        assert [(f.kind, f.url, f.page_url) for f in feeds_now] == [
            ("atom", pages.url("/atom.xml"), pages.url("/")),
            ("json", pages.url("/feed.json"), None),
        ]
        # Following the same feed again says so; /unfollow takes the number /following shows.
        assert "already follows Atom Desk" in ((await ask(bot, CHAT, f"/follow {pages.url('/')}")).text or "")
        assert "No longer following Atom Desk" in ((await ask(bot, CHAT, "/unfollow 1")).text or "")
        assert "There is no feed 5" in ((await ask(bot, CHAT, "/unfollow 5")).text or "")
        assert (await ask(bot, CHAT, "/following")).text.count("JSON Rail") == 1  # type: ignore[union-attr]
        assert await repo.count_articles(CHAT) == 2  # the articles it brought stay


async def test_broken_feeds_failures_back_off_and_a_vanished_feed_is_paused(start_bot: Any, pages: PageServer) -> None:
    bridge_title, bridge_text = article_body(BRIDGE_POST)
    answers = {"status": 200}

    def answer(req: BaseHTTPRequestHandler) -> None:
        if answers["status"] == 200:
            send(req, 200, rss([("b", bridge_title, "https://n.example/b", bridge_text)]), RSS_TYPE)
        elif answers["status"] == 599:
            send(req, 200, b"\x00\x01\x02 binary junk", RSS_TYPE)  # garbage
        else:
            send(req, answers["status"], b"gone", "text/plain")

    pages.routes["/rss"] = answer
    pages.routes["/html"] = lambda r: send(r, 200, b"<html><body>No feed here</body></html>", "text/html")
    pages.routes["/broken"] = lambda r: send(
        r, 200, b'{"version": "https://jsonfeed.org/version/1", "items": [', "application/json"
    )
    feeds, clock = runtime()
    async with start_bot(feed_runtime=feeds, **LOCAL_PAGES) as bot:
        assert "not a feed and advertises none" in ((await ask(bot, CHAT, f"/follow {pages.url('/html')}")).text or "")
        assert "cannot read (it is malformed" in ((await ask(bot, CHAT, f"/follow {pages.url('/broken')}")).text or "")
        assert "That is not a web address" in ((await ask(bot, CHAT, "/follow ftp://x")).text or "")
        assert "Send the feed's address" in ((await ask(bot, CHAT, "/follow")).text or "")
        await ask(bot, CHAT, f"/follow {pages.url('/rss')}")

        # A server error backs off: twice the interval, then four times.
        answers["status"] = 503
        now = START + timedelta(minutes=31)
        clock.set(now)
        (result,) = await poll_due(bot.services)
        assert result.state == "failing" and result.error == "HTTP 503"
        (feed,) = await bot.services.repo.chat_feeds(CHAT)
        assert feed.next_poll_at == now + timedelta(minutes=60) and feed.failures == 1
        listing = (await ask(bot, CHAT, "/following")).text or ""
        assert "⚠ failing (HTTP 503; 1 in a row) · next try 2025-06-02 09:31 UTC" in listing

        # Garbage is a clear state of its own.
        answers["status"] = 599
        clock.set(now := now + timedelta(minutes=61))
        (result,) = await poll_due(bot.services)
        (feed,) = await bot.services.repo.chat_feeds(CHAT)
        assert result.state == "malformed" and feed.next_poll_at == now + timedelta(minutes=120)
        assert "⚠ unreadable (malformed" in ((await ask(bot, CHAT, "/following")).text or "")

        # Gone three times in a row: paused, and no longer polled.
        answers["status"] = 410
        for _ in range(3):
            (feed,) = await bot.services.repo.chat_feeds(CHAT)
            clock.set(now := feed.next_poll_at)
            (result,) = await poll_due(bot.services)
        assert result.state == "paused"
        clock.set(now + timedelta(days=30))
        assert await poll_due(bot.services) == []
        assert "⏸ paused: HTTP 410" in ((await ask(bot, CHAT, "/following")).text or "")
        # Following it again resumes it.
        answers["status"] = 200
        reply = (await ask(bot, CHAT, f"/follow {pages.url('/rss')}")).text or ""
        assert reply.startswith("Following Norvik Wire (feed 1)")
        (feed,) = await bot.services.repo.chat_feeds(CHAT)
        assert feed.state == "ok" and feed.failures == 0
        assert bot.api.errors() == []


async def test_a_feed_redirecting_to_a_private_address_is_refused(start_bot: Any, pages: PageServer) -> None:
    private = PageServer(host="127.0.0.2").start()  # loopback, but not the address the guard allows
    try:
        private.routes["/rss"] = lambda r: send(r, 200, rss([]), RSS_TYPE)
        target = {"to": None}

        def answer(req: BaseHTTPRequestHandler) -> None:
            if target["to"]:
                send(req, 302, b"", None, Location=str(target["to"]))
            else:
                send(req, 200, rss([]), RSS_TYPE)

        pages.routes["/rss"] = answer
        pages.routes["/jump"] = lambda r: send(r, 302, b"", None, Location=private.url("/rss"))
        feeds, clock = runtime()
        async with start_bot(feed_runtime=feeds, **LOCAL_PAGES) as bot:
            reply = (await ask(bot, CHAT, f"/follow {pages.url('/jump')}")).text or ""
            assert reply == "I could not read that address: the address is private."
            # A followed feed that starts redirecting there fails, and backs off.
            await ask(bot, CHAT, f"/follow {pages.url('/rss')}")
            target["to"] = private.url("/rss")
            clock.set(START + timedelta(minutes=31))
            (result,) = await poll_due(bot.services)
            assert (result.state, result.error) == ("failing", "the address is private")
            assert private.requests == []  # never connected to
    finally:
        private.stop()


async def test_only_the_newest_items_of_a_huge_feed_become_articles(start_bot: Any, pages: PageServer) -> None:
    items = [
        (f"i{n}", f"Item number {n}", f"https://big.example/{n}", f"Story {n}. " + "Long enough text here. " * 40)
        for n in range(10_000, 0, -1)
    ]
    big = rss(items, title="Big Wire")
    pages.routes["/big"] = lambda r: send(r, 200, big, RSS_TYPE)
    feeds, _ = runtime(max_new_items=5)
    async with start_bot(feed_runtime=feeds, **LOCAL_PAGES, fetch_max_bytes=len(big) + 1) as bot:
        reply = (await ask(bot, CHAT, f"/follow {pages.url('/big')}")).text or ""
        assert "Stored now: 5 new articles" in reply and "older items too" in reply
        repo = bot.services.repo
        titles = [a["title"] for a in await repo.export_articles(CHAT)]
        assert titles == [f"Item number {n}" for n in range(9_996, 10_001)]
