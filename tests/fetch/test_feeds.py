"""Reading feeds: RSS, Atom and JSON Feed items (newest first, full text or teaser), feed discovery, bad input."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from fetch.feeds import FeedRefused, discover_feeds, html_to_text, parse_feed

LONG = " ".join(["The council met on Tuesday and agreed the harbour budget after a long debate."] * 10)

RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Norvik Daily</title><link>https://norvik.example/</link>
<item><title>Older story</title><link>/news/1</link><guid>n-1</guid>
  <pubDate>Mon, 01 Jan 2024 09:00:00 GMT</pubDate><description><![CDATA[<p>{LONG}</p>]]></description></item>
<item><title>Newer &amp; shorter</title><link>https://norvik.example/news/2</link><guid>n-2</guid>
  <pubDate>Tue, 02 Jan 2024 09:00:00 GMT</pubDate><description>Ferries double. Read more…</description></item>
</channel></rss>""".encode()

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Desk</title><link href="https://atom.example/"/>
<id>urn:atom-desk</id><updated>2024-03-01T10:00:00Z</updated>
<entry><title>Bridge opens</title><id>urn:e1</id><link href="https://atom.example/e1"/>
  <updated>2024-03-01T10:00:00Z</updated>
  <summary>Short.</summary>
  <content type="html">&lt;p&gt;{LONG}&lt;/p&gt;&lt;script&gt;steal()&lt;/script&gt;</content></entry>
</feed>""".encode()


def test_rss_items_newest_first_with_teasers_told_apart() -> None:
    feed = parse_feed(RSS, "https://norvik.example/rss")
    assert (feed.kind, feed.title, feed.site_url) == ("rss", "Norvik Daily", "https://norvik.example/")
    newer, older = feed.items
    assert newer.key.endswith("n-2") and newer.key != older.key
    assert (newer.title, newer.link) == ("Newer & shorter", "https://norvik.example/news/2")
    assert newer.teaser and newer.published == datetime(2024, 1, 2, 9, 0, tzinfo=UTC)
    # A relative link is made absolute; a long description is the whole story, not a teaser.
    assert older.link == "https://norvik.example/news/1" and not older.teaser
    assert older.text.startswith("The council met on Tuesday")


def test_atom_takes_the_full_content_over_the_summary_and_drops_scripts() -> None:
    feed = parse_feed(ATOM, "https://atom.example/atom.xml")
    (entry,) = feed.items
    assert feed.kind == "atom" and entry.key == "urn:e1" and not entry.teaser
    assert entry.text.startswith("The council met") and "steal" not in entry.text


def test_json_feed() -> None:
    body = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "JSON Wire",
            "home_page_url": "https://json.example/",
            "items": [
                {
                    "id": "j1",
                    "url": "https://json.example/1",
                    "title": "Plain",
                    "content_text": LONG,
                    "date_published": "2024-05-01T08:00:00Z",
                },
                {
                    "id": "j2",
                    "url": "/2",
                    "title": "Html",
                    "content_html": "<p>Short <b>teaser</b></p>",
                    "date_published": "2024-05-02T08:00:00+00:00",
                },
                "not an item",
            ],
        }
    ).encode()
    feed = parse_feed(body, "https://json.example/feed.json")
    assert (feed.kind, feed.title) == ("json", "JSON Wire")
    assert [i.key for i in feed.items] == ["j2", "j1"]
    assert feed.items[0].text == "Short teaser" and feed.items[0].teaser
    assert feed.items[0].link == "https://json.example/2"


@pytest.mark.parametrize(
    ("body", "key"),
    [
        (b'{"version": "https://jsonfeed.org/version/1", "items": [', "malformed"),
        (b'{"version": "https://jsonfeed.org/version/1", "items": 5}', "malformed"),
        (b'{"hello": "world"}', "not_a_feed"),
        (b"<!DOCTYPE html><html><head><title>x</title></head><body>hi</body></html>", "not_a_feed"),
        (b"\x00\x01\x02 binary junk", "malformed"),
        (b"", "not_a_feed"),
    ],
)
def test_what_is_not_a_readable_feed_says_why(body: bytes, key: str) -> None:
    with pytest.raises(FeedRefused) as refused:
        parse_feed(body, "https://x.example/feed")
    assert refused.value.key == key


def test_a_broken_rss_still_gives_the_items_before_the_break() -> None:
    feed = parse_feed(RSS[: RSS.index(b"<item><title>Newer")] + b"<item><title>Cut", "https://norvik.example/rss")
    assert feed.items[0].key.endswith("n-1") and feed.items[0].text.startswith("The council met")


def test_a_page_advertises_its_feeds() -> None:
    page = b"""<html><head>
        <link rel="stylesheet" href="/s.css">
        <link rel="alternate" type="application/atom+xml" href="/atom.xml" title="Atom">
        <link rel="alternate" type="application/rss+xml; charset=utf-8" href="https://cdn.example/rss">
        <link rel="alternate" type="text/html" hreflang="ru" href="/ru/">
        </head><body></body></html>"""
    assert discover_feeds(page, "https://site.example/news/") == [
        "https://site.example/atom.xml",
        "https://cdn.example/rss",
    ]
    assert discover_feeds(b"\xff\xfe garbage", "https://site.example/") == []


def test_html_to_text_keeps_paragraphs() -> None:
    assert html_to_text("<p>One &amp; two</p><p>Three<br>four</p>") == "One & two\n\nThree\n\nfour"
    assert html_to_text("plain  text") == "plain text"


def test_a_huge_feed_is_read_up_to_its_first_items() -> None:
    from fetch.feeds import MAX_ITEMS_READ

    for wrap, item in (
        (
            '<rss version="2.0"><channel><title>Big</title>{}</channel></rss>',
            "<item><guid>g{n}</guid><title>T{n}</title></item>",
        ),
        (
            '<feed xmlns="http://www.w3.org/2005/Atom"><title>Big</title>{}</feed>',
            "<entry><id>g{n}</id><title>T{n}</title></entry>",
        ),
    ):
        body = wrap.format("".join(item.format(n=n) for n in range(MAX_ITEMS_READ + 300))).encode()
        feed = parse_feed(body, "https://big.example/feed")
        assert len(feed.items) == MAX_ITEMS_READ and feed.items[0].key.endswith("g0")
        assert feed.title == "Big"
