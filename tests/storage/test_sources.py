"""Where articles come from, on real SQLite files: links, copies of the same text, parts of a series."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from storage.db import Database
from storage.repository import Repository, Source
from storage.sources import PendingPart, clean_hash
from tests.storage.test_repository import sample_analysis
from usecases.ingest import store_analysis

BODY = (
    "The water company of the northern district will raise its prices by eight percent from July, the regional "
    "regulator confirmed on Wednesday. The company said the money would pay for new pipes in the oldest "
    "neighbourhoods, where leaks waste almost a fifth of the water pumped."
)
ALPHA = Source("channel", "Alpha", "https://t.me/alpha/1")
BETA = Source("channel", "Beta", "https://t.me/beta/7")


@pytest.fixture
async def repo(db_target: str):
    db = await Database.open(db_target)
    yield Repository(db)
    await db.close()


def part(message_id: int, position: int, text: str | None, key: str = "channel:-1:10:1", chat: int = 10) -> PendingPart:
    return PendingPart(
        chat, key, message_id, position, text, ALPHA, datetime(2025, 1, 2, tzinfo=UTC), ("https://x.org/a",)
    )


def test_the_identity_of_cleaned_text() -> None:
    assert clean_hash("Too short to tell apart.") is None
    same = clean_hash(BODY.replace(",", " ,").replace("eight", "EIGHT") + " 🔥")
    assert same is not None and same == clean_hash(BODY)
    assert clean_hash(BODY) != clean_hash(BODY.replace("eight", "nine"))
    # A channel's own signature left at either end is set aside; the article's paragraphs are not.
    signed = "Здесь наш сайт: bit.ly/alpha\n\n" + BODY + "\n\n📩 Подпишитесь на нашу рассылку\n\n@alphanews"
    assert clean_hash(signed) == clean_hash(BODY)
    closing = "The full report is on the regulator's site."
    assert clean_hash(BODY + "\n\n" + closing) != clean_hash(BODY)


async def test_an_article_from_a_link_is_known_by_the_link(repo: Repository) -> None:
    link = Source("link", "Gazette", "https://gazette.example/news/1")
    first, created = await repo.add_article(
        10, BODY, link, title="Water prices rise", author="P. Holm", url_keys=("gazette.example/news/1",),
        extra_sources=(ALPHA,), message_id=5,
    )  # fmt: skip
    assert created and first.title == "Water prices rise" and first.author == "P. Holm"
    assert await repo.article_id_by_url(10, "gazette.example/news/1") == first.id
    assert await repo.article_id_by_url(11, "gazette.example/news/1") is None  # other chats do not see it
    # Another text fetched from the same link (the page changed) is the same article all the same.
    again, created = await repo.add_article(10, BODY + " Updated.", BETA, url_keys=("gazette.example/news/1",))
    assert not created and again.id == first.id
    assert [s.name for s in await repo.sources(10, first.id)] == ["Gazette", "Alpha", "Beta"]


async def test_a_declared_title_survives_the_analysis(repo: Repository) -> None:
    article, _ = await repo.add_article(10, BODY, ALPHA, title="The page's own headline")
    await store_analysis(repo, article.id, sample_analysis())
    stored = await repo.article_by_id(10, article.id)
    assert stored is not None and stored.title == "The page's own headline" and stored.status == "ready"
    untitled, _ = await repo.add_article(10, BODY + " Another.", ALPHA)
    await store_analysis(repo, untitled.id, sample_analysis())
    stored = await repo.article_by_id(10, untitled.id)
    assert stored is not None and stored.title == "A headline"  # the analysis' guess, when none was declared


async def test_arrivals_of_a_known_article(repo: Repository) -> None:
    article, _ = await repo.add_article(10, BODY, ALPHA)
    part_id = await repo.add_part(part(40, 1, "Worth reading https://x.org/a"))
    assert part_id is not None
    await repo.add_arrival(10, article.id, [BETA], message_ids=[40], url_keys=["x.org/a"], consume_parts=[part_id])
    assert [s.name for s in await repo.sources(10, article.id)] == ["Alpha", "Beta"]
    found = await repo.article_by_message(10, 40)
    assert found is not None and found.id == article.id
    assert await repo.article_id_by_url(10, "x.org/a") == article.id
    assert await repo.pending_groups() == []
    await repo.add_arrival(11, article.id, [Source("channel", "Intruder")])  # another chat's article: nothing
    assert [s.name for s in await repo.sources(10, article.id)] == ["Alpha", "Beta"]


async def test_a_copy_of_the_same_cleaned_text_is_folded_into_the_first(repo: Repository) -> None:
    identity = clean_hash(BODY)
    assert identity is not None
    first, _ = await repo.add_article(10, BODY + "\nSubscribe: @alpha", ALPHA, message_id=1)
    assert await repo.claim_clean_hash(first.id, identity) is None
    copy, created = await repo.add_article(
        10, "🔥\n" + BODY + "\nPhoto: Beta", BETA, message_id=2, url_keys=("b.org/1",)
    )
    assert created and copy.number == 2
    assert await repo.claim_clean_hash(copy.id, identity) == first.id
    assert await repo.article_by_id(10, copy.id) is None
    assert [s.name for s in await repo.sources(10, first.id)] == ["Alpha", "Beta"]
    moved = await repo.article_by_message(10, 2)
    assert moved is not None and moved.id == first.id
    assert await repo.article_id_by_url(10, "b.org/1") == first.id
    # The copy's number is given back: nothing was numbered after it.
    third, _ = await repo.add_article(10, "A different story entirely.", ALPHA)
    assert third.number == 2
    # Another chat's copy is its own article.
    other, _ = await repo.add_article(11, BODY, ALPHA)
    assert await repo.claim_clean_hash(other.id, identity) is None


async def test_a_number_taken_after_the_copy_is_not_given_back(repo: Repository) -> None:
    identity = clean_hash(BODY)
    assert identity is not None
    first, _ = await repo.add_article(10, BODY, ALPHA)
    await repo.claim_clean_hash(first.id, identity)
    copy, _ = await repo.add_article(10, BODY + " (copy)", BETA)
    later, _ = await repo.add_article(10, "Something else that arrived meanwhile.", ALPHA)
    assert await repo.claim_clean_hash(copy.id, identity) == first.id
    newest, _ = await repo.add_article(10, "And one more.", ALPHA)
    assert (copy.number, later.number, newest.number) == (2, 3, 4)


async def test_parts_of_a_series_are_stored_in_order_and_consumed_when_joined(repo: Repository) -> None:
    ids = [await repo.add_part(part(m, p, t)) for m, p, t in [(7, 302, "third"), (5, 300, "first"), (6, 301, None)]]
    assert all(i is not None for i in ids)
    assert await repo.add_part(part(5, 300, "first")) is None  # the same message delivered twice
    await repo.add_part(part(9, 1, "elsewhere", key="album:x:9", chat=11))
    parts = await repo.group_parts(10, "channel:-1:10:1")
    assert [(p.message_id, p.text) for p in parts] == [(5, "first"), (6, None), (7, "third")]
    assert parts[0].source == ALPHA and parts[0].links == ("https://x.org/a",)
    assert parts[0].published_at == datetime(2025, 1, 2, tzinfo=UTC)
    assert await repo.pending_groups() == [(10, "channel:-1:10:1"), (11, "album:x:9")]
    await repo.drop_parts(11, [i for i in ids if i is not None])  # chat 11 cannot drop chat 10's parts
    assert len(await repo.group_parts(10, "channel:-1:10:1")) == 3
    article, _ = await repo.add_article(
        10, "first\n\nthird", ALPHA, message_id=5, message_ids=(6, 7), consume_parts=[p.id for p in parts if p.id]
    )
    assert await repo.group_parts(10, "channel:-1:10:1") == []
    for message_id in (5, 6, 7):
        found = await repo.article_by_message(10, message_id)
        assert found is not None and found.id == article.id
    (left,) = await repo.group_parts(11, "album:x:9")
    assert left.id is not None
    await repo.drop_parts(11, [left.id])
    assert await repo.pending_groups() == []


async def test_parts_survive_a_restart(db_target: str) -> None:
    db = await Database.open(db_target)
    await Repository(db).add_part(part(5, 300, "first"))
    await db.close()
    db = await Database.open(db_target)
    try:
        assert await Repository(db).pending_groups() == [(10, "channel:-1:10:1")]
    finally:
        await db.close()


async def test_a_part_records_its_chats_kind_and_title_in_the_same_write(repo: Repository) -> None:
    # A forwarded post in a group: the part and the group as Telegram names it now, one transaction.
    assert await repo.add_part(part(40, 1, "first", chat=-1005), ("supergroup", "Newsroom")) is not None
    info = await repo.chat_info(-1005)
    assert info is not None and (info.kind, info.title) == ("supergroup", "Newsroom")
    # Renamed later: the next part brings the title up to date; a part without it leaves the chat as it was.
    await repo.add_part(part(41, 2, "second", chat=-1005), ("supergroup", "Night Newsroom"))
    await repo.add_part(part(42, 3, "third", chat=-1005))
    info = await repo.chat_info(-1005)
    assert info is not None and (info.kind, info.title) == ("supergroup", "Night Newsroom")
