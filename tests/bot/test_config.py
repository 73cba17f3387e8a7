"""Configuration: validated at start with one clear line, and the token never logged."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.config import ConfigError, load_config
from bot.logs import RedactToken

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


def test_defaults_without_a_token(tmp_path: Path) -> None:
    config = load_config({}, env_file=None)
    assert config.token is None and config.webhook_url is None and config.workers == 1


def test_the_environment_wins_over_the_env_file(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(f"TELEGRAM_BOT_TOKEN={TOKEN}\nPRECIS_WORKERS=3\n", encoding="utf-8")
    config = load_config({"PRECIS_WORKERS": "2"}, env_file=env_file)
    assert config.token == TOKEN and config.workers == 2


def test_a_self_hosted_bot_api_url(tmp_path: Path) -> None:
    config = load_config({"TELEGRAM_API_URL": "http://127.0.0.1:8081/bot/"}, env_file=None)
    assert config.base_url == "http://127.0.0.1:8081/bot"
    assert config.base_file_url == "http://127.0.0.1:8081/file/bot"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("TELEGRAM_BOT_TOKEN", "12345", "does not look like a bot token"),
        ("TELEGRAM_API_URL", "ftp://example.org", "must be an http(s) URL"),
        ("PRECIS_WEBHOOK_URL", "not a url", "must be an http(s) URL"),
        ("PRECIS_WORKERS", "many", "must be a whole number"),
        ("PRECIS_WORKERS", "0", "must be from 1 to 64"),
        ("PRECIS_LOG_LEVEL", "LOUD", "must be DEBUG, INFO, WARNING or ERROR"),
        ("PRECIS_FETCH_ALLOW", "10.0.0.0/33", "PRECIS_FETCH_ALLOW must list networks"),
        ("PRECIS_SUMMARY_METHOD", "gpt", "PRECIS_SUMMARY_METHOD must be one of precis, luhn"),
    ],
)
def test_bad_settings_fail_with_one_clear_line(name: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_config({name: value}, env_file=None)
    assert message in str(raised.value) and "\n" not in str(raised.value)


def test_the_summary_method_is_ours_unless_a_sumy_method_is_named() -> None:
    assert load_config({}, env_file=None).summary_method == "precis"
    assert load_config({"PRECIS_SUMMARY_METHOD": "LexRank"}, env_file=None).summary_method == "lexrank"


async def test_the_summary_method_chosen_is_the_one_the_analysis_uses() -> None:
    from concurrent.futures import ThreadPoolExecutor

    from analysis.sentences import split_sentences
    from analysis.summarize import rank_sentences
    from usecases.services import Analyzer

    text = (
        "The council met on Monday. The council approved the harbour budget after a long debate. "
        "Fishermen said the harbour budget came too late. The weather was calm. "
        "The mayor thanked the council for the budget."
    )
    for method in ("precis", "luhn"):
        with ThreadPoolExecutor(1) as pool:
            analysis = await Analyzer(pool, summary_method=method).analyze(text, None)
        ranked = sorted(analysis.sentences, key=lambda s: s.rank)
        expected = rank_sentences(split_sentences(analysis.text, "en"), "en", analysis.title, method)
        assert [s.index for s in ranked] == expected
    assert rank_sentences(analysis.sentences, method="luhn") != rank_sentences(analysis.sentences)


def test_the_token_is_not_in_the_config_repr() -> None:
    assert TOKEN not in repr(load_config({"TELEGRAM_BOT_TOKEN": TOKEN}, env_file=None))


def test_the_token_is_scrubbed_from_log_records() -> None:
    record = logging.LogRecord("httpx", logging.INFO, __file__, 1, "POST %s", (f"https://x/bot{TOKEN}/getMe",), None)
    RedactToken(TOKEN).filter(record)
    assert TOKEN not in record.getMessage() and "<token>" in record.getMessage()
