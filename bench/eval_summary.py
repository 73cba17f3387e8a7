"""ROUGE of every summarisation method on BBC politics.

    python -m bench.eval_summary --data DIR [--limit 100] [--start 0] [--json OUT]

DIR is the shared data folder; articles come from DIR/bbc-news-summary-politics (latin-1, title on the first
line). Each article goes through the same path as in the bot: clean (the title is taken off), split, rank.
The reference summaries glue their sentences with no space ("...time.She said"); they are cut back into the
article's own sentences before scoring (`bench.split_candidates.split_reference`), so the reference length in
sentences is right and no word is fused with the next.

Scores: ROUGE-1/2/L F1 with Porter stemming (rouge-score), mean over the articles, for summaries as long as
the reference in sentences and for 3-sentence summaries, plus milliseconds of ranking per article.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from analysis.clean import clean_article
from analysis.sentences import split_sentences
from analysis.summarize import DEFAULT_METHOD
from bench.split_candidates import split_reference
from bench.summarizers import ALL_METHODS, rank

ROUGE_TYPES = ("rouge1", "rouge2", "rougeL")


def load_articles(data_dir: Path, limit: int, start: int = 0) -> list[tuple[str, list[str]]]:
    """(article, reference sentences) pairs in file order."""
    root = Path(data_dir) / "bbc-news-summary-politics"
    pairs = []
    for path in sorted((root / "articles").glob("*.txt"))[start : start + limit]:
        article = path.read_text(encoding="latin-1")
        summary = (root / "summaries" / path.name).read_text(encoding="latin-1")
        pairs.append((article, split_reference(summary, article)))
    return pairs


def evaluate(
    data_dir: Path | str,
    limit: int = 100,
    start: int = 0,
    methods: tuple[str, ...] = ALL_METHODS,
    params: dict[str, float] | None = None,
) -> dict[str, Any]:
    """Mean ROUGE F1 (percent) per method: {method: {"ref": {...}, "3": {...}, "ms_per_article": x}}."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True)
    articles = load_articles(Path(data_dir), limit, start)
    prepared = []
    for article, reference in articles:
        cleaned = clean_article(article)
        prepared.append((cleaned.title, split_sentences(cleaned.text, "en"), " ".join(reference), len(reference)))

    results: dict[str, Any] = {"articles": len(prepared), "default": DEFAULT_METHOD}
    for method in methods:
        totals = {length: dict.fromkeys(ROUGE_TYPES, 0.0) for length in ("ref", "3")}
        elapsed = 0.0
        for title, sentences, ref_text, ref_len in prepared:
            t0 = time.perf_counter()
            if method == "precis" and params:
                from analysis.summarize import _terms, precis_order

                terms = [_terms(s.text, "en") for s in sentences]
                order = precis_order(terms, _terms(title, "en") if title else None, params)
            else:
                order = rank(sentences, "en", title=title, method=method)
            elapsed += time.perf_counter() - t0
            for length, k in (("ref", ref_len), ("3", 3)):
                chosen = set(order[:k])
                summary = " ".join(s.text for s in sentences if s.index in chosen)
                scores = scorer.score(ref_text, summary)
                for rouge_type in ROUGE_TYPES:
                    totals[length][rouge_type] += scores[rouge_type].fmeasure
        n = max(1, len(prepared))
        results[method] = {
            length: {t: round(100.0 * v / n, 1) for t, v in by_type.items()} for length, by_type in totals.items()
        }
        results[method]["ms_per_article"] = round(1000.0 * elapsed / n, 2)
    return results


def format_table(results: dict[str, Any]) -> str:
    lines = [
        f"{results['articles']} articles; ROUGE F1 (Porter stemming); default method: {results['default']}",
        f"{'method':<13}{'R1':>7}{'R2':>7}{'RL':>7}   |{'R1@3':>7}{'R2@3':>7}{'RL@3':>7}   |{'ms/article':>11}",
    ]
    for method, row in results.items():
        if not isinstance(row, dict):
            continue
        ref, three = row["ref"], row["3"]
        lines.append(
            f"{method:<13}{ref['rouge1']:>7.1f}{ref['rouge2']:>7.1f}{ref['rougeL']:>7.1f}   |"
            f"{three['rouge1']:>7.1f}{three['rouge2']:>7.1f}{three['rougeL']:>7.1f}   |{row['ms_per_article']:>11.2f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="ROUGE of the summarisation methods on BBC politics")
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--start", type=int, default=0, help="skip this many articles (e.g. a tuning split)")
    parser.add_argument("--methods", default=",".join(ALL_METHODS))
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    results = evaluate(args.data, args.limit, args.start, tuple(args.methods.split(",")))
    print(format_table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
