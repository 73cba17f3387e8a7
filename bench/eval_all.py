"""`make eval`: every quality evaluation, one after another, each printing its own table."""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

EVALUATIONS = ("eval_summary", "eval_quotes", "eval_dates", "eval_extract", "eval_russian")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--only", nargs="*", choices=EVALUATIONS, help="run only these")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"no evaluation data at {args.data}; pass --data DIR")
        return 2
    status = 0
    for name in args.only or EVALUATIONS:
        print(f"\n=== {name} " + "=" * (60 - len(name)), flush=True)
        status |= importlib.import_module(f"bench.{name}").main(["--data", str(args.data)]) or 0
    return status


if __name__ == "__main__":
    sys.exit(main())
