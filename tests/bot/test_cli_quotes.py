"""`precis quotes` and `precis people` from a shell, on an archive the real analysis filled."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storage.repository import Source
from tests.bot.conftest import archive_of, run_on
from tests.e2e.articles import ARCHIVE_POST, HARBOUR_TAX_POST


@pytest.fixture
async def archive(tmp_path: Path) -> Path:
    return await archive_of(tmp_path / "precis.db", (ARCHIVE_POST, HARBOUR_TAX_POST), Source("file", "post.txt"))


def run(archive: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    return run_on(archive, capsys, *args)


def test_quotes_as_json(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(archive, capsys, "quotes", "President", "Moreau's", "--json")
    assert code == 0
    found = json.loads(out)
    assert [q["article_id"] for q in found] == [2] + [1] * 6  # newest article first
    assert {q["speaker"] for q in found} == {"Luc Moreau"}  # one name per person across the archive
    direct = next(q for q in found if q["direct"])
    assert direct["text"] == "We may come back, but only as equals"
    assert {"speaker", "mention", "text", "direct", "article_id", "title", "source", "date"} <= set(direct)
    assert direct["title"].startswith("Declassified Notes") and direct["source"] == "post.txt"
    assert {q["mention"] for q in found} >= {"He", "The President of France", "Moreau"}

    code, out, _ = run(archive, capsys, "quotes", "Hale", "--json", "--limit", "2")
    assert code == 0 and [q["speaker"] for q in json.loads(out)] == ["Henry Hale", "Henry Hale"]


def test_every_quote_of_one_article(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(archive, capsys, "quotes", "--article", "1", "--json")
    assert code == 0
    found = json.loads(out)
    assert {q["speaker"] for q in found} == {"Luc Moreau", "Henry Hale", "NWR", None}
    assert all(q["article_id"] == 1 for q in found)
    assert not any("did not mention" in q["text"] for q in found)


def test_quotes_as_text_and_people(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(archive, capsys, "quotes", "Anna", "Berg")
    assert code == 0 and out.splitlines()[1].endswith("Anna Berg: “We cannot wait forever”")
    code, out, _ = run(archive, capsys, "people", "--json")
    assert code == 0
    assert json.loads(out)[:2] == [
        {"name": "Luc Moreau", "kind": "person", "quotes": 7},
        {"name": "Henry Hale", "kind": "person", "quotes": 3},
    ]
    code, out, _ = run(archive, capsys, "people")
    assert "     1  NWR (organisation)" in out.splitlines()


def test_bad_requests_get_a_clear_line(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(archive, capsys, "quotes")[::2] == (2, "precis quotes: give a NAME or --article ID\n")
    code, _, err = run(archive, capsys, "quotes", "Moreau", "--limit", "0")
    assert code == 2 and "--limit must be between 1 and 10,000" in err
    code, out, err = run(archive, capsys, "quotes", "Moraeu")
    assert (code, out) == (1, "") and "Did you mean Luc Moreau?" in err
    code, _, err = run(archive, capsys, "quotes", "x" * 300)
    assert code == 1 and "a name can have at most 100" in err
    code, _, err = run(archive, capsys, "quotes", "--article", "7")
    assert code == 1 and "There is no article #7" in err
    # Another chat's archive is another archive.
    code, _, err = run(archive, capsys, "quotes", "Moreau", "--chat", "5")
    assert code == 1 and "No one called “Moreau” is quoted in this chat." in err
