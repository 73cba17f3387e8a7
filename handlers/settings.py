"""/settings: the chat's settings shown and changed; the table of settings is views.settings."""

from __future__ import annotations

from handlers.common import Command, command
from handlers.digest_jobs import plan_chat
from views.i18n import pick_language
from views.settings import AUTO, change_setting, render_settings

__all__ = ["on_settings"]


@command
async def on_settings(cmd: Command) -> None:
    user = cmd.message.from_user
    user_lang = user.language_code if user else None
    if not cmd.args:
        await cmd.reply(await render_settings(cmd.services, cmd.chat_id, cmd.lang, user_lang))
        return
    await cmd.require_admin()
    await cmd.services.repo.ensure_chat(cmd.chat_id, cmd.message.chat.type, cmd.message.chat.title)
    setting, value = await change_setting(cmd.services, cmd.chat_id, cmd.args)
    if setting.replans_digests:
        await plan_chat(cmd.context.job_queue, cmd.services, cmd.chat_id)
    # The confirmation speaks the language the chat has now.
    settings = await cmd.services.repo.chat_settings(cmd.chat_id)
    lang = pick_language(settings.lang if settings.lang != AUTO else None, user_lang)
    await cmd.reply(await setting.saved(cmd.services, cmd.chat_id, value, lang))
