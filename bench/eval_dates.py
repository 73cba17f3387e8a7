"""Temporal expressions measured on TempEval-3 training data (TimeBank and AQUAINT), and the seed time line.

    python -m bench.eval_dates --data DIR [--json OUT] [--misses N]

DIR holds `tempeval3-train/{TimeBank,AQUAINT}/*.tml`: TimeML files whose `<TEXT>` carries inline
`<TIMEX3 type value>` tags. Tags are stripped to get the raw text and the gold spans; the document creation
time (`<DCT><TIMEX3 value>`) is the publication date relative expressions are resolved against.

Scored as TempEval-3 scores timex extraction: strict span P/R/F1 (same start and end) and relaxed P/R/F1 (any
overlap, one system span per gold span); type and value accuracy over the relaxed matches; value F1 with
P = right values / system spans and R = right values / gold spans. For comparison, HeidelTime on the TempEval-3
platinum test set: strict F1 81.3, relaxed F1 90.3, value F1 77.6 (other documents, so only a guide). Speed
is CPU time per 1,000 words, so that other work on the machine does not count.

When `meantime-en/` is there, the same figures on MEANTIME English, whose Wikinews articles are closer to
what the bot reads. When `bbc-news-summary-politics/` and `telegram-news-ru/` are there, our own gold
(`bench/gold/dates_bbc.jsonl`, `dates_ru.jsonl`; guidelines in `bench/gold/DATES_GUIDELINES.md`): dates and
times only, with negatives (titles, names, chapter marks) that must not be read as dates, and a count of
times and negatives read as a year. The seed check runs the whole analysis on `../seeds/*.txt` beside DIR when
present and verifies the time line of the first seed: the dated events a reader must see, in order, and no
"in 50 years". `evaluate(data_dir)` returns the figures for the quality gate.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from analysis.dates import find_timexes
from analysis.types import TimeExpression

SUBDIR = "tempeval3-train"
GOLD_DIR = Path(__file__).resolve().parent / "gold"
_IN_SCOPE = frozenset({"DATE", "TIME"})
_NEGATIVE = frozenset({"TITLE", "NAME", "OFFSET"})
_YEAR_VALUE = re.compile(r"\d{4}$")
_MOSCOW = timezone(timedelta(hours=3))
SUBSETS = ("TimeBank", "AQUAINT")
_TAG = re.compile(r"<(/?)(\w+)([^>]*?)(/?)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_MEANTIME_SENTENCES = 5  # the last sentence index with time expressions annotated
_NO_SPACE_BEFORE = frozenset({",", ".", ";", ":", ")", "'s", "’s", "n't", "%", "?", "!", "''", "'"})
_NO_SPACE_AFTER = frozenset({"(", "``", "$", "#"})

# The seed's time line: (value prefix, words that must be in the event) in the order a reader must see them.
SEED_EXPECTED = (
    ("1954", ("Soviet",)),
    ("2000", ("Clinton",)),
    ("2001", ()),
    ("2022-02", ("invasion",)),
    ("2025-10", ("Valdai",)),
)


@dataclass(frozen=True, slots=True)
class Gold:
    start: int
    end: int
    type: str
    value: str


@dataclass(frozen=True, slots=True)
class Document:
    name: str
    text: str
    dct: datetime | None
    gold: tuple[Gold, ...]
    lang: str = "en"
    negatives: tuple[Gold, ...] = ()


def read_tml(path: Path) -> Document:
    """The raw text of a TimeML file's `<TEXT>`, its gold TIMEX3 spans, and its creation time."""
    source = path.read_text(encoding="utf-8")
    dct_match = re.search(r"<DCT>\s*<TIMEX3[^>]*\bvalue=\"(\d{4}-\d\d-\d\d)", source)
    dct = datetime.fromisoformat(dct_match.group(1)) if dct_match else None
    body_start = source.index("<TEXT>") + len("<TEXT>")
    body = source[body_start : source.index("</TEXT>")]
    parts: list[str] = []
    length = 0
    open_timexes: list[tuple[int, dict[str, str]]] = []
    gold: list[Gold] = []
    pos = 0
    for tag in _TAG.finditer(body):
        chunk = html.unescape(body[pos : tag.start()])
        parts.append(chunk)
        length += len(chunk)
        pos = tag.end()
        closing, name, attrs, empty = tag.groups()
        if name != "TIMEX3" or empty:
            continue
        if not closing:
            open_timexes.append((length, dict(_ATTR.findall(attrs))))
        elif open_timexes:
            start, attributes = open_timexes.pop()
            if length > start:
                gold.append(Gold(start, length, attributes.get("type", ""), attributes.get("value", "")))
    parts.append(html.unescape(body[pos:]))
    return Document(path.stem, "".join(parts), dct, tuple(sorted(gold, key=lambda g: g.start)))


def read_meantime(path: Path) -> Document | None:
    """A MEANTIME NAF-like file: tokens, TIMEX3 over token anchors, the creation time among them.

    Tokens are joined back into text (no space before closing punctuation, one line per sentence); the
    dateline under the headline is annotated as the creation time and is scored like any other mention. Time
    expressions are annotated in the headline, the dateline and the first four sentences only, so the text
    stops there.
    """
    root = ET.parse(path).getroot()
    parts: list[str] = []
    length = 0
    offsets: dict[str | None, tuple[int, int]] = {}
    sentence = None
    previous = ""
    for token in root.iter("token"):
        if int(token.get("sentence", "0")) > _MEANTIME_SENTENCES:
            break
        word = token.text or ""
        if parts:
            if token.get("sentence") != sentence:
                gap = "\n"
            elif word in _NO_SPACE_BEFORE or previous in _NO_SPACE_AFTER:
                gap = ""
            else:
                gap = " "
            parts.append(gap)
            length += len(gap)
        sentence, previous = token.get("sentence"), word
        offsets[token.get("t_id")] = (length, length + len(word))
        parts.append(word)
        length += len(word)
    if not parts:
        return None
    dct = None
    gold: list[Gold] = []
    markables = root.find("Markables")
    for timex in markables.iter("TIMEX3") if markables is not None else ():
        value = timex.get("value", "")
        if timex.get("functionInDocument") == "CREATION_TIME":
            dct = _parse_day(value) or dct
        spans = [offsets[a.get("t_id")] for a in timex.iter("token_anchor") if a.get("t_id") in offsets]
        if spans:
            gold.append(Gold(min(s for s, _ in spans), max(e for _, e in spans), timex.get("type", ""), value))
    return Document(path.stem, "".join(parts), dct, tuple(sorted(gold, key=lambda g: g.start)))


def _parse_day(value: str) -> datetime | None:
    # A few creation times are written day first ("03-02-2009").
    if m := re.match(r"(\d{4})-(\d\d)-(\d\d)", value):
        return datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if m := re.match(r"(\d\d)-(\d\d)-(\d{4})$", value):
        return datetime(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    return None


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score(docs: list[Document], misses: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """TempEval-3 style figures over a set of documents; optionally collects what went wrong."""
    counts = Counter[str]()
    words = 0
    took = 0.0
    for doc in docs:
        started = time.process_time()
        system = find_timexes(doc.text, doc.dct, doc.lang)
        took += time.process_time() - started
        words += len(doc.text.split())
        counts["gold"] += len(doc.gold)
        counts["system"] += len(system)
        used: set[int] = set()
        for g in doc.gold:
            match = _best_overlap(g, system, used)
            if match is None:
                if misses is not None:
                    misses.append({"kind": "missed", "doc": doc.name, **_show(doc, g.start, g.end, g)})
                continue
            used.add(match)
            s = system[match]
            counts["relaxed"] += 1
            counts["strict"] += s.start == g.start and s.end == g.end
            counts["type"] += s.type == g.type
            counts["value"] += s.value == g.value
            if misses is not None and (s.value != g.value or (s.start, s.end) != (g.start, g.end)):
                kind = "value" if s.value != g.value else "span"
                misses.append(
                    {
                        "kind": kind,
                        "doc": doc.name,
                        "got": f"{s.text} {s.type} {s.value}",
                        **_show(doc, g.start, g.end, g),
                    }
                )
        if misses is not None:
            for i, s in enumerate(system):
                if i not in used:
                    misses.append(
                        {
                            "kind": "spurious",
                            "doc": doc.name,
                            "got": f"{s.text} {s.type} {s.value}",
                            **_show(doc, s.start, s.end, None),
                        }
                    )
    n_gold, n_sys, relaxed = counts["gold"], counts["system"], counts["relaxed"]
    strict_p, strict_r = counts["strict"] / max(n_sys, 1), counts["strict"] / max(n_gold, 1)
    relaxed_p, relaxed_r = relaxed / max(n_sys, 1), relaxed / max(n_gold, 1)
    value_p, value_r = counts["value"] / max(n_sys, 1), counts["value"] / max(n_gold, 1)
    return {
        "documents": len(docs),
        "gold": n_gold,
        "system": n_sys,
        "strict": {"p": strict_p, "r": strict_r, "f1": _f1(strict_p, strict_r)},
        "relaxed": {"p": relaxed_p, "r": relaxed_r, "f1": _f1(relaxed_p, relaxed_r)},
        "type_accuracy": counts["type"] / max(relaxed, 1),
        "value_accuracy": counts["value"] / max(relaxed, 1),
        "value_f1": _f1(value_p, value_r),
        "ms_per_1000_words": 1000 * took / max(words, 1) * 1000,
    }


def _best_overlap(g: Gold, system: list[TimeExpression], used: set[int]) -> int | None:
    best, best_overlap = None, 0
    for i, s in enumerate(system):
        if i in used or s.end <= g.start:
            continue
        if s.start >= g.end:
            break
        overlap = min(s.end, g.end) - max(s.start, g.start)
        if overlap > best_overlap:
            best, best_overlap = i, overlap
    return best


def _show(doc: Document, start: int, end: int, gold: Gold | None) -> dict[str, str]:
    context = doc.text[max(0, start - 50) : end + 40].replace("\n", " ")
    shown = {"context": context, "span": doc.text[start:end]}
    if gold is not None:
        shown["gold"] = f"{gold.type} {gold.value}"
    return shown


def read_gold(path: Path, texts: dict[str, str], anchors: dict[str, datetime], lang: str) -> list[Document]:
    """Our own gold: offsets into texts read from the data folder (see bench/gold/DATES_GUIDELINES.md)."""
    spans: dict[str, list[Gold]] = {}
    negatives: dict[str, list[Gold]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        doc = record["doc"]
        spans.setdefault(doc, [])
        if "anchor" in record:
            anchors[doc] = datetime.fromisoformat(record["anchor"])
        if "start" not in record:
            continue
        item = Gold(record["start"], record["end"], record["type"], record.get("value", ""))
        if item.type in _IN_SCOPE:
            spans[doc].append(item)
        elif item.type in _NEGATIVE:
            negatives.setdefault(doc, []).append(item)
        else:
            raise ValueError(f"{path.name}: unknown type {item.type!r}")
    return [
        Document(doc, texts[doc], anchors.get(doc), tuple(gold), lang, tuple(negatives.get(doc, ())))
        for doc, gold in spans.items()
    ]


def bbc_gold(data_dir: Path) -> list[Document]:
    folder = Path(data_dir) / "bbc-news-summary-politics" / "articles"
    path = GOLD_DIR / "dates_bbc.jsonl"
    if not folder.is_dir() or not path.is_file():
        return []
    docs = {json.loads(line)["doc"] for line in path.read_text(encoding="utf-8").splitlines()}
    texts = {doc: (folder / f"{doc}.txt").read_text(encoding="latin-1") for doc in docs}
    return read_gold(path, texts, {}, "en")


def russian_gold(data_dir: Path) -> list[Document]:
    folder = Path(data_dir) / "telegram-news-ru" / "data" / "raw"
    path = GOLD_DIR / "dates_ru.jsonl"
    if not folder.is_dir() or not path.is_file():
        return []
    texts: dict[str, str] = {}
    anchors: dict[str, datetime] = {}
    for file in sorted(folder.glob("*_messages.json")):
        channel = file.name.split("_")[0]
        for post in json.loads(file.read_text(encoding="utf-8")):
            key = f"{channel}:{post['message_id']}"
            texts[key] = post.get("text") or ""
            # The channels write Moscow time; the post's day is its day in Moscow.
            moscow = datetime.fromisoformat(post["date"]).astimezone(_MOSCOW)
            anchors[key] = moscow.replace(tzinfo=None)
    return read_gold(path, texts, anchors, "ru")


def score_gold(docs: list[Document], misses: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Dates and times only: the tagger's durations and sets count when they overlap a gold date.

    Also counts the times and the negatives (titles, names, chapter marks) read as a year, and the negatives
    tagged at all.
    """
    counts = Counter[str]()
    for doc in docs:
        found = find_timexes(doc.text, doc.dct, doc.lang)
        system = [s for s in found if s.type in _IN_SCOPE or any(_overlaps(s, g) for g in doc.gold)]
        counts["gold"] += len(doc.gold)
        counts["system"] += len(system)
        counts["times"] += sum(g.type == "TIME" for g in doc.gold)
        used: set[int] = set()
        for g in doc.gold:
            match = _best_overlap(g, system, used)
            if match is None:
                if misses is not None:
                    misses.append({"kind": "missed", "doc": doc.name, **_show(doc, g.start, g.end, g)})
                continue
            used.add(match)
            s = system[match]
            counts["relaxed"] += 1
            counts["value"] += s.value == g.value
            if g.type == "TIME" and _YEAR_VALUE.match(s.value):
                counts["time_as_year"] += 1
            if misses is not None and s.value != g.value:
                misses.append(
                    {
                        "kind": "value",
                        "doc": doc.name,
                        "got": f"{s.text} {s.type} {s.value}",
                        **_show(doc, g.start, g.end, g),
                    }
                )
        for i, s in enumerate(system):
            if i in used:
                continue
            negative = next((n for n in doc.negatives if _overlaps(s, n)), None)
            if negative is not None:
                counts["negative_tagged"] += 1
                counts["negative_as_year"] += bool(_YEAR_VALUE.match(s.value))
            if misses is not None:
                kind = "negative" if negative is not None else "spurious"
                misses.append(
                    {
                        "kind": kind,
                        "doc": doc.name,
                        "got": f"{s.text} {s.type} {s.value}",
                        **_show(doc, s.start, s.end, negative),
                    }
                )
        counts["negatives"] += len(doc.negatives)
    n_gold, n_sys, relaxed = counts["gold"], counts["system"], counts["relaxed"]
    relaxed_p, relaxed_r = relaxed / max(n_sys, 1), relaxed / max(n_gold, 1)
    value_p, value_r = counts["value"] / max(n_sys, 1), counts["value"] / max(n_gold, 1)
    return {
        "documents": len(docs),
        "gold": n_gold,
        "system": n_sys,
        "relaxed": {"p": relaxed_p, "r": relaxed_r, "f1": _f1(relaxed_p, relaxed_r)},
        "value_accuracy": counts["value"] / max(relaxed, 1),
        "value_f1": _f1(value_p, value_r),
        "times": counts["times"],
        "negatives": counts["negatives"],
        "times_as_year": counts["time_as_year"],
        "negatives_as_year": counts["negative_as_year"],
        "negatives_tagged": counts["negative_tagged"],
        "read_as_year": counts["time_as_year"] + counts["negative_as_year"],
        "none_read_as_year": float(counts["time_as_year"] + counts["negative_as_year"] == 0),
    }


def _overlaps(s: TimeExpression, g: Gold) -> bool:
    return s.start < g.end and g.start < s.end


def check_seed(seeds_dir: Path) -> dict[str, Any]:
    """The first seed article's time line, run through the whole analysis as the bot would."""
    seeds = sorted(seeds_dir.glob("*.txt")) if seeds_dir.is_dir() else []
    if not seeds:
        return {"present": False}
    text = seeds[0].read_text(encoding="utf-8")
    events = _seed_events(text)
    values = [e.value for e in events]
    positions = []
    for prefix, words in SEED_EXPECTED:
        hits = [i for i, e in enumerate(events) if e.value.startswith(prefix) and all(w in e.text for w in words)]
        positions.append(hits[0] if hits else -1)
    found = all(p >= 0 for p in positions)
    ordered = found and positions == sorted(positions)
    no_future = not any("50 years" in e.text and e.value == "FUTURE_REF" for e in events) and all(
        re.match(r"\d", v) for v in values
    )
    return {
        "present": True,
        "events": len(events),
        "all_found": found,
        "in_order": ordered,
        "no_future_ref": no_future,
        "ok": found and ordered and no_future,
        "timeline": [f"{e.label} — {e.speaker + ': ' if e.speaker else ''}{e.text}" for e in events],
    }


def _seed_events(text: str) -> list[Any]:
    # The bot's own path when every part of it is there; otherwise dates over the raw text and our sentences.
    published = datetime(2025, 11, 20)
    try:
        from analysis.pipeline import analyze

        return list(analyze(text, published).events)
    except ImportError:
        from analysis.sentences import split_sentences
        from analysis.timeline import build_events

        sentences = split_sentences(text, "en")
        return build_events(text, sentences, find_timexes(text, published), [], "en")


def evaluate(data_dir: Path, misses: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Figures per subset and overall, MEANTIME when present, and the seed time line check."""
    find_timexes("compile the rules on 1 May 2020", None)  # so that speed is measured warm
    results: dict[str, Any] = {}
    root = Path(data_dir) / SUBDIR
    everything: list[Document] = []
    for subset in SUBSETS:
        docs = [read_tml(p) for p in sorted((root / subset).glob("*.tml"))]
        if docs:
            results[subset] = score(docs, misses)
            everything += docs
    if everything:
        results["all"] = score(everything)
    files = sorted((Path(data_dir) / "meantime-en").rglob("*.xml"))
    meantime = [d for d in (read_meantime(p) for p in files) if d is not None and d.gold]
    if meantime:
        results["meantime"] = score(meantime)
    for name, reader in (("bbc_gold", bbc_gold), ("ru_gold", russian_gold)):
        gold = reader(Path(data_dir))
        if gold:
            results[name] = score_gold(gold, misses)
    results["seed"] = check_seed(Path(data_dir).resolve().parent / "seeds")
    return results


def _table(results: dict[str, Any]) -> str:
    lines = [
        f"{'set':10} {'docs':>5} {'gold':>5} {'sys':>5}   {'strict P/R/F1':>17}   {'relaxed P/R/F1':>17}"
        f"   {'type':>5} {'value':>5} {'valF1':>5}  {'ms/1kw':>6}"
    ]
    for name, r in results.items():
        if name == "seed" or name.endswith("_gold"):
            continue
        s, x = r["strict"], r["relaxed"]
        lines.append(
            f"{name:10} {r['documents']:5} {r['gold']:5} {r['system']:5}   "
            f"{100 * s['p']:5.1f} {100 * s['r']:5.1f} {100 * s['f1']:5.1f}   "
            f"{100 * x['p']:5.1f} {100 * x['r']:5.1f} {100 * x['f1']:5.1f}   "
            f"{100 * r['type_accuracy']:5.1f} {100 * r['value_accuracy']:5.1f} {100 * r['value_f1']:5.1f}"
            f"  {r['ms_per_1000_words']:6.2f}"
        )
    gold = [(name, r) for name, r in results.items() if name.endswith("_gold")]
    if gold:
        lines.append("")
        lines.append(
            f"{'our gold':10} {'docs':>5} {'gold':>5} {'sys':>5}   {'relaxed P/R/F1':>17}   {'value':>5} {'valF1':>5}"
            "   times/negatives read as a year, negatives tagged"
        )
    for name, r in gold:
        x = r["relaxed"]
        lines.append(
            f"{name:10} {r['documents']:5} {r['gold']:5} {r['system']:5}   "
            f"{100 * x['p']:5.1f} {100 * x['r']:5.1f} {100 * x['f1']:5.1f}   "
            f"{100 * r['value_accuracy']:5.1f} {100 * r['value_f1']:5.1f}   "
            f"{r['times_as_year']} of {r['times']} times, {r['negatives_as_year']} of {r['negatives']} negatives; "
            f"{r['negatives_tagged']} tagged"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--misses", type=int, default=0, help="print this many errors of each kind")
    args = parser.parse_args(argv)
    if not (args.data / SUBDIR).is_dir():
        print(f"no {SUBDIR}/ in {args.data}; pass --data DIR")
        return 2
    misses: list[dict[str, Any]] = []
    results = evaluate(args.data, misses=misses if args.misses else None)
    print(_table(results))
    seed = results["seed"]
    if seed.get("present"):
        verdict = "ok" if seed["ok"] else "FAILED"
        print(
            f"\nseed time line: {verdict} ({seed['events']} events, all found {seed['all_found']}, "
            f"in order {seed['in_order']}, no future refs {seed['no_future_ref']})"
        )
        for line in seed["timeline"]:
            print("  " + line)
    if args.misses:
        for kind in ("missed", "spurious", "value", "span", "negative"):
            chosen = [m for m in misses if m["kind"] == kind]
            print(f"\n--- {kind}: {len(chosen)}")
            for m in chosen[: args.misses]:
                print("  " + json.dumps({k: v for k, v in m.items() if k != "kind"}, ensure_ascii=False))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
