"""Is the test suite green, run after run, on a busy machine? Runs `make test` N times in a row while CPU
burners (busy loops, one per `--burn`) keep cores occupied, and prints each run's result and time, the load
average around it, and how many runs passed.

    python -m bench.suite_under_load [--runs 20] [--burn 1] [--stop-after SECONDS] [--log FILE]

On a 2-core machine `--burn 1` leaves the suite one free core. `--stop-after` ends the series after the run
that crosses that many seconds (the runs done are reported). The load average includes whatever else the
machine runs at the time: read it beside the times.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _burn() -> None:
    while True:
        pass


def _load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="make test N times in a row with CPU burners running.")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--burn", type=int, default=1, help="busy-loop processes to run beside the suite")
    parser.add_argument("--stop-after", type=float, default=None, help="start no run after this many seconds")
    parser.add_argument("--log", type=Path, default=None, help="keep the output of failed runs here")
    args = parser.parse_args(argv)

    burners = [multiprocessing.Process(target=_burn, daemon=True) for _ in range(args.burn)]
    for burner in burners:
        burner.start()
    results: list[tuple[bool, float]] = []
    began = time.monotonic()
    try:
        print(f"{args.runs} runs of make test, {args.burn} CPU burner(s), {os.cpu_count()} cores", flush=True)
        for n in range(1, args.runs + 1):
            if args.stop_after is not None and time.monotonic() - began > args.stop_after:
                print(f"stopped after {n - 1} runs: --stop-after {args.stop_after:.0f} s", flush=True)
                break
            load_before = _load()
            start = time.monotonic()
            done = subprocess.run(["make", "test"], cwd=ROOT, capture_output=True, text=True)
            seconds = time.monotonic() - start
            passed = done.returncode == 0
            results.append((passed, seconds))
            summary = (done.stdout.strip().splitlines() or [""])[-1]
            print(
                f"run {n:2d}: {'PASS' if passed else 'FAIL'} {seconds:6.1f} s  "
                f"load {load_before} -> {_load()}  {summary}",
                flush=True,
            )
            if not passed and args.log is not None:
                with args.log.open("a", encoding="utf-8") as log:
                    log.write(f"===== run {n}\n{done.stdout[-20000:]}\n{done.stderr[-5000:]}\n")
    finally:
        for burner in burners:
            burner.terminate()
            burner.join()
    if not results:
        return 1
    times = [s for _, s in results]
    passed = sum(ok for ok, _ in results)
    print(
        f"passed {passed} of {len(results)}; time min {min(times):.1f} s, median {statistics.median(times):.1f} s, "
        f"max {max(times):.1f} s"
    )
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
