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
from telegram._utils.types import ODVInput
from telegram.ext import Application
from telegram.request import BaseRequest, HTTPXRequest, RequestData

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
    """PTB's update queue, committing each update to the inbox before it is queued (and so acknowledged).

    In webhook mode `put` returns once the update is committed (the webhook's 200 follows). In polling
    (`defer_commits`), `put` returns at once and the updates of a batch are committed together, before any is
    queued; the acknowledgement is the next getUpdates call, and `PollingRequest` makes it wait for
    `settled()`: every update received so far committed."""

    def __init__(self) -> None:
        super().__init__()
        self.inbox: InboxQueries | None = None  # set once the database is open (post_init)
        self.defer_commits = False
        self.polling_waits = False  # a PollingRequest waits for `settled()` before every getUpdates
        self._in_flight: set[int] = set()  # queued in this run and not finished: a redelivery is ignored
        self._pending: list[Update] = []
        self._flusher: asyncio.Task[None] | None = None

    def attach(self, inbox: InboxQueries) -> None:
        self.inbox = inbox

    async def put(self, item: object) -> None:
        if not isinstance(item, Update) or self.inbox is None:
            await super().put(item)
            return
        if item.update_id in self._in_flight:
            return
        self._in_flight.add(item.update_id)
        self._pending.append(item)
        if not self.defer_commits:
            await self.settled()
        elif self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush(), name="inbox-commit")

    async def settled(self) -> None:
        """Return once every update put so far is committed (and queued)."""
        while True:
            if self._flusher is not None and not self._flusher.done():
                await asyncio.wait({self._flusher})
                continue
            failed = self._flusher is not None and not self._flusher.cancelled() and self._flusher.exception()
            self._flusher = None
            if failed:  # the database refused even after retries: nothing was acknowledged; try again
                log.error("could not store updates; retrying", exc_info=failed)
                await asyncio.sleep(1.0)
            if not self._pending:
                return
            self._flusher = asyncio.create_task(self._flush(), name="inbox-commit")

    async def _flush(self) -> None:
        assert self.inbox is not None
        while self._pending:
            batch, self._pending = self._pending, []
            try:
                fresh = await self._commit(batch)
            except BaseException:
                self._pending[:0] = batch
                raise
            for update, new in zip(batch, fresh, strict=True):
                if new:
                    await super().put(update)
                else:
                    log.info("update %s was processed before: not again", update.update_id)
                    self._in_flight.discard(update.update_id)

    async def _commit(self, updates: list[Update]) -> list[bool]:
        assert self.inbox is not None
        rows = [(u.update_id, json.dumps(u.to_dict(), ensure_ascii=False)) for u in updates]
        for attempt in range(COMMIT_RETRIES):
            try:
                return await self.inbox.receive_updates(rows)
            except sqlite3.OperationalError:  # locked by another process beyond busy_timeout: not acknowledged
                if attempt == COMMIT_RETRIES - 1:
                    raise
                log.warning("could not store %d updates yet; retrying", len(rows), exc_info=True)
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


class PollingRequest(HTTPXRequest):
    """The HTTP client of getUpdates. A getUpdates call acknowledges every update before its offset, so it
    waits until the inbox has committed all of them."""

    def __init__(self, queue: InboxQueue) -> None:
        super().__init__(connection_pool_size=1)
        self._queue = queue
        queue.polling_waits = True

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        await self._queue.settled()
        return await super().do_request(
            url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
        )


async def _finish_after(queue: InboxQueue, update_id: int, spawned: set[asyncio.Task[Any]]) -> None:
    # Tasks started by these tasks join the same set while they run.
    while pending := {task for task in spawned if not task.done()}:
        await asyncio.wait(pending)
    await queue.finish(update_id)
