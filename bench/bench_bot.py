"""Ingest throughput and reply latency of the whole bot.

1. Ingest: articles/s through the real path (store raw, analyse in the worker pool — clean, split, summarise,
   quotes, dates — store the results) on a fresh SQLite file, one article at a time and with every article in
   flight at once.
2. Latency: the real application polling the Bot API double on 127.0.0.1; `/help` answered while idle and
   while 200 articles are being forwarded to it: 150 probes one after another while idle, and from the first
   post until the burst's last card while busy (never fewer than 150), so each p99 is a percentile and the busy
   one covers the whole burst, its cards sent included. Latency is from the moment the update is queued at the
   double to the moment the double receives the reply (its body read), both on the double's clock; the time to
   the double's answer, its own handling of the reply included, is printed beside it. Each run says whether it
   meets the aim: busy p50 within 1.5× idle and busy p99 within 3×.

    python -m bench.bench_bot --data ../shared/data [--articles 200] [--workers 1] [--runs 5] [--same-process]
        [--webhook]

The bot runs in a process of its own (`python -m bot run`), as deployed; `--same-process` runs it in the
bench's own process beside the double, as the figures before that change were measured.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bot.app import build_application, running
from bot.config import Config
from storage.db import Database
from storage.repository import Repository, Source
from tests.botapi import BotApiDouble, RequestRecord, origin_channel
from tests.crashtrial import BotProcess, wait_for, webhook_settings
from usecases.ingest import IncomingArticle, ingest
from usecases.services import Analyzer, Services

# /help commands timed idle, one after another; during the burst they go on until its last card is sent, and
# are never fewer. 150 makes the p99 a percentile (the third slowest of them), not the one slowest probe.
PROBES = 150


def load_articles(data_dir: Path, limit: int) -> list[str]:
    folder = data_dir / "bbc-news-summary-politics" / "articles"
    files = sorted(folder.glob("*.txt"))
    if not files:
        raise SystemExit(f"no articles in {folder}")
    texts = [f.read_text(encoding="latin-1") for f in files]
    # Repeat with a marker when more articles are asked for than the set has, so none is a duplicate.
    return [texts[i % len(texts)] + ("" if i < len(texts) else f"\n\nCopy {i}.") for i in range(limit)]


def is_reply(record: RequestRecord, chat_id: int, message_id: int) -> bool:
    """Whether a logged request is a sendMessage Telegram accepted as the reply to `message_id` in `chat_id`."""
    result = record.response.get("result") if isinstance(record.response, dict) else None
    return (
        record.method == "sendMessage"
        and isinstance(result, dict)
        and result.get("chat", {}).get("id") == chat_id
        and (result.get("reply_to_message") or {}).get("message_id") == message_id
    )


def reply_to(api: BotApiDouble, chat_id: int, message_id: int) -> RequestRecord | None:
    """The recorded sendMessage that Telegram accepted as the reply to `message_id` in `chat_id`."""
    return next((r for r in api.requests("sendMessage") if is_reply(r, chat_id, message_id)), None)


class ReplyWatch:
    """Looks for the reply to one command among the requests logged since the last look: the bench's wait is
    asked again after every request the double logs (each card of the burst), and reading the whole log each
    time took the double's process CPU, the stand-in for Telegram, from under its server threads."""

    def __init__(self, api: BotApiDouble, chat_id: int, message_id: int, start: int = 0) -> None:
        self.api, self.chat_id, self.message_id, self.seen = api, chat_id, message_id, start

    def __call__(self) -> RequestRecord | None:
        new, self.seen = self.api.requests_since(self.seen)
        return next((r for r in new if is_reply(r, self.chat_id, self.message_id)), None)


def forward_burst(api: BotApiDouble, chat_id: int, texts: list[str]) -> None:
    """Every article forwarded at once from one channel, as posts of ten minutes ago."""
    posted = int(time.time()) - 600
    for i, text in enumerate(texts):
        api.push_message(
            chat_id,
            text,
            forward_origin=origin_channel(-100500, "Bench News", message_id=10 * (i + 1), date=posted),
        )


def threads_cpu() -> dict[str, float]:
    """CPU seconds used so far by this process's threads, by kind: the event loop (this thread), the Bot API
    double's server threads, the SQLite connections' threads, the rest. Empty where /proc is not there."""
    names = {t.native_id: t.name for t in threading.enumerate()}
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    used: dict[str, float] = {}
    try:
        tasks = os.listdir("/proc/self/task")
    except OSError:
        return used
    for tid in tasks:
        try:
            fields = Path(f"/proc/self/task/{tid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # the thread ended meanwhile
            continue
        name = names.get(int(tid), "")
        kind = (
            "loop"
            if int(tid) == threading.get_native_id()
            else "double"
            if name.startswith("botapi")
            else "sqlite"
            if "connection_worker" in name
            else "other"
        )
        used[kind] = used.get(kind, 0.0) + (int(fields[11]) + int(fields[12])) / tick
    return used


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


async def ingest_throughput(texts: list[str], workers: int) -> dict[str, float]:
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for mode in ("sequential", "concurrent"):
            db = await Database.open(Path(tmp) / f"{mode}.db")
            analyzer = Analyzer(workers=workers)
            services = Services(Repository(db), analyzer)
            await analyzer.analyze("Warm the workers up. Nothing else.", None)
            started = time.perf_counter()
            if mode == "sequential":
                for text in texts:
                    await ingest(services, 1, IncomingArticle(text, Source("pasted")))
            else:
                await asyncio.gather(*(ingest(services, 1, IncomingArticle(t, Source("pasted"))) for t in texts))
            took = time.perf_counter() - started
            results[f"{mode}_articles_per_s"] = len(texts) / took
            analyzer.shutdown()
            await db.close()
    return results


async def help_latency(texts: list[str], workers: int, probes: int = PROBES) -> dict[str, float]:
    help_chat, article_chat = 9001, 9002
    with tempfile.TemporaryDirectory() as tmp, BotApiDouble() as api:
        config = Config(token=api.token, api_url=api.url, db_path=Path(tmp) / "bench.db", workers=workers)
        app = build_application(config)
        async with running(app, polling=True):
            await app.bot_data.services.analyzer.analyze("Warm the workers up. Nothing else.", None)  # type: ignore[union-attr]

            async def probe_series(n: int, until: Callable[[], bool] = lambda: True) -> Probes:
                latencies = Probes()
                while len(latencies) < n or not until():
                    _, logged = api.requests_since(0)  # the reply comes after every request logged so far
                    queued = time.time()
                    asked = api.push_command(help_chat, "/help").message_id
                    # The request that answered this very command (by chat and by the message it replies to),
                    # once the double has recorded it with Telegram's answer.
                    reply = await api.wait_until(ReplyWatch(api, help_chat, asked, logged), timeout=60)
                    latencies.add(reply, queued)
                    await asyncio.sleep(0.05)
                return latencies

            idle = await probe_series(probes)
            # The event loop's thread is this one: its CPU time from the first post to the last card is the work
            # the burst put on the loop (with the bench's own waits, a small part: see the README).
            loop_cpu_before, burst_began = time.thread_time(), time.perf_counter()
            threads_before = threads_cpu()
            forward_burst(api, article_chat, texts)
            busy = await probe_series(probes, until=lambda: api.bot_message_count(article_chat) >= len(texts))
            load = os.getloadavg()[0]  # the machine's load over the last minute, when the busy probes ended
            loop_cpu, burst = time.thread_time() - loop_cpu_before, time.perf_counter() - burst_began
            threads = {kind: used - threads_before.get(kind, 0.0) for kind, used in threads_cpu().items()}
    return latency_figures(idle, busy, load, loop_cpu, burst) | {
        "double_cpu_s": threads.get("double", float("nan")),
        "sqlite_cpu_s": threads.get("sqlite", float("nan")),
    }


class Probes:
    """Each probe's latency, from the command queued at the double to its reply arriving there (the moment
    Telegram has it), and to the double having answered it (its own handling of the reply included, which in
    production is Telegram's work, here done in the bench's process while the burst's cards arrive too)."""

    def __init__(self) -> None:
        self.arrived: list[float] = []
        self.answered: list[float] = []

    def __len__(self) -> int:
        return len(self.arrived)

    def add(self, reply: RequestRecord, queued: float) -> None:
        self.arrived.append(((reply.arrived_at or reply.at) - queued) * 1000)
        self.answered.append((reply.at - queued) * 1000)


def latency_figures(
    idle_probes: Probes, busy_probes: Probes, load: float, loop_cpu: float, burst: float
) -> dict[str, float]:
    idle, busy = idle_probes.arrived, busy_probes.arrived
    return {
        "idle_p50_answered_ms": statistics.median(idle_probes.answered),
        "idle_p99_answered_ms": percentile(idle_probes.answered, 0.99),
        "busy_p50_answered_ms": statistics.median(busy_probes.answered),
        "busy_p99_answered_ms": percentile(busy_probes.answered, 0.99),
        "idle_p50_ms": statistics.median(idle),
        "idle_p99_ms": percentile(idle, 0.99),
        "busy_p50_ms": statistics.median(busy),
        "busy_p99_ms": percentile(busy, 0.99),
        # Sent right after the burst: in polling Telegram hands the 200 posts over first; a webhook delivers
        # other chats' updates beside them.
        "busy_first_ms": busy[0],
        "busy_slowest_ms": max(busy),
        "busy_p99_after_first_ms": percentile(busy[1:], 0.99),
        "busy_over_idle_p50": statistics.median(busy) / statistics.median(idle),
        "idle_probes": float(len(idle)),
        "busy_probes": float(len(busy)),
        "load_average": load,
        "loop_cpu_s": loop_cpu,
        "burst_s": burst,
    }


@contextmanager
def double_without_collections() -> Iterator[None]:
    """No garbage collection in this process while probes are timed. The Bot API double, Telegram's stand-in,
    runs here and keeps a log of every request: a full collection of it paused the double for 15–40 ms, and a
    probe caught in one measured that pause, not the bot. (The bot's own process collects as it always does.)"""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def process_cpu(pid: int) -> tuple[float, float]:
    """CPU seconds used so far by a process's main thread (its event loop) and by the whole process."""
    tick = os.sysconf("SC_CLK_TCK")

    def used(stat: Path) -> float:
        fields = stat.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick

    return used(Path(f"/proc/{pid}/task/{pid}/stat")), used(Path(f"/proc/{pid}/stat"))


def help_latency_own_process(
    texts: list[str], workers: int, probes: int = PROBES, *, webhook: bool = False
) -> dict[str, float]:
    """The same measure with the bot in a process of its own, as it is deployed (`python -m bot run`), polling
    the Bot API double that runs here: the double's work (Telegram's, in production) does not share the bot's
    interpreter, and nothing of the bench runs on the bot's event loop. With `webhook`, the double delivers to
    the bot's webhook as Telegram's Bot API server does: each chat's updates in order, different chats' at once."""
    help_chat, article_chat, warm_chat = 9001, 9002, 9003
    with tempfile.TemporaryDirectory() as tmp, BotApiDouble(parallel_webhooks=webhook) as api:
        folder = Path(tmp)
        env = {"PRECIS_WORKERS": str(workers), "PRECIS_SERIES_WAIT": "2", "PRECIS_LOG_LEVEL": "WARNING"}
        if webhook:
            env |= webhook_settings()
        bot = BotProcess(api, folder / "bench.db", folder / "bot.log", env)
        try:
            # Started, and its analysis worker warm: a first article answered.
            api.push_message(warm_chat, "Warm the workers up. The council met on Tuesday and nothing else happened.")
            wait_for(api, lambda: api.bot_message_count(warm_chat) >= 1, "the warm-up card", 120.0, bot)

            def probe_series(n: int, until: Callable[[], bool] = lambda: True) -> Probes:
                latencies = Probes()
                while len(latencies) < n or not until():
                    _, logged = api.requests_since(0)  # the reply comes after every request logged so far
                    queued = time.time()
                    asked = api.push_command(help_chat, "/help").message_id
                    reply = wait_for(api, ReplyWatch(api, help_chat, asked, logged), "the reply", 60.0, bot)
                    latencies.add(reply, queued)
                    time.sleep(0.05)
                return latencies

            with double_without_collections():
                idle = probe_series(probes)
                (loop_before, process_before), burst_began = process_cpu(bot.pid), time.perf_counter()
                forward_burst(api, article_chat, texts)
                busy = probe_series(probes, until=lambda: api.bot_message_count(article_chat) >= len(texts))
            load = os.getloadavg()[0]
            loop_after, process_after = process_cpu(bot.pid)
            burst = time.perf_counter() - burst_began
            bot.stop()
        finally:
            bot.close()
    return latency_figures(idle, busy, load, loop_after - loop_before, burst) | {
        "bot_process_cpu_s": process_after - process_before,
    }


def run(
    data_dir: Path, articles: int = 200, workers: int = 1, *, same_process: bool = False, webhook: bool = False
) -> dict[str, Any]:
    texts = load_articles(data_dir, articles)
    return {
        "ingest": asyncio.run(ingest_throughput(texts, workers)),
        "latency": latency_run(texts, workers, same_process=same_process, webhook=webhook),
        "articles": articles,
        "workers": workers,
    }


def latency_run(texts: list[str], workers: int, *, same_process: bool, webhook: bool = False) -> dict[str, float]:
    if same_process:
        return asyncio.run(help_latency(texts, workers))
    return help_latency_own_process(texts, workers, webhook=webhook)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Ingest throughput and /help latency under load.")
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--runs", type=int, default=1, help="latency runs (the ingest figures are measured once)")
    parser.add_argument(
        "--same-process",
        action="store_true",
        help="run the bot inside the bench's process, beside the Bot API double (the measure before the bot had "
        "a process of its own here)",
    )
    parser.add_argument(
        "--webhook",
        action="store_true",
        help="the bot takes its updates on a webhook, delivered as Telegram delivers them (each chat's in order, "
        "chats side by side), instead of polling",
    )
    args = parser.parse_args(argv)
    if args.webhook and args.same_process:
        parser.error("--webhook runs the bot in a process of its own: not with --same-process")
    figures = run(args.data, args.articles, args.workers, same_process=args.same_process, webhook=args.webhook)
    texts = load_articles(args.data, args.articles)
    extra = [
        latency_run(texts, args.workers, same_process=args.same_process, webhook=args.webhook)
        for _ in range(args.runs - 1)
    ]
    ingest_figures, latency = figures["ingest"], figures["latency"]
    print(f"ingest ({args.articles} BBC articles, {args.workers} analysis worker(s), full analysis + SQLite)")
    print(f"  one at a time    {ingest_figures['sequential_articles_per_s']:8.1f} articles/s")
    print(f"  all in flight    {ingest_figures['concurrent_articles_per_s']:8.1f} articles/s")
    mode = "a webhook" if args.webhook else "polling"
    print(f"/help latency through the Bot API double, {mode} ({args.articles} articles forwarded during the busy run)")
    print(
        f"  idle             p50 {latency['idle_p50_ms']:7.1f} ms   p99 {latency['idle_p99_ms']:7.1f} ms   "
        f"({latency['idle_probes']:.0f} probes)"
    )
    print(
        f"  busy             p50 {latency['busy_p50_ms']:7.1f} ms   p99 {latency['busy_p99_ms']:7.1f} ms   "
        f"({latency['busy_probes']:.0f} probes, from the first post until the last card)"
    )
    print(
        f"  of which         the first probe, sent right after the burst, {latency['busy_first_ms']:.1f} ms; "
        f"p99 of the others {latency['busy_p99_after_first_ms']:.1f} ms; "
        f"the slowest {latency['busy_slowest_ms']:.1f} ms"
    )
    print(
        f"  busy / idle      p50 {latency['busy_over_idle_p50']:.2f}×  p99 {_p99_ratio(latency):.2f}×   "
        f"{_verdict(latency)}"
    )
    print(
        f"  to the double's answer (its own handling included): idle p50 {latency['idle_p50_answered_ms']:.1f} / "
        f"p99 {latency['idle_p99_answered_ms']:.1f} ms, busy p50 {latency['busy_p50_answered_ms']:.1f} / "
        f"p99 {latency['busy_p99_answered_ms']:.1f} ms"
    )
    print(f"  load average     {latency['load_average']:.1f} (1 min, {os.cpu_count()} CPUs)")
    print(
        f"  event loop CPU   {latency['loop_cpu_s']:.2f} s from the first post to the last card "
        f"({1000 * latency['loop_cpu_s'] / args.articles:.1f} ms per article; "
        f"the burst took {latency['burst_s']:.1f} s)"
    )
    print(f"  beside it        {_beside(latency)}")
    if extra:
        print(f"/help latency, {args.runs} runs (idle p50 / p99, busy p50 / p99, busy/idle p50 and p99)")
        for n, each in enumerate([latency, *extra], start=1):
            print(
                f"  run {n}  idle {each['idle_p50_ms']:6.1f} / {each['idle_p99_ms']:6.1f} ms   "
                f"busy {each['busy_p50_ms']:6.1f} / {each['busy_p99_ms']:6.1f} ms   "
                f"{each['busy_over_idle_p50']:.2f}× / {_p99_ratio(each):.2f}×   "
                f"{_verdict(each)}   {each['busy_probes']:.0f} busy probes   "
                f"first {each['busy_first_ms']:5.1f}, others' p99 {each['busy_p99_after_first_ms']:5.1f}, "
                f"slowest {each['busy_slowest_ms']:5.1f} ms   "
                f"load {each['load_average']:.1f}   "
                f"loop CPU {each['loop_cpu_s']:.2f} s, {_beside(each, short=True)}"
            )
    return 0


def _beside(latency: dict[str, float], *, short: bool = False) -> str:
    if "bot_process_cpu_s" in latency:  # the bot in a process of its own
        if short:
            return f"bot process {latency['bot_process_cpu_s']:.2f} s"
        return f"the bot's whole process (its database threads included) {latency['bot_process_cpu_s']:.2f} s"
    if short:
        return f"double {latency['double_cpu_s']:.2f} s"
    return (
        f"the Bot API double's threads {latency['double_cpu_s']:.2f} s, SQLite's threads "
        f"{latency['sqlite_cpu_s']:.2f} s (the double runs in the bench's process)"
    )


def _p99_ratio(latency: dict[str, float]) -> float:
    return latency["busy_p99_ms"] / latency["idle_p99_ms"]


def _verdict(latency: dict[str, float]) -> str:
    """Whether a run meets the aim for replies under load: busy p50 within 1.5× idle, busy p99 within 3×."""
    met = latency["busy_over_idle_p50"] <= 1.5 and _p99_ratio(latency) <= 3.0
    return "within the aim" if met else "MISSES the aim"


if __name__ == "__main__":
    sys.exit(main())
