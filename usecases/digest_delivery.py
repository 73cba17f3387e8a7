"""Delivering a chat's digest exactly once (see storage/digests.py for the claims it rests on).

A claim with a lease is taken in the database, the parts are sent in order and each accepted part is
recorded, and the watermark moves only when every part was accepted. A chat that cannot be reached (blocked,
kicked, gone) has its subscriptions paused; any later message from the chat resumes them. A transient failure
(a 5xx, a timeout, a flood wait that outlasted the rate limiter's retries) leaves the claim for a retry, with
backoff, so nothing is skipped.

The front is an `Outbox`: it renders a digest into messages and sends one, saying how a send failed.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, Protocol

from storage.digests import Claim, SubscriptionRow
from usecases.digest_content import DigestContent, compose_digest
from usecases.schedule import last_due, next_due, zone
from usecases.services import Services, other_process_ended
from usecases.subscriptions import schedule_of

log = logging.getLogger(__name__)

_EARLY = timedelta(milliseconds=100)  # a job woken this little before its instant counts as due


class SendFailed(Exception):
    """A message could not be delivered. `pause_reason`: the chat cannot receive anything any more ("blocked",
    "chat_not_found", "migrated"); `refused`: what we wrote was refused (a bug of ours); `maybe_delivered`:
    no answer came in time, and Telegram may have accepted it; none of these: transient."""

    def __init__(
        self, description: str, *, pause_reason: str | None = None, refused: bool = False, maybe_delivered: bool = False
    ) -> None:
        super().__init__(description)
        self.pause_reason = pause_reason
        self.refused = refused
        self.maybe_delivered = maybe_delivered


UNKNOWN_MESSAGE_ID = 0  # recorded for a part that may have been delivered: Telegram's answer never came


class Outbox(Protocol):
    """Where digests go: how a digest reads as messages, and sending one of them."""

    def render(self, content: DigestContent, *, empty_line: bool) -> list[str]:
        """The messages, in order, in the chat's language; none for an empty period unless `empty_line`."""
        ...

    async def send(self, chat_id: int, text: str) -> int:
        """Send one message; its id. Raises SendFailed."""
        ...


Outcome = Literal["sent", "nothing", "busy", "retry", "paused", "failed"]


@dataclass(frozen=True, slots=True)
class Delivery:
    outcome: Outcome
    messages: int = 0
    articles: int = 0
    retry_at: datetime | None = None
    content: DigestContent | None = None


async def deliver(services: Services, outbox: Outbox, chat_id: int, *, fresh: bool, scheduled: bool) -> Delivery:
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
        taken = await repo.take_over_claim(
            chat_id, worker=runtime.worker, now=now, lease=runtime.policy.lease, holder_gone=other_process_ended
        )
        if taken.busy_until is not None:
            return Delivery("busy", retry_at=min(taken.busy_until, now + runtime.policy.busy_retry))
        finished: Delivery | None = None
        fresh = fresh or taken.dropped  # the dropped digest's slot is gone: its articles go out now, with any newer
        if taken.claim is not None:
            log.info("chat %s: finishing digest %s left unfinished", chat_id, taken.claim.id)
            finished = await _send(services, outbox, taken.claim)
            if finished.outcome != "sent":
                return finished
        if scheduled:
            # Filtered subscriptions have digests of their own (and watermarks of their own): each due one first.
            for sub in await repo.subscriptions(chat_id):
                if sub.filter is None or sub.paused or sub.next_due_at > runtime.now() + _EARLY:
                    continue
                delivery = await _claim_and_send(services, outbox, chat_id, fresh=False, scheduled=True, only=sub)
                finished = _combined(finished, delivery)
                if delivery.outcome not in ("sent", "nothing"):
                    return delivery
        plain = await _claim_and_send(services, outbox, chat_id, fresh=fresh, scheduled=scheduled, only=None)
        if plain.outcome == "nothing" and finished is not None:
            return finished
        return _combined(finished, plain) if plain.outcome == "sent" else plain


def _combined(earlier: Delivery | None, later: Delivery) -> Delivery:
    if earlier is None or earlier.outcome != "sent":
        return later
    if later.outcome != "sent":
        return earlier
    return Delivery("sent", earlier.messages + later.messages, earlier.articles + later.articles, None, later.content)


async def _claim_and_send(
    services: Services, outbox: Outbox, chat_id: int, *, fresh: bool, scheduled: bool, only: SubscriptionRow | None
) -> Delivery:
    """Claim and send one digest: the chat's shared stream (`only` None: its unfiltered due subscriptions, or
    /digest), or one filtered subscription's."""
    runtime = services.digests
    repo = services.repo
    for _ in range(5):
        now = runtime.now()
        subs = [s for s in await repo.subscriptions(chat_id) if not s.paused and s.next_due_at <= now + _EARLY]
        if only is None:
            due = [s for s in subs if s.filter is None]
        else:
            due = [s for s in subs if s.id == only.id]
            if not due:
                return Delivery("nothing")
        if not fresh and not (scheduled and due):
            return Delivery("nothing")
        content = await compose_digest(services, chat_id, now, due[0] if only is not None else None)
        state = content.state
        parts = outbox.render(content, empty_line=state.empty_digest and not fresh)
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
            expected_watermark=content.watermark,
            upto=content.upto,
            article_count=content.count,
            parts=parts,
            advance=advance,
            slot_at=slot,
            subscription_id=content.subscription_id,
        )
        if result.status == "stale":
            continue  # a digest finished or a schedule changed meanwhile: read again
        if result.status == "busy":
            assert result.busy_until is not None
            return Delivery("busy", retry_at=min(result.busy_until, now + runtime.policy.busy_retry))
        if result.status == "nothing":
            return Delivery("nothing", content=content)
        assert result.claim is not None
        delivery = await _send(services, outbox, result.claim)
        return Delivery(delivery.outcome, delivery.messages, delivery.articles, delivery.retry_at, content)
    log.warning("chat %s: the digest kept changing under us; trying again shortly", chat_id)
    return Delivery("busy", retry_at=runtime.now() + runtime.policy.busy_retry)


async def _send(services: Services, outbox: Outbox, claim: Claim) -> Delivery:
    """Send a claimed digest's remaining parts in order, recording each; then move the watermark."""
    runtime = services.digests
    repo = services.repo
    sent = 0
    for part in claim.remaining:
        # A send can wait long in the rate limiter (a flood wait of minutes); the heartbeat keeps the lease
        # from running out meanwhile, so nobody takes over a digest whose sender is alive.
        heartbeat = asyncio.create_task(_keep_lease(services, claim))
        try:
            message_id = await outbox.send(claim.chat_id, part)
        except SendFailed as error:
            if not error.maybe_delivered:
                return await _failed(services, claim, error, sent)
            # Sending it again could show it twice: it counts as delivered (it is missing only if Telegram
            # never got it), and the digest goes on.
            log.warning("chat %s: digest %s part may be delivered (%s); not sent again", claim.chat_id, claim.id, error)
            message_id = UNKNOWN_MESSAGE_ID
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
            message_id=message_id,
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


async def _failed(services: Services, claim: Claim, error: SendFailed, sent: int) -> Delivery:
    runtime = services.digests
    repo = services.repo
    now = runtime.now()
    reason = error.pause_reason
    description = str(error)
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
    if error.refused:
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
