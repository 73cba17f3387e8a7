"""A small web server for tests: real HTTP on a loopback address, one handler per path, every request noted.

server = PageServer()            # 127.0.0.1, a free port; PageServer("127.0.0.2") for a second address
server.routes["/news/1"] = lambda r: send(r, 200, page_bytes, "text/html; charset=utf-8")
server.url("/news/1")            # "http://127.0.0.1:PORT/news/1"
"""

from __future__ import annotations

import ssl
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Handler = Callable[[BaseHTTPRequestHandler], None]


def send(req: BaseHTTPRequestHandler, status: int, body: bytes, content_type: str | None, **headers: str) -> None:
    req.send_response(status)
    if content_type is not None:
        req.send_header("Content-Type", content_type)
    req.send_header("Content-Length", str(len(body)))
    for key, value in headers.items():
        req.send_header(key.replace("_", "-"), value)
    req.end_headers()
    req.wfile.write(body)


class PageServer:
    """A threaded HTTP server on 127.0.0.1 with one handler per path; it records what it was asked."""

    def __init__(self, tls: ssl.SSLContext | None = None, host: str = "127.0.0.1") -> None:
        self.host = host
        self.routes: dict[str, Handler] = {}
        self.requests: list[tuple[str, str]] = []  # (path, Host header)
        server = self

        class RequestHandler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append((self.path, self.headers.get("Host", "")))
                handler = server.routes.get(self.path.split("?", 1)[0])
                try:
                    if handler is None:
                        send(self, 404, b"<html><body>not here</body></html>", "text/html")
                    else:
                        handler(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up, as it should

            def log_message(self, format: str, *args: Any) -> None:
                pass

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # refused TLS handshakes are expected in the certificate tests

        self.httpd = Server((host, 0), RequestHandler)
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def route(self, path: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.routes[path] = handler
            return handler

        return register

    def start(self) -> PageServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
