"""Digest fan-out: one scheduled digest to each of many chats, through the Bot API double, with the real
application and its rate limiter.

    python -m bench.bench_digest [--chats 1000] [--json]

The double enforces Telegram's flood limits (about 30 messages a second overall, 20 a minute per group; see
`tests.botapi.FloodControl`) and answers 429 with retry_after beyond them, so "zero 429s" means the bot kept to
the limits by itself. Every chat is subscribed to a daily digest in one of a handful of time zones, at the local
time that is 08:00 UTC there (10:00 in Riga, 03:00 in New York, ...), and has two analysed articles waiting.
The bot's clock is set just before that instant; the figures are the time from the instant until Telegram (the
double) has accepted the last digest, against the limiter's floor (the first 30 messages at once, then 30 a
second), and how many chats got their digest exactly once. The run stops by itself: a deadline bounds it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from analysis.pipeline import analyze
from bot.app import build_application, running
from bot.config import Config
from storage.db import Database
from storage.repository import Repository, Source
from tests.botapi import BotApiDouble, FloodControl
from usecases.ingest import store_analysis
from usecases.schedule import Schedule, next_due
from usecases.services import Analyzer, Clock, DigestRuntime

OVERALL_RATE = 30.0  # messages a second: AIORateLimiter's default, and Telegram's advice for broadcasts
INITIAL_BURST = 30  # what AIORateLimiter lets through at once before it settles to the rate
# Zones and local hours that all fall on 08:00 UTC on the bench's day (15 January).
ZONES = {"UTC": 8, "Europe/Riga": 10, "America/New_York": 3, "Asia/Tokyo": 17}
DUE = datetime(2025, 1, 15, 8, 0, tzinfo=UTC)

ARTICLES = (
    """Ferry Service Restored After Winter Storm

The ferry between the two islands sailed again on Wednesday, a week after a storm damaged the pier.

"We worked day and night to reopen the route," harbour master Lena Holm said on Wednesday.

Repairs to the pier will continue until April 2025, the port authority said.""",
    """Council Votes to Extend Library Hours

The town council voted on Tuesday to keep the central library open until ten in the evening.

Librarian Omar Castell said students had asked for longer hours for years. "Exams do not end at six," he said.

The new hours start in February 2025 and will be reviewed in the autumn.""",
)


def floor_seconds(messages: int) -> float:
    """The least time the rate limiter needs for `messages` sends: a burst, then the steady rate."""
    return max(messages - INITIAL_BURST, 0) / OVERALL_RATE


async def _populate(db_path: Path, chats: list[int]) -> dict[int, int]:
    """Chats, their analysed articles and their subscriptions, written straight into the database (the bench
    measures delivery, not ingestion). Returns the last article id of each chat."""
    analyses = [analyze(text, DUE - timedelta(days=1)) for text in ARTICLES]
    db = await Database.open(db_path)
    repo = Repository(db)
    zones = list(ZONES)
    last: dict[int, int] = {}
    try:
        for i, chat in enumerate(chats):
            await repo.ensure_chat(chat, "private" if chat > 0 else "supergroup")
            for text, result in zip(ARTICLES, analyses, strict=True):
                article, _ = await repo.add_article(chat, text, Source("channel", f"Channel {i % 7}"))
                await store_analysis(repo, article.id, result)
                last[chat] = article.id
            zone_name = zones[i % len(zones)]
            schedule = Schedule("daily", minute=ZONES[zone_name] * 60)
            due = next_due(schedule, ZoneInfo(zone_name), DUE - timedelta(minutes=1))
            assert due == DUE
            await repo.upsert_subscription(
                chat,
                kind=schedule.kind,
                at_minute=schedule.minute,
                weekday=None,
                every_hours=None,
                next_due=due,
                now=DUE - timedelta(days=2),
                timezone=zone_name,
                start_watermark=0,
            )
    finally:
        await db.close()
    return last


async def run_bench(chats: int = 1000, groups_every: int = 10, lead: float = 2.0) -> dict[str, Any]:
    """Run the fan-out once and return its figures (see the module notes)."""
    ids = [-(1_000_000_000 + i) if i % groups_every == 0 else 10_000 + i for i in range(chats)]
    with tempfile.TemporaryDirectory() as folder, BotApiDouble(flood_control=FloodControl()) as api:
        db_path = Path(folder) / "precis.db"
        for chat in ids:
            api.add_chat(chat, chat_type="private" if chat > 0 else "supergroup")
        setup_started = time.perf_counter()
        last_article = await _populate(db_path, ids)
        setup_seconds = time.perf_counter() - setup_started

        clock = Clock()
        clock.set(DUE - timedelta(seconds=lead))
        due_wall = time.time() + lead  # the instant, on the double's clock
        config = Config(token=api.token, api_url=api.url, db_path=db_path)
        app = build_application(config, analyzer=Analyzer(workers=1), digests=DigestRuntime(clock=clock))
        deadline = lead + 3 * floor_seconds(chats) + 60
        started = time.monotonic()
        timed_out = False
        async with running(app, polling=True):

            def delivered() -> int:
                return sum(1 for r in api.requests("sendMessage") if r.status == 200)

            while delivered() < chats:
                if time.monotonic() - started > deadline:
                    timed_out = True
                    break
                await asyncio.sleep(0.05)
            await asyncio.sleep(1.0)  # anything sent twice would come now
            services = app.bot_data.services
            assert services is not None
            watermarks_moved = 0
            for chat in ids:
                state = await services.repo.digest_state(chat)
                watermarks_moved += state.watermark == last_article[chat]

    sends = api.requests("sendMessage")
    accepted = [r for r in sends if r.status == 200]
    per_chat = Counter(int(r.params["chat_id"]) for r in accepted)
    refused_429 = sum(1 for r in sends if r.status == 429 and r.fault is None)
    other_errors = sum(1 for r in sends if r.status not in (200, 429))
    complete = sum(
        1
        for m_chat in per_chat
        if all(
            title in "".join(m.text or "" for m in api.bot_messages(m_chat))
            for title in ("Ferry Service Restored", "Council Votes to Extend")
        )
    )
    total = (max(r.at for r in accepted) - due_wall) if accepted else float("nan")
    floor = floor_seconds(len(accepted))
    return {
        "chats": chats,
        "groups": sum(1 for c in ids if c < 0),
        "messages_accepted": len(accepted),
        "chats_with_one_digest": sum(1 for n in per_chat.values() if n == 1),
        "chats_with_more": sum(1 for n in per_chat.values() if n > 1),
        "chats_without": chats - len(per_chat),
        "chats_with_every_article": complete,
        "watermarks_moved": watermarks_moved,
        "seconds_total": round(total, 2),
        "seconds_floor": round(floor, 2),
        "seconds_naive_floor": round(len(accepted) / OVERALL_RATE, 2),
        "over_floor": round(total / floor, 3) if floor else None,
        "messages_per_second": round(len(accepted) / total, 2) if accepted and total > 0 else None,
        "refused_429": refused_429,
        "other_errors": other_errors,
        "timed_out": timed_out,
        "setup_seconds": round(setup_seconds, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=1000, help="subscribed chats (default 1000)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--data", type=Path, help="ignored: this bench writes its own articles")
    args = parser.parse_args(argv)
    if args.chats < 1:
        parser.error("--chats must be at least 1")
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("telegram.ext.AIORateLimiter").setLevel(logging.ERROR)
    figures = asyncio.run(run_bench(args.chats))
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(f"digest fan-out to {figures['chats']} chats ({figures['groups']} groups), rate limiter on")
        print(f"  messages accepted         {figures['messages_accepted']}")
        print(
            f"  time from due to last     {figures['seconds_total']} s   "
            f"(floor {figures['seconds_floor']} s with the first {INITIAL_BURST} at once; "
            f"{figures['seconds_naive_floor']} s at a flat {OVERALL_RATE:g}/s)"
        )
        print(f"  over the floor            ×{figures['over_floor']}   ({figures['messages_per_second']} messages/s)")
        print(f"  429 received              {figures['refused_429']}   other errors {figures['other_errors']}")
        print(
            f"  exactly once              {figures['chats_with_one_digest']} chats; "
            f"{figures['chats_with_more']} got more, {figures['chats_without']} none; "
            f"{figures['chats_with_every_article']} saw every article; "
            f"{figures['watermarks_moved']} watermarks moved"
        )
        if figures["timed_out"]:
            print("  stopped at the deadline before every chat had its digest")
    ok = (
        figures["refused_429"] == 0
        and figures["chats_with_one_digest"] == figures["chats"]
        and figures["watermarks_moved"] == figures["chats"]
        and not figures["timed_out"]
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
