"""Digests on schedule: one PTB job per subscription, and the Telegram side of delivery.

Jobs: one per subscription, named ``digest:{chat}:{subscription}``, a ``run_once`` at the next due instant
that we compute ourselves (usecases/schedule.py) and re-plan after every run; ``digest-retry:{chat}`` for
retries. They are rebuilt from the database at start-up; a digest due while the bot was down is sent once,
right away, covering every missed slot. What a run does is usecases.digest_delivery's.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError, TimedOut
from telegram.ext import ExtBot, JobQueue

from handlers.common import PrecisContext, bulk_sending, services_of
from storage.digests import SubscriptionRow
from usecases.digest_content import DigestContent
from usecases.digest_delivery import Delivery, SendFailed, deliver
from usecases.services import Services, other_process_ended
from views.digest import digest_parts
from views.i18n import pick_language

log = logging.getLogger(__name__)


def _pause_reason(error: TelegramError) -> str | None:
    """Why a chat can no longer receive anything (its subscriptions pause), or None for other errors."""
    if isinstance(error, Forbidden):
        return "blocked"
    if isinstance(error, ChatMigrated):
        return "migrated"
    if isinstance(error, BadRequest) and "chat not found" in error.message.lower():
        return "chat_not_found"
    return None


class TelegramOutbox:
    """Digests rendered as Telegram HTML, sent through the bot (and its rate limiter)."""

    def __init__(self, bot: ExtBot[Any]) -> None:
        self.bot = bot

    def render(self, content: DigestContent, *, empty_line: bool) -> list[str]:
        return digest_parts(content, pick_language(content.state.lang), empty_line=empty_line)

    async def send(self, chat_id: int, text: str) -> int:
        try:
            with bulk_sending():
                return (await self.bot.send_message(chat_id, text)).message_id
        except TimedOut as error:  # Telegram may have taken it and its answer not come back in time
            raise SendFailed(f"{type(error).__name__}: {error}", maybe_delivered=True) from error
        except TelegramError as error:
            raise SendFailed(
                f"{type(error).__name__}: {error}",
                pause_reason=_pause_reason(error),
                refused=isinstance(error, BadRequest),
            ) from error


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
        # A digest a killed process of this machine was sending is finished at once, not when its lease ends.
        gone = other_process_ended(claim.claimed_by)
        plan_retry(queue, services, claim.chat_id, services.digests.now() if gone else claim.lease_until)
    overdue = sum(1 for s in subs if s.next_due_at <= services.digests.now())
    if subs:
        log.info("planned %d digest subscription(s), %d overdue", len(subs), overdue)
    return len(subs)


async def run_chat(services: Services, bot: ExtBot[Any], queue: JobQueue[Any] | None, chat_id: int) -> Delivery:
    """What a digest job does: deliver what is due, then plan the chat's next instants (and a retry)."""
    delivery = await deliver(services, TelegramOutbox(bot), chat_id, fresh=False, scheduled=True)
    await plan_chat(queue, services, chat_id)
    if delivery.retry_at is not None:
        plan_retry(queue, services, chat_id, delivery.retry_at)
    return delivery


async def on_digest_job(context: PrecisContext) -> None:
    job = context.job
    if job is None or not isinstance(job.data, DigestJob):
        return
    await run_chat(services_of(context), context.bot, context.job_queue, job.data.chat_id)
