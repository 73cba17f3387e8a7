"""Several bot processes sharing one PostgreSQL database, one of them killed in the middle of a burst.

    python -m bench.bench_shared [--posts 300] [--processes 3] [--trials 1] [--postgres URL]

Three bot processes (real subprocesses) in webhook mode on one database, the Bot API double delivering the
updates to them in turn as a load balancer would; forwarded posts from two channels into twelve chats,
with 3-part series and duplicates; one process killed with SIGKILL after a third of the answers, then started
again. Beside the burst, 100 chats have a daily digest due since before the processes started: they race for
them, and the process killed is the one whose digest part is held on its way to Telegram. Prints what was
lost, stored twice, not joined, not folded, not answered and answered twice, and the digests' parts missing
and repeated (the test suite runs the same trial with 60 posts).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from bench.bench_postgres import postgres_server
from tests.sharedtrial import run_shared_trial


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=300)
    parser.add_argument("--processes", type=int, default=3)
    parser.add_argument("--chats", type=int, default=12)
    parser.add_argument("--digest-chats", type=int, default=100)
    parser.add_argument("--trials", type=int, default=1)
    parser.add_argument("--postgres", help="a PostgreSQL URL with a role that may create databases")
    args = parser.parse_args(argv)
    with postgres_server(args.postgres) as databases, tempfile.TemporaryDirectory() as tmp:
        for n in range(args.trials):
            url = databases.create()
            started = time.monotonic()
            try:
                trial = run_shared_trial(
                    Path(tmp) / f"trial{n}",
                    url,
                    posts=args.posts,
                    chats=args.chats,
                    processes=args.processes,
                    seed=100 + n,
                    digest_chats=args.digest_chats,
                    timeout=900,
                )
            finally:
                databases.drop(url)
            took = time.monotonic() - started
            print(
                f"trial {n + 1}: {trial.posts} posts, {trial.processes} processes, killed after "
                f"{trial.kill_at_answers} of {trial.answers_expected} answers, {took:.0f} s"
            )
            print(f"  articles stored      {trial.articles_stored} of {trial.articles_expected}")
            print(f"  lost                 {trial.lost}")
            print(f"  stored twice         {trial.stored_twice}")
            print(f"  series not joined    {trial.series_not_joined}")
            print(f"  duplicates not folded {trial.duplicates_not_folded}")
            print(f"  arrivals unanswered  {trial.missing_answers}")
            print(f"  answered twice       {trial.repeated_answers}")
            print(f"  updates unfinished   {trial.unfinished_updates}, claims left {trial.claims_left}")
            spread = ", ".join(str(n) for _, n in sorted(trial.answered_by.items()))
            print(f"  deliveries accepted per process address: {spread}")
            if trial.digests is not None:
                d = trial.digests
                print(f"  digests: {d.chats} chats, {d.parts_expected} parts sent, {d.parts_received} received")
                print(f"    parts missing {d.missing_parts}, repeated {d.repeated_parts}, digests unsent {d.unsent}")
                senders = ", ".join(
                    f"{n}{' (the killed process)' if pid == trial.victim_pid else ''}"
                    for pid, n in sorted(trial.digests.senders.items())
                )
                print(f"    digests sent per process: {senders}")
            print(f"  load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
