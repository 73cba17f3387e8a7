"""The archive queries on PostgreSQL beside SQLite: `/quotes NAME` and `/timeline TOPIC` p50/p99.

    python -m bench.bench_postgres [--articles 100000] [--queries 100] [--postgres URL]

The archives of bench_quotes and bench_timeline are generated into SQLite as those scripts do, timed there,
moved to PostgreSQL with `precis copy`'s own code (storage.copy, checked by counts), vacuumed and analysed
(`VACUUM (ANALYZE)`, as autovacuum does within a minute of a bulk load) and timed again through the same use
case functions. PostgreSQL is `--postgres URL` (a role that may create databases), else a throwaway cluster
started from the installed server programs, as the test suite does: on the same machine, fsync off (the timed
queries only read).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench import bench_quotes, bench_timeline
from storage.copy import copy_database
from storage.db import Database


@contextlib.contextmanager
def postgres_server(url: str | None) -> Iterator[Any]:
    from tests.pgserver import Cluster, Databases, find_bindir

    if url:
        yield Databases(url, _migrate)
        return
    bindir = find_bindir()
    if bindir is None:
        raise SystemExit("no PostgreSQL: pass --postgres URL or install the server programs")
    cluster = Cluster(bindir).start()
    try:
        yield Databases(cluster.url, _migrate)
    finally:
        cluster.stop()


def _migrate(url: str) -> None:
    async def migrate() -> None:
        db = await Database.open(url)
        await db.close()

    asyncio.run(migrate())


async def move(sqlite_path: Path, url: str) -> float:
    """Copy the archive into PostgreSQL, vacuum and analyse it; returns the seconds it took.

    Timed before autovacuum has been by, a freshly copied table sets its rows' hint bits on first reading and
    has no visibility map for index-only scans: a person's time line took two to three times its steady time."""
    started = time.perf_counter()
    source, target = await Database.open(sqlite_path), await Database.open(url)
    try:
        await copy_database(source, target)
        await target.conn.execute("VACUUM (ANALYZE)")
    finally:
        await source.close()
        await target.close()
    return time.perf_counter() - started


def quotes_figures(databases: Any, articles: int, queries: int, tmp: Path) -> dict[str, Any]:
    archive = bench_quotes.build_archive(tmp / "quotes.db", articles)
    sqlite = asyncio.run(bench_quotes.measure(archive, queries))["figures"]
    url = databases.create()
    moved = asyncio.run(move(archive.path, url))
    postgres = asyncio.run(bench_quotes.measure(replace(archive, path=url), queries))["figures"]
    return {"sqlite": sqlite, "postgres": postgres, "moved_s": moved, "articles": archive.articles}


def timeline_figures(databases: Any, articles: int, queries: int, tmp: Path) -> dict[str, Any]:
    path = tmp / "timeline.db"
    asyncio.run(bench_timeline.migrate(path))
    made = bench_timeline.generate(path, articles)
    plan = bench_timeline.query_plan(made["articles"], queries)
    sqlite = asyncio.run(bench_timeline.time_queries(path, plan))
    url = databases.create()
    moved = asyncio.run(move(path, url))
    postgres = asyncio.run(bench_timeline.time_queries(url, plan))
    return {"sqlite": sqlite, "postgres": postgres, "moved_s": moved, "articles": made["articles"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=100, help="/timeline queries of each kind; /quotes: 4×")
    parser.add_argument("--postgres", help="a PostgreSQL server URL (default: a throwaway cluster)")
    parser.add_argument("--data", type=Path, help="ignored: the archives are generated (for make bench)")
    args = parser.parse_args(argv)
    print(f"{os.cpu_count()} cores; load average at the start {_load()}", flush=True)
    with tempfile.TemporaryDirectory() as folder, postgres_server(args.postgres) as databases:
        tmp = Path(folder)
        quotes = quotes_figures(databases, args.articles, 4 * args.queries, tmp)
        timeline = timeline_figures(databases, args.articles, args.queries, tmp)
    print(f"{'query':40} {'SQLite p50':>10} {'p99':>8} {'PostgreSQL p50':>15} {'p99':>8} {'p99 ratio':>9}  (ms)")
    print(f"/quotes archive: {quotes['articles']:,} articles, moved to PostgreSQL in {quotes['moved_s']:.0f} s")
    for kind, s in quotes["sqlite"].items():
        p = quotes["postgres"][kind]
        ratio = p["p99"] / s["p99"] if s["p99"] else float("nan")
        print(f"  {kind:38} {s['p50']:>10.2f} {s['p99']:>8.2f} {p['p50']:>15.2f} {p['p99']:>8.2f} {ratio:>8.2f}×")
    print(f"/timeline archive: {timeline['articles']:,} articles, moved in {timeline['moved_s']:.0f} s")
    for kind, s in timeline["sqlite"].items():
        p = timeline["postgres"][kind]
        ratio = p["p99_ms"] / s["p99_ms"] if s["p99_ms"] else float("nan")
        print(
            f"  {kind:38} {s['p50_ms']:>10.2f} {s['p99_ms']:>8.2f} {p['p50_ms']:>15.2f} {p['p99_ms']:>8.2f} "
            f"{ratio:>8.2f}×"
        )
    print(f"load average at the end {_load()}")
    return 0


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


if __name__ == "__main__":
    raise SystemExit(main())
