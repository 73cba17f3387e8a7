"""The SSRF guard: URL vetting and address checks. No traffic is sent; names are resolved by a stand-in."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fetch.guard import (
    BlockedAddress,
    FetchError,
    check_url,
    is_public_address,
    parse_networks,
    resolve_and_check,
)

LOOPBACK_ONLY = parse_networks(["127.0.0.1/32"])

# --- check_url -----------------------------------------------------------------------------------------


def test_plain_urls_are_parsed() -> None:
    t = check_url("HTTPS://Example.COM/news/1?id=2#comments")
    assert (t.scheme, t.host, t.port, t.target, t.ip) == ("https", "example.com", 443, "/news/1?id=2", None)
    assert t.url == "https://example.com/news/1?id=2"
    assert t.host_header == "example.com"
    t = check_url("http://example.com:8080")
    assert t.url == "http://example.com:8080/" and t.host_header == "example.com:8080"


def test_unicode_host_names_become_idna() -> None:
    t = check_url("https://пример.рф/статья")
    assert t.host == "xn--e1afmkfd.xn--p1ai"
    assert t.url.startswith("https://xn--e1afmkfd.xn--p1ai/")


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("http://2130706433/", "127.0.0.1"),  # one decimal number
        ("http://0x7f000001/", "127.0.0.1"),  # one hexadecimal number
        ("http://0177.0.0.1/", "127.0.0.1"),  # octal parts
        ("http://0x7f.1/", "127.0.0.1"),  # short form
        ("http://127.1/", "127.0.0.1"),
        ("http://167772161/", "10.0.0.1"),
        ("http://[::1]/", "::1"),
        ("http://[::ffff:127.0.0.1]/", "::ffff:7f00:1"),
    ],
)
def test_numeric_hosts_are_read_as_the_address_they_denote(url: str, address: str) -> None:
    t = check_url(url)
    assert t.ip == ipaddress.ip_address(address)
    assert t.host == address


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "only http and https links can be fetched (not file)"),
        ("ftp://example.com/", "only http and https links can be fetched (not ftp)"),
        ("javascript:alert(1)", "only http and https links can be fetched (not javascript)"),
        ("gopher://example.com/", "only http and https links can be fetched (not gopher)"),
        ("data:text/html,<p>x</p>", "only http and https links can be fetched (not data)"),
        ("//example.com/x", "only http and https links can be fetched (not no scheme)"),
        ("example.com/x", "only http and https links can be fetched (not no scheme)"),
        ("http://user:pass@example.com/", "links with a user name or password are not fetched"),
        ("http://user@example.com/", "links with a user name or password are not fetched"),
        ("http://:@example.com/", "links with a user name or password are not fetched"),
        ("http://example.com\\@10.0.0.1/", "the link is malformed"),
        ("http://exa mple.com/", "the link is malformed"),
        ("http://example.com/\x00", "the link is malformed"),
        ("http:///path", "the link has no host"),
        ("http://", "the link has no host"),
        ("http://example.com:22/", "port 22 is not allowed"),
        ("http://example.com:0/", "port 0 is not allowed"),
        ("http://example.com:99999/", "the link is malformed"),
        ("http://exa_mple-.com/", "the link's host name is not valid"),
        ("http://[not-an-ip]/", "the link is malformed"),
        ("http://256.1.1.1/", "the link's address is not valid"),
        ("", "the link is empty"),
    ],
)
def test_bad_urls_are_refused(url: str, reason: str) -> None:
    with pytest.raises(BlockedAddress) as caught:
        check_url(url)
    assert caught.value.reason == reason


def test_ports_can_be_opened_by_configuration() -> None:
    assert check_url("http://example.com:3000/", ports=None).port == 3000
    assert check_url("http://example.com:3000/", ports={3000}).port == 3000


def test_very_long_urls_are_refused() -> None:
    with pytest.raises(BlockedAddress, match="too long"):
        check_url("https://example.com/" + "a" * 5000)


@given(st.text(max_size=200))
def test_check_url_never_fails_otherwise(text: str) -> None:
    try:
        target = check_url(text)
    except BlockedAddress:
        return
    assert target.scheme in ("http", "https")
    assert target.host


# --- addresses -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.255.255.254",
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata service
        "100.64.0.1",  # shared address space (CGNAT)
        "0.0.0.0",
        "255.255.255.255",
        "224.0.0.251",  # multicast
        "240.0.0.1",  # reserved
        "192.0.2.10",  # documentation
        "198.18.0.1",  # benchmarking
        "::",
        "::1",
        "fe80::1",
        "fc00::1",
        "fd12:3456::1",
        "fec0::1",
        "ff02::1",
        "::ffff:127.0.0.1",  # IPv4-mapped
        "::ffff:8.8.8.8",  # IPv4-mapped, even of a public address: no resolver answers with these
        "::127.0.0.1",  # IPv4-compatible
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
        "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
        "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
        "2001:db8::1",  # documentation
    ],
)
def test_non_public_addresses_are_refused(address: str) -> None:
    assert not is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "address",
    ["8.8.8.8", "1.1.1.1", "93.184.216.34", "2606:4700:4700::1111", "2a00:1450:4001:80b::200e", "2002:808:808::1"],
)
def test_public_addresses_pass(address: str) -> None:
    assert is_public_address(ipaddress.ip_address(address))


def test_allowed_networks_are_exact() -> None:
    assert is_public_address(ipaddress.ip_address("127.0.0.1"), LOOPBACK_ONLY)
    assert not is_public_address(ipaddress.ip_address("127.0.0.2"), LOOPBACK_ONLY)
    assert not is_public_address(ipaddress.ip_address("::1"), LOOPBACK_ONLY)
    # Allowing 127.0.0.1 does not allow its IPv6 disguises.
    assert not is_public_address(ipaddress.ip_address("::ffff:127.0.0.1"), LOOPBACK_ONLY)
    assert not is_public_address(ipaddress.ip_address("2002:7f00:1::1"), LOOPBACK_ONLY)


PRIVATE_V4 = [ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8")]


@given(st.sampled_from(PRIVATE_V4), st.integers(min_value=0, max_value=2**24 - 1))
def test_every_private_address_and_its_ipv6_forms_are_refused(net: ipaddress.IPv4Network, offset: int) -> None:
    ip = net[offset % net.num_addresses]
    assert not is_public_address(ip)
    assert not is_public_address(ipaddress.IPv6Address(f"::ffff:{ip}"))
    assert not is_public_address(ipaddress.IPv6Address((0x2002 << 112) | (int(ip) << 80)))
    assert not is_public_address(ipaddress.IPv6Address(f"64:ff9b::{ip}"))


def test_parse_networks() -> None:
    nets = parse_networks(["127.0.0.1/32", " ::1/128 ", ipaddress.ip_network("10.1.0.0/16")])
    assert [str(n) for n in nets] == ["127.0.0.1/32", "::1/128", "10.1.0.0/16"]
    with pytest.raises(ValueError):
        parse_networks(["not a network"])


# --- resolve_and_check ---------------------------------------------------------------------------------


def answer(*addresses: str) -> Any:
    async def getaddrinfo(host: str, port: int, **_: Any) -> list[tuple[Any, ...]]:
        out: list[tuple[Any, ...]] = []
        for a in addresses:
            if ":" in a:
                out.append((socket.AF_INET6, socket.SOCK_STREAM, 6, "", (a, port, 0, 0)))
            else:
                out.append((socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)))
        return out

    return getaddrinfo


async def test_literal_addresses_are_checked_without_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    async def no_lookup(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("an IP address must not be resolved")

    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", no_lookup)
    assert await resolve_and_check("93.184.216.34", 443) == [ipaddress.ip_address("93.184.216.34")]
    assert await resolve_and_check("127.0.0.1", 80, LOOPBACK_ONLY) == [ipaddress.ip_address("127.0.0.1")]
    for host in ("127.0.0.1", "10.0.0.1", "::1", "169.254.169.254"):
        with pytest.raises(BlockedAddress, match="the address is private"):
            await resolve_and_check(host, 80)


async def test_a_name_is_refused_when_any_address_is_private(monkeypatch: pytest.MonkeyPatch) -> None:
    loop = asyncio.get_running_loop()
    monkeypatch.setattr(loop, "getaddrinfo", answer("93.184.216.34", "2606:2800:220:1::1"))
    assert len(await resolve_and_check("example.com", 443)) == 2
    monkeypatch.setattr(loop, "getaddrinfo", answer("93.184.216.34", "10.0.0.5"))
    with pytest.raises(BlockedAddress, match="the address is private"):
        await resolve_and_check("example.com", 443)
    monkeypatch.setattr(loop, "getaddrinfo", answer("93.184.216.34", "::ffff:169.254.169.254"))
    with pytest.raises(BlockedAddress):
        await resolve_and_check("example.com", 443)


async def test_duplicate_answers_are_merged(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", answer("1.1.1.1", "1.1.1.1", "1.0.0.1"))
    assert [str(a) for a in await resolve_and_check("one.example", 443)] == ["1.1.1.1", "1.0.0.1"]


async def test_unresolvable_names_give_a_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    async def fail(*args: Any, **kwargs: Any) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", fail)
    with pytest.raises(FetchError) as caught:
        await resolve_and_check("nowhere.example", 80)
    assert caught.value.reason == "the site's address could not be found"
    assert not isinstance(caught.value, BlockedAddress)


async def test_localhost_resolves_to_loopback_and_is_refused() -> None:
    # Real resolution: "localhost" is loopback on every machine (RFC 6761); nothing is sent anywhere.
    with pytest.raises(BlockedAddress, match="the address is private"):
        await resolve_and_check("localhost", 80)
