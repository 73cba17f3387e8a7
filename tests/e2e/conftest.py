"""The real application against the Bot API double: a bot per test, one pool of analysis workers per session."""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import AsyncIterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from typing import Any

import pytest

from bot import app as bot_app
from bot.app import build_application, running
from bot.config import Config, database_target
from handlers.common import PrecisApplication
from tests.botapi import BotApiDouble
from usecases.services import Analyzer, FeedRuntime, Limits, Services


@dataclass
class RunningBot:
    app: PrecisApplication
    api: BotApiDouble
    config: Config

    @property
    def services(self) -> Services:
        services = self.app.bot_data.services
        assert services is not None
        return services


class StartupJobs:
    """The job every bot runs once it has started, which analyses again the articles whose analysis never
    finished (`bot.app._resume_unfinished`), observed. A test that stores articles and their analyses straight
    into the database waits for it first: on a busy machine the job runs late, finds such an article while
    it is still pending, and replaces the analysis the test stored with one of its own."""

    def __init__(self) -> None:
        self._finished: dict[int, asyncio.Event] = {}

    def event(self, app: object) -> asyncio.Event:
        return self._finished.setdefault(id(app), asyncio.Event())

    async def finished(self, *apps: object) -> None:
        for app in apps:
            await asyncio.wait_for(self.event(app).wait(), 60)  # a bound for a hang, not a speed


@pytest.fixture(autouse=True)
def startup_jobs(monkeypatch: pytest.MonkeyPatch) -> StartupJobs:
    jobs = StartupJobs()
    resume_unfinished = bot_app._resume_unfinished

    async def observed(context: Any) -> None:
        try:
            await resume_unfinished(context)
        finally:
            jobs.event(context.application).set()

    monkeypatch.setattr(bot_app, "_resume_unfinished", observed)
    return jobs


@pytest.fixture
def bot_config(botapi: BotApiDouble, db_target: str) -> Config:
    """The bot's settings, on each database backend in turn (the end-to-end tests are part of the contract)."""
    # A short wait for the next post of a series: every forwarded channel post waits that long.
    return Config(token=botapi.token, api_url=botapi.url, db_path=database_target(db_target), series_wait=0.3)


@pytest.fixture
async def start_bot(botapi: BotApiDouble, bot_config: Config, analysis_pool: ProcessPoolExecutor) -> AsyncIterator[Any]:
    """`async with start_bot(**config_changes) as bot:` runs the real application, polling the double."""
    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def start(
        analyzer: Analyzer | None = None,
        limits: Limits | None = None,
        feed_runtime: FeedRuntime | None = None,
        **changes: Any,
    ) -> AsyncIterator[RunningBot]:
        config = replace(bot_config, **changes)
        app = build_application(
            config, analyzer=analyzer or Analyzer(executor=analysis_pool), limits=limits, feed_runtime=feed_runtime
        )
        async with running(app, polling=not config.webhook_url):
            yield RunningBot(app, botapi, config)

    yield start


@pytest.fixture
async def bot(start_bot: Any) -> AsyncIterator[RunningBot]:
    async with start_bot() as running_bot:
        yield running_bot


# The fetch guard refuses loopback addresses; the tests allow their own page server's address, and only it.
LOCAL_PAGES = {"fetch_allow_networks": (ipaddress.ip_network("127.0.0.1/32"),)}
