"""What `/people` shows after real articles: how many entries, how many are no person or organisation, how many
name one speaker twice.

    python -m bench.eval_people --data DIR [--bbc 1-30,301-340] [--ru 60] [--seed 11] [--list]

Each BBC politics article (DIR/bbc-news-summary-politics/articles/NNN.txt) and a fixed random sample of the
Russian channel posts (DIR/telegram-news-ru/data/raw/*_messages.json) goes through `analysis.pipeline.analyze`
and the real repository into a temporary SQLite file, one chat per set, exactly as the bot stores them; then
the chat's people list is built as `/people` builds it.

There is no gold here. Automatic counts: entries the common-word lexicon flags (every word of the name is an
ordinary lower-case word: "Weakest Link"), duplicates (two entries one of which is a shorter form of the other
that `analysis.people.fullest_name` would merge, or two organisation entries with one key), and what the naming
rules did to the speakers the quote engine gave: dropped as no name ("Construction"), renamed ("Lib Dem" ->
"Liberal Democrats", "Liberal Democrat Sarah Teather" -> "Sarah Teather", "Digby" -> "Digby Jones" within one
article). Since the rules run before storing, the first two count what they miss. What else is not a person
(a place, a programme) is for a reader to count: `--list` prints every entry.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import json
import random
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from analysis import people as names
from analysis.pipeline import analyze
from analysis.quotes import extract_quotes
from bench.eval_russian import load_posts
from storage.db import Database
from storage.repository import Repository, Source
from usecases.ingest import store_analysis
from usecases.quotes import Speaker, people_page
from usecases.services import Services


def parse_ranges(spec: str) -> list[int]:
    numbers: list[int] = []
    for part in spec.split(","):
        low, _, high = part.partition("-")
        numbers += range(int(low), int(high or low) + 1)
    return numbers


def bbc_texts(data_dir: Path, numbers: Iterable[int]) -> list[str]:
    folder = data_dir / "bbc-news-summary-politics" / "articles"
    return [
        (folder / f"{n:03d}.txt").read_text(encoding="latin-1") for n in numbers if (folder / f"{n:03d}.txt").exists()
    ]


def russian_texts(data_dir: Path, count: int, seed: int) -> list[str]:
    texts = [p["text"] for p in load_posts(data_dir) if len(p["text"]) > 200]
    return random.Random(seed).sample(texts, min(count, len(texts)))


@dataclass
class Run:
    speakers: list[Speaker]  # what /people lists
    renamed: Counter[tuple[str, str | None]] = field(default_factory=Counter)  # engine's name -> stored name


async def people_of(texts: list[str]) -> Run:
    """The `/people` list of one chat that received `texts`, in that order, and what the naming rules did to the
    speakers the quote engine gave (dropped as no name, or renamed)."""
    run = Run([])
    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "people.db")
        try:
            repo = Repository(db)
            await repo.ensure_chat(1)
            for text in texts:
                article, _ = await repo.add_article(1, text, Source("pasted"), published_at=datetime.now(UTC))
                result = analyze(text, article.published_at)
                await store_analysis(repo, article.id, result)
                if result.quotes or result.people:
                    raw, _ = extract_quotes(result.text, list(result.sentences), result.lang, title=result.title)
                    for before, after in zip(raw, result.quotes, strict=True):
                        if before.speaker and before.speaker != after.speaker:
                            run.renamed[(before.speaker, after.speaker)] += 1
            page = await people_page(Services(repo, None), 1, page_size=10_000)  # type: ignore[arg-type]
            run.speakers = list(page.speakers)
        finally:
            await db.close()
    return run


def duplicates(speakers: list[Speaker]) -> list[tuple[str, str]]:
    """Pairs of entries that are one speaker: a shorter person form with one fuller entry it fits, or two
    organisations with one key."""
    found: list[tuple[str, str]] = []
    people = [s.name for s in speakers if s.kind != "organization"]
    for name in people:
        fuller = names.fullest_name(name, [p for p in people if p != name])
        if fuller is not None:
            found.append((name, fuller))
    seen: dict[str, str] = {}
    for s in speakers:
        if s.kind == "organization":
            key = names.organisation_key(s.name)
            if key in seen:
                found.append((s.name, seen[key]))
            seen.setdefault(key, s.name)
    return found


def report(label: str, run: Run, lang: str, show: bool) -> dict[str, Any]:
    speakers = run.speakers
    flagged = [s.name for s in speakers if s.kind != "organization" and not names.is_person_name(s.name, lang=lang)]
    dupes = duplicates(speakers)
    dropped = sorted({before for (before, after) in run.renamed if after is None})
    renamed = sorted({(before, after) for (before, after) in run.renamed if after is not None})
    print(f"{label}: {len(speakers)} entries, {len(flagged)} flagged as common words, {len(dupes)} duplicates")
    print(f"  speakers the engine gave that are no name ({len(dropped)}): " + ", ".join(dropped))
    print(f"  speakers renamed ({len(renamed)}): " + ", ".join(f"{a} -> {b}" for a, b in renamed))
    if flagged:
        print("  common words: " + ", ".join(flagged))
    for short, full in dupes:
        print(f"  duplicate: {short} ~ {full}")
    if show:
        for s in speakers:
            print(f"  {s.quotes:>4}  {s.name}{'  (organisation)' if s.kind == 'organization' else ''}")
    return {
        "entries": len(speakers),
        "common_words": len(flagged),
        "duplicates": len(dupes),
        "engine_speakers_no_name": len(dropped),
        "engine_speakers_renamed": len(renamed),
    }


def evaluate(data_dir: Path | str, bbc: str = "1-30;301-340", ru: int = 60, seed: int = 11) -> dict[str, Any]:
    """The figures of every set, quietly (the quality gate reads these): per set its counts, and `clean` (1 when
    the list has no entry the lexicon flags and no duplicate)."""
    data = Path(data_dir)
    runs = {
        f"bbc_{spec.replace('-', '_')}": (asyncio.run(people_of(bbc_texts(data, parse_ranges(spec)))), "en")
        for spec in bbc.split(";")
    }
    if ru:
        runs["ru"] = (asyncio.run(people_of(russian_texts(data, ru, seed))), "ru")
    results: dict[str, Any] = {}
    for label, (run, lang) in runs.items():
        with contextlib.redirect_stdout(io.StringIO()):
            figures = report(label, run, lang, show=False)
        figures["clean"] = int(figures["common_words"] == 0 and figures["duplicates"] == 0)
        results[label] = figures
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--bbc", default="1-30;301-340", help="sets of BBC article numbers, ';' between sets")
    parser.add_argument("--ru", type=int, default=60, help="Russian posts to sample (0: none)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--list", action="store_true", help="print every entry")
    args = parser.parse_args(argv)
    if not (args.data / "bbc-news-summary-politics").is_dir():
        print(f"no data in {args.data}", file=sys.stderr)
        return 1
    results: dict[str, Any] = {}
    for spec in args.bbc.split(";"):
        run = asyncio.run(people_of(bbc_texts(args.data, parse_ranges(spec))))
        results[f"bbc {spec}"] = report(f"BBC {spec}", run, "en", args.list)
    if args.ru:
        run = asyncio.run(people_of(russian_texts(args.data, args.ru, args.seed)))
        results["ru"] = report(f"Russian posts ({args.ru}, seed {args.seed})", run, "ru", args.list)
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
