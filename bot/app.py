"""The Telegram application: built on the services of bot.compose, with every feature's handlers wired in."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import InvalidToken
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from analysis.dateline import warm_dateline
from analysis.people import warm_name_tables
from bot.compose import close_services, settle_heap, start_services
from bot.config import Config, ConfigError
from bot.inbox import ChatOrder, InboxApplication, InboxQueue, PollingRequest, bot_api_request
from bot.loop import LOOP_SWITCH_INTERVAL, replies_first_loop
from bot.ratelimit import RepliesFirstRateLimiter
from bot.transport import close_open_sessions
from bot.webhook import webhook_options
from handlers import (
    arrivals,
    channels,
    data,
    digest,
    digest_jobs,
    feeds,
    quotes,
    resume,
    search,
    settings,
    summary,
    timeline,
)
from handlers import help as help_feature
from handlers.common import BotData, PrecisApplication, PrecisContext, services_of
from usecases.feeds import poll_due
from usecases.ingest import resume_unfinished
from usecases.search import index_missing
from usecases.services import Analyzer, DigestRuntime, FeedRuntime, Limits, Services
from views.i18n import command_descriptions, languages, load_catalogues, pick_language, t

log = logging.getLogger(__name__)

# The commands shown in Telegram's menu, in menu order; descriptions come from the catalogues.
MENU_COMMANDS = (
    "summary",
    "quotes",
    "timeline",
    "search",
    "people",
    "digest",
    "subscribe",
    "follow",
    "following",
    "unfollow",
    "use",
    "subscriptions",
    "unsubscribe",
    "settings",
    "export",
    "forget",
    "help",
    "start",
)


def build_application(
    config: Config,
    *,
    request: BaseRequest | None = None,
    analyzer: Analyzer | None = None,
    limits: Limits | None = None,
    digests: DigestRuntime | None = None,
    feed_runtime: FeedRuntime | None = None,
    concurrent_ingest: bool = True,
    settle: bool = False,
) -> PrecisApplication:
    """Build the bot. `request` replaces the HTTP layer (the console playground); `analyzer` the workers;
    `digests` the digest policy and clock (tests set the time); `feed_runtime` the feed polling policy;
    `settle` keeps the started process's heap out of the collector's sight (`settle_heap`: a bot process, not
    a test that starts many applications in one process)."""
    queue = InboxQueue()
    builder = (
        ApplicationBuilder()
        .token(config.token or "0:console-playground-without-a-token")
        .context_types(ContextTypes(bot_data=BotData))
        .defaults(Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)))
        .rate_limiter(RepliesFirstRateLimiter(max_retries=3))
        .post_shutdown(_post_shutdown)
        .application_class(InboxApplication)
        .update_queue(queue)
        .concurrent_updates(ChatOrder())  # chats side by side, each chat's updates in order
    )

    async def post_init(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        services = await start_services(
            config, analyzer=analyzer, limits=limits, digests=digests, feed_runtime=feed_runtime
        )
        app.bot_data.services = services
        load_catalogues()
        warm_name_tables()  # not inside the first article of a burst (a one-shot CLI command needs neither)
        warm_dateline()
        await set_commands(app)
        if app.job_queue is not None:  # interrupted analyses, and articles stored before the stem index
            app.job_queue.run_once(_resume_unfinished, when=0, name="resume-unfinished")
        if isinstance(app, InboxApplication):
            app.before_stop(services.series.flush)  # a graceful stop joins waiting series at once
        # The chats a stop left work in are taken (by this process, or by another on the same database) before
        # any update is taken in: what was stored but not taken, answers owed, unfinished updates.
        if isinstance(app.update_queue, InboxQueue):
            app.update_queue.attach(services.repo)

            async def take_over(chat_id: int) -> None:
                await resume.take_over_chat(services, app, chat_id)

            replayed = await app.update_queue.share(
                app.bot,
                services.digests.worker,
                lease=config.claim_lease,
                take_over=take_over,
                busy=services.series.holds,
            )
            if replayed:
                log.info("processing again %d updates a stop interrupted", replayed)
        # Digest jobs live only in memory: rebuild them from the subscriptions (overdue ones fire at once).
        await digest_jobs.restore_jobs(app.job_queue, services)
        # Feed schedules live in the database: one repeating job polls whatever is due (overdue ones at once).
        if app.job_queue is not None:
            app.job_queue.run_repeating(
                _poll_feeds,
                interval=services.feeds.policy.tick,
                first=0,
                name="poll-feeds",
                job_kwargs={"max_instances": 1},
            )
        if settle:
            settle_heap()

    builder = builder.post_init(post_init)
    if config.base_url and config.base_file_url:
        builder = builder.base_url(config.base_url).base_file_url(config.base_file_url)
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    else:
        builder = builder.request(bot_api_request(timeout=config.send_timeout))
        builder = builder.get_updates_request(PollingRequest(queue))
    app: PrecisApplication = builder.build()
    register_handlers(app, concurrent_ingest=concurrent_ingest)
    return app


def register_handlers(app: PrecisApplication, *, concurrent_ingest: bool = True) -> None:
    # Before everything else: a chat whose digests paused because it could not be reached is back.
    app.add_handler(TypeHandler(Update, digest.on_any_update), group=-1)
    app.add_handler(CommandHandler("start", help_feature.on_start))
    app.add_handler(CommandHandler("help", help_feature.on_help))
    app.add_handler(CommandHandler("summary", summary.on_summary))
    app.add_handler(CommandHandler("settings", settings.on_settings))
    app.add_handler(CallbackQueryHandler(summary.on_summary_button, pattern=rf"^{summary.CALLBACK_PREFIX}:"))
    app.add_handler(CommandHandler("forget", data.on_forget))
    app.add_handler(CallbackQueryHandler(data.on_forget_button, pattern=rf"^{data.CALLBACK_PREFIX}:"))
    app.add_handler(CommandHandler("export", data.on_export))
    app.add_handler(CommandHandler("quotes", quotes.on_quotes))
    app.add_handler(CommandHandler("people", quotes.on_people))
    app.add_handler(CallbackQueryHandler(quotes.on_quotes_button, pattern=rf"^{quotes.CALLBACK_PREFIX}:"))
    app.add_handler(CallbackQueryHandler(quotes.on_people_button, pattern=rf"^{quotes.PEOPLE_PREFIX}:"))
    app.add_handler(CommandHandler("timeline", timeline.on_timeline))
    app.add_handler(CallbackQueryHandler(timeline.on_timeline_button, pattern=rf"^{timeline.CALLBACK_PREFIX}:"))
    app.add_handler(CallbackQueryHandler(timeline.on_timeline_picture, pattern=rf"^{timeline.PICTURE_PREFIX}:"))
    app.add_handler(CommandHandler("search", search.on_search))
    app.add_handler(CommandHandler("use", channels.on_use))
    # Following a feed fetches it and stores its newest items: other chats' commands do not wait for that.
    app.add_handler(CommandHandler("follow", feeds.on_follow, block=False))
    app.add_handler(CommandHandler("following", feeds.on_following))
    app.add_handler(CommandHandler("unfollow", feeds.on_unfollow))
    app.add_handler(CommandHandler("subscribe", digest.on_subscribe))
    app.add_handler(CallbackQueryHandler(digest.on_subscribe_button, pattern=rf"^{digest.CALLBACK_PREFIX}:sub:"))
    app.add_handler(CommandHandler("subscriptions", digest.on_subscriptions))
    app.add_handler(CommandHandler("unsubscribe", digest.on_unsubscribe))
    app.add_handler(CommandHandler("digest", digest.on_digest))
    app.add_handler(ChatMemberHandler(channels.on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, channels.on_migration))
    # A channel's posts become its archive's articles, silently; edits replace the stored text.
    app.add_handler(
        MessageHandler(filters.UpdateType.CHANNEL_POST, channels.on_channel_post, block=not concurrent_ingest)
    )
    app.add_handler(
        MessageHandler(
            filters.UpdateType.EDITED_CHANNEL_POST, channels.on_edited_channel_post, block=not concurrent_ingest
        )
    )
    app.add_handler(MessageHandler(filters.COMMAND, help_feature.on_unknown_command))
    # Articles are analysed (and pages fetched) without blocking the dispatcher, so /help answers while a
    # burst is ingested (the console turns this off to print each reply before the next prompt).
    app.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE & filters.Document.ALL, arrivals.on_document, block=not concurrent_ingest
        )
    )
    app.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE & ~filters.COMMAND & ~filters.StatusUpdate.ALL,
            arrivals.on_message,
            block=not concurrent_ingest,
        )
    )
    app.add_error_handler(on_error)


async def _resume_unfinished(context: PrecisContext) -> None:
    services = services_of(context)
    # Processes sharing the database each finish the articles of the chats they hold (taking the free ones):
    # another live process may be analysing an article of a chat it holds right now.
    queue = context.application.update_queue
    holding = queue.holding if isinstance(queue, InboxQueue) and queue.sharing else None
    resumed = await resume_unfinished(services, holding)
    if resumed:
        log.info("finished the analysis of %d interrupted articles", resumed)
    indexed = await index_missing(services)
    if indexed:
        log.info("added %d articles stored before the stem index to it", indexed)


async def _poll_feeds(context: PrecisContext) -> None:
    results = await poll_due(services_of(context))
    if results:
        log.info("polled %d feed(s): %d new article(s)", len(results), sum(r.new_articles for r in results))


async def _post_shutdown(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    services: Services | None = app.bot_data.services
    if services is not None:
        await close_services(services)


async def set_commands(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    for lang in languages():
        descriptions = command_descriptions(lang)
        commands = [BotCommand(name, descriptions[name]) for name in MENU_COMMANDS if name in descriptions]
        await app.bot.set_my_commands(commands, language_code=None if lang == "en" else lang)


async def on_error(update: object, context: PrecisContext) -> None:
    log.error("error while handling an update", exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    lang = pick_language(None, update.effective_user.language_code if update.effective_user else None)
    try:
        await context.bot.send_message(update.effective_chat.id, t(lang, "error"))
    except Exception:  # the error may be Telegram itself being unreachable: logging it is all we can do
        log.warning("could not tell the user about the error", exc_info=True)


@asynccontextmanager
async def running(app: PrecisApplication, *, polling: bool = False) -> AsyncIterator[PrecisApplication]:
    """Start the application as run_polling would (post_init included), and stop it the same way.

    For the console playground and the tests, which feed or poll updates themselves.
    """
    try:
        async with app:
            if app.post_init is not None:
                await app.post_init(app)
            await app.start()
            if polling and app.updater is not None:
                defer_commits_while_polling(app)
                await app.updater.start_polling(poll_interval=0.0, timeout=1, allowed_updates=Update.ALL_TYPES)
            try:
                yield app
            finally:
                if app.updater is not None and app.updater.running:
                    await app.updater.stop()
                await app.stop()
                if app.post_stop is not None:
                    await app.post_stop(app)
    finally:
        # Also when the body failed: the database connection's thread would otherwise keep the process alive.
        if app.post_shutdown is not None:
            await app.post_shutdown(app)


def run(config: Config) -> None:
    """Run the bot until interrupted: polling by default, a webhook when PRECIS_WEBHOOK_URL is set. A token
    Telegram refuses is a ConfigError (one line, without the token), not a traceback."""
    app = build_application(config, settle=True)
    loop = replies_first_loop()  # a person's command runs ahead of the work of a burst (bot/loop.py)
    asyncio.set_event_loop(loop)
    sys.setswitchinterval(LOOP_SWITCH_INTERVAL)
    try:
        if config.webhook_url:
            options = webhook_options(config)
            if not config.webhook_secret:
                log.info("no PRECIS_WEBHOOK_SECRET: the webhook uses a secret generated for this run")
            app.run_webhook(**options.kwargs(), close_loop=False)
        else:
            defer_commits_while_polling(app)
            app.run_polling(allowed_updates=Update.ALL_TYPES, close_loop=False)
    except InvalidToken:
        raise ConfigError(
            "Telegram refused TELEGRAM_BOT_TOKEN (revoked, or of another bot): copy it again from @BotFather"
        ) from None
    finally:
        # A start that failed half-way (the token refused, Telegram out of reach) never shuts the bot's HTTP
        # clients down: closed here, or their sessions would be reported open at exit.
        loop.run_until_complete(close_open_sessions())
        loop.close()


def defer_commits_while_polling(app: PrecisApplication) -> None:
    """In polling, getUpdates acknowledges (and waits for the inbox): updates are committed in batches."""
    if isinstance(app.update_queue, InboxQueue) and app.update_queue.polling_waits:
        app.update_queue.defer_commits = True
        app.update_queue.uses(app.bot)  # each update parsed when its chat's turn comes
