"""Polling: each update of a getUpdates batch is committed as Telegram sent it and parsed into PTB's objects only
when its chat's turn comes, so a command behind a batch of posts waits for none of their parsing."""

from __future__ import annotations

import asyncio
import json
import os
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from telegram import Bot, Update

from bot.inbox import InboxQueue, ReceivedUpdate, chat_of, raw_chat_of
from storage.db import Database
from storage.repository import Repository


def post(update_id: int, chat_id: int, text: str) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1_700_000_000,
            "chat": {"id": chat_id, "type": "private"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "Reader"},
            "text": text,
        },
    }


class CountingQueue(InboxQueue):
    """Records which updates were parsed, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.parsed: list[int] = []

    def parse(self, received: ReceivedUpdate) -> Update | None:
        self.parsed.append(received.update_id)
        return super().parse(received)


@pytest.fixture
async def repo(tmp_path: Path) -> AsyncIterator[Repository]:
    db = await Database.open(str(tmp_path / "inbox.db"))
    yield Repository(db)
    await db.close()


def test_the_chat_of_an_update_as_sent_is_the_one_ptb_names() -> None:
    chat = {"id": -100, "type": "supergroup", "title": "Room"}
    user = {"id": 5, "is_bot": False, "first_name": "Reader"}
    message = {"message_id": 1, "date": 1_700_000_000, "chat": chat, "text": "hello"}
    member = {"status": "member", "user": user}
    kinds: list[dict[str, Any]] = [
        {"update_id": 1, "message": message},
        {"update_id": 2, "edited_channel_post": {**message, "edit_date": 1_700_000_001}},
        {"update_id": 3, "callback_query": {"id": "q", "from": user, "chat_instance": "i", "message": message}},
        {"update_id": 4, "callback_query": {"id": "q", "from": user, "chat_instance": "i"}},
        {"update_id": 5, "inline_query": {"id": "q", "from": user, "query": "x", "offset": ""}},
        {
            "update_id": 6,
            "my_chat_member": {
                "chat": chat,
                "from": user,
                "date": 1_700_000_000,
                "old_chat_member": {**member, "status": "left"},
                "new_chat_member": member,
            },
        },
        {
            "update_id": 7,
            "message_reaction": {
                "chat": chat,
                "message_id": 1,
                "date": 1_700_000_000,
                "old_reaction": [],
                "new_reaction": [],
            },
        },
    ]
    bot = Bot("0:test")
    for raw in kinds:
        assert raw_chat_of(raw) == chat_of(Update.de_json(raw, bot)), raw["update_id"]
    assert [raw_chat_of(raw) for raw in kinds] == [-100, -100, -100, 0, 0, -100, -100]


async def test_a_command_behind_a_batch_of_posts_is_handed_out_before_the_posts_are_parsed(repo: Repository) -> None:
    queue = CountingQueue()
    queue.attach(repo)
    queue.defer_commits = True
    queue.uses(Bot("0:test"))
    sent = [post(n, 10, f"forwarded article {n}") for n in range(1, 201)] + [post(201, 20, "/help")]
    answer = json.dumps({"ok": True, "result": sent}).encode()

    handed_to_ptb = json.loads(queue.received_raw(answer))["result"]
    assert handed_to_ptb == [{"update_id": n} for n in range(1, 202)]  # PTB parses ids only
    for update in Update.de_list(handed_to_ptb, None):  # what PTB's updater puts, in order
        await queue.put(update)
    await queue.committed()
    assert queue.parsed == []  # committed and queued, none parsed yet

    first, second = await queue.get(), await queue.get()
    assert isinstance(first, Update) and isinstance(second, Update)
    assert (first.update_id, second.update_id) == (1, 201)
    assert second.effective_message is not None and second.effective_message.text == "/help"
    assert queue.parsed == [1, 201]  # the command waited for one post's parsing, not two hundred

    stored = {u.update_id: json.loads(u.body) for u in await repo.unfinished_updates()}
    assert stored == {raw["update_id"]: raw for raw in sent}  # as Telegram sent them


async def test_an_update_ptb_cannot_read_is_given_up_and_the_next_handed_out(repo: Repository) -> None:
    queue = InboxQueue()
    queue.attach(repo)
    queue.defer_commits = True
    queue.uses(Bot("0:test"))
    unreadable = {"update_id": 1, "message": {"message_id": 1, "chat": {"id": 10}}}  # no date, no chat type
    answer = json.dumps({"ok": True, "result": [unreadable, post(2, 10, "/help")]}).encode()
    for update in Update.de_list(json.loads(queue.received_raw(answer))["result"], None):
        await queue.put(update)
    await queue.committed()

    handed = await queue.get()
    assert isinstance(handed, Update) and handed.update_id == 2
    await queue.finish(2)
    await queue.settled()
    while queue._unreadable:  # the give-up's own commit (the set is left by a callback once it is done)
        await asyncio.wait(set(queue._unreadable))
        await asyncio.sleep(0)
    assert await repo.unfinished_updates() == []


async def test_a_chat_is_kept_a_while_after_its_last_update_so_the_next_command_need_not_claim_it(
    repo: Repository,
) -> None:
    queue = InboxQueue()
    queue.attach(repo)
    queue.keep_idle = 3600.0  # far longer than the test: only the second part lets it go

    async def take_over(chat_id: int) -> None:
        return None

    await queue.share(
        Bot("0:test"),
        f"{socket.gethostname()}:{os.getpid()}:kept",
        lease=60.0,
        take_over=take_over,
        busy=lambda c: False,
    )
    await queue.stop_looking()  # the rounds are the test's own, not raced by the queue's timer
    try:
        await queue.put(Update.de_json(post(1, 30, "/help"), None))  # committed, the chat claimed, queued
        handed = await queue.get()
        assert isinstance(handed, Update) and handed.update_id == 1
        await queue.finish(1)
        await queue._round()
        assert queue.holds(30)  # idle, but kept
        assert [claim.chat_id for claim in await repo.chat_claims()] == [30]

        queue.keep_idle = 0.0
        await queue._round()
        assert not queue.holds(30)
        assert await repo.chat_claims() == []
    finally:
        await queue.stop_sharing()
