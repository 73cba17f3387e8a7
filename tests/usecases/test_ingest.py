"""Ingesting an article: the card comes from the analysis in hand, and reads as /summary reads it afterwards."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from storage.db import Database
from storage.repository import Repository, Source
from tests.e2e.articles import ARCHIVE_POST, BRIDGE_POST
from usecases.ingest import IncomingArticle, analyse_stored, ingest, people_index
from usecases.services import Analyzer, Services
from usecases.summary import summary_view
from views.summary import render_summary

CHAT = 42


@pytest.fixture
async def services(tmp_path: Path):
    db = await Database.open(tmp_path / "precis.db")
    # Threads, not processes: the analysis is the same code, and a test needs no worker start-up.
    with ThreadPoolExecutor(1) as pool:
        yield Services(Repository(db), Analyzer(pool))
    await db.close()


@pytest.mark.parametrize("text", [BRIDGE_POST, ARCHIVE_POST])
async def test_the_card_from_the_analysis_is_the_summary_read_back(services: Services, text: str) -> None:
    outcome = await ingest(services, CHAT, IncomingArticle(text, Source("pasted")))
    assert outcome.created and outcome.analysed and outcome.card is not None
    card = outcome.card
    assert card.quote is not None and card.event_count > 0  # the texts have both: the comparison covers them
    stored = await services.repo.article_by_id(CHAT, outcome.article.id)
    assert stored is not None and stored == outcome.article  # the row as save_analysis left it
    read_back = await summary_view(services, stored)
    for lang in ("en", "ru"):
        assert render_summary(card, lang) == render_summary(read_back, lang)
    assert (card.total_sentences, card.sentences) == (read_back.total_sentences, read_back.sentences)


async def test_an_article_the_chat_has_already_is_answered_from_the_archive(services: Services) -> None:
    first = await ingest(services, CHAT, IncomingArticle(BRIDGE_POST, Source("pasted")))
    again = await ingest(services, CHAT, IncomingArticle(BRIDGE_POST, Source("pasted")))
    assert not again.created and again.card is None and again.article.id == first.article.id


def test_every_speaker_is_indexed_under_its_name_and_surname() -> None:
    from analysis.pipeline import analyze

    index = {entry.name: entry for entry in people_index(analyze(ARCHIVE_POST))}
    assert {"moreau", "luc moreau"} <= index["Luc Moreau"].keys
    assert all(q.speaker in index for q in analyze(ARCHIVE_POST).quotes if q.speaker)


async def test_an_arrival_analysed_by_two_processes_after_its_copy_came_is_the_copy(db_target: str) -> None:
    """Two processes take the same stored arrival up (both restarted, say) while a re-post of it with other
    quotation marks is already stored: the first folds the arrival into the re-post; the second, finding it
    gone, answers with the re-post too, never with a card of the article just deleted."""
    reposted = BRIDGE_POST.replace('"', "«", 1).replace('"', "»", 1)
    db = await Database.open(db_target)
    try:
        with ThreadPoolExecutor(1) as pool:
            first, second = (Services(Repository(db), Analyzer(pool)) for _ in range(2))  # a process each
            copy = await ingest(first, CHAT, IncomingArticle(reposted, Source("channel", "Norvik Daily")))
            arrival, created = await first.repo.add_article(CHAT, BRIDGE_POST, Source("channel", "Harbour News"))
            assert created and copy.created
            folded = await analyse_stored(first, arrival.id, BRIDGE_POST, None, chat_id=CHAT)
            again = await analyse_stored(second, arrival.id, BRIDGE_POST, None, chat_id=CHAT)
        assert folded is not None and folded.article_id == copy.article.id and folded.analysis is None
        assert again is not None and again.article_id == copy.article.id and again.analysis is None
        assert await first.repo.count_articles(CHAT) == 1
    finally:
        await db.close()
