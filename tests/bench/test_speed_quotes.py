"""The quote speed bench: its output dump tells a changed output from an unchanged one, and it runs an earlier
commit's engine beside this one, each from its own tree; on a data folder these tests write themselves."""

from __future__ import annotations

import json
from pathlib import Path

from bench.speed_quotes import check, compare, dump_lines

ENGLISH = (
    "Tax plan divides ministers\n\n"
    "Gordon Brown said the budget would protect families from rising bills.\n\n"
    '"We will not raise income tax," he said on Monday.\n\n'
    "A Treasury spokesman said the figures were sound."
)
RUSSIAN = (
    "Министр финансов Антон Силуанов заявил, что бюджет на следующий год будет сбалансирован. "
    "«Мы не будем повышать налоги для граждан и для малого бизнеса», — сказал Силуанов журналистам в понедельник. "
    "По его словам, расходы на социальные программы сохранятся."
)


def _data(root: Path) -> Path:
    polnear = root / "polnear-dev"
    (polnear / "attributions").mkdir(parents=True)
    (polnear / "text").mkdir()
    (polnear / "attributions" / "paper_2016-09-12_budget_ab12.ann").write_text("", encoding="utf-8")
    (polnear / "text" / "paper_2016-09-12_budget.txt").write_text(ENGLISH, encoding="utf-8")
    posts = [
        {"channel": "news", "message_id": 1, "text": RUSSIAN},
        {"channel": "news", "message_id": 2, "text": RUSSIAN.replace("понедельник", "пятницу")},
        {"channel": "news", "message_id": 3, "text": "Коротко."},  # under 200 characters: not an article
    ]
    raw = root / "telegram-news-ru" / "data" / "raw"
    raw.mkdir(parents=True)
    (raw / "1_messages.json").write_text(json.dumps(posts, ensure_ascii=False), encoding="utf-8")
    bbc = root / "bbc-news-summary-politics" / "articles"
    bbc.mkdir(parents=True)
    (bbc / "001.txt").write_bytes(ENGLISH.encode("latin-1"))
    (bbc / "002.txt").write_bytes(ENGLISH.replace("Monday", "Friday").encode("latin-1"))
    return root


def test_the_dump_is_identical_for_the_same_engine_and_names_the_article_that_changed(tmp_path: Path) -> None:
    data = _data(tmp_path / "data")
    lines = dump_lines(data)
    assert [json.loads(line)["corpus"] for line in lines] == ["polnear", "ru", "ru", "bbc", "bbc"]
    first = json.loads(lines[0])
    assert any(q["speaker"] == "Gordon Brown" for q in first["quotes"])
    reference = tmp_path / "before.jsonl"
    reference.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert check(data, reference) == []

    changed = json.loads(lines[3])
    changed["quotes"][0]["score"] += 0.001
    lines[3] = json.dumps(changed, ensure_ascii=False, sort_keys=True)
    reference.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert check(data, reference) == ["bbc/001"]


def test_an_earlier_commit_runs_beside_this_engine(tmp_path: Path) -> None:
    data = _data(tmp_path / "data")
    figures = compare(data, "HEAD", rounds=1, corpora=("polnear", "ru"))
    assert set(figures) == {"this", "HEAD"}
    for engine in figures.values():
        assert engine["polnear"]["articles"] == 1
        assert engine["ru"]["articles"] == 2
        assert engine["ru"]["cpu_ms"] >= 0 and engine["ru"]["cpu_min"] <= engine["ru"]["cpu_max"]
