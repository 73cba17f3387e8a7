"""Recovery: the time from a bot process dying to its chats being served by another process.

    python -m bench.bench_recovery [--trials 5] [--mode kill|hang] [--lease 15] [--postgres URL]

Three bot processes (real subprocesses) in webhook mode on one PostgreSQL database, the Bot API double
delivering updates to them in turn. In each trial a chat gets a forwarded channel post, whose series waits
30 s for a next part, so the process that took it holds the chat; that process is then killed with SIGKILL
(`kill`: a process of the same machine that is gone is recognised at once) or stopped with SIGSTOP (`hang`: a
process that hangs, or a machine that went away, is recognised when its lease runs out), and `/help` is sent
in the chat at once. The figure is from the signal to the reply to that `/help` being accepted by the double
(its clock); the process is then killed if it was not, and started again for the next trial.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psycopg

from bench.bench_bot import reply_to
from bench.bench_postgres import postgres_server
from tests.botapi import BotApiDouble, origin_channel
from tests.crashtrial import BotProcess, article, wait_for
from tests.sharedtrial import bot_env, free_ports, started, until


def holder_of(url: str, chat_id: int) -> str | None:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT claimed_by FROM chat_claims WHERE chat_id = %s", (chat_id,)).fetchone()
    return str(row[0]) if row else None


def run(url: str, workdir: Path, trials: int, mode: str, lease: float, processes: int = 3) -> list[float]:
    ports = free_ports(processes)
    extra = {"PRECIS_SERIES_WAIT": "30", "PRECIS_CLAIM_LEASE": str(lease)}
    figures: list[float] = []
    with BotApiDouble() as api:
        bots = [
            BotProcess(api, Path(url), workdir / f"bot{i}.log", bot_env(url, p, extra)) for i, p in enumerate(ports)
        ]
        runs = [1] * processes
        try:
            for i, bot in enumerate(bots):
                until(lambda b=bot, i=i: started(b, runs[i]), "the bot to start", timeout=300, process=bot)
            api.balance_webhook([f"http://127.0.0.1:{p}/hook" for p in ports])
            for n in range(trials):
                chat_id = 990_001 + n
                posted = int(time.time()) - 600
                api.push_message(
                    chat_id, article(n), forward_origin=origin_channel(-1009900, "Wire", message_id=10 + n, date=posted)
                )
                until(lambda c=chat_id: holder_of(url, c) is not None, "the chat to be claimed", timeout=120)
                holder = holder_of(url, chat_id) or ""
                pid = int(holder.split(":")[1])
                victim = next(i for i, b in enumerate(bots) if b.pid == pid)
                if mode == "kill":
                    bots[victim].kill()
                else:
                    os.kill(pid, signal.SIGSTOP)
                signalled = time.time()
                asked = api.push_command(chat_id, "/help").message_id
                reply = wait_for(api, lambda c=chat_id, m=asked: reply_to(api, c, m), "the reply", timeout=lease + 120)
                figures.append(reply.at - signalled)
                print(f"  trial {n + 1}: served by another process after {figures[-1] * 1000:.0f} ms", flush=True)
                bots[victim].close()  # SIGKILL if it was only stopped
                runs[victim] += 1
                bots[victim] = BotProcess(api, Path(url), bots[victim].log_path, bot_env(url, ports[victim], extra))
                until(lambda v=victim: started(bots[v], runs[v]), "the bot to start again", timeout=300)
        finally:
            for bot in bots:
                bot.close()
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=5)
    parser.add_argument("--mode", choices=("kill", "hang"), default="kill")
    parser.add_argument("--lease", type=float, default=15.0, help="PRECIS_CLAIM_LEASE of the processes")
    parser.add_argument("--postgres", help="a PostgreSQL URL with a role that may create databases")
    args = parser.parse_args(argv)
    start_load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    with postgres_server(args.postgres) as databases, tempfile.TemporaryDirectory() as tmp:
        url = databases.create()
        try:
            figures = run(url, Path(tmp), args.trials, args.mode, args.lease)
        finally:
            databases.drop(url)
    what = "SIGKILL (same machine)" if args.mode == "kill" else f"SIGSTOP (lease {args.lease:g} s)"
    print(
        f"recovery after {what}, {len(figures)} trials: median {statistics.median(figures) * 1000:.0f} ms, "
        f"max {max(figures) * 1000:.0f} ms"
    )
    end_load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{os.cpu_count()} cores; load average at the start {start_load}, at the end {end_load}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
