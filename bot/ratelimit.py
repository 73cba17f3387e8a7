"""Telegram's sending budget, with replies to people ahead of bulk sends.

PTB's `AIORateLimiter` keeps a bot under Telegram's flood limits (about 30 messages a second overall, 20 a
minute to one group) with leaky buckets that serve requests in the order they arrive. During a burst the
cards of a hundred posts fill the overall bucket, and a command's reply waits behind them for the bucket to
leak (measured: 35–45 ms a reply while the cards of 200 posts went out). Here a send marked as bulk
(`handlers.common.bulk_sending`: cards, digests) enters a bucket only while no reply is waiting for it and
some room is left over, so a reply finds room at once; bulk sends use what replies leave.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from telegram._utils.types import JSONDict
from telegram.ext import AIORateLimiter

from handlers.common import sending_in_bulk

# The share of a bucket bulk sends leave free for replies: 5 of the 30 messages a second, 3 of a group's 20 a
# minute (at least one).
REPLY_SHARE = 1 / 6


class RepliesFirstRateLimiter(AIORateLimiter):
    """PTB's limits and retries (after a flood wait), with replies served before bulk sends."""

    def __init__(self, *, max_retries: int = 0, **limits: float) -> None:
        super().__init__(max_retries=max_retries, **limits)
        self._replies_waiting: dict[AsyncLimiter, int] = {}

    async def _run_request(
        self,
        chat: bool,
        group: str | int | bool,
        allow_paid_broadcast: bool,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
    ) -> bool | JSONDict | list[JSONDict]:
        if allow_paid_broadcast or not chat:  # paid broadcasts have a budget of their own; other calls none
            return await super()._run_request(chat, group, allow_paid_broadcast, callback, args, kwargs)
        bulk = sending_in_bulk()
        if group and self._group_max_rate:
            await self._take_turn(self._get_group_limiter(group), bulk=bulk)
        if self._base_limiter is not None:
            await self._take_turn(self._base_limiter, bulk=bulk)
        await self._retry_after_event.wait()  # after a flood wait, nothing goes before it is over
        return await callback(*args, **kwargs)

    async def _take_turn(self, bucket: AsyncLimiter, *, bulk: bool) -> None:
        if not bulk:
            self._replies_waiting[bucket] = self._replies_waiting.get(bucket, 0) + 1
            try:
                await bucket.acquire()
            finally:
                self._replies_waiting[bucket] -= 1
                if not self._replies_waiting[bucket]:
                    del self._replies_waiting[bucket]
            return
        room_left = max(1.0, bucket.max_rate * REPLY_SHARE)
        # The bucket frees room as time passes, not on an event: looked at again once one message has leaked.
        while bucket in self._replies_waiting or not bucket.has_capacity(1 + room_left):  # noqa: ASYNC110
            await asyncio.sleep(bucket.time_period / bucket.max_rate)
        await bucket.acquire()
