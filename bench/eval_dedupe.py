"""Recognising the same article forwarded from two channels: the raw-text hash against the cleaned-text hash.

    python -m bench.eval_dedupe --data DIR [--examples N]

DIR holds `telegram-news-ru/data/raw/*_messages.json` (real posts of two channels). The posts are turned into
the plain text a Telegram user sees (the data set writes entities as Markdown). Each post long enough to be an
article is then re-posted as another channel would: the first channel's signature lines (learned from the
data: last lines that end at least 1% of its posts) are taken off, and the other channel's furniture is put
on: its own signature when it has one, else a "subscribe" line, a photo credit, hashtags or an @mention, an
emoji line on top of some posts, extra blank lines. These variants are made up from what the data shows
channels do; they are a model of reposting, not observed reposts.

Measured: the share of re-posts recognised by each identity (`storage.repository.content_hash` of the raw
text; `storage.sources.clean_hash` of `analysis.clean.clean_article(text).text`), the share of posts the
cleaned-text identity covers at all (long enough), and false merges: distinct posts of the data that the
cleaned-text identity would take for one (listed, since some are real repeats of a channel's own post).
`evaluate(data_dir)` returns the figures for a gate.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from analysis.clean import clean_article
from storage.repository import content_hash
from storage.sources import clean_hash

SUBDIR = Path("telegram-news-ru") / "data" / "raw"
MIN_POST_CHARS = 300  # shorter posts are news flashes, not articles anyone forwards from channel to channel

_MD_LINK = re.compile(r"\[([^\]\n]*)\]\((?:https?|tg)://[^)\s]*\)")


def plain(markdown: str) -> str:
    """The text a reader sees: the data set's Markdown (bold, italics, links) back to plain characters."""
    text = _MD_LINK.sub(r"\1", markdown)
    return text.replace("**", "").replace("__", "").replace("~~", "")


def load(data_dir: Path) -> dict[str, list[str]]:
    posts: dict[str, list[str]] = defaultdict(list)
    for path in sorted((data_dir / SUBDIR).glob("*_messages.json")):
        for message in json.loads(path.read_text(encoding="utf-8")):
            text = message.get("text") or ""
            if text.strip():
                posts[str(message.get("channel") or path.stem)].append(plain(text).strip())
    return dict(posts)


def signatures(posts: list[str]) -> set[str]:
    """Last lines that end at least 1% of a channel's posts (five at least): the channel's signature."""
    counts = Counter(post.splitlines()[-1].strip() for post in posts if post.splitlines())
    floor = max(5, len(posts) // 100)
    return {line for line, n in counts.items() if n >= floor}


def strip_signature(post: str, own: set[str]) -> str:
    lines = post.rstrip().splitlines()
    while lines and (not lines[-1].strip() or lines[-1].strip() in own):
        lines.pop()
    return "\n".join(lines)


def repost(post: str, own: set[str], other_name: str, other_signatures: set[str], rng: random.Random) -> str:
    """The post as another channel would forward it, with that channel's furniture around it."""
    body = strip_signature(post, own)
    handle = "@" + re.sub(r"\W+", "", other_name.lower())[:20] or "@channel"
    furniture = sorted(other_signatures) or [
        f"Подписывайтесь на {other_name}: {handle}",
        f"Фото: {other_name}",
        "#новости #главное",
        handle,
    ]
    tail = rng.sample(furniture, k=min(len(furniture), rng.randint(1, 3)))
    head = ["⚡️⚡️⚡️"] if rng.random() < 0.5 else []
    spaced = body.replace("\n\n", "\n\n\n") if rng.random() < 0.5 else body
    return "\n".join([*head, spaced, "", *tail])


def _identity(text: str) -> str | None:
    return clean_hash(clean_article(text).text)


def evaluate(data_dir: str | Path, seed: int = 7) -> dict[str, Any]:
    channels = load(Path(data_dir))
    names = sorted(channels)
    sigs = {name: signatures(posts) for name, posts in channels.items()}
    rng = random.Random(seed)
    variants = raw_hits = clean_hits = covered = 0
    started = time.perf_counter()
    identities: dict[str, set[str]] = defaultdict(set)  # cleaned identity -> raw hashes of distinct posts
    examples: dict[str, list[str]] = defaultdict(list)
    all_posts = 0
    for name in names:
        others = [n for n in names if n != name] or [name]
        for post in channels[name]:
            all_posts += 1
            identity = _identity(post)
            if identity is not None:
                raw = content_hash(post)
                if raw not in identities[identity]:
                    identities[identity].add(raw)
                    examples[identity].append(post)
            if len(post) < MIN_POST_CHARS:
                continue
            other = rng.choice(others)
            copy = repost(post, sigs[name], other, sigs.get(other, set()), rng)
            variants += 1
            raw_hits += content_hash(copy) == content_hash(post)
            if identity is not None:
                covered += 1
                clean_hits += _identity(copy) == identity
    took = time.perf_counter() - started
    merged = {k: v for k, v in identities.items() if len(v) > 1}
    return {
        "posts": all_posts,
        "articles": variants,
        "overall": {
            "raw_recall": raw_hits / variants if variants else 0.0,
            "clean_recall": clean_hits / variants if variants else 0.0,
            "clean_coverage": covered / variants if variants else 0.0,
            "false_merge_groups": len(merged),
            "ms_per_post": 1000 * took / max(1, all_posts + variants),
        },
        "signatures": {name: sorted(s) for name, s in sigs.items()},
        "merged_examples": [examples[k] for k in merged],
    }


def render(result: dict[str, Any], examples: int = 3) -> str:
    o = result["overall"]
    lines = [
        f"Same article from two channels: {result['articles']} re-posted articles "
        f"(posts of {MIN_POST_CHARS}+ characters; {result['posts']} posts in all)",
        "",
        f"{'identity':<28} {'re-posts recognised':>20}",
        f"{'raw text (content_hash)':<28} {o['raw_recall']:>20.3f}",
        f"{'cleaned text (clean_hash)':<28} {o['clean_recall']:>20.3f}",
        "",
        f"articles long enough for a cleaned-text identity: {o['clean_coverage']:.3f}",
        f"groups of distinct posts sharing a cleaned-text identity (false merges or real repeats): "
        f"{o['false_merge_groups']}",
        f"cleaning and hashing: {o['ms_per_post']:.2f} ms per post",
        "",
        "signatures learned:",
    ]
    for name, sigs in result["signatures"].items():
        lines.append(f"  {name}: {sigs if sigs else 'none'}")
    for group in result["merged_examples"][:examples]:
        lines.append("")
        lines.append("taken for one article:")
        for post in group[:3]:
            lines.append("  | " + post[:160].replace("\n", " ⏎ "))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.eval_dedupe", description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data", help="data folder (default: ../shared/data)")
    parser.add_argument("--examples", type=int, default=3, help="merged groups to show")
    args = parser.parse_args(argv)
    if not (Path(args.data) / SUBDIR).is_dir():
        print(f"no {SUBDIR} under {args.data}", file=sys.stderr)
        return 2
    print(render(evaluate(args.data), args.examples))
    return 0


if __name__ == "__main__":
    sys.exit(main())
