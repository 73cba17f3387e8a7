"""The start-up job that finishes interrupted analyses, on a database processes share: only the chats it holds."""

from __future__ import annotations

import os
import socket
from collections.abc import AsyncIterator
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from telegram import Bot

from bot import app as bot_app
from bot.inbox import InboxQueue
from storage.db import Database
from storage.inbox import ClaimTerms
from storage.repository import Repository, Source, utcnow
from usecases.services import Services

ELSEWHERE = "another-machine:4242:live"  # a live process of another machine: its claims end with their lease


class RecordingAnalyzer:
    """Notes which articles it was asked to analyse; each analysis fails (the article stays unfinished)."""

    summary_method = "precis"

    def __init__(self) -> None:
        self.asked: list[str] = []

    async def run(self, fn: Any, *args: Any) -> Any:
        self.asked.append(args[0])
        raise RuntimeError("not analysed in this test")


@pytest.fixture
async def repo(db_target: str) -> AsyncIterator[Repository]:
    db = await Database.open(db_target)
    yield Repository(db)
    await db.close()


async def test_start_up_finishes_the_analyses_of_its_own_and_free_chats_not_of_another_live_process(
    repo: Repository,
) -> None:
    for chat in (1, 2, 3):
        await repo.add_article(chat, f"The text of chat {chat}.", Source("channel", "Desk"), answer_owed=False)
    now = utcnow()
    assert await repo.claim_chat(2, ClaimTerms(ELSEWHERE, now, now + timedelta(hours=1)))  # analysing it now
    assert await repo.claim_chat(3, ClaimTerms(ELSEWHERE, now - timedelta(hours=2), now - timedelta(hours=1)))

    queue = InboxQueue()
    queue.attach(repo)

    async def take_over(chat_id: int) -> None:
        return None

    await queue.share(
        Bot("0:test"), f"{socket.gethostname()}:{os.getpid()}:resume", lease=60.0, take_over=take_over, busy=lambda c: 0
    )
    await queue.stop_looking()  # the rounds are the test's own
    analyzer = RecordingAnalyzer()
    services = Services(repo, analyzer)  # type: ignore[arg-type]
    application = SimpleNamespace(update_queue=queue, bot_data=SimpleNamespace(services=services))
    try:
        await bot_app._resume_unfinished(SimpleNamespace(application=application, bot_data=application.bot_data))  # type: ignore[arg-type]
        # Chat 1 was free and chat 3's lease had run out: taken, and their articles analysed here. Chat 2 is
        # another live process's: its article is left to it.
        assert sorted(analyzer.asked) == ["The text of chat 1.", "The text of chat 3."]
        assert queue.holds(1) and queue.holds(3) and not queue.holds(2)
        claims = {c.chat_id: c.claimed_by for c in await repo.chat_claims()}
        assert claims[2] == ELSEWHERE
    finally:
        await queue.stop_sharing()
