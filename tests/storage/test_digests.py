"""Digest storage on real SQLite files: the migration, subscriptions, and the claim/watermark protocol,
including two connections to one file competing for the same digest."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path

import pytest

from analysis.types import Analysis, Sentence
from storage.db import Database
from storage.digests import TooManySubscriptions
from storage.repository import Repository, Source
from usecases.ingest import store_analysis

CHAT = 77
NOW = datetime(2025, 3, 30, 5, 0, tzinfo=UTC)
LEASE = timedelta(minutes=2)


@pytest.fixture
async def repo(db_target: str) -> AsyncIterator[Repository]:
    db = await Database.open(db_target)
    yield Repository(db)
    await db.close()


def analysis(title: str) -> Analysis:
    text = f"{title} happened today. Officials explained the reasons."
    first = text.index("Officials")
    return Analysis(
        lang="en",
        title=title,
        text=text,
        sentences=(
            Sentence(0, 0, first - 1, text[: first - 1], 0, rank=0),
            Sentence(1, first, len(text), text[first:], 0, rank=1),
        ),
    )


async def add(repo: Repository, title: str, chat: int = CHAT, *, analysed: bool = True) -> int:
    article, _ = await repo.add_article(
        chat, f"{title} happened today. Officials explained the reasons.", Source("pasted")
    )
    if analysed:
        await store_analysis(repo, article.id, analysis(title))
    return article.id


async def subscribe_daily(repo: Repository, chat: int = CHAT, *, due: datetime = NOW, minute: int = 480) -> int:
    sub, created = await repo.upsert_subscription(
        chat,
        kind="daily",
        at_minute=minute,
        weekday=None,
        every_hours=None,
        next_due=due,
        now=NOW - timedelta(days=1),
        timezone=None,
        start_watermark=0,
    )
    assert created
    return sub.id


async def claim(repo: Repository, chat: int = CHAT, *, worker: str = "w1", now: datetime = NOW, **changes: object):
    state = await repo.digest_state(chat)
    after = state.watermark or 0
    upto, count = await repo.digest_range(chat, after, settled_before=now - timedelta(hours=1))
    values: dict[str, object] = {
        "worker": worker,
        "now": now,
        "lease": LEASE,
        "trigger": "schedule",
        "after": after,
        "expected_watermark": state.watermark,
        "upto": upto,
        "article_count": count,
        "parts": [f"part {i}" for i in range(1, 3)] if count else [],
    }
    values.update(changes)
    return await repo.claim_digest(chat, **values)  # type: ignore[arg-type]


async def test_the_sketch_subscriptions_table_is_replaced_and_chats_get_digest_columns(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    first = resources.files("storage.migrations").joinpath("001_initial.sql").read_text(encoding="utf-8")
    with sqlite3.connect(path) as conn:
        conn.executescript(first)
        conn.execute("INSERT INTO chats (id, created_at) VALUES (5, '2025-01-01T00:00:00+00:00')")
        conn.execute(
            "INSERT INTO subscriptions (chat_id, schedule, created_at) VALUES (5, 'daily 08:00', '2025-01-01T00:00:00')"
        )
        conn.execute("PRAGMA user_version = 1")
    db = await Database.open(path)
    repo = Repository(db)
    state = await repo.digest_state(5)
    assert (state.watermark, state.empty_digest, state.timezone) == (None, False, "UTC")
    assert await repo.subscriptions(5) == []
    await db.close()


async def test_one_subscription_per_schedule_and_at_most_ten(repo: Repository) -> None:
    sub_id = await subscribe_daily(repo)
    await repo.pause_subscriptions(CHAT, "blocked", NOW)
    again, created = await repo.upsert_subscription(
        CHAT, kind="daily", at_minute=480, weekday=None, every_hours=None, next_due=NOW, now=NOW, timezone=None
    )
    assert not created and again.id == sub_id and not again.paused  # subscribing again resumes it
    for hour in range(9, 18):
        await subscribe_daily(repo, minute=hour * 60)
    with pytest.raises(TooManySubscriptions):
        await subscribe_daily(repo, minute=20 * 60)
    assert len(await repo.subscriptions(CHAT)) == 10


async def test_the_watermark_only_moves_forward_when_a_stream_starts(repo: Repository) -> None:
    await subscribe_daily(repo)
    await repo.upsert_subscription(
        CHAT, kind="every", at_minute=None, weekday=None, every_hours=6, next_due=NOW, now=NOW,
        timezone=None, start_watermark=0,
    )  # fmt: skip
    await add(repo, "One")
    second = await add(repo, "Two")
    await repo.delete_subscriptions(CHAT)
    async with repo.db.transaction() as conn:
        await conn.execute("UPDATE chats SET digest_watermark = ? WHERE id = ?", (second, CHAT))
    await repo.upsert_subscription(
        CHAT, kind="daily", at_minute=480, weekday=None, every_hours=None, next_due=NOW, now=NOW,
        timezone=None, start_watermark=1,
    )  # fmt: skip
    assert (await repo.digest_state(CHAT)).watermark == second


async def test_claim_send_finish_moves_the_watermark_once(repo: Repository) -> None:
    await subscribe_daily(repo)
    first = await add(repo, "Bridge approved")
    second = await add(repo, "Strike called off")
    result = await claim(repo)
    assert result.status == "claimed" and result.claim is not None
    taken = result.claim
    assert (taken.after_article, taken.upto_article, taken.article_count) == (0, second, 2)
    assert first < second

    # While it is in flight, nobody else can claim the chat's digest.
    busy = await claim(repo, worker="w2")
    assert busy.status == "busy" and busy.busy_until == NOW + LEASE

    assert await repo.record_part(taken.id, worker="w1", message_id=101, now=NOW, lease=LEASE)
    assert await repo.record_part(taken.id, worker="w1", message_id=102, now=NOW, lease=LEASE)
    assert (await repo.digest_state(CHAT)).watermark == 0  # not before every part is accepted
    assert await repo.finish_digest(taken.id, worker="w1", now=NOW)
    state = await repo.digest_state(CHAT)
    assert state.watermark == second and state.last_digest_at == NOW
    assert not await repo.finish_digest(taken.id, worker="w1", now=NOW)  # finishing twice does nothing

    # Content computed before the watermark moved is stale now.
    stale = await repo.claim_digest(
        CHAT, worker="w2", now=NOW, lease=LEASE, trigger="command", after=0, expected_watermark=0, upto=second,
        article_count=2, parts=["old"],
    )  # fmt: skip
    assert stale.status == "stale"
    # And the next digest covers only what arrives next.
    third = await add(repo, "Third story")
    nxt = await claim(repo, worker="w2")
    assert nxt.claim is not None and (nxt.claim.after_article, nxt.claim.upto_article) == (second, third)


async def test_a_scheduled_slot_is_consumed_once(repo: Repository) -> None:
    sub_id = await subscribe_daily(repo)
    tomorrow = NOW + timedelta(days=1)
    first = await claim(repo, advance={sub_id: (NOW, tomorrow)})
    assert first.status == "nothing"  # no articles: nothing to send, but the slot moved on
    assert (await repo.subscription(CHAT, sub_id)).next_due_at == tomorrow  # type: ignore[union-attr]
    # A second run for the same slot (a double-fired job, another process) finds it already served.
    second = await claim(repo, worker="w2", advance={sub_id: (NOW, tomorrow)})
    assert second.status == "stale"


async def test_two_connections_to_one_file_compete_and_one_wins(db_target: str) -> None:
    db_a, db_b = await Database.open(db_target), await Database.open(db_target)
    repo_a, repo_b = Repository(db_a), Repository(db_b)
    try:
        chats = list(range(100, 120))
        for chat in chats:
            await subscribe_daily(repo_a, chat)
            await add(repo_a, f"Story for chat {chat}", chat)
        for chat in chats:
            results = await asyncio.gather(claim(repo_a, chat, worker="a"), claim(repo_b, chat, worker="b"))
            statuses = sorted(r.status for r in results)
            assert statuses == ["busy", "claimed"], (chat, statuses)
        # Each chat has exactly one claim, and it is visible through both connections.
        for chat in chats:
            live_a, live_b = await repo_a.live_claim(chat), await repo_b.live_claim(chat)
            assert live_a is not None and live_b is not None and live_a.id == live_b.id
    finally:
        await db_a.close()
        await db_b.close()


async def test_two_connections_advancing_the_same_slot(db_target: str) -> None:
    db_a, db_b = await Database.open(db_target), await Database.open(db_target)
    repo_a, repo_b = Repository(db_a), Repository(db_b)
    try:
        sub_id = await subscribe_daily(repo_a)
        await add(repo_a, "Only story")
        advance = {sub_id: (NOW, NOW + timedelta(days=1))}
        results = await asyncio.gather(
            claim(repo_a, worker="a", advance=advance), claim(repo_b, worker="b", advance=advance)
        )
        assert sorted(r.status for r in results) in (["busy", "claimed"], ["claimed", "stale"])
        winner = next(r.claim for r in results if r.claim is not None)
        winner_repo = repo_a if winner.claimed_by == "a" else repo_b
        for i, _ in enumerate(winner.parts):
            assert await winner_repo.record_part(
                winner.id, worker=winner.claimed_by, message_id=i, now=NOW, lease=LEASE
            )
        assert await winner_repo.finish_digest(winner.id, worker=winner.claimed_by, now=NOW)
        # The loser, trying again with what it read before, finds the slot served.
        again = await claim(repo_b if winner_repo is repo_a else repo_a, worker="late", advance=advance)
        assert again.status == "stale"
    finally:
        await db_a.close()
        await db_b.close()


async def test_an_abandoned_claim_is_finished_by_whoever_comes_next_without_resending(repo: Repository) -> None:
    await subscribe_daily(repo)
    last = await add(repo, "Story")
    taken = (await claim(repo, worker="crashed")).claim
    assert taken is not None
    assert await repo.record_part(taken.id, worker="crashed", message_id=11, now=NOW, lease=LEASE)
    # The sender dies here. Before its lease runs out, nobody may touch the digest...
    early = await repo.take_over_claim(CHAT, worker="w2", now=NOW + timedelta(minutes=1), lease=LEASE)
    assert early.claim is None and early.busy_until == NOW + LEASE
    # ...after, the next worker takes it over and has only the second part left to send.
    later = NOW + LEASE + timedelta(seconds=1)
    over = await repo.take_over_claim(CHAT, worker="w2", now=later, lease=LEASE)
    assert over.claim is not None and over.claim.attempts == 2
    assert over.claim.remaining == ("part 2",) and over.claim.message_ids == (11,)
    # The old sender, back from the dead, can no longer record or finish anything.
    assert not await repo.record_part(taken.id, worker="crashed", message_id=12, now=later, lease=LEASE)
    assert not await repo.finish_digest(taken.id, worker="crashed", now=later)
    assert await repo.record_part(taken.id, worker="w2", message_id=13, now=later, lease=LEASE)
    assert await repo.finish_digest(taken.id, worker="w2", now=later)
    assert (await repo.digest_state(CHAT)).watermark == last
    history = await repo.digest_history(CHAT)
    assert [(h["status"], h["message_ids"]) for h in history] == [("sent", "[11, 13]")]


async def test_a_claim_whose_sender_is_known_dead_is_taken_over_before_its_lease_ends(repo: Repository) -> None:
    await subscribe_daily(repo)
    await add(repo, "Story")
    taken = (await claim(repo, worker="host:4242:killed")).claim
    assert taken is not None
    assert await repo.record_part(taken.id, worker="host:4242:killed", message_id=11, now=NOW, lease=LEASE)
    soon = NOW + timedelta(seconds=1)
    alive = await repo.take_over_claim(CHAT, worker="w2", now=soon, lease=LEASE, holder_gone=lambda h: False)
    assert alive.claim is None and alive.busy_until == NOW + LEASE
    gone = await repo.take_over_claim(
        CHAT, worker="w2", now=soon, lease=LEASE, holder_gone=lambda h: h == "host:4242:killed"
    )
    assert gone.claim is not None and gone.claim.claimed_by == "w2" and gone.claim.remaining == ("part 2",)


async def test_a_live_sender_extends_its_lease_and_only_it_can(repo: Repository) -> None:
    await add(repo, "Story")
    async with repo.db.transaction() as conn:
        await conn.execute("UPDATE chats SET digest_watermark = 0 WHERE id = ?", (CHAT,))
    taken = (await claim(repo, worker="w1")).claim
    assert taken is not None
    later = NOW + timedelta(minutes=1)
    assert await repo.extend_lease(taken.id, worker="w1", now=later, lease=LEASE)
    assert not await repo.extend_lease(taken.id, worker="w2", now=later, lease=LEASE)
    busy = await repo.take_over_claim(CHAT, worker="w2", now=NOW + LEASE + timedelta(seconds=1), lease=LEASE)
    assert busy.busy_until == later + LEASE


async def test_an_abandoned_claim_with_nothing_sent_is_dropped_for_a_fresh_one(repo: Repository) -> None:
    await subscribe_daily(repo)
    await add(repo, "Story")
    taken = (await claim(repo, worker="crashed")).claim
    assert taken is not None
    over = await repo.take_over_claim(CHAT, worker="w2", now=NOW + LEASE, lease=LEASE)
    assert over.claim is None and over.busy_until is None and over.dropped
    newer = await add(repo, "Newer story")
    fresh = await claim(repo, worker="w2", now=NOW + LEASE)
    assert fresh.claim is not None and fresh.claim.upto_article == newer and fresh.claim.article_count == 2


async def test_a_released_claim_can_be_resumed_at_once(repo: Repository) -> None:
    await add(repo, "Story")
    async with repo.db.transaction() as conn:
        await conn.execute("UPDATE chats SET digest_watermark = 0 WHERE id = ?", (CHAT,))
    taken = (await claim(repo, worker="w1")).claim
    assert taken is not None
    await repo.record_part(taken.id, worker="w1", message_id=1, now=NOW, lease=LEASE)
    await repo.release_claim(taken.id, worker="w1", now=NOW, error="NetworkError: Bad Gateway")
    over = await repo.take_over_claim(CHAT, worker="w1", now=NOW, lease=LEASE)
    assert over.claim is not None and over.claim.remaining == ("part 2",)


async def test_a_chat_that_blocked_the_bot_pauses_and_keeps_its_watermark(repo: Repository) -> None:
    sub_id = await subscribe_daily(repo)
    await add(repo, "Story")
    taken = (await claim(repo)).claim
    assert taken is not None
    paused = await repo.fail_claim(
        taken.id, worker="w1", now=NOW, error="Forbidden: bot was blocked by the user", pause_reason="blocked"
    )
    assert paused == 1
    sub = await repo.subscription(CHAT, sub_id)
    assert sub is not None and sub.paused and sub.paused_reason == "blocked"
    assert (await repo.digest_state(CHAT)).watermark == 0
    assert await repo.has_paused_subscriptions(CHAT)
    assert [s.id for s in await repo.active_subscriptions()] == []
    resumed = await repo.resume_subscriptions(CHAT, {sub_id: NOW + timedelta(days=1)})
    assert [s.id for s in resumed] == [sub_id] and not resumed[0].paused
    # The articles the failed digest would have shown are in the next one.
    again = await claim(repo)
    assert again.claim is not None and again.claim.article_count == 1


async def test_an_article_being_analysed_holds_the_range_until_it_is_ready(repo: Repository) -> None:
    first = await add(repo, "Ready one")
    await add(repo, "Still pending", analysed=False)
    await add(repo, "Ready after it")
    upto, count = await repo.digest_range(CHAT, 0, settled_before=NOW - timedelta(hours=1))
    assert (upto, count) == (first, 1)
    # An analysis stuck for longer than the settle time no longer holds digests back.
    upto, count = await repo.digest_range(CHAT, 0, settled_before=datetime.now(UTC) + timedelta(minutes=1))
    assert count == 3


async def test_chats_do_not_see_each_others_digests(repo: Repository) -> None:
    await add(repo, "Mine")
    await add(repo, "Theirs", chat=CHAT + 1)
    articles = await repo.digest_articles(CHAT, 0, 10**9)
    assert [a.title for a in articles] == ["Mine"]
