"""Speed of the summariser.

    python -m bench.speed_summary --data DIR [--sentences 600] [--limit 100]

1. Graph methods on one long document (BBC politics sentences strung together until there are 600): sumy's
   stock LexRank against our numpy LexRank in the same run, and whether they select the same sentences;
   our TextRank and the default method for reference.
2. Ingest throughput: clean + split + rank with the default method, in articles per second, over the BBC
   articles.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from analysis.clean import clean_article
from analysis.sentences import split_sentences
from analysis.summarize import DEFAULT_METHOD, rank_sentences
from analysis.types import Sentence
from bench.summarizers import rank


def _articles(data_dir: Path, limit: int) -> list[str]:
    root = Path(data_dir) / "bbc-news-summary-politics" / "articles"
    return [p.read_text(encoding="latin-1") for p in sorted(root.glob("*.txt"))[:limit]]


def long_document(data_dir: Path, n_sentences: int = 600) -> list[Sentence]:
    """The first `n_sentences` sentences of the BBC articles, as one document."""
    texts: list[str] = []
    count = 0
    for article in _articles(data_dir, 10_000):
        text = clean_article(article).text
        texts.append(text)
        count += len(split_sentences(text))
        if count >= n_sentences:
            break
    return split_sentences("\n\n".join(texts))[:n_sentences]


def _timed(sentences: list[Sentence], method: str, repeat: int = 1) -> tuple[list[int], float]:
    best = float("inf")
    order: list[int] = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        order = rank(sentences, "en", method=method)
        best = min(best, time.perf_counter() - t0)
    return order, best


def graph_speed(data_dir: Path | str, n_sentences: int = 600, top: int = 20) -> dict[str, Any]:
    """Seconds per method on one long document, the LexRank speed ratio and the same-selection check."""
    sentences = long_document(Path(data_dir), n_sentences)
    stock, stock_s = _timed(sentences, "lexrank")
    ours, ours_s = _timed(sentences, "lexrank-np", repeat=3)
    _, textrank_s = _timed(sentences, "textrank-np", repeat=3)
    _, default_s = _timed(sentences, DEFAULT_METHOD, repeat=3)
    return {
        "sentences": len(sentences),
        "sumy_lexrank_s": round(stock_s, 3),
        "numpy_lexrank_s": round(ours_s, 4),
        "speedup": round(stock_s / ours_s, 1),
        "same_top": sorted(stock[:top]) == sorted(ours[:top]),
        "same_order": stock == ours,
        "numpy_textrank_s": round(textrank_s, 4),
        f"{DEFAULT_METHOD}_s": round(default_s, 4),
    }


def ingest_throughput(data_dir: Path | str, limit: int = 100) -> dict[str, float]:
    """Articles per second through clean + split + rank with the default method."""
    articles = _articles(Path(data_dir), limit)
    t0 = time.perf_counter()
    for article in articles:
        cleaned = clean_article(article)
        rank_sentences(split_sentences(cleaned.text), "en", title=cleaned.title)
    elapsed = time.perf_counter() - t0
    return {
        "articles": len(articles),
        "seconds": round(elapsed, 3),
        "articles_per_s": round(len(articles) / elapsed, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Speed of the summariser")
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--sentences", type=int, default=600)
    parser.add_argument("--limit", type=int, default=100)
    args = parser.parse_args(argv)
    g = graph_speed(args.data, args.sentences)
    print(f"{g['sentences']}-sentence document:")
    print(f"  sumy LexRank {g['sumy_lexrank_s']:.3f} s, numpy LexRank {g['numpy_lexrank_s']:.4f} s: {g['speedup']}x")
    print(f"  same top-20 selection: {g['same_top']}, same full order: {g['same_order']}")
    print(f"  numpy TextRank {g['numpy_textrank_s']:.4f} s, {DEFAULT_METHOD} {g[f'{DEFAULT_METHOD}_s']:.4f} s")
    t = ingest_throughput(args.data, args.limit)
    print(f"ingest (clean + split + {DEFAULT_METHOD}): {t['articles']} articles in {t['seconds']} s")
    print(f"  = {t['articles_per_s']} articles/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
