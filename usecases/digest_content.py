"""What a chat's next digest covers and shows: the articles since the last digest, the most salient of them in
full (summary, quote, first event), more as one line each, the rest counted. Read only: nothing is consumed."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from storage.digests import DigestArticle, DigestState, SubscriptionRow
from storage.quotes import StoredQuote
from usecases.digest_filter import DigestFilter, matching_articles
from usecases.services import Services

__all__ = ["ArticleEntry", "DigestContent", "compose_digest", "preview"]


@dataclass(frozen=True, slots=True)
class ArticleEntry:
    article: DigestArticle
    full: bool
    sentences: list[str]
    quote: StoredQuote | None  # its strongest, cut to a digest's length
    top_event: tuple[str, str] | None


@dataclass(frozen=True, slots=True)
class DigestContent:
    state: DigestState
    after: int  # the article id it starts after
    upto: int  # the last article id it covers
    count: int
    entries: list[ArticleEntry]
    more: list[DigestArticle]  # covered, but beyond what is listed
    filter: DigestFilter | None = None  # a filtered subscription's digest: only what matched is shown
    subscription_id: int | None = None
    watermark: int | None = None  # the watermark it was computed from (the chat's, or the subscription's)

    @property
    def empty(self) -> bool:
        return self.count == 0


def _salience(article: DigestArticle) -> tuple[int, int, int, int]:
    # Featured first: told by several sources, quoting someone, with dates; then the newest.
    return (article.source_count, int(article.quote_count > 0), min(article.event_count, 3), article.id)


async def compose_digest(
    services: Services, chat_id: int, now: datetime, subscription: SubscriptionRow | None = None
) -> DigestContent:
    """What the chat's next digest covers and shows, read from the database (nothing is changed). For a
    filtered `subscription`: from its own watermark, and only the articles its filter keeps (the range still
    covers the others, so they are not read again)."""
    repo = services.repo
    policy = services.digests.policy
    state = await repo.digest_state(chat_id)
    digest_filter = DigestFilter.from_json(subscription.filter) if subscription and subscription.filter else None
    watermark = subscription.watermark if digest_filter is not None and subscription else state.watermark
    after = watermark
    if after is None:  # never had a digest: the first one looks back one day
        after = await repo.article_id_before(chat_id, now - timedelta(days=1))
    upto, count = await repo.digest_range(chat_id, after, settled_before=now - policy.settle)
    articles = await repo.digest_articles(chat_id, after, upto) if count else []
    if digest_filter is not None and articles:
        kept = await matching_articles(services, chat_id, [a.id for a in articles], digest_filter)
        articles = [a for a in articles if a.id in kept]
        count = len(articles)
    ready = [a for a in articles if a.status == "ready"]
    featured = {a.id for a in sorted(ready, key=_salience, reverse=True)[: policy.max_full]}
    entries: list[ArticleEntry] = []
    listed = 0
    more: list[DigestArticle] = []
    for article in articles:
        if article.id in featured:
            quote = await repo.strongest_quote(chat_id, article.id)
            if quote is not None and len(quote.text) > 240:
                quote = _shorter_quote(quote)
            entries.append(
                ArticleEntry(
                    article,
                    True,
                    await repo.summary_sentences(chat_id, article.id, policy.summary_sentences),
                    quote,
                    await repo.top_event(chat_id, article.id) if article.event_count else None,
                )
            )
        elif listed < policy.max_listed:
            listed += 1
            entries.append(ArticleEntry(article, False, [], None, None))
        else:
            more.append(article)
    return DigestContent(
        state,
        after,
        upto,
        count,
        entries,
        more,
        digest_filter,
        subscription.id if digest_filter is not None and subscription else None,
        watermark,
    )


def _shorter_quote(quote: StoredQuote) -> StoredQuote:
    return replace(quote, text=quote.text[:237].rstrip() + "…")


async def preview(services: Services, chat_id: int) -> DigestContent:
    """The chat's next digest as it stands, consuming nothing (for `precis digest`)."""
    return await compose_digest(services, chat_id, services.digests.now())
