"""The hand-written quote gold (bench/gold/): loading it and the documents it annotates.

The gold holds offsets, not text; the documents are read from the shared data folder, the same way the
annotators read them (BBC files as latin-1; Russian posts' `text` field as it is).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

from bench.eval_russian import load_posts

GOLD_DIR = Path(__file__).parent / "gold"
BBC_ARTICLES = tuple(f"{n:03d}" for n in range(301, 341))
RU_SAMPLE_SIZE = 60
RU_SAMPLE_SEED = 2026
RU_MIN_CHARS = 200


@dataclass(frozen=True, slots=True)
class GoldStatement:
    doc: str
    spans: tuple[tuple[int, int], ...]
    speaker: str | None
    kind: str
    source: tuple[int, int] | None
    direct: bool


def load_bbc_documents(data_dir: Path) -> dict[str, str]:
    root = Path(data_dir) / "bbc-news-summary-politics" / "articles"
    return {doc: (root / f"{doc}.txt").read_text(encoding="latin-1") for doc in BBC_ARTICLES}


def _russian_posts(data_dir: Path) -> dict[str, str]:
    return {
        f"{post['channel']}/{post['message_id']}": post["text"]
        for post in load_posts(Path(data_dir))
        if len(post["text"]) >= RU_MIN_CHARS
    }


def select_ru_posts(data_dir: Path) -> list[str]:
    """The 60 posts of the Russian gold: a fixed-seed random sample, in a stable order."""
    posts = _russian_posts(data_dir)
    ordered = sorted(posts, key=lambda doc: (doc.split("/")[0], int(doc.split("/")[1])))
    return random.Random(RU_SAMPLE_SEED).sample(ordered, RU_SAMPLE_SIZE)


def load_ru_documents(data_dir: Path) -> dict[str, str]:
    posts = _russian_posts(data_dir)
    return {doc: posts[doc] for doc in select_ru_posts(data_dir)}


def load_gold(name: str, gold_dir: Path = GOLD_DIR) -> list[GoldStatement]:
    """Every statement of one gold file (`quotes_bbc` or `quotes_ru`), in file order."""
    statements: list[GoldStatement] = []
    for line in (gold_dir / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        source = row.get("source")
        statements.append(
            GoldStatement(
                doc=str(row["doc"]),
                spans=tuple((int(s), int(e)) for s, e in row["spans"]),
                speaker=row.get("speaker"),
                kind=row.get("kind", "person" if row.get("speaker") else "unnamed"),
                source=(int(source[0]), int(source[1])) if source else None,
                direct=bool(row.get("direct", False)),
            )
        )
    return statements
