"""At start-up: every arrival owed an answer gets its card (usecases.resume makes it ready)."""

from __future__ import annotations

import logging
from typing import Any

from telegram.error import TelegramError
from telegram.ext import ExtBot

from handlers.arrivals import answer
from storage.inbox import OwedAnswer
from usecases.resume import owed_card
from usecases.services import Services
from views.i18n import pick_language

log = logging.getLogger(__name__)


async def answer_owed(services: Services, bot: ExtBot[Any], owed: list[OwedAnswer]) -> int:
    """Answer every listed arrival once (listed before updates are taken in, so a new arrival being handled
    is not among them). Returns how many got their card."""
    answered = 0
    for item in owed:
        ready = await owed_card(services, item)
        if ready is None:
            continue
        try:
            await answer(services, bot, item.chat_id, item.message_id, ready.outcome, pick_language(ready.chat_lang))
        except TelegramError:  # the chat blocked the bot, ...: it stays owed until the next start
            log.warning("could not answer article %s in chat %s", item.article_id, item.chat_id, exc_info=True)
            continue
        answered += 1
    return answered
