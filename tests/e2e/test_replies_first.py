"""Replies first: a person's command is answered while articles are still being taken in, whatever work their
analysis is in the middle of."""

from __future__ import annotations

import importlib.abc
import logging
import sys
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any

import pytest

import usecases.ingest as ingest_module
from tests.botapi import Fault, origin_channel
from usecases.services import Analyzer

ARTICLE_CHAT, HELP_CHAT = 7101, 7102
ARTICLE = (
    "Harbour Bridge Plan Approved\n\n"
    "The city council voted on Tuesday to close the old harbour bridge for two years. "
    "Repairs will start in March, the mayor said. Ferries will run every ten minutes while it is closed."
)


@pytest.mark.parametrize(
    "step",
    [
        "guess_title",  # before the article is stored: its title, guessed
        "people_index",  # after its analysis: the people it names, with the keys they are searched by
    ],
)
async def test_a_command_is_answered_while_an_arriving_article_is_still_being_read(
    start_bot: Any, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    # A step of taking an arriving article in is held until the test lets it go. Done on the event loop, it
    # would hold every chat's replies for as long.
    holding, release, done = threading.Event(), threading.Event(), threading.Event()
    real_step = getattr(ingest_module, step)

    def held_step(*args: Any) -> Any:
        holding.set()
        release.wait(30)  # a bound for a failure only: the test releases it once /help is answered
        done.set()
        return real_step(*args)

    monkeypatch.setattr(ingest_module, step, held_step)
    with ThreadPoolExecutor(max_workers=2) as workers:
        async with start_bot(analyzer=Analyzer(executor=workers)) as bot:
            api = bot.api
            api.push_message(ARTICLE_CHAT, ARTICLE, forward_origin=origin_channel(-100700, "Harbour News"))
            await api.wait_until(holding.is_set, what=f"the article's {step} step")
            asked = api.push_command(HELP_CHAT, "/help").message_id
            reply = await api.wait_until(
                lambda: next((m for m in api.bot_messages(HELP_CHAT) if m.reply_to_message_id == asked), None),
                what="the answer to /help",
            )
            answered_while_held = not done.is_set()
            release.set()
            card = await api.wait_until(lambda: api.bot_messages(ARTICLE_CHAT), what="the article's card")
    assert answered_while_held, f"/help waited for the article's {step} step"
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


async def test_a_poll_that_fails_in_transit_is_asked_again_at_once(bot: Any, caplog: pytest.LogCaptureFixture) -> None:
    # A getUpdates whose connection drops (Telegram closing a kept-alive connection, a reset on the way) made
    # PTB report an error and wait a second before polling again: every command sent meanwhile waited with it.
    api = bot.api
    api.inject("getUpdates", Fault.disconnect())
    for _ in range(2):  # the in-flight poll brings the first; the next, dropped, is asked again for the second
        asked = api.push_command(HELP_CHAT, "/help").message_id
        await api.wait_until(
            lambda asked=asked: any(m.reply_to_message_id == asked for m in api.bot_messages(HELP_CHAT)),
            what="the answer to /help",
        )
    assert any(r.fault is not None for r in api.requests("getUpdates"))  # the dropped poll happened
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
