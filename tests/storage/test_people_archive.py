"""One person, one name across a chat's archive, on real SQLite files: shorter forms join the one fuller name
the chat knows (whichever article came first), shared surnames stay apart, and the people_names migration
brings an archive stored by older code under the same rules."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from analysis.people import name_key
from analysis.types import Analysis, Event, Person, Quote, Sentence
from storage.db import Database, migrations
from storage.repository import Repository, Source
from usecases.ingest import store_analysis

A, B = 10, 20  # two chats


@pytest.fixture
async def repo(db_target: str) -> AsyncIterator[Repository]:
    db = await Database.open(db_target)
    yield Repository(db)
    await db.close()


def said(title: str, *quotes: tuple[str, str], lang: str = "en", event_by: str | None = None) -> Analysis:
    """An analysis in which each (speaker, words) pair is a direct quote; `event_by` also makes a dated claim."""
    text = " ".join(f"{words}." for _, words in quotes)
    found, pos = [], 0
    for speaker, words in quotes:
        start = text.index(words, pos)
        found.append(Quote(words, start, start + len(words), True, speaker, speaker, "person"))
        pos = start + len(words)
    people = tuple(Person(s) for s in dict.fromkeys(s for s, _ in quotes))
    events = (Event("2025", "year", "2025-01-01", "2025", "a claim", 0, speaker=event_by),) if event_by else ()
    sentences = (Sentence(0, 0, len(text), text, 0, 0),)
    return Analysis(lang, title, text, sentences, quotes=tuple(found), people=people, events=events)


async def store(repo: Repository, chat: int, result: Analysis) -> None:
    article, _ = await repo.add_article(chat, f"{result.title}: {result.text}", Source("pasted"))
    await store_analysis(repo, article.id, result)


async def names(repo: Repository, chat: int) -> dict[str, int]:
    return {p.name: p.quotes for p in await repo.quoted_people(chat)}


async def speakers(repo: Repository, chat: int) -> set[str | None]:
    rows = await repo._all("SELECT speaker FROM quotes WHERE chat_id = ?", (chat,))
    return {r[0] for r in rows}


@pytest.mark.parametrize("fuller_first", [True, False])
async def test_a_surname_joins_the_one_full_name_whichever_came_first(repo: Repository, fuller_first: bool) -> None:
    full = said("One", ("Vladimir Putin", "we shall see"))
    short = said("Two", ("Putin", "nothing is decided"), event_by="Putin")
    for result in (full, short) if fuller_first else (short, full):
        await store(repo, A, result)
    assert await names(repo, A) == {"Vladimir Putin": 2}
    assert await speakers(repo, A) == {"Vladimir Putin"}
    events = await repo._all("SELECT speaker FROM events WHERE chat_id = ?", (A,))
    assert [r[0] for r in events] == ["Vladimir Putin"]
    # Still found as people write the name.
    for query in ("Putin", "Vladimir Putin", "President Putin", "Putin's"):
        assert [p.name for p in await repo.people_by_keys(A, [name_key(query)])] == ["Vladimir Putin"]


async def test_russian_forms_of_one_name_become_the_fullest(repo: Repository) -> None:
    await store(repo, A, said("Один", ("Путин", "посмотрим"), lang="ru"))
    await store(repo, A, said("Два", ("Владимир Путин", "ничего не решено"), lang="ru"))
    assert await names(repo, A) == {"Владимир Путин": 2}
    assert await speakers(repo, A) == {"Владимир Путин"}


async def test_a_first_name_alone_joins_the_one_full_name(repo: Repository) -> None:
    await store(repo, A, said("One", ("Digby Jones", "business is worried")))
    await store(repo, A, said("Two", ("Digby", "the tax will hurt")))
    assert await names(repo, A) == {"Digby Jones": 2}


async def test_a_shared_surname_stays_apart(repo: Repository) -> None:
    await store(repo, A, said("One", ("Bill Clinton", "it depends"), ("Hillary Clinton", "we will win")))
    await store(repo, A, said("Two", ("Clinton", "no comment")))
    assert await names(repo, A) == {"Bill Clinton": 1, "Hillary Clinton": 1, "Clinton": 1}


async def test_merging_never_crosses_chats(repo: Repository) -> None:
    await store(repo, A, said("One", ("Vladimir Putin", "we shall see")))
    await store(repo, B, said("Two", ("Putin", "nothing is decided")))
    assert await names(repo, B) == {"Putin": 1}
    assert await names(repo, A) == {"Vladimir Putin": 1}


def _old_archive(path: Path) -> None:
    """An archive as the code before the people_names migration stored it, keys and all."""
    with sqlite3.connect(path) as conn:
        for _, name, sql in migrations():
            if name.endswith("people_names.sql"):
                break
            conn.executescript(sql)
            conn.execute(f"PRAGMA user_version = {int(name[:3])}")
        people = [
            (1, "Lib Dem", "person", ["lib dem", "dem"]),
            (2, "Lib Dems", "organization", ["lib dems"]),
            (3, "Liberal Democrats", "organization", ["democrats"]),
            (4, "Digby", "person", ["digby"]),
            (5, "Digby Jones", "person", ["digby jones", "jones"]),
            (6, "Construction", "person", ["construction"]),
            (7, "Liberal Democrat Sarah Teather", "person", ["democrat sarah teather", "teather"]),
            (8, "Путин", "person", ["putin"]),
            (9, "Владимир Путин", "person", ["vladimir putin", "putin"]),
            (10, "Tories", "person", ["tories"]),
        ]
        conn.execute("INSERT INTO chats (id, created_at) VALUES (10, 'now')")
        conn.execute(
            "INSERT INTO articles (id, chat_id, number, content_hash, raw_text, source_kind, published_at, "
            "ingested_at) VALUES (1, 10, 1, 'h', 't', 'pasted', '2025-01-01T00:00:00+00:00', "
            "'2025-01-01T00:00:00+00:00')"
        )
        for person_id, name, kind, keys in people:
            conn.execute("INSERT INTO people (id, chat_id, name, kind) VALUES (?, 10, ?, ?)", (person_id, name, kind))
            conn.executemany(
                "INSERT INTO person_keys (chat_id, key, person_id) VALUES (10, ?, ?)", [(k, person_id) for k in keys]
            )
            conn.execute(
                "INSERT INTO quotes (article_id, chat_id, person_id, speaker, speaker_kind, mention, text, direct, "
                "start, \"end\") VALUES (1, 10, ?, ?, ?, ?, 'words', 1, ?, ?)",
                (person_id, name, kind, name, person_id, person_id + 1),
            )
        conn.execute(
            "INSERT INTO events (article_id, chat_id, value, granularity, sort_key, label, text, speaker) "
            "VALUES (1, 10, '2025', 'year', '2025-01-01', '2025', 'a claim', 'Digby')"
        )


async def test_the_migration_merges_and_renames_what_older_code_stored(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _old_archive(path)
    db = await Database.open(path)
    try:
        repo = Repository(db)
        assert await db.version() == len(migrations())
        assert await names(repo, A) == {
            "Liberal Democrats": 3,
            "Digby Jones": 2,
            "Владимир Путин": 2,
            "Sarah Teather": 1,
            "Conservatives": 1,
        }
        assert await speakers(repo, A) == {
            None,  # "Construction" said it: the statement stays, without a speaker
            "Liberal Democrats",
            "Digby Jones",
            "Владимир Путин",
            "Sarah Teather",
            "Conservatives",
        }
        events = await repo._all("SELECT speaker FROM events WHERE chat_id = ?", (A,))
        assert [r[0] for r in events] == ["Digby Jones"]
        for query, expected in [
            ("Lib Dems", "Liberal Democrats"),
            ("Tories", "Conservatives"),
            ("Sarah Teather", "Sarah Teather"),
            ("Путина", "Владимир Путин"),
        ]:
            assert [p.name for p in await repo.people_by_keys(A, [name_key(query)])] == [expected]
    finally:
        await db.close()


async def test_a_migration_step_that_fails_leaves_the_archive_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    _old_archive(path)

    async def broken(conn: object) -> None:
        raise RuntimeError("interrupted")

    with sqlite3.connect(path) as conn:
        before = conn.execute("PRAGMA user_version").fetchone()[0]
    monkeypatch.setattr("storage.db.python_steps", lambda: {"people_names": broken})
    with pytest.raises(RuntimeError):
        await Database.open(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == before
        assert len(conn.execute("SELECT * FROM people").fetchall()) == 10
        assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'events_by_speaker'").fetchone() is None
