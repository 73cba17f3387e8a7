"""/search in Telegram: parse, call, reply."""

from __future__ import annotations

from handlers.common import Command, command
from usecases.search import search
from views.search import render_search


@command
async def on_search(cmd: Command) -> None:
    result = await search(cmd.services, cmd.chat_id, cmd.argument)
    await cmd.reply(render_search(result, cmd.lang))
