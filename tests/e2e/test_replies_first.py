"""Replies first: a person's command is answered while articles are still being taken in, whatever work their
analysis is in the middle of."""

from __future__ import annotations

import importlib.abc
import sys
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from importlib.machinery import ModuleSpec
from types import ModuleType
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


class FailedImports(importlib.abc.MetaPathFinder):
    """Asked after every other finder: a name it is asked about was searched for on the import path and not found
    (Python does not remember a failed import: code that tries one on every call searches the disk every time)."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        self.names.append(fullname)
        return None


async def test_answering_a_command_searches_the_import_path_for_nothing(
    bot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A search of the import path is a round of system calls on the event loop; done for every message sent,
    # the replies of a busy bot wait for them (the HTTP client looks for an optional module on every request).
    api = bot.api

    async def ask_help() -> None:
        asked = api.push_command(HELP_CHAT, "/help").message_id
        await api.wait_until(
            lambda: any(m.reply_to_message_id == asked for m in api.bot_messages(HELP_CHAT)),
            what="the answer to /help",
        )

    await ask_help()  # what a first answer imports, it imports once
    failed = FailedImports()
    monkeypatch.setattr(sys, "meta_path", [*sys.meta_path, failed])
    await ask_help()
    await ask_help()
    assert failed.names == []
