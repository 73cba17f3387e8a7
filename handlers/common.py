"""What every feature's Telegram callbacks share: typed context, the chat's language, safe replies."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Coroutine, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from telegram import (
    CallbackQuery,
    Chat,
    InlineKeyboardMarkup,
    MaybeInaccessibleMessage,
    Message,
    ReplyParameters,
    Update,
    User,
)
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest, TelegramError
from telegram.ext import Application, CallbackContext, ExtBot

from storage.base import priority_reads
from usecases.errors import UserError
from usecases.services import Services
from views.i18n import explain, pick_language
from views.render import plain_text, split_message


class BotData:
    """Typed `context.bot_data`: the services are set once, in the app's post_init."""

    def __init__(self) -> None:
        self.services: Services | None = None


PrecisContext = CallbackContext[ExtBot[Any], dict[Any, Any], dict[Any, Any], BotData]
PrecisApplication = Application[ExtBot[Any], PrecisContext, dict[Any, Any], dict[Any, Any], BotData, Any]


class ServicesNotReady(RuntimeError):
    pass


def services_of(context: PrecisContext) -> Services:
    services = context.bot_data.services
    if services is None:  # only possible if an update arrives before post_init finished
        raise ServicesNotReady("the application has not finished starting")
    return services


async def chat_language(services: Services, update: Update) -> str:
    chat = update.effective_chat
    user = update.effective_user
    settings = await services.repo.chat_settings(chat.id) if chat else None
    return pick_language(settings.lang if settings else None, user.language_code if user else None)


# Set while sending what nobody is waiting for this moment (the cards of a burst, digests): the rate limiter
# lets replies to people go first (`bot.ratelimit.RepliesFirstRateLimiter`).
_SENDING_IN_BULK: ContextVar[bool] = ContextVar("precis_sending_in_bulk", default=False)


@contextmanager
def bulk_sending() -> Iterator[None]:
    """The messages sent inside go after any reply waiting for the same sending budget."""
    token = _SENDING_IN_BULK.set(True)
    try:
        yield
    finally:
        _SENDING_IN_BULK.reset(token)


def sending_in_bulk() -> bool:
    return _SENDING_IN_BULK.get()


async def reply_html(
    message: Message, html: str, reply_markup: InlineKeyboardMarkup | None = None
) -> Sequence[Message]:
    """Reply with Telegram HTML, split under the 4096-character limit; the keyboard goes on the last part."""
    chunks = split_message(html)
    sent = []
    for i, chunk in enumerate(chunks):
        last = i == len(chunks) - 1
        sent.append(
            await message.reply_html(
                chunk,
                reply_markup=reply_markup if last else None,
                do_quote=i == 0,
            )
        )
    return sent


async def send_html(
    bot: ExtBot[Any],
    chat_id: int,
    html: str,
    reply_markup: InlineKeyboardMarkup | None = None,
    *,
    reply_to: int | None = None,
) -> Sequence[Message]:
    """Send Telegram HTML to a chat, split under the limit; the keyboard goes on the last part. `reply_to`:
    the message the first part answers (sent all the same if that message is gone)."""
    chunks = split_message(html)
    return [
        await bot.send_message(
            chat_id,
            chunk,
            reply_markup=reply_markup if i == len(chunks) - 1 else None,
            reply_parameters=(
                ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to and i == 0 else None
            ),
        )
        for i, chunk in enumerate(chunks)
    ]


@dataclass(frozen=True)
class Command:
    """What a command callback works with: the message, the services, the chat's language and the arguments."""

    message: Message
    services: Services
    lang: str
    args: list[str]
    context: PrecisContext
    target: int | None = None  # the channel or group this private chat works on (/use), checked just now

    @property
    def chat_id(self) -> int:
        """The archive the command works on: the chat's own, or the one chosen with /use."""
        return self.target if self.target is not None else self.message.chat_id

    @property
    def argument(self) -> str:
        """Everything after the command word (`/quotes@bot` included), on the same line or the next."""
        parts = (self.message.text or "").split(None, 1)
        return parts[1].strip() if len(parts) > 1 else ""

    async def reply(self, html: str, reply_markup: InlineKeyboardMarkup | None = None) -> Sequence[Message]:
        return await reply_html(self.message, html, reply_markup=reply_markup)

    async def require_admin(self) -> None:
        """In a group, only its administrators change what the whole group gets or delete what it stored."""
        await require_admin(self.context.bot, self.message.chat, self.message.from_user, self.message.sender_chat)


ADMIN_STATUSES = frozenset({ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER})


async def require_admin(bot: ExtBot[Any], chat: Chat, user: User | None, sender_chat: Chat | None = None) -> None:
    """Raise UserError("admins_only") unless the chat is private or the user administers it."""
    if chat.type == ChatType.PRIVATE:
        return
    if sender_chat is not None and sender_chat.id == chat.id:
        return  # an anonymous administrator, writing as the group itself
    if user is None or (await bot.get_chat_member(chat.id, user.id)).status not in ADMIN_STATUSES:
        raise UserError("admins_only")


async def chosen_target(services: Services, bot: ExtBot[Any], chat: Chat, user: User | None) -> int | None:
    """The chat a private chat works on after /use, if its user still administers it (asked every time: an
    administrator who was demoted loses access at once). Raises UserError("use_lost") when that ended."""
    if chat.type != ChatType.PRIVATE:
        return None
    target = await services.repo.target_of(chat.id)
    if target is None:
        return None
    try:
        allowed = user is not None and (await bot.get_chat_member(target, user.id)).status in ADMIN_STATUSES
    except TelegramError:
        allowed = False  # the bot was removed from it, or it is gone
    if not allowed:
        await services.repo.clear_target(chat.id)
        raise UserError("use_lost")
    return target


def command(func: Callable[[Command], Awaitable[None]] | None = None, *, here: bool = False) -> Any:
    """Turn `func(Command)` into a PTB callback; a UserError it raises becomes the reply that explains it.
    The command works on the chat chosen with /use, unless `here` (the command is about this chat itself)."""

    def wrap(
        func: Callable[[Command], Awaitable[None]],
    ) -> Callable[[Update, PrecisContext], Coroutine[Any, Any, None]]:
        @functools.wraps(func)
        async def callback(update: Update, context: PrecisContext) -> None:
            message = update.effective_message
            if message is None:
                return
            services = services_of(context)
            with priority_reads():  # a person waits for this answer: its reads skip the queue of a burst's
                lang = await chat_language(services, update)
                try:
                    target = (
                        None if here else await chosen_target(services, context.bot, message.chat, message.from_user)
                    )
                    await func(Command(message, services, lang, list(context.args or []), context, target))
                except UserError as problem:
                    await reply_html(message, explain(problem, lang))

        return callback

    return wrap(func) if func is not None else wrap


ALERT_CHARS = 200  # Telegram's limit for the text of a callback query's answer


@dataclass
class Button:
    """What a button callback works with: the pressed query, its data, the message it is on, the services and
    the chat's language."""

    query: CallbackQuery
    data: str
    message: MaybeInaccessibleMessage
    services: Services
    lang: str
    context: PrecisContext
    answered: bool = False
    target: int | None = None  # the archive chosen with /use in this private chat, checked just now

    @property
    def chat_id(self) -> int:
        """The archive the button works on: its chat's own, or the one chosen with /use."""
        return self.target if self.target is not None else self.message.chat.id

    async def answer(self, text: str | None = None, *, alert: bool = False) -> None:
        """Answer the query (stops the button's spinner), once; `text` shows as a notice or, with `alert`, a box."""
        if not self.answered:
            self.answered = True
            await self.query.answer(plain_text(text)[:ALERT_CHARS] if text else None, show_alert=alert)

    async def edit(self, html: str, reply_markup: InlineKeyboardMarkup | None = None) -> None:
        """Show `html` in the button's message instead of what it showed."""
        try:
            await self.query.edit_message_text(html, reply_markup=reply_markup)
        except BadRequest as exc:
            # Pressing a button twice asks for what is shown already; Telegram refuses such an edit.
            if "not modified" not in exc.message.lower():
                raise

    async def send(self, html: str, reply_markup: InlineKeyboardMarkup | None = None) -> Sequence[Message]:
        return await send_html(self.context.bot, self.message.chat.id, html, reply_markup)

    async def require_admin(self) -> None:
        await require_admin(self.context.bot, self.message.chat, self.query.from_user)


def button(
    func: Callable[[Button], Awaitable[None]],
) -> Callable[[Update, PrecisContext], Coroutine[Any, Any, None]]:
    """Turn `func(Button)` into a PTB callback. A UserError it raises is explained: in an alert while the query
    is unanswered, else in a message to the chat. The query is answered in any case."""

    @functools.wraps(func)
    async def callback(update: Update, context: PrecisContext) -> None:
        query = update.callback_query
        if query is None or query.data is None or query.message is None:
            return
        services = services_of(context)
        lang = await chat_language(services, update)
        pressed = Button(query, query.data, query.message, services, lang, context)
        try:
            pressed.target = await chosen_target(services, context.bot, query.message.chat, query.from_user)
            await func(pressed)
        except UserError as problem:
            if pressed.answered:
                await pressed.send(explain(problem, lang))
            else:
                await pressed.answer(explain(problem, lang), alert=True)
            return
        await pressed.answer()

    return callback
