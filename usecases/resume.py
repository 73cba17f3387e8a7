"""At start-up: the arrivals whose answer was never sent (the process stopped between storing an article and
Telegram accepting its card), each made ready to be answered, analysed first if its analysis was interrupted."""

from __future__ import annotations

from dataclasses import dataclass

from storage.inbox import OwedAnswer
from usecases.ingest import MAX_ATTEMPTS, IngestOutcome, analyse_stored, analysed_row
from usecases.services import Services
from usecases.summary import card_view


@dataclass(frozen=True, slots=True)
class OwedCard:
    """One owed answer, ready: the arrival, what to answer it with, and the chat's language setting."""

    owed: OwedAnswer
    outcome: IngestOutcome
    chat_lang: str | None


async def owed_card(services: Services, item: OwedAnswer) -> OwedCard | None:
    """The answer owed to one arrival; None when its article is gone (deleted, or folded into an earlier copy
    whose own answer says so)."""
    article = await services.repo.article_by_id(item.chat_id, item.article_id)
    if article is None:
        return None
    settings = await services.repo.chat_settings(item.chat_id)
    first = await services.repo.first_arrival(article.id)
    original = first is not None and first.message_id == item.message_id  # else: "already #N"
    unfinished = await services.repo.unfinished_article(item.article_id, max_attempts=MAX_ATTEMPTS)
    if unfinished is None:
        return OwedCard(
            item, IngestOutcome(article, created=original, analysed=article.status == "ready"), settings.lang
        )
    analysed = await analyse_stored(
        services, unfinished.id, unfinished.raw_text, unfinished.published_at, chat_id=item.chat_id
    )
    if analysed is None:  # failed again: answered as stored, analysed at a later start
        return OwedCard(item, IngestOutcome(article, created=original, analysed=False), settings.lang)
    if analysed.analysis is None:  # folded into an earlier copy, or analysed meanwhile: from the archive
        stored = await services.repo.article_by_id(item.chat_id, item.article_id) or article
        return OwedCard(item, IngestOutcome(stored, created=original, analysed=stored.status == "ready"), settings.lang)
    ready = analysed_row(article, analysed.analysis)
    card = card_view(ready, analysed.analysis, settings.summary_sentences)
    return OwedCard(item, IngestOutcome(ready, created=original, analysed=True, card=card), settings.lang)
