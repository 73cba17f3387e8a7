"""The console playground as a person uses it: pasted articles with blank lines, numbered buttons, saved files.

The piped tests run the real application in-process; one test runs `precis run` in a real terminal (tmux),
pastes an article the way a terminal pastes it (bracketed paste) and reads the screen.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from bot.config import Config
from bot.console import read_inputs, run_console
from usecases.services import Analyzer

ROOT = Path(__file__).resolve().parents[2]

# An article as people paste it: a headline, a blank line, paragraphs separated by blank lines.
ARTICLE = """Harbour Bridge Plan Approved After Long Debate

The city council approved the harbour bridge plan on Tuesday after a debate that lasted eleven hours.

"This bridge will connect two communities that have been apart for too long," Mayor Anna Berg said after the vote.

Critics said the cost was too high. Council member Tom Hale argued that the money should go to schools instead.

Construction is expected to begin in March 2026, and the bridge should open in 2028."""

SECOND = """Night Trains Return to the Northern Line

Night trains will run again on the northern line from next month, the rail operator said on Friday.

The service was cut in 2020. Passenger groups had campaigned for its return for three years."""


def articles_in(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])


def test_a_piped_article_keeps_its_blank_lines() -> None:
    inputs = list(read_inputs(io.StringIO(ARTICLE + "\n\n\n/summary\n")))
    assert inputs == [ARTICLE, "/summary"]


def test_piped_articles_are_separated_by_three_dashes_or_a_command() -> None:
    text = f"{ARTICLE}\n---\n{SECOND}\n/people\n2\n/press 1\n---\n\n"
    assert list(read_inputs(io.StringIO(text))) == [ARTICLE, SECOND, "/people", "2", "/press 1"]


def test_a_number_inside_an_article_is_text_not_a_press() -> None:
    text = "Results\n\n12\n\nThe vote was 12 to 3."
    assert list(read_inputs(io.StringIO(text))) == [text]


Piped = Callable[[Path, str], Awaitable[str]]


@pytest.fixture
def run_piped(analysis_pool: ProcessPoolExecutor) -> Piped:
    """Runs the console on piped input, in this process, with the session's analysis workers."""

    async def run(tmp_path: Path, typed: str) -> str:
        out = io.StringIO()
        config = Config(db_path=tmp_path / "console.db")
        await run_console(config, stdin=io.StringIO(typed), stdout=out, analyzer=Analyzer(analysis_pool))
        return out.getvalue()

    return run


async def test_a_pasted_article_with_blank_lines_is_one_article(tmp_path: Path, run_piped: Piped) -> None:
    out = await run_piped(tmp_path, f"{ARTICLE}\n---\n{SECOND}\n")
    assert articles_in(tmp_path / "console.db") == 2
    assert "Harbour Bridge Plan Approved" in out and "#1" in out
    assert "Night Trains Return" in out and "#2" in out and "#3" not in out


async def test_buttons_are_numbered_and_pressed_by_number(tmp_path: Path, run_piped: Piped) -> None:
    out = await run_piped(tmp_path, f"{ARTICLE}\n/forget all\n2\n/forget all\n/press 1\n")
    assert "[1] Delete everything" in out and "[2] Keep it" in out
    assert "✎ Nothing was deleted." in out  # button 2 edits the prompt
    assert articles_in(tmp_path / "console.db") == 0  # button 1 of the second prompt deleted it


async def test_pressing_a_button_that_is_not_there_says_so(tmp_path: Path, run_piped: Piped) -> None:
    out = await run_piped(tmp_path, "/help\n3\n")
    assert "No message with buttons is shown." in out
    out = await run_piped(tmp_path, f"{ARTICLE}\n/forget all\n/press 7\n")
    assert "There is no button 7; the buttons are 1 to 2." in out
    assert articles_in(tmp_path / "console.db") == 1


def exported_files(folder: Path) -> tuple[list[Path], object]:
    saved = sorted(folder.glob("precis-export-*.json"))
    return saved, json.loads(saved[0].read_text(encoding="utf-8")) if saved else None


async def test_export_writes_the_file_into_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_piped: Piped
) -> None:
    monkeypatch.chdir(tmp_path)
    out = await run_piped(tmp_path, f"{ARTICLE}\n/export\n/export\n")
    saved, exported = exported_files(tmp_path)
    assert len(saved) == 2  # the second export does not overwrite the first
    assert f"📎 saved {saved[0]}" in out
    assert "Harbour Bridge Plan Approved After Long Debate" in json.dumps(exported, ensure_ascii=False)


# --- a real terminal -------------------------------------------------------------------------------------------


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Callable[..., subprocess.CompletedProcess[str]]]:
    """A tmux server of the test's own, with `precis run` (no token) in a 160×50 terminal."""
    tmux = shutil.which("tmux")
    if tmux is None:
        pytest.skip("tmux is not installed")
    socket = f"precis-test-{uuid.uuid4().hex[:8]}"

    def run(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run([tmux, "-L", socket, *args], capture_output=True, text=True, timeout=30, check=check)

    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "PRECIS_"))}
    env.update({"PRECIS_DB": str(tmp_path / "console.db"), "PYTHONPATH": str(ROOT), "TERM": "xterm-256color"})
    command = " ".join([sys.executable, "-m", "bot", "run"])
    subprocess.run(
        [tmux, "-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", "precis", "-x", "160", "-y", "50",
         "-c", str(tmp_path), command],
        env=env, check=True, timeout=30,
    )  # fmt: skip
    try:
        yield run
    finally:
        subprocess.run([tmux, "-L", socket, "kill-server"], capture_output=True, timeout=30)


def screen(run: Callable[..., subprocess.CompletedProcess[str]]) -> str:
    return run("capture-pane", "-p", "-J", "-t", "precis", "-S", "-3000").stdout


def wait_for(run: Callable[..., subprocess.CompletedProcess[str]], text: str, count: int = 1) -> str:
    """Reads the screen until TEXT is shown COUNT times (the bot's answer is the event waited for)."""
    deadline = time.monotonic() + 90
    while True:
        shown = screen(run)
        if shown.count(text) >= count:
            return shown
        if time.monotonic() > deadline:
            raise AssertionError(f"{text!r} never appeared {count}×; the screen shows:\n{shown}")
        time.sleep(0.1)  # polling the screen: the bot answers in its own process


def wait_for_prompt(run: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    """Waits until the console shows its prompt (the last line on screen is `>`), so a paste is a paste."""
    deadline = time.monotonic() + 90
    while True:
        lines = [line for line in screen(run).splitlines() if line.strip()]
        if lines and lines[-1].strip() == ">" and any("console playground" in line for line in lines):
            return
        assert time.monotonic() < deadline, "the console never showed its prompt:\n" + "\n".join(lines)
        time.sleep(0.1)


@pytest.mark.slow
def test_pasting_an_article_in_a_real_terminal(
    terminal: Callable[..., subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    run = terminal
    wait_for_prompt(run)
    (tmp_path / "paste.txt").write_text(ARTICLE, encoding="utf-8")
    run("load-buffer", str(tmp_path / "paste.txt"))
    run("paste-buffer", "-p", "-t", "precis")  # -p: as a bracketed paste, as terminals paste
    run("send-keys", "-t", "precis", "Enter")
    shown = wait_for(run, "[1] Longer summary")
    assert "Harbour Bridge Plan Approved After Long Debate" in shown and "#1" in shown
    assert "#2" not in shown

    run("send-keys", "-t", "precis", "/forget all", "Enter")
    wait_for(run, "[1] Delete everything")
    run("send-keys", "-t", "precis", "2", "Enter")
    wait_for(run, "Nothing was deleted.")

    run("send-keys", "-t", "precis", "Up", "Up", "Enter")  # history: /forget all again
    wait_for(run, "[1] Delete everything", count=2)
    run("send-keys", "-t", "precis", "1", "Enter")
    wait_for(run, "This chat's archive is empty.")
    run("send-keys", "-t", "precis", "C-d")
    deadline = time.monotonic() + 60
    while run("has-session", "-t", "precis", check=False).returncode == 0:  # the program ends, and its pane
        assert time.monotonic() < deadline, "Ctrl-D did not end the console"
        time.sleep(0.1)
    assert articles_in(tmp_path / "console.db") == 0
