"""Channels and groups the bot is in, whatever the front:

- a post in a channel becomes an article of that channel's archive through the same path as a forward
  (usecases.arrivals.take_joined: links fetched, dedup by text, link and cleaned text), silently;
- an edited post replaces the stored text and is analysed again (its quotes, dates and summary follow);
- `/use`: a private chat works on a channel's or group's archive (the front checks the user administers it);
- the bot's standing in a chat (my_chat_member) is recorded, and what to tell whom is decided here;
- a group that becomes a supergroup keeps its archive and subscriptions under the new id.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from storage.repository import content_hash, utcnow
from usecases.arrivals import take_joined
from usecases.errors import IngestRefused, UserError
from usecases.ingest import IngestOutcome, analyse_stored, check_text
from usecases.links import Post
from usecases.services import Services

log = logging.getLogger(__name__)

ADMIN = frozenset({"creator", "administrator"})
PRESENT = frozenset({"creator", "administrator", "member", "restricted"})
GROUP_KINDS = frozenset({"group", "supergroup", "channel"})


async def take_channel_post(services: Services, chat_id: int, post: Post) -> IngestOutcome | None:
    """A channel's post as an article of the channel's archive; None when it holds nothing to store."""
    try:
        return await take_joined(services, chat_id, post)
    except IngestRefused as refused:
        log.info("channel %s post %s not stored: %s", chat_id, post.message_ids, refused.key)
        return None


async def take_edit(services: Services, chat_id: int, message_id: int, post: Post) -> IngestOutcome | None:
    """An edited post: the stored article's text is replaced and analysed again. A post stored before the
    bot could see it (or one that was refused then) is taken as a new post."""
    article = await services.repo.article_by_message(chat_id, message_id)
    if article is None:
        return await take_channel_post(services, chat_id, post)
    try:
        text = check_text(post.text, services)
    except IngestRefused:
        return None  # an edit that removed the text: the article keeps what it had
    if not await services.repo.replace_article_text(chat_id, article.id, text, content_hash(text)):
        return None  # the edit made it the same as another stored article
    async with services.ingest_slots:
        analysed = await analyse_stored(services, article.id, text, article.published_at, chat_id=chat_id)
    refreshed = await services.repo.article_by_id(chat_id, analysed.article_id if analysed else article.id)
    return IngestOutcome(refreshed or article, created=False, analysed=analysed is not None)


async def use_chat(services: Services, chat_id: int, target_id: int, target_kind: str, title: str | None) -> int:
    """A private chat works on `target_id`'s archive from now on (the caller checked the user administers it);
    returns how many articles that archive has."""
    if target_kind not in GROUP_KINDS:
        raise UserError("use_not_a_channel")
    await services.repo.ensure_chat(target_id, target_kind, title)
    await services.repo.use_target(chat_id, target_id, utcnow())
    return await services.repo.count_articles(target_id)


@dataclass(frozen=True, slots=True)
class StandingNotice:
    """What the bot says after its standing in a chat changed: message `key` (with the chat's title), told in
    the private chat of the user who made the change, or else in the group itself when `group_may_hear`
    (never in a channel)."""

    key: str
    group_may_hear: bool


def standing_changed(kind: str, old: str | None, new: str, can_post: bool) -> StandingNotice | None:
    """What to say when the bot's status in a chat went from `old` to `new` (None: nothing worth saying)."""
    if kind == "private":
        return None  # blocked or unblocked: the user knows; digests pause and resume on their own
    in_group = kind in ("group", "supergroup")
    if new not in PRESENT:
        return StandingNotice("standing_removed", group_may_hear=False) if old in PRESENT or old is None else None
    if kind == "channel":
        if new in ADMIN:
            key = "standing_channel_admin" if old not in ADMIN else "standing_channel_rights"
            return StandingNotice(key if can_post else key + "_silent", group_may_hear=False)
        return StandingNotice("standing_channel_member", group_may_hear=False)
    if new in ADMIN and old in PRESENT and old not in ADMIN:
        return StandingNotice("standing_group_promoted", group_may_hear=in_group)
    if old in PRESENT:
        return None
    return StandingNotice("standing_group_added", group_may_hear=in_group)


async def record_standing(
    services: Services, chat_id: int, kind: str, title: str | None, status: str, by_user: int | None
) -> str | None:
    """Remember the bot's status in the chat; returns the previous one."""
    return await services.repo.set_member_status(chat_id, kind, title, status, by_user, utcnow())


async def migrate_chat(services: Services, old_id: int, new_id: int) -> bool:
    """A group became a supergroup: everything of `old_id` is `new_id`'s from now on."""
    moved = await services.repo.migrate_chat(old_id, new_id, "supergroup", utcnow())
    if moved:
        log.info("chat %s moved to %s (a group became a supergroup)", old_id, new_id)
    return moved
