"""A chat's digest subscriptions: subscribing (a schedule, maybe a time zone), unsubscribing, and resuming the
subscriptions paused while the chat could not be reached. A chat has one stream of digests; several
subscriptions only add delivery times."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from storage.digests import DigestState, SubscriptionRow, TooManySubscriptions
from usecases.digest_filter import DigestFilter
from usecases.errors import DigestProblem
from usecases.schedule import Schedule, next_due, zone
from usecases.services import Services

PAUSE_REASONS = ("blocked", "chat_not_found", "migrated")


def schedule_of(sub: SubscriptionRow) -> Schedule:
    kind = sub.kind
    if kind == "every":
        return Schedule("every", hours=sub.every_hours)
    if kind == "weekly":
        return Schedule("weekly", minute=sub.at_minute, weekday=sub.weekday)
    return Schedule("daily", minute=sub.at_minute)


@dataclass(frozen=True, slots=True)
class SubscribeOutcome:
    subscription: SubscriptionRow
    schedule: Schedule
    created: bool
    resumed: bool
    timezone: str
    zone_defaulted: bool  # no zone was given and the chat has the default one
    zone_changed: bool
    others_moved: int  # the chat's other subscriptions that now follow the new zone


async def subscribe(
    services: Services,
    chat_id: int,
    schedule: Schedule,
    zone_name: str | None,
    digest_filter: DigestFilter | None = None,
) -> SubscribeOutcome:
    """Subscribe the chat to a digest on `schedule`; with `digest_filter`, a digest of only what matches it,
    with its own place in the chat's articles (its first digest looks back one period)."""
    repo = services.repo
    filter_json = digest_filter.to_json() if digest_filter is not None else None
    now = services.digests.now()
    state = await repo.digest_state(chat_id)
    subs = await repo.subscriptions(chat_id)
    timezone = zone_name or state.timezone
    tz = zone(timezone)
    zone_changed = zone_name is not None and zone_name != state.timezone
    zone_due = {s.id: next_due(schedule_of(s), tz, now) for s in subs if not s.paused} if zone_changed else {}
    before = next((s for s in subs if schedule_of(s) == schedule and s.filter == filter_json), None)
    # A chat with no subscriptions starts a new stream: its first digest looks back one period. So does each
    # filtered subscription, on its own.
    starts = filter_json is not None or not any(s.filter is None for s in subs)
    start = await repo.article_id_before(chat_id, now - schedule.period) if starts else None
    try:
        sub, created = await repo.upsert_subscription(
            chat_id,
            kind=schedule.kind,
            at_minute=schedule.minute,
            weekday=schedule.weekday,
            every_hours=schedule.hours,
            next_due=next_due(schedule, tz, now),
            now=now,
            timezone=zone_name if zone_changed else None,
            zone_due=zone_due,
            start_watermark=start,
            filter=filter_json,
        )
    except TooManySubscriptions:
        raise DigestProblem("too_many") from None
    return SubscribeOutcome(
        subscription=sub,
        schedule=schedule,
        created=created,
        resumed=before is not None and before.paused,
        timezone=timezone,
        zone_defaulted=zone_name is None and timezone == "UTC",
        zone_changed=zone_changed,
        others_moved=len([s for s in zone_due if s != sub.id]),
    )


async def unsubscribe(services: Services, chat_id: int, number: int | None) -> list[SubscriptionRow]:
    subs = await services.repo.subscriptions(chat_id)
    if not subs:
        raise DigestProblem("no_subscriptions")
    if number is None:
        return await services.repo.delete_subscriptions(chat_id)
    if not 1 <= number <= len(subs):
        raise DigestProblem("no_such_subscription", number=number, count=len(subs))
    return await services.repo.delete_subscriptions(chat_id, subs[number - 1].id)


async def resume_paused(services: Services, chat_id: int) -> list[SubscriptionRow]:
    """The chat wrote to us, so it can be written to again: its paused subscriptions start from the next
    instant (the digest then covers everything since the last one delivered)."""
    repo = services.repo
    if not await repo.has_paused_subscriptions(chat_id):
        return []
    now = services.digests.now()
    tz = zone((await repo.digest_state(chat_id)).timezone)
    paused = [s for s in await repo.subscriptions(chat_id) if s.paused]
    return await repo.resume_subscriptions(chat_id, {s.id: next_due(schedule_of(s), tz, now) for s in paused})


async def subscriptions(services: Services, chat_id: int) -> tuple[list[SubscriptionRow], DigestState]:
    """The chat's subscriptions, and the state of its stream of digests (its time zone, its last digest)."""
    return await services.repo.subscriptions(chat_id), await services.repo.digest_state(chat_id)


def parse_unsubscribe_args(args: Sequence[str]) -> int | None:
    if not args or (len(args) == 1 and args[0].casefold() == "all"):
        return None
    if len(args) == 1 and args[0].lstrip("#").isdigit() and len(args[0]) < 6:
        return int(args[0].lstrip("#"))
    raise DigestProblem("bad_unsubscribe")
