"""The page fetcher over real HTTP, against a small server on 127.0.0.1 that the tests start.

The guard's allow list is set to 127.0.0.1/32 explicitly, so the server can be reached; every test that
involves another address checks that no connection to it was even attempted.
"""

from __future__ import annotations

import asyncio
import gzip
import ipaddress
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import httpx
import pytest

from analysis.html import extract_article
from fetch.client import FetchConfig, FetchedPage, FetchError, PageFetcher, find_links
from fetch.guard import DEFAULT_PORTS, BlockedAddress
from tests.pages import PageServer
from tests.pages import send as _send

ARTICLE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Harbour bridge reopens after repairs | Coastal Courier</title>
<meta property="og:site_name" content="Coastal Courier">
<script type="application/ld+json">
{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Harbour bridge reopens after repairs",
 "author": {"@type": "Person", "name": "Maria Lindqvist"},
 "datePublished": "2024-03-05T09:30:00+01:00"}
</script></head>
<body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article>
<h1>Harbour bridge reopens after repairs</h1>
<p>The harbour bridge reopened to traffic on Tuesday morning after eight months of repairs that cost the
city more than 40 million euros, officials said.</p>
<p>"We are relieved that the work finished ahead of the winter storms," said the mayor, Anna Berg, who
cut the ribbon at the northern end of the bridge shortly after seven o'clock.</p>
<p>Engineers replaced the steel cables and resurfaced the deck, which had been closed since a routine
inspection found corrosion in the summer of last year.</p>
</article>
<footer><p>Sign up for our newsletter to get the latest news in your inbox.</p></footer>
</body></html>
"""


@pytest.fixture
def server() -> Iterator[PageServer]:
    srv = PageServer()
    srv.thread.start()
    try:
        yield srv
    finally:
        srv.httpd.shutdown()
        srv.httpd.server_close()


class RecordingTransport(httpx.AsyncBaseTransport):
    """The real transport, noting the address of every connection the fetcher asks for."""

    def __init__(self, verify: ssl.SSLContext | bool = True) -> None:
        self.inner = httpx.AsyncHTTPTransport(retries=0, verify=verify)
        self.hosts: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.hosts.append(request.url.host)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def local_config(**overrides: Any) -> FetchConfig:
    settings: dict[str, Any] = {
        "timeout_connect": 2.0,
        "timeout_read": 2.0,
        "total_deadline": 10.0,
        "allow_networks": (ipaddress.ip_network("127.0.0.1/32"),),
        "allowed_ports": None,  # the server listens on a random port
    }
    settings.update(overrides)
    return FetchConfig(**settings)


@pytest.fixture
def transport() -> RecordingTransport:
    return RecordingTransport()


async def fetch(url: str, transport: RecordingTransport, **config: Any) -> FetchedPage:
    async with PageFetcher(local_config(**config), transport=transport) as fetcher:
        return await fetcher.fetch(url)


def only_local(transport: RecordingTransport) -> None:
    assert transport.hosts, "no request was made"
    assert set(transport.hosts) == {"127.0.0.1"}, transport.hosts


# --- the normal case -----------------------------------------------------------------------------------


async def test_article_is_fetched_and_extracted(server: PageServer, transport: RecordingTransport) -> None:
    server.routes["/news/bridge"] = lambda r: _send(r, 200, ARTICLE.encode(), "text/html; charset=utf-8")
    page = await fetch(server.url("/news/bridge"), transport)
    assert page.status == 200
    assert page.is_html and page.content_type == "text/html"
    assert page.charset == "utf-8"
    assert not page.truncated
    assert page.final_url == server.url("/news/bridge")
    assert server.requests[-1][1] == f"127.0.0.1:{server.port}"

    article = extract_article(page.body, page.final_url, charset=page.charset)
    assert article is not None
    assert article.title == "Harbour bridge reopens after repairs"
    assert article.author == "Maria Lindqvist"
    assert article.published is not None and article.published.isoformat() == "2024-03-05T09:30:00+01:00"
    assert article.site_name == "Coastal Courier"
    assert article.lang == "en"
    assert "reopened to traffic on Tuesday morning" in article.text
    assert "Engineers replaced the steel cables" in article.text
    assert "\n\n" in article.text
    assert "newsletter" not in article.text
    assert "Sport" not in article.text


async def test_user_agent_and_accept_headers_are_sent(server: PageServer, transport: RecordingTransport) -> None:
    seen: dict[str, str] = {}

    def handler(r: BaseHTTPRequestHandler) -> None:
        seen.update({k.lower(): v for k, v in r.headers.items()})
        _send(r, 200, ARTICLE.encode(), "text/html")

    server.routes["/ua"] = handler
    await fetch(server.url("/ua"), transport)
    assert seen["user-agent"].startswith("PrecisBot/")
    assert "text/html" in seen["accept"]
    assert "cookie" not in seen


async def test_redirects_within_the_limit_are_followed(server: PageServer, transport: RecordingTransport) -> None:
    server.routes["/a"] = lambda r: _send(r, 301, b"", None, Location="/b")
    server.routes["/b"] = lambda r: _send(r, 302, b"", None, Location=server.url("/c?x=1"))
    server.routes["/c"] = lambda r: _send(r, 200, ARTICLE.encode(), "text/html")
    page = await fetch(server.url("/a"), transport)
    assert page.final_url == server.url("/c?x=1")
    assert page.redirects == (server.url("/a"), server.url("/b"))
    assert [path for path, _ in server.requests] == ["/a", "/b", "/c?x=1"]
    only_local(transport)


async def test_redirect_location_with_raw_characters(server: PageServer, transport: RecordingTransport) -> None:
    server.routes["/r"] = lambda r: _send(r, 302, b"", None, Location="/new story")
    server.routes["/new%20story"] = lambda r: _send(r, 200, ARTICLE.encode(), "text/html")
    page = await fetch(server.url("/r"), transport)
    assert page.final_url == server.url("/new%20story")


async def test_plain_text_is_accepted_and_marked(server: PageServer, transport: RecordingTransport) -> None:
    server.routes["/t"] = lambda r: _send(r, 200, b"Plain words.", "text/plain; charset=utf-8")
    page = await fetch(server.url("/t"), transport)
    assert page.is_text and not page.is_html
    assert page.body == b"Plain words."


async def test_gzip_body_is_decoded(server: PageServer, transport: RecordingTransport) -> None:
    packed = gzip.compress(ARTICLE.encode())
    server.routes["/z"] = lambda r: _send(r, 200, packed, "text/html", Content_Encoding="gzip")
    page = await fetch(server.url("/z"), transport)
    assert page.body == ARTICLE.encode()


async def test_missing_content_type_is_sniffed(server: PageServer, transport: RecordingTransport) -> None:
    server.routes["/html"] = lambda r: _send(r, 200, ARTICLE.encode(), None)
    server.routes["/bin"] = lambda r: _send(r, 200, b"\x00\x01\x02binary", None)
    page = await fetch(server.url("/html"), transport)
    assert page.content_type == "text/html"
    with pytest.raises(FetchError, match="not HTML"):
        await fetch(server.url("/bin"), transport)


# --- refusals ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "location",
    [
        "http://10.0.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://167772161/",  # 10.0.0.1 written as one decimal number
        "http://192.168.1.1:8080/admin",
        "http://[::ffff:10.0.0.1]/",
    ],
)
async def test_redirect_to_a_private_address_is_refused_before_connecting(
    server: PageServer, transport: RecordingTransport, location: str
) -> None:
    server.routes["/go"] = lambda r: _send(r, 302, b"", None, Location=location)
    with pytest.raises(BlockedAddress) as caught:
        await fetch(server.url("/go"), transport)
    assert caught.value.reason == "the address is private"
    only_local(transport)  # the test server only: nothing was sent to the private address
    assert [path for path, _ in server.requests] == ["/go"]


@pytest.mark.parametrize("location", ["file:///etc/passwd", "ftp://example.com/x", "javascript:alert(1)"])
async def test_redirect_to_another_scheme_is_refused(
    server: PageServer, transport: RecordingTransport, location: str
) -> None:
    server.routes["/go"] = lambda r: _send(r, 302, b"", None, Location=location)
    with pytest.raises(BlockedAddress, match="only http and https"):
        await fetch(server.url("/go"), transport)
    only_local(transport)


async def test_redirect_chain_too_long(server: PageServer, transport: RecordingTransport) -> None:
    for i in range(10):
        server.routes[f"/hop{i}"] = lambda r, i=i: _send(r, 302, b"", None, Location=f"/hop{i + 1}")
    with pytest.raises(FetchError) as caught:
        await fetch(server.url("/hop0"), transport, max_redirects=3)
    assert caught.value.reason == "the page redirects too many times"
    assert len(server.requests) == 4  # the first request and three redirects followed


async def test_slow_page_times_out(server: PageServer, transport: RecordingTransport) -> None:
    release = threading.Event()

    def slow(r: BaseHTTPRequestHandler) -> None:
        release.wait(2.0)  # longer than the read timeout; released at the end of the test
        _send(r, 200, ARTICLE.encode(), "text/html")

    server.routes["/slow"] = slow
    try:
        with pytest.raises(FetchError) as caught:
            await fetch(server.url("/slow"), transport, timeout_read=0.2)
        assert caught.value.reason == "the page took too long to answer"
    finally:
        release.set()


async def test_page_that_trickles_hits_the_overall_deadline(server: PageServer, transport: RecordingTransport) -> None:
    stop = threading.Event()

    def trickle(r: BaseHTTPRequestHandler) -> None:
        r.send_response(200)
        r.send_header("Content-Type", "text/html")
        r.end_headers()
        for _ in range(100):  # each byte arrives within the read timeout, the whole never does
            if stop.is_set():
                return
            r.wfile.write(b"<")
            r.wfile.flush()
            time.sleep(0.05)

    server.routes["/trickle"] = trickle
    try:
        with pytest.raises(FetchError) as caught:
            await fetch(server.url("/trickle"), transport, timeout_read=1.0, total_deadline=0.4)
        assert caught.value.reason == "the page took too long to answer"
    finally:
        stop.set()


async def test_oversized_page_is_cut_at_the_cap(server: PageServer, transport: RecordingTransport) -> None:
    big = ARTICLE.encode() + b"<p>" + b"x" * 300_000 + b"</p>"
    server.routes["/big"] = lambda r: _send(r, 200, big, "text/html")
    page = await fetch(server.url("/big"), transport, max_bytes=50_000)
    assert page.truncated
    assert len(page.body) == 50_000
    assert page.body == big[:50_000]


async def test_oversized_page_is_refused_when_truncation_is_off(
    server: PageServer, transport: RecordingTransport
) -> None:
    big = b"<html><body>" + b"y" * 3_000_000 + b"</body></html>"
    server.routes["/big"] = lambda r: _send(r, 200, big, "text/html")
    with pytest.raises(FetchError) as caught:
        await fetch(server.url("/big"), transport, truncate=False)
    assert caught.value.reason == "the page is larger than 2 MB"


async def test_compression_bomb_is_cut_at_the_cap(server: PageServer, transport: RecordingTransport) -> None:
    bomb = gzip.compress(b"<html><body>" + b"\0" * 20_000_000)  # about 20 kB on the wire
    server.routes["/bomb"] = lambda r: _send(r, 200, bomb, "text/html", Content_Encoding="gzip")
    page = await fetch(server.url("/bomb"), transport, max_bytes=100_000)
    assert page.truncated and len(page.body) == 100_000


@pytest.mark.parametrize("content_type", ["application/pdf", "image/png", "application/json"])
async def test_non_html_content_type_is_refused(
    server: PageServer, transport: RecordingTransport, content_type: str
) -> None:
    server.routes["/file"] = lambda r: _send(r, 200, b"%PDF-1.7 ...", content_type)
    with pytest.raises(FetchError) as caught:
        await fetch(server.url("/file"), transport)
    assert caught.value.reason == f"the page is not HTML ({content_type})"


@pytest.mark.parametrize("status", [404, 410, 500, 503])
async def test_error_status_gives_its_code(server: PageServer, transport: RecordingTransport, status: int) -> None:
    server.routes["/e"] = lambda r: _send(r, status, b"<html>no</html>", "text/html")
    with pytest.raises(FetchError) as caught:
        await fetch(server.url("/e"), transport)
    assert caught.value.reason == f"HTTP {status}"


async def test_loopback_is_refused_when_not_allowed(server: PageServer, transport: RecordingTransport) -> None:
    server.routes["/news"] = lambda r: _send(r, 200, ARTICLE.encode(), "text/html")
    with pytest.raises(BlockedAddress) as caught:
        await fetch(server.url("/news"), transport, allow_networks=())
    assert caught.value.reason == "the address is private"
    assert transport.hosts == [] and server.requests == []


async def test_guard_is_on_by_default(server: PageServer) -> None:
    async with PageFetcher() as fetcher:
        with pytest.raises(BlockedAddress):
            await fetcher.fetch(server.url("/news"))
        with pytest.raises(BlockedAddress, match="the address is private"):
            await fetcher.fetch("http://127.0.0.1/")
    assert server.requests == []


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://2130706433/", "the address is private"),
        ("http://0x7f.0.0.1/", "the address is private"),
        ("http://10.1.2.3/", "the address is private"),
        ("http://[::1]/", "the address is private"),
        ("http://[fe80::1]/", "the address is private"),
        ("http://0.0.0.0/", "the address is private"),
        ("http://user:secret@example.com/", "links with a user name or password are not fetched"),
        ("file:///etc/passwd", "only http and https links can be fetched (not file)"),
        ("ftp://example.com/file", "only http and https links can be fetched (not ftp)"),
        ("javascript:alert(1)", "only http and https links can be fetched (not javascript)"),
        ("http://example.com:22/", "port 22 is not allowed"),
    ],
)
async def test_refused_urls_never_connect(url: str, reason: str) -> None:
    transport = RecordingTransport()
    async with PageFetcher(FetchConfig(), transport=transport) as fetcher:
        with pytest.raises(BlockedAddress) as caught:
            await fetcher.fetch(url)
    assert caught.value.reason == reason
    assert transport.hosts == []


async def test_localhost_is_refused() -> None:
    transport = RecordingTransport()
    async with PageFetcher(FetchConfig(allowed_ports=None), transport=transport) as fetcher:
        with pytest.raises(BlockedAddress, match="the address is private"):
            await fetcher.fetch("http://localhost:9/")
    assert transport.hosts == []


# --- name resolution: checked once, connection pinned ----------------------------------------------------


def fake_resolver(answers: dict[str, list[list[str]]], calls: list[str]) -> Callable[..., Any]:
    """A stand-in for loop.getaddrinfo: each name answers its next list of addresses."""

    async def getaddrinfo(host: str, port: int, **_: Any) -> list[tuple[Any, ...]]:
        calls.append(host)
        answer = answers[host].pop(0) if len(answers[host]) > 1 else answers[host][0]
        out: list[tuple[Any, ...]] = []
        for address in answer:
            if ":" in address:
                out.append((socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port, 0, 0)))
            else:
                out.append((socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)))
        return out

    return getaddrinfo


async def test_connection_goes_to_the_checked_address_with_the_name_as_host(
    server: PageServer, transport: RecordingTransport, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first answer is the local server, every later one a private address: a rebinding attack.
    calls: list[str] = []
    resolver = fake_resolver({"news.example": [["127.0.0.1"], ["10.0.0.1"]]}, calls)
    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", resolver)
    server.routes["/story"] = lambda r: _send(r, 200, ARTICLE.encode(), "text/html")
    page = await fetch(f"http://news.example:{server.port}/story", transport)
    assert page.final_url == f"http://news.example:{server.port}/story"
    assert calls == ["news.example"]  # resolved once
    only_local(transport)  # and connected to the address that was checked
    assert server.requests == [("/story", f"news.example:{server.port}")]


async def test_name_with_any_private_address_is_refused(
    transport: RecordingTransport, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    resolver = fake_resolver({"mixed.example": [["127.0.0.1", "10.0.0.7"]]}, calls)
    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", resolver)
    with pytest.raises(BlockedAddress, match="the address is private"):
        await fetch("http://mixed.example:8080/", transport)
    assert transport.hosts == []


async def test_redirect_to_a_name_is_checked_again(
    server: PageServer, transport: RecordingTransport, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    resolver = fake_resolver({"internal.example": [["192.168.0.10"]]}, calls)
    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", resolver)
    server.routes["/go"] = lambda r: _send(r, 302, b"", None, Location="http://internal.example/")
    with pytest.raises(BlockedAddress, match="the address is private"):
        await fetch(server.url("/go"), transport)
    assert calls == ["internal.example"]
    only_local(transport)


async def test_unknown_name_gives_a_clear_reason(
    transport: RecordingTransport, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def no_answer(host: str, port: int, **_: Any) -> list[tuple[Any, ...]]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", no_answer)
    with pytest.raises(FetchError) as caught:
        await fetch("http://no-such-site.example/", transport)
    assert caught.value.reason == "the site's address could not be found"


async def test_closed_port_gives_a_clear_reason(transport: RecordingTransport) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError) as caught:
        await fetch(f"http://127.0.0.1:{port}/", transport)
    assert caught.value.reason == "the site could not be reached"


# --- concurrency ---------------------------------------------------------------------------------------


async def test_a_slow_fetch_does_not_hold_up_others(server: PageServer, transport: RecordingTransport) -> None:
    release = threading.Event()

    def slow(r: BaseHTTPRequestHandler) -> None:
        release.wait(5.0)
        _send(r, 200, ARTICLE.encode(), "text/html")

    server.routes["/slow"] = slow
    server.routes["/fast"] = lambda r: _send(r, 200, ARTICLE.encode(), "text/html")
    async with PageFetcher(local_config(), transport=transport) as fetcher:
        slow_task = asyncio.create_task(fetcher.fetch(server.url("/slow")))
        fast = await fetcher.fetch(server.url("/fast"))
        assert fast.status == 200 and not slow_task.done()
        release.set()
        assert (await slow_task).status == 200


async def test_concurrency_is_bounded(server: PageServer, transport: RecordingTransport) -> None:
    active = 0
    peak = 0
    lock = threading.Lock()

    def counted(r: BaseHTTPRequestHandler) -> None:
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        time.sleep(0.05)
        with lock:
            active -= 1
        _send(r, 200, ARTICLE.encode(), "text/html")

    server.routes["/c"] = counted
    async with PageFetcher(local_config(max_concurrency=2), transport=transport) as fetcher:
        pages = await asyncio.gather(*(fetcher.fetch(server.url("/c")) for _ in range(6)))
    assert all(p.status == 200 for p in pages)
    assert peak <= 2


# --- links in posts ------------------------------------------------------------------------------------


def test_find_links_in_plain_text() -> None:
    text = (
        "Read this (https://example.com/news/1?id=2). Also see https://en.wikipedia.org/wiki/Bridge_(structure), "
        "and http://example.org/a, but not ftp://example.net/x or mailto:a@b.c."
    )
    assert find_links(text) == [
        "https://example.com/news/1?id=2",
        "https://en.wikipedia.org/wiki/Bridge_(structure)",
        "http://example.org/a",
    ]


def test_find_links_from_entities_with_utf16_offsets() -> None:
    text = "🔥 Новость: example.com/story и подробнее здесь"
    # "🔥" is two UTF-16 code units; Telegram counts offsets in UTF-16.
    start = len("🔥 Новость: ".encode("utf-16-le")) // 2
    entities = [
        ("url", start, len("example.com/story"), None),
        ("text_link", start + len("example.com/story и подробнее "), 5, "https://example.org/more"),
        ("bold", 0, 2, None),
        ("text_link", 0, 2, "tg://resolve?domain=x"),
    ]
    assert find_links(text, entities) == ["http://example.com/story", "https://example.org/more"]


def test_find_links_accepts_entity_objects_and_dedupes() -> None:
    class Entity:
        def __init__(self, type: str, offset: int, length: int, url: str | None = None) -> None:
            self.type, self.offset, self.length, self.url = type, offset, length, url

    text = "https://example.com/a and again https://example.com/a"
    links = find_links(text, [Entity("url", 0, 21), Entity("url", 32, 21)])
    assert links == ["https://example.com/a"]
    assert find_links("") == [] and find_links(None) == []


# --- TLS: the certificate is verified for the site's name while the connection goes to the checked address


def make_certificate(directory: Path, name: str) -> tuple[Path, Path]:
    cert, key = directory / f"{name}.crt", directory / f"{name}.key"
    command = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", f"/CN={name}"]
    command += ["-addext", f"subjectAltName=DNS:{name}", "-keyout", str(key), "-out", str(cert)]
    subprocess.run(command, check=True, capture_output=True)
    return cert, key


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[PageServer, Path]]:
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a test certificate")
    cert, key = make_certificate(tmp_path, "news.example")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    srv = PageServer(tls=context)
    srv.routes["/story"] = lambda r: _send(r, 200, ARTICLE.encode(), "text/html")
    srv.thread.start()
    try:
        yield srv, cert
    finally:
        srv.httpd.shutdown()
        srv.httpd.server_close()


async def test_https_verifies_the_certificate_for_the_name(
    tls_server: tuple[PageServer, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    server, cert = tls_server
    calls: list[str] = []
    resolver = fake_resolver({"news.example": [["127.0.0.1"]]}, calls)
    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", resolver)
    transport = RecordingTransport(verify=ssl.create_default_context(cafile=str(cert)))
    page = await fetch(f"https://news.example:{server.port}/story", transport)
    assert page.status == 200 and page.final_url == f"https://news.example:{server.port}/story"
    only_local(transport)  # connected to the checked address, yet the certificate matched the name
    assert server.requests == [("/story", f"news.example:{server.port}")]


async def test_https_refuses_a_certificate_for_another_name(
    tls_server: tuple[PageServer, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    server, cert = tls_server
    resolver = fake_resolver({"other.example": [["127.0.0.1"]]}, [])
    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", resolver)
    transport = RecordingTransport(verify=ssl.create_default_context(cafile=str(cert)))
    with pytest.raises(FetchError) as caught:
        await fetch(f"https://other.example:{server.port}/story", transport)
    assert caught.value.reason == "the site's security certificate is not valid"
    assert server.requests == []


# --- ports ---------------------------------------------------------------------------------------------


async def test_an_allowed_network_may_use_any_port(server: PageServer, transport: RecordingTransport) -> None:
    server.routes["/p"] = lambda r: _send(r, 200, ARTICLE.encode(), "text/html")
    page = await fetch(server.url("/p"), transport, allowed_ports=DEFAULT_PORTS)  # a random port, not a web one
    assert page.status == 200
    only_local(transport)


async def test_other_addresses_keep_to_the_web_ports(transport: RecordingTransport) -> None:
    # The allow list opens 127.0.0.1 only; a public address on a non-web port is refused before connecting.
    with pytest.raises(BlockedAddress) as caught:
        await fetch("http://93.184.216.34:2222/", transport, allowed_ports=DEFAULT_PORTS)
    assert caught.value.reason == "port 2222 is not allowed"
    assert transport.hosts == []
