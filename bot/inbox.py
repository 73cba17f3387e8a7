"""The update inbox, on PTB's side: nothing Telegram delivered is acknowledged before it is committed, and the
work is shared by chat between every process on the database.

Every update is handed to `update_queue.put()` before it is acknowledged: in polling PTB's `Updater` moves the
next `getUpdates` offset past an update only after `put` returned, and the webhook server (bot/webhook.py)
answers 200 only after `put` returned. `InboxQueue.put` commits the update (its JSON and its chat, keyed by
`update_id`) first, so both acknowledgements follow the commit. `InboxApplication` marks an update done once
every handler it started has finished, including the non-blocking ones and the tasks they create.

Chats are claimed (table `chat_claims`): a process processes an update only while it holds the update's chat,
so one chat's updates are processed in order by one process at a time, whichever process received them
(several processes behind a load balancer in webhook mode). The claim is taken in the transaction that commits
the update when nobody holds the chat; otherwise the holder finds the update in the inbox (`_round`, a few
times a second) and processes it. A claim is a lease, renewed by its holder while it holds the chat, and given
up once the chat has nothing in flight (no update, no series waiting, no task). A claim whose lease ran out,
or whose holder is a process of this machine that is gone, is taken over: the new holder first takes what
the last one left (`take_over`: stored posts, a series to continue, answers owed), then the chat's unfinished
updates, oldest first. A process starting again on its database is such a new holder.

Inside a process, `ChatOrder` processes the updates of different chats concurrently and each chat's in order,
and the update queue hands the chats' updates out in turn (`ChatLanes`), so a command never waits behind
another chat's burst. On the event loop (bot/loop.py) receiving updates, dispatching them and handling a
command or a button are urgent work, run ahead of the work of arrivals (`wants_reply_first`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import socket
import sqlite3
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Generator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

from telegram import Bot, Update
from telegram._utils.types import ODVInput
from telegram.error import TimedOut
from telegram.ext import Application, BaseUpdateProcessor, Updater, filters
from telegram.request import BaseRequest, RequestData

from bot.loop import URGENT, urgently
from bot.transport import AiohttpRequest
from bot.webhook import WebhookServer
from storage.base import priority_reads, utcnow
from storage.inbox import INBOX_CHANNEL, ClaimTerms, InboxQueries, Received, lease_iso
from usecases.services import KeyedLocks, other_process_ended

log = logging.getLogger(__name__)

RT = TypeVar("RT")

MAX_REPLAYS = 3  # an update that brought the process down this many times is given up, with a log line
KEEP_DONE = timedelta(days=2)  # Telegram keeps an unconfirmed update for 24 hours at most
COMMIT_RETRIES = 5
# How often a process looks for updates other processes received for its chats: on PostgreSQL the receiver's
# NOTIFY wakes the holder at once, and the look every two seconds only covers a notification lost with its
# connection; without notifications (SQLite), five times a second.
POLL_SECONDS = 0.2
SIGNALLED_POLL_SECONDS = 2.0
# A chat is given up only once it has had nothing to do for this long: a person sending two commands in a row
# would otherwise find the chat given up between them and wait for it to be claimed again (the last holder's
# leftovers and the chat's unfinished updates read first). Far under the lease; another process's updates for the
# chat meanwhile are committed by it and processed here, as for any chat held here.
KEEP_IDLE_SECONDS = 1.0
MAX_CONCURRENT_UPDATES = 10_000  # ChatOrder's bound: in practice none (each chat waits in its own lane)

# The tasks started while handling one update (set by InboxApplication.process_update; tasks inherit it).
_spawned: ContextVar[set[asyncio.Task[Any]] | None] = ContextVar("precis_update_tasks", default=None)
# The chat whose work a task does (tasks inherit it, and so do timers set while handling the chat's updates).
_working_for: ContextVar[int | None] = ContextVar("precis_chat", default=None)
# The claimants of this process (a test may run several applications, one after another, in one process).
_LIVE_WORKERS: set[str] = set()


# The fields of an update that carry its chat directly, and the ones whose message carries it: the order of
# `Update.effective_chat`, so that both name the same chat.
_MESSAGE_FIELDS = (
    "message",
    "edited_message",
    "channel_post",
    "edited_channel_post",
    "business_message",
    "edited_business_message",
    "deleted_business_messages",
    "guest_message",
)
_CHAT_FIELDS = (
    "my_chat_member",
    "chat_member",
    "chat_join_request",
    "chat_boost",
    "removed_chat_boost",
    "message_reaction",
    "message_reaction_count",
)


def raw_chat_of(raw: Mapping[str, Any]) -> int:
    """The chat of an update as Telegram sent it (JSON), as `Update.effective_chat` would name it; 0 for none."""
    holder: Any = next((raw[f] for f in _MESSAGE_FIELDS if raw.get(f)), None)
    if holder is None and isinstance(raw.get("callback_query"), Mapping):
        holder = raw["callback_query"].get("message") or None
    if holder is None:
        holder = next((raw[f] for f in _CHAT_FIELDS if raw.get(f)), None)
    chat = holder.get("chat") if isinstance(holder, Mapping) else None
    if isinstance(chat, Mapping) and isinstance(chat.get("id"), int):
        return int(chat["id"])
    return 0


@dataclass(frozen=True, slots=True)
class ReceivedUpdate:
    """An update as Telegram sent it, committed and queued as it is: parsed into PTB's objects only when its
    chat's turn comes (`InboxQueue.get`), one update per turn of the event loop, so a command received behind
    a batch of a hundred posts waits for none of their parsing."""

    update_id: int
    chat_id: int
    raw: Mapping[str, Any]

    @property
    def body(self) -> str:
        return json.dumps(self.raw, ensure_ascii=False)


Incoming = Update | ReceivedUpdate


def wants_reply_first(update: object) -> bool:
    """Whether a person waits for the answer to this update: a command or a button. An arrival (a post, a file, a
    link) is answered by its card, which is bulk work: 200 forwarded at once are answered over ten seconds."""
    if not isinstance(update, Update):
        return False
    if update.callback_query is not None or update.inline_query is not None:
        return True
    return bool(filters.COMMAND.check_update(update))  # what the application takes as a command (bot/app.py)


def chat_of(update: object) -> int:
    """The chat an update belongs to; 0 for an update without one."""
    if isinstance(update, ReceivedUpdate):
        return update.chat_id
    if isinstance(update, Update) and update.effective_chat is not None:
        return int(update.effective_chat.id)
    return 0


def holder_is_gone(holder: str) -> bool:
    """Whether the process named in a claim (host:pid:random) is known to have ended: only a process of this
    machine can be known so (its pid no longer runs); another machine's claims end with their lease."""
    host, _, rest = holder.partition(":")
    pid_text, _, _ = rest.partition(":")
    if host == socket.gethostname() and pid_text == str(os.getpid()):
        return holder not in _LIVE_WORKERS
    return other_process_ended(holder)


class ChatOrder(BaseUpdateProcessor):
    """PTB's update processor: each chat's updates one after the other, in the order they were queued, and
    different chats' updates at the same time."""

    def __init__(self) -> None:
        super().__init__(MAX_CONCURRENT_UPDATES)
        self._tails: dict[int, asyncio.Future[None]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = chat_of(update)
        before = self._tails.get(chat)
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._tails[chat] = done  # taken before anything is awaited: the queue's order is the chat's order
        try:
            if before is not None:
                try:
                    await before
                except BaseException:
                    if isinstance(coroutine, Coroutine):
                        coroutine.close()  # cancelled while waiting for its turn: it never runs
                    raise
            await coroutine
        finally:
            done.set_result(None)
            if self._tails.get(chat) is done:
                del self._tails[chat]

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None


class ChatLanes:
    """What an `InboxQueue` holds: each chat's updates in a lane of their own, in the order they were queued, and
    the chats served in turn, so a command queued behind a burst of another chat's posts is handed out next
    rather than after all of them. Anything else (PTB's stop signal) is a barrier: what was queued before it is
    handed out first, what came after it waits for it."""

    def __init__(self) -> None:
        self._lanes: OrderedDict[int, deque[tuple[int, object]]] = OrderedDict()  # in the order they are served
        self._barriers: deque[tuple[int, object]] = deque()
        self._count = 0
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def append(self, item: object) -> None:
        self._count += 1
        if isinstance(item, Update | ReceivedUpdate):
            self._lanes.setdefault(chat_of(item), deque()).append((self._count, item))
        else:
            self._barriers.append((self._count, item))
        self._size += 1

    def popleft(self) -> object:
        barrier = self._barriers[0][0] if self._barriers else None
        for chat, lane in self._lanes.items():
            if barrier is None or lane[0][0] < barrier:
                _, item = lane.popleft()
                del self._lanes[chat]
                if lane:
                    self._lanes[chat] = lane  # its next update after the other chats' next ones
                break
        else:
            _, item = self._barriers.popleft()
        self._size -= 1
        return item


class InboxQueue(asyncio.Queue[object]):
    """PTB's update queue, committing each update to the inbox before it is queued (and so acknowledged), and
    queuing only the updates of chats this process holds.

    In webhook mode `put` returns once the update is committed (the webhook's 200 follows). In polling
    (`defer_commits`), `put` returns at once and the updates of a batch are committed together, before any is
    queued; the acknowledgement is the next getUpdates call, and `PollingRequest` makes it wait for
    `committed()`: every update received so far committed (not necessarily queued yet: the next batch is
    fetched while this one is handed out)."""

    def __init__(self) -> None:
        super().__init__()
        self.inbox: InboxQueries | None = None  # set once the database is open (post_init)
        self.defer_commits = False
        self.polling_waits = False  # a PollingRequest waits for `committed()` before every getUpdates
        self._in_flight: set[int] = set()  # received in this run and not finished: a redelivery is ignored
        self._raw: dict[int, dict[str, Any]] = {}  # update id → the update Telegram sent, until it is put
        self._pending: list[Incoming] = []
        self._flusher: asyncio.Task[None] | None = None
        self._committing = False  # a batch taken from `_pending` is being committed
        self._progress = asyncio.Event()  # set whenever a commit ends
        # Sharing by chat (see the module's notes); off until `share` is called.
        self.worker = ""
        self.lease = 15.0
        self._bot: Bot | None = None  # parses the updates queued as Telegram sent them
        self._take_over: Callable[[int], Awaitable[None]] | None = None
        self._busy: Callable[[int], bool] = lambda chat: False
        self._held: set[int] = set()
        self._queued: dict[int, int] = {}  # update id → chat: queued here and not finished
        self._chat_tasks: dict[int, set[asyncio.Task[Any]]] = {}
        self._locks = KeyedLocks()  # per chat, while it is taken or caught up with
        self._pump: asyncio.Task[None] | None = None
        self._listener: asyncio.Task[None] | None = None
        self._stopping = False
        self._wake = asyncio.Event()
        self._last_renewal = 0.0
        self._unreadable: set[asyncio.Task[None]] = set()
        self.keep_idle = KEEP_IDLE_SECONDS
        self._last_work: dict[int, float] = {}  # chat → when its last update or task here finished (loop time)
        self._kept: dict[int, int] = {}  # chat → how many `holding` blocks keep it

    def _init(self, maxsize: int) -> None:
        self._queue = ChatLanes()

    async def get(self) -> object:
        # PTB's dispatcher takes updates one `get` after another; a `get` that finds one waiting returns it without
        # letting the loop run, so a batch of a hundred would be dispatched in one go while the next batch's
        # commit and the replies wait. One turn of the loop per update, and its parsing in that turn.
        URGENT.set(True)  # the dispatcher: every command passes through it (each update's task: `create_task`)
        while True:
            await asyncio.sleep(0)
            item = await super().get()
            if not isinstance(item, ReceivedUpdate):
                return item
            parsed = self.parse(item)
            if parsed is not None:
                return parsed
            self.task_done()  # the dispatcher never sees it: it marks only what it was handed

    def uses(self, bot: Bot) -> None:
        """The bot that updates queued as Telegram sent them are parsed with."""
        self._bot = bot

    def parse(self, received: ReceivedUpdate) -> Update | None:
        """PTB's objects for an update queued as Telegram sent it; None, logged and finished, if PTB cannot
        read it (it is committed: refusing it here is what PTB's own parsing would have done for the batch)."""
        assert self._bot is not None
        try:
            return Update.de_json(dict(received.raw), self._bot)
        except Exception:
            log.exception("could not read update %s: given up", received.update_id)
            task = asyncio.get_running_loop().create_task(self.finish(received.update_id), name="inbox-unreadable")
            self._unreadable.add(task)
            task.add_done_callback(self._unreadable.discard)
            return None

    def attach(self, inbox: InboxQueries) -> None:
        self.inbox = inbox

    @property
    def sharing(self) -> bool:
        return bool(self.worker)

    def holds(self, chat_id: int) -> bool:
        return chat_id in self._held

    async def put(self, item: object) -> None:
        if not isinstance(item, Update | ReceivedUpdate) or self.inbox is None:
            await super().put(item)
            return
        raw = self._raw.pop(item.update_id, None) if isinstance(item, Update) else None
        if raw is not None and self._bot is not None:  # PTB was handed only its id (`PollingRequest`)
            item = ReceivedUpdate(item.update_id, raw_chat_of(raw), raw)
        if item.update_id in self._in_flight:
            self._raw.pop(item.update_id, None)
            return
        self._in_flight.add(item.update_id)
        self._pending.append(item)
        if not self.defer_commits:  # a webhook's request: answered once the update is committed
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

    async def committed(self) -> None:
        """Return once every update put so far is committed, whether or not it is queued yet."""
        while self._pending or self._committing:
            if self._flusher is None or self._flusher.done():
                await self.settled()  # starts the commits again (after a failure, a moment later)
                continue
            self._progress.clear()
            progress = asyncio.ensure_future(self._progress.wait())
            try:
                await asyncio.wait({self._flusher, progress}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                progress.cancel()

    async def _flush(self) -> None:
        assert self.inbox is not None
        while self._pending:
            batch, self._pending = self._pending, []
            self._committing = True
            try:
                received = await self._commit(batch)
            except BaseException:
                self._pending[:0] = batch
                raise
            finally:
                self._committing = False
                self._progress.set()
            held: dict[int, list[Incoming]] = {}  # by chat, in order: one look at the inbox per chat and batch
            claimed: dict[int, dict[int, Incoming]] = {}
            for update, outcome in zip(batch, received, strict=True):
                chat = chat_of(update)
                if not outcome.fresh:
                    log.info("update %s was processed before: not again", update.update_id)
                    self._in_flight.discard(update.update_id)
                elif not self.sharing:
                    await self._enqueue(update, chat)
                elif chat in self._held or chat in self._locks:
                    held.setdefault(chat, []).append(update)
                elif outcome.mine:
                    claimed.setdefault(chat, {})[update.update_id] = update
                else:  # another process holds the chat: it finds the update in the inbox
                    self._in_flight.discard(update.update_id)
                    self._wake.set()
            # Chats side by side: a command's chat is not queued after the reads that queue a burst's chat.
            results = await asyncio.gather(
                *(self._arrived(chat, updates) for chat, updates in held.items()),
                *(self._took(chat, just_received) for chat, just_received in claimed.items()),
                return_exceptions=True,
            )
            for result in results:
                if isinstance(result, BaseException):
                    raise result

    async def _commit(self, updates: list[Incoming]) -> list[Received]:
        assert self.inbox is not None
        rows = [(u.update_id, chat_of(u), self._body(u)) for u in updates]
        for attempt in range(COMMIT_RETRIES):
            try:
                return await self.inbox.receive_updates(rows, self._terms() if self.sharing else None)
            except sqlite3.OperationalError:  # locked by another process beyond busy_timeout: not acknowledged
                if attempt == COMMIT_RETRIES - 1:
                    raise
                log.warning("could not store %d updates yet; retrying", len(rows), exc_info=True)
                await asyncio.sleep(0.5 * (attempt + 1))
        raise AssertionError("unreachable")

    def received_raw(self, payload: bytes) -> bytes:
        """Keep the updates of a getUpdates answer as Telegram sent them, and return the answer with each update
        cut down to its id, for PTB's updater to put and acknowledge. PTB would parse the whole batch into its
        objects in one turn of the event loop (20–65 ms for a hundred) before queuing any: here each update is
        committed as it came and parsed when its chat's turn comes (`get`). An answer not of the expected form
        is left whole, for PTB to read (or refuse) as usual."""
        if self._bot is None:
            return payload
        try:
            answer = json.loads(payload)
            result = answer["result"]
            kept = {int(raw["update_id"]): raw for raw in result if isinstance(raw, dict)}
            if len(kept) != len(result):
                return payload
        except (ValueError, TypeError, KeyError, AttributeError):
            return payload
        self._raw.update(kept)
        answer["result"] = [{"update_id": update_id} for update_id in kept]
        return json.dumps(answer).encode()

    @staticmethod
    def _body(update: Incoming) -> str:
        if isinstance(update, ReceivedUpdate):
            return update.body
        return json.dumps(update.to_dict(), ensure_ascii=False)

    async def _arrived(self, chat: int, updates: list[Incoming]) -> None:
        """Updates of a held chat (or one being taken): queued after any older update of the chat that another
        process received and this one has not queued yet."""
        async with self._locks.hold(chat):
            if chat not in self._held:  # lost meanwhile: its holder takes the updates from the inbox
                for update in updates:
                    self._in_flight.discard(update.update_id)
                return
            await self._catch_up(chat, before=updates[0].update_id)
            for update in updates:
                if update.update_id not in self._queued:
                    await self._enqueue(update, chat)

    async def _enqueue(self, update: Incoming, chat: int) -> None:
        self._in_flight.add(update.update_id)
        self._queued[update.update_id] = chat
        await super().put(update)

    # -- sharing the chats ------------------------------------------------------------------------------

    async def share(
        self,
        bot: Bot,
        worker: str,
        *,
        lease: float,
        take_over: Callable[[int], Awaitable[None]],
        busy: Callable[[int], bool],
    ) -> int:
        """Start holding chats as `worker`: take every chat a stop left work in (this process's last run, or
        another that is gone), queue their unfinished updates, and look for more a few times a second.
        Returns how many updates were queued again."""
        assert self.inbox is not None
        self.worker, self.lease = worker, lease
        self.uses(bot)
        self._take_over, self._busy = take_over, busy
        _LIVE_WORKERS.add(worker)
        before = len(self._queued)
        await self._round(leftovers=True)
        await self.inbox.prune_updates(utcnow() - KEEP_DONE)
        self._pump = asyncio.create_task(self._pumping(), name="inbox-chats")
        if self.inbox.db.signals:
            self._listener = asyncio.create_task(self.inbox.db.listen(INBOX_CHANNEL, self._heard), name="inbox-listen")
        return len(self._queued) - before

    async def stop_looking(self) -> None:
        """Stop looking for updates and chats (a graceful stop, before the last tasks are waited for)."""
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
            self._listener = None
        if self._pump is not None:
            # Not cancelled: a round cut short in the middle of a transaction could leave it open on the server.
            self._stopping = True
            self._wake.set()
            await asyncio.wait({self._pump})
            self._pump = None

    async def stop_sharing(self) -> None:
        """Give up every chat (a graceful stop, once every task has finished): the others take what is left."""
        await self.stop_looking()
        if self.sharing and self.inbox is not None:
            with contextlib.suppress(Exception):  # the database may be gone: the leases run out on their own
                await self.inbox.release_all(self.worker)
        self._held.clear()
        _LIVE_WORKERS.discard(self.worker)

    def track(self, task: asyncio.Task[Any]) -> None:
        """A task doing a chat's work (started while handling its update, or by a timer one set): the chat is
        not given up before it ends."""
        chat = _working_for.get()
        if chat is None:
            return
        tasks = self._chat_tasks.setdefault(chat, set())
        tasks.add(task)

        def done(finished: asyncio.Task[Any]) -> None:
            self._worked(chat)
            tasks.discard(finished)
            if not tasks:
                self._chat_tasks.pop(chat, None)
            self._wake.set()

        task.add_done_callback(done)

    @contextlib.asynccontextmanager
    async def holding(self, chat: int) -> AsyncIterator[bool]:
        """Hold a chat for work that is not one of its updates (start-up's unfinished analyses): taken, with
        what its last holder left, when nobody else holds it; kept while the block runs. True when held."""
        assert self.inbox is not None
        self._kept[chat] = self._kept.get(chat, 0) + 1
        try:
            if chat not in self._held:
                claim = await self.inbox.chat_claim(chat)
                holder = claim.claimed_by if claim is not None else None
                free = claim is None or holder == self.worker or claim.lease_until < lease_iso(utcnow())
                if (free or holder_is_gone(holder or "")) and await self.inbox.claim_chat(
                    chat, self._terms(replacing=holder)
                ):
                    await self._took(chat, {})
            yield chat in self._held
        finally:
            self._kept[chat] -= 1
            if not self._kept[chat]:
                del self._kept[chat]
            self._worked(chat)
            self._wake.set()

    def takes(self, update: Update) -> bool:
        """Whether to process an update queued here: not when its chat went to another process meanwhile."""
        chat = self._queued.get(update.update_id)
        if chat is None or not self.sharing or chat in self._held:
            return True
        log.warning("chat %s went to another process: update %s is left to it", chat, update.update_id)
        self._queued.pop(update.update_id, None)
        self._in_flight.discard(update.update_id)
        return False

    async def finish(self, update_id: int) -> None:
        if self.inbox is not None:
            await self.inbox.finish_update(update_id)
        self._in_flight.discard(update_id)
        chat = self._queued.pop(update_id, None)
        if chat is not None:
            self._worked(chat)
            self._wake.set()

    def _worked(self, chat: int) -> None:
        self._last_work[chat] = asyncio.get_running_loop().time()

    def _heard(self, payload: str) -> None:
        """A signal on the inbox: look now if it names no chat (everyone should) or a chat held here."""
        chats = [int(c) for c in payload.split(",") if c.lstrip("-").isdigit()]
        if not chats or any(chat in self._held for chat in chats):
            self._wake.set()

    @property
    def _poll_seconds(self) -> float:
        listening = self._listener is not None and not self._listener.done()
        return SIGNALLED_POLL_SECONDS if listening else POLL_SECONDS

    def _terms(self, replacing: str | None = None) -> ClaimTerms:
        now = utcnow()
        return ClaimTerms(self.worker, now, now + timedelta(seconds=self.lease), replacing)

    async def _pumping(self) -> None:
        while not self._stopping:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._poll_seconds)
            self._wake.clear()
            if self._stopping:
                return
            try:
                await self._round()
            except Exception:  # the database unreachable for a moment: the next round tries again
                log.warning("could not look for updates to process", exc_info=True)

    async def _round(self, *, leftovers: bool = False) -> None:
        """Renew the leases when due, queue the unfinished updates of held chats, claim free chats that have
        work, and give up the chats that have none."""
        assert self.inbox is not None
        loop = asyncio.get_running_loop()
        heartbeat = loop.time() - self._last_renewal >= self.lease / 3
        if heartbeat:
            self._last_renewal = loop.time()
            held = set(self._held)
            kept = await self.inbox.renew_claims(self.worker, utcnow() + timedelta(seconds=self.lease))
            for chat in held - kept:
                log.warning("lost chat %s to another process (its lease ran out)", chat)
                self._held.discard(chat)
                self._last_work.pop(chat, None)
        now = lease_iso(utcnow())
        waiting: dict[int, list[int]] = {}
        holders: dict[int, tuple[str | None, str | None]] = {}
        for row in await self.inbox.waiting_updates():
            waiting.setdefault(row.chat_id, []).append(row.update_id)
            holders[row.chat_id] = (row.claimed_by, row.lease_until)
        if heartbeat or leftovers:  # chats a gone process held with nothing in the inbox (a series waiting)
            for claim in await self.inbox.chat_claims():
                holders.setdefault(claim.chat_id, (claim.claimed_by, claim.lease_until))
        if leftovers:  # stored posts and owed answers a stop left in chats nobody holds
            for chat in await self.inbox.chats_with_leftovers():
                holders.setdefault(chat, (None, None))
        for chat, (holder, until) in holders.items():
            if chat in self._held:
                if any(u not in self._queued for u in waiting.get(chat, ())):
                    async with self._locks.hold(chat):
                        await self._catch_up(chat)
                continue
            free = holder is None or holder == self.worker or until is None or until < now
            if not free and not holder_is_gone(holder or ""):
                continue
            if await self.inbox.claim_chat(chat, self._terms(replacing=holder)):
                if holder is not None and holder != self.worker:
                    log.info("took over chat %s from %s", chat, holder)
                await self._took(chat, {})
        await self._release_idle()

    async def _took(self, chat: int, just_received: Mapping[int, Incoming]) -> None:
        """A chat now held: take what the last holder left, then queue its unfinished updates in order."""
        assert self.inbox is not None
        async with self._locks.hold(chat):
            if chat in self._held:  # taken meanwhile by this process's other path
                await self._catch_up(chat, just_received=just_received)
                return
            self._held.add(chat)
            if self._take_over is not None:
                token = _working_for.set(chat)
                try:
                    await self._take_over(chat)
                finally:
                    _working_for.reset(token)
            await self._catch_up(chat, taken_over=True, just_received=just_received)

    async def _catch_up(
        self,
        chat: int,
        *,
        before: int | None = None,
        taken_over: bool = False,
        just_received: Mapping[int, Incoming] | None = None,
    ) -> None:
        """Queue the chat's unfinished updates not queued here yet (older than `before`), oldest first. Taken
        over, the ones not just received may have been begun by a holder that is gone: counted, and given up
        after MAX_REPLAYS. The ones just received are queued as they are, not read back and parsed again."""
        assert self.inbox is not None and self._bot is not None
        just_received = just_received or {}
        with priority_reads():  # every update of the chat waits for this
            ids = await self.inbox.unfinished_update_ids(chat)
            missing = [u for u in ids if u not in self._queued and (before is None or u < before)]
            to_read = [u for u in missing if u not in just_received]
            stored = await self.inbox.updates_by_id(to_read) if to_read else []
        if taken_over:
            begun = [u for u in stored if u.update_id not in just_received]
            for given_up in [u for u in begun if u.attempts >= MAX_REPLAYS]:
                log.error(
                    "giving up update %s: processing it was interrupted %d times", given_up.update_id, MAX_REPLAYS
                )
                await self.inbox.finish_update(given_up.update_id)
            if begun:
                await self.inbox.count_update_attempts([u.update_id for u in begun if u.attempts < MAX_REPLAYS])
            stored = [u for u in stored if u.attempts < MAX_REPLAYS]
        ready: dict[int, Incoming] = {
            u.update_id: ReceivedUpdate(u.update_id, chat, json.loads(u.body)) for u in stored
        }
        ready.update((u, just_received[u]) for u in missing if u in just_received)
        for update_id in sorted(ready):
            await self._enqueue(ready[update_id], chat)

    def _idle(self, chat: int) -> bool:
        return (
            chat not in self._queued.values()
            and chat not in self._chat_tasks
            and chat not in self._kept
            and not self._busy(chat)
        )

    async def _release_idle(self) -> None:
        assert self.inbox is not None
        now = asyncio.get_running_loop().time()
        for chat in list(self._held):
            if chat in self._locks or not self._idle(chat):
                continue
            if chat in self._last_work and now - self._last_work[chat] < self.keep_idle:
                continue  # kept a moment, for the chat's next command
            # Under the chat's lock, and looked at again: an update of the chat committed while the release is
            # on its way waits for the lock, finds the chat given up and is left in the inbox for whoever takes
            # the chat next (in order), rather than being queued here and then refused as another's.
            async with self._locks.hold(chat):
                if chat in self._held and self._idle(chat) and await self.inbox.release_chat(chat, self.worker):
                    self._held.discard(chat)
                    self._last_work.pop(chat, None)


class ReceivingUpdater(Updater):
    """PTB's updater, receiving as urgent work (bot/loop.py): in polling each round receives and commits at most a
    hundred updates, and every command waits for the round that brings it; in webhook mode the requests are
    taken by `WebhookServer` (bot/webhook.py), on this loop, in place of PTB's tornado server."""

    # A stop signal while PTB's `run_polling`/`run_webhook` still awaits `start_*` (Telegram has not answered
    # deleteWebhook or setWebhook yet) makes it close that coroutine under the task running it; the task, woken
    # later, fails with "cannot reuse already awaited coroutine", logged as an error nobody retrieved. When the
    # updater stops, that task is ended and its meaningless failure taken.
    _starting: asyncio.Task[Any] | None = None

    async def start_polling(self, *args: Any, **kwargs: Any) -> asyncio.Queue[object]:
        self._starting = asyncio.current_task()
        queue = await urgently(super().start_polling(*args, **kwargs))  # the polling task and each round's too
        self._starting = None
        return queue

    async def start_webhook(self, *args: Any, **kwargs: Any) -> asyncio.Queue[object]:
        self._starting = asyncio.current_task()
        queue = await super().start_webhook(*args, **kwargs)
        self._starting = None
        return queue

    async def stop(self) -> None:
        starting, self._starting = self._starting, None
        if starting is not None and starting is not asyncio.current_task():
            starting.add_done_callback(lambda task: task.cancelled() or task.exception())
            starting.cancel()
        await super().stop()

    async def _start_webhook(  # PTB's hook for its own server, called by `start_webhook`
        self,
        listen: str,
        port: int,
        url_path: str,
        bootstrap_retries: int,
        allowed_updates: Sequence[str] | None,
        cert: str | Path | None = None,
        key: str | Path | None = None,
        drop_pending_updates: bool | None = None,
        webhook_url: str | None = None,
        ready: asyncio.Event | None = None,
        ip_address: str | None = None,
        max_connections: int = 40,
        secret_token: str | None = None,
        unix: str | Path | socket.socket | None = None,
    ) -> None:
        if cert or key or unix:
            raise ValueError("the webhook takes plain HTTP on a TCP port: put TLS in front of it")
        if not webhook_url or not secret_token:
            raise ValueError("the webhook needs its public URL and a secret")
        queue = self.update_queue
        if isinstance(queue, InboxQueue):
            queue.uses(self.bot)  # each update parsed when its chat's turn comes

        async def deliver(raw: dict[str, Any]) -> None:
            if isinstance(queue, InboxQueue):
                await queue.put(ReceivedUpdate(raw["update_id"], raw_chat_of(raw), raw))
            else:
                await queue.put(Update.de_json(raw, self.bot))

        server = WebhookServer(listen=listen, port=port, path=url_path, secret=secret_token, deliver=deliver)
        self._httpd = server  # type: ignore[assignment]  # stopped by `Updater.stop` as PTB's own would be
        # Listening before the webhook is registered (PTB registers first): Telegram's first delivery, which may
        # follow at once, finds the server up rather than a refused connection and a retry seconds later.
        await server.start()
        try:
            await self._bootstrap(
                max_retries=bootstrap_retries,
                drop_pending_updates=drop_pending_updates,
                webhook_url=webhook_url,
                allowed_updates=allowed_updates,
                ip_address=ip_address,
                max_connections=max_connections,
                secret_token=secret_token,
            )
        except Exception:  # PTB's start_webhook gives up: nothing left listening
            await server.shutdown()
            self._httpd = None
            raise
        # (A stop signal meanwhile closes this coroutine, which must then not await: `Updater.stop` shuts the
        # server down.)
        if ready is not None:
            ready.set()


class InboxApplication(Application):  # generic parameters: the builder's
    """Marks each update done in the inbox once its handlers, and every task they started, have finished.

    A graceful stop drains: what `before_stop` callbacks set going (series joined at once rather than at the
    end of their wait) and every task started through `create_task` finishes before `stop` returns, so
    nothing still runs when the database closes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if type(self.updater) is Updater:  # the builder's: the same, polling as urgent work
            self.updater = ReceivingUpdater(bot=self.updater.bot, update_queue=self.updater.update_queue)
        self._before_stop: list[Callable[[], object]] = []
        self._tasks: set[asyncio.Task[Any]] = set()
        # PTB runs each step of the start (initialize, which asks getMe, then post_init) as a task of its own.
        # A stop signal in the middle of one leaves it pending, and its call to Telegram then fails when the
        # HTTP clients close: an ERROR and "Task exception was never retrieved" in the log of a clean stop. The
        # step under way is ended at shutdown instead, before anything closes under it.
        self._start_step: asyncio.Task[Any] | None = None
        if self.post_init is not None:
            self.post_init = self._start_step_of(self.post_init)

    def _start_step_of(
        self, post_init: Callable[[Application[Any, Any, Any, Any, Any, Any]], Coroutine[Any, Any, None]]
    ) -> Callable[[Application[Any, Any, Any, Any, Any, Any]], Coroutine[Any, Any, None]]:
        async def step(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
            await self._as_start_step(post_init(app))

        return step

    async def _bootstrap_initialize(self, max_retries: int) -> None:
        await self._as_start_step(super()._bootstrap_initialize(max_retries))

    async def _as_start_step(self, step: Awaitable[None]) -> None:
        self._start_step = asyncio.current_task()
        try:
            await step
        finally:
            self._start_step = None

    async def shutdown(self) -> None:
        step, self._start_step = self._start_step, None
        if step is not None and step is not asyncio.current_task():  # a stop came in the middle of the start
            step.cancel()
            await asyncio.wait({step})
            if not step.cancelled():
                step.exception()  # taken: it failed because the start was stopped, not worth reporting
        await super().shutdown()

    def before_stop(self, callback: Callable[[], object]) -> None:
        self._before_stop.append(callback)

    async def stop(self) -> None:
        if isinstance(self.update_queue, InboxQueue):
            await self.update_queue.stop_looking()  # no chat taken over, no update queued from now on
        if self.running:
            for callback in self._before_stop:
                callback()
        await super().stop()
        # Tasks started after PTB took its list of tasks to wait for (by tasks it waited for).
        while pending := {task for task in self._tasks if not task.done()}:
            await asyncio.wait(pending)
        if isinstance(self.update_queue, InboxQueue):
            await self.update_queue.stop_sharing()  # nothing runs any more: the chats go to the others

    async def process_update(self, update: object) -> None:
        queue = self.update_queue
        if not isinstance(update, Update) or not isinstance(queue, InboxQueue):
            await super().process_update(update)
            return
        if not queue.takes(update):
            return
        spawned: set[asyncio.Task[Any]] = set()
        token = _spawned.set(spawned)
        chat_token = _working_for.set(chat_of(update))
        try:
            await super().process_update(update)
        finally:
            _working_for.reset(chat_token)
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
        # A task for an update (its handling, or a task a handler starts for it) is urgent if a person waits for
        # the update's answer: it inherits the context it is created in.
        urgent = URGENT.set(wants_reply_first(update)) if update is not None else None
        try:
            task = super().create_task(coroutine, update=update, name=name)
        finally:
            if urgent is not None:
                URGENT.reset(urgent)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        spawned = _spawned.get()
        if spawned is not None:
            spawned.add(task)
        if isinstance(self.update_queue, InboxQueue):
            self.update_queue.track(task)
        return task


def bot_api_request(*, timeout: float) -> AiohttpRequest:
    """The HTTP client of every Bot API call but getUpdates. `timeout` is how long a send waits for
    Telegram's answer: PTB's 5 s would give up on answers Telegram sends later, and the send would look
    failed."""
    return AiohttpRequest(
        connection_pool_size=256,
        connect_timeout=10.0,
        read_timeout=timeout,
        write_timeout=timeout,
        pool_timeout=timeout,
    )


class PollingRequest(AiohttpRequest):
    """The HTTP client of getUpdates. A getUpdates call acknowledges every update before its offset, so it
    waits until the inbox has committed all of them (while they are handed to the handlers)."""

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
        await self._queue.committed()
        try:
            status, payload = await super().do_request(
                url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
            )
        except TimedOut:
            raise  # PTB polls again at once
        except Exception as failure:
            # Failed on the way (a kept-alive connection closed, a reset): asked again at once, as it acknowledges
            # nothing it has not already. PTB would report an error and wait a second, every command with it; if
            # this second try fails too, it does.
            log.info("getUpdates failed in transit (%s): asking again", failure)
            status, payload = await super().do_request(
                url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
            )
        if status == 200:
            payload = self._queue.received_raw(payload)
        return status, payload


async def _finish_after(queue: InboxQueue, update_id: int, spawned: set[asyncio.Task[Any]]) -> None:
    # Tasks started by these tasks join the same set while they run.
    while pending := {task for task in spawned if not task.done()}:
        await asyncio.wait(pending)
    await queue.finish(update_id)
