"""The composition root: the one place that builds the services every front uses (the Telegram application,
the console playground, the CLI) from the configuration, and closes them."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.config import Config
from fetch.client import FetchConfig, PageFetcher
from storage.db import Database
from storage.repository import Repository
from usecases.search import index_missing
from usecases.series import SeriesBuffer
from usecases.services import Analyzer, DigestRuntime, FeedRuntime, Limits, Services


def fetch_config(config: Config) -> FetchConfig:
    return FetchConfig(
        timeout_connect=min(5.0, config.fetch_timeout),
        timeout_read=config.fetch_timeout,
        total_deadline=config.fetch_timeout,  # the whole fetch, redirects and body included
        max_bytes=config.fetch_max_bytes,
        allow_networks=config.fetch_allow_networks,
    )


async def start_services(
    config: Config,
    *,
    analyzer: Analyzer | None = None,
    limits: Limits | None = None,
    digests: DigestRuntime | None = None,
    feed_runtime: FeedRuntime | None = None,
) -> Services:
    """Open the database and build every service. `analyzer`, `limits` and `digests` replace the configured
    ones (tests set the workers, the limits and the digest clock)."""
    db = await Database.open(config.db_path)
    chosen_limits = limits or Limits(max_file_bytes=config.max_file_bytes)
    return Services(
        Repository(db),
        analyzer or Analyzer(workers=config.workers, summary_method=config.summary_method),
        chosen_limits,
        digests or DigestRuntime(),
        fetcher=PageFetcher(fetch_config(config)),
        series=SeriesBuffer(wait=config.series_wait, max_chars=chosen_limits.max_text_chars),
        feeds=feed_runtime or FeedRuntime(),
    )


def settle_heap() -> None:
    """Keep what is alive once the bot has started (modules, catalogues, lexicons, the services) out of the
    cyclic collector's sight: it lives as long as the process, and a full collection would scan it all again,
    20-35 ms that land on whichever command is running (most of a topic time line's p99). Each full collection
    then scans only what came after."""
    gc.collect()
    gc.freeze()


async def close_services(services: Services) -> None:
    # Series still waiting stay stored and are joined at the next start.
    services.series.cancel_all()
    if services.fetcher is not None:
        await services.fetcher.aclose()
    services.analyzer.shutdown()
    await services.repo.db.close()


@asynccontextmanager
async def open_services(config: Config, *, analyzer: Analyzer | None = None) -> AsyncIterator[Services]:
    """The services for the length of a command (the CLI)."""
    services = await start_services(config, analyzer=analyzer)
    try:
        if await services.repo.unindexed_articles(1):  # an archive stored before the stem index existed
            await index_missing(services)
        yield services
    finally:
        await close_services(services)
