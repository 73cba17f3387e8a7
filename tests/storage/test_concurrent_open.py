"""Ten processes opening one new database at the same moment: every one of them migrates or finds it migrated,
none fails ("table chats already exists", "duplicate column", "database is locked" switching to WAL)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from storage.db import latest_version

PROCESSES = 10

CHILD = """
import asyncio, os, sys, time
from storage.db import Database

db_path, barrier = sys.argv[1], sys.argv[2]
print("ready", flush=True)
while not os.path.exists(barrier):  # the barrier: every process starts opening at the same moment
    time.sleep(0.0005)

async def main():
    db = await Database.open(db_path)
    version = await db.version()
    async with db.reader.execute("PRAGMA journal_mode") as cur:
        mode = (await cur.fetchone())[0]
    await db.close()
    print(version, mode, flush=True)

asyncio.run(main())
"""


def open_together(db_path: Path, barrier: Path) -> list[tuple[int, str, str]]:
    root = Path(__file__).resolve().parents[2]
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, str(db_path), str(barrier)],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    try:
        for child in children:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "ready"
        barrier.touch()
        results = []
        for child in children:
            out, err = child.communicate(timeout=120)
            results.append((child.returncode, out.strip(), err))
        return results
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()


@pytest.mark.slow
def test_ten_processes_open_a_new_database_at_once(tmp_path: Path) -> None:
    for round_ in range(3):
        results = open_together(tmp_path / f"new{round_}.db", tmp_path / f"go{round_}")
        failures = [err for code, _, err in results if code != 0]
        assert not failures, failures[0][-2000:]
        assert {out for _, out, _ in results} == {f"{latest_version()} wal"}
