"""A group's move to a supergroup on each backend: every row follows, foreign keys hold, search too."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from analysis.search import query_stems
from storage.base import utcnow
from storage.db import Database
from storage.repository import Repository
from tests.storage.test_search import store

OLD, NEW = -5001, -1005001


@pytest.fixture
async def repo(db_target: str) -> AsyncIterator[Repository]:
    db = await Database.open(db_target)
    yield Repository(db)
    await db.close()


async def test_everything_of_the_old_id_moves_to_the_new(repo: Repository) -> None:
    article_id = await store(repo, OLD, "Санкции", "Санкции против России расширены.")
    await repo.update_chat_settings(OLD, summary_sentences=6)
    await repo.ensure_chat(NEW, "supergroup")  # its first message arrived before the notice of the move
    assert await repo.migrate_chat(OLD, NEW, "supergroup", utcnow())
    assert await repo.count_articles(OLD) == 0 and await repo.count_articles(NEW) == 1
    assert (await repo.chat_settings(NEW)).summary_sentences == 6
    assert [i for i, _ in await repo.search_articles(NEW, query_stems("санкций"), 5)] == [article_id]
    assert await repo.search_articles(OLD, query_stems("санкций"), 5) == []
    # PostgreSQL checked every reference at the commit; SQLite is asked.
    if repo.db.dialect == "sqlite":
        assert list(await repo.db.conn.execute_fetchall("PRAGMA foreign_key_check")) == []
    assert await repo.db.reader.execute_fetchall("SELECT id FROM chats WHERE id = ?", (OLD,)) == []
    # The second notice of the same move finds nothing left to move.
    assert not await repo.migrate_chat(OLD, NEW, "supergroup", utcnow())


async def test_an_edit_that_duplicates_another_article_changes_nothing(repo: Repository) -> None:
    from storage.repository import content_hash

    first = await store(repo, OLD, "Один", "Первый текст.")
    await store(repo, OLD, "Два", "Второй текст.")
    assert not await repo.replace_article_text(OLD, first, "Два\nВторой текст.", content_hash("Два\nВторой текст."))
    assert await repo.replace_article_text(OLD, first, "Один\nНовый текст.", content_hash("Один\nНовый текст."))
    article = await repo.article_by_id(OLD, first)
    assert article is not None and article.status == "pending"
