"""Which posts are joined into one article: the routing decisions, message by message."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from telegram import Chat, Message, MessageOriginChannel, MessageOriginHiddenUser

from handlers.arrivals import series_message
from usecases.series import SeriesBuffer, SeriesMessage

WHEN = datetime(2025, 4, 1, tzinfo=UTC)
PRIVATE = Chat(10, Chat.PRIVATE)
_ids = iter(range(1, 10_000))


# Telegram messages, as the handler reads them for the buffer (handlers.arrivals.series_message).


def forwarded(post_id: int, channel: int = -100555, text: str = "part", album: str | None = None) -> SeriesMessage:
    origin = MessageOriginChannel(WHEN, Chat(channel, Chat.CHANNEL, title="A channel"), post_id)
    return series_message(Message(next(_ids), WHEN, PRIVATE, text=text, forward_origin=origin, media_group_id=album))


def photo(album: str, caption: str | None = None) -> SeriesMessage:
    return series_message(Message(next(_ids), WHEN, PRIVATE, caption=caption, media_group_id=album))


def pasted(text: str = "hello") -> SeriesMessage:
    return series_message(Message(next(_ids), WHEN, PRIVATE, text=text))


def test_consecutive_posts_of_one_channel_are_one_series() -> None:
    buffer = SeriesBuffer()
    first = buffer.route(forwarded(300))
    assert first.key is not None and first.ended == () and first.position == 300
    assert buffer.route(forwarded(301)).key == first.key
    assert buffer.route(forwarded(302)).key == first.key
    assert buffer.is_open(10, first.key)


def test_a_gap_another_channel_or_another_kind_of_message_ends_the_series() -> None:
    buffer = SeriesBuffer()
    series = buffer.route(forwarded(300)).key
    gap = buffer.route(forwarded(305))
    assert gap.key not in (None, series) and gap.ended == (series,)
    other = buffer.route(forwarded(306, channel=-100999))
    assert other.key not in (None, gap.key) and other.ended == (gap.key,)
    alone = buffer.route(pasted())
    assert alone.key is None and alone.ended == (other.key,)
    assert buffer.route(pasted()).ended == ()  # nothing was open any more


def test_the_same_post_ids_forwarded_again_start_a_new_series() -> None:
    buffer = SeriesBuffer()
    a = buffer.route(forwarded(300)).key
    buffer.route(pasted())
    b = buffer.route(forwarded(300)).key
    assert a != b  # a series already being joined never receives parts of a later one


def test_an_album_is_one_series_and_a_forward_from_a_person_is_never_held() -> None:
    buffer = SeriesBuffer()
    first = buffer.route(photo("alb", caption="The caption"))
    assert first.key is not None and first.key.startswith("album:")
    assert buffer.route(photo("alb")).key == first.key
    message = Message(next(_ids), WHEN, PRIVATE, text="hi", forward_origin=MessageOriginHiddenUser(WHEN, "Someone"))
    assert buffer.route(series_message(message)).key is None


def test_a_channel_album_inside_a_series_stays_in_it() -> None:
    buffer = SeriesBuffer()
    key = buffer.route(forwarded(10, text="caption", album="g")).key
    assert [buffer.route(forwarded(n, album="g" if n < 13 else None)).key for n in (11, 12, 13)] == [key] * 3


def test_a_series_is_closed_when_it_is_full() -> None:
    buffer = SeriesBuffer(max_parts=3, max_chars=10_000)
    assert [buffer.route(forwarded(n)).full for n in (1, 2, 3)] == [False, False, True]
    big = SeriesBuffer(max_chars=100)
    assert big.route(forwarded(1, text="x" * 150)).full


def test_take_forgets_a_series_once() -> None:
    buffer = SeriesBuffer()
    key = buffer.route(forwarded(1)).key
    assert key is not None
    assert buffer.take(10, key) and not buffer.take(10, key)
    assert buffer.route(forwarded(2)).key != key  # the next post starts anew


class Timers:
    """The buffer's waits, fired when the test says: what a wait does, without waiting."""

    def __init__(self) -> None:
        self.started: list[Timers.Timer] = []

    @dataclass
    class Timer:
        delay: float
        callback: Callable[[], object]
        cancelled: bool = False

        def cancel(self) -> None:
            self.cancelled = True

    def call_later(self, delay: float, callback: Callable[[], object]) -> Timer:
        self.started.append(timer := Timers.Timer(delay, callback))
        return timer

    def elapse(self) -> None:
        """Every wait still running comes to its end."""
        for timer in self.started:
            if not timer.cancelled:
                timer.cancelled = True
                timer.callback()


def test_the_wait_restarts_with_each_part_and_ends_with_another_message() -> None:
    timers = Timers()
    buffer = SeriesBuffer(wait=2.0, call_later=timers.call_later)
    fired: list[str] = []
    key = buffer.route(forwarded(1)).key
    assert key is not None
    buffer.schedule(10, key, lambda: fired.append("first"))
    assert buffer.route(forwarded(2)).key == key  # cancels the first wait
    buffer.schedule(10, key, lambda: fired.append("second"))
    assert [t.delay for t in timers.started] == [2.0, 2.0] and buffer.holding
    timers.elapse()
    assert fired == ["second"]

    key = buffer.route(forwarded(50)).key
    assert key is not None
    buffer.schedule(10, key, lambda: fired.append("third"))
    assert buffer.route(pasted()).ended == (key,)  # ended by another message: joined now, not by the timer
    timers.elapse()
    assert fired == ["second"]
    buffer.schedule(10, key, lambda: fired.append("late"))  # no longer open: nothing to wait for
    timers.elapse()
    assert fired == ["second"] and not buffer.holding
