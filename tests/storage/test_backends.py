"""What each backend must do beyond the shared repository tests: migrations and their version check, exact
counters under concurrency, PostgreSQL's text search, and copying an archive from one to the other."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from analysis.search import query_stems, stemmed_text
from analysis.types import Analysis, Person, Quote, Sentence
from bot.cli import main
from bot.config import Config, database_target, load_config
from storage.copy import TABLES, copy_database
from storage.db import Database, DatabaseError, latest_version, migrations, redact
from storage.postgres import translate
from storage.repository import Repository, Source
from usecases.ingest import store_analysis

CHAT = 7


def test_both_dialects_ship_the_same_numbered_migrations() -> None:
    sqlite = [name for _, name, _ in migrations("sqlite")]
    postgres = [name for _, name, _ in migrations("postgresql")]
    assert sqlite == postgres, "every SQLite migration needs its PostgreSQL twin of the same number and name"


def test_placeholders_become_psycopgs_and_strings_are_left_alone() -> None:
    assert translate("SELECT ? FROM t WHERE a = ? AND b LIKE '%?%'") == (
        "SELECT %s FROM t WHERE a = %s AND b LIKE '%%?%%'",
        None,
    )
    assert translate('SELECT "a?" FROM t WHERE x = ?2 AND y = ?1 AND z = ?2') == (
        'SELECT "a?" FROM t WHERE x = %s AND y = %s AND z = %s',
        (1, 0, 1),
    )
    assert translate("SELECT 'it''s ?', ?") == ("SELECT 'it''s ?', %s", None)
    with pytest.raises(ValueError):
        translate("SELECT ?, ?1")


def test_a_url_picks_postgresql_and_its_password_never_shows(tmp_path: Path) -> None:
    assert database_target("postgresql://u:secret@db.example/precis") == "postgresql://u:secret@db.example/precis"
    assert database_target(f"sqlite:{tmp_path}/a.db") == tmp_path / "a.db"
    assert database_target("~/x.db") == Path.home() / "x.db"
    assert redact("postgresql://u:secret@db.example:5432/precis") == "postgresql://u:***@db.example:5432/precis"
    config = load_config({"PRECIS_DB": "postgresql://u:secret@db.example/precis"}, env_file=None)
    assert config.db_path == "postgresql://u:secret@db.example/precis"
    assert "secret" not in repr(config)
    assert isinstance(Config().db_path, Path)


async def test_a_fresh_database_is_at_the_codes_version_and_opening_again_changes_nothing(
    empty_db_target: str,
) -> None:
    db = await Database.open(empty_db_target)
    repo = Repository(db)
    await repo.add_article(CHAT, "Kept across opening again.", Source("pasted"))
    assert await db.version() == latest_version()
    await db.close()
    db = await Database.open(empty_db_target)
    assert await db.version() == latest_version()
    assert await Repository(db).count_articles(CHAT) == 1
    await db.close()


async def test_concurrent_starts_migrate_once(empty_db_target: str) -> None:
    opened = await asyncio.gather(*(Database.open(empty_db_target) for _ in range(4)), return_exceptions=True)
    problems = [o for o in opened if isinstance(o, BaseException)]
    for db in opened:
        if isinstance(db, Database):
            assert await db.version() == latest_version()
            await db.close()
    assert not problems, problems


async def test_postgresql_refuses_a_database_newer_than_the_code(postgres_url: str) -> None:
    db = await Database.open(postgres_url)
    await db.conn.execute("UPDATE precis_schema SET version = ?", (latest_version() + 1,))
    await db.close()
    with pytest.raises(DatabaseError, match="newer than this code"):
        await Database.open(postgres_url)


async def test_a_failed_postgresql_migration_changes_nothing(postgres_url: str, monkeypatch) -> None:
    import storage.postgres as pgmod

    real = migrations("postgresql")
    broken = [*real, (len(real) + 1, f"{len(real) + 1:03d}_broken.sql", "CREATE TABLE x (a int);\nNOT SQL AT ALL;")]
    monkeypatch.setattr(pgmod, "migrations", lambda dialect: broken)
    with pytest.raises(Exception, match="syntax"):
        await Database.open(postgres_url)
    monkeypatch.setattr(pgmod, "migrations", lambda dialect: real)
    db = await Database.open(postgres_url)
    try:
        # One transaction for all of them: not even the first migrations stayed behind.
        assert await db.version() == len(real)
        rows = await db.reader.execute_fetchall("SELECT to_regclass('x') IS NULL")
        assert rows[0][0] is True
    finally:
        await db.close()


def quote_analysis(speaker: str, n: int) -> Analysis:
    text = " ".join(f"Statement {i} was made." for i in range(n))
    quotes = tuple(Quote(f"statement {i}", i, i + 1, True, speaker, speaker, "person", "said") for i in range(n))
    return Analysis(
        lang="en",
        title="Statements",
        text=text,
        sentences=(Sentence(0, 0, len(text), text, 0, 0),),
        quotes=quotes,
        people=(Person(speaker),),
        events=(),
    )


async def test_quote_counters_stay_exact_under_concurrent_writers(db_target: str) -> None:
    """Several processes' worth of connections insert and delete one person's quotes at once, in transactions
    that hold no chat (on PostgreSQL they really run at once): the count kept by the triggers equals the rows."""
    db = await Database.open(db_target)
    repo = Repository(db)
    article, _ = await repo.add_article(CHAT, "Who said it.", Source("pasted"))
    await store_analysis(repo, article.id, quote_analysis("Ada Lind", 1))
    person = (await repo.quoted_people(CHAT))[0]
    others = [await Database.open(db_target) for _ in range(3)]

    async def writer(handle: Database, k: int) -> None:
        for round_ in range(5):
            async with handle.transaction() as conn:
                await conn.executemany(
                    "INSERT INTO quotes (article_id, chat_id, person_id, speaker, mention, text, direct, start, "
                    '"end") VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)',
                    [(article.id, CHAT, person.id, "Ada Lind", "Lind", f"w{k}r{round_}i{i}", i, i) for i in range(20)],
                )
                await conn.execute("DELETE FROM quotes WHERE text IN (?, ?)", (f"w{k}r{round_}i0", f"w{k}r{round_}i1"))

    try:
        await asyncio.gather(*(writer(h, k) for k, h in enumerate([db, *others])))
        rows = await db.reader.execute_fetchall("SELECT count(*) FROM quotes WHERE person_id = ?", (person.id,))
        assert rows[0][0] == 1 + 4 * 5 * 18
        assert (await repo.people_by_ids(CHAT, [person.id]))[0].quotes == rows[0][0]
    finally:
        for handle in others:
            await handle.close()
        await db.close()


@pytest.fixture
async def pg_repo(postgres_url: str) -> AsyncIterator[Repository]:
    db = await Database.open(postgres_url)
    yield Repository(db)
    await db.close()


async def store(repo: Repository, text: str, lang: str = "en", chat: int = CHAT) -> int:
    article, _ = await repo.add_article(chat, text, Source("pasted"))
    title = text.split(".")[0]
    sentences = (Sentence(0, 0, len(text), text, 0, 0),)
    analysis = Analysis(
        lang, title, text, sentences, (), (), (), title_stems=stemmed_text(title), stems=stemmed_text(text)
    )
    await store_analysis(repo, article.id, analysis)
    return article.id


async def test_postgresql_search_knows_english_and_russian_word_forms(pg_repo: Repository) -> None:
    english = await store(pg_repo, "The elections were postponed by the parliament.")
    russian = await store(pg_repo, "Переговоры в Женеве закончились без соглашения.", "ru")
    await store(pg_repo, "A story about gardens.")
    assert await pg_repo.topic_article_ids(CHAT, ["election", "postponing"], 10) == [english]
    assert await pg_repo.topic_article_ids(CHAT, ["Женева"], 10) == [russian]
    assert await pg_repo.topic_article_ids(CHAT, ["переговорах", "соглашение"], 10) == [russian]
    # Every word must be there: gardens and elections are in different articles.
    assert await pg_repo.topic_article_ids(CHAT, ["gardens", "elections"], 10) == []
    assert await pg_repo.topic_article_ids(CHAT + 1, ["elections"], 10) == []


async def test_postgresql_search_reads_no_syntax_in_what_users_type(pg_repo: Repository) -> None:
    await store(pg_repo, "NATO met on Monday.")
    await store(pg_repo, "A story about gardens.")
    for words in (["NATO", "or", "gardens"], ["NATO", "|", "gardens"], ["-gardens", "NATO"], ["!", "&", ":*"]):
        assert await pg_repo.topic_article_ids(CHAT, words, 10) in ([], [1]), words
    assert await pg_repo.topic_article_ids(CHAT, ["NATO", "or", "gardens"], 10) == []
    assert await pg_repo.topic_article_ids(CHAT, ['nato"', "(monday"], 10) == [1]


async def test_copy_moves_an_archive_to_postgresql_and_it_answers_the_same(tmp_path: Path, postgres_url: str) -> None:
    sqlite_path = tmp_path / "old.db"
    source = await Database.open(sqlite_path)
    repo = Repository(source)
    await store(repo, "NATO talks began. Nothing else.")
    ids = [await store(repo, f"Ada Lind spoke on NATO, part {i}.") for i in range(3)]
    await store_analysis(repo, ids[0], quote_analysis("Ada Lind", 3))
    await store(repo, "Переговоры в Женеве.", "ru", chat=CHAT + 1)
    await source.close()

    status = await asyncio.to_thread(main, ["copy", "--from", f"sqlite:{sqlite_path}", "--to", postgres_url])
    assert status == 0
    source, target = await Database.open(sqlite_path), await Database.open(postgres_url)
    try:
        old, new = Repository(source), Repository(target)
        for table in TABLES:
            a = await source.reader.execute_fetchall(f"SELECT count(*) FROM {table}")
            b = await target.reader.execute_fetchall(f"SELECT count(*) FROM {table}")
            assert a[0][0] == b[0][0], table
        assert await new.quoted_people(CHAT) == await old.quoted_people(CHAT)
        assert await new.topic_article_ids(CHAT, ["NATO"], 10) == await old.topic_article_ids(CHAT, ["NATO"], 10)
        assert await new.topic_article_ids(CHAT + 1, ["Женеве"], 10) == [ids[-1] + 1]
        # The stem index came along: /search finds the same articles in the same order.
        for chat, words in ((CHAT, "NATO"), (CHAT, "spoke parts"), (CHAT + 1, "Женева")):
            found = [i for i, _ in await new.search_articles(chat, query_stems(words), 10)]
            assert found and found == [i for i, _ in await old.search_articles(chat, query_stems(words), 10)], words
        # New articles continue after the copied ones.
        article, created = await new.add_article(CHAT, "A new one after the move.", Source("pasted"))
        assert created and article.id > ids[-1] + 1 and article.number == 5
        # The counters were recounted, and their triggers work again after the copy.
        await store_analysis(new, article.id, quote_analysis("Ada Lind", 2))
        assert [(p.name, p.quotes) for p in await new.quoted_people(CHAT)] == [("Ada Lind", 5)]
        # A second copy into the same database is refused: it is not empty any more.
        with pytest.raises(DatabaseError, match="not empty"):
            await copy_database(source, target)
    finally:
        await source.close()
        await target.close()


async def test_the_copy_covers_every_table_of_the_schema(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "schema.db")
    rows = await db.reader.execute_fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE 'articles_fts%' AND name NOT LIKE 'articles_stems%'"
    )
    await db.close()
    assert sorted(r[0] for r in rows) == sorted(TABLES)


def test_migrate_reports_the_version(tmp_path: Path, capsys) -> None:
    assert main(["--db", str(tmp_path / "m.db"), "migrate"]) == 0
    assert f"schema version {latest_version()} (sqlite)" in capsys.readouterr().out


async def test_untitled_articles_of_an_older_postgresql_database_get_their_first_words(postgres_url: str) -> None:
    import psycopg

    async with await psycopg.AsyncConnection.connect(postgres_url, autocommit=True) as raw:
        for _, _, sql in migrations("postgresql")[:4]:
            await raw.execute(sql.encode())
        await raw.execute("CREATE TABLE precis_schema (version integer NOT NULL)")
        await raw.execute("INSERT INTO precis_schema (version) VALUES (4)")
        await raw.execute("INSERT INTO chats (id, created_at) VALUES (5, '2025-01-01T00:00:00+00:00')")
        rows = [
            (1, "h1", "Ignored raw text", "The city council voted on Tuesday to close the old harbour bridge."),
            (2, "h2", "  Short first line.\nAnd more.", None),
            (3, "h3", "Raw", "Clean text."),
            (4, "h4", "Ж" * 70 + " end", None),
        ]
        for number, digest, text, clean in rows:
            await raw.execute(
                "INSERT INTO articles (chat_id, number, content_hash, raw_text, clean_text, title, source_kind, "
                "published_at, ingested_at) VALUES (5, %s, %s, %s, %s, %s, 'pasted', '2025-01-01T00:00:00+00:00', "
                "'2025-01-01T00:00:00+00:00')",
                (number, digest, text, clean, "A Declared Title" if number == 3 else None),
            )
    db = await Database.open(postgres_url)
    try:
        repo = Repository(db)
        articles = [await repo.article_by_number(5, n) for n in (1, 2, 3, 4)]
        assert [a.title for a in articles if a] == [
            "The city council voted on Tuesday to close the old harbour…",
            "Short first line.",
            "A Declared Title",
            "Ж" * 60 + "…",
        ]
        assert [a.title_guessed for a in articles if a] == [True, True, False, True]
        assert all(a.dated for a in articles if a)
    finally:
        await db.close()
