"""The bot's event loop runs the work a person waits on ahead of a burst's work (bot/loop.py).

Each scenario counts the steps of ordinary work that ran before the urgent work finished: on asyncio's own loop
the urgent task waits behind every ready step of the burst at each of its own steps; here it does not."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import pytest
from telegram import Update
from telegram.ext import ApplicationBuilder

from bot.inbox import InboxApplication, InboxQueue, ReceivingUpdater, wants_reply_first
from bot.loop import ORDINARY_PER_TURN, URGENT, RepliesFirstLoop, replies_first_loop, urgently
from bot.webhook import WebhookServer
from storage.db import WRITING, Database

T = TypeVar("T")

BURST = 200  # ordinary tasks, as many as the posts of the benchmark's burst
STEPS = 20  # the awaits of each


def run_on(loop: asyncio.AbstractEventLoop, scenario: Callable[[], Awaitable[T]]) -> T:
    try:
        return loop.run_until_complete(asyncio.wait_for(scenario(), 60))  # a bound on a hang only
    finally:
        loop.close()


class Burst:
    """Ordinary tasks that each take STEPS turns of the loop, counting the turns they took."""

    def __init__(self) -> None:
        self.steps = 0

    async def one(self) -> None:
        for _ in range(STEPS):
            await asyncio.sleep(0)
            self.steps += 1

    def start(self) -> list[asyncio.Task[None]]:
        return [asyncio.get_running_loop().create_task(self.one()) for _ in range(BURST)]


async def command_during_burst() -> int:
    """How many steps of the burst ran before a command of STEPS awaits, started after the burst, finished."""
    burst = Burst()
    tasks = burst.start()
    await asyncio.sleep(0)  # the burst is under way

    async def command() -> int:
        for _ in range(STEPS):
            await asyncio.sleep(0)
        return burst.steps

    seen = await urgently(command())
    await asyncio.gather(*tasks)
    assert burst.steps == BURST * STEPS  # the burst's work is put behind, not lost
    return seen


def test_a_command_overtakes_the_steps_of_a_burst() -> None:
    here = run_on(RepliesFirstLoop(), command_during_burst)
    plain = run_on(asyncio.SelectorEventLoop(), command_during_burst)
    assert here <= BURST  # at most the turn under way when it started
    assert plain >= BURST * (STEPS - 1)  # asyncio's own loop: behind every step of the burst, at every step


async def transaction_waited_for(db_path: Path) -> int:
    """A slow ordinary transaction holds the write lock while a burst runs; an urgent transaction waits for it.
    How many steps of the burst ran before the urgent one committed (the writer being marked is asserted here)."""
    db = await Database.open(db_path)
    try:
        async with db.transaction() as conn:
            await conn.execute("CREATE TABLE notes (text TEXT)")
        holding = asyncio.Event()
        marked: list[bool] = []

        async def ordinary_writer() -> None:
            async with db.transaction() as conn:
                holding.set()
                for n in range(STEPS):  # a transaction of several steps (a bulk one's, on the writer's thread)
                    await conn.execute("INSERT INTO notes VALUES (?)", (f"ordinary {n}",))
                    await asyncio.sleep(0)
                marked.append(WRITING.get())
            marked.append(WRITING.get())

        writer = asyncio.get_running_loop().create_task(ordinary_writer())
        await holding.wait()
        burst = Burst()
        tasks = burst.start()

        async def command() -> int:
            async with db.transaction(urgent=True) as conn:
                await conn.execute("INSERT INTO notes VALUES ('urgent')")
            return burst.steps

        seen = await urgently(command())
        await asyncio.gather(writer, *tasks)
        assert marked == [True, False]  # inside its transaction, and not after
        return seen
    finally:
        await db.close()


def test_a_transaction_an_urgent_one_waits_for_is_not_left_behind_the_burst(tmp_path: Path) -> None:
    seen = run_on(RepliesFirstLoop(), lambda: transaction_waited_for(tmp_path / "here.db"))
    assert seen <= 2 * BURST  # not behind the burst's steps at each of the holder's steps
    plain = run_on(asyncio.SelectorEventLoop(), lambda: transaction_waited_for(tmp_path / "plain.db"))
    assert plain >= BURST * (STEPS - 1)


async def io_and_threads_first() -> list[str]:
    """A hundred ordinary callbacks queued; then a socket becomes readable and a thread hands a result over."""
    loop = asyncio.get_running_loop()
    ran: list[str] = []
    left, right = socket.socketpair()
    try:
        read = loop.create_future()

        def readable() -> None:
            ran.append("socket")
            left.recv(16)
            read.set_result(None)

        loop.add_reader(left.fileno(), readable)  # registered by ordinary work
        for n in range(100):
            loop.call_soon(ran.append, f"ordinary {n}")
        right.send(b"x")
        thread = threading.Thread(target=lambda: loop.call_soon_threadsafe(ran.append, "thread"))
        thread.start()
        thread.join()
        await read
        loop.remove_reader(left.fileno())
        await asyncio.sleep(0)
        return ran
    finally:
        left.close()
        right.close()


def test_io_and_results_from_threads_come_before_queued_ordinary_work() -> None:
    ran = run_on(RepliesFirstLoop(), io_and_threads_first)
    assert ran.index("thread") < ran.index("ordinary 0")
    assert ran.index("socket") < ran.index("ordinary 1")  # the selector is looked at once the thread's result ran
    plain = run_on(asyncio.SelectorEventLoop(), io_and_threads_first)
    assert plain.index("thread") > plain.index("ordinary 99")  # asyncio's own loop: after everything queued
    assert plain.index("socket") > plain.index("ordinary 99")


async def sockets_during_a_long_turn() -> int:
    """A thousand ordinary callbacks are ready at once; the hundredth makes a socket readable. How many of the
    others ran before its reader did."""
    loop = asyncio.get_running_loop()
    left, right = socket.socketpair()
    ran: list[int] = []
    try:
        read = loop.create_future()
        seen: list[int] = []

        def readable() -> None:
            seen.append(len(ran))
            left.recv(16)
            read.set_result(None)

        loop.add_reader(left.fileno(), readable)

        def ordinary(n: int) -> None:
            ran.append(n)
            if n == 100:
                right.send(b"x")

        for n in range(1000):
            loop.call_soon(ordinary, n)
        await read
        loop.remove_reader(left.fileno())
        return seen[0] - 101  # ran after the one that wrote
    finally:
        left.close()
        right.close()


def test_the_sockets_are_looked_at_between_short_runs_of_ordinary_work() -> None:
    # asyncio's own loop runs every callback ready at the start of a turn before it looks at the sockets again:
    # with 650 ready in a burst, a turn took 66 ms, and a command that had arrived waited for all of it.
    assert run_on(RepliesFirstLoop(), sockets_during_a_long_turn) <= ORDINARY_PER_TURN
    assert run_on(asyncio.SelectorEventLoop(), sockets_during_a_long_turn) >= 899


def test_the_bot_runs_on_it() -> None:
    loop = replies_first_loop()
    try:
        assert isinstance(loop, RepliesFirstLoop)
    finally:
        loop.close()


def update(payload: dict[str, object]) -> Update:
    return Update.de_json({"update_id": 1, **payload}, None)


def message(text: str, **extra: object) -> dict[str, object]:
    return {"message_id": 5, "date": 1_700_000_000, "chat": {"id": 7, "type": "private"}, "text": text, **extra}


COMMAND = update({"message": message("/help", entities=[{"type": "bot_command", "offset": 0, "length": 5}])})
POST = update(
    {
        "message": message(
            "Parliament met on Tuesday.",
            forward_origin={"type": "hidden_user", "sender_user_name": "A", "date": 1_700_000_000},
        )
    }
)


def test_commands_and_buttons_are_answered_first_and_arrivals_are_not() -> None:
    assert wants_reply_first(COMMAND)
    button = {"id": "1", "from": {"id": 7, "is_bot": False, "first_name": "A"}, "chat_instance": "c", "data": "x"}
    assert wants_reply_first(update({"callback_query": button}))
    assert not wants_reply_first(POST)
    assert not wants_reply_first(update({"message": message("see /help")}))  # a command only at the start
    assert not wants_reply_first(update({"message": message("A pasted article.")}))
    assert not wants_reply_first(object())


@pytest.mark.filterwarnings("ignore:Tasks created via")  # awaited here: the application need not run
async def test_an_updates_tasks_are_urgent_when_a_person_waits_for_it() -> None:
    app = ApplicationBuilder().token("1:x").application_class(InboxApplication).update_queue(InboxQueue()).build()
    assert isinstance(app.updater, ReceivingUpdater)

    async def urgency() -> bool:
        return URGENT.get()

    assert await app.create_task(urgency(), update=COMMAND)
    assert not await app.create_task(urgency(), update=POST)
    assert not URGENT.get()  # the creator's own context is left as it was


async def test_the_dispatcher_is_urgent() -> None:
    queue = InboxQueue()
    await queue.put(POST)

    async def dispatcher() -> bool:
        await queue.get()
        return URGENT.get()

    assert await asyncio.create_task(dispatcher())


async def webhook_request_during_burst(port: int) -> int:
    """How many steps of a burst ran before a webhook request, sent after the burst began, was handed on."""
    seen: list[int] = []
    burst = Burst()

    async def deliver(update: dict[str, object]) -> None:
        seen.append(burst.steps)

    server = WebhookServer(listen="127.0.0.1", port=port, path="hook", secret="s3cret", deliver=deliver)
    await server.start()
    try:
        tasks = burst.start()
        await asyncio.sleep(0)  # the burst is under way

        async def telegram() -> bytes:  # the request, sent without waiting behind the burst itself
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            body = b'{"update_id": 1}'
            writer.write(
                b"POST /hook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"X-Telegram-Bot-Api-Secret-Token: s3cret\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
            )
            answer = await reader.readline()
            writer.close()
            return answer

        assert (await urgently(telegram())).startswith(b"HTTP/1.1 200")
        await asyncio.gather(*tasks)
    finally:
        await server.shutdown()
    return seen[0]


def test_a_webhook_request_is_read_ahead_of_a_burst(free_port: int) -> None:
    here = run_on(RepliesFirstLoop(), lambda: webhook_request_during_burst(free_port))
    plain = run_on(asyncio.SelectorEventLoop(), lambda: webhook_request_during_burst(free_port))
    assert here <= 2 * BURST
    assert plain >= 4 * BURST
