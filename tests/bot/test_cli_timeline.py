"""`precis timeline` and `precis dates` from a shell: what they print, in text and JSON."""

from __future__ import annotations

import io
import json
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from bot.cli import main
from tests.e2e.timeline_articles import ARCHIVE_TALKS, WIRE_FIRST, WIRE_SECOND
from usecases.services import Analyzer


def run(
    capsys: pytest.CaptureFixture[str], *argv: str, pool: ProcessPoolExecutor | None = None
) -> tuple[int, str, str]:
    code = main(list(argv), analyzer=Analyzer(pool) if pool else None)
    out, err = capsys.readouterr()
    return code, out, err


def test_timeline_of_an_article_and_of_a_topic(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], analysis_pool: ProcessPoolExecutor
) -> None:
    db = str(tmp_path / "precis.db")
    files = []
    for name, text in (
        ("talks.txt", "Published 20 October 2025\n" + ARCHIVE_TALKS),
        ("a.txt", WIRE_FIRST),
        ("b.txt", WIRE_SECOND),
    ):
        (tmp_path / name).write_text(text, encoding="utf-8")
        files.append(str(tmp_path / name))
    code, out, _ = run(capsys, "--db", db, "ingest", *files, pool=analysis_pool)
    assert code == 0 and out.count(" stored: ") == 3

    code, out, _ = run(capsys, "--db", db, "timeline", "--article", "1", "--json")
    events = json.loads(out)
    dates = [e["date"] for e in events]
    # The sentence that names the mid-20th century and the early 2000s is one event, not two copies.
    assert "200X" not in dates and len({e["text"] for e in events}) == len(events)
    for earlier, later in [
        ("19XX", "1954"),
        ("1954", "2000"),
        ("2000", "2001"),
        ("2001", "2022-02"),
        ("2022-02", "2025-10"),
    ]:
        assert dates.index(earlier) < dates.index(later), dates
    assert all(e["article_id"] == 1 and e["sources"][0]["source"] == "talks.txt" for e in events)
    assert next(e for e in events if e["date"] == "1954")["speaker"] == "Vladimir Putin"
    # The date line at the top of the file is the publication date.
    assert events[0]["sources"][0]["published_at"] == "2025-10-20T12:00:00+00:00"

    code, out, _ = run(capsys, "--db", db, "timeline", "northern", "pier", "--json")
    (pier,) = json.loads(out)
    assert pier["date"] == "2024-03-12" and [s["article_id"] for s in pier["sources"]] == [2, 3]

    code, out, _ = run(capsys, "--db", db, "timeline", "Putin")
    assert code == 0 and out.startswith("🗓 Timeline: Vladimir Putin — ")
    assert "1954 — Vladimir Putin: " in out and "<b>" not in out

    code, out, err = run(capsys, "--db", db, "timeline", "NATO OR *")
    assert code == 1 and out == "" and "No article in this chat mentions NATO OR *." in err
    code, _, err = run(capsys, "--db", db, "timeline", "--chat", "77", "NATO")
    assert code == 1 and "no articles yet" in err


def test_dates_prints_every_expression_with_its_span(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "He left yesterday and will come back in 50 years; the club opened in 1954, for 50 years, every year."
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    code, out, _ = run(capsys, "--db", str(tmp_path / "p.db"), "dates", "--published", "2025-10-20", "--json")
    assert code == 0
    found = json.loads(out)
    for x in found:
        assert text[x["start"] : x["end"]] == x["text"]
    by_text = {x["text"]: x for x in found}
    assert by_text["yesterday"]["value"] == "2025-10-19" and by_text["yesterday"]["granularity"] == "day"
    assert by_text["1954"]["type"] == "DATE"
    assert {x["type"] for x in found} >= {"DATE", "DURATION", "SET"}

    path = tmp_path / "t.txt"
    path.write_text("Prices: $1,999. Call 555-1954. Score 2-1. On 31 February 2022 it rained.", encoding="utf-8")
    code, out, _ = run(capsys, "dates", str(path), "--published", "2025-10-20")
    assert code == 0 and out.startswith("# ") and "1999" not in out and "\t1954\t" not in out
    code, _, err = run(capsys, "dates", str(path), "--published", "yesterday-ish")
    assert code == 2 and "ISO 8601" in err
    code, _, err = run(capsys, "dates", str(tmp_path / "missing.txt"))
    assert code == 2 and "no such file" in err


BLAIR_SPEECH = (
    "Blair sets out school pledges\n\n"
    "Tony Blair promised on 14 February 2005 to give parents more say over schools. "
    "Mr Blair said the plan would be in the manifesto.\n\n"
    "He had promised smaller classes in 2001."
)
OTHERS_STORY = (
    "Lib Dems launch tax plans\n\n"
    "Charles Kennedy launched his party's tax plans on 10 February 2005 in London. "
    "Mr Kennedy said a local income tax would replace council tax.\n\n"
    "Michael Howard was elected Tory leader in 2003. Tony Blair has not replied to the plans."
)


def test_a_persons_time_line_holds_only_the_events_they_take_part_in(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], analysis_pool: ProcessPoolExecutor
) -> None:
    db = str(tmp_path / "precis.db")
    for name, text in (("blair.txt", BLAIR_SPEECH), ("kennedy.txt", OTHERS_STORY)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        assert run(capsys, "--db", db, "ingest", str(tmp_path / name), pool=analysis_pool)[0] == 0
    code, out, _ = run(capsys, "--db", db, "timeline", "Blair", "--json")
    assert code == 0
    lines = {e["date"]: e["text"] for e in json.loads(out)}
    # His own pledge, and "he" in 2001 (the quote engine's Blair), but not Kennedy's launch or Howard's election,
    # although the second article mentions him.
    assert "2005-02-14" in lines and "2001" in lines
    assert "2005-02-10" not in lines and "2003" not in lines


def test_timeline_png_draws_the_time_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], analysis_pool: ProcessPoolExecutor
) -> None:
    db = str(tmp_path / "precis.db")
    (tmp_path / "talks.txt").write_text(ARCHIVE_TALKS, encoding="utf-8")
    assert run(capsys, "--db", db, "ingest", str(tmp_path / "talks.txt"), pool=analysis_pool)[0] == 0
    # Drawn in the analysis workers, as the bot draws it.
    code, out, _ = run(
        capsys, "--db", db, "timeline", "--article", "1", "--png", str(tmp_path / "t.png"), pool=analysis_pool
    )
    assert code == 0 and "events" in out
    png = (tmp_path / "t.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    code, _, _ = run(
        capsys, "--db", db, "timeline", "Putin", "--png", str(tmp_path / "d.png"), "--dark", pool=analysis_pool
    )
    assert code == 0 and (tmp_path / "d.png").read_bytes().startswith(b"\x89PNG")
