"""The replies of `/timeline TOPIC` and `/timeline PERSON` over a small generated archive, pinned on both backends.

The archive is the time line benchmark's generator at a small size (more articles than a time line reads, so
the cap shows), with the actors of some events filled in so that a person's time line filters on them too.
Every page a user can turn to, the whole list the CLI prints, its JSON and the picture's lines are compared
with what the code gave before its speed work: a first page verbatim, the rest by a digest.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from collections.abc import AsyncIterator
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bench import bench_timeline
from storage.copy import copy_database
from storage.db import Database
from storage.repository import Repository
from usecases.errors import UserError
from usecases.services import Services
from usecases.timeline import timeline_for
from views.timeline import pages, picture_spec, render_timeline, render_timeline_all, timeline_json

ARTICLES = 1600
EXPECTED = Path(__file__).with_name("timeline_replies.json")
QUERIES = [
    "NATO",  # the most frequent topic: more articles than are read
    "climate",
    "Siberia",  # the rarest
    "NATO  climate",  # two words
    "zzzunknown",  # nothing: an error to the user
    "Anna Abel",  # a person's full name
    "Novak",  # a surname many people share
    "Anna",  # a first name: a topic
]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory, sqlite_migrated: Path) -> Path:
    path = tmp_path_factory.mktemp("archive") / "timeline.db"
    shutil.copyfile(sqlite_migrated, path)
    bench_timeline.generate(path, ARTICLES)
    conn = sqlite3.connect(path)
    with conn:  # every third event names its first two words (a person, mostly) as the clause's actors
        rows = conn.execute("SELECT id, text FROM events WHERE id % 3 = 0").fetchall()
        conn.executemany("UPDATE events SET actors = ? WHERE id = ?", [(" ".join(t.split()[:2]), i) for i, t in rows])
    conn.close()
    return path


@pytest.fixture
async def services(db_target: str, generated: Path) -> AsyncIterator[Services]:
    if db_target.startswith("postgresql"):
        source, target = await Database.open(generated), await Database.open(db_target)
        try:
            await copy_database(source, target)
        finally:
            await source.close()
        db = target
    else:
        shutil.copyfile(generated, db_target)
        db = await Database.open(db_target)
    yield Services(Repository(db), None)  # type: ignore[arg-type]  # a time line needs no analysis
    await db.close()


async def reply(services: Services, query: str) -> dict[str, Any]:
    """What a user (or the CLI) is shown for `/timeline QUERY`."""
    try:
        view = await timeline_for(services, bench_timeline.CHAT, query)
    except UserError as error:
        return {"error": error.key, "values": error.values}
    every_page = [render_timeline(view, "en", page)[0] for page in range(1, pages(view) + 1)]
    picture = picture_spec(view, "en", "UTC", datetime(2026, 1, 1, tzinfo=UTC))
    whole = {
        "pages": every_page,
        "ru_first": render_timeline(view, "ru")[0],
        "all": render_timeline_all(view, "en")[0],
        "json": timeline_json(view),
        "picture": asdict(picture),
        "articles": view.articles,
        "capped": view.capped,
        "kind": view.kind,
        "scope": view.scope,
    }
    digest = hashlib.sha256(json.dumps(whole, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
    return {"first_page": every_page[0], "pages": len(every_page), "entries": len(view.entries), "digest": digest}


async def test_the_replies_are_what_they_were(services: Services) -> None:
    got = {query: await reply(services, query) for query in QUERIES}
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    for query in QUERIES:
        assert got[query] == expected[query], query
