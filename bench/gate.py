"""The quality gate: run every evaluation and fail when a score falls below its committed floor.

Floors live in `bench/floors.toml`, one table per evaluation module, keyed by the dotted path of a figure in
the dict that module's `evaluate(data_dir)` returns. Raise a floor when a change lifts a score for good;
never lower one to make a change pass without saying why in the commit.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

FLOORS = Path(__file__).with_name("floors.toml")


def flatten(tree: Any, prefix: str = "") -> dict[str, float]:
    flat: dict[str, float] = {}
    if isinstance(tree, dict):
        for key, value in tree.items():
            flat.update(flatten(value, f"{prefix}{key}."))
    elif isinstance(tree, int | float):  # bools too: a passed check counts 1.0
        flat[prefix.rstrip(".")] = float(tree)
    return flat


def run_gate(data_dir: Path, floors: dict[str, dict[str, float]]) -> list[str]:
    failures: list[str] = []
    for module_name, module_floors in floors.items():
        module = importlib.import_module(f"bench.{module_name}")
        started = time.perf_counter()
        figures = flatten(module.evaluate(data_dir))
        took = time.perf_counter() - started
        print(f"\n{module_name} ({took:.0f} s)")
        for key, floor in module_floors.items():
            value = figures.get(key)
            if value is None:
                verdict = "MISSING"
                failures.append(f"{module_name}: {key} was not reported")
            elif value + 1e-9 < floor:
                verdict = "BELOW"
                failures.append(f"{module_name}: {key} = {value:.4g} is below its floor {floor:.4g}")
            else:
                verdict = "ok"
            shown = "—" if value is None else f"{value:.4g}"
            print(f"  {verdict:8} {key:50} {shown:>10}  floor {floor:.4g}")
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--floors", type=Path, default=FLOORS)
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"no evaluation data at {args.data}: nothing to gate")
        return 0
    floors = tomllib.loads(args.floors.read_text(encoding="utf-8"))
    failures = run_gate(args.data, floors)
    if failures:
        print("\nquality gate FAILED:\n  " + "\n  ".join(failures))
        return 1
    print("\nquality gate passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
