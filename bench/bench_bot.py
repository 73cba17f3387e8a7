"""Ingest throughput and reply latency of the whole bot.

1. Ingest: articles/s through the real path (store raw, analyse in the worker pool — clean, split, summarise,
   quotes, dates — store the results) on a fresh SQLite file, one article at a time and with every article in
   flight at once.
2. Latency: the real application polling the Bot API double on 127.0.0.1; `/help` answered while idle and
   while 200 articles are being forwarded to it. Latency is from the moment the update is queued at the double
   to the moment the double receives the reply, both on the double's clock.

    python -m bench.bench_bot --data ../shared/data [--articles 200] [--workers 1]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bot.app import build_application, running
from bot.config import Config
from storage.db import Database
from storage.repository import Repository, Source
from tests.botapi import BotApiDouble, origin_channel
from usecases.ingest import IncomingArticle, ingest
from usecases.services import Analyzer, Services


def load_articles(data_dir: Path, limit: int) -> list[str]:
    folder = data_dir / "bbc-news-summary-politics" / "articles"
    files = sorted(folder.glob("*.txt"))
    if not files:
        raise SystemExit(f"no articles in {folder}")
    texts = [f.read_text(encoding="latin-1") for f in files]
    # Repeat with a marker when more articles are asked for than the set has, so none is a duplicate.
    return [texts[i % len(texts)] + ("" if i < len(texts) else f"\n\nCopy {i}.") for i in range(limit)]


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


async def help_latency(texts: list[str], workers: int, probes: int = 40) -> dict[str, float]:
    help_chat, article_chat = 9001, 9002
    with tempfile.TemporaryDirectory() as tmp, BotApiDouble() as api:
        config = Config(token=api.token, api_url=api.url, db_path=Path(tmp) / "bench.db", workers=workers)
        app = build_application(config)
        async with running(app, polling=True):
            await app.bot_data.services.analyzer.analyze("Warm the workers up. Nothing else.", None)  # type: ignore[union-attr]

            async def probe_series(n: int) -> list[float]:
                latencies = []
                for _ in range(n):
                    before = len(api.bot_messages(help_chat))
                    queued = time.time()
                    api.push_command(help_chat, "/help")
                    await api.wait_until(lambda b=before: len(api.bot_messages(help_chat)) > b, timeout=60)
                    reply = [r for r in api.requests("sendMessage") if str(r.params.get("chat_id")) == str(help_chat)]
                    latencies.append((reply[-1].at - queued) * 1000)
                    await asyncio.sleep(0.05)
                return latencies

            idle = await probe_series(probes)
            posted = int(time.time()) - 600
            for i, text in enumerate(texts):
                api.push_message(
                    article_chat,
                    text,
                    forward_origin=origin_channel(-100500, "Bench News", message_id=10 * (i + 1), date=posted),
                )
            busy = await probe_series(probes)
            cards_done = len(api.bot_messages(article_chat))
            await api.wait_until(lambda: len(api.bot_messages(article_chat)) >= len(texts), timeout=600)
    return {
        "idle_p50_ms": statistics.median(idle),
        "idle_p99_ms": percentile(idle, 0.99),
        "busy_p50_ms": statistics.median(busy),
        "busy_p99_ms": percentile(busy, 0.99),
        "busy_over_idle_p50": statistics.median(busy) / statistics.median(idle),
        "cards_answered_during_probes": float(cards_done),
    }


def run(data_dir: Path, articles: int = 200, workers: int = 1) -> dict[str, Any]:
    texts = load_articles(data_dir, articles)
    return {
        "ingest": asyncio.run(ingest_throughput(texts, workers)),
        "latency": asyncio.run(help_latency(texts, workers)),
        "articles": articles,
        "workers": workers,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Ingest throughput and /help latency under load.")
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)
    figures = run(args.data, args.articles, args.workers)
    ingest_figures, latency = figures["ingest"], figures["latency"]
    print(f"ingest ({args.articles} BBC articles, {args.workers} analysis worker(s), full analysis + SQLite)")
    print(f"  one at a time    {ingest_figures['sequential_articles_per_s']:8.1f} articles/s")
    print(f"  all in flight    {ingest_figures['concurrent_articles_per_s']:8.1f} articles/s")
    print(f"/help latency through the Bot API double ({args.articles} articles forwarded during the busy run)")
    print(f"  idle             p50 {latency['idle_p50_ms']:7.1f} ms   p99 {latency['idle_p99_ms']:7.1f} ms")
    print(f"  busy             p50 {latency['busy_p50_ms']:7.1f} ms   p99 {latency['busy_p99_ms']:7.1f} ms")
    print(f"  busy / idle p50  {latency['busy_over_idle_p50']:.2f}×  (goal: under 2×)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
