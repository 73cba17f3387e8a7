"""The update inbox, on PTB's side: nothing Telegram delivered is acknowledged before it is committed.

PTB's `Updater` hands every update to `update_queue.put()` before it acknowledges it: in polling it moves the
next `getUpdates` offset past an update only after `put` returned, and its webhook handler answers 200 only
after `put` returned. `InboxQueue.put` commits the update (its JSON, keyed by `update_id`) first, so both
acknowledgements follow the commit. `InboxApplication` marks an update done once every handler it started has
finished, including the non-blocking ones and the tasks they create. At start-up, what a stop left unfinished
is put into the queue again, ahead of anything new.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from collections.abc import Awaitable, Callable, Generator
from contextvars import ContextVar
from datetime import timedelta
from typing import Any, TypeVar

from telegram import Bot, Update
from telegram.ext import Application

from storage.base import utcnow
from storage.inbox import InboxQueries

log = logging.getLogger(__name__)

RT = TypeVar("RT")

MAX_REPLAYS = 3  # an update that brought the process down this many times is given up, with a log line
KEEP_DONE = timedelta(days=2)  # Telegram keeps an unconfirmed update for 24 hours at most
COMMIT_RETRIES = 5

# The tasks started while handling one update (set by InboxApplication.process_update; tasks inherit it).
_spawned: ContextVar[set[asyncio.Task[Any]] | None] = ContextVar("precis_update_tasks", default=None)


class InboxQueue(asyncio.Queue[object]):
    """PTB's update queue, committing each update to the inbox before it is queued (and so acknowledged)."""

    def __init__(self) -> None:
        super().__init__()
        self.inbox: InboxQueries | None = None  # set once the database is open (post_init)
        self._in_flight: set[int] = set()  # queued in this run and not finished: a redelivery is ignored

    def attach(self, inbox: InboxQueries) -> None:
        self.inbox = inbox

    async def put(self, item: object) -> None:
        if isinstance(item, Update) and self.inbox is not None:
            if item.update_id in self._in_flight:
                return
            if not await self._commit(item):
                log.info("update %s was processed before: not again", item.update_id)
                return
            self._in_flight.add(item.update_id)
        await super().put(item)

    async def _commit(self, update: Update) -> bool:
        assert self.inbox is not None
        body = json.dumps(update.to_dict(), ensure_ascii=False)
        for attempt in range(COMMIT_RETRIES):
            try:
                return await self.inbox.receive_update(update.update_id, body)
            except sqlite3.OperationalError:  # locked by another process beyond busy_timeout: not acknowledged
                if attempt == COMMIT_RETRIES - 1:
                    raise
                log.warning("could not store update %s yet; retrying", update.update_id, exc_info=True)
                await asyncio.sleep(0.5 * (attempt + 1))
        raise AssertionError("unreachable")

    async def replay_unfinished(self, bot: Bot) -> int:
        """Queue again every update a stop left unfinished, oldest first. Returns how many."""
        assert self.inbox is not None
        replayed = 0
        for stored in await self.inbox.unfinished_updates():
            if stored.attempts >= MAX_REPLAYS:
                log.error("giving up update %s: processing it was interrupted %d times", stored.update_id, MAX_REPLAYS)
                await self.inbox.finish_update(stored.update_id)
                continue
            await self.inbox.count_update_attempt(stored.update_id)
            update = Update.de_json(json.loads(stored.body), bot)
            self._in_flight.add(update.update_id)
            await super().put(update)
            replayed += 1
        await self.inbox.prune_updates(utcnow() - KEEP_DONE)
        return replayed

    async def finish(self, update_id: int) -> None:
        if self.inbox is not None:
            await self.inbox.finish_update(update_id)
        self._in_flight.discard(update_id)


class InboxApplication(Application):  # generic parameters: the builder's
    """Marks each update done in the inbox once its handlers, and every task they started, have finished.

    A graceful stop drains: what `before_stop` callbacks set going (series joined at once rather than at the
    end of their wait) and every task started through `create_task` finishes before `stop` returns, so
    nothing still runs when the database closes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._before_stop: list[Callable[[], object]] = []
        self._tasks: set[asyncio.Task[Any]] = set()

    def before_stop(self, callback: Callable[[], object]) -> None:
        self._before_stop.append(callback)

    async def stop(self) -> None:
        if self.running:
            for callback in self._before_stop:
                callback()
        await super().stop()
        # Tasks started after PTB took its list of tasks to wait for (by tasks it waited for).
        while pending := {task for task in self._tasks if not task.done()}:
            await asyncio.wait(pending)

    async def process_update(self, update: object) -> None:
        queue = self.update_queue
        if not isinstance(update, Update) or not isinstance(queue, InboxQueue):
            await super().process_update(update)
            return
        spawned: set[asyncio.Task[Any]] = set()
        token = _spawned.set(spawned)
        try:
            await super().process_update(update)
        finally:
            _spawned.reset(token)
        if any(not task.done() for task in spawned):
            super().create_task(_finish_after(queue, update.update_id, spawned), name="inbox-finish")
        else:
            await queue.finish(update.update_id)

    def create_task(
        self,
        coroutine: Generator[asyncio.Future[object], None, RT] | Awaitable[RT],
        update: object | None = None,
        *,
        name: str | None = None,
    ) -> asyncio.Task[RT]:
        task = super().create_task(coroutine, update=update, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        spawned = _spawned.get()
        if spawned is not None:
            spawned.add(task)
        return task


async def _finish_after(queue: InboxQueue, update_id: int, spawned: set[asyncio.Task[Any]]) -> None:
    # Tasks started by these tasks join the same set while they run.
    while pending := {task for task in spawned if not task.done()}:
        await asyncio.wait(pending)
    await queue.finish(update_id)
