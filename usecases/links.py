"""Posts with links: the page behind a link becomes the article, or completes the post's own text.

What a post is made of decides what is stored (plain async functions, shared by the bot and the CLI):

- **The substance is a link** (just a URL, or a headline and a URL: less than `SUBSTANTIAL_CHARS` of text once
  links and boilerplate are taken out): the page is the article. Its text is stored under its own title, with
  its author and date, and the link as the source; the channel that posted it is kept as a second source.
- **Substantial text and a link**: the post's text is what its reader saw, so it is kept as it is, first. The
  page follows it when it adds substance: when it tells the same story (at least `SAME_STORY` of the post's
  words are on the page, so a reference to some other page adds nothing) and has at least
  `ADDITION_CHARS` of paragraphs the post does not already have (a teaser is usually the page's first
  paragraph, not repeated). The link is kept as a second source either way.
- **No link to fetch**: the text is the article. Telegram links (t.me) are never fetched: they are channels
  and invitations, not articles.

Only the first link that can be fetched is followed: a post's main link comes first far more often than not,
and each fetch costs the user time. The same link already stored in the chat (compared by
`fetch.urls.canonical_url`, tracking parameters and all such noise aside) is recognised before anything is
fetched. A link that cannot be read gives a one-line reason; the post's own text, if it has any, is stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import urlsplit

from analysis.clean import clean_article
from analysis.documents import page_article
from analysis.html import ExtractedPage
from fetch.client import FetchError, format_size
from fetch.urls import canonical_url, is_telegram_link
from storage.repository import Source
from usecases.errors import IngestRefused, Reason
from usecases.ingest import IncomingArticle, IngestOutcome, Note, ingest, published_datetime
from usecases.services import Services

__all__ = ["Post", "fetchable_links", "page_addition", "read_link", "take_post"]

SUBSTANTIAL_CHARS = 200
ADDITION_CHARS = 200
SAME_STORY = 0.4
COMPARED_CHARS = 50_000


@dataclass(frozen=True, slots=True)
class Post:
    """What someone sent, whatever the channel: a message, a series of posts joined, a URL on the command line."""

    text: str | None
    source: Source
    published_at: datetime | None = None
    links: tuple[str, ...] = ()  # every link in it, hidden ones (text links) included
    message_ids: tuple[int, ...] = ()  # the messages that stand for it; the first is the one answered
    part_ids: tuple[int, ...] = ()  # the stored parts it was joined from
    silent: bool = False  # stored without a card owed (a channel's own post)


@dataclass(frozen=True, slots=True)
class LinkedPage:
    url: str  # as asked
    final_url: str  # after redirects
    page: ExtractedPage
    truncated: bool  # the page was longer than the fetcher's cap and was read up to it
    cap_bytes: int


class LinkUnreadable(Exception):
    def __init__(self, reason: Reason) -> None:
        super().__init__(reason.key)
        self.reason = reason


def fetchable_links(links: tuple[str, ...] | list[str]) -> list[str]:
    """The links worth fetching, in order: http(s), not Telegram's own."""
    return [url for url in links if canonical_url(url) is not None and not is_telegram_link(url)]


def own_text(text: str, links: tuple[str, ...] | list[str]) -> str:
    """The post's text without its links (as written, with or without their scheme)."""
    for url in sorted(links, key=len, reverse=True):
        text = text.replace(url, " ")
        bare = re.sub(r"(?i)^https?://", "", url)
        if bare != url:
            text = text.replace(bare, " ")
    return text.strip()


def is_substantial(text: str) -> bool:
    if len(text) > 20 * SUBSTANTIAL_CHARS:
        return True  # surely, and cleaning a long text to find out would cost time on the event loop
    return len(clean_article(text).text) >= SUBSTANTIAL_CHARS


_WORD = re.compile(r"[^\W\d_]{4,}")


def _stems(text: str) -> set[str]:
    # Five letters of each word of four or more: inflected forms ("council's", "councils") count as one.
    return {w[:5] for w in _WORD.findall(text.casefold())}


def _key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def page_addition(post_text: str, page_text: str) -> str | None:
    """The page's paragraphs that add to the post, or None when the page adds nothing worth storing.

    Cheap enough for the event loop: a post is at most a few thousand characters, and only the page's
    beginning is compared (a story that is the same is the same from its first paragraphs)."""
    post_stems = _stems(post_text)
    if not post_stems or len(post_stems & _stems(page_text[:COMPARED_CHARS])) < SAME_STORY * len(post_stems):
        return None
    post_key = _key(post_text)
    new = [p for p in page_text.split("\n\n") if _key(p) and _key(p) not in post_key]
    added = "\n\n".join(new)
    return added if len(added) >= ADDITION_CHARS else None


def _site(page: LinkedPage) -> str:
    host = urlsplit(page.final_url).hostname or urlsplit(page.url).hostname or page.url
    return page.page.site_name or host.removeprefix("www.")


async def read_link(services: Services, url: str) -> LinkedPage:
    """Fetch the page (never blocking the loop) and extract its article in the worker pool."""
    fetcher = services.fetcher
    if fetcher is None:
        raise LinkUnreadable(Reason("fetch", "off"))
    try:
        fetched = await fetcher.fetch(url)
    except FetchError as failure:
        raise LinkUnreadable(Reason("fetch", failure.key, failure.values)) from None
    page = await services.analyzer.run(page_article, fetched.body, fetched.final_url, fetched.charset, fetched.is_html)
    if page is None:
        # Cut at the cap with no article before it: the size is the reason worth telling.
        key = "too_large" if fetched.truncated else "no_article"
        raise LinkUnreadable(
            Reason("fetch", key, {"size": format_size(fetcher.config.max_bytes)} if fetched.truncated else {})
        )
    return LinkedPage(url, fetched.final_url, page, fetched.truncated, fetcher.config.max_bytes)


async def take_post(services: Services, chat_id: int, post: Post) -> IngestOutcome:
    """Store what a post brings (its text, the page behind its link, or both) and analyse it.

    Raises IngestRefused when there is nothing to store: no text, and no link that could be read."""
    text = post.text or ""
    first, *others = post.message_ids or (None,)
    base = IncomingArticle(
        text,
        post.source,
        post.published_at,
        message_id=first,
        message_ids=tuple(m for m in others if m is not None),
        part_ids=post.part_ids,
        silent=post.silent,
    )
    links = fetchable_links(post.links)
    if not links:
        if post.text is None:
            raise IngestRefused("unsupported_message")  # a sticker, a photo without a caption
        return await ingest(services, chat_id, base)

    link = links[0]
    key = canonical_url(link)
    assert key is not None  # fetchable_links keeps only links that have one
    async with services.links_in_flight.hold((chat_id, key)):
        return await _take_link(services, chat_id, post, base, link, key)


async def _take_link(
    services: Services, chat_id: int, post: Post, base: IncomingArticle, link: str, key: str
) -> IngestOutcome:
    text = base.text
    own = own_text(text, post.links)
    known = await services.repo.article_id_by_url(chat_id, key)
    if known is not None:
        await services.repo.add_arrival(
            chat_id,
            known,
            [post.source],
            message_ids=[m for m in post.message_ids if m is not None],
            consume_parts=post.part_ids,
            owed=post.message_ids[0] if post.message_ids and not post.silent else None,
        )
        article = await services.repo.article_by_id(chat_id, known)
        if article is not None:
            # Its card says whether it is still being analysed.
            return IngestOutcome(article, created=False, analysed=True)

    try:
        linked = await read_link(services, link)
    except LinkUnreadable as failure:
        if not any(ch.isalnum() for ch in own):
            raise IngestRefused("link_unreadable", cause=failure.reason) from None
        outcome = await ingest(services, chat_id, base)
        return replace(outcome, notes=(Note("link_unreadable_stored", reason=failure.reason),))

    page = linked.page
    keys = tuple(dict.fromkeys(k for k in (key, canonical_url(linked.final_url)) if k))
    link_source = Source("link", _site(linked), linked.final_url)
    if is_substantial(own):
        addition = page_addition(own, page.text)
        incoming = replace(
            base,
            text=text if addition is None else f"{text}\n\n{addition}",
            url_keys=keys,
            extra_sources=(link_source,),
        )
    else:
        incoming = replace(
            base,
            text=f"{page.title}\n\n{page.text}" if page.title else page.text,
            source=link_source,
            published_at=published_datetime(page.published) or post.published_at,
            title=page.title,
            author=page.author,
            url_keys=keys,
            extra_sources=(post.source,) if post.source.kind not in ("pasted", "cli") else (),
        )
    try:
        outcome = await ingest(services, chat_id, incoming)
    except IngestRefused as refused:
        if refused.key != "too_long":
            raise
        # Said of the page, not of a text the user sent.
        limit = f"{services.limits.max_text_chars:,}"
        reason = Reason("fetch", "page_text_too_long", {"limit": limit})
        raise IngestRefused("link_unreadable", cause=reason) from None
    if linked.truncated:
        outcome = replace(outcome, notes=(Note("page_cut", values={"size": format_size(linked.cap_bytes)}),))
    return outcome
