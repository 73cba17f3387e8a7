"""`precis follow`, `precis poll` and `precis following` from a shell, against feeds on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.bot.conftest import Precis
from tests.e2e.articles import BRIDGE_POST, SECOND_POST
from tests.e2e.test_feeds import RSS_TYPE, article_body, rss
from tests.pages import PageServer, send


def test_follow_poll_and_following(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, precis: Precis, pages: PageServer
) -> None:
    for name in ("TELEGRAM_BOT_TOKEN", "PRECIS_DB"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PRECIS_FETCH_ALLOW", "127.0.0.1/32")
    items = [("bridge", *article_body(BRIDGE_POST))]
    pages.routes["/rss"] = lambda r: send(
        r, 200, rss([(g, t, f"https://n.example/{g}", d) for g, t, d in items]), RSS_TYPE
    )
    db = str(tmp_path / "precis.db")

    code, out, _ = precis("--db", db, "follow", pages.url("/rss"))
    assert code == 0 and out.startswith("Following Norvik Wire") and "Stored now: 1 new article" in out

    items.insert(0, ("rail", *article_body(SECOND_POST)))
    code, out, _ = precis("--db", db, "poll", "--json")
    assert code == 0 and [(r["state"], r["new"]) for r in json.loads(out)] == [("ok", 1)]

    code, out, _ = precis("--db", db, "following", "--json")
    (feed,) = json.loads(out)
    assert (feed["number"], feed["kind"], feed["articles"], feed["state"]) == (1, "rss", 2, "ok")

    code, _, err = precis("--db", db, "follow", "http://127.0.0.1:1/nothing")
    assert code == 1 and "I could not read that address" in err
