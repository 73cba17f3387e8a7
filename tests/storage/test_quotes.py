"""Quote and people queries on real SQLite files: order, counts, walls, the migration and the query plans."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import AsyncIterator
from importlib import resources
from pathlib import Path

import pytest

from analysis.types import Analysis, Person, Quote, Sentence
from storage.db import Database
from storage.quotes import (
    PEOPLE_BY_KEY_PREFIX_SQL,
    QUOTED_PEOPLE_SQL,
    people_by_keys_sql,
    quotes_of_people_params,
    quotes_of_people_sql,
)
from storage.repository import Repository, Source
from usecases.ingest import store_analysis

A, B = 10, 20  # two chats


@pytest.fixture
async def repo(db_target: str) -> AsyncIterator[Repository]:
    db = await Database.open(db_target)
    yield Repository(db)
    await db.close()


def analysis(title: str, said: list[tuple[str, str, str]], people: tuple[Person, ...] = ()) -> Analysis:
    """An analysis whose quotes are (speaker, kind, text), in this order in the text."""
    text = " ".join(f"{t}." for _, _, t in said) or "Nothing said."
    quotes = []
    pos = 0
    for speaker, kind, words in said:
        start = text.index(words, pos)
        quotes.append(Quote(words, start, start + len(words), True, speaker, speaker, kind))  # type: ignore[arg-type]
        pos = start + len(words)
    return Analysis("en", title, text, (Sentence(0, 0, len(text), text, 0, 0),), quotes=tuple(quotes), people=people)


async def store(repo: Repository, chat: int, result: Analysis) -> int:
    article, _ = await repo.add_article(chat, result.text + f" ({result.title})", Source("pasted"))
    await store_analysis(repo, article.id, result)
    return article.id


async def person(repo: Repository, chat: int, name: str) -> int:
    [found] = [p for p in await repo.people_by_keys(chat, [name.lower()]) if p.name == name]
    return found.id


async def test_statements_come_newest_article_first_in_document_order(repo: Repository) -> None:
    await store(repo, A, analysis("Old", [("Ada Lind", "person", "first old"), ("Ada Lind", "person", "second old")]))
    await store(repo, A, analysis("New", [("Ada Lind", "person", "only new")]))
    ada = await person(repo, A, "Ada Lind")
    quotes = await repo.quotes_of_people(A, [ada], limit=10)
    assert [(q.article_title, q.text) for q in quotes] == [
        ("New", "only new"),
        ("Old", "first old"),
        ("Old", "second old"),
    ]
    assert [q.article_number for q in quotes] == [2, 1, 1]
    # Pages follow on from each other, and past the end there is nothing.
    assert [q.text for q in await repo.quotes_of_people(A, [ada], offset=1, limit=1)] == ["first old"]
    assert await repo.quotes_of_people(A, [ada], offset=3, limit=5) == []


async def test_several_people_are_merged_into_one_order(repo: Repository) -> None:
    await store(repo, A, analysis("One", [("Bo Berg", "person", "bo one"), ("Cy Berg", "person", "cy one")]))
    await store(repo, A, analysis("Two", [("Cy Berg", "person", "cy two"), ("Bo Berg", "person", "bo two")]))
    await store(repo, A, analysis("Three", [("Cy Berg", "person", "cy three")]))
    ids = [await person(repo, A, "Bo Berg"), await person(repo, A, "Cy Berg")]
    texts = [q.text for q in await repo.quotes_of_people(A, ids, limit=10)]
    assert texts == ["cy three", "cy two", "bo two", "bo one", "cy one"]
    assert [q.text for q in await repo.quotes_of_people(A, ids, offset=2, limit=2)] == ["bo two", "bo one"]
    # Both are found under the shared surname; each under their full name.
    assert {p.name for p in await repo.people_by_keys(A, ["berg"])} == {"Bo Berg", "Cy Berg"}
    assert [p.name for p in await repo.people_by_keys(A, ["cy berg"])] == ["Cy Berg"]


async def test_counts_follow_every_change(repo: Repository) -> None:
    said = [("Ada Lind", "person", "one"), ("Ada Lind", "person", "two"), ("DW", "organization", "three")]
    first = await store(repo, A, analysis("First", said, (Person("Ada Lind", aliases=("Lind",)),)))
    await store(repo, A, analysis("Second", [("Ada Lind", "person", "four")]))

    async def counts() -> dict[str, int]:
        return {p.name: p.quotes for p in await repo.quoted_people(A)}

    assert await counts() == {"Ada Lind": 3, "DW": 1}
    # Analysing an article again replaces its statements; it does not add to them.
    await store_analysis(repo, first, analysis("First", said[:1]))
    assert await counts() == {"Ada Lind": 2}
    assert await repo.delete_article(A, 2)
    assert await counts() == {"Ada Lind": 1}
    await repo.delete_chat_data(A)
    assert await counts() == {}


async def test_most_quoted_first(repo: Repository) -> None:
    await store(
        repo, A, analysis("x", [("Few Said", "person", "a")] + [("Many Said", "person", f"b{i}") for i in range(3)])
    )
    people = await repo.quoted_people(A)
    assert [(p.name, p.quotes) for p in people] == [("Many Said", 3), ("Few Said", 1)]
    assert [p.name for p in await repo.quoted_people(A, limit=1)] == ["Many Said"]


async def test_organisations_answer_only_to_their_own_name(repo: Repository) -> None:
    people = (Person("The New York Times", kind="organization"),)
    await store(repo, A, analysis("x", [("The New York Times", "organization", "it reported")], people))
    assert await repo.people_by_keys(A, ["times"]) == []
    [found] = await repo.people_by_keys(A, ["new york times"])
    assert found.kind == "organization" and found.quotes == 1


async def test_candidates_for_did_you_mean_are_a_bounded_range(repo: Repository) -> None:
    await store(repo, A, analysis("x", [("Ada Lind", "person", "a"), ("Bo Berg", "person", "b")]))
    found = await repo.people_by_key_prefixes(A, {"l"}, (3, 6))
    assert [p.name for p in found] == ["Ada Lind"]  # by its surname key "lind"
    assert await repo.people_by_key_prefixes(A, {"l"}, (7, 9)) == []
    assert [p.name for p in await repo.people_by_key_prefixes(A, {"a", "b"}, (1, 20))] == ["Ada Lind", "Bo Berg"]


async def test_chats_are_walled(repo: Repository) -> None:
    article = await store(repo, A, analysis("Private", [("Ada Lind", "person", "a secret")]))
    ada = await person(repo, A, "Ada Lind")
    assert await repo.people_by_keys(B, ["lind", "ada lind"]) == []
    assert await repo.people_by_ids(B, [ada]) == []
    assert await repo.keys_of(B, [ada]) == {ada: []}
    assert await repo.quotes_of_people(B, [ada]) == []
    assert await repo.article_quotes(B, article) == []
    assert await repo.quoted_people(B) == []
    assert await repo.people_by_key_prefixes(B, {"a", "l"}, (1, 20)) == []
    assert [q.text for q in await repo.article_quotes(A, article)] == ["a secret"]


async def test_the_migration_counts_what_was_stored_before_it(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    initial = resources.files("storage.migrations").joinpath("001_initial.sql").read_text(encoding="utf-8")
    with sqlite3.connect(path) as conn:
        conn.executescript(initial)
        conn.executescript(
            "PRAGMA user_version = 1;"
            "INSERT INTO chats (id, created_at) VALUES (10, 'now');"
            "INSERT INTO articles (id, chat_id, number, content_hash, raw_text, source_kind, published_at, ingested_at)"
            " VALUES (1, 10, 1, 'h', 't', 'pasted', '2025-01-01T00:00:00+00:00', '2025-01-01T00:00:00+00:00');"
            "INSERT INTO people (id, chat_id, name) VALUES (5, 10, 'Ada Lind'), (6, 10, 'Bo Berg');"
            'INSERT INTO quotes (article_id, chat_id, person_id, mention, text, direct, start, "end")'
            " VALUES (1, 10, 5, 'Lind', 'a', 1, 0, 1), (1, 10, 5, 'Lind', 'b', 1, 2, 3);"
        )
    db = await Database.open(path)
    try:
        people = await Repository(db).quoted_people(10)
        assert [(p.name, p.quotes) for p in people] == [("Ada Lind", 2)]
    finally:
        await db.close()


async def _plan(repo: Repository, sql: str, params: list[object]) -> list[str]:
    async with repo.conn.execute("EXPLAIN QUERY PLAN " + sql, params) as cur:
        return [str(row[3]) for row in await cur.fetchall()]


def _scans(plan: list[str]) -> list[str]:
    """Full scans of a table (scanning a small materialised subquery is fine)."""
    return [
        line
        for line in plan
        if line.startswith("SCAN") and "subquery" not in line and not re.fullmatch(r"SCAN (pick|p\d+)", line)
    ]


@pytest.fixture(params=["no statistics", "fresh statistics"])
async def planned(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Repository]:
    """A small SQLite archive, planned with no statistics (as the bot runs) and after ANALYZE (tiny tables,
    where a planner left alone would rather scan)."""
    db = await Database.open(tmp_path / "plan.db")
    repo = Repository(db)
    await store(repo, A, analysis("x", [(f"P{i} Lind", "person", f"q{i}") for i in range(5)]))
    if request.param == "fresh statistics":
        await repo.conn.execute("ANALYZE")
    yield repo
    await db.close()


@pytest.mark.parametrize("people", [1, 3])
async def test_the_quotes_query_walks_an_index_never_the_table(planned: Repository, people: int) -> None:
    ids = list(range(1, people + 1))
    plan = await _plan(planned, quotes_of_people_sql(people), quotes_of_people_params(A, ids, 0, 6))
    searches = [line for line in plan if "quotes USING COVERING INDEX quotes_by_person (person_id=?)" in line]
    assert len(searches) == people, plan
    assert "SEARCH a USING INTEGER PRIMARY KEY (rowid=?)" in plan
    assert _scans(plan) == [], plan


async def test_the_people_queries_walk_indexes(planned: Repository) -> None:
    by_key = await _plan(planned, people_by_keys_sql(2), [A, "p1 lind", "lind", 500])
    assert by_key[0] == "SEARCH k USING PRIMARY KEY (chat_id=? AND key=?)", by_key
    assert "SEARCH p USING INTEGER PRIMARY KEY (rowid=?)" in by_key and _scans(by_key) == []

    by_prefix = await _plan(planned, PEOPLE_BY_KEY_PREFIX_SQL, [A, "l", "l\U0010ffff", 3, 6, 500])
    assert by_prefix[0] == "SEARCH k USING PRIMARY KEY (chat_id=? AND key>? AND key<?)", by_prefix
    assert _scans(by_prefix) == []

    top = await _plan(planned, QUOTED_PEOPLE_SQL, [A, 300])
    assert top == ["SEARCH people USING INDEX people_by_quote_count (chat_id=? AND quote_count>?)"], top
