"""The `precis` command line on a real database file: in this process through its main (the `precis` fixture),
and a few smoke tests as a user runs it, in a real process."""

from __future__ import annotations

import json
import os
import pty
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.bot.conftest import Precis
from tests.e2e.articles import BRIDGE_POST, SECOND_POST

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def articles(tmp_path: Path) -> list[Path]:
    first, second = tmp_path / "bridge.txt", tmp_path / "strike.txt"
    first.write_text(BRIDGE_POST, encoding="utf-8")
    second.write_text(SECOND_POST, encoding="utf-8")
    return [first, second]


def test_ingest_and_summary_as_json(precis: Precis, tmp_path: Path, articles: list[Path]) -> None:
    result = precis("ingest", *map(str, articles), "--json")
    assert result.returncode == 0, result.stderr
    stored = json.loads(result.stdout)
    assert [s["article_id"] for s in stored] == [1, 2]
    assert stored[0]["title"] == "Harbour Bridge Plan Approved After Long Debate"

    result = precis("summary", "1", "--sentences", "2", "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["article_id"] == 1 and summary["title"].startswith("Harbour Bridge")
    assert len(summary["sentences"]) == 2 and all(s in BRIDGE_POST for s in summary["sentences"])

    again = json.loads(precis("ingest", str(articles[0]), "--json").stdout)
    assert again[0]["status"] == "duplicate" and again[0]["article_id"] == 1


def test_the_cli_chat_is_separate_from_telegram_chats(precis: Precis, tmp_path: Path, articles: list[Path]) -> None:
    precis("ingest", str(articles[0]))
    result = precis("summary", "--chat", "12345")
    assert result.returncode == 1 and "no articles yet" in result.stderr
    precis("ingest", str(articles[1]), "--chat", "12345")
    mine = json.loads(precis("summary", "--json").stdout)
    theirs = json.loads(precis("summary", "--chat", "12345", "--json").stdout)
    assert mine["title"].startswith("Harbour") and theirs["title"].startswith("Rail Strike")


def test_bad_files_are_skipped_with_a_reason_and_good_ones_kept(
    precis: Precis, tmp_path: Path, articles: list[Path]
) -> None:
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n ", encoding="utf-8")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Caf\xe9 society met on Tuesday.".encode("latin-1"))
    data = tmp_path / "data.txt"
    data.write_bytes(b"bin\x00\x01\x02ary data here")
    inputs = [binary, empty, latin, data, tmp_path / "missing.txt", articles[0]]
    result = precis("ingest", *map(str, inputs), "--json")
    assert result.returncode == 0, result.stderr
    by_input = {Path(e["input"]).name: e for e in json.loads(result.stdout)}
    assert by_input["photo.txt"]["reason"] == "it is an image, and I read only text"
    assert by_input["empty.txt"] == {"input": str(empty), "status": "skipped", "reason": "it is empty"}
    assert by_input["data.txt"]["reason"] == "it is not a text file"
    assert by_input["missing.txt"]["reason"] == "no such file"
    # A text in another encoding is recognised and read, not refused.
    assert by_input["latin.txt"]["status"] == "stored"
    assert by_input["bridge.txt"]["status"] == "stored"


@pytest.mark.slow
def test_a_one_megabyte_file(precis: Precis, tmp_path: Path) -> None:
    paragraph = "The regional parliament debated the annual budget for many hours without a vote. " * 12
    big = tmp_path / "big.txt"
    big.write_text(("\n\n".join([paragraph] * 1000))[:1_000_000], encoding="utf-8")
    result = precis("ingest", str(big), "--json")
    assert result.returncode == 0, result.stderr
    (entry,) = json.loads(result.stdout)
    assert entry["status"] == "stored" and entry["article_id"] == 1
    summary = json.loads(precis("summary", "--json").stdout)
    assert len(summary["sentences"]) == 3


def test_standard_input(precis: Precis) -> None:
    result = precis("ingest", "-", "--json", stdin=SECOND_POST)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["article_id"] == 1
    assert json.loads(precis("summary", "--json").stdout)["title"].startswith("Rail Strike")


def test_summary_errors_are_one_clear_line(precis: Precis, tmp_path: Path) -> None:
    result = precis("summary")
    assert result.returncode == 1
    assert result.stderr.strip() == "This chat has no articles yet. Forward or paste one first."


def test_a_bad_token_stops_the_start_with_one_line(precis: Precis) -> None:
    result = precis("run", env={"TELEGRAM_BOT_TOKEN": "not-a-token"})
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "TELEGRAM_BOT_TOKEN does not look like a bot token" in result.stderr
    assert "not-a-token" not in result.stderr


def test_a_database_newer_than_the_code_is_refused(precis: Precis, tmp_path: Path) -> None:
    import sqlite3

    with sqlite3.connect(tmp_path / "cli.db") as conn:
        conn.execute("PRAGMA user_version = 999")
    result = precis("summary")
    assert result.returncode == 2 and "newer than this code" in result.stderr


def test_the_console_playground_answers_through_the_real_handlers(precis: Precis) -> None:
    typed = BRIDGE_POST.replace("\n\n", "\n") + "\n\n/summary 1 4\n/help\n/nonsense\n"
    result = precis("run", stdin=typed)  # no token: the console, on piped input
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.count("Harbour Bridge Plan Approved After Long Debate") == 2  # the card, then /summary
    assert "How to use Précis" in out and "I don't know that command" in out
    assert "<b>" not in out  # HTML is rendered for the terminal


@pytest.mark.slow
def test_a_closed_pipe_ends_the_cli_quietly(tmp_path: Path) -> None:
    """`precis dates FILE | head -1`: the reader goes away long before the output ends."""
    text = tmp_path / "dates.txt"
    text.write_text("On 5 May 2005 the vote was held. " * 4000, encoding="utf-8")  # far more than a pipe holds
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "PRECIS_"))}
    environment.update({"PRECIS_DB": str(tmp_path / "cli.db"), "PYTHONPATH": str(ROOT)})
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "dates", str(text)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env=environment,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()
    errors = process.stderr.read()
    assert process.wait(timeout=120) == 141  # as a process killed by SIGPIPE
    assert first.startswith(b"# 4000 temporal expressions") and errors == b""


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_is_one_line_and_exit_130(precis: Precis, tmp_path: Path, articles: list[Path]) -> None:
    """Interrupted at `forget --all`'s question on a terminal: no traceback, nothing deleted."""
    assert precis("ingest", str(articles[0])).returncode == 0
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "PRECIS_"))}
    environment.update({"PRECIS_DB": str(tmp_path / "cli.db"), "PYTHONPATH": str(ROOT)})
    terminal, child_end = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "forget", "--all"],
        stdin=child_end,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env=environment,
        # Ctrl-C as a terminal delivers it: a suite started in the background (`make test &`, a CI runner) has
        # SIGINT ignored, and a child would inherit that and wait at the question for ever.
        preexec_fn=_default_sigint,
    )
    os.close(child_end)
    assert process.stderr is not None
    seen = b""
    while b"[y/N]" not in seen:  # the question is the moment a person would press Ctrl-C
        chunk = process.stderr.read1(4096)
        assert chunk, seen
        seen += chunk
    process.send_signal(signal.SIGINT)
    out, rest = process.communicate(timeout=60)
    os.close(terminal)
    errors = (seen + rest).decode()
    assert process.returncode == 130 and out == b""
    assert errors.endswith("[y/N] precis: interrupted\n") and "Traceback" not in errors
    assert '"number": 1' in precis("export").stdout  # nothing was deleted
