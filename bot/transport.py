"""The HTTP client of every Bot API call, on aiohttp.

PTB's own client is httpx. On this bot's event loop httpx took about 0.7 ms of CPU per call against a local
server (1.4 ms with 50 calls in flight), aiohttp about 0.3 ms (0.18 ms) (`bench/http_client_cpu.py`), and the
loop is what a person's command waits for:
during a burst every card sent is a call, and a third of the loop's time went into httpx. The calls and their
errors are PTB's: a timeout is `TimedOut`, any other failure of the exchange `NetworkError`, and the answer is
handed back as it came, for PTB to read.
"""

from __future__ import annotations

import functools
import ssl
import weakref
from typing import Any

import aiohttp
import httpx
from aiohttp.helpers import get_env_proxy_for_url
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData
from yarl import URL


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The TLS settings of the process's Bot API clients (certifi's authorities, as PTB's own client has
    them), made once: loading the certificates again for every client built costs tens of milliseconds."""
    return httpx.create_ssl_context()


class AiohttpRequest(BaseRequest):
    """PTB's `BaseRequest` on one aiohttp session. Timeouts as PTB's own client takes them: `connect` to open a
    connection, `read` between parts of the answer, `pool` for a free connection when all
    `connection_pool_size` are busy; `write` has no bound of its own in aiohttp and counts in the whole call's
    (the sum of the four)."""

    def __init__(
        self,
        *,
        connection_pool_size: int = 256,
        connect_timeout: float = 5.0,
        read_timeout: float = 5.0,
        write_timeout: float = 5.0,
        pool_timeout: float = 1.0,
        media_write_timeout: float = 20.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[str, tuple[URL | None, aiohttp.BasicAuth | None]] = {}  # origin → its proxy
        _CLIENTS.add(self)

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size, ssl=tls_context())
            # PTB sets the User-Agent per request; aiohttp would add its own otherwise. Not `trust_env`: with it
            # aiohttp reads ~/.netrc and the proxy settings on a pool thread for every call, two hand-offs that
            # kept a reply waiting 10-20 ms during a burst; the proxy is looked up once per origin (`_proxy`).
            self._session = aiohttp.ClientSession(connector=connector, skip_auto_headers=("User-Agent",))

    async def shutdown(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data else None
        fields = request_data.json_parameters if request_data else None
        read = _given(read_timeout, self._read_timeout)
        write = _given(write_timeout, self._media_write_timeout if files else self._write_timeout)
        connect = _given(connect_timeout, self._connect_timeout)
        pool = _given(pool_timeout, self._pool_timeout)
        bounds = (read, write, connect, pool)
        timeout = aiohttp.ClientTimeout(
            # Every phase's bound together is the whole call's: aiohttp has none for sending alone.
            total=None if None in bounds else sum(b for b in bounds if b is not None),
            connect=None if connect is None or pool is None else connect + pool,
            sock_connect=connect,
            sock_read=read,
        )
        body: Any = _multipart(fields, files) if files else fields
        target = URL(url)  # parsed once: aiohttp takes it as it is
        proxy, proxy_auth = self._proxy(target)
        try:
            async with self._session.request(
                method,
                target,
                data=body,
                headers={"User-Agent": self.USER_AGENT},
                timeout=timeout,
                proxy=proxy,
                proxy_auth=proxy_auth,
            ) as response:
                return response.status, await response.read()
        except TimeoutError as err:  # aiohttp's timeouts are TimeoutError too
            raise TimedOut from err
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp.{err.__class__.__name__}: {err}") from err

    def _proxy(self, url: URL) -> tuple[URL | None, aiohttp.BasicAuth | None]:
        """The proxy that HTTP(S)_PROXY and NO_PROXY name for a URL's origin (none if they name none), as PTB's
        own client used them; read once per origin, as the environment is read once at start."""
        origin = str(url.origin())
        if origin not in self._proxies:
            try:
                self._proxies[origin] = get_env_proxy_for_url(url)
            except LookupError:
                self._proxies[origin] = (None, None)
        return self._proxies[origin]


_CLIENTS: weakref.WeakSet[AiohttpRequest] = weakref.WeakSet()


async def close_open_sessions() -> None:
    """Close every client's session still open: PTB shuts its clients down only after a complete start."""
    for client in list(_CLIENTS):
        await client.shutdown()


def _given(value: ODVInput[float], default: float | None) -> float | None:
    return default if isinstance(value, DefaultValue) else value


def _multipart(fields: dict[str, str] | None, files: dict[str, Any]) -> aiohttp.FormData:
    """A request with files: its parameters and its files as parts of one form, as PTB's own client sends them
    (a file is (name, content, MIME type), or its content alone)."""
    form = aiohttp.FormData(quote_fields=False)  # names as they are (UTF-8), not percent-encoded
    for name, value in (fields or {}).items():
        form.add_field(name, value)
    for name, part in files.items():
        if isinstance(part, tuple):
            filename, content, *rest = part
            form.add_field(name, content, filename=filename, content_type=rest[0] if rest else None)
        else:
            form.add_field(name, part)
    return form
