"""Running `precis` in this process, as a shell would run it: arguments, standard input, exit code, output."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import NamedTuple

import pytest

from analysis.pipeline import analyze
from bot.cli import main
from storage.db import Database
from storage.repository import LOCAL_CHAT_ID, Repository, Source
from usecases.ingest import store_analysis
from usecases.services import Analyzer


class Ran(NamedTuple):
    returncode: int
    stdout: str
    stderr: str


Precis = Callable[..., Ran]


@pytest.fixture
def precis(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    analysis_pool: ProcessPoolExecutor,
) -> Precis:
    """`precis(*args, stdin=None, env=None)` runs the CLI's main in this process, in a clean environment (no
    .env, no TELEGRAM_/PRECIS_ settings but the test's database), with the session's analysis workers."""
    monkeypatch.chdir(tmp_path)  # no .env from the checkout is read
    for name in list(__import__("os").environ):
        if name.startswith(("TELEGRAM_", "PRECIS_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("PRECIS_DB", str(tmp_path / "cli.db"))

    def run(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> Ran:
        for name, value in (env or {}).items():
            monkeypatch.setenv(name, value)
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8")), encoding="utf-8"))
        code = main(list(args), analyzer=Analyzer(analysis_pool))
        out, err = capsys.readouterr()
        return Ran(code, out, err)

    return run


async def archive_of(path: Path, texts: Iterable[str], source: Source) -> Path:
    """A database file at `path` holding `texts` as the CLI chat's articles, analysed by the real analysis."""
    db = await Database.open(path)
    try:
        repo = Repository(db)
        for text in texts:
            article, _ = await repo.add_article(LOCAL_CHAT_ID, text, source)
            await store_analysis(repo, article.id, analyze(text))
    finally:
        await db.close()
    return path


def run_on(archive: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`precis --db ARCHIVE ARGS` in this process (commands that read the archive need no analysis workers)."""
    code = main(["--db", str(archive), *args])
    out, err = capsys.readouterr()
    return code, out, err
