"""A real bot process killed with SIGKILL during a burst of forwarded posts (20 here; bench/bench_crash.py
runs many trials of 50 at moments drawn at random), then started again: nothing
lost, nothing stored twice, every post answered, and at most the one card Telegram accepted in the instant
before the kill answered twice (the guarantee the README states)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.crashtrial import run_trial

pytestmark = pytest.mark.slow  # bot processes


@pytest.mark.parametrize(
    "kill_after_cards",
    [
        -1,  # the burst fetched (and committed to the inbox), nothing stored or answered yet
        8,  # in the middle: some answered, some analysed, some stored raw, some still in the inbox
    ],
)
def test_a_kill_during_a_burst_loses_nothing_and_answers_everything(tmp_path: Path, kill_after_cards: int) -> None:
    trial = run_trial(tmp_path, seed=16, posts=20, kill_after_cards=kill_after_cards)
    context = f"{trial}\n{trial.log[-4000:]}"
    assert trial.lost == 0, context
    assert trial.duplicates == 0, context
    assert trial.missing_cards == 0, context
    # A kill right after Telegram accepted a card, before the bot recorded it, repeats that one card.
    assert trial.repeated_cards <= 1, context
    assert "Traceback" not in trial.log, context


def test_a_kill_behind_a_webhook_loses_nothing_and_answers_everything(tmp_path: Path) -> None:
    # Behind a webhook an update is answered 200 only once it is committed: what the kill interrupts, Telegram
    # (the double) delivers again to the next start, which registered the webhook with a secret of its own.
    trial = run_trial(tmp_path, seed=17, posts=20, kill_after_cards=6, webhook=True)
    context = f"{trial}\n{trial.log[-4000:]}"
    assert trial.lost == 0, context
    assert trial.duplicates == 0, context
    assert trial.missing_cards == 0, context
    assert trial.repeated_cards <= 1, context
    assert "Traceback" not in trial.log, context
