"""`precis search` from a shell: best first, the matching sentence, JSON; an old archive is indexed on open."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.bot.conftest import Precis
from tests.e2e.test_search import POSTS


def test_search_prints_the_matching_articles_and_sentences(tmp_path: Path, precis: Precis) -> None:
    db = str(tmp_path / "precis.db")
    files = []
    for i, text in enumerate(POSTS):
        (tmp_path / f"{i}.txt").write_text(text, encoding="utf-8")
        files.append(str(tmp_path / f"{i}.txt"))
    code, out, _ = precis("--db", db, "ingest", *files)
    assert code == 0 and out.count(" stored: ") == 5

    code, out, _ = precis("--db", db, "search", "украину", "--json")
    hits = json.loads(out)
    assert code == 0 and sorted(h["article_id"] for h in hits) == [1, 2, 3, 4]
    grain = next(h for h in hits if h["article_id"] == 3)
    assert grain["matches"] == ["Украине"] and "через порт" in grain["sentence"]

    code, out, _ = precis("--db", db, "search", "снег", "Риге")
    assert code == 0 and out.startswith("🔎 1 article for снег Риге") and "<b>" not in out

    # An archive analysed before the stem index existed: the next command indexes it first.
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM articles_stems")
    code, out, _ = precis("--db", db, "search", "снегом", "--json")
    assert code == 0 and [h["article_id"] for h in json.loads(out)] == [5]

    code, out, _ = precis("--db", db, "search", "нефть")
    assert code == 0 and out.strip() == "No article in this chat holds нефть."
    code, _, err = precis("--db", db, "search", "--chat", "77", "нефть")
    assert code == 1 and "no articles yet" in err
