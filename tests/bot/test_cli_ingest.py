"""`precis ingest URL|FILE...` from a shell: pages, files, duplicates, refusals, the summary and the progress bar."""

from __future__ import annotations

import io
import json
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from bot.cli import main
from bot.progress import Progress
from tests.e2e.articles import FERRY_PAGE, REPORT_TXT, SECOND_POST
from tests.pages import PageServer, send
from usecases.services import Analyzer


@pytest.fixture
def shell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clean environment: no .env, the test's own database, the page server's address allowed."""
    monkeypatch.chdir(tmp_path)
    for name in ("TELEGRAM_BOT_TOKEN", "PRECIS_DB", "PRECIS_FETCH_ALLOW"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PRECIS_FETCH_ALLOW", "127.0.0.1/32")
    (tmp_path / "cleanup.txt").write_text(REPORT_TXT, encoding="utf-8")
    (tmp_path / "notes").write_text(SECOND_POST, encoding="utf-8")  # no suffix: taken for text
    (tmp_path / "paper.pdf").write_bytes(b"%PDF-1.7\n")
    return tmp_path


def test_ingest_pages_and_files_with_a_summary(
    shell: Path, pages: PageServer, capsys: pytest.CaptureFixture[str], analysis_pool: ProcessPoolExecutor
) -> None:
    pages.routes["/news/ferry"] = lambda r: send(r, 200, FERRY_PAGE.encode(), "text/html; charset=utf-8")
    url = pages.url("/news/ferry")
    inputs = [url, url + "/?utm_source=telegram#top", "cleanup.txt", "notes", "paper.pdf", "missing.txt"]
    code = main(["--db", str(shell / "precis.db"), "ingest", *inputs], analyzer=Analyzer(analysis_pool))
    out = capsys.readouterr()
    assert code == 0
    lines = out.out.strip().splitlines()
    assert lines[-1] == (
        "stored 3, merged (duplicates) 1, skipped 2 (it is a PDF, and I read only .txt, .md and .html files: "
        "send the article's text or a link to it · no such file)"
    )
    assert any(
        line.endswith("stored: cleanup.txt  Harbour Cleanup Finds Tonnes of Lost Fishing Gear") for line in lines
    )
    assert any("duplicate: " + url + "/?utm_source" in line for line in lines)
    assert "skipped missing.txt: no such file" in lines
    assert "\r" not in out.err  # not a terminal: no progress bar
    assert [path for path, _ in pages.requests] == ["/news/ferry"]  # the same page fetched once


def test_ingest_json_keeps_stdout_machine_readable(
    shell: Path, pages: PageServer, capsys: pytest.CaptureFixture[str], analysis_pool: ProcessPoolExecutor
) -> None:
    code = main(
        ["--db", str(shell / "precis.db"), "ingest", "--json", pages.url("/gone"), "cleanup.txt"],
        analyzer=Analyzer(analysis_pool),
    )
    out = capsys.readouterr()
    assert code == 0
    entries = json.loads(out.out)
    assert entries[0] == {
        "input": pages.url("/gone"),
        "status": "skipped",
        "reason": "the site answered with error 404",
    }
    assert entries[1]["status"] == "stored" and entries[1]["article_id"] == 1
    assert out.err.strip().endswith("stored 1, merged (duplicates) 0, skipped 1 (the site answered with error 404)")


def test_ingest_fails_when_nothing_could_be_taken(
    shell: Path, capsys: pytest.CaptureFixture[str], analysis_pool: ProcessPoolExecutor
) -> None:
    assert (
        main(
            ["--db", str(shell / "precis.db"), "ingest", "missing.txt", "https://t.me/channel/4"],
            analyzer=Analyzer(analysis_pool),
        )
        == 1
    )
    assert capsys.readouterr().out.strip().splitlines()[-1] == (
        "stored 0, merged (duplicates) 0, skipped 2 (no such file · not a link to a web page)"
    )


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_is_drawn_on_a_terminal_only() -> None:
    out, err = io.StringIO(), Terminal()
    progress = Progress(3, out=out, err=err)
    progress.step("first")
    progress.line("#1 stored: first")
    progress.step("second")
    progress.close()
    assert out.getvalue() == "#1 stored: first\n"
    drawn = err.getvalue()
    assert "[" in drawn and "1/3 first" in drawn and "2/3 second" in drawn
    assert drawn.endswith("\r\033[K")  # wiped at the end

    quiet_err = io.StringIO()
    progress = Progress(3, out=io.StringIO(), err=quiet_err)
    progress.step("x")
    progress.close()
    assert quiet_err.getvalue() == ""
    assert not Progress(1, err=Terminal()).enabled  # one input needs no bar
