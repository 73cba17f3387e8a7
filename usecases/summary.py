"""What an article said: the article a command is about, and its summary with what the card shows beside it."""

from __future__ import annotations

from dataclasses import dataclass

from analysis.lang import limitations
from analysis.types import Analysis
from storage.quotes import StoredQuote
from storage.repository import ArticleRow
from usecases.errors import UserError
from usecases.services import Services


@dataclass(frozen=True, slots=True)
class SummaryView:
    article: ArticleRow
    sentences: list[str]
    total_sentences: int
    quote: StoredQuote | None
    event_count: int
    notes: tuple[str, ...] = ()  # what the analysis left out: "lang_unsupported"


async def find_article(
    services: Services, chat_id: int, number: int | None = None, reply_to_message_id: int | None = None
) -> ArticleRow:
    """The article a command is about: the replied-to message's, a numbered one, or the newest."""
    repo = services.repo
    if reply_to_message_id is not None and number is None:
        article = await repo.article_by_message(chat_id, reply_to_message_id)
        if article is None:
            raise UserError("not_an_article")
        return article
    if number is not None:
        article = await repo.article_by_number(chat_id, number)
        if article is None:
            last = await repo.last_article(chat_id)
            if last is None:
                raise UserError("no_such_article_empty", number=number)
            raise UserError("no_such_article", number=number, last=last.number)
        return article
    article = await repo.last_article(chat_id)
    if article is None:
        raise UserError("no_articles")
    return article


def check_analysed(article: ArticleRow) -> None:
    """UserError unless the article's analysis is done: it is still pending, or it failed."""
    if article.status == "pending":
        raise UserError("pending", number=article.number)
    if article.status == "failed":
        raise UserError("failed", number=article.number, reason=article.error or "unknown error")


async def summary_view(services: Services, article: ArticleRow, sentences: int | None = None) -> SummaryView:
    limit = services.limits.max_summary_sentences
    if sentences is not None and not 1 <= sentences <= limit:
        raise UserError("bad_sentences", max=limit)
    check_analysed(article)
    if sentences is None:
        sentences = (await services.repo.chat_settings(article.chat_id)).summary_sentences
    return SummaryView(
        article=article,
        sentences=await services.repo.summary_sentences(article.chat_id, article.id, sentences),
        total_sentences=await services.repo.sentence_count(article.chat_id, article.id),
        quote=await services.repo.strongest_quote(article.chat_id, article.id),
        event_count=await services.repo.count_events(article.chat_id, article.id),
        notes=limitations(article.lang) if article.lang else (),
    )


def card_view(article: ArticleRow, analysis: Analysis, sentences: int) -> SummaryView:
    """The card of an article just analysed, from its analysis in hand: what `summary_view` would read back
    from the repository once it is stored (the same sentences, the same strongest quote, the same count)."""
    spoken = [q for q in analysis.quotes if q.speaker is not None]
    # The repository's order: the highest score, then a direct quote, then the earliest.
    strongest = min(spoken, key=lambda q: (-q.score, -int(q.direct), q.start), default=None)
    quote = None
    if strongest is not None:
        quote = StoredQuote(
            article_id=article.id,
            article_number=article.number,
            article_title=article.title,
            source=article.source,
            published_at=article.published_at,
            speaker=strongest.speaker,
            speaker_kind=strongest.speaker_kind,
            mention=strongest.mention,
            text=strongest.text,
            direct=strongest.direct,
            cue=strongest.cue,
            score=strongest.score,
        )
    return SummaryView(
        article=article,
        sentences=[s.text for s in analysis.summary(sentences)],
        total_sentences=len(analysis.sentences),
        quote=quote,
        event_count=len(analysis.events),
        notes=limitations(analysis.lang),
    )
