"""What the use cases share: the repository, the analysis workers, the page fetcher, the limits, the digest
runtime and its clock, and the buffer of posts that arrive in series. Built once, by bot.compose, for every
front."""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import signal
import socket
import uuid
from collections.abc import AsyncIterator, Callable, Hashable
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from aiolimiter import AsyncLimiter

from analysis.pipeline import analyze
from analysis.summarize import DEFAULT_METHOD
from analysis.types import Analysis
from fetch.client import PageFetcher
from storage.repository import Repository
from usecases.parent_death import die_with_parent
from usecases.series import SeriesBuffer

T = TypeVar("T")

BULK_MESSAGES_PER_SECOND = 20
WORKER_NICENESS = 10


def _start_worker(parent_pid: int) -> None:
    die_with_parent(parent_pid)  # no orphan workers when the bot is killed
    # Ctrl-C in a terminal reaches the whole process group: the parent stops its workers itself, and a worker
    # interrupted on its own would only print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError):  # analysis yields the CPU to the bot's replies when both want it
        os.nice(WORKER_NICENESS)
    # Import and exercise the analysis once in each worker, so the first article does not pay for it.
    analyze("Warm-up. This sentence primes the worker.")


class Analyzer:
    """Runs CPU-bound analysis in worker processes so the event loop stays free for other chats."""

    def __init__(
        self, executor: Executor | None = None, workers: int = 1, summary_method: str = DEFAULT_METHOD
    ) -> None:
        self.summary_method = summary_method  # PRECIS_SUMMARY_METHOD
        self._own_executor = executor is None
        self._executor = executor or ProcessPoolExecutor(
            max_workers=workers,
            # spawn, not fork: the parent has threads (aiosqlite, PTB) that a fork would copy mid-flight.
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(os.getpid(),),
        )

    async def run(self, func: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, func, *args)

    async def analyze(self, raw_text: str, published_at: datetime | None) -> Analysis:
        return await self.run(analyze, raw_text, published_at, self.summary_method)

    def shutdown(self) -> None:
        if self._own_executor:
            self._executor.shutdown(wait=True, cancel_futures=True)


class KeyedLocks:
    """One lock per key, kept only while someone holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[Hashable, tuple[asyncio.Lock, int]] = {}

    def __contains__(self, key: Hashable) -> bool:
        """Whether someone holds or waits for the key's lock."""
        return key in self._locks

    @asynccontextmanager
    async def hold(self, key: Hashable) -> AsyncIterator[None]:
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)


@dataclass(frozen=True)
class Limits:
    max_text_chars: int = 1_000_000
    max_file_bytes: int = 2_000_000
    max_summary_sentences: int = 20
    default_summary_sentences: int = 3


@dataclass(frozen=True)
class DigestPolicy:
    """How digests read and how hard delivery tries."""

    max_full: int = 5  # articles shown with summary, quote and events; the reader gets through it in a minute
    max_listed: int = 10  # more articles as one line each; beyond that, "and K more"
    summary_sentences: int = 2
    lease: timedelta = timedelta(minutes=2)  # how long a claim holds without news from its sender
    retry_delays: tuple[timedelta, ...] = (
        timedelta(seconds=30),
        timedelta(minutes=2),
        timedelta(minutes=10),
        timedelta(minutes=30),
        timedelta(hours=2),
    )  # after a transient failure (Telegram 5xx, timeouts); then the next scheduled run takes over
    busy_retry: timedelta = timedelta(seconds=5)  # another run of the chat's digest is in flight: look again
    concurrency: int = 32  # digests in flight at once: enough to keep the rate limiter's 30/s busy
    settle: timedelta = timedelta(hours=1)  # an article pending longer than this no longer holds a digest back


class Clock:
    """The current time, shiftable: tests set it to any instant and it goes on ticking from there.

    Everything about digests asks this clock, never `datetime.now`, so a test can put the bot at 07:59:59 in
    Riga on the day daylight saving starts without waiting for it.
    """

    def __init__(self, offset: timedelta = timedelta(0)) -> None:
        self.offset = offset

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def set(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("the clock needs an aware datetime")
        self.offset = moment - datetime.now(UTC)

    def advance(self, delta: timedelta) -> None:
        self.offset += delta


def _worker_id() -> str:
    # Who holds a claim: readable in the database, unique per running application.
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def other_process_ended(holder: str) -> bool:
    """Whether the claim holder `holder` (host:pid:random) is another process of this machine that no longer
    runs. Only a process of this machine can be known to have ended; another machine's claims end with their
    lease, and so do this process's own (it knows its live claimants itself)."""
    host, _, rest = holder.partition(":")
    pid_text, _, _ = rest.partition(":")
    if host != socket.gethostname() or not pid_text.isdigit() or int(pid_text) == os.getpid():
        return False
    pid = int(pid_text)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    with contextlib.suppress(OSError, IndexError):  # a zombie: killed, not yet reaped
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    return False


class DigestRuntime:
    """The digest machinery's own state: its policy, its clock, its name in claims and its fan-out gate."""

    def __init__(self, policy: DigestPolicy | None = None, clock: Clock | None = None) -> None:
        self.policy = policy or DigestPolicy()
        self.clock = clock or Clock()
        self.worker = _worker_id()
        # Claim only as many digests as can be sent soon, so a claim's lease never runs out while it waits in
        # the rate limiter's queue behind a thousand others.
        self.slots = asyncio.Semaphore(self.policy.concurrency)
        self.failures: dict[int, int] = {}  # chat id → transient failures in a row, for the retry backoff

    def now(self) -> datetime:
        return self.clock.now()


@dataclass(frozen=True)
class FeedPolicy:
    interval: timedelta = timedelta(minutes=30)  # between two polls of a healthy feed
    max_backoff: timedelta = timedelta(hours=24)
    site_pace: timedelta = timedelta(seconds=10)  # between two requests to the same site
    max_new_items: int = 20  # items of one poll that become articles
    concurrency: int = 4  # feeds fetched at once
    gone_after: int = 3  # 404/410 answers in a row before a feed is paused
    batch: int = 100  # due feeds looked at per tick
    tick: float = 60.0  # seconds between two looks for due feeds


class FeedRuntime:
    """The polling machinery's state: its policy, its clock, the feeds in flight and each site's last request."""

    def __init__(self, policy: FeedPolicy | None = None, clock: Clock | None = None) -> None:
        self.policy = policy or FeedPolicy()
        self.clock = clock or Clock()
        self.slots = asyncio.Semaphore(self.policy.concurrency)
        self.in_flight: set[int] = set()
        self.site_last: dict[str, datetime] = {}

    def now(self) -> datetime:
        return self.clock.now()


@dataclass
class Services:
    repo: Repository
    analyzer: Analyzer
    limits: Limits = field(default_factory=Limits)
    digests: DigestRuntime = field(default_factory=DigestRuntime)
    # How many articles are analysed and answered at once; the rest wait, already stored.
    ingest_slots: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(2))
    # Bulk messages (cards of a burst, digests) keep under Telegram's overall 30 messages/s with room to spare,
    # so a reply to a command never queues behind them in the rate limiter.
    bulk_sends: AsyncLimiter = field(default_factory=lambda: AsyncLimiter(BULK_MESSAGES_PER_SECOND, 1))
    fetcher: PageFetcher | None = None  # None: links stay text in the post, nothing is fetched
    series: SeriesBuffer = field(default_factory=SeriesBuffer)
    # The same link sent twice at once is fetched once: the second waits, then finds it stored.
    links_in_flight: KeyedLocks = field(default_factory=KeyedLocks)
    # One analysis and one answer of an article at a time: an update processed again at start-up and the
    # resumption of interrupted articles may reach the same article.
    article_locks: KeyedLocks = field(default_factory=KeyedLocks)
    # Held from sending an article's answer to recording that Telegram accepted it (see ingest.answer).
    answer_lane: asyncio.Lock = field(default_factory=asyncio.Lock)
    feeds: FeedRuntime = field(default_factory=FeedRuntime)
