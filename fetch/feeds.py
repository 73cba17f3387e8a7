"""Reading feeds: RSS and Atom (with feedparser), JSON Feed (it is JSON: read here), and finding the feed a
site's page advertises in its `<link rel="alternate">`.

Pure CPU on bytes already fetched (by `PageFetcher.fetch_feed`, under the guard and its caps): run it in a
worker, never on the event loop. feedparser is only ever given bytes, never a URL, so it fetches nothing itself.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

__all__ = ["FeedItem", "FeedRefused", "ParsedFeed", "discover_feeds", "html_to_text", "parse_feed"]

MAX_ITEMS_READ = 500  # a feed is read up to this many items (newest first by custom): feedparser takes ~1 ms each
TEASER_CHARS = 600  # an item whose text is shorter than this (and has a link) is a teaser: the page is fetched
_MAX_ITEM_CHARS = 200_000
_FEED_LINK_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
    "application/rdf+xml",
)
_READ_MORE = re.compile(r"(\[(?:…|\.\.\.)\]|…|\.\.\.|read more|continue reading|читать далее|подробнее)\W*$", re.I)


class FeedRefused(Exception):
    """The bytes are not a feed we can read; `key` says why: "malformed" (broken XML or JSON that claims to be
    a feed), "not_a_feed" (an HTML page or anything else)."""

    def __init__(self, key: str, detail: str = "") -> None:
        super().__init__(f"{key}: {detail}" if detail else key)
        self.key = key
        self.detail = detail


@dataclass(frozen=True, slots=True)
class FeedItem:
    key: str  # what identifies the item across polls: its id/guid, else its link, else a hash of its content
    title: str
    link: str | None
    text: str  # plain text of its content (or summary)
    published: datetime | None
    teaser: bool  # only a summary or the first lines: the page behind the link is the article


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    kind: str  # "rss", "atom", "json"
    title: str
    site_url: str | None
    items: tuple[FeedItem, ...]  # newest first


def parse_feed(body: bytes, url: str, charset: str | None = None) -> ParsedFeed:
    """The feed in `body` (fetched from `url`), its items newest first; FeedRefused when it is none."""
    head = body[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"{", b"[")):
        return _parse_json_feed(body, url)
    if head[:200].lower().startswith((b"<!doctype html", b"<html")):
        raise FeedRefused("not_a_feed")
    import feedparser

    body = _first_items(body, MAX_ITEMS_READ)
    headers = {"content-location": url}
    if charset:
        headers["content-type"] = f"application/xml; charset={charset}"
    # Item HTML is only ever turned into plain text here (html_to_text drops scripts and styles), so
    # feedparser's sanitising and link rewriting would cost a fifth of its time for nothing.
    parsed: Any = feedparser.parse(body, response_headers=headers, sanitize_html=False, resolve_relative_uris=False)
    version = str(parsed.get("version") or "")
    entries = list(parsed.get("entries") or [])
    if not version and not entries:
        if parsed.get("bozo"):
            raise FeedRefused("malformed", str(parsed.get("bozo_exception") or "")[:200])
        raise FeedRefused("not_a_feed")
    feed = parsed.get("feed") or {}
    items = [_xml_item(entry, url) for entry in entries]
    return ParsedFeed(
        kind="atom" if version.startswith("atom") else "rss",
        title=_one_line(feed.get("title") or "") or url,
        site_url=feed.get("link") or None,
        items=_newest_first(items),
    )


_ITEM_END = re.compile(rb"</(?:[A-Za-z0-9_]+:)?(?:item|entry)\s*>")


def _first_items(body: bytes, limit: int) -> bytes:
    """The feed cut after its `limit`-th item and closed again, so a feed of 10,000 items costs what one of
    `limit` does (feeds list their newest items first). A feed with fewer items is returned as it is."""
    ends = _ITEM_END.finditer(body)
    last = None
    for count, match in enumerate(ends, start=1):
        if count > limit:
            break
        last = match
    else:
        return body  # at most `limit` items
    assert last is not None
    head = body[:2000]
    if re.search(rb"<(?:[A-Za-z0-9_]+:)?feed[\s>]", head):
        closing = b"</feed>"
    elif re.search(rb"<rdf:RDF[\s>]", head):
        closing = b"</rdf:RDF>"
    else:
        closing = b"</channel></rss>"
    return body[: last.end()] + closing


def _xml_item(entry: Any, base: str) -> FeedItem:
    content = entry.get("content") or []
    full_html = max((c.get("value") or "" for c in content), key=len, default="")
    summary_html = entry.get("summary") or ""
    text = html_to_text(full_html) if full_html else html_to_text(summary_html)
    link = entry.get("link") or None
    link = urljoin(base, link) if link else None
    title = _one_line(html_to_text(entry.get("title") or ""))
    when = entry.get("published_parsed") or entry.get("updated_parsed")
    published = datetime.fromtimestamp(calendar.timegm(when), UTC) if when else None
    key = str(entry.get("id") or "") or link or _hash(title, text)
    return FeedItem(key[:500], title, link, text[:_MAX_ITEM_CHARS], published, _is_teaser(text, link))


def _parse_json_feed(body: bytes, url: str) -> ParsedFeed:
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise FeedRefused("malformed", str(exc)[:200]) from None
    if not isinstance(data, dict) or "jsonfeed.org/version" not in str(data.get("version", "")):
        raise FeedRefused("not_a_feed")
    raw_items = data.get("items")
    if not isinstance(raw_items, list):
        raise FeedRefused("malformed", "no items list")
    items = []
    for raw in raw_items:
        if not isinstance(raw, dict):
            continue
        link = raw.get("url") or raw.get("external_url")
        link = urljoin(url, link) if isinstance(link, str) and link else None
        if isinstance(raw.get("content_text"), str) and raw["content_text"].strip():
            text = raw["content_text"].strip()
        elif isinstance(raw.get("content_html"), str):
            text = html_to_text(raw["content_html"])
        else:
            text = html_to_text(str(raw.get("summary") or ""))
        title = _one_line(str(raw.get("title") or ""))
        published = _iso_datetime(raw.get("date_published") or raw.get("date_modified"))
        key = str(raw.get("id") or "") or link or _hash(title, text)
        items.append(FeedItem(key[:500], title, link, text[:_MAX_ITEM_CHARS], published, _is_teaser(text, link)))
    home = data.get("home_page_url")
    return ParsedFeed(
        kind="json",
        title=_one_line(str(data.get("title") or "")) or url,
        site_url=home if isinstance(home, str) else None,
        items=_newest_first(items),
    )


def discover_feeds(body: bytes, url: str, charset: str | None = None) -> list[str]:
    """The feeds an HTML page advertises (`<link rel="alternate" type="application/rss+xml" href=…>`), in the
    page's order, as absolute URLs."""
    import lxml.html

    try:
        tree = lxml.html.document_fromstring(body[:1_000_000])
    except Exception:  # lxml raises several types for garbage: then it advertises nothing
        return []
    found: list[str] = []
    for link in tree.iter("link"):
        rel = {r.lower() for r in (link.get("rel") or "").split()}
        kind = (link.get("type") or "").split(";")[0].strip().lower()
        href = (link.get("href") or "").strip()
        if "alternate" in rel and kind in _FEED_LINK_TYPES and href:
            absolute = urljoin(url, href)
            if absolute not in found:
                found.append(absolute)
    return found


_BLOCK = re.compile(
    r"<\s*(?:br|/p|/div|/li|/h[1-6]|/blockquote|/tr|p|div|li|h[1-6]|blockquote|tr)\b[^>]*>", re.IGNORECASE
)


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment, its blocks as paragraphs."""
    if "<" not in fragment and "&" not in fragment:
        return _paragraphs(fragment)
    import lxml.html

    marked = _BLOCK.sub("\n\n", fragment)
    try:
        root = lxml.html.fragment_fromstring(marked, create_parent="div")
        for element in list(root.iter("script", "style", "noscript", "iframe", "template")):
            element.drop_tree()
        text = root.text_content()
    except Exception:  # an unparsable fragment: its tags stripped by hand
        text = re.sub(r"<[^>]*>", " ", re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", " ", marked))
    return _paragraphs(text)


def _paragraphs(text: str) -> str:
    paragraphs = (" ".join(p.split()) for p in re.split(r"\n\s*\n", text))
    return "\n\n".join(p for p in paragraphs if p)


def _one_line(text: str) -> str:
    return " ".join(text.split())[:300]


def _is_teaser(text: str, link: str | None) -> bool:
    return link is not None and (len(text) < TEASER_CHARS or bool(_READ_MORE.search(text[-40:])))


def _hash(title: str, text: str) -> str:
    return "sha1:" + hashlib.sha1(f"{title}\n{text}".encode()).hexdigest()


def _iso_datetime(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _newest_first(items: list[FeedItem]) -> tuple[FeedItem, ...]:
    # Dated items by date, newest first; undated ones keep the feed's own order (newest first by custom).
    if items and all(i.published is not None for i in items):
        order = sorted(range(len(items)), key=lambda i: (items[i].published, -i), reverse=True)
        return tuple(items[i] for i in order)
    return tuple(items)
