"""The stem index on each backend: best first, walls between chats, safe input, deletion, back-filling."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.search import query_stems, stemmed_text
from analysis.types import Analysis, Sentence
from storage.db import Database
from storage.postgres import Connection
from storage.repository import Repository, Source
from storage.search import PG_SEARCH_SQL, SEARCH_SQL

A, B = 301, 302


@pytest.fixture
async def repo(db_target: str) -> AsyncIterator[Repository]:
    db = await Database.open(db_target)
    yield Repository(db)
    await db.close()


def analysis(title: str, text: str) -> Analysis:
    return Analysis(
        lang="ru",
        title=title,
        text=text,
        sentences=(Sentence(0, 0, len(text), text, 0, 0),),
        title_stems=stemmed_text(title),
        stems=stemmed_text(text),
    )


async def store(repo: Repository, chat: int, title: str, text: str) -> int:
    article, _ = await repo.add_article(chat, f"{title}\n{text}", Source("channel", "Desk"))
    await repo.save_analysis(article.id, analysis(title, text), [])
    return article.id


async def test_every_case_form_finds_the_same_articles_best_first(repo: Repository) -> None:
    weak = await store(repo, A, "Погода", "Дожди прошли по всей стране, в том числе на границе с Украиной.")
    strong = await store(repo, A, "Украина и санкции", "Украине обещали помощь. Поставки в Украину продолжатся.")
    await store(repo, A, "Нефть", "Цены на нефть выросли.")
    for form in ("Украина", "Украины", "Украине", "Украину"):
        found = [article_id for article_id, _ in await repo.search_articles(A, query_stems(form), 10)]
        assert found == [strong, weak], form


async def test_search_is_walled_by_chat(repo: Repository) -> None:
    await store(repo, A, "Санкции", "Санкции против России расширены.")
    other = await store(repo, B, "Санкции", "Санкции против России расширены вновь.")
    assert [i for i, _ in await repo.search_articles(B, query_stems("санкции"), 10)] == [other]
    assert await repo.stem_article_ids(B, query_stems("санкции"), 10) == [other]


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.text(max_size=40))
async def test_no_input_is_fts_syntax(repo: Repository, text: str) -> None:
    # Quotes, stars, parentheses, NEAR, column filters: every word is a quoted string, so nothing raises.
    await repo.search_articles(A, query_stems(text), 5)
    await repo.search_articles(A, [text], 5)


async def test_deleting_an_article_removes_it_from_the_index(repo: Repository) -> None:
    await store(repo, A, "Санкции", "Санкции против России расширены.")
    assert await repo.search_articles(A, query_stems("санкции"), 10)
    assert await repo.delete_article(A, 1)
    assert await repo.search_articles(A, query_stems("санкции"), 10) == []
    await store(repo, A, "Санкции", "Санкции против Ирана расширены.")
    await repo.delete_chat_data(A)
    assert await repo.search_articles(A, query_stems("санкции"), 10) == []


async def test_articles_stored_before_the_index_are_found_and_indexed(repo: Repository) -> None:
    article_id = await store(repo, A, "Санкции", "Санкции против России расширены.")
    async with repo.db.transaction() as conn:  # as an archive analysed before the stem index existed
        await conn.execute("DELETE FROM articles_stems")
    assert await repo.search_articles(A, query_stems("санкциях"), 10) == []
    missing = await repo.unindexed_articles()
    assert [(m.id, m.chat_id, m.title) for m in missing] == [(article_id, A, "Санкции")]
    await repo.index_stems([(m.id, m.chat_id, stemmed_text(m.title), stemmed_text(m.text)) for m in missing])
    assert [i for i, _ in await repo.search_articles(A, query_stems("санкциях"), 10)] == [article_id]
    assert await repo.unindexed_articles() == []


async def test_the_search_uses_the_full_text_index(repo: Repository) -> None:
    if repo.db.dialect == "postgresql":
        # A table this small would be read whole; with scans off, the plan shows whether the index can serve.
        async with repo.db.pool.connection() as raw:  # type: ignore[attr-defined]
            await raw.execute("SET enable_seqscan = off")
            conn = Connection(raw)
            plan = " ".join(str(r[0]) for r in await conn.execute_fetchall("EXPLAIN " + PG_SEARCH_SQL, ("x", A, 5)))
            match = await conn.execute_fetchall(
                "EXPLAIN SELECT rowid FROM articles_stems WHERE tsv @@ plainto_tsquery('precis_simple', ?)", ("x",)
            )
            await raw.execute("RESET enable_seqscan")
        assert "Index Scan" in plan and "Seq Scan" not in plan, plan
        # Which index wins depends on the table's size; the stems' GIN index serves the match.
        assert "articles_stems_tsv" in " ".join(str(r[0]) for r in match), match
        return
    rows = await repo.db.conn.execute_fetchall("EXPLAIN QUERY PLAN " + SEARCH_SQL, ('"x"', A, 5))
    plan = " ".join(str(r[3]) for r in rows)
    assert "VIRTUAL TABLE INDEX" in plan, plan
