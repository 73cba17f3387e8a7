"""Speed of quote extraction: CPU and wall milliseconds per article, this engine beside an earlier commit's.

    python -m bench.speed_quotes --data DIR [--against REV] [--rounds 5] [--corpora polnear,ru,bbc]
    python -m bench.speed_quotes --data DIR --dump OUT | --check OUT

Corpora: PolNeAR dev (raw text, as `eval_quotes` reads it), the Russian channel posts of at least 200
characters (`telegram-news-ru`) and the BBC politics articles, the last two through the bot's own path (the
headline taken off, the text cleaned). Only `extract_quotes` is timed; the sentences it is given are split
beforehand, by the splitter of the engine's own tree.

Each engine runs in a fresh interpreter per round that imports `analysis` from its own tree: this checkout's,
and with `--against REV` the `analysis/` of that commit, unpacked with `git archive` into a temporary folder
(`analysis` imports nothing of the project but itself). A round runs each engine once, in alternating order,
after a warm-up on the first articles of each corpus (lexicons loaded); the figure is the median over rounds.
CPU time (`time.process_time`) is what the engine costs; wall time also counts whatever else the machine
was doing, so on a shared machine only CPU time compares two runs. Both engines get the same cleaned text; an
engine without the `title` parameter is called without the headline.

`--dump OUT` writes this engine's full output (every quote and person, every field) on the three corpora, one
JSON line per article; `--check OUT` computes it again and says whether it is byte-identical, for changes that
must not change any output.

Only the standard library is imported at the top: the same file is the worker that runs inside the other tree.
"""

from __future__ import annotations

import argparse
import dataclasses
import inspect
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parents[1]  # the checkout this file belongs to
RU_MIN_CHARS = 200
WARM_UP = 10  # articles of each corpus run before timing: lexicons and compiled patterns loaded
CORPORA = ("polnear", "ru", "bbc")
LANGS = {"polnear": "en", "ru": "ru", "bbc": "en"}


def load_inputs(data_dir: Path, corpora: tuple[str, ...] = CORPORA) -> dict[str, list[tuple[str, str, str | None]]]:
    """Per corpus, its articles as (name, text, headline) the engine is given."""
    from analysis.pipeline import headline

    out: dict[str, list[tuple[str, str, str | None]]] = {}
    if "polnear" in corpora:
        from bench.eval_quotes import load_corpus

        out["polnear"] = [(name, text, None) for name, text, _ in load_corpus(data_dir, "dev")]
    if "ru" in corpora:
        root = data_dir / "telegram-news-ru" / "data" / "raw"
        posts: list[tuple[str, str, str | None]] = []
        for path in sorted(root.glob("*_messages.json")):
            for post in json.loads(path.read_text(encoding="utf-8")):
                text = post.get("text")
                if isinstance(text, str) and len(text) >= RU_MIN_CHARS:
                    cleaned = headline(text)
                    posts.append((f"{post['channel']}/{post['message_id']}", cleaned.text, cleaned.title))
        out["ru"] = posts
    if "bbc" in corpora:
        articles: list[tuple[str, str, str | None]] = []
        for path in sorted((data_dir / "bbc-news-summary-politics" / "articles").glob("*.txt")):
            cleaned = headline(path.read_text(encoding="latin-1"))
            articles.append((path.stem, cleaned.text, cleaned.title))
        out["bbc"] = articles
    return out


# ---- the worker: runs in a fresh interpreter with `analysis` imported from the given tree ----


def _engine(tree: Path) -> tuple[Any, Any, bool]:
    sys.path.insert(0, str(tree))
    import analysis

    found = Path(analysis.__file__).resolve()
    if not found.is_relative_to(tree.resolve()):
        raise SystemExit(f"analysis imported from {found}, not from {tree}")
    from analysis.quotes import extract_quotes
    from analysis.sentences import split_sentences

    takes_title = "title" in inspect.signature(extract_quotes).parameters
    return extract_quotes, split_sentences, takes_title


def _work(tree: Path, inputs: Path) -> dict[str, Any]:
    extract_quotes, split_sentences, takes_title = _engine(tree)
    corpora = json.loads(inputs.read_text(encoding="utf-8"))
    prepared = {
        name: [(text, title, split_sentences(text, LANGS[name])) for _, text, title in docs]
        for name, docs in corpora.items()
    }

    def run(name: str, docs: list[tuple[str, str | None, Any]]) -> tuple[float, float]:
        cpu = wall = 0.0
        for text, title, sentences in docs:
            extra = {"title": title} if takes_title else {}
            c0, w0 = time.process_time(), time.perf_counter()
            extract_quotes(text, sentences, LANGS[name], **extra)
            cpu += time.process_time() - c0
            wall += time.perf_counter() - w0
        return cpu, wall

    for name, docs in prepared.items():
        run(name, docs[:WARM_UP])
    out: dict[str, Any] = {}
    for name, docs in prepared.items():
        cpu, wall = run(name, docs)
        out[name] = {"articles": len(docs), "cpu_ms": 1000 * cpu / len(docs), "wall_ms": 1000 * wall / len(docs)}
    return out


# ---- the parent: prepares inputs, unpacks the other tree, runs rounds ----


def unpack(rev: str, into: Path, paths: tuple[str, ...] = ("analysis",)) -> Path:
    """`paths` (the engine, `analysis/`, unless told) as they were at `rev`, unpacked into `into`."""
    archive = subprocess.run(
        ["git", "-C", str(HERE), "archive", "--format=tar", rev, *paths], check=True, capture_output=True
    ).stdout
    tar_path = into / "engine.tar"
    tar_path.write_bytes(archive)
    with tarfile.open(tar_path) as tar:
        tar.extractall(into, filter="data")
    return into


def _worker(tree: Path, inputs: Path) -> dict[str, Any]:
    done = subprocess.run(
        # -P: the script's own folder is not put on the path, so nothing in it can stand for a module
        [sys.executable, "-P", str(Path(__file__).resolve()), "--worker", str(tree), "--inputs", str(inputs)],
        check=True,
        capture_output=True,
        text=True,
        cwd=tree,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def compare(
    data_dir: Path, against: str | None, rounds: int, corpora: tuple[str, ...]
) -> dict[str, dict[str, dict[str, float]]]:
    """Per engine ("this", and REV), per corpus: median CPU and wall ms per article, and the CPU range."""
    with tempfile.TemporaryDirectory() as tmp:
        inputs = Path(tmp) / "inputs.json"
        inputs.write_text(json.dumps(load_inputs(data_dir, corpora)), encoding="utf-8")
        trees = {"this": HERE}
        if against:
            other = Path(tmp) / "other"
            other.mkdir()
            trees[against] = unpack(against, other)
        runs: dict[str, list[dict[str, Any]]] = {engine: [] for engine in trees}
        for r in range(rounds):
            order = list(trees) if r % 2 == 0 else list(reversed(trees))
            for engine in order:
                runs[engine].append(_worker(trees[engine], inputs))
    figures: dict[str, dict[str, dict[str, float]]] = {}
    for engine, results in runs.items():
        figures[engine] = {}
        for name in corpora:
            cpu = [r[name]["cpu_ms"] for r in results]
            wall = [r[name]["wall_ms"] for r in results]
            figures[engine][name] = {
                "articles": results[0][name]["articles"],
                "cpu_ms": statistics.median(cpu),
                "cpu_min": min(cpu),
                "cpu_max": max(cpu),
                "wall_ms": statistics.median(wall),
            }
    return figures


# ---- the output dump, for changes that must not change any output ----


def dump_lines(data_dir: Path) -> list[str]:
    """This engine's full output on every corpus, one JSON line per article."""
    from analysis.quotes import extract_quotes
    from analysis.sentences import split_sentences

    lines = []
    for name, docs in load_inputs(data_dir).items():
        for doc, text, title in docs:
            quotes, people = extract_quotes(text, split_sentences(text, LANGS[name]), LANGS[name], title=title)
            row = {
                "corpus": name,
                "doc": doc,
                "quotes": [dataclasses.asdict(q) for q in quotes],
                "people": [dataclasses.asdict(p) for p in people],
            }
            lines.append(json.dumps(row, ensure_ascii=False, sort_keys=True))
    return lines


def check(data_dir: Path, reference: Path) -> list[str]:
    """The articles whose output differs from the dump in `reference` (empty: byte-identical)."""
    before = reference.read_text(encoding="utf-8").splitlines()
    after = dump_lines(data_dir)
    if len(before) != len(after):
        return [f"{len(before)} articles in the dump, {len(after)} now"]
    return [json.loads(b)["corpus"] + "/" + json.loads(b)["doc"] for b, a in zip(before, after, strict=True) if a != b]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--against", help="a git revision whose engine runs beside this one")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--corpora", default="polnear,ru", help=f"comma-separated, of {', '.join(CORPORA)}")
    parser.add_argument("--dump", type=Path, help="write this engine's full output here and stop")
    parser.add_argument("--check", type=Path, help="compare this engine's output with a dump and stop")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--inputs", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(_work(args.worker, args.inputs)))
        return 0
    if args.dump:
        lines = dump_lines(args.data)
        args.dump.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{len(lines)} articles' output written to {args.dump}")
        return 0
    if args.check:
        differing = check(args.data, args.check)
        print("output byte-identical" if not differing else f"output differs: {len(differing)} articles")
        for doc in differing[:20]:
            print(f"  {doc}")
        return 1 if differing else 0
    corpora = tuple(c for c in args.corpora.split(",") if c)
    figures = compare(args.data, args.against, args.rounds, corpora)
    print(f"quote extraction, median of {args.rounds} rounds (ms per article; CPU min–max over rounds):")
    print(f"{'engine':12} {'corpus':8} {'articles':>8} {'CPU ms':>8} {'min–max':>13} {'wall ms':>8}")
    for engine, per_corpus in figures.items():
        for name, f in per_corpus.items():
            spread = f"{f['cpu_min']:.2f}–{f['cpu_max']:.2f}"
            print(f"{engine[:12]:12} {name:8} {f['articles']:>8} {f['cpu_ms']:>8.2f} {spread:>13} {f['wall_ms']:>8.2f}")
    if args.against:
        for name in corpora:
            ratio = figures["this"][name]["cpu_ms"] / figures[args.against][name]["cpu_ms"]
            print(f"{name}: this engine takes {ratio:.2f}x the CPU time of {args.against}'s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
