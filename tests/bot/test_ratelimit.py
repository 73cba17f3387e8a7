"""Replies to people go ahead of bulk sends (cards of a burst, digests) in Telegram's sending budget: before, a
reply queued behind the cards in PTB's limiter and waited for its bucket to leak."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from telegram.ext import AIORateLimiter

from bot.ratelimit import RepliesFirstRateLimiter
from handlers.common import bulk_sending

HOUR = 3600.0  # a bucket that does not leak while a test runs: only the order of the sends is looked at


class Sends:
    """Stands for the HTTP call PTB hands the limiter: records what went out, in order."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.went_out = asyncio.Event()

    def send(self, limiter: AIORateLimiter, chat_id: int, text: str, *, bulk: bool) -> asyncio.Task[Any]:
        async def call() -> dict[str, Any]:
            self.sent.append(text)
            self.went_out.set()
            return {"ok": True}

        async def through_limiter() -> Any:
            if bulk:
                with bulk_sending():
                    return await limiter.process_request(call, (), {}, "sendMessage", {"chat_id": chat_id}, None)
            return await limiter.process_request(call, (), {}, "sendMessage", {"chat_id": chat_id}, None)

        return asyncio.create_task(through_limiter())

    async def settle(self) -> None:
        for _ in range(20):  # let every task that can go on, go on
            await asyncio.sleep(0)


async def test_a_reply_goes_out_at_once_while_the_cards_of_a_burst_wait_for_the_overall_budget() -> None:
    limiter = RepliesFirstRateLimiter(overall_max_rate=6, overall_time_period=HOUR)
    sends = Sends()
    cards = [sends.send(limiter, 500, f"card {i}", bulk=True) for i in range(10)]
    await sends.settle()
    assert sends.sent == ["card 0", "card 1", "card 2", "card 3", "card 4"]  # one message of room kept
    reply = sends.send(limiter, 700, "help", bulk=False)
    await asyncio.wait_for(reply, 5)
    assert sends.sent[-1] == "help"
    assert all(not card.done() for card in cards[5:])
    for card in cards:
        card.cancel()
    await asyncio.gather(*cards, return_exceptions=True)


async def test_with_plain_ptb_limiting_the_same_reply_waits_behind_the_cards() -> None:
    """The behaviour replaced: what the test above guards against."""
    limiter = AIORateLimiter(overall_max_rate=6, overall_time_period=HOUR)
    sends = Sends()
    cards = [sends.send(limiter, 500, f"card {i}", bulk=True) for i in range(10)]
    await sends.settle()
    reply = sends.send(limiter, 700, "help", bulk=False)
    await sends.settle()
    assert "help" not in sends.sent and not reply.done()
    for task in [*cards, reply]:
        task.cancel()
    await asyncio.gather(*cards, reply, return_exceptions=True)


async def test_in_a_group_a_reply_goes_ahead_of_the_groups_waiting_digest_parts() -> None:
    limiter = RepliesFirstRateLimiter(group_max_rate=4, group_time_period=HOUR)
    sends = Sends()
    parts = [sends.send(limiter, -100123, f"part {i}", bulk=True) for i in range(6)]
    await sends.settle()
    assert sends.sent == ["part 0", "part 1", "part 2"]
    reply = sends.send(limiter, -100123, "quotes", bulk=False)
    await asyncio.wait_for(reply, 5)
    assert sends.sent[-1] == "quotes"
    # Another group's budget is its own: its bulk sends are not held back by this group's reply.
    other = sends.send(limiter, -100999, "other group's card", bulk=True)
    await asyncio.wait_for(other, 5)
    for part in parts:
        part.cancel()
    await asyncio.gather(*parts, return_exceptions=True)


async def test_a_bulk_send_waits_while_a_reply_is_waiting_for_the_same_bucket() -> None:
    limiter = RepliesFirstRateLimiter(overall_max_rate=2, overall_time_period=HOUR)
    sends = Sends()
    first = sends.send(limiter, 1, "reply 1", bulk=False)
    second = sends.send(limiter, 1, "reply 2", bulk=False)
    await asyncio.gather(first, second)
    waiting_reply = sends.send(limiter, 1, "reply 3", bulk=False)  # the bucket is full: it waits for a leak
    card = sends.send(limiter, 2, "card", bulk=True)
    await sends.settle()
    assert sends.sent == ["reply 1", "reply 2"]
    assert not card.done() and not waiting_reply.done()
    for task in (waiting_reply, card):
        task.cancel()
    await asyncio.gather(waiting_reply, card, return_exceptions=True)


@pytest.mark.parametrize("bulk", [True, False])
async def test_sends_without_a_chat_are_not_limited(bulk: bool) -> None:
    limiter = RepliesFirstRateLimiter(overall_max_rate=1, overall_time_period=HOUR)
    sent = []

    async def call() -> bool:
        sent.append("getMe")
        return True

    for _ in range(3):
        if bulk:
            with bulk_sending():
                await limiter.process_request(call, (), {}, "getMe", {}, None)
        else:
            await limiter.process_request(call, (), {}, "getMe", {}, None)
    assert sent == ["getMe"] * 3
