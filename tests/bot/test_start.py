"""`precis run` with a token Telegram refuses: one line that says what to do, exit status 2, the token nowhere in
the output (PTB's own error log carries it in its traceback), and no HTTP session left open at exit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from analysis import people
from bot.app import build_application, running
from bot.config import Config
from tests.botapi import BotApiDouble, Fault

ROOT = Path(__file__).resolve().parents[2]


def test_a_refused_token_is_one_clear_line_and_never_printed(botapi: BotApiDouble, tmp_path: Path) -> None:
    botapi.inject("getMe", Fault.error(401, "Unauthorized"))
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": botapi.token,
        "TELEGRAM_API_URL": botapi.url,
        "PRECIS_DB": str(tmp_path / "precis.db"),
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert lines[-1] == (
        "precis: configuration error: Telegram refused TELEGRAM_BOT_TOKEN (revoked, or of another bot): "
        "copy it again from @BotFather"
    )
    assert botapi.token not in done.stderr + done.stdout
    assert "Unclosed" not in done.stderr


async def test_the_bot_starts_with_the_name_tables_built(botapi: BotApiDouble, tmp_path: Path) -> None:
    # Built on first use, they took 30-40 ms on the event loop while the first article of a burst was stored.
    for table in (people._titles, people._script_titles, people._organisations):
        table.cache_clear()
    config = Config(token=botapi.token, api_url=botapi.url, db_path=tmp_path / "precis.db")
    async with running(build_application(config)):
        for table in (people._titles, people._script_titles, people._organisations):
            assert table.cache_info().currsize >= 1, table
