"""The chat's data: deleting an article or all of them, and exporting everything as JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from usecases.errors import UserError
from usecases.services import Services


async def forget(services: Services, chat_id: int, number: int) -> None:
    if not await services.repo.delete_article(chat_id, number):
        last = await services.repo.last_article(chat_id)
        if last is None:
            raise UserError("no_such_article_empty", number=number)
        raise UserError("no_such_article", number=number, last=last.number)


async def export_json(services: Services, chat_id: int, *, allow_empty: bool = False) -> bytes:
    """Everything the chat stored, as JSON; an empty archive is refused unless `allow_empty` (a script's
    export of an empty chat is an empty list, not an error)."""
    articles = await services.repo.export_articles(chat_id)
    if not articles and not allow_empty:
        raise UserError("export_empty")
    payload = {"chat_id": chat_id, "exported_at": datetime.now(UTC).isoformat(timespec="seconds"), "articles": articles}
    return json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")


async def forget_all(services: Services, chat_id: int) -> int:
    """Delete every article of the chat; how many there were."""
    return await services.repo.delete_chat_data(chat_id)
