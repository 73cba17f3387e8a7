"""`make eval` and `make bench`: run every evaluation, or every benchmark, each printing its own table.

python -m bench.suite eval --data ../shared/data [--only eval_dates ...]
python -m bench.suite bench --data ../shared/data
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

SUITES = {
    "eval": (
        "eval_summary",
        "eval_quotes",
        "eval_quotes_gold",
        "eval_dates",
        "eval_extract",
        "eval_dedupe",
        "eval_russian",
        "eval_people",
        "eval_digest_filter",
    ),
    "bench": (
        "speed_summary",
        "speed_quotes",
        "bench_bot",
        "http_client_cpu",
        "card_render_cpu",
        "bench_quotes",
        "bench_timeline",
        "bench_digest",
        "bench_feeds",
    ),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("suite", choices=sorted(SUITES))
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--only", nargs="*", help="run only these modules of the suite")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"no evaluation data at {args.data}; pass --data DIR")
        return 2
    status = 0
    for name in args.only or SUITES[args.suite]:
        print(f"\n=== {name} " + "=" * (60 - len(name)), flush=True)
        status |= importlib.import_module(f"bench.{name}").main(["--data", str(args.data)]) or 0
    return status


if __name__ == "__main__":
    sys.exit(main())
