"""Crash safety: a real bot process (polling the Bot API double on 127.0.0.1, or with `--webhook` taking its
updates on a webhook the double delivers to) is killed with SIGKILL during a burst of forwarded posts, then
started again on the same database. Counts, over every trial: posts lost, posts stored twice, posts never
answered, answers repeated, and the time from the restart to every post answered (process start, analysis of
what was interrupted, the cards).

    python -m bench.bench_crash [--trials 20] [--posts 50] [--seed 1] [--after-cards] [--webhook]

By default the kill comes at a random moment of the burst (0–2.5 s after the first card; cards go out at
20 a second); with
`--after-cards` it comes right after the double recorded a random number of cards, the moment where a card
Telegram accepted may not be recorded yet (the one repetition the README allows).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
from pathlib import Path

from tests.crashtrial import Trial, run_trial


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Posts lost or repeated across SIGKILLs during a burst.")
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--posts", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--after-cards", action="store_true", help="kill right after a random number of cards")
    parser.add_argument("--webhook", action="store_true", help="the bot behind a webhook instead of polling")
    parser.add_argument("--data", type=Path, help="unused: the posts are generated")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    trials: list[Trial] = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(args.trials):
            seed = rng.randrange(1_000_000)
            if args.after_cards:
                trial = run_trial(
                    Path(tmp) / str(n),
                    seed,
                    args.posts,
                    kill_after_cards=rng.randrange(0, args.posts),
                    webhook=args.webhook,
                )
            else:
                trial = run_trial(
                    Path(tmp) / str(n), seed, args.posts, kill_delay=rng.uniform(0.0, 2.5), webhook=args.webhook
                )
            trials.append(trial)
            when = (
                f"after {trial.kill_after_cards:2d} cards"
                if trial.kill_delay is None
                else f"{trial.kill_delay:4.2f} s after the first card"
            )
            print(
                f"trial {n + 1:2d}: killed {when} ({trial.cards_before_kill:2d} cards sent); lost {trial.lost}, "
                f"stored twice {trial.duplicates}, unanswered {trial.missing_cards}, "
                f"answered twice {trial.repeated_cards}; all answered {trial.restart_to_answered_s:.2f} s after "
                "the restart",
                flush=True,
            )
    times = [t.restart_to_answered_s for t in trials]
    total = args.trials * args.posts
    mode = "behind a webhook" if args.webhook else "polling"
    print(f"\n{args.trials} SIGKILLs during a burst of {args.posts} forwarded posts ({total} posts in all), {mode}")
    print(f"  posts lost            {sum(t.lost for t in trials)}")
    print(f"  posts stored twice    {sum(t.duplicates for t in trials)}")
    print(f"  posts never answered  {sum(t.missing_cards for t in trials)}")
    print(
        f"  cards sent twice      {sum(t.repeated_cards for t in trials)} "
        f"(in {sum(1 for t in trials if t.repeated_cards)} of {args.trials} kills; at most 1 per kill allowed)"
    )
    print(
        f"  restart → every post answered: median {statistics.median(times):.2f} s, max {max(times):.2f} s "
        "(includes the process start and the analysis worker's start)"
    )
    return 0 if all(t.lost == t.duplicates == t.missing_cards == 0 and t.repeated_cards <= 1 for t in trials) else 1


if __name__ == "__main__":
    sys.exit(main())
