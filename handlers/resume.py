"""At start-up: articles whose arrival was never answered (the process stopped between storing an article and
Telegram accepting its card) get their card, analysed first if their analysis was interrupted."""

from __future__ import annotations

import logging
from typing import Any

from telegram.error import TelegramError
from telegram.ext import ExtBot

from handlers.arrivals import answer
from storage.inbox import OwedAnswer
from usecases.ingest import MAX_ATTEMPTS, IngestOutcome, analyse_stored
from usecases.services import Services
from views.i18n import pick_language

log = logging.getLogger(__name__)


async def answer_owed(services: Services, bot: ExtBot[Any], owed: list[OwedAnswer]) -> int:
    """Answer every listed arrival once (listed before updates are taken in, so a new arrival being handled
    is not among them). Returns how many got their card."""
    answered = 0
    for item in owed:
        article = await services.repo.article_by_id(item.chat_id, item.article_id)
        if article is None:
            continue  # deleted, or folded into an earlier copy whose answer says so
        unfinished = await services.repo.unfinished_article(item.article_id, max_attempts=MAX_ATTEMPTS)
        if unfinished is not None:
            await analyse_stored(
                services, unfinished.id, unfinished.raw_text, unfinished.published_at, chat_id=item.chat_id
            )
            article = await services.repo.article_by_id(item.chat_id, item.article_id) or article
        lang = pick_language((await services.repo.chat_settings(item.chat_id)).lang)
        outcome = IngestOutcome(article, created=True, analysed=article.status == "ready")
        try:
            await answer(services, bot, item.chat_id, item.message_id, outcome, lang)
        except TelegramError:  # the chat blocked the bot, ...: it stays owed until the next start
            log.warning("could not answer article %s in chat %s", item.article_id, item.chat_id, exc_info=True)
            continue
        answered += 1
    return answered
