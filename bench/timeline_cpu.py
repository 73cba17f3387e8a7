"""`/timeline TOPIC` and PERSON on both backends, this code beside another revision's, wall and CPU time per query.

    python -m bench.timeline_cpu --against REV [--articles 100000] [--queries 50] [--rounds 2] [--keep DIR]
                                 [--postgres URL]

The time line benchmark's archive (bench_timeline.generate) is built once in SQLite (kept in `--keep DIR` for the
next run) and moved to PostgreSQL as bench_postgres moves it (a throwaway cluster unless `--postgres URL`). Then,
round after round, each backend is timed by a fresh process per code: REV's (`git archive` into a temporary
folder), this one's, and this one's with its heap settled as its bot settles it (bot.compose.settle_heap), in
turns, the order reversed every round, so that every code meets the same machine load. Each process reads the
catalogues, runs one query that is not timed, then times bench_timeline's query plan: wall time, the process's
CPU time, and that CPU time less what the cyclic garbage collector took (the p99 of a query that makes a few
thousand objects is mostly a full collection landing on it). The figures are the medians over the rounds of
each process's p50 and p99. On a machine others share, the CPU columns say more than the wall ones.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent.parent
PACKAGES = ("analysis", "bench", "bot", "fetch", "handlers", "storage", "usecases", "views")
BACKENDS = ("sqlite", "postgresql")


# ---- one process: one code, one backend ----


def _percentiles(samples: list[float]) -> list[float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return [round(statistics.median(ordered) * 1000, 2), round(p99 * 1000, 2)]


async def _time(target: str, queries: int, settle: bool) -> dict[str, Any]:
    # Imported here: from the tree the worker runs in (this one's or REV's).
    from concurrent.futures import ThreadPoolExecutor

    from bench.bench_timeline import CHAT, TOPICS, query_plan
    from storage.db import Database
    from storage.repository import Repository
    from usecases.errors import UserError
    from usecases.services import Analyzer, Services
    from usecases.timeline import timeline_for
    from views.i18n import load_catalogues
    from views.timeline import render_timeline

    collecting = {"cpu": 0.0, "since": 0.0}

    def collector(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            collecting["since"] = time.process_time()
        else:
            collecting["cpu"] += time.process_time() - collecting["since"]

    db = await Database.open(target)
    services = Services(Repository(db), Analyzer(executor=ThreadPoolExecutor(1)))
    figures: dict[str, Any] = {}
    try:
        load_catalogues()
        render_timeline(await timeline_for(services, CHAT, TOPICS[-1]), "en")
        if settle:
            gc.collect()
            gc.freeze()
        gc.callbacks.append(collector)
        for kind, texts in query_plan(100_000, queries).items():
            wall, cpu, without_gc = [], [], []
            for text in texts:
                w0, c0, g0 = time.perf_counter(), time.process_time(), collecting["cpu"]
                with contextlib.suppress(UserError):  # no match: its message is the answer
                    render_timeline(await timeline_for(services, CHAT, text), "en")
                wall.append(time.perf_counter() - w0)
                cpu.append(time.process_time() - c0)
                without_gc.append(cpu[-1] - (collecting["cpu"] - g0))
            figures[kind] = {
                "wall": _percentiles(wall),
                "cpu": _percentiles(cpu),
                "cpu_without_gc": _percentiles(without_gc),
            }
    finally:
        if collector in gc.callbacks:
            gc.callbacks.remove(collector)
        services.analyzer.shutdown()
        await db.close()
    return figures


def _worker(tree: Path, target: str, queries: int, settle: bool) -> dict[str, Any]:
    command = [sys.executable, "-P", str(Path(__file__).resolve()), "--worker", str(tree), "--target", target]
    command += ["--queries", str(queries)] + (["--settle"] if settle else [])
    done = subprocess.run(command, capture_output=True, text=True, cwd=tree, check=False)
    if done.returncode != 0:
        raise SystemExit(f"the worker failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


# ---- the comparison ----


def _archive(keep: Path, articles: int) -> Path:
    from bench import bench_timeline

    path = keep / f"timeline-{articles}.db"
    if not path.exists():
        building = path.with_suffix(".building")
        building.unlink(missing_ok=True)
        asyncio.run(bench_timeline.migrate(building))
        bench_timeline.generate(building, articles)
        building.rename(path)
    return path


def compare(args: argparse.Namespace, keep: Path) -> dict[str, dict[str, list[dict[str, Any]]]]:
    from bench.bench_postgres import move, postgres_server
    from bench.speed_quotes import unpack

    archive = _archive(keep, args.articles)
    with tempfile.TemporaryDirectory() as tmp, postgres_server(args.postgres) as databases:
        url = databases.create()
        print(f"archive moved to PostgreSQL in {asyncio.run(move(archive, url)):.0f} s", flush=True)
        other = unpack(args.against, Path(tmp), PACKAGES)
        codes = {args.against: (other, False), "this": (HERE, False), "this, settled": (HERE, True)}
        runs: dict[str, dict[str, list[dict[str, Any]]]] = {b: {code: [] for code in codes} for b in BACKENDS}
        for r in range(args.rounds):
            for backend in BACKENDS:
                order = list(codes) if r % 2 == 0 else list(reversed(codes))
                for code in order:
                    tree, settle = codes[code]
                    target = str(archive) if backend == "sqlite" else url
                    runs[backend][code].append(_worker(tree, target, args.queries, settle))
            print(f"round {r + 1}: load average {_load()}", flush=True)
    return runs


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", help="the git revision whose code runs beside this one")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=50, help="queries of each kind, per process")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="keep the generated SQLite archive here for the next run")
    parser.add_argument("--postgres", help="a PostgreSQL server URL (default: a throwaway cluster)")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--target", help=argparse.SUPPRESS)
    parser.add_argument("--settle", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker is not None:
        sys.path.insert(0, str(args.worker))
        print(json.dumps(asyncio.run(_time(args.target, args.queries, args.settle))))
        return 0
    if not args.against:
        parser.error("--against REV is needed")
    sys.path.insert(0, str(HERE))
    print(f"{os.cpu_count()} cores; load average at the start {_load()}", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        runs = compare(args, args.keep or Path(folder))
    print(f"load average at the end {_load()}")
    print("ms, the medians over the rounds of each process's figures; CPU less GC: less what the collector took")
    print(f"{'':34} {'code':14} {'wall p50':>9} {'p99':>7}  {'CPU p50':>8} {'p99':>7} {'p99 less GC':>12}")
    for backend, by_code in runs.items():
        print(backend)
        for kind in next(iter(by_code.values()))[0]:
            for n, (code, results) in enumerate(by_code.items()):

                def median(field: str, i: int, rows: list[dict[str, Any]] = results, kind: str = kind) -> float:
                    return statistics.median(row[kind][field][i] for row in rows)

                print(
                    f"  {kind if n == 0 else '':32} {code:14} {median('wall', 0):9.1f} {median('wall', 1):7.1f}  "
                    f"{median('cpu', 0):8.1f} {median('cpu', 1):7.1f} {median('cpu_without_gc', 1):12.1f}"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
