"""The whole analysis over real Russian channel posts: what share yields a summary, quotes with a speaker, dates.

    python -m bench.eval_russian --data DIR [--sample OUT.md] [--sample-size 20] [--seed 7] [--json OUT]

DIR is the shared data folder; posts come from DIR/telegram-news-ru/data/raw/*_messages.json (lists of
{message_id, sender_id, text, date, channel, category}; the text keeps Telegram's markdown bold). Each post
goes through `analysis.pipeline.analyze` with its `date` as the publication date, exactly as the bot runs it.

There is no gold annotation here, so the figures are coverage, not accuracy: the share of posts detected as
Russian, with a summary, with a quote, with a quote whose speaker is resolved, with a dated event and with any
date expression; quotes per post and the share of quotes with a speaker; and posts per second (CPU time of
the analysis only). Accuracy is for a person to judge: `--sample` writes a fixed random sample of posts with
their summary, quotes, speakers and dates as Markdown (default bench/out/russian_sample.md).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

from analysis.pipeline import analyze
from analysis.types import Analysis

DEFAULT_SAMPLE = Path(__file__).parent / "out" / "russian_sample.md"


def load_posts(data_dir: Path) -> list[dict[str, Any]]:
    root = Path(data_dir) / "telegram-news-ru" / "data" / "raw"
    posts: list[dict[str, Any]] = []
    for path in sorted(root.glob("*_messages.json")):
        posts.extend(json.loads(path.read_text(encoding="utf-8")))
    return [p for p in posts if isinstance(p.get("text"), str)]


def _run(posts: list[dict[str, Any]]) -> tuple[list[Analysis], float]:
    results = []
    started = time.process_time()
    for post in posts:
        results.append(analyze(post["text"], datetime.fromisoformat(post["date"])))
    return results, time.process_time() - started


def figures(posts: list[dict[str, Any]], results: list[Analysis], seconds: float) -> dict[str, Any]:
    n = max(1, len(posts))
    quotes = [q for r in results for q in r.quotes]
    with_speaker = [q for q in quotes if q.speaker]
    langs = Counter(r.lang for r in results)
    return {
        "posts": len(posts),
        "lang_ru": langs["ru"] / n,
        "with_summary": sum(1 for r in results if r.summary(3)) / n,
        "with_quote": sum(1 for r in results if r.quotes) / n,
        "with_speaker_quote": sum(1 for r in results if any(q.speaker for q in r.quotes)) / n,
        "with_event": sum(1 for r in results if r.events) / n,
        "with_timex": sum(1 for r in results if r.timexes) / n,
        "quotes_per_post": len(quotes) / n,
        "quotes_with_speaker": len(with_speaker) / max(1, len(quotes)),
        "direct_share": sum(1 for q in quotes if q.direct) / max(1, len(quotes)),
        "events_per_post": sum(len(r.events) for r in results) / n,
        "posts_per_second": len(posts) / seconds if seconds else 0.0,
        "ms_per_post": 1000 * seconds / n,
    }


def evaluate(data_dir: Path | str) -> dict[str, Any]:
    """Coverage figures over every post (the quality gate reads these)."""
    posts = load_posts(Path(data_dir))
    results, seconds = _run(posts)
    return figures(posts, results, seconds)


def write_sample(path: Path, posts: list[dict[str, Any]], results: list[Analysis], size: int, seed: int) -> None:
    chosen = sorted(random.Random(seed).sample(range(len(posts)), min(size, len(posts))))
    lines = [
        "# Russian posts: a sample to read",
        "",
        f"{len(chosen)} posts drawn with seed {seed}. For each: the post, then what Précis found in it.",
        "",
    ]
    for i in chosen:
        post, result = posts[i], results[i]
        lines += [
            f"## {post['channel']} · {post['date']} · message {post['message_id']}",
            "",
            *(f"> {line}" if line.strip() else ">" for line in post["text"].splitlines()),
            "",
            f"- language: {result.lang}; title: {result.title or '—'}",
            "- summary: " + (" ".join(s.text for s in result.summary(3)) or "—"),
        ]
        for q in result.quotes:
            kind = "direct" if q.direct else "reported"
            lines.append(f"- quote ({kind}, cue «{q.cue}», mention «{q.mention}»): **{q.speaker or '—'}** — {q.text}")
        for t in result.timexes:
            lines.append(f"- date: «{t.text}» → {t.type} {t.value}{' ' + t.modifier if t.modifier else ''}")
        for e in result.events:
            who = f"{e.speaker}: " if e.speaker else ""
            lines.append(f"- event: {e.label} — {who}{e.text}")
        lines.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


def print_table(result: dict[str, Any]) -> None:
    print(f"telegram-news-ru: {result['posts']} posts")
    rows = [
        ("detected as Russian", "lang_ru"),
        ("with a summary", "with_summary"),
        ("with a quote", "with_quote"),
        ("with a quote and its speaker", "with_speaker_quote"),
        ("with a date expression", "with_timex"),
        ("with a dated event", "with_event"),
    ]
    for label, key in rows:
        print(f"  {label:32} {100 * result[key]:5.1f} %")
    print(f"  quotes per post                  {result['quotes_per_post']:5.2f}")
    print(f"  quotes with a speaker            {100 * result['quotes_with_speaker']:5.1f} %")
    print(f"  direct quotes                    {100 * result['direct_share']:5.1f} %")
    print(f"  dated events per post            {result['events_per_post']:5.2f}")
    speed = f"{result['posts_per_second']:5.0f} posts/s ({result['ms_per_post']:.1f} ms/post)"
    print(f"  speed                            {speed}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--sample", type=Path, default=DEFAULT_SAMPLE, help="where to write the sample to read")
    parser.add_argument("--sample-size", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args(argv)
    posts = load_posts(args.data)
    if not posts:
        print(f"no posts under {args.data / 'telegram-news-ru'}; pass --data DIR")
        return 2
    results, seconds = _run(posts)
    result = figures(posts, results, seconds)
    print_table(result)
    write_sample(args.sample, posts, results, args.sample_size, args.seed)
    print(f"\nsample of {min(args.sample_size, len(posts))} posts written to {args.sample}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
