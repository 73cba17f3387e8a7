"""The gold evaluator scores the engine the way it says: on texts and gold these tests write themselves."""

from __future__ import annotations

import json
from pathlib import Path

from bench.eval_quotes_gold import evaluate_language, map_to_raw, score
from bench.gold_quotes import load_gold

ARTICLE = (
    "Tax plan divides ministers\n\n"
    "Gordon Brown said the budget would protect families from rising bills.\n\n"
    '"We will not raise income tax," he said on Monday.\n\n'
    "A Treasury spokesman said the figures were sound.\n\n"
    "Critics had long argued that the plan favoured the rich and would cost jobs in the north."
)


def _span(text: str, words: str) -> list[int]:
    start = ARTICLE.index(words)
    return [start, start + len(words)]


def _write_gold(tmp_path: Path, rows: list[dict[str, object]]) -> Path:
    (tmp_path / "quotes_bbc.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return tmp_path


def test_the_skeleton_search_finds_a_quote_across_markdown_and_spacing() -> None:
    raw = "Intro.\n\n**Putin** said   the [talks](https://example.org/x) would go on next week, officials added."
    span = map_to_raw(raw, "Putin said the talks would go on next week", 0.1)
    assert span is not None
    assert raw[span[0] : span[1]].startswith("Putin**")
    assert raw[span[0] : span[1]].endswith("next week")
    assert map_to_raw(raw, "nothing like this is in the text at all, anywhere", 0.5) is None


def test_precision_recall_and_speaker_accuracy_on_a_written_gold(tmp_path: Path) -> None:
    rows: list[dict[str, object]] = [
        {
            "doc": "1",
            "spans": [_span(ARTICLE, "the budget would protect families from rising bills")],
            "speaker": "Gordon Brown",
            "kind": "person",
            "direct": False,
        },
        {
            "doc": "1",
            "spans": [_span(ARTICLE, "We will not raise income tax")],
            "speaker": "Gordon Brown",
            "kind": "person",
            "direct": True,
        },
        {
            "doc": "1",
            "spans": [_span(ARTICLE, "the figures were sound")],
            "speaker": None,
            "kind": "unnamed",
            "direct": False,
        },
        {  # a gold statement whose speaker is someone else than the engine can know: speaker-wrong
            "doc": "1",
            "spans": [_span(ARTICLE, "the plan favoured the rich and would cost jobs in the north")],
            "speaker": "Vince Cable",
            "kind": "person",
            "direct": False,
        },
    ]
    gold = load_gold("quotes_bbc", _write_gold(tmp_path, rows))
    outcomes = evaluate_language({"1": ARTICLE}, gold, "en")
    figures = score(outcomes)
    assert figures["gold"] == 4
    by_text = {o.prediction.text: o for o in outcomes if o.prediction is not None}
    assert by_text["We will not raise income tax"].speaker_right
    assert by_text["the budget would protect families from rising bills"].speaker_right
    assert by_text["the figures were sound"].speaker_right  # unnamed in the gold, no person named
    found = figures["predicted"]
    right = sum(1 for o in outcomes if o.span_right and o.speaker_right)
    assert figures["clean_precision"] == round(right / found, 4)
    assert figures["recall"] == round(sum(1 for o in outcomes if o.span_right) / 4, 4)
    assert right == 3


def test_a_half_overlap_is_not_enough_and_pairs_are_one_to_one(tmp_path: Path) -> None:
    # the gold statement is far longer than what the engine finds: not span-right
    start = ARTICLE.index("Gordon Brown said")
    rows: list[dict[str, object]] = [
        {"doc": "1", "spans": [[start, len(ARTICLE)]], "speaker": "Gordon Brown", "kind": "person"},
    ]
    gold = load_gold("quotes_bbc", _write_gold(tmp_path, rows))
    figures = score(evaluate_language({"1": ARTICLE}, gold, "en"))
    assert figures["recall"] == 0.0
    assert figures["clean_precision"] == 0.0


def test_an_organisation_is_matched_by_its_one_name() -> None:
    from bench.eval_quotes_gold import Prediction, speaker_right
    from bench.gold_quotes import GoldStatement

    gold = GoldStatement("1", ((0, 10),), "the Tories", "organization", None, False)
    assert speaker_right(Prediction("1", (0, 10), "x", "Conservatives", "organization"), gold, "en")
    assert not speaker_right(Prediction("1", (0, 10), "x", "Labour", "organization"), gold, "en")


def test_a_quote_split_by_its_attribution_is_placed_part_by_part(tmp_path: Path) -> None:
    article = (
        "Budget row\n\n"
        '"We will not raise taxes on working families," the Liberal Democrat Charles Kennedy said at length '
        'to the gathered party members in the hall, "and we will make the richest pay their fair share."'
    )
    first = article.index("We will not")
    second = article.index("and we will make")
    rows: list[dict[str, object]] = [
        {
            "doc": "1",
            "spans": [
                [first, first + len("We will not raise taxes on working families")],
                [second, second + len("and we will make the richest pay their fair share")],
            ],
            "speaker": "Charles Kennedy",
            "kind": "person",
            "direct": True,
        }
    ]
    gold = load_gold("quotes_bbc", _write_gold(tmp_path, rows))
    outcomes = evaluate_language({"1": article}, gold, "en")
    (hit,) = [o for o in outcomes if o.prediction is not None]
    assert len(hit.prediction.parts) == 2 if hit.prediction is not None else False
    assert hit.span_right and hit.speaker_right
