"""The ports the tests give their servers: free, and never ones an outgoing connection can be handed."""

from __future__ import annotations

import socket

from tests.ports import ephemeral_range, listen_ports


def test_listen_ports_are_distinct_free_and_outside_the_ephemeral_range() -> None:
    low, high = ephemeral_range()
    ports = listen_ports(3)
    assert len(set(ports)) == 3
    assert all(not low <= port <= high for port in ports)
    for port in ports:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
            server.bind(("127.0.0.1", port))
            server.listen()
