"""Compare sentence splitters on accuracy and speed.

    python -m bench.split_candidates --data DIR [--limit 100]

Accuracy on `DIR/bbc-news-summary-politics`: the reference summaries are sentences cut out of the articles by
the data set's authors, so every reference sentence must come out of a splitter exactly (white space
normalised); a splitter that merges or cuts it misses. A hand-written challenge set of English and Russian
cases (abbreviations, initials, quotes, «ёлочки», dashes after direct speech) adds what BBC text lacks.
Speed: characters per second over the BBC articles, the TempEval-3 texts and the Russian channel posts.

Candidates: ours (`analysis.sentences`), a naive regex, and, when they are importable, pysbd and razdel
(they are not project dependencies; install them into a throwaway environment to measure them).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path

from analysis.sentences import split_sentences

Splitter = Callable[[str], list[str]]

_PARAGRAPHS = re.compile(r"\n\s*\n")
_NAIVE = re.compile(r"(?<=[.!?…])[\"'”»)]*\s+(?=[\"“«(]?[A-ZА-ЯЁ0-9])")


def _ours(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


def _naive(text: str) -> list[str]:
    out: list[str] = []
    for block in _PARAGRAPHS.split(text):
        start = 0
        for m in _NAIVE.finditer(block):
            out.append(block[start : m.start()].strip())
            start = m.end()
        out.append(block[start:].strip())
    return [s for s in out if s]


def candidates() -> dict[str, Splitter]:
    found: dict[str, Splitter] = {"ours": _ours, "naive-regex": _naive}
    try:
        import pysbd  # type: ignore[import-not-found]

        seg_en = pysbd.Segmenter(language="en", clean=False)

        def _pysbd(text: str) -> list[str]:
            return [s.strip() for b in _PARAGRAPHS.split(text) for s in seg_en.segment(b) if s.strip()]

        found["pysbd"] = _pysbd
    except ImportError:
        pass
    try:
        import razdel  # type: ignore[import-not-found]

        def _razdel(text: str) -> list[str]:
            return [s.text for b in _PARAGRAPHS.split(text) for s in razdel.sentenize(b) if s.text.strip()]

        found["razdel"] = _razdel
    except ImportError:
        pass
    return found


# --- reference sentences of the BBC summaries -------------------------------------------------------------

_GLUE = re.compile(r"[.!?][\"'”’)]*(?=\S|$)")


def _norm(s: str) -> str:
    return " ".join(s.split())


def split_reference(summary: str, article: str) -> list[str]:
    """Cut a summary whose sentences are glued ("...time.She said") back into the article's sentences.

    A cut may fall after any terminal mark not followed by a space; the cuts chosen are those whose pieces
    all occur in the article as whole stretches (between spaces), with as few pieces as possible, so that
    "U.S." or "3.5" inside a sentence does not cut it.
    """
    text = _norm(summary)
    art = " " + _norm(article) + " "
    # A quote after the period may close this sentence or open the next: both places are candidates.
    cuts = sorted({e for m in _GLUE.finditer(text) for e in range(m.start() + 1, m.end() + 1)} | {len(text)})

    @cache
    def best(start: int) -> tuple[str, ...] | None:
        if start >= len(text):
            return ()
        choice: tuple[str, ...] | None = None
        for end in cuts:
            if end <= start:
                continue
            piece = text[start:end].strip()
            if not piece or f" {piece} " not in art:
                continue
            rest = best(end)
            if rest is not None and (choice is None or len(rest) + 1 < len(choice)):
                choice = (piece, *rest)
        return choice

    found = best(0)
    return list(found) if found is not None else [text]


def load_bbc(data: Path, limit: int) -> list[tuple[str, list[str]]]:
    root = data / "bbc-news-summary-politics"
    pairs = []
    for path in sorted((root / "articles").glob("*.txt"))[:limit]:
        article = path.read_text(encoding="latin-1")
        summary = (root / "summaries" / path.name).read_text(encoding="latin-1")
        pairs.append((article, split_reference(summary, article)))
    return pairs


# --- a hand-written challenge set: (text, expected sentences) ---------------------------------------------

CHALLENGE: list[tuple[str, list[str]]] = [
    (
        "Talks were held in the U.S. capital on Tuesday. The U.S. envoy left early.",
        ["Talks were held in the U.S. capital on Tuesday.", "The U.S. envoy left early."],
    ),
    (
        "Former president George W. Bush spoke first. Then Dr. Smith and Mr. Jones replied.",
        ["Former president George W. Bush spoke first.", "Then Dr. Smith and Mr. Jones replied."],
    ),
    (
        "The vote is set for Oct. 14 in room No. 5 at 9 a.m. sharp. Turnout was 61.5 per cent.",
        ["The vote is set for Oct. 14 in room No. 5 at 9 a.m. sharp.", "Turnout was 61.5 per cent."],
    ),
    (
        '"We will not move," the minister said. "Not now, not ever." Critics were unmoved.',
        ['"We will not move," the minister said.', '"Not now, not ever."', "Critics were unmoved."],
    ),
    (
        "Prices rose sharply (by a third in a year.) Officials blamed fuel... Others blamed wages.",
        ["Prices rose sharply (by a third in a year.)", "Officials blamed fuel...", "Others blamed wages."],
    ),
    (
        "He asked “Is it over?” and nobody answered. Leaders met, e.g. in Paris. It ended in the U.S. He left.",
        [
            "He asked “Is it over?” and nobody answered.",
            "Leaders met, e.g. in Paris.",
            "It ended in the U.S.",
            "He left.",
        ],
    ),
    (
        "«Мы не отступим», — заявил министр. В. Путин прибыл в г. Сочи. Речь шла о ценах, т.е. о тарифах.",
        [
            "«Мы не отступим», — заявил министр.",
            "В. Путин прибыл в г. Сочи.",
            "Речь шла о ценах, т.е. о тарифах.",
        ],
    ),
    (
        "Музей им. Пушкина открылся в 1912 г. Он стал крупнейшим. Кто-то спросил: «Зачем?» Ответа не было.",
        [
            "Музей им. Пушкина открылся в 1912 г.",
            "Он стал крупнейшим.",
            "Кто-то спросил: «Зачем?»",
            "Ответа не было.",
        ],
    ),
    (
        "Цены выросли на 2.5%. Об этом сообщил А. С. Иванов! Рост продолжится…",
        ["Цены выросли на 2.5%.", "Об этом сообщил А. С. Иванов!", "Рост продолжится…"],
    ),
]


def accuracy(split: Splitter, cases: list[tuple[str, list[str]]]) -> tuple[int, int]:
    """How many expected sentences the splitter reproduces exactly, of how many."""
    hit = total = 0
    for text, expected in cases:
        got = {_norm(s) for s in split(text)}
        total += len(expected)
        hit += sum(_norm(e) in got for e in expected)
    return hit, total


def _speed_texts(data: Path, limit: int) -> dict[str, list[str]]:
    texts: dict[str, list[str]] = {}
    bbc = data / "bbc-news-summary-politics" / "articles"
    if bbc.is_dir():
        texts["bbc"] = [p.read_text(encoding="latin-1") for p in sorted(bbc.glob("*.txt"))[:limit]]
    tml = sorted((data / "tempeval3-train").rglob("*.tml"))[:limit]
    if tml:
        body = re.compile(r"<TEXT>(.*?)</TEXT>", re.S)
        tags = re.compile(r"<[^>]+>")
        texts["tempeval"] = [tags.sub("", m.group(1)) for p in tml if (m := body.search(p.read_text(encoding="utf-8")))]
    posts = []
    for f in sorted((data / "telegram-news-ru" / "data" / "raw").glob("*.json")):
        posts += [m["text"].replace("**", "") for m in json.loads(f.read_text(encoding="utf-8")) if m["text"]]
    if posts:
        texts["telegram-ru"] = posts[: limit * 5]
    return texts


def measure(data: Path, limit: int) -> dict[str, dict[str, float]]:
    results: dict[str, dict[str, float]] = {}
    bbc = load_bbc(data, limit) if (data / "bbc-news-summary-politics").is_dir() else []
    speed = _speed_texts(data, limit)
    for name, split in candidates().items():
        row: dict[str, float] = {}
        if bbc:
            hit, total = accuracy(split, bbc)
            row["bbc_acc"] = 100.0 * hit / total
        hit, total = accuracy(split, CHALLENGE)
        row["challenge_acc"] = 100.0 * hit / total
        for corpus, texts in speed.items():
            chars = sum(map(len, texts))
            t0 = time.perf_counter()
            for t in texts:
                split(t)
            row[f"{corpus}_kchars_s"] = chars / (time.perf_counter() - t0) / 1000
        results[name] = row
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--misses", action="store_true", help="print the BBC reference sentences ours misses")
    args = parser.parse_args(argv)
    results = measure(args.data, args.limit)
    columns = sorted({k for row in results.values() for k in row})
    print(f"{'splitter':<12}" + "".join(f"{c:>22}" for c in columns))
    for name, row in results.items():
        print(f"{name:<12}" + "".join(f"{row.get(c, float('nan')):>22.1f}" for c in columns))
    if args.misses:
        for article, expected in load_bbc(args.data, args.limit):
            got = {_norm(s) for s in _ours(article)}
            for e in expected:
                if _norm(e) not in got:
                    print("MISS:", e)
    return 0


if __name__ == "__main__":
    sys.exit(main())
