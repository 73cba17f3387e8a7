"""Article extraction from HTML, measured on the trafilatura evaluation pages.

    python -m bench.eval_extract --data DIR [--json OUT] [--jobs N] [--brief]

DIR holds `trafilatura-eval-en/evaldata_en_ru_subset.json` and `trafilatura-eval-en/html/*.html.gz`. Every
page comes with snippets that must be in the extracted text (`with`) and snippets that must not (`without`).
Scored as trafilatura's own evaluation does: a `with` snippet found is a true positive, missing a false
negative; a `without` snippet present is a false positive, absent a true negative; a page with no extraction
counts all its `with` as missing and all its `without` as absent. Precision, recall, F1 and accuracy are
computed over the totals.

Two systems are measured on the same bytes: `ours` (`analysis.html.extract_article`) and `trafilatura`
(`trafilatura.extract` alone, default settings); a third row, trafilatura with comments left out, shows how
much of the difference that setting alone makes. `evaluate(data_dir)` returns the figures for a gate:
`result["overall"]["ours"]["f1"]` and so on.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

SUBDIR = "trafilatura-eval-en"
SYSTEMS = ("ours", "trafilatura")
# Shown in the overall table only, to tell how much of the difference is just leaving comments out.
REFERENCE = "trafilatura_no_comments"


def _ours(data: bytes, url: str) -> str | None:
    from analysis.html import extract_article

    page = extract_article(data, url)
    return page.text if page is not None else None


def _trafilatura(data: bytes, url: str) -> str | None:
    from trafilatura import extract

    result: str | None = extract(data, url=url)
    return result


def _trafilatura_no_comments(data: bytes, url: str) -> str | None:
    from trafilatura import extract

    result: str | None = extract(data, url=url, include_comments=False)
    return result


RUNNERS: dict[str, Callable[[bytes, str], str | None]] = {
    "ours": _ours,
    "trafilatura": _trafilatura,
    REFERENCE: _trafilatura_no_comments,
}


def score(text: str | None, with_: list[str], without: list[str]) -> dict[str, Any]:
    """Counts for one page and one system, with the snippets that went wrong."""
    if text is None:
        return {"tp": 0, "fn": len(with_), "fp": 0, "tn": len(without), "missing": list(with_), "present": []}
    missing = [s for s in with_ if s not in text]
    present = [s for s in without if s in text]
    return {
        "tp": len(with_) - len(missing),
        "fn": len(missing),
        "fp": len(present),
        "tn": len(without) - len(present),
        "missing": missing,
        "present": present,
    }


def totals(rows: list[dict[str, Any]]) -> dict[str, float]:
    tp = sum(r["tp"] for r in rows)
    fn = sum(r["fn"] for r in rows)
    fp = sum(r["fp"] for r in rows)
    tn = sum(r["tn"] for r in rows)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    accuracy = (tp + tn) / (tp + tn + fp + fn) if tp + tn + fp + fn else 0.0
    with_share = tp / (tp + fn) if tp + fn else 0.0
    without_share = tn / (tn + fp) if tn + fp else 0.0
    return {
        "tp": tp,
        "fn": fn,
        "fp": fp,
        "tn": tn,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "accuracy": accuracy,
        "with_found": with_share,
        "without_absent": without_share,
    }


def _load_cases(data_dir: Path) -> list[tuple[str, dict[str, Any]]]:
    base = data_dir / SUBDIR
    gold = json.loads((base / "evaldata_en_ru_subset.json").read_text(encoding="utf-8"))
    cases = []
    for url, item in gold.items():
        path = base / "html" / (item["file"] + ".gz")
        if path.is_file():
            cases.append((url, item))
    return cases


def _run_case(args: tuple[str, str, dict[str, Any]]) -> dict[str, Any]:
    base, url, item = args
    data = gzip.decompress((Path(base) / "html" / (item["file"] + ".gz")).read_bytes())
    row: dict[str, Any] = {"file": item["file"], "url": url, "lang": item.get("lang")}
    for name in (*SYSTEMS, REFERENCE):
        text = RUNNERS[name](data, url)
        row[name] = score(text, item.get("with", []), item.get("without", []))
    return row


def evaluate(data_dir: str | os.PathLike[str], jobs: int = 1) -> dict[str, Any]:
    """Per-page counts and overall figures for `ours` and `trafilatura`, and the pages where they differ."""
    data_path = Path(data_dir)
    cases = _load_cases(data_path)
    work = [(str(data_path / SUBDIR), url, item) for url, item in cases]
    if jobs > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            pages = list(pool.map(_run_case, work, chunksize=4))
    else:
        pages = [_run_case(w) for w in work]
    overall = {name: totals([p[name] for p in pages]) for name in (*SYSTEMS, REFERENCE)}
    differ = [
        p["file"]
        for p in pages
        if (p["ours"]["tp"], p["ours"]["fp"]) != (p["trafilatura"]["tp"], p["trafilatura"]["fp"])
    ]
    return {"pages": pages, "overall": overall, "differ": differ, "n_pages": len(pages)}


def _fmt_share(found: int, total: int) -> str:
    return f"{found}/{total}"


def render(result: dict[str, Any], show_pages: bool = True) -> str:
    lines: list[str] = []
    overall = result["overall"]
    lines.append(f"HTML article extraction: {result['n_pages']} pages ({SUBDIR})")
    lines.append("")
    lines.append(
        f"{'system':<24} {'with found':>10} {'without absent':>15} {'precision':>9} {'recall':>7}"
        f" {'F1':>6} {'accuracy':>8}"
    )
    for name in (*SYSTEMS, REFERENCE):
        t = overall[name]
        lines.append(
            f"{name:<24} {t['with_found']:>10.3f} {t['without_absent']:>15.3f} {t['precision']:>9.3f}"
            f" {t['recall']:>7.3f} {t['f1']:>6.3f} {t['accuracy']:>8.3f}"
        )
    pages = {p["file"]: p for p in result["pages"]}

    def cells(p: dict[str, Any]) -> str:
        out = []
        for system in SYSTEMS:
            s = p[system]
            found = _fmt_share(s["tp"], s["tp"] + s["fn"])
            absent = _fmt_share(s["tn"], s["tn"] + s["fp"])
            out.append(f"{system} {found:>5} {absent:>5}")
        return "   ".join(out)

    if show_pages:
        lines.append("")
        lines.append("per page: with found, without absent")
        for p in result["pages"]:
            lines.append(f"  {p['file'][:55]:<55} {cells(p)}")
    lines.append("")
    lines.append(f"pages where they differ ({len(result['differ'])}): with found, without absent")
    for name in result["differ"]:
        p = pages[name]
        lines.append(f"  {name[:55]:<55} {cells(p)}")
        for system in SYSTEMS:
            s = p[system]
            for snippet in s["missing"]:
                lines.append(f"      {system} misses: {snippet[:90]!r}")
            for snippet in s["present"]:
                lines.append(f"      {system} keeps:  {snippet[:90]!r}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    default_data = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
    parser = argparse.ArgumentParser(prog="python -m bench.eval_extract", description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(default_data), help="data folder (default: ../shared/data)")
    parser.add_argument("--json", dest="json_out", help="write the full result as JSON here")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    parser.add_argument("--brief", action="store_true", help="leave out the per-page table")
    args = parser.parse_args(argv)
    if not (Path(args.data) / SUBDIR / "evaldata_en_ru_subset.json").is_file():
        print(f"no {SUBDIR}/evaldata_en_ru_subset.json under {args.data}", file=sys.stderr)
        return 2
    result = evaluate(args.data, jobs=max(1, args.jobs))
    print(render(result, show_pages=not args.brief))
    if args.json_out:
        Path(args.json_out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json_out).write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
