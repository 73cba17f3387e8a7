"""Ports for servers the tests start in another process or a moment later.

A port found by binding port 0 comes from the system's ephemeral range, the same range every outgoing
connection takes its local port from. Between closing the probe and the server's own bind (a bot process's
start-up takes seconds on a busy machine) any connection on the machine may take that port, and the server
fails to start. Ports below that range are never handed out to connections, so only another server asking for
that very port can take it: one is chosen at random there and checked free."""

from __future__ import annotations

import random
import socket
from pathlib import Path

_RANGE = Path("/proc/sys/net/ipv4/ip_local_port_range")
_LOWEST = 10_000  # below this, well-known services live


def ephemeral_range() -> tuple[int, int]:
    """The system's range for ports given to outgoing connections (Linux's default where it cannot be read)."""
    try:
        low, high = (int(x) for x in _RANGE.read_text().split())
        return low, high
    except (OSError, ValueError):
        return 32768, 60999


def listen_ports(count: int = 1, host: str = "127.0.0.1") -> list[int]:
    """`count` distinct ports on `host`, free a moment ago and outside the ephemeral range."""
    low, high = ephemeral_range()
    span = range(_LOWEST, low) if low - _LOWEST >= 1000 else range(high + 1, 65536)
    chosen: list[int] = []
    for port in random.sample(span, min(len(span), 200 * count)):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind((host, port))
            except OSError:
                continue
        chosen.append(port)
        if len(chosen) == count:
            return chosen
    raise RuntimeError(f"no {count} free ports outside the ephemeral range {low}-{high}")


def listen_port(host: str = "127.0.0.1") -> int:
    return listen_ports(1, host)[0]
