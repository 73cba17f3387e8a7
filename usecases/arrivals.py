"""Posts arriving in a chat, whatever the front: a post on its own, a post with a link, a series of posts.

The order of things, for every message:

1. **Route** it (usecases.series), synchronously, before anything is awaited, so series are recognised in
   the order the posts were delivered even though messages are handled concurrently.
2. **Store it raw**. A plain post is stored as an article at once. A part of a series, or a post whose link
   will be fetched, is stored in `pending_parts` first: a stop during the wait or the fetch loses nothing, and
   whatever is left there is taken at the next start (`joined_post` over `Repository.pending_groups`).
3. **Think**: join the series, fetch the page (usecases.links), analyse in the worker pool (usecases.ingest).
4. **Answer once**, in reply to the first message of what arrived (the front's part).
"""

from __future__ import annotations

from storage.sources import PendingPart
from usecases.errors import IngestRefused
from usecases.ingest import IngestOutcome
from usecases.links import Post, take_post
from usecases.services import Services

__all__ = ["assemble", "joined_post", "pending_part", "store_part", "take_joined"]


def pending_part(
    chat_id: int, key: str, message_id: int, position: int, post: Post, update_id: int | None = None
) -> PendingPart:
    """`update_id`: the update the post came in, finished in the inbox in the part's own transaction."""
    return PendingPart(
        chat_id=chat_id,
        group_key=key,
        message_id=message_id,
        position=position,
        text=post.text,
        source=post.source,
        published_at=post.published_at,
        links=post.links,
        update_id=update_id,
    )


async def store_part(services: Services, part: PendingPart, chat: tuple[str, str | None] | None = None) -> int | None:
    """Store a part as it arrived; its id, or None when that message is stored already (delivered twice).
    `chat`: the chat's kind and title, brought up to date in the same write.

    The series lock is free unless another part of the chat is being stored: it is taken without yielding,
    before any series of the chat can be read for joining."""
    async with services.series.lock(part.chat_id):
        return await services.repo.add_part(part, chat)


def assemble(parts: list[PendingPart]) -> Post:
    """The parts of a series as one post: their texts in order, one paragraph break apart; the first part's
    source and date; every part's message, the first one to be answered."""
    texts = [p.text.strip() for p in parts if p.text and p.text.strip()]
    first = parts[0]
    return Post(
        "\n\n".join(texts) if texts else (first.text if any(p.text is not None for p in parts) else None),
        first.source,
        first.published_at,
        tuple(dict.fromkeys(link for p in parts for link in p.links)),
        tuple(p.message_id for p in parts),
        tuple(p.id for p in parts if p.id is not None),
    )


async def joined_post(services: Services, chat_id: int, key: str) -> Post | None:
    """The stored parts of a series (or the one stored post) joined into one post; None when taken already."""
    async with services.series.lock(chat_id):
        parts = await services.repo.group_parts(chat_id, key)
    return assemble(parts) if parts else None


async def take_joined(services: Services, chat_id: int, post: Post) -> IngestOutcome:
    """Store and analyse what a post brings (usecases.links.take_post). A post that is refused leaves nothing
    to keep: its stored parts are dropped, and IngestRefused says why."""
    try:
        return await take_post(services, chat_id, post)
    except IngestRefused:
        if post.part_ids:
            await services.repo.drop_parts(chat_id, post.part_ids)
        raise
