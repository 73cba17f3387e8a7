"""The bot's event loop: the work a person waits on runs first.

asyncio runs ready callbacks in the order they became ready. When 200 posts are forwarded at once, hundreds of
steps of their work (storing them, sending them to the analysis, storing what it found, sending their cards)
are ready at any moment, and each step of a command's handling (receiving it, dispatching it, reading,
replying) waited behind all of them: the loop was busy 90–100% of the first second of such a burst, and a
`/help` sent then took 10–50 ms where it takes 4–6 ms on a quiet bot.

This loop keeps its ready callbacks in two lanes and always runs the urgent lane first; within a lane, in order:

- A task's steps are urgent while its context says so: `URGENT` (the bot sets it for receiving updates, for
  dispatching them, and for the whole handling of a command or a button, see bot/inbox.py), or
  `storage.db.WRITING` (a task inside a write transaction: an urgent transaction waiting for the database's
  write lock must not wait for a holder that itself waits behind ordinary work).
- I/O readiness and results handed over by other threads (the database's, the analysis pool's) are urgent
  whoever waits for them: they only wake the task that waits, whose next step then goes in that task's lane.

Ordinary work is never dropped, only put behind: urgent work is what a person is waiting for at that moment.

asyncio's loop also runs every callback that is ready at the start of a turn before it looks at its sockets
again: with 650 ready during a burst a turn took 66 ms, and a command that had arrived meanwhile waited for the
turn to end before it was even read. Here a turn runs the urgent callbacks and at most `ORDINARY_PER_TURN`
ordinary ones, then looks at the sockets (a select that does not wait: microseconds).

It replaces the ready queue of CPython's selector event loop (`_ready`, `_add_callback`, `call_soon_threadsafe`
are asyncio internals); where they are not what this expects, `replies_first_loop` gives asyncio's own loop,
with a warning. tests/bot/test_loop.py pins the behaviour.
"""

from __future__ import annotations

import asyncio
import collections
import contextvars
import logging
from collections.abc import Callable, Coroutine
from contextvars import Context, ContextVar
from typing import Any, TypeVar, TypeVarTuple

from storage.db import WRITING

log = logging.getLogger(__name__)

Ts = TypeVarTuple("Ts")
T = TypeVar("T")

URGENT: ContextVar[bool] = ContextVar("precis_urgent", default=False)

# The bot's process hands the GIL between threads every half millisecond, not every five (Python's default):
# when a database or pool thread holds it, the loop's thread gets it back within that. With the lanes in place,
# traced runs of the 200-post burst gave the probes after the first a p99 of 20–26 ms against 35–79 ms.
LOOP_SWITCH_INTERVAL = 0.0005

ORDINARY_PER_TURN = 16  # a few milliseconds of a burst's work at most, between two looks at the sockets


def is_urgent(context: Context) -> bool:
    return context.get(URGENT, False) or context.get(WRITING, False)


def urgently(coroutine: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
    """A task for `coroutine` whose steps are urgent, and so are those of every task and callback it starts
    (they inherit its context): receiving updates, which decides what comes first."""
    context = contextvars.copy_context()
    context.run(URGENT.set, True)
    return asyncio.get_running_loop().create_task(coroutine, context=context)


class ReadyLanes:
    """The loop's ready queue, in two lanes: the operations asyncio's loop uses on its deque."""

    __slots__ = ("ordinary", "urgent")

    def __init__(self) -> None:
        self.urgent: collections.deque[asyncio.Handle] = collections.deque()
        self.ordinary: collections.deque[asyncio.Handle] = collections.deque()

    def append(self, handle: asyncio.Handle) -> None:
        context = getattr(handle, "_context", None)
        (self.urgent if context is not None and is_urgent(context) else self.ordinary).append(handle)

    def popleft(self) -> asyncio.Handle:
        return self.urgent.popleft() if self.urgent else self.ordinary.popleft()

    def clear(self) -> None:
        self.urgent.clear()
        self.ordinary.clear()

    def __len__(self) -> int:
        # asyncio's loop asks this once a turn, for how many callbacks to run before it looks at the sockets again
        return len(self.urgent) + min(len(self.ordinary), ORDINARY_PER_TURN)

    def __bool__(self) -> bool:
        return bool(self.urgent or self.ordinary)


class RepliesFirstLoop(asyncio.SelectorEventLoop):
    """asyncio's selector event loop with its ready queue in lanes (see the module's notes)."""

    _ready: ReadyLanes

    def __init__(self) -> None:
        super().__init__()
        self._ready = ReadyLanes()

    def _add_callback(self, handle: asyncio.Handle) -> None:
        # I/O readiness (the selector's events): urgent whoever registered the reader or writer.
        if not handle.cancelled():
            self._ready.urgent.append(handle)

    def call_soon_threadsafe(
        self, callback: Callable[[*Ts], object], *args: *Ts, context: Context | None = None
    ) -> asyncio.Handle:
        # A result handed over by another thread: it only wakes the task waiting for it.
        self._check_closed()  # type: ignore[attr-defined]
        handle = asyncio.Handle(callback, args, self, context)
        self._ready.urgent.append(handle)
        self._write_to_self()  # type: ignore[attr-defined]
        return handle


def replies_first_loop() -> asyncio.AbstractEventLoop:
    """A `RepliesFirstLoop`, or asyncio's own loop where its internals are not the ones it builds on."""
    probe = asyncio.SelectorEventLoop()
    try:
        expected = isinstance(getattr(probe, "_ready", None), collections.deque) and all(
            hasattr(probe, name) for name in ("_add_callback", "_check_closed", "_write_to_self")
        )
    finally:
        probe.close()
    if not expected:
        log.warning("this Python's event loop is not the one replies-first scheduling builds on: not used")
        return asyncio.new_event_loop()
    return RepliesFirstLoop()
