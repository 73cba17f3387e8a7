"""The update inbox, the answers articles owe, and the writer's lock, against real SQLite files."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from storage.db import Database, WriteLock, migrations
from storage.repository import Repository, Source, utcnow
from storage.sources import PendingPart


@pytest.fixture
async def repo(db_target: str):
    db = await Database.open(db_target)
    yield Repository(db)
    await db.close()


async def test_an_update_is_taken_once_and_again_only_while_unfinished(repo: Repository) -> None:
    assert await repo.receive_update(7, '{"update_id": 7}')
    # Delivered again before it was finished (a restart): still to be processed, stored once.
    assert await repo.receive_update(7, '{"update_id": 7, "changed": true}')
    assert [(u.update_id, u.body) for u in await repo.unfinished_updates()] == [(7, '{"update_id": 7}')]
    await repo.finish_update(7)
    assert await repo.unfinished_updates() == []
    # Delivered again after it was finished (Telegram never saw the acknowledgement): not processed again.
    assert not await repo.receive_update(7, '{"update_id": 7}')


async def test_storing_a_part_finishes_its_update_in_the_same_transaction(repo: Repository) -> None:
    await repo.receive_update(8, "{}")
    part = PendingPart(1, "k", 100, 1, "Text.", Source("channel", "C"), None, update_id=8)
    assert await repo.add_part(part) is not None
    assert await repo.unfinished_updates() == []


async def test_finished_updates_are_pruned_after_a_while(repo: Repository) -> None:
    await repo.receive_update(1, "{}")
    await repo.receive_update(2, "{}")
    await repo.finish_update(1)
    assert await repo.prune_updates(utcnow() - timedelta(days=1)) == 0
    assert await repo.prune_updates(utcnow() + timedelta(seconds=2)) == 1
    assert [u.update_id for u in await repo.unfinished_updates()] == [2]


async def test_a_later_arrival_of_a_stored_article_owes_its_own_answer_until_it_is_recorded(repo: Repository) -> None:
    article, _ = await repo.add_article(5, "Some text. More text.", Source("channel", "North"), message_id=41)
    await repo.mark_answered(article.id, 5, [900], first=True)
    # The same text forwarded again from another channel: stored once, and its message is owed "already #1".
    again, created = await repo.add_article(5, "Some text. More text.", Source("channel", "South"), message_id=42)
    assert again.id == article.id and not created
    # Processed again after a stop, the first arrival owes nothing new.
    await repo.add_article(5, "Some text. More text.", Source("channel", "North"), message_id=41)
    assert [(o.article_id, o.message_id) for o in await repo.owed_answers(5)] == [(article.id, 42)]
    assert await repo.answer_owed(5, 42) and not await repo.answer_owed(5, 41)
    assert await repo.chats_with_leftovers() == [5]
    await repo.mark_answered(article.id, 5, [901], first=False, answered=42)
    assert await repo.owed_answers() == [] and not await repo.answer_owed(5, 42)


async def test_a_chat_is_held_by_one_process_at_a_time_and_taken_over_when_its_lease_runs_out(
    repo: Repository,
) -> None:
    from storage.inbox import ClaimTerms

    now = utcnow()
    lease = timedelta(seconds=10)
    first = ClaimTerms("host:1:a", now, now + lease)
    second = ClaimTerms("host:2:b", now, now + lease)
    received = await repo.receive_updates([(1, 70, "{}"), (2, 71, "{}")], first)
    assert [(r.fresh, r.mine) for r in received] == [(True, True), (True, True)]
    # Another process receives an update of a chat the first holds: committed, but not its to process.
    (other,) = await repo.receive_updates([(3, 70, "{}")], second)
    assert other.fresh and not other.mine
    assert not await repo.claim_chat(70, second)
    assert [(w.update_id, w.chat_id, w.claimed_by) for w in await repo.waiting_updates()] == [
        (1, 70, "host:1:a"),
        (2, 71, "host:1:a"),
        (3, 70, "host:1:a"),
    ]
    # A chat with unfinished updates is kept; one with none is given up.
    await repo.finish_update(2)
    assert not await repo.release_chat(70, "host:1:a")
    assert await repo.release_chat(71, "host:1:a")
    assert await repo.renew_claims("host:1:a", now + lease) == {70}
    # The lease runs out (the holder stopped renewing it): the other process takes the chat.
    later = ClaimTerms("host:2:b", now + 2 * lease, now + 3 * lease)
    assert await repo.claim_chat(70, later)
    assert await repo.renew_claims("host:1:a", now + 3 * lease) == set()
    # A holder known to be gone gives its claims up at once, lease or not.
    assert await repo.claim_chat(70, ClaimTerms("host:3:c", now, now + lease, replacing="host:2:b"))
    assert await repo.release_all("host:3:c") == 1 and await repo.chat_claims() == []


async def test_an_article_owes_its_first_arrival_an_answer_until_it_is_recorded(repo: Repository) -> None:
    article, _ = await repo.add_article(5, "Some text. More text.", Source("pasted"), message_id=41)
    local, _ = await repo.add_article(5, "Typed in a shell. Nothing to answer.", Source("cli"))
    first = await repo.first_arrival(article.id)
    assert first is not None and first.message_id == 41 and not first.answered
    assert [(o.article_id, o.chat_id, o.message_id) for o in await repo.owed_answers()] == [(article.id, 5, 41)]
    assert await repo.first_arrival(local.id) is None

    await repo.mark_answered(article.id, 5, [900], first=True)
    first = await repo.first_arrival(article.id)
    assert first is not None and first.answered
    assert await repo.owed_answers() == []
    replied = await repo.article_by_message(5, 900)
    assert replied is not None and replied.id == article.id


async def test_articles_stored_before_the_inbox_owe_nothing(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    for version, _, sql in migrations()[:4]:  # the schema as it was before the inbox
        conn.executescript(sql)
        conn.execute(f"PRAGMA user_version = {version}")
    conn.execute("INSERT INTO chats (id, created_at) VALUES (5, '2025-01-01T00:00:00+00:00')")
    conn.execute(
        "INSERT INTO articles (chat_id, number, content_hash, raw_text, source_kind, message_id, published_at, "
        "ingested_at) VALUES (5, 1, 'h', 'Old text.', 'pasted', 3, '2025-01-01', '2025-01-01')"
    )
    conn.close()
    db = await Database.open(path)
    try:
        assert await Repository(db).owed_answers() == []
    finally:
        await db.close()


async def test_an_urgent_write_goes_before_the_ordinary_ones_waiting() -> None:
    lock = WriteLock()
    order: list[str] = []
    await lock.acquire()

    async def take(name: str, urgent: bool) -> None:
        await lock.acquire(urgent=urgent)
        order.append(name)
        lock.release()

    waiting = [asyncio.create_task(take(f"ordinary {i}", False)) for i in range(3)]
    await asyncio.sleep(0)
    urgent = asyncio.create_task(take("urgent", True))
    await asyncio.sleep(0)
    lock.release()
    await asyncio.gather(*waiting, urgent)
    assert order == ["urgent", "ordinary 0", "ordinary 1", "ordinary 2"]


async def test_a_waiter_cancelled_as_it_is_handed_the_lock_passes_it_on() -> None:
    lock = WriteLock()
    await lock.acquire()
    first = asyncio.create_task(lock.acquire())
    second = asyncio.create_task(lock.acquire())
    await asyncio.sleep(0)
    lock.release()  # handed to `first`...
    first.cancel()  # ...which is cancelled before it runs
    await second  # the lock reaches `second` all the same
    lock.release()
    await lock.acquire()  # and is free again afterwards


async def test_a_batch_of_updates_is_committed_at_once_and_says_which_are_new(repo: Repository) -> None:
    await repo.receive_update(2, "{}")
    await repo.finish_update(2)
    await repo.receive_update(3, "{}")
    received = await repo.receive_updates([(1, 0, "{}"), (2, 0, "{}"), (3, 0, "{}"), (4, 0, "{}")])
    assert [r.fresh for r in received] == [True, False, True, True]
    assert [u.update_id for u in await repo.unfinished_updates()] == [1, 3, 4]
