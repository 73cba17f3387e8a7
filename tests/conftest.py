"""Fixtures shared by the whole suite."""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from analysis.pipeline import analyze
from storage.db import Database
from tests.botapi import BotApiDouble
from tests.pages import PageServer
from tests.pgserver import Cluster, Databases, find_bindir, shared_cluster, stop_shared_cluster
from tests.ports import listen_port

# Property tests judge what comes out, never how fast: speed is measured in bench/. On a busy machine an example
# may take seconds, so no deadline and no health check about slowness (a test's own settings keep this unless
# they say otherwise).
settings.register_profile("suite", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("suite")


@pytest.fixture
def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (for a webhook server the test starts), outside the
    range outgoing connections take their ports from."""
    return listen_port()


@pytest.fixture
def botapi() -> Iterator[BotApiDouble]:
    """A Bot API double on 127.0.0.1, started for one test and stopped after it.

    Point PTB at it with ``.token(botapi.token).base_url(botapi.base_url).base_file_url(botapi.base_file_url)``.
    The test fails if the double itself hit a bug while serving it.
    """
    with BotApiDouble() as double:
        yield double
    assert not double.internal_errors, "\n".join(double.internal_errors)


@pytest.fixture
def pages() -> Iterator[PageServer]:
    """Web pages on 127.0.0.1 for the bot to fetch (the fetch guard must be told to allow that address)."""
    server = PageServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def analysis_pool() -> Iterator[ProcessPoolExecutor]:
    """Worker processes shared by every bot of the session: spawning them per test would dominate the run."""
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    # Started and warmed here, so that no test's waits include a worker's start on a busy machine.
    pool.submit(analyze, "Warm-up. This sentence primes the worker.").result()
    yield pool
    pool.shutdown(cancel_futures=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slow tests first: a test process that picks one up near the end of the run would keep the whole
    run waiting for it while the other has nothing left to do. (The order within each group is kept, and every
    test process collects the same order.)"""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def pytest_collection_finish(session: pytest.Session) -> None:
    """What is alive once the tests are collected (modules, test items, lexicons) lives to the end of the run: kept
    out of the collector's sight, each full collection scans the tests' objects alone, not the whole heap again."""
    gc.collect()
    gc.freeze()


_exit_status = pytest.StashKey[int]()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    session.config.stash[_exit_status] = int(exitstatus)


def pytest_unconfigure(config: pytest.Config) -> None:
    """A database a test left open keeps its worker thread alive, and the interpreter would wait for it at
    exit for ever: the run would never end. After the summary, name the leak, fail the run, and end it."""
    folder = config.stash.get(_shared_folder, None)
    if folder is not None:  # every worker has ended: the cluster they shared goes
        stop_shared_cluster(folder)
    leaked = [t.name for t in threading.enumerate() if t.name.endswith("(_connection_worker_thread)")]
    if leaked:
        print(f"\n{len(leaked)} database connection(s) left open by the tests: the run fails", file=sys.stderr)
        sys.stderr.flush()
        sys.stdout.flush()
        os._exit(config.stash.get(_exit_status, 0) or 1)


# -- the two database backends ----------------------------------------------------------------------------------

_postgres_missing: list[str] = []  # why the PostgreSQL half was skipped, for the summary


@pytest.fixture(scope="session")
def postgres_databases() -> Iterator[Databases | None]:
    """A PostgreSQL server for the session: PRECIS_TEST_POSTGRES_URL, or a throwaway cluster, or None."""
    url = os.environ.get("PRECIS_TEST_POSTGRES_URL")
    if url:
        yield Databases(url, _migrate)
        return
    bindir = find_bindir()
    if bindir is None:
        _postgres_missing.append(
            "no PostgreSQL: PRECIS_TEST_POSTGRES_URL is unset and no server programs were found "
            "(pg_config --bindir, /usr/lib/postgresql/*/bin)"
        )
        yield None
        return
    shared = os.environ.get(_SHARED_CLUSTER)
    try:
        cluster = shared_cluster(Path(shared), bindir) if shared else Cluster(bindir).start()
    except Exception as exc:
        _postgres_missing.append(f"the throwaway PostgreSQL cluster did not start: {exc}")
        yield None
        return
    try:
        yield Databases(cluster.url, _migrate)
    finally:
        if not shared:  # a shared cluster is stopped by the process that runs the workers, after them all
            cluster.stop()


# Where the test processes of one run (pytest-xdist's workers) find the PostgreSQL cluster they share.
_SHARED_CLUSTER = "PRECIS_TEST_POSTGRES_SHARED"
_shared_folder = pytest.StashKey[Path]()


def pytest_configure(config: pytest.Config) -> None:
    workers = getattr(config.option, "numprocesses", None)
    if hasattr(config, "workerinput") or not workers or os.environ.get("PRECIS_TEST_POSTGRES_URL"):
        return
    # Set before the workers start, so that they inherit it; the first of them to need the cluster starts it.
    folder = Path(tempfile.mkdtemp(prefix="precis-pg-shared-"))
    config.stash[_shared_folder] = folder
    os.environ[_SHARED_CLUSTER] = str(folder)


def _migrate(url: str) -> None:
    async def migrate() -> None:
        db = await Database.open(url)
        await db.close()

    # In a thread of its own: a session fixture may be set up while a test's event loop runs.
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, migrate()).result()


def _no_postgres() -> None:
    """Skip the test, saying why; CI sets PRECIS_REQUIRE_POSTGRES, and there it fails instead."""
    reason = _postgres_missing[0] if _postgres_missing else "no PostgreSQL server"
    if os.environ.get("PRECIS_REQUIRE_POSTGRES"):
        pytest.fail(f"PRECIS_REQUIRE_POSTGRES is set but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def sqlite_migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file at the code's schema version with no rows, made once: a test's database is a copy of it
    (migrating a new file for every test would cost more than the test). The tests of creating and migrating
    a file make their own."""
    path = tmp_path_factory.mktemp("sqlite-template") / "migrated.db"
    _migrate(str(path))  # closed at the end: everything is in the file itself, no -wal beside it
    return path


@pytest.fixture(params=["sqlite", "postgres"])
def db_target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where a test's database lives, on each backend in turn: a SQLite file or a PostgreSQL database, each
    at the code's schema version with no rows."""
    yield from _target(request, tmp_path, migrated=True)


@pytest.fixture(params=["sqlite", "postgres"])
def empty_db_target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """As `db_target`, but no SQLite file yet and a PostgreSQL database that is empty: for the tests of
    migrations themselves."""
    yield from _target(request, tmp_path, migrated=False)


def _target(request: pytest.FixtureRequest, tmp_path: Path, *, migrated: bool) -> Iterator[str]:
    if request.param == "sqlite":
        path = tmp_path / "precis.db"
        if migrated:
            shutil.copyfile(request.getfixturevalue("sqlite_migrated"), path)
        yield str(path)
        return
    databases = request.getfixturevalue("postgres_databases")
    if databases is None:
        _no_postgres()
    url = databases.migrated() if migrated else databases.create()
    yield url
    databases.release(url)


@pytest.fixture
def postgres_url(postgres_databases: Databases | None) -> Iterator[str]:
    """A fresh PostgreSQL database, for a test of PostgreSQL alone (skipped without a server)."""
    if postgres_databases is None:
        _no_postgres()
    url = postgres_databases.create()
    yield url
    postgres_databases.drop(url)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _postgres_missing:
        terminalreporter.write_line(f"PostgreSQL half skipped: {_postgres_missing[0]}", yellow=True)
