"""The time line queries on real SQLite files: walls, newest-first limits, safe FTS input, index use."""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from analysis.search import query_stems, stemmed_text
from analysis.types import Analysis, Event, Person, Quote, Sentence
from storage.db import Database, migrations
from storage.postgres import Connection, PostgresDatabase
from storage.repository import Repository, Source
from storage.timeline import (
    ARTICLE_EVENTS_SQL,
    ARTICLES_EVENTS_SQL,
    ARTICLES_INFO_SQL,
    PEOPLE_BY_KEY_SQL,
    PERSON_ARTICLES_SQL,
    PG_ARTICLES_EVENTS_SQL,
    TOPIC_ARTICLES_SQL,
    fts_query,
    fts_words,
)
from usecases.ingest import store_analysis

A, B = 101, 102


@pytest.fixture
async def repo(db_target: str) -> AsyncIterator[Repository]:
    db = await Database.open(db_target)
    yield Repository(db)
    await db.close()


def analysis(text: str, events: Sequence[Event], speaker: str | None = None) -> Analysis:
    quotes: tuple[Quote, ...] = ()
    people: tuple[Person, ...] = ()
    if speaker:
        quotes = (Quote("we asked to join", 0, 10, True, speaker.split()[-1], speaker, "person", "said"),)
        people = (Person(speaker, aliases=(speaker.split()[-1],)),)
    return Analysis(
        lang="en",
        title=text.split(".")[0],
        text=text,
        sentences=(Sentence(0, 0, len(text), text, 0, 0),),
        quotes=quotes,
        people=people,
        events=tuple(events),
        title_stems=stemmed_text(text.split(".")[0]),
        stems=stemmed_text(text),
    )


def event(value: str, sort_key: str, text: str, granularity: str = "year", speaker: str | None = None) -> Event:
    return Event(value, granularity, sort_key, value, text, 0, speaker, ())


async def store(repo: Repository, chat: int, text: str, events: Sequence[Event], speaker: str | None = None) -> int:
    article, _ = await repo.add_article(chat, text, Source("channel", "Desk"))
    await store_analysis(repo, article.id, analysis(text, events, speaker))
    return article.id


async def test_an_articles_events_come_in_date_order_and_only_to_its_chat(repo: Repository) -> None:
    article = await store(
        repo,
        A,
        "NATO talks. Several dates.",
        [
            event("2022-02", "2022-02-01", "the invasion began", "month"),
            event("1954", "1954-01-01", "Moscow asked to join"),
            event("19", "1933-01-01", "objections were raised", "century"),
        ],
    )
    found = await repo.article_events(A, article)
    assert [e.value for e in found] == ["19", "1954", "2022-02"]
    assert found[0].article_number == 1 and found[0].source == Source("channel", "Desk")
    assert await repo.article_events(B, article) == []
    assert await repo.events_of_articles(B, [article]) == []


async def test_topics_find_the_newest_articles_of_the_chat_only(repo: Repository) -> None:
    ids = [await store(repo, A, f"NATO report number {i}. Nothing else.", []) for i in range(5)]
    await store(repo, A, "A story about gardens.", [])
    other = await store(repo, B, "NATO in the other chat.", [])
    assert await repo.topic_article_ids(A, ["nato"], 3) == ids[::-1][:3]
    assert await repo.topic_article_ids(A, ["NATO", "report"], 10) == ids[::-1]
    assert await repo.topic_article_ids(A, ["gardens", "NATO"], 10) == []
    assert await repo.topic_article_ids(B, ["nato"], 10) == [other]
    assert await repo.topic_article_ids(A, [], 10) == []
    # Diacritics and case do not matter: the index folds them as the words are folded.
    await store(repo, A, "Café owners protest.", [])
    assert len(await repo.topic_article_ids(A, ["CAFE"], 10)) == 1


async def test_people_are_found_by_name_phrase_or_by_their_quotes(repo: Repository) -> None:
    named = await store(repo, A, "Vladimir Putin spoke about NATO.", [event("1954", "1954-01-01", "x")])
    quoted = await store(repo, A, "The president said it again.", [], speaker="Vladimir Putin")
    await store(repo, A, "Putin Street was renamed.", [])  # the surname alone is not the phrase asked for
    (person,) = await repo.timeline_people(A, "putin")
    assert person.name == "Vladimir Putin"
    assert await repo.timeline_people(B, "putin") == []
    found = await repo.person_article_ids(A, ["vladimir", "putin"], [person.id], 10)
    assert found == [quoted, named]
    assert await repo.person_article_ids(B, ["vladimir", "putin"], [person.id], 10) == []


async def test_the_events_of_several_articles_come_with_each_ones_details_and_only_from_its_chat(
    repo: Repository,
) -> None:
    first = await store(repo, A, "NATO summit. Talks.", [event("1954", "1954-01-01", "Moscow asked to join")])
    second = await store(
        repo,
        A,
        "NATO enlargement. Members.",
        [event("1999", "1999-01-01", "Poland joined"), event("2004", "2004-01-01", "seven more joined")],
    )
    other = await store(repo, B, "NATO elsewhere. Other chat.", [event("1949", "1949-01-01", "founded")])
    found = await repo.events_of_articles(A, [second, other, first])
    assert sorted((e.value, e.article_id, e.article_number, e.article_title) for e in found) == [
        ("1954", first, 1, "NATO summit"),
        ("1999", second, 2, "NATO enlargement"),
        ("2004", second, 2, "NATO enlargement"),
    ]
    assert {e.source for e in found} == {Source("channel", "Desk")}
    assert [e.value for e in await repo.events_of_articles(B, [first, other])] == ["1949"]


_PIECES = [*"abcNEAROR*\"()^:+-{}[] ,.'\\/\u00e9\u0416\u0301_", "NEAR", "OR", "AND", "NOT", " NEAR(", "col:", "^"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join) | st.text(max_size=40))
@example("ÒR")  # a word with a diacritic that the table folds into "or": a word, not the operator
def test_no_user_text_can_break_or_steer_the_match_expression(text: str) -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE VIRTUAL TABLE articles_fts USING fts5 (title, body, chat_id UNINDEXED, "
        "tokenize = 'unicode61 remove_diacritics 2')"
    )
    conn.execute("INSERT INTO articles_fts VALUES ('t', 'NEAR OR AND abc', 1)")
    words = fts_words(text)
    for query in (fts_query(words), fts_query(words, phrase=True)) if words else ():
        rows = conn.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", (query,)).fetchall()
        # Whatever matched, matched because every word is in the text: nothing was read as an operator.
        # The table folds diacritics as it indexes ("ÒR" is the word "or"), so the check folds them too.
        assert rows == [] or all(_folded(w) in ("near", "or", "and", "abc", "t") for w in words)


def _folded(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word.casefold()) if not unicodedata.combining(c))


def test_fts_words_are_the_tokenizers_words() -> None:
    assert fts_words('NATO OR * "Putin" (NEAR) nato <b>x</b>') == ["NATO", "OR", "Putin", "NEAR", "b", "x"]
    assert fts_query(["NATO", "OR"]) == '"NATO" AND "OR"'
    assert fts_query(["vladimir", "putin"], phrase=True) == '"vladimir" + "putin"'
    assert fts_words("*** ( ) _") == []


# -- query plans ----------------------------------------------------------------------------------------------

_TABLES = ("articles", "events", "quotes", "people", "person_keys", "sentences")


def plan(conn: sqlite3.Connection, sql: str, params: Sequence[Any]) -> list[str]:
    return [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, params)]


def assert_indexed(steps: list[str]) -> None:
    for step in steps:
        words = step.split()
        if words[0] == "SCAN" and words[1] != "h":  # a materialised CTE may be walked; a table may not
            table = words[1]
            assert table not in _TABLES and "AS" not in words, f"full scan: {step}"
            if "VIRTUAL" in words:
                assert ":M" in step, f"FTS5 without MATCH: {step}"  # idxStr M: a MATCH constraint


@pytest.mark.parametrize("analysed", [False, True], ids=["fresh", "after ANALYZE"])
def test_the_time_line_queries_use_indexes_and_the_fts_index(tmp_path: Path, analysed: bool) -> None:
    conn = sqlite3.connect(tmp_path / "plan.db")
    for _, _, sql in migrations():
        conn.executescript(sql)
    conn.execute("INSERT INTO chats (id, created_at) VALUES (1, 'now'), (2, 'now')")
    for i in range(1, 301):
        conn.execute(
            "INSERT INTO articles (id, chat_id, number, content_hash, raw_text, source_kind, published_at, "
            "ingested_at) VALUES (?, ?, ?, ?, 'x', 'cli', 'now', 'now')",
            (i, 1 + i % 2, i, f"h{i}"),
        )
        conn.execute(
            "INSERT INTO articles_fts (rowid, title, body, chat_id) VALUES (?, 't', 'nato', ?)", (i, 1 + i % 2)
        )
        conn.executemany(
            "INSERT INTO events (article_id, chat_id, value, granularity, sort_key, label, text) "
            "VALUES (?, ?, '1954', 'year', '1954-01-01', '1954', 'x')",
            [(i, 1 + i % 2)] * 5,
        )
    if analysed:
        conn.execute("ANALYZE")
    checks = {
        "article": (ARTICLE_EVENTS_SQL, (5, 1)),
        "topic": (TOPIC_ARTICLES_SQL, ('"nato"', 1, 501)),
        "person": (PERSON_ARTICLES_SQL.format(ids="?, ?"), ('"putin"', 1, 1, 3, 4, 501)),
        "events of articles": (ARTICLES_EVENTS_SQL.format(ids="?, ?, ?"), (2, 4, 6, 1)),
        "articles": (ARTICLES_INFO_SQL.format(ids="?, ?, ?"), (2, 4, 6, 1)),
        "people": (PEOPLE_BY_KEY_SQL, (1, "putin")),
    }
    for name, (sql, params) in checks.items():
        steps = plan(conn, sql, params)
        assert_indexed(steps)
        if name in ("article", "events of articles"):
            assert any("events_by_article" in s for s in steps), (name, steps)
        if name in ("topic", "person"):
            assert any("articles_fts VIRTUAL TABLE" in s for s in steps), (name, steps)
        if name == "person":
            assert any("quotes_by_person" in s for s in steps), steps
        if name == "articles":
            assert all(s.startswith("SEARCH articles USING") for s in steps), steps
        if name == "people":
            assert any(s.startswith("SEARCH k USING PRIMARY KEY") for s in steps), steps
    conn.close()


# -- PostgreSQL's plans ---------------------------------------------------------------------------------------


async def test_postgres_plans_each_topic_search_for_its_own_words(postgres_url: str) -> None:
    # One connection, so that every run of the statement is on the session that prepared it.
    db = await PostgresDatabase.connect(postgres_url, max_size=1)
    try:
        repo = Repository(db)
        ids = [await store(repo, A, f"NATO report number {i}. Nothing else.", []) for i in range(3)]
        # psycopg prepares the statement after five runs; after five more the server may keep one generic
        # plan, costed for no word in particular, for every later one.
        for _ in range(15):
            assert await repo.stem_article_ids(A, query_stems("NATO"), 501) == ids[::-1]
        assert await repo.stem_article_ids(A, query_stems("gardens"), 501) == []
        plans = await db.conn.execute_fetchall(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements "
            "WHERE statement LIKE '%articles_stems%' AND statement NOT LIKE '%pg_prepared_statements%'"
        )
        assert len(plans) == 1, plans
        generic, custom = plans[0]
        assert generic == 0 and custom >= 10, plans[0]
    finally:
        await db.close()


async def test_postgres_reads_the_articles_of_a_topic_by_their_ids_not_the_whole_chat(postgres_url: str) -> None:
    db = await PostgresDatabase.connect(postgres_url, max_size=1)
    try:
        # A chat with 3,000 articles of four events each, and a few of another chat's (plain SQL: the planner
        # needs the sizes, not the analysis), analysed as autovacuum would.
        async with db.pool.connection() as raw:
            await raw.execute(f"INSERT INTO chats (id, created_at) VALUES ({A}, 'now'), ({B}, 'now')")
            await raw.execute(
                "INSERT INTO articles (id, chat_id, number, content_hash, raw_text, title, source_kind, "
                f"published_at, ingested_at) SELECT i, CASE WHEN i % 50 = 0 THEN {B} ELSE {A} END, i, 'h' || i, "
                "'text', 'title ' || i, 'cli', '2025-01-01T00:00:00+00:00', 'now' FROM generate_series(1, 3000) i"
            )
            await raw.execute(
                "INSERT INTO events (article_id, chat_id, value, granularity, sort_key, label, text) "
                "SELECT a.id, a.chat_id, '1954', 'year', '1954-01-01', '1954', 'an event' "
                "FROM articles a, generate_series(1, 4)"
            )
            await raw.execute("ANALYZE")
            ids = list(range(3000, 2000, -2))  # 500 articles, as a topic's time line reads
            rows = await Connection(raw).execute_fetchall("EXPLAIN " + PG_ARTICLES_EVENTS_SQL, (ids, A))
        plan = "\n".join(str(r[0]) for r in rows)
        # Both tables are bounded by the ids: the articles are found by their primary key. Bounded on the events
        # alone, the planner took the chat's every article (a sequential scan: tens of milliseconds at 100,000).
        assert "Seq Scan" not in plan, plan
        assert "Index Scan using articles_pkey" in plan and "(id = ANY" in plan, plan
        assert "events_by_article" in plan and "(article_id = ANY" in plan, plan
        found = await Repository(db).events_of_articles(A, ids)
        assert len(found) == 4 * len([i for i in ids if i % 50])
        assert {e.article_title for e in found} == {f"title {i}" for i in ids if i % 50}
    finally:
        await db.close()
