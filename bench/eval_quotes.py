"""Quote extraction measured on PolNeAR (dev split), plus the seed article check.

    python -m bench.eval_quotes --data DIR [--split dev|train] [--seeds DIR] [--json OUT] [--show-misses N]

DIR is the shared data folder; articles come from DIR/polnear-dev (brat standoff), or DIR/polnear-train with
`--split train` (840 articles for developing rules; dev stays the measured figure). Two articles carry
several annotators' files: the first file in name order is used, for every article the same way.

The texts are raw, so spans are compared on them directly: `split_sentences` and `extract_quotes` run on
the raw text (no cleaning, which would move offsets).

Gold: every attribution with a Source; its content is the union of its fragments. Predicted: every quote,
its content being [start, end); for a direct quote split around its attribution, only the characters inside
quotation marks (the attribution between the parts is not content).

Overlap of a prediction P and a gold G is |P ∩ G| / max(|P|, |G|) in characters: symmetric, so neither a
tiny nor a sprawling span scores. Pairs are matched one to one, best overlap first. A prediction that matches
only a source-less gold attribution is left out of precision (it is a real attribution the metric does not
score). Exact: equal after trimming white space, quote marks, edge punctuation and a leading "that". Source
accuracy: among pairs matched at 0.5, the share whose mention span overlaps the gold Source span.

The engine runs with `every_attribution=True`: besides the statements `/quotes` shows, it returns the
attributions PolNeAR also annotates and `/quotes` leaves out, each with its kind (a thought, a topic, a poll's
share, a record); the rows above count them all. "shown" is the same figure on the statements alone.

Statements: the same figures at 0.5 on the gold attributions that are statements in Précis's sense, chosen by
the gold's own labels only (never by what the engine found): the content opens with a quote mark or with
"that", "whether" or "if", or the cue holds a verb of saying from the fixed list below, against the engine's
statements only (what users see). The rest are topics and actions ("criticized the law", "endorsed
Clinton"), which /quotes leaves out by design; a prediction that matches one of those is left out of this
precision, as for source-less attributions.

Seed check: the seed article (DIR/../seeds) goes through the bot's own path (clean, split, extract) and each
expected statement must be found with the expected speaker; fragments below are a few words, not sentences.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.quotes import extract_quotes
from analysis.sentences import split_sentences
from analysis.types import Quote

THRESHOLDS = (0.3, 0.5)

# The seed article's statements: (expected speaker, a few words of the statement). None: must not be a quote.
SEED_EXPECTED: tuple[tuple[str | None, str], ...] = (
    ("DW", "place in the world"),
    ("Vladimir Putin", '"excluded"'),
    ("George W. Bush", "part of the West"),
    ("George W. Bush", "China could pose"),
    ("George W. Bush", "interests are linked"),
    ("Vladimir Putin", "recognized as not"),
    ("Vladimir Putin", "European and multinational"),
    ("Vladimir Putin", "remark about the future"),
    ("Vladimir Putin", "applied for NATO"),
    ("Vladimir Putin", "reasons for refusal"),
    ("Vladimir Putin", "could become a member"),
    ("Vladimir Putin", "Perhaps Russia could"),
    ("Vladimir Putin", '"goodwill"'),
    (None, "Ukraine, Kazakhstan, and the Caucasus"),  # "he mentioned …": a topic, not a statement
    (None, "his interpretation of the collapse"),  # "Putin outlined …": a topic, not a statement
    ("Vladimir Putin", '"deceived"'),
    ("Vladimir Putin", "attempted to join"),
    ("Vladimir Putin", "real sovereignty"),
    ("Vladimir Putin", "NATO's expansion"),
    ("Vladimir Putin", "as a threat"),
    ("Vladimir Putin", "If they want to"),
    (None, "conversation with George"),
)


@dataclass(frozen=True, slots=True)
class Gold:
    content: frozenset[int]
    source: frozenset[int]
    has_source: bool
    direct: bool
    cue: str
    opening: str = ""  # the content's first word, lower case


# Verbs of saying, every form: a gold attribution cued by one of them reports something said. A fixed list of
# the evaluation's own, whatever the engine's lexicon holds.
_SAYING_WORDS = """
say says said saying tell tells told telling according add adds added adding state states stated stating claim
claims claimed claiming announce announces announced announcing argue argues argued arguing insist insists insisted
insisting warn warns warned warning explain explains explained explaining write writes wrote writing written note
notes noted noting reply replies replied replying respond responds responded responding declare declares declared
declaring assert asserts asserted asserting maintain maintains maintained contend contends contended acknowledge
acknowledges acknowledged acknowledging admit admits admitted admitting deny denies denied denying predict predicts
predicted predicting suggest suggests suggested suggesting stress stresses stressed repeat repeats repeated tweet
tweets tweeted tweeting post posts posted ask asks asked asking report reports reported reporting confirm confirms
confirmed confirming complain complains complained complaining promise promises promised promising vow vows vowed
vowing
"""
_SAYING = frozenset(_SAYING_WORDS.split())
_COMPLEMENTIZERS = frozenset({"that", "whether", "if"})


def _statement(gold: Gold) -> bool:
    """Whether a gold attribution is a statement in Précis's sense, read from the gold's own labels only: its
    content is a quotation (opens with a quote mark) or a complement clause (opens with "that", "whether",
    "if"), or its cue is a verb of saying. What is left are topics and actions ("criticized the law", "voted
    for the bill", "supports Clinton"), which /quotes leaves out by design."""
    if gold.direct or gold.opening in _COMPLEMENTIZERS:
        return True
    return bool(_SAYING & set(re.findall(r"[a-z]+", gold.cue.lower())))


def _chars(spans: list[tuple[int, int]]) -> frozenset[int]:
    return frozenset(i for s, e in spans for i in range(s, e))


def load_article(ann_path: Path, text: str) -> list[Gold]:
    tags: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    events: list[dict[str, str]] = []
    for line in ann_path.read_text(encoding="utf-8").splitlines():
        parts = line.rstrip("\n").split("\t")
        if parts[0].startswith("T") and len(parts) >= 2:
            label, _, ranges = parts[1].partition(" ")
            spans = [(int(a), int(b)) for a, b in (r.split() for r in ranges.split(";"))]
            tags[parts[0]] = (label, spans)
        elif parts[0].startswith("E") and len(parts) >= 2:
            events.append(dict(arg.split(":", 1) for arg in parts[1].split() if ":" in arg))
    golds = []
    for event in events:
        content_id = event.get("Content")
        if content_id not in tags:
            continue
        spans = tags[content_id][1]
        source = tags[event["Source"]][1] if event.get("Source") in tags else []
        cue = " ".join(text[a:b] for a, b in tags[event["Cue"]][1]) if event.get("Cue") in tags else ""
        first = text[spans[0][0] : spans[0][0] + 1] if spans else ""
        words = text[spans[0][0] : spans[0][1]].split() if spans else []
        opening = words[0].lower() if words else ""
        golds.append(Gold(_chars(spans), _chars(source), "Source" in event, first in '"“‘«', cue, opening))
    return golds


def load_corpus(data_dir: Path, split: str = "dev") -> list[tuple[str, str, list[Gold]]]:
    root = data_dir / f"polnear-{split}"
    chosen: dict[str, Path] = {}
    for ann in sorted((root / "attributions").glob("*.ann")):
        name = re.sub(r"_[0-9a-f]{4}$", "", ann.stem)
        chosen.setdefault(name, ann)  # first annotator in name order
    corpus = []
    for name, ann in sorted(chosen.items()):
        text_path = root / "text" / f"{name}.txt"
        if text_path.exists():
            text = text_path.read_text(encoding="utf-8")
            corpus.append((name, text, load_article(ann, text)))
    return corpus


_MARKS = frozenset('"“”«»„')


def _quote_chars(text: str, quote: Quote) -> frozenset[int]:
    """Characters of a quote's content; a direct quote starts inside its marks and skips what lies between
    a closing mark and the next opening one (the attribution of a split quote)."""
    if not quote.direct:
        return frozenset(range(quote.start, quote.end))
    chars = []
    inside = True
    i = quote.start
    while i < quote.end:
        width = 2 if text.startswith("''", i) else (1 if text[i] in _MARKS else 0)
        if width:
            inside = not inside
            i += width
            continue
        if inside:
            chars.append(i)
        i += 1
    return frozenset(chars)


_CORE = frozenset({"say", "says", "said", "saying", "tell", "tells", "told", "telling", "according"})


def _core(cue: str) -> bool:
    """A cue of the plainest reporting kind, whatever a lexicon says: a fixed subset to read figures on."""
    return bool(_CORE & set(re.findall(r"[a-z]+", cue.lower())))


def _overlap(a: frozenset[int], b: frozenset[int]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / max(len(a), len(b))


_TRIM = " \t\n\"'“”‘’«».,;:!?—–-"


def _norm(text: str) -> str:
    text = text.strip(_TRIM)
    if text.lower().startswith("that "):
        text = text[5:]
    return " ".join(text.strip(_TRIM).split())


def _match(preds: list[frozenset[int]], golds: list[frozenset[int]], threshold: float) -> list[tuple[int, int]]:
    pairs = []
    for i, p in enumerate(preds):
        for j, g in enumerate(golds):
            if p & g:
                score = _overlap(p, g)
                if score >= threshold:
                    pairs.append((score, i, j))
    pairs.sort(reverse=True)
    used_p: set[int] = set()
    used_g: set[int] = set()
    out = []
    for _, i, j in pairs:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            out.append((i, j))
    return out


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def evaluate_polnear(data_dir: Path, show_misses: int = 0, split: str = "dev") -> dict[str, Any]:
    corpus = load_corpus(data_dir, split)
    totals: dict[float, list[int]] = {t: [0, 0, 0] for t in THRESHOLDS}  # tp, predicted, gold
    exact = [0, 0, 0]
    source_ok = source_n = 0
    direct_hit = direct_n = 0
    core_gold = [0, 0]  # matched, total: gold attributions whose cue is "say", "tell" or "according to"
    core_pred = [0, 0]
    statements = [0, 0, 0]  # matched, predicted (those matching another gold left out), gold statements
    shown_totals = [0, 0, 0]  # overlap 0.5 for the engine's statements alone: tp, predicted, gold
    took = 0.0
    misses: list[str] = []
    for name, text, golds in corpus:
        started = time.perf_counter()
        quotes, _ = extract_quotes(text, split_sentences(text, "en"), "en", every_attribution=True)
        took += time.perf_counter() - started
        preds = [_quote_chars(text, q) for q in quotes]
        scored = [g for g in golds if g.has_source]
        unscored = [g.content for g in golds if not g.has_source]
        # predictions on source-less attributions are neither right nor wrong
        ignored = {i for i, _ in _match(preds, unscored, 0.3)}
        for threshold in THRESHOLDS:
            pairs = _match(preds, [g.content for g in scored], threshold)
            hit = {i for i, _ in pairs}
            totals[threshold][0] += len(pairs)
            totals[threshold][1] += len([i for i in range(len(preds)) if i in hit or i not in ignored])
            totals[threshold][2] += len(scored)
            if threshold == 0.5:
                for i, j in pairs:
                    q, g = quotes[i], scored[j]
                    mention = frozenset(range(q.mention_start, q.mention_end)) if q.mention_start >= 0 else frozenset()
                    source_n += 1
                    source_ok += bool(mention & g.source)
                    if not mention & g.source and len(misses) < show_misses:
                        misses.append(f"SOURCE {name}: mention={q.mention!r} gold={_span_text(text, g.source)!r}")
                direct_n += sum(g.direct for g in scored)
                direct_hit += sum(scored[j].direct for _, j in pairs)
                hit_g = {j for _, j in pairs}
                core_gold[0] += sum(1 for j, g in enumerate(scored) if _core(g.cue) and j in hit_g)
                core_gold[1] += sum(1 for g in scored if _core(g.cue))
                core_pred[0] += sum(1 for i in hit if _core(quotes[i].cue))
                core_pred[1] += sum(1 for i, q in enumerate(quotes) if _core(q.cue) and (i in hit or i not in ignored))
                # what users see: the engine's statements against the gold's statements
                shown = [i for i, q in enumerate(quotes) if q.kind == "statement"]
                st_pairs = _match([preds[i] for i in shown], [g.content for g in scored], 0.5)
                elsewhere = {shown[i] for i, j in st_pairs if not _statement(scored[j])}  # a topic or an action
                statements[0] += sum(1 for _, j in st_pairs if _statement(scored[j]))
                st_hit = {shown[i] for i, _ in st_pairs}
                shown_totals[0] += len(st_pairs)
                shown_totals[1] += len([i for i in shown if i in st_hit or i not in ignored])
                shown_totals[2] += len(scored)
                counted = [i for i in shown if (i in st_hit or i not in ignored) and i not in elsewhere]
                statements[1] += len(counted)
                statements[2] += sum(1 for g in scored if _statement(g))
                if show_misses:
                    misses.extend(_describe_misses(name, text, quotes, preds, scored, pairs, ignored, show_misses))
        exact_pairs = 0
        for i, j in _match(preds, [g.content for g in scored], 0.5):
            if _norm(text[quotes[i].start : quotes[i].end]) == _norm(_span_text(text, scored[j].content)):
                exact_pairs += 1
        exact[0] += exact_pairs
        exact[1] += len([i for i in range(len(preds)) if i not in ignored])
        exact[2] += len(scored)
    result: dict[str, Any] = {
        "articles": len(corpus),
        "gold_with_source": totals[0.5][2],
        "predicted": totals[0.5][1],
    }
    for threshold in THRESHOLDS:
        tp, n_pred, n_gold = totals[threshold]
        result[f"overlap_{int(threshold * 100)}"] = _prf(tp, n_pred, n_gold)
    result["exact"] = _prf(*exact)
    result["source_accuracy"] = round(source_ok / source_n, 4) if source_n else 0.0
    result["direct_recall"] = round(direct_hit / direct_n, 4) if direct_n else 0.0
    result["core_cues"] = _prf(core_gold[0], core_gold[1], core_gold[1]) | {
        "precision": round(core_pred[0] / core_pred[1], 4) if core_pred[1] else 0.0
    }
    p, r = result["core_cues"]["precision"], result["core_cues"]["recall"]
    result["core_cues"]["f1"] = round(2 * p * r / (p + r), 4) if p + r else 0.0
    result["statements"] = _prf(*statements) | {"gold": statements[2]}
    result["shown"] = _prf(*shown_totals)
    result["ms_per_article"] = round(1000 * took / max(1, len(corpus)), 2)
    if show_misses:
        result["misses"] = misses[: show_misses * 3]
    return result


def _span_text(text: str, chars: frozenset[int]) -> str:
    if not chars:
        return ""
    return text[min(chars) : max(chars) + 1]


def _describe_misses(
    name: str,
    text: str,
    quotes: list[Quote],
    preds: list[frozenset[int]],
    golds: list[Gold],
    pairs: list[tuple[int, int]],
    ignored: set[int],
    limit: int,
) -> list[str]:
    out = []
    hit_p = {i for i, _ in pairs}
    hit_g = {j for _, j in pairs}
    for j, g in enumerate(golds):
        if j not in hit_g:
            src = _span_text(text, g.source)
            out.append(f"MISS {name}: [{src}] [{g.cue}] {_span_text(text, g.content)[:160]!r}")
    for i, q in enumerate(quotes):
        if i not in hit_p and i not in ignored:
            out.append(f"FALSE {name}: [{q.mention}] [{q.cue}] {q.text[:160]!r}")
    return out[:limit]


def seed_check(seeds_dir: Path) -> dict[str, Any]:
    """Expected statements of the seed article, each pass or fail; empty when the seed is absent."""
    from analysis.clean import clean_article

    paths = sorted(seeds_dir.glob("000_*.txt")) if seeds_dir.is_dir() else []
    if not paths:
        return {}
    cleaned = clean_article(paths[0].read_text(encoding="utf-8"))
    quotes, people = extract_quotes(cleaned.text, split_sentences(cleaned.text, "en"), "en")
    checks: dict[str, bool] = {}
    for speaker, fragment in SEED_EXPECTED:
        holding = [q for q in quotes if fragment.lower() in q.text.lower()]
        if speaker is None:
            checks[f"no quote: {fragment}"] = not holding
        else:
            checks[f"{speaker}: {fragment}"] = bool(holding) and all(q.speaker == speaker for q in holding)
    dw = [q for q in quotes if q.speaker == "DW"]
    checks["DW is an organisation"] = bool(dw) and all(q.speaker_kind == "organization" for q in dw)
    names = {p.name for p in people if p.kind == "person"}
    checks["people: Putin and Bush, once each"] = {"Vladimir Putin", "George W. Bush"} <= names
    return {"passed": sum(checks.values()), "total": len(checks), "checks": checks}


def evaluate(data_dir: Path | str, seeds_dir: Path | str | None = None) -> dict[str, Any]:
    data_dir = Path(data_dir)
    seeds = Path(seeds_dir) if seeds_dir is not None else data_dir.parent / "seeds"
    result: dict[str, Any] = {}
    if (data_dir / "polnear-dev").is_dir():
        result["polnear"] = evaluate_polnear(data_dir)
    seed = seed_check(seeds)
    if seed:
        result["seed"] = {"passed": seed["passed"], "total": seed["total"], "all": seed["passed"] == seed["total"]}
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--seeds", type=Path, default=None, help="folder of seed articles (default DATA/../seeds)")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    parser.add_argument("--show-misses", type=int, default=0, help="print up to N misses and false alarms")
    parser.add_argument(
        "--split", choices=("dev", "train"), default="dev", help="PolNeAR split (train is for rule development)"
    )
    args = parser.parse_args(argv)
    result: dict[str, Any] = {}
    if (args.data / f"polnear-{args.split}").is_dir():
        pol = evaluate_polnear(args.data, args.show_misses, args.split)
        result["polnear"] = pol
        print(f"PolNeAR {args.split}: {pol['articles']} articles, {pol['gold_with_source']} attributions with a source")
        print(f"{'content span':<16}{'precision':>10}{'recall':>10}{'F1':>10}")
        for key, label in (("overlap_30", "overlap >= 0.3"), ("overlap_50", "overlap >= 0.5"), ("exact", "exact")):
            row = pol[key]
            print(f"{label:<16}{row['precision']:>10.3f}{row['recall']:>10.3f}{row['f1']:>10.3f}")
        shown = pol["shown"]
        print(
            f"{'shown':<16}{shown['precision']:>10.3f}{shown['recall']:>10.3f}{shown['f1']:>10.3f}"
            "   (overlap >= 0.5, the engine's statements alone: what /quotes shows)"
        )
        print(f"source accuracy (matched at 0.5): {pol['source_accuracy']:.3f}")
        core = pol["core_cues"]
        print(
            f"{'say/tell/accord.':<16}{core['precision']:>10.3f}{core['recall']:>10.3f}{core['f1']:>10.3f}"
            "   (overlap >= 0.5, attributions cued by say, tell or according to)"
        )
        st = pol["statements"]
        print(
            f"{'statements':<16}{st['precision']:>10.3f}{st['recall']:>10.3f}{st['f1']:>10.3f}"
            f"   (overlap >= 0.5, the {st['gold']} gold attributions that are a quotation, a that/whether/if"
            " clause or cued by a verb of saying)"
        )
        print(f"direct quotes found (recall at 0.5): {pol['direct_recall']:.3f}")
        print(f"extraction: {pol['ms_per_article']:.1f} ms per article")
        for line in pol.get("misses", []):
            print(line)
    else:
        print(f"no PolNeAR data at {args.data / f'polnear-{args.split}'}")
    seeds = args.seeds if args.seeds is not None else args.data.parent / "seeds"
    seed = seed_check(seeds)
    if seed:
        result["seed"] = seed
        print(f"\nseed article: {seed['passed']}/{seed['total']} checks pass")
        for label, ok in seed["checks"].items():
            print(f"  {'pass' if ok else 'FAIL'}  {label}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
