"""The identity key of a link: one key for every spelling of the same page, different keys for different pages."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fetch.urls import canonical_url, is_telegram_link

BASE = "example.org/news/2025/harbour-bridge"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/news/2025/harbour-bridge",
        "http://example.org/news/2025/harbour-bridge",
        "HTTPS://EXAMPLE.ORG/news/2025/harbour-bridge",
        "https://www.example.org/news/2025/harbour-bridge",
        "https://example.org/news/2025/harbour-bridge/",
        "https://example.org:443/news/2025/harbour-bridge",
        "https://example.org/news/2025/harbour-bridge#comments",
        "https://example.org/news/2025/harbour-bridge?utm_source=telegram&utm_medium=social&utm_campaign=x",
        "https://example.org/news/2025/harbour-bridge?fbclid=IwAR0abc&gclid=1&yclid=2",
        "https://example.org/news//2025/harbour-bridge",
        "https://example.org/news/2025/harbour%2Dbridge",
        "  https://example.org/news/2025/harbour-bridge  ",
    ],
)
def test_spellings_of_one_page_have_one_key(url: str) -> None:
    assert canonical_url(url) == BASE


def test_parameters_that_choose_the_content_are_kept_in_any_order() -> None:
    a = canonical_url("https://example.org/article?id=12&page=2&utm_source=x")
    b = canonical_url("https://example.org/article?page=2&id=12")
    assert a == b == "example.org/article?id=12&page=2"
    assert canonical_url("https://example.org/article?id=13") != a


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://example.org/news/1", "https://example.org/news/2"),
        ("https://example.org/news/1", "https://example.com/news/1"),
        ("https://example.org:8080/news/1", "https://example.org/news/1"),
        ("https://news.example.org/a", "https://example.org/a"),
    ],
)
def test_different_pages_have_different_keys(a: str, b: str) -> None:
    assert canonical_url(a) != canonical_url(b)


def test_international_names_and_paths() -> None:
    assert canonical_url("https://пример.рф/новости?utm_term=1") == canonical_url(
        "https://xn--e1afmkfd.xn--p1ai/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8"
    )


@pytest.mark.parametrize("url", ["ftp://example.org/x", "mailto:a@example.org", "example.org/x", "http://", ""])
def test_what_is_not_a_web_link_has_no_key(url: str) -> None:
    assert canonical_url(url) is None


def test_telegram_links_are_told_apart() -> None:
    assert is_telegram_link("https://t.me/somechannel/12")
    assert is_telegram_link("https://telegram.me/joinchat/abc")
    assert not is_telegram_link("https://example.org/t.me")


@given(st.text(max_size=200))
def test_any_text_gives_a_key_or_none(text: str) -> None:
    key = canonical_url("https://example.org/" + text)
    assert key is None or key.startswith("example.org")
