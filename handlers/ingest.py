"""Taking articles in: store the raw text first, analyse it in a worker, then answer with a card."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from telegram import (
    Message,
    MessageOriginChannel,
    MessageOriginChat,
    MessageOriginHiddenUser,
    MessageOriginUser,
    Update,
)
from telegram.constants import ChatType

from analysis.dateline import dateline
from handlers.common import PrecisContext, chat_language, reply_html, services_of
from handlers.i18n import UserError, t
from handlers.services import Services
from handlers.summary import article_card
from storage.repository import ArticleRow, Source, utcnow

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# Sources whose date is only when the text reached us: a date line at the top of the text is better.
UNDATED_SOURCES = frozenset({"pasted", "file", "cli"})


@dataclass(frozen=True, slots=True)
class IncomingArticle:
    text: str
    source: Source
    published_at: datetime | None = None
    message_id: int | None = None


@dataclass(frozen=True, slots=True)
class IngestOutcome:
    article: ArticleRow
    created: bool
    analysed: bool  # False: stored, but the analysis failed and will be retried


class IngestRefused(UserError):
    """The input cannot become an article; the message key says why."""


def check_text(text: str | None, services: Services) -> str:
    if text is None or not text.strip():
        raise IngestRefused("empty")
    if len(text) > services.limits.max_text_chars:
        raise IngestRefused("too_long", size=f"{len(text):,}", limit=f"{services.limits.max_text_chars:,}")
    return text


async def ingest(services: Services, chat_id: int, incoming: IncomingArticle) -> IngestOutcome:
    """Store the article (committed before any analysis), then analyse it. Idempotent for the same text."""
    text = check_text(incoming.text, services)
    published_at = incoming.published_at
    if incoming.source.kind in UNDATED_SOURCES:  # cheap: a few lines at the top of the text
        published_at = dateline(text, published_at or utcnow()) or published_at
    article, created = await services.repo.add_article(
        chat_id, text, incoming.source, published_at=published_at, message_id=incoming.message_id
    )
    if not created and article.status == "ready":
        return IngestOutcome(article, created=False, analysed=True)
    analysed = await analyse_stored(services, article.id, text, article.published_at)
    refreshed = await services.repo.article_by_id(chat_id, article.id)
    return IngestOutcome(refreshed or article, created, analysed)


async def analyse_stored(services: Services, article_id: int, raw_text: str, published_at: datetime) -> bool:
    await services.repo.mark_attempt(article_id)
    try:
        analysis = await services.analyzer.analyze(raw_text, published_at)
    except Exception as exc:  # a crash in analysis must not lose the stored article
        log.exception("analysis of article %s failed", article_id)
        await services.repo.mark_failed(article_id, f"{type(exc).__name__}: {exc}")
        return False
    await services.repo.save_analysis(article_id, analysis)
    return True


async def resume_unfinished(services: Services) -> int:
    """Analyse again every article whose analysis was interrupted or failed (bounded retries)."""
    done = 0
    for article in await services.repo.unfinished_articles(max_attempts=MAX_ATTEMPTS):
        if await analyse_stored(services, article.id, article.raw_text, article.published_at):
            done += 1
    return done


# -- Telegram ---------------------------------------------------------------------------------------------


def origin_of(message: Message) -> tuple[Source, datetime | None]:
    """Who wrote the article and when, from `forward_origin` (or the sender, for pasted text)."""
    origin = message.forward_origin
    if isinstance(origin, MessageOriginChannel):
        chat = origin.chat
        if chat.username:
            url: str | None = f"https://t.me/{chat.username}/{origin.message_id}"
        else:
            internal = str(chat.id).removeprefix("-100")
            url = f"https://t.me/c/{internal}/{origin.message_id}"
        return Source("channel", chat.title or chat.username, url), origin.date
    if isinstance(origin, MessageOriginChat):
        chat = origin.sender_chat
        url = f"https://t.me/{chat.username}" if chat.username else None
        return Source("chat", chat.title or chat.username, url), origin.date
    if isinstance(origin, MessageOriginUser):
        user = origin.sender_user
        url = f"https://t.me/{user.username}" if user.username else None
        return Source("user", user.full_name, url), origin.date
    if isinstance(origin, MessageOriginHiddenUser):
        return Source("hidden_user", origin.sender_user_name), origin.date
    return Source("pasted"), message.date


def incoming_from_message(message: Message) -> IncomingArticle:
    source, published_at = origin_of(message)
    text = message.text or message.caption
    if text is None:
        raise IngestRefused("unsupported_message")
    return IncomingArticle(text, source, published_at, message.message_id)


def wants_message(message: Message) -> bool:
    """In a private chat everything sent is an article; in a group only forwarded posts are."""
    return message.chat.type == ChatType.PRIVATE or message.forward_origin is not None


async def on_message(update: Update, context: PrecisContext) -> None:
    message = update.effective_message
    if message is None or not wants_message(message):
        return
    services = services_of(context)
    lang = await chat_language(services, update)
    await services.repo.ensure_chat(message.chat_id, message.chat.type, message.chat.title)
    try:
        outcome = await ingest(services, message.chat_id, incoming_from_message(message))
    except IngestRefused as refused:
        await reply_html(message, refused.message(lang))
        return
    await reply_with_card(services, message, outcome, lang)


async def reply_with_card(services: Services, message: Message, outcome: IngestOutcome, lang: str) -> None:
    article = outcome.article
    if not outcome.analysed:
        await reply_html(message, t(lang, "stored_not_analysed", number=article.number, reason=t(lang, "error")))
        return
    card, keyboard = await article_card(services, article, lang)
    if not outcome.created:
        card = t(lang, "duplicate", number=article.number) + "\n\n" + card
    sent = await reply_html(message, card, reply_markup=keyboard)
    for reply in sent:
        await services.repo.link_message(message.chat_id, reply.message_id, article.id)
