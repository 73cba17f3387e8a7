"""The guard in front of every fetch: which URLs may be fetched, and which addresses may be connected to.

A link a user sends is untrusted: fetched blindly it can reach the bot's own machine, its network, or a cloud
metadata service (server-side request forgery). So:

- `check_url` accepts only http and https URLs with a host, no credentials, an allowed port, and a host name
  that is a valid (IDNA) name or an IP address, legacy numeric forms ("http://2130706433/", "0x7f.1")
  included and read the way a browser or the C resolver reads them;
- `resolve_and_check` resolves the host off the event loop and refuses it when ANY of its addresses is not a
  public unicast address (private, loopback, link-local, multicast, reserved, unspecified, shared/CGNAT,
  documentation, benchmarking, and the IPv6 forms that carry such an IPv4 address: IPv4-mapped,
  IPv4-compatible, 6to4, NAT64, Teredo), unless the address is inside a network the configuration
  explicitly allows (tests that serve pages on 127.0.0.1 allow 127.0.0.1/32, nothing else).

The fetcher then connects to the very addresses checked here, never resolving the name again, so a DNS
answer that changes between check and connect (DNS rebinding) has nothing to change.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import idna

__all__ = [
    "DEFAULT_PORTS",
    "BlockedAddress",
    "FetchError",
    "IPAddress",
    "IPNetwork",
    "ParsedTarget",
    "check_url",
    "is_public_address",
    "parse_networks",
    "resolve_and_check",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Web ports. Anything else on a public host is more often an admin panel than an article.
DEFAULT_PORTS: frozenset[int] = frozenset({80, 443, 8080, 8443})
MAX_URL_LENGTH = 4096


# Why a fetch failed, in plain English for logs and the command line. The bot words the same reasons for its
# users from its message catalogue, by key, with the same values.
REASONS: dict[str, str] = {
    "empty": "the link is empty",
    "too_long": "the link is too long",
    "malformed": "the link is malformed",
    "scheme": "only http and https links can be fetched (not {scheme})",
    "credentials": "links with a user name or password are not fetched",
    "no_host": "the link has no host",
    "port": "port {port} is not allowed",
    "bad_address": "the link's address is not valid",
    "bad_host": "the link's host name is not valid",
    "not_found": "the site's address could not be found",
    "private": "the address is private",
    "slow": "the page took too long to answer",
    "redirects": "the page redirects too many times",
    "status": "HTTP {status}",
    "failed": "the page could not be fetched",
    "unreachable": "the site could not be reached",
    "not_html": "the page is not HTML ({mime})",
    "no_type": "the page is not HTML (no content type)",
    "too_large": "the page is larger than {size}",
    "broken_compression": "the page's compressed data is broken",
    "broken_connection": "the connection broke while reading the page",
    "compression": "the page uses an unsupported compression ({coding})",
    "certificate": "the site's security certificate is not valid",
    "tls": "a secure connection to the site failed",
}


class FetchError(Exception):
    """A page could not be fetched. `key` names the reason and `values` fill it in (the bot words it for its
    users from its message catalogue); `reason` is the same as a short English sentence, for logs and the CLI."""

    def __init__(self, key: str, **values: str | int) -> None:
        self.key = key
        self.values = values
        self.reason = REASONS[key].format(**values)
        super().__init__(self.reason)


class BlockedAddress(FetchError):
    """The guard refused the URL or its address."""


@dataclass(frozen=True, slots=True)
class ParsedTarget:
    url: str  # the URL as it will be requested: lower-case scheme, IDNA host, no fragment
    scheme: str  # "http" or "https"
    host: str  # ASCII host name, or the IP address in its canonical form (no brackets)
    port: int
    target: str  # path and query, as sent on the request line: "/news/1?x=2"
    ip: IPAddress | None = None  # set when the host is an IP address

    @property
    def host_header(self) -> str:
        """The `Host` header value: the name, with the port when it is not the scheme's default."""
        host = f"[{self.host}]" if self.ip is not None and self.ip.version == 6 else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")
_NUMERIC_HOST = re.compile(r"^(?:0x[0-9a-f]*|[0-9]+)(?:\.(?:0x[0-9a-f]*|[0-9]+)){0,3}\.?$")
_FORBIDDEN_CHARS = re.compile(r"[\x00-\x20\x7f\\]")


def check_url(url: str, ports: Collection[int] | None = DEFAULT_PORTS) -> ParsedTarget:
    """Parse and vet a URL before anything is resolved or fetched. Raises BlockedAddress with the reason.

    `ports`: the ports allowed, or None for any port."""
    if not isinstance(url, str) or not url.strip():
        raise BlockedAddress("empty")
    url = url.strip()
    if len(url) > MAX_URL_LENGTH:
        raise BlockedAddress("too_long")
    if _FORBIDDEN_CHARS.search(url):
        raise BlockedAddress("malformed")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise BlockedAddress("malformed") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        shown = scheme or "no scheme"
        raise BlockedAddress("scheme", scheme=shown)
    if "@" in parts.netloc or parts.username is not None or parts.password is not None:
        raise BlockedAddress("credentials")
    raw_host = parts.hostname
    if not raw_host:
        raise BlockedAddress("no_host")
    host, ip = _normalise_host(raw_host, bracketed=parts.netloc.startswith("["))
    if port is None:
        port = 443 if scheme == "https" else 80
    if port == 0 or (ports is not None and port not in ports):
        raise BlockedAddress("port", port=port)
    target = parts.path or "/"
    if parts.query:
        target = f"{target}?{parts.query}"
    netloc_host = f"[{host}]" if ip is not None and ip.version == 6 else host
    default_port = 443 if scheme == "https" else 80
    netloc = netloc_host if port == default_port else f"{netloc_host}:{port}"
    normalised = urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))
    return ParsedTarget(url=normalised, scheme=scheme, host=host, port=port, target=target, ip=ip)


def _normalise_host(raw: str, bracketed: bool) -> tuple[str, IPAddress | None]:
    host = raw.strip().lower()
    if bracketed:
        try:
            v6 = ipaddress.IPv6Address(host.split("%", 1)[0])
        except ValueError:
            raise BlockedAddress("bad_address") from None
        return str(v6), v6
    host = host.rstrip(".")
    if not host:
        raise BlockedAddress("no_host")
    # Numeric hosts, in every form the C resolver and browsers accept: "127.0.0.1", "2130706433",
    # "0x7f.1", "0177.0.0.1". They are read as the address they denote, and checked as that address.
    if _NUMERIC_HOST.match(host):
        try:
            v4 = ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            raise BlockedAddress("bad_address") from None
        return str(v4), v4
    try:
        ascii_host = idna.encode(host, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError):
        try:
            ascii_host = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise BlockedAddress("bad_host") from None
    ascii_host = ascii_host.lower().rstrip(".")
    labels = ascii_host.split(".")
    if len(ascii_host) > 253 or not all(_LABEL.match(label) for label in labels):
        raise BlockedAddress("bad_host")
    if _NUMERIC_HOST.match(ascii_host):  # a Unicode form that folded into digits
        return _normalise_host(ascii_host, bracketed=False)
    return ascii_host, None


# --- addresses -----------------------------------------------------------------------------------------

# Special-purpose ranges (IANA registries), listed so that the check does not depend on the Python
# version's idea of `is_global`. Refused unless explicitly allowed.
_BLOCKED_V4 = tuple(
    ipaddress.IPv4Network(n)
    for n in (
        "0.0.0.0/8",  # "this network"
        "10.0.0.0/8",  # private
        "100.64.0.0/10",  # shared address space (carrier-grade NAT)
        "127.0.0.0/8",  # loopback
        "169.254.0.0/16",  # link-local, cloud metadata services
        "172.16.0.0/12",  # private
        "192.0.0.0/24",  # IETF protocol assignments
        "192.0.2.0/24",  # documentation
        "192.31.196.0/24",  # AS112
        "192.52.193.0/24",  # AMT
        "192.88.99.0/24",  # 6to4 relay anycast
        "192.168.0.0/16",  # private
        "192.175.48.0/24",  # AS112
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",  # documentation
        "203.0.113.0/24",  # documentation
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, and 255.255.255.255 broadcast
    )
)
_BLOCKED_V6 = tuple(
    ipaddress.IPv6Network(n)
    for n in (
        "::/96",  # unspecified, loopback, IPv4-compatible (deprecated)
        "::ffff:0:0/96",  # IPv4-mapped (checked as its IPv4 address before this list)
        "::ffff:0:0:0/96",  # IPv4-translated
        "64:ff9b::/96",  # NAT64 (checked as its IPv4 address before this list)
        "64:ff9b:1::/48",  # local-use NAT64
        "100::/64",  # discard-only
        "2001::/23",  # IETF protocol assignments, Teredo (2001::/32) among them
        "2001:db8::/32",  # documentation
        "2002::/16",  # 6to4 (checked as its IPv4 address before this list)
        "3fff::/20",  # documentation
        "5f00::/16",  # segment routing
        "fc00::/7",  # unique local
        "fe80::/10",  # link-local
        "fec0::/10",  # site-local (deprecated)
        "ff00::/8",  # multicast
    )
)


def _embedded_v4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for, in the forms that route to it."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def _allowed(ip: IPAddress, allow: Iterable[IPNetwork]) -> bool:
    return any(ip.version == net.version and ip in net for net in allow)


def is_public_address(ip: IPAddress, allow: Iterable[IPNetwork] = ()) -> bool:
    """True when a connection to `ip` is acceptable: a public unicast address, or one inside `allow`."""
    allow = tuple(allow)
    if _allowed(ip, allow):
        return True
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.scope_id:
            return False
        inner = _embedded_v4(ip)
        if inner is not None:
            # 6to4 and NAT64 forms are judged as the IPv4 address they reach (an allowed IPv4 network does
            # not extend to them). No real resolver answers with an IPv4-mapped address: always refused.
            return ip.ipv4_mapped is None and is_public_address(inner)
        if any(ip in net for net in _BLOCKED_V6):
            return False
    elif any(ip in net for net in _BLOCKED_V4):
        return False
    return bool(
        ip.is_global
        and not ip.is_private
        and not ip.is_loopback
        and not ip.is_link_local
        and not ip.is_multicast
        and not ip.is_reserved
        and not ip.is_unspecified
    )


def parse_networks(values: Iterable[str | IPNetwork]) -> tuple[IPNetwork, ...]:
    """Networks from configuration: "127.0.0.1/32", "::1/128", or network objects."""
    out: list[IPNetwork] = []
    for value in values:
        if isinstance(value, (ipaddress.IPv4Network, ipaddress.IPv6Network)):
            out.append(value)
        else:
            out.append(ipaddress.ip_network(str(value).strip(), strict=False))
    return tuple(out)


async def resolve_and_check(host: str, port: int, allow: Iterable[IPNetwork] = ()) -> list[IPAddress]:
    """The addresses of `host`, each acceptable; raises BlockedAddress when any of them is not.

    Resolution runs in the event loop's resolver thread (`loop.getaddrinfo`), never blocking the loop. An IP
    address as `host` is checked as it is, without any lookup."""
    allow = tuple(allow)
    literal = _literal(host)
    if literal is not None:
        addresses: list[IPAddress] = [literal]
    else:
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
        except (socket.gaierror, UnicodeError, OSError):
            raise FetchError("not_found") from None
        addresses = []
        for family, _type, _proto, _canon, sockaddr in infos:
            if family not in (socket.AF_INET, socket.AF_INET6):
                continue
            text = str(sockaddr[0]).split("%", 1)[0]
            try:
                ip = ipaddress.ip_address(text)
            except ValueError:
                raise BlockedAddress("bad_address") from None
            if family == socket.AF_INET6 and len(sockaddr) >= 4 and sockaddr[3]:
                raise BlockedAddress("private")  # a scoped (link-local) address
            if ip not in addresses:
                addresses.append(ip)
        if not addresses:
            raise FetchError("not_found")
    for ip in addresses:
        if not is_public_address(ip, allow):
            raise BlockedAddress("private")
    return addresses


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None
