"""Digests through the real application over real HTTP, with the time set by the test.

The bot's digest clock and the Bot API double's clock are one `Clock` the test sets: the bot believes it is
07:59:59 in Riga on the day daylight saving starts, and the job queue fires one real second later. Jobs that
would fire in hours are made to wake now with `Job.run` (the job sees it is early and re-plans itself) or by
restarting the bot after moving the clock, as a real restart would.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.app import build_application, running
from bot.config import Config, database_target
from handlers.common import PrecisApplication
from handlers.digest_jobs import job_name, retry_job_name, run_chat
from tests.botapi import BotApiDouble, Fault, StoredMessage
from tests.e2e.conftest import StartupJobs
from usecases.digest_content import compose_digest
from usecases.services import Analyzer, Clock, DigestPolicy, DigestRuntime, Services
from views.digest import digest_parts

CHAT = 6001
NOTICES = ("✅", "Digests are on again")  # sent without replying, like digests
RIGA = ZoneInfo("Europe/Riga")
FAST = DigestPolicy(
    retry_delays=(timedelta(milliseconds=200), timedelta(milliseconds=500), timedelta(seconds=1)),
    busy_retry=timedelta(milliseconds=200),
)

CITIES = ("Norvik", "Eastbay", "Larnholm", "Tessaly", "Brightwater", "Oskarby", "Venmoor", "Caldera", "Halvard")
PLANS = (
    "a new harbour bridge",
    "a tram line to the airport",
    "a public library extension",
    "a flood barrier on the river",
    "a solar farm on the old quarry",
    "free school lunches",
    "a night bus network",
)
PEOPLE = ("Elena Varga", "Tomas Brenner", "Mara Olsen", "Ivo Lindqvist", "Sara Nkemelu", "Piet Aaltonen")


def story(i: int) -> str:
    """A news post written for these tests; each `i` gives a different one."""
    city, plan, person = CITIES[i % len(CITIES)], PLANS[i % len(PLANS)], PEOPLE[i % len(PEOPLE)]
    return (
        f"{city} Approves Plan Number {i + 1} After Long Debate\n\n"
        f"The council of {city} approved {plan} on Tuesday, after a debate that lasted {i + 2} months. "
        f"The vote passed with a clear majority of {20 + i} members.\n\n"
        f'"This is the decision our residents asked for," {person} said after the vote in {city}.\n\n'
        f"Work is expected to begin in March 2026 and to finish in {2027 + i % 4}. "
        "Critics said the cost was too high and asked for an independent review."
    )


def title(i: int) -> str:
    return story(i).split("\n", 1)[0]


@dataclass
class DigestBot:
    app: PrecisApplication
    api: BotApiDouble
    clock: Clock

    @property
    def services(self) -> Services:
        services = self.app.bot_data.services
        assert services is not None
        return services

    def digests(self, chat: int = CHAT) -> list[StoredMessage]:
        """Every part of every digest (and the one-line empty ones) the chat received, oldest first: the bot's
        messages that answer no message of the user's, but for the few notices that do the same."""
        return [
            m
            for m in self.api.bot_messages(chat)
            if m.reply_to_message_id is None and not (m.text or "").startswith(NOTICES)
        ]

    def job(self, chat: int, subscription_id: int) -> Any:
        assert self.app.job_queue is not None
        (job,) = self.app.job_queue.get_jobs_by_name(job_name(chat, subscription_id))
        return job

    async def command(self, text: str, chat: int = CHAT) -> StoredMessage:
        before = len(self.api.bot_messages(chat))
        self.api.push_command(chat, text)
        return (await self.api.wait_for_messages(chat, before + 1))[-1]

    async def forward(self, *indexes: int, chat: int = CHAT) -> None:
        before = len(self.api.bot_messages(chat))
        for i in indexes:
            self.api.push_message(chat, story(i))
        # A bound for a failure, not a speed: a burst of cards takes minutes on a machine loaded twentyfold.
        await self.api.wait_for_messages(chat, before + len(indexes), timeout=180)


@pytest.fixture
def clock() -> Clock:
    clock = Clock()
    clock.set(datetime(2025, 3, 29, 12, 0, tzinfo=UTC))  # Saturday; Riga moves to summer time tomorrow at 03:00
    return clock


@pytest.fixture
def api(clock: Clock) -> Iterator[BotApiDouble]:
    with BotApiDouble(clock=lambda: clock.now().timestamp()) as double:
        yield double
    assert not double.internal_errors, "\n".join(double.internal_errors)


@pytest.fixture
def start(api: BotApiDouble, clock: Clock, db_target: str, analysis_pool: ProcessPoolExecutor) -> Any:
    """The bot with an injected clock, on each database backend in turn (the exactly-once tests run on both)."""

    @asynccontextmanager
    async def start(policy: DigestPolicy = FAST, *, polling: bool = True, **config: Any) -> AsyncIterator[DigestBot]:
        config = Config(token=api.token, api_url=api.url, db_path=database_target(db_target), **config)
        app = build_application(config, analyzer=Analyzer(executor=analysis_pool), digests=DigestRuntime(policy, clock))
        async with running(app, polling=polling):
            yield DigestBot(app, api, clock)

    return start


@pytest.fixture
async def bot(start: Any) -> AsyncIterator[DigestBot]:
    async with start() as running_bot:
        yield running_bot


async def subscription_id(bot: DigestBot, chat: int = CHAT, index: int = 0) -> int:
    return (await bot.services.repo.subscriptions(chat))[index].id


def shown_titles(messages: list[StoredMessage]) -> list[str]:
    """Every article title the digests showed (in full or listed), in order."""
    text = "\n".join(m.text or "" for m in messages)
    return re.findall(r"\w+ Approves Plan Number \d+ After Long Debate", text)


# -- subscribing ---------------------------------------------------------------------------------------------


async def test_subscribe_without_arguments_offers_buttons_that_subscribe(bot: DigestBot) -> None:
    guide = await bot.command("/subscribe")
    assert guide.text is not None and "/subscribe daily 08:00 Europe/Riga" in guide.text
    assert [b["text"] for row in guide.buttons for b in row] == [
        "daily at 08:00",
        "every Monday at 09:00",
        "every 6 hours",
    ]
    bot.api.push_callback_query(CHAT, guide.message_id, "dg:sub:weekly mon 09:00")
    confirmation = (await bot.api.wait_for_messages(CHAT, 2))[-1]
    assert confirmation.text is not None
    assert confirmation.text.startswith("✅ Subscribed: every Monday at 09:00 (UTC). Next digest: Mon 31 Mar 09:00.")
    assert "Times are in UTC, the default." in confirmation.text
    (sub,) = await bot.services.repo.subscriptions(CHAT)
    assert sub.next_due_at == datetime(2025, 3, 31, 9, tzinfo=UTC)
    assert bot.job(CHAT, sub.id).name == f"digest:{CHAT}:{sub.id}"


async def test_subscriptions_list_unsubscribe_and_bad_input(bot: DigestBot) -> None:
    reply = await bot.command("/subscribe daily 08:00 Europe/Riga")
    assert reply.text is not None
    assert reply.text.startswith("✅ Subscribed: daily at 08:00 (Europe/Riga). Next digest: Sun 30 Mar 08:00.")
    assert "This chat's time zone is now Europe/Riga." in reply.text
    reply = await bot.command("/subscribe every 6h")
    assert reply.text is not None and "(Europe/Riga). Next digest: Sat 29 Mar 18:00." in reply.text
    listing = await bot.command("/subscriptions")
    assert listing.text is not None
    assert "Digests in this chat (times in Europe/Riga):" in listing.text
    assert "1. daily at 08:00 — next Sun 30 Mar 08:00" in listing.text
    assert "2. every 6 hours — next Sat 29 Mar 18:00" in listing.text

    for command, answer in [
        ("/subscribe daily 25:00", "“25:00” is not a time of day. Use the 24-hour clock, for example /subscribe daily"),
        ("/subscribe weekly funday 09:00", "“funday” is not a day of the week."),
        ("/subscribe daily 08:00 Mars/Olympus", "I don't know the time zone “Mars/Olympus”."),
        ("/subscribe every 5m", "Digests come at most once an hour"),
        ("/subscribe daily 08:00", "You already have this digest: daily at 08:00 (Europe/Riga)."),
        ("/unsubscribe 7", "There is no digest #7 here (this chat has 2)."),
        ("/unsubscribe two", "Use /unsubscribe to stop every digest, or /unsubscribe with the number"),
    ]:
        reply = await bot.command(command)
        assert reply.text is not None and reply.text.startswith(answer), (command, reply.text)

    first, second = await bot.services.repo.subscriptions(CHAT)
    reply = await bot.command("/unsubscribe 2")
    assert reply.text == "Stopped: every 6 hours."
    assert bot.app.job_queue is not None
    assert bot.app.job_queue.get_jobs_by_name(job_name(CHAT, second.id)) == ()
    reply = await bot.command("/unsubscribe")
    assert reply.text == "Stopped: daily at 08:00."
    assert bot.app.job_queue.get_jobs_by_name(job_name(CHAT, first.id)) == ()
    reply = await bot.command("/subscriptions")
    assert reply.text is not None and reply.text.startswith("This chat has no digests.")
    assert bot.api.errors() == []


async def test_settings_show_and_change_the_zone_and_the_empty_line(bot: DigestBot) -> None:
    await bot.command("/subscribe daily 08:00")
    shown = await bot.command("/settings")
    assert shown.text is not None
    assert "Time zone: UTC" in shown.text and "Periods with nothing new: no message" in shown.text
    reply = await bot.command("/settings timezone europe/riga")
    assert reply.text == "Time zone set to Europe/Riga. Next digest: Sun 30 Mar 08:00."
    sub = (await bot.services.repo.subscriptions(CHAT))[0]
    assert sub.next_due_at == datetime(2025, 3, 30, 5, tzinfo=UTC)  # 08:00 summer time in Riga
    reply = await bot.command("/settings empty_digest on")
    assert reply.text == "A digest period with nothing new now sends one line saying so."
    for command, answer in [
        ("/settings timezone Atlantis", "I don't know the time zone “Atlantis”."),
        ("/settings empty_digest maybe", "Use on or off, for example /settings empty_digest on."),
        ("/settings colour blue", "There is no setting “colour”. You can change: language, sentences, timezone"),
        ("/settings summary 50", "A summary can have from 1 to 20 sentences"),
    ]:
        reply = await bot.command(command)
        assert reply.text is not None and reply.text.startswith(answer), (command, reply.text)
    shown = await bot.command("/settings")
    assert shown.text is not None
    assert "Time zone: Europe/Riga" in shown.text and "Periods with nothing new: one line says so" in shown.text


# -- on schedule ------------------------------------------------------------------------------------------------


async def test_a_daily_digest_arrives_at_0800_in_riga_on_the_day_summer_time_starts(bot: DigestBot) -> None:
    await bot.command("/subscribe daily 08:00 Europe/Riga")
    await bot.forward(0, 1)
    sub_id = await subscription_id(bot)
    due = datetime(2025, 3, 30, 5, 0, tzinfo=UTC)  # 08:00 EEST; yesterday 08:00 was 06:00 UTC
    job = bot.job(CHAT, sub_id)
    assert job.next_t is not None
    hours_ahead = (job.next_t - datetime.now(UTC)).total_seconds() / 3600
    assert 16.9 < hours_ahead < 17.1  # from Saturday 12:00 UTC

    # The bot is woken a second before 08:00 (say, after a clock correction): it is early, so it re-plans
    # itself, and the job queue fires on its own at 08:00 exactly.
    bot.clock.set(due - timedelta(seconds=1))
    await job.run(bot.app)
    assert bot.digests() == []
    (digest,) = await bot.api.wait_until(bot.digests, what="the digest", timeout=60)
    delivered = datetime.fromtimestamp(digest.date, UTC)
    assert due <= delivered < due + timedelta(seconds=2)
    assert delivered.astimezone(RIGA).strftime("%H:%M") == "08:00"
    assert digest.text is not None and digest.text.startswith("📰 Digest · 2 new articles")
    assert shown_titles([digest]) == [title(0), title(1)]
    # Both articles in full: summary, source, the strongest quote and a dated event.
    assert "“This is the decision our residents asked for”" in digest.text
    # "begin in March 2026 and finish in 2027" is one event spanning both; "on Tuesday" is no date in pasted
    # text that does not say when it was written, so nothing more is counted.
    assert digest.text.count("🗓 ") == 2 and "more date" not in digest.text
    # Tomorrow's digest is again at 08:00 Riga time.
    sub = (await bot.services.repo.subscriptions(CHAT))[0]
    assert sub.next_due_at == datetime(2025, 3, 31, 5, tzinfo=UTC)

    # The next day shows only what arrived since.
    await bot.forward(2)
    bot.clock.set(datetime(2025, 3, 31, 5, 0, tzinfo=UTC))
    await bot.job(CHAT, sub_id).run(bot.app)
    digests = await bot.api.wait_until(lambda: len(bot.digests()) == 2 and bot.digests(), what="the second digest")
    assert digests[1].text is not None and digests[1].text.startswith(
        "📰 Digest · 1 new article since Sun 30 Mar 08:00"
    )
    assert shown_titles(digests) == [title(0), title(1), title(2)]
    assert bot.api.errors() == []


async def test_a_restart_neither_loses_nor_repeats_a_digest(start: Any, clock: Clock) -> None:
    clock.set(datetime(2025, 6, 2, 10, 0, tzinfo=UTC))
    async with start() as bot:
        await bot.command("/subscribe daily 08:00")
        await bot.forward(0)
        clock.set(datetime(2025, 6, 3, 8, 0, tzinfo=UTC))
        await bot.job(CHAT, await subscription_id(bot)).run(bot.app)
        assert shown_titles(bot.digests()) == [title(0)]
        await bot.forward(1, 2)
    # Down for three days: three slots are missed.
    clock.set(datetime(2025, 6, 6, 12, 0, tzinfo=UTC))
    async with start() as bot:
        await bot.api.wait_until(lambda: len(bot.digests()) == 2, what="the catch-up digest")
        assert bot.app.job_queue is not None
        queue = bot.app.job_queue
        sub = (await bot.services.repo.subscriptions(CHAT))[0]

        async def planned_for_tomorrow() -> bool:
            jobs = queue.get_jobs_by_name(job_name(CHAT, sub.id))
            return (
                len(jobs) == 1
                and jobs[0].next_t is not None
                and jobs[0].next_t > datetime.now(UTC) + timedelta(hours=19)
            )

        # The catch-up run plans the next instant when it is done; then nothing more comes.
        await eventually(planned_for_tomorrow, "the job to be planned for tomorrow 08:00")
        await nothing_in_flight(bot)
        assert len(bot.digests()) == 2
        assert shown_titles(bot.digests()) == [title(0), title(1), title(2)]
        sub = (await bot.services.repo.subscriptions(CHAT))[0]
        assert sub.next_due_at == datetime(2025, 6, 7, 8, 0, tzinfo=UTC)
    # Restarting again before the next slot sends nothing: every digest job it plans lies ahead.
    async with start() as bot:
        assert nothing_due(bot)
        await nothing_in_flight(bot)
        assert len(bot.digests()) == 2


async def test_a_crash_after_the_first_part_resends_only_the_rest(start: Any, clock: Clock) -> None:
    many = DigestPolicy(max_full=12, retry_delays=FAST.retry_delays)
    async with start(many) as bot:
        await bot.command("/subscribe daily 08:00")
        await bot.forward(*range(12))
        # What a sender leaves behind when the process dies after Telegram accepted part 1 and it was recorded:
        # a claim with its lease running, one message id, and the watermark where it was.
        services = bot.services
        runtime = services.digests
        now = runtime.now()
        content = await compose_digest(services, CHAT, now)
        parts = digest_parts(content, "en", empty_line=False)
        assert len(parts) >= 2
        state = content.state
        result = await services.repo.claim_digest(
            CHAT, worker="crashed", now=now, lease=runtime.policy.lease, trigger="command", after=content.after,
            expected_watermark=state.watermark, upto=content.upto, article_count=content.count, parts=parts,
        )  # fmt: skip
        assert result.claim is not None
        first = await bot.app.bot.send_message(CHAT, parts[0])
        await services.repo.record_part(
            result.claim.id, worker="crashed", message_id=first.message_id, now=now, lease=runtime.policy.lease
        )
    # While the lease runs, a restarted bot leaves it alone (its retry waits for the lease to end); once it has
    # run out, the rest goes out.
    async with start(many) as bot:
        assert nothing_due(bot)
        assert bot.app.job_queue is not None and bot.app.job_queue.get_jobs_by_name(retry_job_name(CHAT))
        assert len(bot.digests()) == 1
    clock.advance(timedelta(minutes=3))
    async with start(many) as bot:
        messages = await bot.api.wait_until(lambda: len(bot.digests()) == len(parts) and bot.digests(), what="parts")
        assert [m.text for m in messages] == [_plain(p) for p in parts]
        assert shown_titles(messages) == [title(i) for i in range(12)]
        await eventually(lambda: watermark_is(bot, content.upto), "the watermark to move")
        # The scheduled digest later has nothing to repeat.
        clock.set(datetime(2025, 3, 30, 8, 0, tzinfo=UTC))
        delivery = await run_chat(bot.services, bot.app.bot, bot.app.job_queue, CHAT)
        assert delivery.outcome == "nothing" and len(bot.digests()) == len(parts)


def nothing_due(bot: DigestBot) -> bool:
    """Every digest job (a subscription's or a retry) lies a minute or more ahead: none can send now."""
    assert bot.app.job_queue is not None
    soon = datetime.now(UTC) + timedelta(minutes=1)
    return all(job.next_t is not None and job.next_t > soon for job in bot.app.job_queue.jobs(r"^digest"))


async def nothing_in_flight(bot: DigestBot) -> None:
    """No digest is being sent; a retry planned meanwhile runs now (it must find nothing left to send)."""
    assert bot.app.job_queue is not None
    for job in bot.app.job_queue.jobs(r"^digest-retry:"):
        job.schedule_removal()
        await job.run(bot.app)
    assert await bot.services.repo.claims_in_flight() == []


async def watermark_is(bot: DigestBot, article_id: int) -> bool:
    return (await bot.services.repo.digest_state(CHAT)).watermark == article_id


async def eventually(check: Callable[[], Awaitable[bool]], what: str, timeout: float = 60.0) -> None:  # noqa: ASYNC109
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.02)


def _plain(html: str) -> str:
    from views.render import plain_text

    return plain_text(html).strip()


@pytest.mark.slow
async def test_flood_waits_and_outages_still_deliver_every_article_once(start: Any, clock: Clock) -> None:
    many = DigestPolicy(max_full=12, retry_delays=FAST.retry_delays)
    async with start(many) as bot:
        await bot.command("/subscribe daily 08:00")
        await bot.forward(*range(12))
        # Part 1 meets a flood wait (the rate limiter waits retry_after and tries again), then Telegram's front
        # end fails twice (the digest is left for a retry, which resumes where it stopped).
        bot.api.inject("sendMessage", Fault.flood(retry_after=1))
        bot.api.inject("sendMessage", Fault.server_error(502))
        bot.api.inject("sendMessage", Fault.server_error(500))
        clock.set(datetime(2025, 3, 30, 8, 0, tzinfo=UTC))
        await bot.job(CHAT, await subscription_id(bot)).run(bot.app)
        parts = len(json.loads((await bot.services.repo.digest_history(CHAT))[0]["parts"]))  # type: ignore[arg-type]
        messages = await bot.api.wait_until(
            lambda: len(bot.digests()) >= parts and bot.digests(), what="the digest", timeout=60
        )
        last = await bot.services.repo.last_article(CHAT)
        assert last is not None
        await eventually(lambda: watermark_is(bot, last.id), "the watermark to move")
        await nothing_in_flight(bot)
        assert len(bot.digests()) == parts
        assert shown_titles(messages) == [title(i) for i in range(12)]
        faults = [r.status for r in bot.api.requests("sendMessage") if r.fault is not None]
        assert faults == [429, 502, 500]
        # The failed attempts sent nothing, so each was dropped for a fresh claim; one digest went out.
        statuses = [h["status"] for h in await bot.services.repo.digest_history(CHAT)]
        assert statuses[0] == "sent" and set(statuses[1:]) <= {"abandoned"}


async def test_a_chat_that_blocked_the_bot_is_paused_and_resumes_when_it_writes(bot: DigestBot) -> None:
    await bot.command("/subscribe daily 08:00")
    await bot.forward(0)
    sub_id = await subscription_id(bot)
    bot.api.block_chat(CHAT)
    bot.clock.set(datetime(2025, 3, 30, 8, 0, tzinfo=UTC))
    await bot.job(CHAT, sub_id).run(bot.app)
    sub = (await bot.services.repo.subscriptions(CHAT))[0]
    assert sub.paused and sub.paused_reason == "blocked"
    assert bot.app.job_queue is not None and bot.app.job_queue.get_jobs_by_name(job_name(CHAT, sub_id)) == ()
    forbidden = [r for r in bot.api.requests("sendMessage") if r.status == 403]
    assert len(forbidden) == 1
    assert bot.app.job_queue.get_jobs_by_name(retry_job_name(CHAT)) == ()  # not retried either

    # The user unblocks the bot and writes: the digests resume, and the next one has the article the failed
    # one could not bring.
    bot.api.block_chat(CHAT, False)
    before = len(bot.api.bot_messages(CHAT))
    bot.api.push_command(CHAT, "/subscriptions")
    notice, listing = (await bot.api.wait_for_messages(CHAT, before + 2))[-2:]
    assert notice.text == "Digests are on again: daily at 08:00. Next: Mon 31 Mar 08:00. /unsubscribe stops them."
    assert listing.text is not None and "1. daily at 08:00 — next Mon 31 Mar 08:00" in listing.text
    bot.clock.set(datetime(2025, 3, 31, 8, 0, tzinfo=UTC))
    await bot.job(CHAT, sub_id).run(bot.app)
    (digest,) = await bot.api.wait_until(bot.digests, what="the digest after resuming")
    assert shown_titles([digest]) == [title(0)]


async def test_a_chat_telegram_does_not_know_is_paused(bot: DigestBot) -> None:
    from storage.repository import Source
    from usecases.ingest import IncomingArticle, ingest
    from usecases.schedule import Schedule
    from usecases.subscriptions import subscribe

    gone = 987654  # a chat the bot once knew, since deleted: Telegram answers "chat not found"
    await ingest(bot.services, gone, IncomingArticle(story(3), Source("pasted")))
    await subscribe(bot.services, gone, Schedule("daily", minute=480), None)
    bot.clock.set(datetime(2025, 3, 30, 8, 0, tzinfo=UTC))
    delivery = await run_chat(bot.services, bot.app.bot, bot.app.job_queue, gone)
    assert delivery.outcome == "paused"
    (sub,) = await bot.services.repo.subscriptions(gone)
    assert sub.paused and sub.paused_reason == "chat_not_found"


async def test_subscriptions_due_together_bring_one_digest(bot: DigestBot) -> None:
    bot.clock.set(datetime(2025, 3, 30, 7, 0, tzinfo=UTC))
    await bot.command("/subscribe daily 08:00")
    await bot.command("/subscribe every 8h")  # 00:00, 08:00, 16:00
    await bot.forward(0)
    daily, every = await bot.services.repo.subscriptions(CHAT)
    assert daily.next_due_at == every.next_due_at == datetime(2025, 3, 30, 8, 0, tzinfo=UTC)
    bot.clock.set(datetime(2025, 3, 30, 8, 0, tzinfo=UTC))
    await asyncio.gather(bot.job(CHAT, daily.id).run(bot.app), bot.job(CHAT, every.id).run(bot.app))
    await nothing_in_flight(bot)
    assert len(bot.digests()) == 1
    daily, every = await bot.services.repo.subscriptions(CHAT)
    assert daily.next_due_at == datetime(2025, 3, 31, 8, 0, tzinfo=UTC)
    assert every.next_due_at == datetime(2025, 3, 30, 16, 0, tzinfo=UTC)


async def others_end_while_one_is_held(bot: DigestBot, runs: list[Awaitable[Any]]) -> None:
    """Start the runs of one chat's digest together; the first digest message to reach Telegram is held there
    until every other run has ended, so they all ran while one was in flight. (Only that one message is held:
    a run that sends too is not held, and the test counts what it sent.)"""
    held = threading.Event()
    sent_before = bot.api.arrived("sendMessage")
    bot.api.inject("sendMessage", Fault.hold(held))
    tasks = [asyncio.ensure_future(run) for run in runs]
    try:
        await bot.api.wait_until(
            lambda: bot.api.arrived("sendMessage") > sent_before, what="a run's digest at Telegram", recheck=None
        )
        pending = set(tasks)
        while len(pending) > 1:  # the one whose message is held cannot end
            _, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
    finally:
        held.set()
    await asyncio.gather(*tasks)


async def test_two_runs_of_the_same_digest_send_it_once(start: Any, clock: Clock) -> None:
    async with start() as bot:
        await bot.command("/subscribe daily 08:00")
        await bot.forward(0, 1)
        job = bot.job(CHAT, await subscription_id(bot))
        clock.set(datetime(2025, 3, 30, 8, 0, tzinfo=UTC))
        await others_end_while_one_is_held(bot, [job.run(bot.app), job.run(bot.app), job.run(bot.app)])
        await nothing_in_flight(bot)
        assert len(bot.digests()) == 1

        # A second process on the same database (no polling: one bot polls), running the same chat at once.
        await bot.forward(2)
        clock.set(datetime(2025, 3, 31, 8, 0, tzinfo=UTC))
        async with start(polling=False) as other:
            await others_end_while_one_is_held(
                bot,
                [
                    run_chat(bot.services, bot.app.bot, bot.app.job_queue, CHAT),
                    run_chat(other.services, other.app.bot, other.app.job_queue, CHAT),
                ],
            )
            await nothing_in_flight(other)
        await nothing_in_flight(bot)
        assert len(bot.digests()) == 2
        assert shown_titles(bot.digests()) == [title(0), title(1), title(2)]


async def test_a_send_waiting_longer_than_the_lease_keeps_its_claim(start: Any, clock: Clock) -> None:
    short = DigestPolicy(lease=timedelta(milliseconds=600), retry_delays=FAST.retry_delays, busy_retry=FAST.busy_retry)
    async with start(short) as bot:
        await bot.command("/subscribe daily 08:00")
        await bot.forward(0)
        clock.set(datetime(2025, 3, 30, 8, 0, tzinfo=UTC))
        held = threading.Event()
        bot.api.inject("sendMessage", Fault.hold(held))  # as a long flood wait would hold the send
        started = bot.services.digests.now()
        first = asyncio.create_task(run_chat(bot.services, bot.app.bot, bot.app.job_queue, CHAT))

        async def kept_past_twice_the_lease() -> bool:
            # Only the sender's heartbeat can have moved the lease this far: the send is still held.
            claims = await bot.services.repo.claims_in_flight()
            return bool(claims) and claims[0].lease_until > started + 2 * short.lease

        await eventually(kept_past_twice_the_lease, "the heartbeat to keep the claim past twice its lease")
        second = await run_chat(bot.services, bot.app.bot, bot.app.job_queue, CHAT)
        assert second.outcome in ("busy", "nothing")
        held.set()  # the send goes through at last
        assert (await first).outcome == "sent"
        await nothing_in_flight(bot)
        assert len(bot.digests()) == 1


async def test_a_part_whose_answer_is_lost_is_not_sent_again(start: Any, clock: Clock) -> None:
    # Telegram takes the part but its answer comes after the bot stopped waiting (as under heavy load).
    async with start(send_timeout=0.5) as bot:
        await bot.command("/subscribe daily 08:00")
        await bot.forward(0)
        clock.set(datetime(2025, 3, 30, 8, 0, tzinfo=UTC))
        held = threading.Event()
        bot.api.inject("sendMessage", Fault.hold(held))
        delivery = await run_chat(bot.services, bot.app.bot, bot.app.job_queue, CHAT)
        assert delivery.outcome == "sent"  # counted as delivered: the watermark moved
        held.set()
        # The held part lands after the bot gave up on it; nothing was sent again before or after.
        await bot.api.wait_until(
            lambda: any(r.fault is not None and r.status == 200 for r in bot.api.requests("sendMessage")),
            what="the held part",
        )
        assert len(bot.digests()) == 1 and shown_titles(bot.digests()) == [title(0)]
        again = await run_chat(bot.services, bot.app.bot, bot.app.job_queue, CHAT)
        assert again.outcome == "nothing" and len(bot.digests()) == 1


# -- /digest and what a digest looks like --------------------------------------------------------------------------


async def test_digest_now_consumes_what_it_shows_and_leaves_the_schedule(bot: DigestBot) -> None:
    await bot.command("/subscribe daily 08:00")
    sub_before = (await bot.services.repo.subscriptions(CHAT))[0]
    reply = await bot.command("/digest")
    assert reply.text == "📰 No new articles yet. Forward or paste some, and the next digest lists them."
    await bot.forward(0)
    bot.api.push_command(CHAT, "/digest")
    (digest,) = await bot.api.wait_until(bot.digests, what="the digest")
    assert shown_titles([digest]) == [title(0)]
    assert (await bot.services.repo.subscriptions(CHAT))[0].next_due_at == sub_before.next_due_at
    last = await bot.services.repo.last_article(CHAT)
    assert last is not None
    await eventually(lambda: watermark_is(bot, last.id), "the watermark to move")
    reply = await bot.command("/digest")
    assert reply.text is not None and reply.text.startswith("📰 Nothing new since the last digest (Sat 29 Mar 12:0")
    # The scheduled digest does not repeat what /digest showed: an empty period sends nothing by default...
    bot.clock.set(datetime(2025, 3, 30, 8, 0, tzinfo=UTC))
    await bot.job(CHAT, sub_before.id).run(bot.app)  # the run is over when this returns
    assert bot.digests() == [digest]
    # ...or one line, when the chat asked for it.
    await bot.command("/settings empty_digest on")
    bot.clock.set(datetime(2025, 3, 31, 8, 0, tzinfo=UTC))
    await bot.job(CHAT, sub_before.id).run(bot.app)
    last = await bot.api.wait_until(lambda: len(bot.digests()) == 2 and bot.digests()[-1], what="the empty line")
    assert last.text == "📰 Nothing new since the last digest (Sat 29 Mar 12:00)."


async def test_a_big_period_is_capped_and_a_long_digest_is_split_in_order(start: Any, clock: Clock) -> None:
    async with start() as bot:
        await bot.command("/subscribe daily 08:00")
        await bot.forward(*range(18))
        clock.set(datetime(2025, 3, 30, 8, 0, tzinfo=UTC))
        await bot.job(CHAT, await subscription_id(bot)).run(bot.app)
        (digest,) = await bot.api.wait_until(bot.digests, what="the digest")
        text = digest.text or ""
        assert text.startswith("📰 Digest · 18 new articles")
        assert text.count("💬") == 5  # five in full
        # The newest five in full (all else being equal), ten more by title, and a pointer to the rest.
        assert shown_titles([digest])[:5] == [title(i) for i in range(13, 18)]
        assert "Also new" in text and "…and 3 more (#11–#13): /summary 11" in text
        assert len(shown_titles([digest])) == 15
    wide = DigestPolicy(max_full=18, max_listed=0, retry_delays=FAST.retry_delays)
    async with start(wide) as bot:
        await bot.forward(*range(18, 36))
        clock.set(datetime(2025, 3, 31, 8, 0, tzinfo=UTC))
        await bot.job(CHAT, await subscription_id(bot)).run(bot.app)
        history = await bot.services.repo.digest_history(CHAT)
        parts = len(json.loads(history[0]["parts"]))  # type: ignore[arg-type]
        assert parts >= 2
        messages = await bot.api.wait_until(lambda: len(bot.digests()) == 1 + parts and bot.digests()[1:], what="parts")
        assert shown_titles(messages) == [title(i) for i in range(18, 36)]  # in order, none twice
        assert all(len(m.text or "") <= 4096 for m in messages)
        assert bot.api.errors() == []


async def test_precis_digest_previews_without_consuming(start: Any, capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main

    async with start() as bot:
        await bot.command("/subscribe daily 08:00 Europe/Riga")
        await bot.forward(0, 1)
        db_path = bot.services.repo.db.path
    capsys.readouterr()
    status = await asyncio.to_thread(main, ["--db", db_path, "digest", "--chat", str(CHAT), "--json"])
    payload = json.loads(capsys.readouterr().out)
    assert status == 0
    assert payload["covers"]["count"] == 2
    assert [a["title"] for a in payload["articles"]] == [title(0), title(1)]
    assert payload["subscriptions"][0]["schedule"] == "daily 08:00"
    assert payload["subscriptions"][0]["next_due_at"] == "2025-03-30T05:00:00+00:00"
    status = await asyncio.to_thread(main, ["--db", db_path, "digest", "--chat", str(CHAT)])
    out = capsys.readouterr().out
    assert out.startswith("📰 Digest · 2 new articles") and "daily at 08:00: next Sun 30 Mar 08:00" in out
    # Nothing was consumed: the bot's next digest still has both.
    async with start() as bot:
        state = await bot.services.repo.digest_state(CHAT)
        assert state.watermark == 0 and state.last_digest_at is None


@pytest.mark.slow
async def test_three_bots_on_one_database_send_each_due_digest_once(
    start: Any, clock: Clock, startup_jobs: StartupJobs
) -> None:
    """Three bot processes' worth of applications on one database (on each backend), all running the digests
    of 100 chats due at the same minute at once: every chat gets its digest exactly once."""
    from analysis.types import Analysis, Sentence
    from storage.repository import Source
    from usecases.ingest import store_analysis

    chats = range(7001, 7101)
    due = datetime(2025, 3, 30, 8, 0, tzinfo=UTC)
    async with start() as first, start(polling=False) as second, start(polling=False) as third:
        repo = first.services.repo
        # The articles below are stored as analysed: no bot's start-up job may analyse them again.
        await startup_jobs.finished(first.app, second.app, third.app)
        for k, chat in enumerate(chats):
            first.api.add_chat(chat)
            article, _ = await repo.add_article(chat, story(k), Source("pasted"))
            text = story(k)  # stored as analysed, without the analysis' cost: a digest lists it by its title
            analysed = Analysis("en", title(k), text, (Sentence(0, 0, len(text), text, 0, 0),), (), (), ())
            await store_analysis(repo, article.id, analysed)
            await repo.upsert_subscription(
                chat, kind="daily", at_minute=8 * 60, weekday=None, every_hours=None, next_due=due,
                now=clock.now(), timezone="UTC", start_watermark=0,
            )  # fmt: skip
        clock.set(due)
        bots = (first, second, third)
        runs = [
            run_chat(bot.services, bot.app.bot, bot.app.job_queue, chat) for chat in chats for bot in bots
        ]  # fmt: skip
        await asyncio.gather(*runs)
        for k, chat in enumerate(chats):
            digests = first.digests(chat)
            assert len(digests) == 1, (chat, [m.text for m in digests])
            assert set(shown_titles(digests)) == {title(k)}  # this chat's article, and no other chat's
            history = await repo.digest_history(chat)
            assert [h["status"] for h in history] == ["sent"]


# -- digests about something --------------------------------------------------------------------------------


async def test_filtered_digests_hold_only_what_matches_and_take_nothing_from_the_others(bot: DigestBot) -> None:
    reply = await bot.command("/subscribe daily 08:00 about Norvik, Eastbay not about trams")
    assert (reply.text or "").startswith(
        "✅ Subscribed: daily at 08:00 · about Norvik, Eastbay · not about trams (UTC)."
    ), reply.text
    await bot.command("/subscribe daily 09:00 from Mara Olsen")
    await bot.command("/subscribe daily 10:00")
    listing = (await bot.command("/subscriptions")).text or ""
    assert "1. daily at 08:00 · about Norvik, Eastbay · not about trams — next" in listing
    assert "2. daily at 09:00 · from Mara Olsen — next" in listing
    assert "3. daily at 10:00 — next" in listing

    # 0: Norvik's bridge (Elena Varga); 1: Eastbay's tram line (Tomas Brenner); 2: Larnholm's library (Mara Olsen)
    await bot.forward(0, 1, 2)
    subs = await bot.services.repo.subscriptions(CHAT)
    for hour, sub in zip((8, 9, 10), subs, strict=True):
        bot.clock.set(datetime(2025, 3, 30, hour, 0, tzinfo=UTC))
        before = len(bot.digests())
        await bot.job(CHAT, sub.id).run(bot.app)
        await bot.api.wait_until(lambda n=before: len(bot.digests()) > n and bot.digests(), what=f"digest {hour}")
    about, from_person, everything = bot.digests()
    assert (about.text or "").startswith("📰 Digest · 1 new article · about Norvik, Eastbay · not about trams")
    assert shown_titles([about]) == [title(0)]  # Eastbay's story is about a tram line: excluded
    assert shown_titles([from_person]) == [title(2)]
    assert (from_person.text or "").startswith("📰 Digest · 1 new article · from Mara Olsen")
    # The plain subscription still gets everything: the filtered ones took nothing from it.
    assert shown_titles([everything]) == [title(0), title(1), title(2)]

    # Next day: nothing new matches the first filter, so it sends nothing; the others go on from where they were.
    await bot.forward(4)  # Brightwater's solar farm, quoting Sara Nkemelu
    bot.clock.set(datetime(2025, 3, 31, 8, 0, tzinfo=UTC))
    await bot.job(CHAT, subs[0].id).run(bot.app)
    (first,) = [s for s in await bot.services.repo.subscriptions(CHAT) if s.id == subs[0].id]
    assert first.next_due_at == datetime(2025, 4, 1, 8, 0, tzinfo=UTC)
    assert len(bot.digests()) == 3
    assert bot.api.errors() == []


async def test_bad_filters_get_a_clear_answer(bot: DigestBot) -> None:
    for command, answer in [
        ("/subscribe daily 08:00 about", "“about” needs at least one word after it"),
        ("/subscribe daily 08:00 from ,", "“from” needs at least one word after it"),
        ("/subscribe daily 08:00 about ***", "“***” has no word to look for"),
        ("/subscribe daily 08:00 about " + ", ".join(f"t{i}" for i in range(11)), "at most 10 topics"),
    ]:
        reply = await bot.command(command)
        assert answer in (reply.text or ""), (command, reply.text)
    assert await bot.services.repo.subscriptions(CHAT) == []
