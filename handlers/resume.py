"""When a process takes a chat (at start-up, or from a process that is gone): the series it left continues,
stored posts are joined, and articles whose arrival was never answered (the process stopped between storing
an article and Telegram accepting its card) get their card, analysed first if their analysis was
interrupted."""

from __future__ import annotations

import logging
from typing import Any

from telegram.error import TelegramError
from telegram.ext import Application, ExtBot

from handlers.arrivals import answer, take_leftovers, take_series
from storage.base import priority_reads
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


async def take_over_chat(services: Services, app: Application[Any, Any, Any, Any, Any, Any], chat_id: int) -> None:
    """A chat this process now holds: what its last holder left (a stop, or a process that is gone) is taken
    up. The last series it was collecting stays open, so that its next part continues it, and is joined after
    the usual wait; other stored posts are joined now; owed answers are sent. The work runs in tasks started
    through the application, so the chat is held until they end."""
    bot = app.bot
    with priority_reads():  # the chat's next update (a command, perhaps) waits for these
        groups = await services.repo.pending_group_states(chat_id)
        owed = await services.repo.owed_answers(chat_id)
    for n, group in enumerate(groups):
        key = group.key
        if n == len(groups) - 1 and services.series.restore(
            chat_id, key, group.parts, group.chars, group.last_position
        ):

            def due(key: str = key) -> None:
                if services.series.take(chat_id, key):
                    app.create_task(take_series(services, bot, chat_id, key))

            services.series.schedule(chat_id, key, due)
            continue
        app.create_task(take_leftovers(services, bot, [(chat_id, key)]), name="take-leftovers")
    if owed:
        app.create_task(_answer_owed(services, bot, owed), name="answer-owed")


async def _answer_owed(services: Services, bot: ExtBot[Any], owed: list[OwedAnswer]) -> None:
    answered = await answer_owed(services, bot, owed)
    log.info("answered %d of %d articles stored but not answered before the last stop", answered, len(owed))
