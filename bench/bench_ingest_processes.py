"""Ingest throughput with several bot processes on one PostgreSQL database, beside one process on SQLite.

    python -m bench.bench_ingest_processes --data ../shared/data [--articles 400] [--postgres URL]

Each process is a separate Python process with its own services, as a bot process is: it opens the database,
warms its analysis worker (one per process), waits for the others, then ingests its share of the articles through
the real path (store raw, analyse in the worker, store the results), every article of its share in flight at
once. The articles go to 16 chats. Throughput is all articles over the time from the common start to the last
process's end; efficiency is throughput over (processes × one process's throughput on PostgreSQL). The ceiling
on a machine is its cores: each process analyses on one of them. The machine's cores and its load average (1
minute, before and after each run) are printed beside the figures: on a shared machine they say how much of it
the run had.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.bench_bot import load_articles
from bench.bench_postgres import postgres_server

CHATS = 16


def _process(target: str, texts: list[str], offset: int, ready: Any, go: Any, done: Any) -> None:
    asyncio.run(_ingest_share(target, texts, offset, ready, go, done))


async def _ingest_share(target: str, texts: list[str], offset: int, ready: Any, go: Any, done: Any) -> None:
    from storage.db import Database
    from storage.repository import Repository, Source
    from usecases.ingest import IncomingArticle, ingest
    from usecases.services import Analyzer, Services

    db = await Database.open(target)
    analyzer = Analyzer(workers=1)
    services = Services(Repository(db), analyzer)
    await analyzer.analyze("Warm the worker up. Nothing else.", None)
    ready.release()
    await asyncio.to_thread(go.wait)
    await asyncio.gather(
        *(
            ingest(services, 1000 + (offset + i) % CHATS, IncomingArticle(text, Source("pasted")))
            for i, text in enumerate(texts)
        )
    )
    done.put(time.time())
    analyzer.shutdown()
    await db.close()


def run(target: str, texts: list[str], processes: int) -> float:
    """Articles per second with `processes` processes ingesting `texts` into the database at `target`."""
    context = multiprocessing.get_context("spawn")
    ready, go, done = context.Semaphore(0), context.Event(), context.Queue()
    workers = [
        context.Process(target=_process, args=(target, texts[k::processes], k, ready, go, done))
        for k in range(processes)
    ]
    for worker in workers:
        worker.start()
    for _ in workers:
        ready.acquire()
    started = time.time()
    go.set()
    ends = [done.get() for _ in workers]
    for worker in workers:
        worker.join()
        if worker.exitcode != 0:
            raise SystemExit(f"an ingesting process failed (exit code {worker.exitcode})")
    return len(texts) / (max(ends) - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--postgres", help="a PostgreSQL server URL (default: a throwaway cluster)")
    args = parser.parse_args(argv)
    texts = load_articles(args.data, args.articles)
    loads: dict[str, tuple[float, float]] = {}

    def measured(name: str, target: str, processes: int) -> float:
        before = os.getloadavg()[0]
        rate = run(target, texts, processes)
        loads[name] = (before, os.getloadavg()[0])
        return rate

    with tempfile.TemporaryDirectory() as folder, postgres_server(args.postgres) as databases:
        sqlite = measured("sqlite", str(Path(folder) / "ingest.db"), 1)
        postgres = {n: measured(f"pg{n}", databases.create(), n) for n in (1, 2, 4)}
    print(
        f"ingest of {len(texts)} articles, every one in flight, {CHATS} chats, one analysis worker per process; "
        f"{os.cpu_count()} cores"
    )
    print(f"{'backend':12} {'processes':>9} {'articles/s':>11} {'efficiency':>11} {'load before → after':>21}")
    print(f"{'SQLite':12} {1:>9} {sqlite:>11.1f} {'':>11} {_load(loads['sqlite']):>21}")
    for n, rate in postgres.items():
        print(f"{'PostgreSQL':12} {n:>9} {rate:>11.1f} {rate / (n * postgres[1]):>10.0%} {_load(loads[f'pg{n}']):>21}")
    return 0


def _load(pair: tuple[float, float]) -> str:
    return f"{pair[0]:.1f} → {pair[1]:.1f}"


if __name__ == "__main__":
    raise SystemExit(main())
