"""Digests: /subscribe, /subscriptions, /unsubscribe, /digest, and the scheduled jobs that send them.

A chat has one stream of digests. Each digest lists the articles that arrived since the previous one (the chat's
watermark: the last article id a delivered digest covered); several subscriptions only add delivery times.
`/digest` sends the next digest of that stream now: it consumes what it shows, so the next scheduled digest
continues after it instead of repeating it, and it leaves the schedule alone. `precis digest` previews the
next digest without consuming anything.

Delivery is exactly-once per digest (see storage/digests.py): a claim with a lease is taken in the database,
the parts are sent in order and each accepted part is recorded, and the watermark moves only when Telegram
has accepted every part. A 403 (blocked, kicked) or "chat not found" pauses the chat's subscriptions; any
later message from the chat resumes them. A 5xx, a timeout or a flood wait that outlasted the rate limiter's
retries leaves the claim for a retry (with backoff), so nothing is skipped.

Jobs: one PTB job per subscription, named ``digest:{chat}:{subscription}``, a ``run_once`` at the next due
instant that we compute ourselves (handlers/schedule.py) and re-plan after every run; ``digest-retry:{chat}``
for retries. They are rebuilt from the database at start-up; a digest due while the bot was down is sent once,
right away, covering every missed slot.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Literal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError
from telegram.ext import ExtBot, JobQueue

from handlers.common import (
    Command,
    PrecisContext,
    chat_language,
    command,
    require_admin,
    send_html,
    services_of,
)
from handlers.i18n import UserError, pick_language, t
from handlers.render import Html, bold, escape, split_message, truncate
from handlers.schedule import (
    WEEKDAYS,
    Schedule,
    ScheduleError,
    last_due,
    next_due,
    parse_schedule,
    schedule_from_spec,
    zone,
    zone_label,
)
from handlers.services import Services
from handlers.summary import render_quote, render_source
from storage.digests import Claim, DigestArticle, DigestState, SubscriptionRow, TooManySubscriptions
from storage.quotes import StoredQuote

log = logging.getLogger(__name__)

CALLBACK_PREFIX = "dg"
GUIDE_CHOICES = ("daily 08:00", "weekly mon 09:00", "every 6h")
_EARLY = timedelta(milliseconds=100)  # a job woken this little before its instant counts as due


def d(lang: str, key: str, **values: Any) -> str:
    """A message of the digest catalogue section."""
    return t(lang, key, section="digest", **values)


def dn(lang: str, key: str, count: int, **values: Any) -> str:
    """A message with a count: `key_one` for one, `key_other` for any other number."""
    return d(lang, f"{key}_{'one' if count == 1 else 'other'}", count=count, **values)


class DigestProblem(UserError):
    def message(self, lang: str) -> str:
        return d(lang, self.key, **self.values)


def schedule_of(sub: SubscriptionRow) -> Schedule:
    kind = sub.kind
    if kind == "every":
        return Schedule("every", hours=sub.every_hours)
    if kind == "weekly":
        return Schedule("weekly", minute=sub.at_minute, weekday=sub.weekday)
    return Schedule("daily", minute=sub.at_minute)


# -- what a digest contains ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ArticleEntry:
    article: DigestArticle
    full: bool
    sentences: list[str]
    quote: Html | None
    top_event: tuple[str, str] | None


@dataclass(frozen=True, slots=True)
class DigestContent:
    state: DigestState
    after: int  # the article id it starts after
    upto: int  # the last article id it covers
    count: int
    entries: list[ArticleEntry]
    more: list[DigestArticle]  # covered, but beyond what is listed

    @property
    def empty(self) -> bool:
        return self.count == 0


def _salience(article: DigestArticle) -> tuple[int, int, int, int]:
    # Featured first: told by several sources, quoting someone, with dates; then the newest.
    return (article.source_count, int(article.quote_count > 0), min(article.event_count, 3), article.id)


async def compose_digest(services: Services, chat_id: int, now: datetime) -> DigestContent:
    """What the chat's next digest covers and shows, read from the database (nothing is changed)."""
    repo = services.repo
    policy = services.digests.policy
    state = await repo.digest_state(chat_id)
    after = state.watermark
    if after is None:  # never had a digest: the first one looks back one day
        after = await repo.article_id_before(chat_id, now - timedelta(days=1))
    upto, count = await repo.digest_range(chat_id, after, settled_before=now - policy.settle)
    articles = await repo.digest_articles(chat_id, after, upto) if count else []
    ready = [a for a in articles if a.status == "ready"]
    featured = {a.id for a in sorted(ready, key=_salience, reverse=True)[: policy.max_full]}
    entries: list[ArticleEntry] = []
    listed = 0
    more: list[DigestArticle] = []
    for article in articles:
        if article.id in featured:
            quote = await repo.strongest_quote(article.id)
            if quote is not None and len(quote.text) > 240:
                quote = _shorter_quote(quote)
            entries.append(
                ArticleEntry(
                    article,
                    True,
                    await repo.summary_sentences(article.id, policy.summary_sentences),
                    Html(render_quote(quote)) if quote is not None else None,
                    await repo.top_event(article.id) if article.event_count else None,
                )
            )
        elif listed < policy.max_listed:
            listed += 1
            entries.append(ArticleEntry(article, False, [], None, None))
        else:
            more.append(article)
    return DigestContent(state, after, upto, count, entries, more)


def _shorter_quote(quote: StoredQuote) -> StoredQuote:
    return replace(quote, text=quote.text[:237].rstrip() + "…")


# -- rendering ---------------------------------------------------------------------------------------------------


def local_time(moment: datetime, zone_name: str, lang: str = "en") -> str:
    """'Sun 30 Mar 08:00' ('Вс 30 марта 08:00') in the chat's zone and language."""
    local = moment.astimezone(zone(zone_name))
    weekday = t(lang, "weekdays_short").split()[local.weekday()]
    month = t(lang, "months_in_dates").split()[local.month - 1]
    return f"{weekday} {local.day} {month} {local:%H:%M}"


def describe(schedule: Schedule, lang: str) -> str:
    if schedule.kind == "every":
        return d(lang, "every_hour") if schedule.hours == 1 else d(lang, "every_hours", hours=schedule.hours)
    assert schedule.minute is not None
    clock = f"{schedule.minute // 60:02d}:{schedule.minute % 60:02d}"
    if schedule.kind == "weekly":
        assert schedule.weekday is not None
        return d(lang, "weekly_at", day=d(lang, f"day_{WEEKDAYS[schedule.weekday]}"), time=clock)
    return d(lang, "daily_at", time=clock)


def _title(article: DigestArticle, lang: str) -> str:
    return article.title or d(lang, "untitled", number=article.number)


def render_digest(content: DigestContent, lang: str) -> Html:
    state = content.state
    if content.empty:
        if state.last_digest_at is not None:
            return Html(d(lang, "nothing_new_since", since=local_time(state.last_digest_at, state.timezone, lang)))
        return Html(d(lang, "nothing_new"))
    header = dn(lang, "header", content.count)
    if state.last_digest_at is not None:
        header += d(lang, "header_since", since=local_time(state.last_digest_at, state.timezone, lang))
    blocks = [header]
    listed: list[str] = []
    for entry in content.entries:
        article = entry.article
        number = d(lang, "number", number=article.number)
        if not entry.full:
            status = ""
            if article.status == "failed":
                status = d(lang, "not_analysed")
            elif article.status == "pending":
                status = d(lang, "still_analysing")
            listed.append(f"{number} {escape(_title(article, lang))} — {render_source(article.source, lang)}{status}")
            continue
        lines = [str(bold(_title(article, lang))), f"{render_source(article.source, lang)} · {number}"]
        if entry.sentences:
            lines.append(str(truncate(escape(" ".join(entry.sentences)), 400)))
        if entry.quote is not None:
            lines.append(str(entry.quote))
        if entry.top_event is not None:
            label, text = entry.top_event
            event = d(lang, "event", label=escape(label), text=escape(text[:160]))
            if article.event_count > 1:
                event += dn(lang, "events_more", article.event_count - 1, number=article.number)
            lines.append(event)
        blocks.append("\n".join(lines))
    if listed:
        title = d(lang, "also_new") if len(listed) < len(content.entries) else d(lang, "new_articles")
        blocks.append("\n".join([str(bold(title)), *listed]))
    if content.more:
        first, last = content.more[0].number, content.more[-1].number
        blocks.append(dn(lang, "and_more", len(content.more), first=first, last=last))
    return Html("\n\n".join(blocks))


def digest_parts(content: DigestContent, lang: str, *, empty_line: bool) -> list[str]:
    """The messages a digest is sent as, in order; none for an empty period unless the chat wants the line."""
    if content.empty and not empty_line:
        return []
    return [str(part) for part in split_message(render_digest(content, lang))]


# -- delivery ------------------------------------------------------------------------------------------------------

Outcome = Literal["sent", "nothing", "busy", "retry", "paused", "failed"]


@dataclass(frozen=True, slots=True)
class Delivery:
    outcome: Outcome
    messages: int = 0
    articles: int = 0
    retry_at: datetime | None = None
    content: DigestContent | None = None


async def deliver(services: Services, bot: ExtBot[Any], chat_id: int, *, fresh: bool, scheduled: bool) -> Delivery:
    """Send the chat's next digest, exactly once.

    First a digest left unfinished (its sender crashed or Telegram failed) is finished. Then, when `fresh`
    (the /digest command) or when `scheduled` and some subscription is due, a new digest is claimed: for a
    scheduled run in the same transaction as every due subscription of the chat moves on to its next instant,
    so missed slots and sibling jobs collapse into this one digest.
    """
    runtime = services.digests
    repo = services.repo
    async with runtime.slots:
        now = runtime.now()
        taken = await repo.take_over_claim(chat_id, worker=runtime.worker, now=now, lease=runtime.policy.lease)
        if taken.busy_until is not None:
            return Delivery("busy", retry_at=min(taken.busy_until, now + runtime.policy.busy_retry))
        finished: Delivery | None = None
        fresh = fresh or taken.dropped  # the dropped digest's slot is gone: its articles go out now, with any newer
        if taken.claim is not None:
            log.info("chat %s: finishing digest %s left unfinished", chat_id, taken.claim.id)
            finished = await _send(services, bot, taken.claim)
            if finished.outcome != "sent":
                return finished
        for _ in range(5):
            now = runtime.now()
            due = [s for s in await repo.subscriptions(chat_id) if not s.paused and s.next_due_at <= now + _EARLY]
            if not fresh and not (scheduled and due):
                return finished or Delivery("nothing")
            content = await compose_digest(services, chat_id, now)
            state = content.state
            lang = pick_language(state.lang)
            parts = digest_parts(content, lang, empty_line=state.empty_digest and not fresh)
            tz = zone(state.timezone)
            advance = {s.id: (s.next_due_at, next_due(schedule_of(s), tz, now)) for s in due} if scheduled else {}
            slot = max((last_due(schedule_of(s), tz, now) for s in due), default=None) if scheduled else None
            result = await repo.claim_digest(
                chat_id,
                worker=runtime.worker,
                now=now,
                lease=runtime.policy.lease,
                trigger="schedule" if scheduled else "command",
                after=content.after,
                expected_watermark=state.watermark,
                upto=content.upto,
                article_count=content.count,
                parts=parts,
                advance=advance,
                slot_at=slot,
            )
            if result.status == "stale":
                continue  # a digest finished or a schedule changed meanwhile: read again
            if result.status == "busy":
                assert result.busy_until is not None
                return Delivery("busy", retry_at=min(result.busy_until, now + runtime.policy.busy_retry))
            if result.status == "nothing":
                return finished or Delivery("nothing", content=content)
            assert result.claim is not None
            delivery = await _send(services, bot, result.claim)
            if finished is not None and delivery.outcome == "sent":
                return Delivery("sent", finished.messages + delivery.messages, finished.articles + delivery.articles)
            return Delivery(delivery.outcome, delivery.messages, delivery.articles, delivery.retry_at, content)
        log.warning("chat %s: the digest kept changing under us; trying again shortly", chat_id)
        return Delivery("busy", retry_at=runtime.now() + runtime.policy.busy_retry)


def _pause_reason(error: TelegramError) -> str | None:
    """Why a chat can no longer receive anything (its subscriptions pause), or None for other errors."""
    if isinstance(error, Forbidden):
        return "blocked"
    if isinstance(error, ChatMigrated):
        return "migrated"
    if isinstance(error, BadRequest) and "chat not found" in error.message.lower():
        return "chat_not_found"
    return None


async def _send(services: Services, bot: ExtBot[Any], claim: Claim) -> Delivery:
    """Send a claimed digest's remaining parts in order, recording each; then move the watermark."""
    runtime = services.digests
    repo = services.repo
    sent = 0
    for part in claim.remaining:
        # A send can wait long in the rate limiter (a flood wait of minutes); the heartbeat keeps the lease
        # from running out meanwhile, so nobody takes over a digest whose sender is alive.
        heartbeat = asyncio.create_task(_keep_lease(services, claim))
        try:
            message = await bot.send_message(claim.chat_id, part)
        except TelegramError as error:
            return await _failed(services, claim, error, sent)
        except BaseException as error:  # a bug or a cancellation: let the claim go at once rather than by lease
            await repo.release_claim(
                claim.id, worker=runtime.worker, now=runtime.now(), error=f"{type(error).__name__}: {error}"
            )
            raise
        finally:
            heartbeat.cancel()
        sent += 1
        if not await repo.record_part(
            claim.id,
            worker=runtime.worker,
            message_id=message.message_id,
            now=runtime.now(),
            lease=runtime.policy.lease,
        ):
            log.warning("chat %s: digest %s was taken over by another worker; stopping", claim.chat_id, claim.id)
            return Delivery("busy", messages=sent)
    if not await repo.finish_digest(claim.id, worker=runtime.worker, now=runtime.now()):
        log.warning("chat %s: digest %s was finished by another worker", claim.chat_id, claim.id)
        return Delivery("busy", messages=sent)
    runtime.failures.pop(claim.chat_id, None)
    return Delivery("sent", messages=sent, articles=claim.article_count)


async def _keep_lease(services: Services, claim: Claim) -> None:
    runtime = services.digests
    lease = runtime.policy.lease
    while True:
        await asyncio.sleep(lease.total_seconds() / 3)
        if not await services.repo.extend_lease(claim.id, worker=runtime.worker, now=runtime.now(), lease=lease):
            return


async def _failed(services: Services, claim: Claim, error: TelegramError, sent: int) -> Delivery:
    runtime = services.digests
    repo = services.repo
    now = runtime.now()
    reason = _pause_reason(error)
    description = f"{type(error).__name__}: {error}"
    if reason is not None:
        if claim.message_ids or sent:
            # Some parts are in the chat already: keep the claim so a resumed chat gets only the rest.
            await repo.release_claim(claim.id, worker=runtime.worker, now=now, error=description)
            paused = await repo.pause_subscriptions(claim.chat_id, reason, now)
        else:
            paused = await repo.fail_claim(
                claim.id, worker=runtime.worker, now=now, error=description, pause_reason=reason
            )
        log.warning(
            "chat %s cannot receive digests (%s): %d subscription(s) paused until the chat writes again",
            claim.chat_id,
            description,
            paused,
        )
        return Delivery("paused", messages=sent)
    if isinstance(error, BadRequest):
        # Telegram refused what we wrote: a bug of ours. The watermark stays, so the articles are not lost;
        # the next scheduled digest tries again with freshly rendered text.
        log.error("chat %s: Telegram refused digest %s: %s", claim.chat_id, claim.id, description)
        await repo.fail_claim(claim.id, worker=runtime.worker, now=now, error=description)
        return Delivery("failed", messages=sent)
    # Telegram is unreachable or overloaded (5xx, timeout, a flood wait beyond the limiter's retries).
    await repo.release_claim(claim.id, worker=runtime.worker, now=now, error=description)
    failures = runtime.failures.get(claim.chat_id, 0) + 1
    runtime.failures[claim.chat_id] = failures
    # (A flood wait needs no special case: the rate limiter honours retry_after on every attempt, ours too.)
    delays = runtime.policy.retry_delays
    retry_at = now + delays[failures - 1] if failures <= len(delays) else None
    log.warning(
        "chat %s: digest %s not delivered (%s), %s",
        claim.chat_id,
        claim.id,
        description,
        f"retrying at {retry_at:%H:%M:%S}" if retry_at else "leaving it for the next scheduled run",
    )
    return Delivery("retry", messages=sent, retry_at=retry_at)


# -- jobs ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DigestJob:
    chat_id: int
    subscription_id: int | None  # None: a retry


def job_name(chat_id: int, subscription_id: int) -> str:
    return f"digest:{chat_id}:{subscription_id}"


def retry_job_name(chat_id: int) -> str:
    return f"digest-retry:{chat_id}"


_NO_MISFIRE = {"misfire_grace_time": None, "coalesce": True}  # late is better than never (a busy loop)


def _replace_job(queue: JobQueue[Any], name: str) -> None:
    for job in queue.get_jobs_by_name(name):
        job.schedule_removal()


def plan_subscription(queue: JobQueue[Any], services: Services, sub: SubscriptionRow) -> None:
    """(Re)schedule a subscription's job at its next instant; a paused one has no job."""
    name = job_name(sub.chat_id, sub.id)
    _replace_job(queue, name)
    if sub.paused:
        return
    delay = max((sub.next_due_at - services.digests.now()).total_seconds(), 0.0)
    queue.run_once(
        on_digest_job, when=delay, name=name, data=DigestJob(sub.chat_id, sub.id), job_kwargs=dict(_NO_MISFIRE)
    )


async def plan_chat(queue: JobQueue[Any] | None, services: Services, chat_id: int) -> list[SubscriptionRow]:
    """Make the chat's jobs match its subscriptions in the database."""
    subs = await services.repo.subscriptions(chat_id)
    if queue is None:
        return subs
    keep = {job_name(chat_id, s.id) for s in subs}
    for job in queue.jobs(rf"^digest:{chat_id}:\d+$"):
        if job.name not in keep:
            job.schedule_removal()
    for sub in subs:
        plan_subscription(queue, services, sub)
    return subs


def plan_retry(queue: JobQueue[Any] | None, services: Services, chat_id: int, at: datetime) -> None:
    if queue is None:
        return
    name = retry_job_name(chat_id)
    _replace_job(queue, name)
    delay = max((at - services.digests.now()).total_seconds(), 0.0)
    queue.run_once(on_digest_job, when=delay, name=name, data=DigestJob(chat_id, None), job_kwargs=dict(_NO_MISFIRE))


async def restore_jobs(queue: JobQueue[Any] | None, services: Services) -> int:
    """At start-up: a job per running subscription (an overdue one fires at once, once), and a retry for every
    digest a previous run left in flight. Returns how many subscriptions were planned."""
    if queue is None:
        log.warning("no job queue: digests will not be sent on schedule")
        return 0
    subs = await services.repo.active_subscriptions()
    for sub in subs:
        plan_subscription(queue, services, sub)
    for claim in await services.repo.claims_in_flight():
        plan_retry(queue, services, claim.chat_id, claim.lease_until)
    overdue = sum(1 for s in subs if s.next_due_at <= services.digests.now())
    if subs:
        log.info("planned %d digest subscription(s), %d overdue", len(subs), overdue)
    return len(subs)


async def run_chat(services: Services, bot: ExtBot[Any], queue: JobQueue[Any] | None, chat_id: int) -> Delivery:
    """What a digest job does: deliver what is due, then plan the chat's next instants (and a retry)."""
    delivery = await deliver(services, bot, chat_id, fresh=False, scheduled=True)
    await plan_chat(queue, services, chat_id)
    if delivery.retry_at is not None:
        plan_retry(queue, services, chat_id, delivery.retry_at)
    return delivery


async def on_digest_job(context: PrecisContext) -> None:
    job = context.job
    if job is None or not isinstance(job.data, DigestJob):
        return
    await run_chat(services_of(context), context.bot, context.job_queue, job.data.chat_id)


# -- subscribing ---------------------------------------------------------------------------------------------------


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


async def subscribe(services: Services, chat_id: int, schedule: Schedule, zone_name: str | None) -> SubscribeOutcome:
    repo = services.repo
    now = services.digests.now()
    state = await repo.digest_state(chat_id)
    subs = await repo.subscriptions(chat_id)
    timezone = zone_name or state.timezone
    tz = zone(timezone)
    zone_changed = zone_name is not None and zone_name != state.timezone
    zone_due = {s.id: next_due(schedule_of(s), tz, now) for s in subs if not s.paused} if zone_changed else {}
    before = next((s for s in subs if schedule_of(s) == schedule), None)
    # A chat with no subscriptions starts a new stream: its first digest looks back one period.
    start = await repo.article_id_before(chat_id, now - schedule.period) if not subs else None
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


def render_subscribed(outcome: SubscribeOutcome, lang: str) -> str:
    what = describe(outcome.schedule, lang)
    when = local_time(outcome.subscription.next_due_at, outcome.timezone, lang)
    key = "subscribed" if outcome.created else ("resumed" if outcome.resumed else "already_subscribed")
    lines = [d(lang, key, what=what, zone=escape(zone_label(outcome.timezone)), next=when)]
    if outcome.created:
        lines.append(d(lang, "first_digest"))
    if outcome.zone_defaulted:
        lines.append(d(lang, "zone_default"))
    elif outcome.zone_changed:
        lines.append(d(lang, "zone_changed", zone=escape(zone_label(outcome.timezone))))
        if outcome.others_moved:
            lines.append(dn(lang, "others_follow", outcome.others_moved))
    return "\n".join(lines)


def render_guide(lang: str) -> tuple[str, InlineKeyboardMarkup]:
    buttons = [
        InlineKeyboardButton(describe(schedule_from_spec(spec), lang), callback_data=f"{CALLBACK_PREFIX}:sub:{spec}")
        for spec in GUIDE_CHOICES
    ]
    return d(lang, "guide"), InlineKeyboardMarkup([[b] for b in buttons])


async def unsubscribe(services: Services, chat_id: int, number: int | None) -> list[SubscriptionRow]:
    subs = await services.repo.subscriptions(chat_id)
    if not subs:
        raise DigestProblem("no_subscriptions")
    if number is None:
        return await services.repo.delete_subscriptions(chat_id)
    if not 1 <= number <= len(subs):
        raise DigestProblem("no_such_subscription", number=number, count=len(subs))
    return await services.repo.delete_subscriptions(chat_id, subs[number - 1].id)


def render_subscriptions(subs: Sequence[SubscriptionRow], state: DigestState, lang: str) -> str:
    if not subs:
        return d(lang, "no_subscriptions")
    lines = [d(lang, "list_header", zone=escape(zone_label(state.timezone)))]
    for i, sub in enumerate(subs, start=1):
        what = describe(schedule_of(sub), lang)
        if sub.paused:
            reason = d(lang, f"paused_{sub.paused_reason}") if sub.paused_reason in PAUSE_REASONS else ""
            lines.append(d(lang, "list_paused", number=i, what=what, reason=reason))
        else:
            lines.append(
                d(lang, "list_item", number=i, what=what, next=local_time(sub.next_due_at, state.timezone, lang))
            )
    lines.append("")
    lines.append(d(lang, "list_empty_on") if state.empty_digest else d(lang, "list_empty_off"))
    lines.append(d(lang, "list_footer"))
    return "\n".join(lines)


PAUSE_REASONS = ("blocked", "chat_not_found", "migrated")


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


async def preview(services: Services, chat_id: int) -> DigestContent:
    """The chat's next digest as it stands, consuming nothing (for `precis digest`)."""
    return await compose_digest(services, chat_id, services.digests.now())


# -- Telegram -------------------------------------------------------------------------------------------------------


def parse_unsubscribe_args(args: Sequence[str]) -> int | None:
    if not args or (len(args) == 1 and args[0].casefold() == "all"):
        return None
    if len(args) == 1 and args[0].lstrip("#").isdigit() and len(args[0]) < 6:
        return int(args[0].lstrip("#"))
    raise DigestProblem("bad_unsubscribe")


@command
async def on_subscribe(cmd: Command) -> None:
    if not cmd.args:
        text, keyboard = render_guide(cmd.lang)
        await cmd.reply(text, reply_markup=keyboard)
        return
    await cmd.require_admin()
    schedule, zone_name = parse_schedule(cmd.args)
    await cmd.services.repo.ensure_chat(cmd.chat_id, cmd.message.chat.type, cmd.message.chat.title)
    outcome = await subscribe(cmd.services, cmd.chat_id, schedule, zone_name)
    await plan_chat(cmd.context.job_queue, cmd.services, cmd.chat_id)
    await cmd.reply(render_subscribed(outcome, cmd.lang))


async def on_subscribe_button(update: Update, context: PrecisContext) -> None:
    query = update.callback_query
    if query is None or query.data is None or query.message is None:
        return
    services = services_of(context)
    lang = await chat_language(services, update)
    chat = query.message.chat
    try:
        schedule = schedule_from_spec(query.data.split(":", 2)[2])
    except (IndexError, ValueError):
        await query.answer()
        return
    try:
        await require_admin(context.bot, chat, query.from_user)
    except UserError as problem:
        await query.answer(problem.message(lang), show_alert=True)
        return
    await services.repo.ensure_chat(chat.id, chat.type, chat.title)
    try:
        outcome = await subscribe(services, chat.id, schedule, None)
    except UserError as problem:
        await query.answer()
        await send_html(context.bot, chat.id, problem.message(lang))
        return
    await plan_chat(context.job_queue, services, chat.id)
    await query.answer(describe(schedule, lang))
    await send_html(context.bot, chat.id, render_subscribed(outcome, lang))


@command
async def on_subscriptions(cmd: Command) -> None:
    subs = await cmd.services.repo.subscriptions(cmd.chat_id)
    state = await cmd.services.repo.digest_state(cmd.chat_id)
    await cmd.reply(render_subscriptions(subs, state, cmd.lang))


@command
async def on_unsubscribe(cmd: Command) -> None:
    await cmd.require_admin()
    removed = await unsubscribe(cmd.services, cmd.chat_id, parse_unsubscribe_args(cmd.args))
    await plan_chat(cmd.context.job_queue, cmd.services, cmd.chat_id)
    if len(removed) == 1:
        text = d(cmd.lang, "unsubscribed_one", what=describe(schedule_of(removed[0]), cmd.lang))
    else:
        text = dn(cmd.lang, "unsubscribed_all", len(removed))
    await cmd.reply(text)


@command
async def on_digest(cmd: Command) -> None:
    delivery = await deliver(cmd.services, cmd.context.bot, cmd.chat_id, fresh=True, scheduled=False)
    if delivery.outcome == "nothing":
        content = delivery.content or await preview(cmd.services, cmd.chat_id)
        await cmd.reply(str(render_digest(content, cmd.lang)))
    elif delivery.outcome == "busy":
        await cmd.reply(d(cmd.lang, "busy"))
    elif delivery.outcome == "retry" and delivery.retry_at is not None:
        plan_retry(cmd.context.job_queue, cmd.services, cmd.chat_id, delivery.retry_at)


async def on_any_update(update: Update, context: PrecisContext) -> None:
    """Runs before every handler: a chat whose digests were paused because it could not be reached has
    evidently come back, so they resume (and the chat is told once)."""
    chat = update.effective_chat
    if chat is None or update.effective_message is None or update.effective_user is None:
        return
    services = services_of(context)
    resumed = await resume_paused(services, chat.id)
    if not resumed:
        return
    await plan_chat(context.job_queue, services, chat.id)
    lang = await chat_language(services, update)
    state = await services.repo.digest_state(chat.id)
    listing = ", ".join(describe(schedule_of(s), lang) for s in resumed)
    log.info("chat %s wrote again: %d paused subscription(s) resumed", chat.id, len(resumed))
    await send_html(
        context.bot,
        chat.id,
        d(
            lang,
            "resumed_on_message",
            what=listing,
            next=local_time(min(r.next_due_at for r in resumed), state.timezone, lang),
        ),
    )


__all__ = [
    "CALLBACK_PREFIX",
    "Delivery",
    "DigestContent",
    "ScheduleError",
    "compose_digest",
    "deliver",
    "on_any_update",
    "on_digest",
    "on_digest_job",
    "on_subscribe",
    "on_subscribe_button",
    "on_subscriptions",
    "on_unsubscribe",
    "plan_chat",
    "preview",
    "render_digest",
    "restore_jobs",
    "run_chat",
    "subscribe",
]
