"""/follow, /following and /unfollow in Telegram: parse, check who may, call, reply."""

from __future__ import annotations

from handlers.common import Command, command
from usecases.errors import UserError
from usecases.feeds import feed_number, follow, unfollow
from views.feeds import render_follow, render_following
from views.i18n import t
from views.render import escape


@command
async def on_follow(cmd: Command) -> None:
    await cmd.require_admin()
    outcome = await follow(cmd.services, cmd.chat_id, cmd.argument)
    number = await feed_number(cmd.services, cmd.chat_id, outcome.feed.id)
    await cmd.reply(render_follow(outcome, number, cmd.lang))


@command
async def on_following(cmd: Command) -> None:
    await cmd.reply(render_following(await cmd.services.repo.chat_feeds(cmd.chat_id), cmd.lang))


@command
async def on_unfollow(cmd: Command) -> None:
    await cmd.require_admin()
    number = cmd.argument.removeprefix("#")
    if not number.isdigit() or len(number) > 6:
        raise UserError("unfollow_usage")
    feed = await unfollow(cmd.services, cmd.chat_id, int(number))
    await cmd.reply(t(cmd.lang, "unfollow_done", name=escape(feed.title or feed.url)))
