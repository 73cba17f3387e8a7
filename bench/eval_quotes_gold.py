"""Quotes against the hand-written gold (bench/gold/): clean precision, recall and speaker accuracy.

python -m bench.eval_quotes_gold --data ../shared/data [--show-errors 20]

Each gold document goes through the bot's own path, `analysis.pipeline.analyze` (cleaning included), and each
predicted quote is mapped back to the raw document by its text: the cleaned text of the quote
(`Analysis.text[start:end]`) and the raw document are both reduced to their letters and digits, lower case
(so whitespace, markdown the cleaner removed and quote-mark styles do not matter), and the quote's skeleton is
searched in the document's; when the whole does not occur (a markdown link's address sits inside it), its first
and last 24 (then 12) skeleton characters are searched as anchors. Of several occurrences the one nearest the quote's
relative position in the article is taken. A quote its attribution interrupts ("A," he said, "B.") is placed
part by part (`Quote.parts`). A quote that cannot be found counts as a wrong output.

A prediction is span-right when its character overlap with a gold statement (all spans of the statement) is at
least half of the longer of the two; predictions and statements are paired one-to-one, best overlap first. It is
speaker-right when its speaker and the gold speaker are the same name by the product's own name matching
(`analysis.people.person_matches`, either way round, an organisation by its one name from
`analysis.people.organisation_name`: "the Tories" is the Conservatives), or, for a gold statement whose
source the article never names, when the prediction names no person.

- clean precision: span-right and speaker-right, over every quote the engine outputs;
- recall: span-right, over every gold statement;
- speaker accuracy: speaker-right among the span-right pairs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.people import organisation_name, person_matches
from analysis.pipeline import analyze
from analysis.types import Quote
from bench.gold_quotes import GOLD_DIR, GoldStatement, load_bbc_documents, load_gold, load_ru_documents

ANCHORS = (24, 12)  # skeleton characters of the first and last anchors tried
SPAN_OVERLAP = 0.5


@dataclass(frozen=True, slots=True)
class Prediction:
    doc: str
    span: tuple[int, int] | None  # in the raw document; None when the quote could not be found there
    text: str
    speaker: str | None
    kind: str
    parts: tuple[tuple[int, int], ...] = ()  # in the raw document, when the attribution splits the quote

    @property
    def spans(self) -> tuple[tuple[int, int], ...]:
        if self.parts:
            return self.parts
        return (self.span,) if self.span is not None else ()


@dataclass(slots=True)
class Outcome:
    doc: str
    prediction: Prediction | None
    gold: GoldStatement | None
    span_right: bool = False
    speaker_right: bool = False


def _skeleton(text: str) -> tuple[str, list[int]]:
    """Letters and digits of `text` in lower case, with the offset of each in `text`."""
    chars: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        if ch.isalnum():
            chars.append(ch.lower())
            offsets.append(i)
    return "".join(chars), offsets


def _occurrences(haystack: str, needle: str) -> list[int]:
    found: list[int] = []
    at = haystack.find(needle)
    while at >= 0 and len(found) < 50:
        found.append(at)
        at = haystack.find(needle, at + 1)
    return found


def _nearest(positions: list[int], expected: float) -> int:
    return min(positions, key=lambda p: abs(p - expected))


def map_to_raw(raw: str, quote_text: str, relative_position: float) -> tuple[int, int] | None:
    """The [start, end) of `quote_text` in `raw`, found by its skeleton (see the module's docstring)."""
    raw_skeleton, offsets = _skeleton(raw)
    needle, _ = _skeleton(quote_text)
    if not needle or not raw_skeleton:
        return None
    expected = relative_position * len(raw_skeleton)
    whole = _occurrences(raw_skeleton, needle)
    if whole:
        at = _nearest(whole, expected)
        return offsets[at], offsets[at + len(needle) - 1] + 1
    for anchor in ANCHORS:
        span = _anchored(raw_skeleton, needle[:anchor], needle[-anchor:], len(needle), expected)
        if span is not None:
            return offsets[span[0]], offsets[span[1] - 1] + 1
    return None


def _anchored(skeleton: str, head: str, tail: str, length: int, expected: float) -> tuple[int, int] | None:
    heads = _occurrences(skeleton, head)
    if not heads:
        return None
    start = _nearest(heads, expected)
    # the tail within twice the quote's length: a link's address may sit inside, another quote may not
    tails = [t for t in _occurrences(skeleton[start : start + 2 * length + 80], tail) if t + len(tail) >= length // 2]
    if not tails:
        return None
    return start, start + tails[0] + len(tail)


def _overlap(spans: tuple[tuple[int, int], ...], gold: GoldStatement) -> float:
    common = sum(max(0, min(e, ge) - max(s, gs)) for s, e in spans for gs, ge in gold.spans)
    longer = max(sum(e - s for s, e in spans), sum(ge - gs for gs, ge in gold.spans))
    return common / longer if longer > 0 else 0.0


def _one_name(name: str, kind: str, lang: str) -> str:
    """The product's one name for an organisation ("the Tories" -> its party's name); a person's as given."""
    if kind != "organization":
        return name
    shown = organisation_name(name.removeprefix("the ").removeprefix("The "), lang)
    return shown if shown is not None else name


def speaker_right(prediction: Prediction, gold: GoldStatement, lang: str) -> bool:
    if gold.speaker is None:
        return prediction.speaker is None or prediction.kind != "person"
    if prediction.speaker is None:
        return False
    predicted = _one_name(prediction.speaker, prediction.kind, lang)
    wanted = _one_name(gold.speaker, gold.kind, lang)
    return person_matches(predicted, wanted, lang=lang) or person_matches(wanted, predicted, lang=lang)


def predict(doc: str, raw: str) -> list[Prediction]:
    """The quotes the bot would store for this document, placed in the raw text."""
    analysis = analyze(raw)
    length = max(1, len(analysis.text))
    return [_placed(doc, raw, analysis.text, quote, length) for quote in analysis.quotes]


def _placed(doc: str, raw: str, cleaned: str, quote: Quote, length: int) -> Prediction:
    span = map_to_raw(raw, cleaned[quote.start : quote.end], quote.start / length)
    if span is None:
        span = map_to_raw(raw, quote.text, quote.start / length)
    placed = [map_to_raw(raw, cleaned[s:e], s / length) for s, e in quote.parts]
    parts = tuple(p for p in placed if p is not None) if all(placed) else ()
    return Prediction(doc, span, quote.text, quote.speaker, quote.speaker_kind, parts)


def match_document(predictions: list[Prediction], gold: list[GoldStatement], lang: str) -> list[Outcome]:
    """Pair predictions with gold statements one-to-one, best overlap first."""
    pairs: list[tuple[float, int, int]] = []
    for p, prediction in enumerate(predictions):
        if prediction.span is None:
            continue
        for g, statement in enumerate(gold):
            overlap = _overlap(prediction.spans, statement)
            if overlap >= SPAN_OVERLAP:
                pairs.append((overlap, p, g))
    pairs.sort(key=lambda x: (-x[0], x[1], x[2]))
    taken_p: dict[int, int] = {}
    taken_g: set[int] = set()
    for _, p, g in pairs:
        if p not in taken_p and g not in taken_g:
            taken_p[p] = g
            taken_g.add(g)
    outcomes: list[Outcome] = []
    for p, prediction in enumerate(predictions):
        if p in taken_p:
            statement = gold[taken_p[p]]
            right = speaker_right(prediction, statement, lang)
            outcomes.append(Outcome(prediction.doc, prediction, statement, True, right))
        else:
            outcomes.append(Outcome(prediction.doc, prediction, None))
    outcomes += [Outcome(s.doc, None, s) for g, s in enumerate(gold) if g not in taken_g]
    return outcomes


def score(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    predicted = sum(1 for o in outcomes if o.prediction is not None)
    gold = sum(1 for o in outcomes if o.gold is not None)
    span_right = sum(1 for o in outcomes if o.span_right)
    clean = sum(1 for o in outcomes if o.span_right and o.speaker_right)
    return {
        "predicted": predicted,
        "gold": gold,
        "clean_precision": round(clean / predicted, 4) if predicted else 0.0,
        "recall": round(span_right / gold, 4) if gold else 0.0,
        "speaker_accuracy": round(clean / span_right, 4) if span_right else 0.0,
    }


def evaluate_language(documents: dict[str, str], gold: list[GoldStatement], lang: str) -> list[Outcome]:
    by_doc: dict[str, list[GoldStatement]] = {}
    for statement in gold:
        by_doc.setdefault(statement.doc, []).append(statement)
    outcomes: list[Outcome] = []
    for doc, raw in documents.items():
        outcomes += match_document(predict(doc, raw), by_doc.get(doc, []), lang)
    return outcomes


def _languages(data_dir: Path, gold_dir: Path) -> dict[str, tuple[dict[str, str], list[GoldStatement], str]]:
    out: dict[str, tuple[dict[str, str], list[GoldStatement], str]] = {}
    if (gold_dir / "quotes_bbc.jsonl").is_file():
        out["bbc"] = (load_bbc_documents(data_dir), load_gold("quotes_bbc", gold_dir), "en")
    if (gold_dir / "quotes_ru.jsonl").is_file():
        out["ru"] = (load_ru_documents(data_dir), load_gold("quotes_ru", gold_dir), "ru")
    return out


def evaluate(data_dir: Path | str, gold_dir: Path | str = GOLD_DIR) -> dict[str, Any]:
    return {name: score(evaluate_language(*args)) for name, args in _languages(Path(data_dir), Path(gold_dir)).items()}


def _excerpt(raw: str, span: tuple[int, int] | None) -> str:
    if span is None:
        return "(not found in the document)"
    return " ".join(raw[span[0] : span[1]].split())[:160]


def _error_lines(outcomes: list[Outcome], documents: dict[str, str], limit: int) -> list[str]:
    lines: list[str] = []
    for o in outcomes:
        if len(lines) >= limit:
            break
        raw = documents.get(o.doc, "")
        if o.prediction is not None and not o.span_right:
            lines.append(f"  [{o.doc}] NOT A GOLD STATEMENT ({o.prediction.speaker}): {o.prediction.text[:160]}")
        elif o.prediction is not None and not o.speaker_right and o.gold is not None:
            lines.append(
                f"  [{o.doc}] SPEAKER {o.prediction.speaker!r} should be {o.gold.speaker!r}: {o.prediction.text[:120]}"
            )
        elif o.prediction is None and o.gold is not None:
            spans = o.gold.spans
            lines.append(f"  [{o.doc}] MISSED ({o.gold.speaker}): {_excerpt(raw, (spans[0][0], spans[-1][1]))}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--gold", type=Path, default=GOLD_DIR, help="folder of the gold files")
    parser.add_argument("--show-errors", type=int, default=0, help="list up to N errors per language")
    args = parser.parse_args(argv)
    languages = _languages(args.data, args.gold)
    if not languages:
        print(f"no quote gold in {args.gold}")
        return 0
    print(f"{'gold':6} {'output':>7} {'gold':>6} {'clean precision':>16} {'recall':>8} {'speaker acc.':>13}")
    for name, (documents, gold, lang) in languages.items():
        outcomes = evaluate_language(documents, gold, lang)
        f = score(outcomes)
        print(
            f"{name:6} {f['predicted']:>7} {f['gold']:>6} {f['clean_precision']:>16.3f} {f['recall']:>8.3f}"
            f" {f['speaker_accuracy']:>13.3f}"
        )
        if args.show_errors:
            print("\n".join(_error_lines(outcomes, documents, args.show_errors)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
