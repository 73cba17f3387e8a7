"""Filtered digests against labels: a digest `about` a category's words, scored against the categories the
Russian channel posts carry.

    python -m bench.eval_digest_filter --data ../shared/data

Every post is stored through the real ingest path (dedup included) into a fresh database; then, for each
category, `usecases.digest_filter.matching_articles` (what a digest `about …` keeps) is asked with the words
below and compared with the posts labelled with that category. The labels were assigned by a model, not by
people (see the data set's README): disagreements are partly the labels' own errors. The word lists were
written from the category names alone, before this script was first run, and have not been changed since.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from collections import defaultdict
from datetime import datetime
from pathlib import Path

from bench.eval_russian import load_posts
from storage.db import Database
from storage.repository import Repository, Source
from usecases.digest_filter import DigestFilter, matching_articles
from usecases.ingest import IncomingArticle, ingest
from usecases.services import Analyzer, Services

# Written before any measurement, from the category names; never tuned.
TOPICS: dict[str, tuple[str, ...]] = {
    "political": ("политика", "выборы", "президент", "правительство", "парламент", "министр"),
    "business": ("бизнес", "компания", "рынок", "предприятие", "производство", "экономика"),
    "finances": ("рубль", "доллар", "курс", "банк", "ставка", "инфляция"),
    "moscow": ("Москва", "москвичи", "Собянин", "метро"),
    "science": ("учёные", "исследование", "наука", "космос", "открытие"),
    "weather": ("погода", "температура", "синоптики", "дождь", "снег", "мороз"),
}
CHAT = 1


async def run(data: Path, limit: int | None) -> tuple[dict[str, tuple[int, int, int]], int]:
    posts = load_posts(data)[:limit]
    labels: dict[int, set[str]] = defaultdict(set)
    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "eval.db")
        services = Services(Repository(db), Analyzer(workers=1))
        try:
            for post in posts:
                text = post["text"]
                if not text.strip():
                    continue
                incoming = IncomingArticle(
                    text, Source("channel", str(post.get("channel"))), datetime.fromisoformat(post["date"])
                )
                outcome = await ingest(services, CHAT, incoming)
                labels[outcome.article.id].add(str(post.get("category")))
            ids = sorted(labels)
            scores = {}
            for category, words in TOPICS.items():
                kept = await matching_articles(services, CHAT, ids, DigestFilter(about=words))
                gold = {i for i in ids if category in labels[i]}
                scores[category] = (len(kept & gold), len(kept), len(gold))
        finally:
            services.analyzer.shutdown()
            await db.close()
    return scores, len(labels)


def evaluate(data_dir: Path) -> dict[str, float]:
    """The figures the quality gate checks (bench/floors.toml)."""
    scores, _ = asyncio.run(run(Path(data_dir), None))
    hit = sum(h for h, _, _ in scores.values())
    kept = sum(k for _, k, _ in scores.values())
    gold = sum(g for _, _, g in scores.values())
    return {"micro.precision": hit / max(1, kept), "micro.recall": hit / max(1, gold)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--limit", type=int, help="only the first N posts")
    args = parser.parse_args(argv)
    if not (args.data / "telegram-news-ru").is_dir():
        print(f"no posts under {args.data / 'telegram-news-ru'}; pass --data DIR")
        return 2
    scores, articles = asyncio.run(run(args.data, args.limit))
    print(f"telegram-news-ru: {articles} articles; labels assigned by a model, not by people")
    print("| digest about … | kept | labelled | precision | recall |")
    print("|---|---|---|---|---|")
    total_hit = total_kept = total_gold = 0
    for category, (hit, kept, gold) in scores.items():
        total_hit, total_kept, total_gold = total_hit + hit, total_kept + kept, total_gold + gold
        precision = f"{hit / kept:.3f}" if kept else "–"
        recall = f"{hit / gold:.3f}" if gold else "–"
        print(f"| {category}: {', '.join(TOPICS[category])} | {kept} | {gold} | {precision} | {recall} |")
    print(
        f"| all (micro) | {total_kept} | {total_gold} | {total_hit / max(1, total_kept):.3f} "
        f"| {total_hit / max(1, total_gold):.3f} |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
