"""/settings: the chat's settings shown and changed (usecases.settings), as views.settings shows them."""

from __future__ import annotations

from handlers.common import Command, command
from handlers.digest_jobs import plan_chat
from usecases.settings import change_setting, chat_settings
from views.i18n import pick_language
from views.settings import language_names, render_saved, render_settings

__all__ = ["on_settings"]


@command
async def on_settings(cmd: Command) -> None:
    user = cmd.message.from_user
    user_lang = user.language_code if user else None
    if not cmd.args:
        await cmd.reply(render_settings(await chat_settings(cmd.services, cmd.chat_id), cmd.lang, user_lang))
        return
    await cmd.require_admin()
    chat = cmd.message.chat
    change = await change_setting(
        cmd.services, cmd.chat_id, cmd.args, language_names(), chat_kind=chat.type, chat_title=chat.title
    )
    if change.setting.replans_digests:
        await plan_chat(cmd.context.job_queue, cmd.services, cmd.chat_id)
    # The confirmation speaks the language the chat has now.
    await cmd.reply(render_saved(change, pick_language(change.chat_lang, user_lang)))
