"""The CLI on a chat's archive, called in-process through its `main` as a shell would call it: options in any
place, export, forget, settings, subscriptions, filters, empty results and every failure as one line."""

from __future__ import annotations

import io
import json
import sqlite3
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from analysis.pipeline import analyze
from bot.cli import build_parser, main
from storage.db import Database, latest_version
from storage.repository import LOCAL_CHAT_ID, Repository, Source
from tests.e2e.articles import ARCHIVE_POST, HARBOUR_TAX_POST
from usecases.ingest import store_analysis
from usecases.services import Analyzer


@pytest.fixture
async def archive(tmp_path: Path) -> Path:
    path = tmp_path / "precis.db"
    db = await Database.open(path)
    repo = Repository(db)
    for text in (ARCHIVE_POST, HARBOUR_TAX_POST):
        article, _ = await repo.add_article(LOCAL_CHAT_ID, text, Source("file", "post.txt"))
        await store_analysis(repo, article.id, analyze(text))
    await db.close()
    return path


def run(
    capsys: pytest.CaptureFixture[str], *args: str, pool: ProcessPoolExecutor | None = None
) -> tuple[int, str, str]:
    code = main(list(args), analyzer=Analyzer(pool) if pool else None)
    out, err = capsys.readouterr()
    return code, out, err


def test_global_options_go_before_or_after_the_command(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = run(capsys, "--db", str(archive), "--json", "people")
    after = run(capsys, "people", "--db", str(archive), "--json")
    mixed = run(capsys, "--json", "people", "--db", str(archive))
    assert before == after == mixed and before[0] == 0
    assert json.loads(before[1])[0] == {"name": "Luc Moreau", "kind": "person", "quotes": 7}
    # --chat after the command, --db before it: another chat's archive is empty, and says so.
    assert run(capsys, "--db", str(archive), "people", "--chat", "5", "--json")[:2] == (0, "[]\n")
    code, out, _ = run(capsys, "--chat", "5", "people", "--db", str(archive))
    assert code == 0 and out.startswith("No one is quoted in this chat yet.")


def test_help_names_article_numbers_id_and_describes_every_option() -> None:
    parser = build_parser()
    subcommands = next(a for a in parser._actions if a.dest == "command").choices
    assert subcommands is not None
    for name, sub in [("precis", parser), *subcommands.items()]:
        for action in sub._actions:
            if action.dest != "help":
                assert action.help, f"{name} {action.option_strings or action.dest} has no description"
            assert action.metavar != "N" or action.dest not in ("article", "number"), (name, action.dest)
        for action in sub._actions:
            if action.dest == "article":
                assert action.metavar == "ID", name


def test_export_prints_or_writes_what_export_sends(
    archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "export", "--db", str(archive))
    assert code == 0
    exported = json.loads(out)
    assert [a["number"] for a in exported["articles"]] == [1, 2]
    assert exported["articles"][1]["title"] == "Harbour Tax Vote Delayed" and exported["chat_id"] == LOCAL_CHAT_ID
    target = tmp_path / "out" / "archive.json"
    target.parent.mkdir()
    code, out, err = run(capsys, "--db", str(archive), "export", "-o", str(target))
    assert (code, out) == (0, "") and json.loads(target.read_text("utf-8"))["articles"] == exported["articles"]
    # Another chat's archive is empty: an empty list, not an error.
    code, out, _ = run(capsys, "--db", str(archive), "export", "--chat", "5")
    assert code == 0 and json.loads(out)["articles"] == []
    code, _, err = run(capsys, "--db", str(archive), "export", "-o", str(tmp_path / "missing" / "x.json"))
    assert code == 1 and err.count("\n") == 1 and "No such file or directory" in err


def test_forget_one_or_all(archive: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    db = str(archive)
    assert run(capsys, "--db", db, "forget", "1")[:2] == (
        0,
        "Article #1 is deleted, with its summary, quotes and dates.\n",
    )
    code, _, err = run(capsys, "--db", db, "forget", "1")
    assert code == 1 and err == "precis forget: There is no article #1 in this chat. The newest is #2.\n"
    # Without a terminal to ask on, --all wants --yes, and nothing is deleted.
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, _, err = run(capsys, "--db", db, "forget", "--all")
    assert code == 2 and "add --yes" in err
    # On a terminal it asks first; "n" keeps everything.
    monkeypatch.setattr("sys.stdin", Terminal("n\n"))
    code, out, err = run(capsys, "--db", db, "forget", "--all")
    assert code == 1 and err.startswith("Delete the only article this chat stored") and "[y/N]" in err
    assert out == "Nothing was deleted.\n"
    monkeypatch.setattr("sys.stdin", Terminal("y\n"))
    assert run(capsys, "--db", db, "forget", "--all")[:2] == (
        0,
        "Deleted the only article. This chat's archive is empty.\n",
    )
    assert run(capsys, "--db", db, "summary")[0] == 1


def test_forget_all_for_scripts(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "forget", "--all", "--yes", "--db", str(archive))
    assert (code, out) == (0, "Deleted 2 articles. This chat's archive is empty.\n")
    assert run(capsys, "forget", "--db", str(archive))[0] == 2  # neither an ID nor --all


class Terminal(io.StringIO):
    """Standard input as a person at a terminal types it."""

    def isatty(self) -> bool:
        return True


def test_settings_shown_changed_and_as_json(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(archive)
    code, out, _ = run(capsys, "--db", db, "settings")
    assert code == 0 and "Summary length: 3 sentences" in out
    assert run(capsys, "--db", db, "settings", "sentences", "5")[:2] == (
        0,
        "Done: summaries in this chat now have 5 sentences.\n",
    )
    code, _, err = run(capsys, "--db", db, "settings", "sentences", "50")
    assert (
        code == 1
        and err == "precis settings: A summary can have from 1 to 20 sentences, for example /settings sentences 5.\n"
    )
    code, out, _ = run(capsys, "--db", db, "settings", "--json")
    assert json.loads(out) == {"language": "auto", "sentences": 5, "timezone": "UTC", "empty_digest": False}
    code, out, _ = run(capsys, "--db", db, "summary", "2", "--json")
    assert len(json.loads(out)["sentences"]) == 5


def test_subscriptions_of_the_local_chat(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(archive)
    code, out, _ = run(capsys, "--db", db, "subscribe", "daily", "08:00", "Europe/Riga")
    assert code == 0 and out.startswith("✅ Subscribed: daily at 08:00 (Europe/Riga).")
    code, out, _ = run(capsys, "--db", db, "subscriptions")
    # One subscription: the suggestion names the one that exists.
    assert "1. daily at 08:00" in out and "/unsubscribe 1 stops it" in out and "/unsubscribe 2" not in out
    run(capsys, "--db", db, "subscribe", "every", "6h")
    code, out, _ = run(capsys, "--db", db, "subscriptions", "--json")
    assert [(s["number"], s["schedule"]) for s in json.loads(out)] == [(1, "daily 08:00"), (2, "every 6h")]
    assert "/unsubscribe 2 stops the last one" in run(capsys, "--db", db, "subscriptions")[1]
    code, _, err = run(capsys, "--db", db, "unsubscribe", "3")
    assert code == 1 and err.count("\n") == 1
    assert run(capsys, "--db", db, "unsubscribe", "1")[:2] == (0, "Stopped: daily at 08:00.\n")
    code, _, err = run(capsys, "--db", db, "subscribe", "hourly", "at", "noon")
    assert code == 1 and err.count("\n") == 1 and err.startswith("precis subscribe: ")


def test_quotes_of_a_name_in_one_article(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(archive)
    code, out, _ = run(capsys, "--db", db, "quotes", "Moreau", "--article", "2", "--json")
    found = json.loads(out)
    assert code == 0 and found and {q["article_id"] for q in found} == {2} and "Moreau" in found[0]["speaker"]
    code, out, _ = run(capsys, "--db", db, "quotes", "Hale", "--article", "2", "--json")
    assert (code, out) == (0, "[]\n")  # Hale is quoted, but not in article 2
    code, out, _ = run(capsys, "--db", db, "quotes", "Hale", "--article", "2")
    assert (code, out) == (0, "Henry Hale is not quoted in article #2.\n")
    code, _, err = run(capsys, "--db", db, "quotes", "Hale", "--article", "9")
    assert code == 1 and "There is no article #9" in err


@pytest.fixture
async def quiet(tmp_path: Path) -> Path:
    """An archive of one article in which no one is quoted and nothing is dated."""
    path = tmp_path / "quiet.db"
    db = await Database.open(path)
    repo = Repository(db)
    text = "Storm Closes Harbour\n\nThe harbour was closed as a storm reached the coast. Ferries stayed in port."
    article, _ = await repo.add_article(LOCAL_CHAT_ID, text, Source("cli"))
    await store_analysis(repo, article.id, analyze(text))
    await db.close()
    return path


def test_an_article_without_statements_is_an_empty_result(quiet: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = quiet
    assert run(capsys, "--db", str(path), "quotes", "--article", "1", "--json")[:2] == (0, "[]\n")
    assert run(capsys, "--db", str(path), "quotes", "--article", "1")[:2] == (
        0,
        "I found no statements in article #1.\n",
    )
    assert run(capsys, "--db", str(path), "timeline", "--json")[:2] == (0, "[]\n")


# -- failures: one line on standard error, a non-zero exit, never a traceback -----------------------------------


def one_line_failure(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code, out, err = run(capsys, *args)
    assert code != 0 and out == "" and err.count("\n") == 1 and "Traceback" not in err, (code, err)
    return err


def test_a_file_that_is_not_a_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bogus = tmp_path / "x.db"
    bogus.write_text("hi\n")
    for command in ("people", "summary", "export", "settings"):
        err = one_line_failure(capsys, "--db", str(bogus), command)
        assert err == f"precis: cannot use {bogus} as a database: file is not a database\n"
    assert bogus.read_text() == "hi\n"  # left as it was


def test_a_directory_or_a_path_that_cannot_be_opened(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for _ in range(3):  # the worker thread's late report to a closed loop came in most runs, not all
        err = one_line_failure(capsys, "--db", str(tmp_path), "people")
        assert err == f"precis: cannot open database {tmp_path}: it is a directory, not a file\n"
    dangling = tmp_path / "link.db"
    dangling.symlink_to(tmp_path / "gone" / "away" / "x.db")  # SQLite itself fails to open it
    for _ in range(3):
        assert "unable to open database file" in one_line_failure(capsys, "--db", str(dangling), "people")


def test_a_database_newer_than_the_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    newer = tmp_path / "newer.db"
    with sqlite3.connect(newer) as conn:
        conn.execute(f"PRAGMA user_version = {latest_version() + 1}")
    err = one_line_failure(capsys, "--db", str(newer), "people")
    assert "newer than this code understands" in err


def test_bad_arguments(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = one_line_failure(capsys, "--db", str(archive), "ingest", "x.txt", "--published", "last week")
    assert "--published wants an ISO 8601 date" in err
    code, out, err = run(capsys, "--db", str(archive), "ingest", "ftp://example.org/a.txt", "mailto:ed@example.org")
    assert code == 1 and "only http and https links are followed, not ftp" in out and "not mailto" in out


def test_ingest_published_gives_undated_text_its_anchor(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], analysis_pool: ProcessPoolExecutor
) -> None:
    body = (
        "Harbour Bridge To Reopen\n\n"
        "Officials said yesterday that the harbour bridge will reopen on 5 May after two years of repairs. "
        "Traders expect the first ferries to stop running on 5 May as well, the port authority said.\n"
    )
    (tmp_path / "plain.txt").write_text(body, "utf-8")
    (tmp_path / "dated.txt").write_text("1 March 2005\n\n" + body.replace("Harbour", "Old Harbour"), "utf-8")
    (tmp_path / "open.txt").write_text(body.replace("Harbour", "New Harbour"), "utf-8")
    db = str(tmp_path / "cli.db")
    for name in ("plain.txt", "dated.txt"):
        code, _, err = run(
            capsys, "--db", db, "ingest", str(tmp_path / name), "--published", "2005-02-14", pool=analysis_pool
        )
        assert code == 0, err
    assert run(capsys, "--db", db, "ingest", str(tmp_path / "open.txt"), pool=analysis_pool)[0] == 0

    def dates(number: int) -> list[str]:
        code, out, _ = run(capsys, "--db", db, "timeline", "--article", str(number), "--json")
        assert code == 0
        return sorted({entry["date"] for entry in json.loads(out)})

    assert dates(1) == ["2005-02-13", "2005-05-05"]  # counted from --published: one 5 May, the next one
    assert dates(2) == ["2005-02-28", "2005-05-05"]  # the date line of the text wins over --published
    assert dates(3) == ["XXXX-05-05"]  # nothing says when: 5 May has no year, "yesterday" is no day
    code, out, _ = run(capsys, "--db", db, "summary", "3", "--json")
    assert json.loads(out)["published_at"] is None
