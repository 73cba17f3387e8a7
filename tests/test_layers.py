"""The layers hold: nothing below handlers/ brings in Telegram, and the CLI can ingest a file without it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TELEGRAM_FREE = ("usecases", "views", "storage", "analysis", "fetch")


def modules_of(package: str) -> list[str]:
    return sorted(
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for path in (ROOT / package).rglob("*.py")
    )


@pytest.mark.slow
def test_nothing_below_the_handlers_nor_the_cli_imports_telegram() -> None:
    modules = [m for package in TELEGRAM_FREE for m in modules_of(package)] + ["bot.cli", "bot.compose"]
    assert "usecases.ingest" in modules and "views.i18n" in modules  # the walk found the packages
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'telegram' or m.startswith('telegram.'))\n"
        "print(','.join(loaded))\n"
    )
    # A fresh interpreter: this test process has imported telegram long ago.
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""
