"""Digest filters: what the user types after the schedule, and which articles a filter keeps (real SQLite)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from analysis.search import stemmed_text
from analysis.types import Analysis, Person, Quote, Sentence
from storage.db import Database
from storage.repository import Repository, Source
from usecases.digest_filter import DigestFilter, matching_articles, parse_filter, split_schedule_and_filter
from usecases.errors import DigestProblem
from usecases.ingest import store_analysis
from usecases.services import Analyzer, Services


def test_the_schedule_and_the_filter_are_told_apart() -> None:
    words = ["weekly", "mon", "09:00", "Europe/Riga", "about", "NATO,", "Ukraine", "not", "about", "sport"]
    schedule, rest = split_schedule_and_filter(words)
    assert schedule == ["weekly", "mon", "09:00", "Europe/Riga"]
    assert parse_filter(rest) == DigestFilter(("NATO", "Ukraine"), (), ("sport",))
    assert parse_filter(["from", "Putin,", "Vladimir", "Zelensky"]) == DigestFilter((), ("Putin", "Vladimir Zelensky"))
    assert parse_filter(["про", "Украину", "кроме", "спорт"]) == DigestFilter(("Украину",), (), ("спорт",))
    assert parse_filter([]) is None
    flt = DigestFilter(("NATO",), ("Putin",), ("sport",))
    assert DigestFilter.from_json(flt.to_json()) == flt
    for words in (["about"], ["not", "about", ","]):
        with pytest.raises(DigestProblem):
            parse_filter(words)


async def test_topics_match_in_every_form_people_by_their_names_and_exclusions_remove(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "precis.db")
    services = Services(Repository(db), Analyzer(executor=ThreadPoolExecutor(1)))
    repo, chat = services.repo, 9001

    async def store(text: str, speaker: str | None = None) -> int:
        article, _ = await repo.add_article(chat, text, Source("channel", "Лента"))
        quotes = (Quote("мы готовы", 0, 5, True, speaker, speaker, "person", "сказал"),) if speaker else ()
        people = (Person(speaker, aliases=(speaker.split()[-1],)),) if speaker else ()
        analysis = Analysis(
            "ru", None, text, (Sentence(0, 0, len(text), text, 0, 0),), quotes, people, stems=stemmed_text(text)
        )
        await store_analysis(repo, article.id, analysis)
        return article.id

    kyiv = await store("Поставки на Украину продолжатся, заявил министр.")
    match = await store("Матч сборной Украины по футболу перенесли.")
    putin = await store("Президент выступил на форуме в Москве.", speaker="Владимир Путин")
    other = await store("Цены на нефть выросли.")
    ids = [kyiv, match, putin, other]
    assert await matching_articles(services, chat, ids, DigestFilter(("Украина",))) == {kyiv, match}
    assert await matching_articles(services, chat, ids, DigestFilter(("Украина",), (), ("футбол",))) == {kyiv}
    assert await matching_articles(services, chat, ids, DigestFilter((), ("Путина",))) == {putin}
    assert await matching_articles(services, chat, ids, DigestFilter(("нефть", "Украине"))) == {kyiv, match, other}
    await db.close()
