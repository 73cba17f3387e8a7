"""Three bot processes share the work on one PostgreSQL database, in webhook mode behind a load balancer (the
Bot API double delivers the updates to them in turn), and one is killed with SIGKILL in the middle of the
burst, then started again: every article is stored once, every series joined into one article whichever
process received each part, every duplicate folded, every arrival answered; and 100 other chats, whose daily
digests fell due before the processes started (so all three race for them at their start, and the restarted
one looks at them again), each receive their digest's every part once. The process killed is the one whose
digest part is on its way to Telegram, held there unaccepted: that digest is sent by another process, once.

The burst is 60 posts here, to keep the suite quick; `python -m bench.bench_shared` runs the issue's 300."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sharedtrial import run_shared_trial

pytestmark = [pytest.mark.timeout(600), pytest.mark.slow]


def test_three_processes_share_a_burst_and_survive_a_kill(tmp_path: Path, postgres_url: str) -> None:
    trial = run_shared_trial(tmp_path, postgres_url, posts=60, chats=6, processes=3, seed=3, digest_chats=100)
    context = f"{trial}"[:3000] + "\n" + trial.logs[-6000:]
    assert trial.posts == 60
    assert trial.articles_expected == 45 and trial.answers_expected == 50, context
    assert trial.lost == 0, context
    assert trial.stored_twice == 0, context
    assert trial.articles_stored == trial.articles_expected, context
    assert trial.series_not_joined == 0, context
    assert trial.duplicates_not_folded == 0, context
    assert trial.missing_answers == 0, context
    # A kill right after Telegram accepted a card, before the bot recorded it, repeats that one card.
    assert trial.repeated_answers <= 1, context
    assert trial.unfinished_updates == 0 and trial.claims_left == 0, context
    # The load balancer spread the updates over the three processes (the killed one's address, too).
    assert len(trial.answered_by) == 3, context
    digests = trial.digests
    assert digests is not None and digests.unsent == 0, f"{digests}\n{context}"
    assert digests.parts_expected >= 100 and digests.missing_parts == 0, f"{digests}\n{context}"
    # Every part once; a kill right after Telegram accepted a part, before its sender recorded it, sends that
    # part again (storage/digests.py), and only a part of the killed process's digests can be in that window.
    assert digests.repeated_parts <= 1, f"{digests}\n{context}"
    assert digests.parts_received == digests.parts_expected + digests.repeated_parts, f"{digests}\n{context}"
    assert "Traceback" not in trial.logs, context
