"""`precis people` and `precis quotes` after articles of the kind that used to fill /people with ordinary words
and one person under several names: no common word is a person, an organisation has one name, a person the
fullest name the archive knows, in every language."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storage.db import Database
from storage.repository import LOCAL_CHAT_ID, Repository, Source
from tests.bot.conftest import archive_of, run_on

BUILDERS = """Builders warn of shortage

Construction firms say the labour market is too tight to meet the housing target.
Construction output fell for the third month running, official figures show. "We cannot build homes without the \
people to build them," he said.
Digby Jones, director general of the CBI, said the government had ignored the warning for years.
Sir Digby said employers would pay the price. "The bill lands on the shop floor," he said.
Consumer groups said prices would rise as a result.
Consumer spending has slowed, and consumer confidence is weak. "Families are already stretched," he added.
"""

TAX = """Tax row deepens

Shadow chancellor Oliver Letwin attacked the plans on Monday.
Shadow ministers said the tax would hurt families. "It is a stealth tax by another name," he said.
Liberal Democrat Sarah Teather said the policy had failed. "It is a mess from start to finish," she said.
The Lib Dems said the vote was a triumph. The Liberal Democrats said they would win more seats at the election.
Lib Dem leaders said the party was united behind the plan.
"""

LEVY = """Business leaders split

Digby told the conference that the levy was unworkable.
"It will cost jobs in every region," Digby said on Tuesday.
"""

TALKS = """Путин ответил журналистам

Путин заявил, что переговоры продолжатся. «Мы готовы к диалогу, но не на любых условиях», — сказал Путин.
"""

MEETING = """Владимир Путин провёл совещание

Президент России Владимир Путин заявил, что экономика растёт. «Мы прошли самый трудный период», — сказал \
Владимир Путин.
"""


@pytest.fixture
async def archive(tmp_path: Path) -> Path:
    return await archive_of(tmp_path / "precis.db", (BUILDERS, TAX, LEVY, TALKS, MEETING), Source("pasted"))


def run(archive: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    return run_on(archive, capsys, *args)


def test_people_lists_no_common_word_and_each_speaker_once(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(archive, capsys, "people", "--json")
    assert code == 0
    listed = {entry["name"]: entry["kind"] for entry in json.loads(out)}
    assert not {"Construction", "Consumer", "Shadow"} & set(listed)
    assert not {"Digby", "Путин", "Lib Dem", "Lib Dems", "Liberal Democrat Sarah Teather"} & set(listed)
    assert {"Digby Jones", "Sarah Teather", "Владимир Путин"} <= set(listed)
    assert listed["Liberal Democrats"] == "organization"


@pytest.mark.parametrize(
    ("query", "speaker"),
    [
        ("Путин", "Владимир Путин"),
        ("Путина", "Владимир Путин"),
        ("Putin", "Владимир Путин"),
        ("Vladimir Putin", "Владимир Путин"),
        ("President Putin", "Владимир Путин"),
        ("Putin's", "Владимир Путин"),
        ("Digby", "Digby Jones"),
        ("Lib Dems", "Liberal Democrats"),
        ("Liberal Democrat", "Liberal Democrats"),
        ("Sarah Teather", "Sarah Teather"),
    ],
)
def test_every_statement_carries_the_fullest_name(
    archive: Path, capsys: pytest.CaptureFixture[str], query: str, speaker: str
) -> None:
    code, out, _ = run(archive, capsys, "quotes", query, "--json")
    assert code == 0
    found = json.loads(out)
    assert found and {q["speaker"] for q in found} == {speaker}


def test_a_typo_still_gets_did_you_mean(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(archive, capsys, "quotes", "Digbi Jones")
    assert (code, out) == (1, "") and "Did you mean Digby Jones?" in err


async def test_the_export_shows_one_name_per_person(archive: Path) -> None:
    db = await Database.open(archive)
    try:
        exported = await Repository(db).export_articles(LOCAL_CHAT_ID)
    finally:
        await db.close()
    speakers = {q["speaker"] for article in exported for q in article["quotes"]}
    assert "Владимир Путин" in speakers and "Digby Jones" in speakers
    assert not {"Путин", "Digby", "Lib Dem", "Lib Dems", "Shadow", "Construction"} & speakers
