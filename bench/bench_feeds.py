"""How long a followed feed's new item takes to become an article, through a feed served on 127.0.0.1.

    python -m bench.bench_feeds [--items 40]

The real path: `usecases.feeds.poll_feed` (a conditional request through the safe fetcher, feedparser in the
worker, the same ingest as a forward: store, analyse in one worker process, store the results). Each round adds
one item to the feed and polls once; the time is from the poll's start to the article stored and analysed.
Full-text items are stored from the feed; teaser items have their page fetched first (from the same server).
A poll answered 304 is timed too. In the bot, an item also waits up to one poll interval (30 minutes by
default) before it is seen: that wait is the schedule's, not the work's, and is not in these figures.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from xml.sax.saxutils import escape

from fetch.client import FetchConfig, PageFetcher
from storage.db import Database
from storage.repository import Repository
from tests.pages import PageServer, send
from usecases.feeds import follow, poll_feed
from usecases.services import Analyzer, FeedPolicy, FeedRuntime, Services

CITIES = ("Norvik", "Eastbay", "Larnholm", "Tessaly", "Brightwater", "Oskarby", "Venmoor", "Caldera")
PLANS = ("a harbour bridge", "a tram line", "a library", "a flood barrier", "a solar farm", "a night bus network")


def story(i: int) -> tuple[str, str]:
    city, plan = CITIES[i % len(CITIES)], PLANS[i % len(PLANS)]
    title = f"{city} approves plan {i} for {plan}"
    body = (
        f"The council of {city} approved {plan} on Tuesday, after a debate that lasted {i % 9 + 2} months. "
        f"The vote passed with a clear majority of {20 + i} members.\n\n"
        f'"This is the decision our residents asked for," the mayor of {city} said after vote number {i}.\n\n'
        f"Work is expected to begin in March 2026 and to finish in {2027 + i % 4}. Critics said the cost was too "
        "high and asked for an independent review of the plan before any contract is signed."
    )
    return title, body


def feed_xml(items: list[tuple[str, str, str, str]]) -> bytes:
    body = "".join(
        f"<item><guid>{g}</guid><title>{escape(t)}</title><link>{escape(link)}</link>"
        f"<description>{escape(d)}</description></item>"
        for g, t, link, d in reversed(items)  # newest first, as feeds list them
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Bench Wire</title>'
        f"<link>http://127.0.0.1/</link>{body}</channel></rss>"
    ).encode()


async def run(rounds: int) -> dict[str, list[float]]:
    server = PageServer().start()
    items: list[tuple[str, str, str, str]] = []
    etag = {"value": '"0"'}

    def answer(req: object) -> None:
        from http.server import BaseHTTPRequestHandler

        assert isinstance(req, BaseHTTPRequestHandler)
        if req.headers.get("If-None-Match") == etag["value"]:
            send(req, 304, b"", None, ETag=etag["value"])
        else:
            send(req, 200, feed_xml(items), "application/rss+xml", ETag=etag["value"])

    server.routes["/rss"] = answer
    times: dict[str, list[float]] = {"full": [], "teaser": [], "not_modified": []}
    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "bench.db")
        allow = (ipaddress.ip_network("127.0.0.1/32"),)
        services = Services(
            Repository(db),
            Analyzer(workers=1),
            fetcher=PageFetcher(FetchConfig(allow_networks=allow)),
            feeds=FeedRuntime(FeedPolicy(site_pace=timedelta(0))),
        )
        try:
            await services.analyzer.analyze("Warm-up. The worker starts.", None)
            title, body = story(0)
            items.append(("i0", title, "http://127.0.0.1/news/0", body))
            outcome = await follow(services, 1, server.url("/rss"))
            for i in range(1, rounds + 1):
                teaser = i % 2 == 0
                title, body = story(i)
                link = server.url(f"/news/{i}")
                page = f"<html><head><title>{escape(title)}</title></head><body><article><h1>{escape(title)}</h1>"
                page += "".join(f"<p>{escape(p)}</p>" for p in body.split("\n\n")) + "</article></body></html>"
                server.routes[f"/news/{i}"] = lambda r, page=page: send(r, 200, page.encode(), "text/html")
                items.append((f"i{i}", title, link, body[:120] + "… Read more" if teaser else body))
                etag["value"] = f'"{i}"'
                feed = await services.repo.feed_by_id(outcome.feed.id)
                assert feed is not None
                started = time.perf_counter()
                result = await poll_feed(services, feed)
                elapsed = time.perf_counter() - started
                assert result.new_articles == 1, result
                times["teaser" if teaser else "full"].append(elapsed)
                feed = await services.repo.feed_by_id(outcome.feed.id)
                assert feed is not None
                started = time.perf_counter()
                result = await poll_feed(services, feed)
                times["not_modified"].append(time.perf_counter() - started)
                assert result.state == "not_modified", result
        finally:
            if services.fetcher is not None:
                await services.fetcher.aclose()
            services.analyzer.shutdown()
            await db.close()
            server.stop()
    return times


def _ms(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument("--data", help="unused (the feed is generated); accepted for the suite")
    args = parser.parse_args(argv)
    times = asyncio.run(run(args.items))
    print(f"feed item → stored and analysed article, {args.items} polls (one new item each), one worker")
    print("| poll | p50 | p90 | max |")
    print("|---|---|---|---|")
    for name, label in (
        ("full", "a full-text item"),
        ("teaser", "a teaser item (its page fetched)"),
        ("not_modified", "nothing new (304)"),
    ):
        values = times[name]
        print(
            f"| {label} | {1000 * statistics.median(values):.0f} ms | {_ms(values, 0.9):.0f} ms "
            f"| {1000 * max(values):.0f} ms |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
