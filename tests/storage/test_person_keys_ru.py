"""A person stored from a Russian article is found by every form of the name, in Cyrillic or Latin."""

from __future__ import annotations

import pytest

from analysis.people import name_key
from analysis.pipeline import analyze
from storage.db import Database
from storage.repository import Repository, Source
from usecases.ingest import store_analysis

CHAT = 77

ARTICLE = """Глава ведомства Владимир Путин заявил, что мост откроют весной.

По словам Владимира Путина, работы идут по графику. «Мы успеваем», — сказал Путин.

Министр финансов Сергей Игнатов отметил, что денег хватит."""


@pytest.fixture
async def repo(db_target: str):
    db = await Database.open(db_target)
    yield Repository(db)
    await db.close()


async def people_by_key(repo: Repository, chat_id: int, query: str) -> set[str]:
    rows = await repo._all(
        "SELECT DISTINCT p.name FROM person_keys k JOIN people p ON p.id = k.person_id "
        "WHERE k.chat_id = ? AND k.key = ?",
        (chat_id, name_key(query)),
    )
    return {r[0] for r in rows}


@pytest.mark.parametrize(
    "query",
    ["Путин", "Путина", "Путину", "Путиным", "Путине", "Владимир Путин", "Владимира Путина", "Putin", "Vladimir Putin"],
)
async def test_every_form_finds_the_person(repo: Repository, query: str) -> None:
    article, _ = await repo.add_article(CHAT, ARTICLE, Source("pasted"))
    await store_analysis(repo, article.id, analyze(ARTICLE))
    assert await people_by_key(repo, CHAT, query) == {"Владимир Путин"}


async def test_other_people_and_other_chats_are_not_found(repo: Repository) -> None:
    article, _ = await repo.add_article(CHAT, ARTICLE, Source("pasted"))
    await store_analysis(repo, article.id, analyze(ARTICLE))
    assert await people_by_key(repo, CHAT, "Игнатова") == {"Сергей Игнатов"}
    assert await people_by_key(repo, CHAT, "Лавров") == set()
    assert await people_by_key(repo, CHAT + 1, "Путин") == set()


async def test_an_english_article_and_a_russian_one_meet_on_one_key(repo: Repository) -> None:
    english = "Vladimir Putin said the bridge would open in spring. Critics doubted it."
    first, _ = await repo.add_article(CHAT, english, Source("pasted"))
    await store_analysis(repo, first.id, analyze(english))
    second, _ = await repo.add_article(CHAT, ARTICLE, Source("pasted"))
    await store_analysis(repo, second.id, analyze(ARTICLE))
    assert await people_by_key(repo, CHAT, "Путин") == {"Vladimir Putin", "Владимир Путин"}
    assert await people_by_key(repo, CHAT, "Putin") == await people_by_key(repo, CHAT, "Путина")
