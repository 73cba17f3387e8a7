"""Inside one process, updates of different chats are processed side by side and each chat's in order."""

from __future__ import annotations

import asyncio

from telegram import Update

from bot.inbox import ChatOrder, InboxQueue, chat_of, holder_is_gone


def message(update_id: int, chat_id: int) -> Update:
    return Update.de_json(
        {
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "date": 1_700_000_000,
                "chat": {"id": chat_id, "type": "private"},
                "text": f"update {update_id}",
            },
        },
        None,
    )


async def test_a_chat_waits_only_for_its_own_earlier_updates() -> None:
    order = ChatOrder()
    done: list[int] = []
    release_first = asyncio.Event()

    async def handle(update: Update) -> None:
        if update.update_id == 1:
            await release_first.wait()  # a slow update in chat 10 (a long command)
        done.append(update.update_id)

    updates = [message(1, 10), message(2, 10), message(3, 20), message(4, 20)]
    tasks = [asyncio.create_task(order.process_update(u, handle(u))) for u in updates]
    # Chat 20's updates finish while chat 10's first is still running; chat 10's second waits for it.
    await asyncio.wait_for(asyncio.gather(tasks[2], tasks[3]), 60)  # a bound on a hang only
    assert done == [3, 4]
    assert not tasks[1].done()
    release_first.set()
    await asyncio.wait_for(asyncio.gather(*tasks), 60)
    assert done == [3, 4, 1, 2]
    assert [chat_of(u) for u in updates] == [10, 10, 20, 20]


async def test_a_command_queued_behind_another_chats_burst_is_handed_out_next() -> None:
    queue = InboxQueue()
    burst = [message(n, 10) for n in range(1, 51)]  # fifty posts forwarded to chat 10
    for update in burst:
        await queue.put(update)  # no inbox attached: queued as they come
    await queue.put(message(51, 20))  # then a command in chat 20
    stop = object()  # what PTB queues to stop: handed out after everything queued before it
    await queue.put(stop)
    await queue.put(message(52, 20))  # queued after the stop: after it too
    taken = [await queue.get() for _ in range(queue.qsize())]
    ids = [u.update_id if isinstance(u, Update) else "stop" for u in taken]
    assert ids[:2] == [1, 51]
    assert [n for n in ids if isinstance(n, int) and n <= 50] == list(range(1, 51))  # chat 10 in its own order
    assert ids[-2:] == ["stop", 52]
    assert queue.empty()


def test_a_claim_of_a_process_of_this_machine_that_is_gone_is_known_at_once() -> None:
    import os
    import socket
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    host = socket.gethostname()
    assert holder_is_gone(f"{host}:{child.pid}:abc")
    assert not holder_is_gone(f"{host}:{os.getppid()}:abc")  # alive
    assert not holder_is_gone(f"another-machine:{child.pid}:abc")  # only its lease can tell
    assert holder_is_gone(f"{host}:{os.getpid()}:not-running-here")
