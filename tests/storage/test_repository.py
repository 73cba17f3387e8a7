"""The repository against real SQLite files: migrations, the raw-first rule, chat walls, deletion."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from analysis.types import Analysis, Event, Person, Quote, Sentence
from storage.db import Database, DatabaseError, latest_version, migrations
from storage.repository import Repository, Source, content_hash
from usecases.ingest import store_analysis


@pytest.fixture
async def repo(db_target: str):
    db = await Database.open(db_target)
    yield Repository(db)
    await db.close()


def sample_analysis(text: str = "First point. Second point. Third point.") -> Analysis:
    sentences = []
    pos = 0
    for i, part in enumerate(text.split(". ")):
        part = part if part.endswith(".") else part + "."
        start = text.index(part.rstrip("."), pos)
        sentences.append(Sentence(i, start, start + len(part), part, 0, rank=2 - i))
        pos = start + len(part)
    quote = Quote(
        text="the talks went well",
        start=0,
        end=5,
        direct=True,
        mention="Smith",
        speaker="Anna Smith",
        speaker_kind="person",
        cue="said",
        score=1.0,
    )
    event = Event("2021", "year", "2021-01-01", "2021", "the talks began", 0)
    return Analysis(
        lang="en",
        title="A headline",
        text=text,
        sentences=tuple(sentences),
        quotes=(quote,),
        people=(Person("Anna Smith", aliases=("Smith",)),),
        events=(event,),
    )


async def test_fresh_database_is_migrated_with_pragmas(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "a.db")
    assert await db.version() == latest_version()
    async with db.conn.execute("PRAGMA journal_mode") as cur:
        assert (await cur.fetchone())[0] == "wal"
    async with db.conn.execute("PRAGMA foreign_keys") as cur:
        assert (await cur.fetchone())[0] == 1
    await db.close()
    # Opening again applies nothing and keeps the data.
    db = await Database.open(tmp_path / "a.db")
    assert await db.version() == latest_version()
    await db.close()


async def test_a_database_newer_than_the_code_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {latest_version() + 1}")
    with pytest.raises(DatabaseError, match="newer than this code"):
        await Database.open(path)


async def test_a_failed_migration_leaves_the_database_unchanged(tmp_path: Path, monkeypatch) -> None:
    import storage.db as dbmod

    real = dbmod.migrations()
    broken = [
        *real,
        (len(real) + 1, f"{len(real) + 1:03d}_broken.sql", "CREATE TABLE x (a);\nNOT SQL AT ALL;"),
    ]
    monkeypatch.setattr(dbmod, "migrations", lambda dialect="sqlite": broken)
    with pytest.raises(sqlite3.OperationalError):
        await Database.open(tmp_path / "b.db")
    monkeypatch.setattr(dbmod, "migrations", lambda dialect="sqlite": real)
    db = await Database.open(tmp_path / "b.db")
    assert await db.version() == len(real)
    async with db.conn.execute("SELECT name FROM sqlite_master WHERE name = 'x'") as cur:
        assert await cur.fetchone() is None
    await db.close()


async def test_articles_are_numbered_per_chat_and_stored_raw_first(repo: Repository) -> None:
    a1, created1 = await repo.add_article(10, "Text one.", Source("pasted"))
    a2, _ = await repo.add_article(10, "Text two.", Source("pasted"))
    b1, _ = await repo.add_article(20, "Text one.", Source("pasted"))
    assert (a1.number, a2.number, b1.number) == (1, 2, 1)
    assert created1 and a1.status == "pending"
    unfinished = {u.id for u in await repo.unfinished_articles()}
    assert {a1.id, a2.id, b1.id} <= unfinished


async def test_the_same_text_is_stored_once_and_the_second_source_kept(repo: Repository) -> None:
    first, _ = await repo.add_article(10, "Same   words here.", Source("channel", "Alpha", "https://t.me/a/1"))
    again, created = await repo.add_article(10, "same words here.", Source("channel", "Beta", "https://t.me/b/2"))
    assert not created and again.id == first.id
    assert [s.name for s in await repo.sources(10, first.id)] == ["Alpha", "Beta"]
    assert content_hash("A  b") == content_hash("a b")


async def test_chats_are_walled(repo: Repository) -> None:
    article, _ = await repo.add_article(10, "Private words.", Source("pasted"), message_id=5)
    await store_analysis(repo, article.id, sample_analysis())
    assert await repo.article_by_number(20, 1) is None
    assert await repo.article_by_id(20, article.id) is None
    assert await repo.article_by_message(20, 5) is None
    assert await repo.last_article(20) is None
    assert await repo.sources(20, article.id) == []
    assert await repo.export_articles(20) == []
    assert await repo.delete_article(20, 1) is False
    assert await repo.article_by_number(10, 1) is not None


async def test_analysis_is_stored_and_summaries_come_in_document_order(repo: Repository) -> None:
    article, _ = await repo.add_article(10, "First point. Second point. Third point.", Source("pasted"))
    await store_analysis(repo, article.id, sample_analysis())
    stored = await repo.article_by_id(10, article.id)
    assert stored is not None and stored.status == "ready" and stored.title == "A headline"
    # ranks are 2, 1, 0: the two best are the second and third sentences, shown in document order.
    assert await repo.summary_sentences(article.chat_id, article.id, 2) == ["Second point.", "Third point."]
    quote = await repo.strongest_quote(article.chat_id, article.id)
    assert quote is not None and quote.speaker == "Anna Smith" and quote.article_number == 1
    assert await repo.count_events(article.chat_id, article.id) == 1
    assert article.id not in {u.id for u in await repo.unfinished_articles()}
    # Saving again replaces, never duplicates.
    await store_analysis(repo, article.id, sample_analysis())
    assert await repo.count_events(article.chat_id, article.id) == 1


async def test_failed_analysis_is_retried_a_bounded_number_of_times(repo: Repository) -> None:
    article, _ = await repo.add_article(10, "Words.", Source("pasted"))
    for _ in range(3):
        assert article.id in {u.id for u in await repo.unfinished_articles(max_attempts=3)}
        await repo.mark_attempt(article.id)
        await repo.mark_failed(article.id, "boom")
    assert article.id not in {u.id for u in await repo.unfinished_articles(max_attempts=3)}
    stored = await repo.article_by_id(10, article.id)
    assert stored is not None and stored.status == "failed" and stored.error == "boom"


async def test_forget_one_and_all(repo: Repository) -> None:
    a, _ = await repo.add_article(10, "One.", Source("pasted"))
    await repo.add_article(10, "Two.", Source("pasted"))
    await store_analysis(repo, a.id, sample_analysis())
    assert await repo.delete_article(10, 1)
    assert await repo.article_by_number(10, 1) is None
    assert await repo.count_articles(10) == 1
    assert await repo.delete_chat_data(10) == 1
    assert await repo.count_articles(10) == 0


async def test_published_dates_round_trip_in_utc(repo: Repository) -> None:
    when = datetime(2024, 2, 24, 5, 30, tzinfo=UTC)
    article, _ = await repo.add_article(10, "Dated.", Source("pasted"), published_at=when)
    assert article.published_at == when


async def test_settings_have_defaults_and_update(repo: Repository) -> None:
    settings = await repo.chat_settings(99)
    assert (settings.timezone, settings.summary_sentences) == ("UTC", 3)
    updated = await repo.update_chat_settings(99, timezone="Europe/Riga", summary_sentences=5)
    assert (updated.timezone, updated.summary_sentences) == ("Europe/Riga", 5)


async def test_export_keeps_each_articles_own_summary_quotes_and_events(repo: Repository) -> None:
    first, _ = await repo.add_article(10, "First point. Second point. Third point.", Source("pasted"))
    second, _ = await repo.add_article(10, "Other words. More words. Last words.", Source("pasted"))
    other, _ = await repo.add_article(20, "Elsewhere. Not ours. Hidden.", Source("pasted"))
    for article in (first, second, other):
        await store_analysis(repo, article.id, sample_analysis())
    exported = await repo.export_articles(10)
    assert [a["number"] for a in exported] == [1, 2]
    for entry in exported:
        assert entry["summary"] == ["First point.", "Second point.", "Third point."]
        assert [q["speaker"] for q in entry["quotes"]] == ["Anna Smith"]
        assert [e["value"] for e in entry["events"]] == ["2021"]
    assert exported[1]["text"] == "Other words. More words. Last words."


async def test_untitled_articles_of_an_older_database_get_their_first_words(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        for version, _, sql in migrations()[:4]:
            conn.executescript(sql)
            conn.execute(f"PRAGMA user_version = {version}")
        conn.execute("INSERT INTO chats (id, created_at) VALUES (5, '2025-01-01T00:00:00+00:00')")
        rows = [
            (1, "h1", "Ignored raw text", "The city council voted on Tuesday to close the old harbour bridge."),
            (2, "h2", "Short first line.\nAnd more.", None),
            (3, "h3", "Raw", "Clean text."),
        ]
        for number, digest, raw, clean in rows:
            conn.execute(
                "INSERT INTO articles (chat_id, number, content_hash, raw_text, clean_text, title, source_kind, "
                "published_at, ingested_at) VALUES (5, ?, ?, ?, ?, ?, 'pasted', '2025-01-01T00:00:00+00:00', "
                "'2025-01-01T00:00:00+00:00')",
                (number, digest, raw, clean, "A Declared Title" if number == 3 else None),
            )
    db = await Database.open(path)
    repo = Repository(db)
    articles = [await repo.article_by_number(5, n) for n in (1, 2, 3)]
    assert [a.title for a in articles if a] == [
        "The city council voted on Tuesday to close the old harbour…",
        "Short first line.",
        "A Declared Title",
    ]
    assert all(a.dated for a in articles if a)  # what they were analysed with is kept
    await db.close()
