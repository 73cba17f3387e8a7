"""Article extraction from HTML pages the tests write themselves."""

from __future__ import annotations

import socket
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.html import ExtractedPage, decode_body, extract_article, parse_datetime

PARAGRAPHS = [
    "The regional council voted on Thursday to build a new ferry terminal on the eastern shore, ending a "
    "debate that had divided the island's two largest towns for more than a decade.",
    '"This is the most important investment in our transport links since the bridge," said council leader '
    "Jonas Eriksen after the vote, which passed by 31 votes to 12.",
    "Opponents argued that the money would be better spent on the existing harbour, where queues in the "
    "summer season often stretch for several kilometres along the coast road.",
    "Construction is expected to begin in the spring of 2026 and to take about three years, according to "
    "the council's own estimate, which puts the total cost at 85 million euros.",
]


def news_page(
    *,
    jsonld: str | None = None,
    head: str = "",
    lang: str = "en",
    paragraphs: list[str] = PARAGRAPHS,
    extra_body: str = "",
) -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    script = f'<script type="application/ld+json">{jsonld}</script>' if jsonld else ""
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<title>Council backs new ferry terminal - Island Herald</title>
{head}{script}
</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/weather">Weather</a></li><li><a href="/contact">Contact us</a></li></ul></nav></header>
<main><article><h1>Council backs new ferry terminal</h1>
<div class="byline">By Lena Holm</div>
{body}
{extra_body}
</article></main>
<aside><h3>Most read</h3><ul><li><a href="/a">Storm closes schools</a></li>
<li><a href="/b">Local team wins cup</a></li></ul></aside>
<footer><p>Subscribe to our newsletter for the latest island news in your inbox.</p>
<p>© 2025 Island Herald. All rights reserved.</p></footer>
</body></html>"""


JSONLD = """{"@context": "https://schema.org", "@graph": [
 {"@type": "WebSite", "name": "Island Herald"},
 {"@type": "NewsArticle", "headline": "Council backs new ferry terminal",
  "author": [{"@type": "Person", "name": "Lena Holm"}],
  "datePublished": "2025-10-02T14:05:00Z", "inLanguage": "en-GB"}]}"""


def test_news_page_with_structured_data() -> None:
    page = extract_article(news_page(jsonld=JSONLD), "https://herald.example/news/ferry")
    assert isinstance(page, ExtractedPage)
    assert page.title == "Council backs new ferry terminal"
    assert page.author == "Lena Holm"
    assert page.published == datetime(2025, 10, 2, 14, 5, tzinfo=UTC)
    assert page.lang == "en"
    assert page.site_name == "Island Herald"
    paragraphs = page.text.split("\n\n")
    for expected in PARAGRAPHS:
        assert expected in paragraphs
    assert "Most read" not in page.text
    assert "newsletter" not in page.text
    assert "All rights reserved" not in page.text
    assert "Contact us" not in page.text


def test_news_page_with_meta_tags_only() -> None:
    head = (
        '<meta property="og:title" content="Council backs new ferry terminal">'
        '<meta property="og:site_name" content="Island Herald">'
        '<meta name="author" content="Lena Holm">'
        '<meta property="article:published_time" content="2025-10-02T16:05:00+02:00">'
    )
    page = extract_article(news_page(head=head))
    assert page is not None
    assert page.title == "Council backs new ferry terminal"
    assert page.author == "Lena Holm"
    assert page.published == datetime(2025, 10, 2, 16, 5, tzinfo=timezone(timedelta(hours=2)))
    assert page.site_name == "Island Herald"
    assert PARAGRAPHS[0] in page.text


def test_page_without_metadata_still_gives_title_and_text() -> None:
    page = extract_article(news_page(), None)
    assert page is not None
    assert page.title and "ferry terminal" in page.title
    assert all(p in page.text for p in PARAGRAPHS)


def test_russian_page_in_windows_1251() -> None:
    paragraphs = [
        "Правительство объявило в среду о новых мерах поддержки малого бизнеса, которые вступят в силу с "
        "первого января следующего года.",
        "«Мы рассчитываем, что эти меры помогут тысячам предпринимателей», — заявил министр экономики "
        "на пресс-конференции в Москве.",
        "По словам экспертов, объём поддержки составит около двадцати миллиардов рублей в течение трёх лет.",
    ]
    html = news_page(lang="ru", paragraphs=paragraphs).replace('charset="utf-8"', 'charset="windows-1251"')
    page = extract_article(html.encode("cp1251"))
    assert page is not None
    assert page.lang == "ru"
    assert paragraphs[1] in page.text


def test_http_charset_is_used_for_undeclared_bytes() -> None:
    text = "Le conseil régional a voté jeudi la construction d'un nouveau terminal de ferry à l'est de l'île."
    html = f"<html><head><title>Ferry</title></head><body><article><p>{text}</p><p>{text}</p></article></body></html>"
    page = extract_article(html.encode("latin-1"), charset="ISO-8859-1")
    assert page is not None
    assert "régional" in page.text


def test_script_built_page_falls_back_to_declared_article_body() -> None:
    body = " ".join(PARAGRAPHS)
    jsonld = (
        '{"@type": "NewsArticle", "headline": "Council backs new ferry terminal", "articleBody": '
        + __import__("json").dumps(body)
        + "}"
    )
    html = (
        "<html><head><title>Ferry</title>"
        f'<script type="application/ld+json">{jsonld}</script></head>'
        '<body><div id="app">Loading…</div><p>Photo: Island Herald</p></body></html>'
    )
    page = extract_article(html)
    assert page is not None
    assert "eastern shore" in page.text and "85 million euros" in page.text


def test_extraction_never_touches_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("network use during extraction")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    html = news_page(jsonld=JSONLD, head='<link rel="canonical" href="https://herald.example/ferry">')
    page = extract_article(html, "https://herald.example/news/ferry")
    assert page is not None and page.title == "Council backs new ferry terminal"


@pytest.mark.parametrize(
    "data",
    [
        b"",
        "",
        "   \n  ",
        b"\x00\x01\x02\x03" * 1000,
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n" * 50,
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20,
        "just some words without any markup at all",
        "<html><body></body></html>",
        "<html><body><p>Too short.</p></body></html>",
        "<<<<>>>><<</p></div></html><html>",
        "<html>" + "<div>" * 5000 + "deep" + "</div>" * 5000 + "</html>",
        '<html><head><script type="application/ld+json">{"@type": [1, {}], "headline": {"x": 1}</script>',
    ],
)
def test_bad_input_gives_none_without_raising(data: str | bytes) -> None:
    assert extract_article(data) is None


def test_wrong_type_gives_none() -> None:
    assert extract_article(12345) is None  # type: ignore[arg-type]


@pytest.mark.slow
def test_huge_input_is_bounded() -> None:
    filler = "<p>" + ("word " * 200) + "</p>\n"
    html = news_page(extra_body=filler * 6000)  # about 7 MB, above the cap
    page = extract_article(html)
    assert page is None or len(page.text) < 4_100_000


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=3000), st.text(max_size=3000)))
def test_arbitrary_input_never_raises(data: str | bytes) -> None:
    result = extract_article(data)
    assert result is None or isinstance(result, ExtractedPage)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200), max_size=8))
def test_arbitrary_paragraphs_in_a_page_never_raise(paragraphs: list[str]) -> None:
    from html import escape

    result = extract_article(news_page(paragraphs=[escape(p) for p in paragraphs]))
    if result is not None:
        assert "\n\n\n" not in result.text
        assert result.text == result.text.strip()


# --- pieces --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-01", date(2024, 3, 1)),
        ("2024-03-01T10:00:00+02:00", datetime(2024, 3, 1, 10, 0, tzinfo=timezone(timedelta(hours=2)))),
        ("2024-03-01T10:00:00Z", datetime(2024, 3, 1, 10, 0, tzinfo=UTC)),
        ("2024-03-01 10:00", datetime(2024, 3, 1, 10, 0)),
        ("2024-03-01T10:00:00.123+0000", datetime(2024, 3, 1, 10, 0, tzinfo=UTC)),
        ("2024-02-30", None),
        ("yesterday", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_datetime(value: str | None, expected: date | datetime | None) -> None:
    assert parse_datetime(value) == expected


def test_decode_body() -> None:
    assert decode_body("привет".encode()) == "привет"
    assert decode_body(b"\xef\xbb\xbfhello") == "hello"
    assert decode_body("<meta charset='koi8-r'>привет".encode("koi8-r")).endswith("привет")
    assert decode_body("résumé".encode("latin-1"), "iso-8859-1") == "résumé"
    assert decode_body("<p>ok</p>".encode("utf-16"), None) == "<p>ok</p>"
    assert decode_body(b"caf\xe9", "no-such-charset") in ("café", "caf\ufffd")


def test_promotional_lines_go_but_sentences_about_newsletters_stay() -> None:
    reported = "More than two million readers subscribe to the paper's newsletter, the company said on Monday."
    extra = (
        f"<p>{reported}</p>"
        "<p>Sign up for our free morning newsletter!</p>"
        "<p>Follow us on Twitter for the latest updates.</p>"
        "<p>Download our app for iOS and Android.</p>"
    )
    page = extract_article(news_page(extra_body=extra))
    assert page is not None
    assert reported in page.text
    assert "Sign up" not in page.text
    assert "Follow us" not in page.text
    assert "Download our app" not in page.text
