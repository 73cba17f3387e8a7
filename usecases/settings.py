"""The chat's settings: storing a new value (a new time zone moves the chat's digests with it)."""

from __future__ import annotations

from usecases.schedule import next_due, zone
from usecases.services import Services
from usecases.subscriptions import schedule_of


async def store_language(services: Services, chat_id: int, code: str) -> None:
    await services.repo.update_chat_settings(chat_id, lang=code)


async def store_sentences(services: Services, chat_id: int, n: int) -> None:
    await services.repo.update_chat_settings(chat_id, summary_sentences=n)


async def store_timezone(services: Services, chat_id: int, timezone: str) -> None:
    """The chat's subscriptions keep their wall-clock times in the new zone."""
    now = services.digests.now()
    tz = zone(timezone)
    subs = [sub for sub in await services.repo.subscriptions(chat_id) if not sub.paused]
    due = {sub.id: next_due(schedule_of(sub), tz, now) for sub in subs}
    await services.repo.set_timezone(chat_id, timezone, due, now)


async def store_empty_digest(services: Services, chat_id: int, on: bool) -> None:
    await services.repo.set_empty_digest(chat_id, on)
