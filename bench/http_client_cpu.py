"""CPU per Bot API call of the bot's HTTP client, on its own event loop: PTB's own (httpx) against Précis's
(aiohttp, `bot.transport`). The server is a minimal HTTP/1.1 one in another process on 127.0.0.1 answering
every request with a sendMessage-sized answer, so the figure is the client's alone.

    python -m bench.http_client_cpu [--calls 2000] [--concurrency 1]

With `--concurrency N`, N calls are in flight at once (the cards of a burst go out that way).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import socket
import time
from pathlib import Path
from typing import Any

from telegram import ReplyParameters
from telegram.request import BaseRequest, HTTPXRequest, RequestData
from telegram.request._requestparameter import RequestParameter

from bot.transport import AiohttpRequest

ANSWER = json.dumps(
    {
        "ok": True,
        "result": {
            "message_id": 7,
            "date": 1,
            "chat": {"id": 5, "type": "private"},
            "text": "A card of an article, about as long as one. " * 20,
        },
    }
).encode()


def serve(port: int, ready: Any) -> None:
    reply = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (
        len(ANSWER),
        ANSWER,
    )

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.split(b"\r\n")
                length = next((int(h.split(b":")[1]) for h in lines if h.lower().startswith(b"content-length:")), 0)
                if length:
                    await reader.readexactly(length)
                writer.write(reply)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    async def main() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", port)
        ready.set()
        async with server:
            await server.serve_forever()

    asyncio.run(main())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def send_message_data() -> RequestData:
    text = "<b>Article 12</b>\nA summary of three sentences, as a card carries it. " * 8
    return RequestData(
        [
            RequestParameter.from_input("chat_id", 5),
            RequestParameter.from_input("text", text),
            RequestParameter.from_input("parse_mode", "HTML"),
            RequestParameter.from_input("reply_parameters", ReplyParameters(3, allow_sending_without_reply=True)),
        ]
    )


async def cpu_per_call(request: BaseRequest, url: str, calls: int, concurrency: int) -> tuple[float, float]:
    """Microseconds of this process's CPU, and of wall time, per call."""
    await request.initialize()
    try:
        data = send_message_data()
        for _ in range(50):  # connections opened, code paths warm
            await request.do_request(url, "POST", data)
        semaphore = asyncio.Semaphore(concurrency)

        async def one() -> None:
            async with semaphore:
                status, _ = await request.do_request(url, "POST", data)
                assert status == 200

        cpu, wall = time.process_time(), time.perf_counter()
        await asyncio.gather(*(one() for _ in range(calls)))
        return (time.process_time() - cpu) / calls * 1e6, (time.perf_counter() - wall) / calls * 1e6
    finally:
        await request.shutdown()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="CPU per Bot API call: httpx (PTB's) against aiohttp (Précis's).")
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--data", type=Path, help="not used: this bench needs no data (accepted for `make bench`)")
    args = parser.parse_args(argv)
    port = free_port()
    ready = multiprocessing.Event()
    server = multiprocessing.Process(target=serve, args=(port, ready), daemon=True)
    server.start()
    try:
        ready.wait(30)
        url = f"http://127.0.0.1:{port}/bot0:bench/sendMessage"
        clients: dict[str, Any] = {
            "httpx (PTB's)": lambda: HTTPXRequest(connection_pool_size=256),
            "aiohttp (Précis's)": lambda: AiohttpRequest(connection_pool_size=256),
        }
        figures: dict[str, list[tuple[float, float]]] = {name: [] for name in clients}
        for _ in range(args.rounds):  # alternated, so a change in the machine's load falls on both
            for name, make in clients.items():
                figures[name].append(asyncio.run(cpu_per_call(make(), url, args.calls, args.concurrency)))
        print(f"{args.calls} sendMessage calls, {args.concurrency} at a time, best of {args.rounds} rounds:")
        for name, runs in figures.items():
            cpu = min(r[0] for r in runs)
            wall = min(r[1] for r in runs)
            print(f"  {name:20} {cpu:7.0f} µs CPU per call   {wall:7.0f} µs wall per call")
    finally:
        server.terminate()
        server.join(5)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
