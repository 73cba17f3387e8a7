"""Which posts belong together: an article cut over several channel posts, or an album with its caption.

When someone forwards a long article that its channel published as several posts, Telegram delivers one
message per post, a moment apart. They are joined into one article when they are a *series*:

- consecutive posts of one channel: each forward's `forward_origin` names the same channel as the previous one
  and the next post id (a photo between text parts is a post too, so ids stay consecutive);
- or the messages of one album (the same `media_group_id`), whose caption is on one of them.

A forwarded channel post is held for a short wait (`wait`, 2 seconds by default) in case the next post of the
series follows; each part that arrives restarts the wait, and the series is joined and answered once it has
been quiet that long. Anything that does not continue the series ends it at once, so forwarding three unrelated
posts waits only after the last. Everything else (pasted text, a link, a post forwarded from a person or a
group) is not held at all. A series is also closed when it reaches `max_parts` posts or `max_chars`
characters, the most one article may have.

The decision is made synchronously, in the order updates arrive (before the handler awaits anything), by the
one process that holds the chat (bot/inbox.py). The parts are stored in the database as they arrive (see
usecases.arrivals), and what this buffer knows of an open series (its key, its channel, the last position, how
many parts and characters) is read back from them by `restore` when another process, or the same one started
again, takes the chat over: a series is joined into one article whichever process received each part, and a
stop during the wait loses nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

__all__ = ["Routing", "SeriesBuffer", "SeriesMessage"]


@dataclass(slots=True)
class _Open:
    key: str
    channel_id: int | None
    media_group_id: str | None
    last_position: int
    parts: int = 0
    chars: int = 0


@dataclass(frozen=True, slots=True)
class SeriesMessage:
    """What deciding about a series needs to know of a message (the front reads it off the message)."""

    chat_id: int
    message_id: int
    text_chars: int  # of its text or caption
    channel_id: int | None = None  # forwarded from a channel: that channel's id
    channel_post_id: int | None = None  # and the post's id in it
    media_group_id: str | None = None  # one message of an album


@dataclass(frozen=True, slots=True)
class Routing:
    """What to do with a message: hold it as part `position` of series `key` (None: take it on its own now),
    and which series of the chat it ended (to be joined now)."""

    key: str | None
    position: int
    ended: tuple[str, ...] = field(default=())
    full: bool = False  # the series reached its limit with this part: join it now, without waiting


class Timer(Protocol):
    def cancel(self) -> None: ...


CallLater = Callable[[float, Callable[[], object]], Timer]


def _loop_call_later(delay: float, callback: Callable[[], object]) -> Timer:
    return asyncio.get_running_loop().call_later(delay, callback)


class SeriesBuffer:
    def __init__(
        self,
        wait: float = 2.0,
        max_parts: int = 50,
        max_chars: int = 1_000_000,
        call_later: CallLater = _loop_call_later,  # the event loop's; tests fire the waits themselves
    ) -> None:
        self.wait = wait
        self._call_later = call_later
        self.max_parts = max_parts
        self.max_chars = max_chars
        self._open: dict[int, _Open] = {}
        self._locks: dict[int, asyncio.Lock] = {}
        self._timers: dict[int, Timer] = {}
        self._due: dict[int, Callable[[], object]] = {}  # what each timer will call

    def lock(self, chat_id: int) -> asyncio.Lock:
        """Held while a part is stored and while a series' parts are read for joining, so a part routed into
        a series is always stored before that series is read."""
        lock = self._locks.get(chat_id)
        if lock is None:
            lock = self._locks[chat_id] = asyncio.Lock()
        return lock

    def route(self, message: SeriesMessage) -> Routing:
        """Decide, without awaiting anything, whether `message` starts, continues or ends a series."""
        chat_id = message.chat_id
        self._cancel(chat_id)  # whatever this message is, the open series' wait starts again or ends here
        current = self._open.get(chat_id)
        text_chars = message.text_chars

        if message.channel_id is not None and message.channel_post_id is not None:
            channel_id, position = message.channel_id, message.channel_post_id
            if current is not None and current.channel_id == channel_id and position == current.last_position + 1:
                return self._join(current, chat_id, position, text_chars, message.media_group_id)
            ended = self._end(chat_id)
            return self._start(
                _Open(
                    f"channel:{channel_id}:{position}:{message.message_id}",
                    channel_id,
                    message.media_group_id,
                    position,
                ),
                chat_id,
                text_chars,
                ended,
            )
        if message.media_group_id is not None:
            position = message.message_id
            if current is not None and current.media_group_id == message.media_group_id:
                return self._join(current, chat_id, position, text_chars, message.media_group_id)
            ended = self._end(chat_id)
            return self._start(
                _Open(f"album:{message.media_group_id}:{position}", None, message.media_group_id, position),
                chat_id,
                text_chars,
                ended,
            )
        return Routing(None, message.message_id, self._end(chat_id))

    def restore(self, chat_id: int, key: str, parts: int, chars: int, last_position: int) -> bool:
        """Open again a series whose parts are stored (the chat taken over from a process that stopped), so
        that its next part continues it. False when the key is no series, or the chat has one open already."""
        if chat_id in self._open:
            return False
        kind, _, rest = key.partition(":")
        if kind == "channel":
            channel, _, _ = rest.partition(":")
            try:
                channel_id: int | None = int(channel)
            except ValueError:
                return False
            series = _Open(key, channel_id, None, last_position, parts, chars)
        elif kind == "album":
            group, _, _ = rest.rpartition(":")
            series = _Open(key, None, group or None, last_position, parts, chars)
        else:
            return False
        self._open[chat_id] = series
        return True

    def holds(self, chat_id: int) -> bool:
        """Whether a series of the chat is open or waiting to be joined."""
        return chat_id in self._open or chat_id in self._timers

    def end(self, chat_id: int) -> tuple[str, ...]:
        """A message that is no part of any series arrived: the open series, if any, is complete."""
        self._cancel(chat_id)
        return self._end(chat_id)

    def take(self, chat_id: int, key: str) -> bool:
        """The series is due: forget it (a part arriving from now on starts another). False when it was not
        open (already taken)."""
        current = self._open.get(chat_id)
        if current is None or current.key != key:
            return False
        del self._open[chat_id]
        self._cancel(chat_id)
        return True

    def schedule(self, chat_id: int, key: str, due: Callable[[], object]) -> None:
        """Call `due` once the series has been quiet for `wait` seconds (unless a part or another message
        comes first: `route` cancels the wait)."""
        if not self.is_open(chat_id, key):
            return  # ended meanwhile: it is being joined already
        self._cancel(chat_id)
        self._timers[chat_id] = self._call_later(self.wait, due)
        self._due[chat_id] = due

    def flush(self) -> None:
        """Every waiting series is due now (a graceful stop joins them instead of leaving them for the next
        start)."""
        for chat_id in list(self._timers):
            due = self._due.get(chat_id)
            self._cancel(chat_id)
            if due is not None:
                due()

    def cancel_all(self) -> None:
        for chat_id in list(self._timers):
            self._cancel(chat_id)

    def _cancel(self, chat_id: int) -> None:
        self._due.pop(chat_id, None)
        timer = self._timers.pop(chat_id, None)
        if timer is not None:
            timer.cancel()

    @property
    def holding(self) -> bool:
        """Whether some series is open or waiting for its next part (a test waits until none is)."""
        return bool(self._open or self._timers)

    def is_open(self, chat_id: int, key: str) -> bool:
        current = self._open.get(chat_id)
        return current is not None and current.key == key

    def _start(self, series: _Open, chat_id: int, chars: int, ended: tuple[str, ...]) -> Routing:
        self._open[chat_id] = series
        return self._join(series, chat_id, series.last_position, chars, series.media_group_id, ended)

    def _join(
        self,
        series: _Open,
        chat_id: int,
        position: int,
        chars: int,
        media_group_id: str | None,
        ended: tuple[str, ...] = (),
    ) -> Routing:
        series.last_position = max(series.last_position, position)
        series.media_group_id = media_group_id or series.media_group_id
        series.parts += 1
        series.chars += chars
        full = series.parts >= self.max_parts or series.chars >= self.max_chars
        return Routing(series.key, position, ended, full)

    def _end(self, chat_id: int) -> tuple[str, ...]:
        current = self._open.pop(chat_id, None)
        return (current.key,) if current is not None else ()
