"""Replies first: a person's command is answered while articles are still being taken in, whatever work their
analysis is in the middle of."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

import usecases.ingest as ingest_module
from tests.botapi import origin_channel
from usecases.services import Analyzer

ARTICLE_CHAT, HELP_CHAT = 7101, 7102
ARTICLE = (
    "Harbour Bridge Plan Approved\n\n"
    "The city council voted on Tuesday to close the old harbour bridge for two years. "
    "Repairs will start in March, the mayor said. Ferries will run every ten minutes while it is closed."
)


async def test_a_command_is_answered_while_an_arriving_article_is_still_being_read(
    start_bot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The title of an arriving article is guessed before it is stored; here that guess is held until the test
    # lets it go. Done on the event loop, it would hold every chat's replies for as long.
    guessing, release, guessed = threading.Event(), threading.Event(), threading.Event()
    real_guess = ingest_module.guess_title

    def held_guess(text: str) -> str | None:
        guessing.set()
        release.wait(30)  # a bound for a failure only: the test releases it once /help is answered
        guessed.set()
        return real_guess(text)

    monkeypatch.setattr(ingest_module, "guess_title", held_guess)
    with ThreadPoolExecutor(max_workers=2) as workers:
        async with start_bot(analyzer=Analyzer(executor=workers)) as bot:
            api = bot.api
            api.push_message(ARTICLE_CHAT, ARTICLE, forward_origin=origin_channel(-100700, "Harbour News"))
            await api.wait_until(guessing.is_set, what="the article's title being guessed")
            asked = api.push_command(HELP_CHAT, "/help").message_id
            reply = await api.wait_until(
                lambda: next((m for m in api.bot_messages(HELP_CHAT) if m.reply_to_message_id == asked), None),
                what="the answer to /help",
            )
            answered_while_guessing = not guessed.is_set()
            release.set()
            card = await api.wait_until(lambda: api.bot_messages(ARTICLE_CHAT), what="the article's card")
    assert answered_while_guessing, "/help waited for the article's title to be guessed"
    assert "/summary" in (reply.text or "")
    assert "Harbour Bridge Plan Approved" in (card[0].text or "")
