"""Fetching the page behind a link, safely: the guard checks every hop, the connection goes to the checked
address, and time, size and type are bounded.

    async with PageFetcher(FetchConfig()) as fetcher:
        page = await fetcher.fetch("https://example.org/news/1")  # FetchedPage, or raises FetchError

Every hop (the first request and each redirect, followed here by hand, at most `max_redirects`) is vetted by
`fetch.guard.check_url`, its host resolved once and refused when any address is not public
(`fetch.guard.resolve_and_check`), and the request is then sent to that checked IP address with the site's
name in the `Host` header and as the TLS server name (SNI, certificate verification), so the name is never
resolved a second time. Keep-alive is off, so a TLS connection verified for one site is never reused for
another site at the same address. Cookies are not kept; proxies and `.netrc` from the environment are not
used. The body is read as a stream and decompressed in bounded steps, so neither a huge page nor a
compression bomb is ever held whole. Fetches are pure asyncio, and at most `max_concurrency` run at once.
"""

from __future__ import annotations

import asyncio
import re
import ssl
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import quote, urljoin

import httpx

from fetch.guard import (
    DEFAULT_PORTS,
    BlockedAddress,
    FetchError,
    IPAddress,
    IPNetwork,
    ParsedTarget,
    check_url,
    parse_networks,
    resolve_and_check,
)

__all__ = [
    "DEFAULT_USER_AGENT",
    "BlockedAddress",
    "FetchConfig",
    "FetchError",
    "FetchedPage",
    "PageFetcher",
    "find_links",
    "format_size",
]

DEFAULT_USER_AGENT = "PrecisBot/0.1 (+https://github.com/precis-bot/precis)"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain"})
# What a feed is served as (many servers send RSS as text/xml, some as text/html or text/plain: feeds are
# recognised by their content, so those are taken too).
FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "application/feed+json",
        "application/json",
        "application/x-rss+xml",
    }
)
_PAGE_ACCEPT = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,*/*;q=0.1"
_FEED_ACCEPT = (
    "application/rss+xml,application/atom+xml,application/feed+json,application/xml;q=0.9,text/xml;q=0.9,"
    "application/json;q=0.8,text/html;q=0.5,*/*;q=0.1"
)
REDIRECTS = frozenset({301, 302, 303, 307, 308})
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~"


@dataclass(frozen=True, slots=True)
class FetchConfig:
    timeout_connect: float = 5.0  # seconds to open the connection (and finish TLS)
    timeout_read: float = 10.0  # seconds of silence allowed between two reads
    total_deadline: float = 20.0  # seconds for the whole fetch: resolution, redirects, body
    max_bytes: int = 2_000_000  # decoded body bytes kept
    max_redirects: int = 5
    allow_networks: tuple[IPNetwork, ...] = ()  # non-public networks that may be fetched all the same
    user_agent: str = DEFAULT_USER_AGENT
    allowed_ports: frozenset[int] | None = DEFAULT_PORTS  # None: any port
    max_concurrency: int = 8  # fetches running at once, per fetcher
    truncate: bool = True  # past max_bytes: keep the first max_bytes (True) or refuse the page (False)

    def __post_init__(self) -> None:
        if min(self.timeout_connect, self.timeout_read, self.total_deadline) <= 0:
            raise ValueError("fetch timeouts must be positive")
        if self.max_bytes <= 0 or self.max_redirects < 0 or self.max_concurrency <= 0:
            raise ValueError("fetch limits must be positive")
        # Accept "127.0.0.1/32" strings from configuration as well as network objects.
        object.__setattr__(self, "allow_networks", parse_networks(self.allow_networks))


@dataclass(frozen=True, slots=True)
class FetchedPage:
    url: str  # the URL asked for, as vetted
    final_url: str  # after redirects
    status: int
    content_type: str  # "text/html", "application/xhtml+xml" or "text/plain"
    charset: str | None  # as declared by the HTTP header
    body: bytes  # decoded (decompressed) bytes, at most max_bytes
    truncated: bool  # the page was longer than max_bytes and was cut there
    redirects: tuple[str, ...] = field(default=())  # the URLs passed through, in order
    etag: str | None = None  # the validators a conditional request sends back next time
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        """A conditional request answered 304: nothing new since the validators were given."""
        return self.status == 304

    @property
    def is_html(self) -> bool:
        return self.content_type in HTML_TYPES

    @property
    def is_text(self) -> bool:
        return self.content_type in TEXT_TYPES


def format_size(n: int) -> str:
    """A byte count as people read it: "2 MB", "20 kB", "512 bytes"."""
    if n >= 1_000_000:
        return f"{n / 1_000_000:g} MB"
    if n >= 1_000:
        return f"{n / 1_000:g} kB"
    return f"{n} bytes"


class PageFetcher:
    """Fetches pages under the guard. One instance serves the whole application; close it at shutdown."""

    def __init__(self, config: FetchConfig | None = None, *, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.config = config or FetchConfig()
        # The transport is used directly, below httpx's client: no cookies, no proxies or .netrc from the
        # environment, no automatic redirects. Tests pass a wrapper to watch where connections go.
        self._transport = transport
        self._semaphore = asyncio.Semaphore(self.config.max_concurrency)

    async def __aenter__(self) -> PageFetcher:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._transport is not None:
            transport, self._transport = self._transport, None
            await transport.aclose()

    def _http(self) -> httpx.AsyncBaseTransport:
        if self._transport is None:
            self._transport = httpx.AsyncHTTPTransport(
                retries=0,
                limits=httpx.Limits(max_connections=self.config.max_concurrency, max_keepalive_connections=0),
            )
        return self._transport

    async def fetch(self, url: str) -> FetchedPage:
        """The page at `url`, or FetchError with a short reason. Never blocks the event loop."""
        return await self._guarded(url, HTML_TYPES | TEXT_TYPES, {"Accept": _PAGE_ACCEPT})

    async def fetch_feed(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> FetchedPage:
        """A feed (or a page that may advertise one) under the same guard and caps, as a conditional request when
        validators from the last fetch are given: then a 304 answer comes back as a page with no body
        (`not_modified`)."""
        headers = {"Accept": _FEED_ACCEPT}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return await self._guarded(url, FEED_TYPES | HTML_TYPES | TEXT_TYPES, headers)

    async def _guarded(self, url: str, types: frozenset[str], headers: dict[str, str]) -> FetchedPage:
        first = check_url(url, self._early_ports)
        async with self._semaphore:
            try:
                async with asyncio.timeout(self.config.total_deadline):
                    return await self._fetch(first, types, headers)
            except TimeoutError:
                raise FetchError("slow") from None

    async def _fetch(self, first: ParsedTarget, types: frozenset[str], headers: dict[str, str]) -> FetchedPage:
        target = first
        passed: list[str] = []
        while True:
            response = await self._send(target, headers)
            try:
                if response.status_code in REDIRECTS and response.headers.get("location"):
                    if len(passed) >= self.config.max_redirects:
                        raise FetchError("redirects")
                    # Percent-encode what servers leave raw (spaces, non-ASCII), as browsers do.
                    location = quote(response.headers["location"].strip(), safe=_URL_SAFE)
                    passed.append(target.url)
                    target = check_url(urljoin(target.url, location), self._early_ports)
                    continue
                if response.status_code == 304 and ("If-None-Match" in headers or "If-Modified-Since" in headers):
                    return FetchedPage(
                        first.url, target.url, 304, "", None, b"", False, tuple(passed), *_validators(response)
                    )
                if not 200 <= response.status_code < 300:
                    raise FetchError("status", status=response.status_code)
                return await self._read(first, target, response, tuple(passed), types)
            finally:
                await response.aclose()

    @property
    def _early_ports(self) -> frozenset[int] | None:
        # With no network explicitly allowed, a port outside the list is refused before any lookup. An allowed
        # network (a test server, an intranet the operator trusts) may use any port: that is checked once the
        # addresses are known, in `_send`.
        return None if self.config.allow_networks else self.config.allowed_ports

    async def _send(self, target: ParsedTarget, headers: dict[str, str]) -> httpx.Response:
        addresses = await resolve_and_check(target.host, target.port, self.config.allow_networks)
        ports = self.config.allowed_ports
        if ports is not None and target.port not in ports:
            allow = self.config.allow_networks
            if not all(any(ip.version == net.version and ip in net for net in allow) for ip in addresses):
                raise BlockedAddress("port", port=target.port)
        failure: FetchError | None = None
        for ip in addresses[:4]:
            try:
                return await self._send_to(target, ip, headers)
            except httpx.ConnectError as exc:  # try the site's next address
                failure = _connect_failure(exc)
            except httpx.TimeoutException:
                raise FetchError("slow") from None
            except (httpx.HTTPError, httpx.InvalidURL):
                raise FetchError("failed") from None
        raise failure or FetchError("unreachable")

    async def _send_to(self, target: ParsedTarget, ip: IPAddress, headers: dict[str, str]) -> httpx.Response:
        host = f"[{ip}]" if ip.version == 6 else str(ip)
        extensions: dict[str, Any] = {}
        if target.scheme == "https" and target.ip is None:
            # TLS is negotiated and its certificate verified for the site's name, not for the address.
            extensions["sni_hostname"] = target.host
        c = self.config
        extensions["timeout"] = {
            "connect": c.timeout_connect,
            "read": c.timeout_read,
            "write": c.timeout_read,
            "pool": c.timeout_connect,
        }
        request = httpx.Request(
            "GET",
            f"{target.scheme}://{host}:{target.port}{target.target}",
            headers={
                "Host": target.host_header,
                "User-Agent": c.user_agent,
                "Accept-Encoding": "gzip, deflate",
                **headers,
            },
            extensions=extensions,
        )
        return await self._http().handle_async_request(request)

    async def _read(
        self,
        first: ParsedTarget,
        target: ParsedTarget,
        response: httpx.Response,
        passed: tuple[str, ...],
        types: frozenset[str],
    ) -> FetchedPage:
        cap = self.config.max_bytes
        mime, charset = _content_type(response.headers.get("content-type", ""))
        if mime and mime not in types:
            raise FetchError("not_html", mime=mime)
        declared = response.headers.get("content-length", "")
        if not self.config.truncate and declared.isdigit() and int(declared) > cap:
            raise FetchError("too_large", size=format_size(cap))
        decoder = _decoder(response.headers.get("content-encoding", ""))
        chunks: list[bytes] = []
        size = 0
        raw_size = 0
        truncated = False
        try:
            async for raw in response.aiter_raw():
                raw_size += len(raw)
                for piece in decoder.feed(raw, cap + 1 - size):
                    chunks.append(piece)
                    size += len(piece)
                if size > cap or raw_size > cap:
                    truncated = True
                    break
            if not truncated:
                for piece in decoder.flush(cap + 1 - size):
                    chunks.append(piece)
                    size += len(piece)
                truncated = size > cap
        except httpx.TimeoutException:
            raise FetchError("slow") from None
        except zlib.error:
            raise FetchError("broken_compression") from None
        except httpx.HTTPError:
            raise FetchError("broken_connection") from None
        body = b"".join(chunks)
        if truncated:
            if not self.config.truncate:
                raise FetchError("too_large", size=format_size(cap))
            body = body[:cap]
        if not mime:
            if not _looks_like_html(body):
                raise FetchError("no_type")
            mime = "text/html"
        return FetchedPage(
            url=first.url,
            final_url=target.url,
            status=response.status_code,
            content_type=mime,
            charset=charset,
            body=body,
            truncated=truncated,
            redirects=passed,
            etag=_validators(response)[0],
            last_modified=_validators(response)[1],
        )


def _validators(response: httpx.Response) -> tuple[str | None, str | None]:
    """ETag and Last-Modified, kept only when of a sane size (they are sent back verbatim)."""
    etag = response.headers.get("etag", "").strip()
    modified = response.headers.get("last-modified", "").strip()
    return (etag if 0 < len(etag) <= 200 else None), (modified if 0 < len(modified) <= 100 else None)


def _connect_failure(exc: httpx.ConnectError) -> FetchError:
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return FetchError("certificate")
        if isinstance(cause, ssl.SSLError):
            return FetchError("tls")
        cause = cause.__cause__ or cause.__context__
    return FetchError("unreachable")


def _content_type(header: str) -> tuple[str, str | None]:
    if not header.strip():
        return "", None
    parts = header.split(";")
    mime = parts[0].strip().lower()
    charset = None
    for param in parts[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return mime, charset


def _looks_like_html(body: bytes) -> bool:
    head = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<!--", b"<meta", b"<title"))


class _Decoder(Protocol):
    def feed(self, data: bytes, limit: int) -> Iterable[bytes]: ...

    def flush(self, limit: int) -> Iterable[bytes]: ...


class _Identity:
    def feed(self, data: bytes, limit: int) -> Iterable[bytes]:
        return (data,) if data else ()

    def flush(self, limit: int) -> Iterable[bytes]:
        return ()


class _Inflate:
    """gzip or deflate, decompressed at most `limit` bytes at a time: a compression bomb is cut at the cap
    instead of being expanded in memory."""

    def __init__(self, gzip: bool) -> None:
        self._gzip = gzip
        self._obj: Any = zlib.decompressobj(16 + zlib.MAX_WBITS) if gzip else None

    def feed(self, data: bytes, limit: int) -> Iterable[bytes]:
        if self._obj is None:
            # "deflate" is meant to be zlib-wrapped, but servers send raw deflate too: tell them apart.
            wrapped = len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
            self._obj = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        out: list[bytes] = []
        pending = data
        while pending and limit > 0:
            piece = self._obj.decompress(pending, limit)
            if piece:
                out.append(piece)
                limit -= len(piece)
            pending = self._obj.unconsumed_tail
            if self._obj.eof:
                break
        return out

    def flush(self, limit: int) -> Iterable[bytes]:
        if self._obj is None or limit <= 0:
            return ()
        rest: bytes = self._obj.flush()
        return (rest[:limit],) if rest else ()


def _decoder(content_encoding: str) -> _Decoder:
    codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if not codings:
        return _Identity()
    if codings in (["gzip"], ["x-gzip"]):
        return _Inflate(gzip=True)
    if codings == ["deflate"]:
        return _Inflate(gzip=False)
    raise FetchError("compression", coding=", ".join(codings))


# --- links in a post -----------------------------------------------------------------------------------

_URL_IN_TEXT = re.compile(r"""https?://[^\s<>"'`«»“”‘’]+""", re.IGNORECASE)
_TRAILING = ".,;:!?…)]}'\"»”’"


def _trim(url: str) -> str:
    while url and url[-1] in _TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break  # "https://en.wikipedia.org/wiki/Foo_(bar)" keeps its parenthesis
        if url[-1] == "]" and url.count("[") >= url.count("]"):
            break
        url = url[:-1]
    return url


def _entity_fields(entity: Any) -> tuple[str, int, int, str | None] | None:
    if isinstance(entity, Sequence) and not isinstance(entity, (str, bytes)):
        if len(entity) < 3:
            return None
        kind, offset, length = entity[0], entity[1], entity[2]
        url = entity[3] if len(entity) > 3 else None
    else:  # an object with the Bot API's field names, such as a MessageEntity
        kind = getattr(entity, "type", None)
        offset = getattr(entity, "offset", None)
        length = getattr(entity, "length", None)
        url = getattr(entity, "url", None)
    if not isinstance(offset, int) or not isinstance(length, int):
        return None
    kind_text = str(getattr(kind, "value", kind) or "").lower()
    return kind_text, offset, length, url if isinstance(url, str) else None


def find_links(text: str | None, entities: Iterable[Any] | None = None) -> list[str]:
    """The http(s) links in a post, in order of appearance, without duplicates.

    `entities` are Telegram's message entities: (type, offset, length, url) tuples, or objects with those
    attributes; offsets and lengths count UTF-16 code units, as the Bot API does. `url` entities are links
    written in the text (Telegram marks "example.com/news" too: it gets "http://"), `text_link` entities carry
    the link behind other words. Links in the plain text that no entity marks are found too."""
    text = text or ""
    found: list[tuple[int, str]] = []
    if entities:
        utf16 = text.encode("utf-16-le")
        for entity in entities:
            fields = _entity_fields(entity)
            if fields is None:
                continue
            kind, offset, length, url = fields
            if offset < 0 or length <= 0:
                continue
            position = len(utf16[: offset * 2].decode("utf-16-le", errors="ignore"))
            if kind == "text_link" and url:
                found.append((position, url.strip()))
            elif kind == "url":
                written = utf16[offset * 2 : (offset + length) * 2].decode("utf-16-le", errors="ignore").strip()
                if written and "://" not in written:
                    written = "http://" + written
                found.append((position, written))
    for match in _URL_IN_TEXT.finditer(text):
        found.append((match.start(), _trim(match.group(0))))
    found.sort(key=lambda item: item[0])
    links: list[str] = []
    for _, url in found:
        if re.match(r"(?i)^https?://[^/\s]", url) and url not in links:
            links.append(url)
    return links
