"""Which links name the same page: the identity key of a URL, for recognising an article sent twice.

People share one article under many spellings: `HTTPS://Example.org/news/1/`, `https://www.example.org/news/1`,
`https://example.org/news/1?utm_source=telegram&utm_medium=social`, `.../news/1#comments`. `canonical_url` maps
all of these to one key. It is a key for comparing, not a URL to fetch: the scheme is dropped (the http and https
pages of a news site are the same article), so is a leading "www.", the default port, the fragment, a trailing
slash, and the query parameters that only say who shared the link or which campaign it came from. The
parameters that remain are sorted, since their order never changes the page.
"""

from __future__ import annotations

import contextlib
import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

import idna

__all__ = ["TRACKING_PARAMETERS", "canonical_url", "is_telegram_link"]

# Query parameters that track the click and never select the content (analytics, ad networks, social sites,
# mailing tools). Names are compared in lower case; a name listed with a trailing "*" is a prefix.
TRACKING_PARAMETERS: frozenset[str] = frozenset(
    {
        "utm_*", "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "ysclid", "igshid",
        "igsh", "mc_cid", "mc_eid", "mkt_tok", "_hsenc", "_hsmi", "__hssc", "__hstc", "__hsfp", "hsctatracking",
        "oly_anon_id", "oly_enc_id", "vero_id", "vero_conv", "_ga", "_gl", "_openstat", "ref", "ref_src",
        "ref_url", "referrer", "cmpid", "cmp", "ncid", "ocid", "sr_share", "spm", "scm", "si", "s_cid", "smid",
        "smtyp", "at_medium", "at_campaign", "at_custom1", "at_custom2", "at_custom3", "at_custom4", "wt_mc",
        "wt.mc_id", "xtor", "ito", "taid", "guccounter", "guce_referrer", "guce_referrer_sig",
        "__twitter_impression", "twclid", "ttclid", "li_fat_id", "trk", "trkcampaign", "campaign_id", "ad_id",
        "adset_id", "tg_ref",
    }
)  # fmt: skip
_PREFIXES = tuple(name[:-1] for name in TRACKING_PARAMETERS if name.endswith("*"))
_TELEGRAM_HOSTS = frozenset({"t.me", "telegram.me", "telegram.dog", "telesco.pe"})
_SLASHES = re.compile(r"/{2,}")
_ENCODED_SLASH = re.compile(r"%2[fF]")


def _tracking(name: str) -> bool:
    name = name.lower()
    return name in TRACKING_PARAMETERS or name.startswith(_PREFIXES)


def _host(raw: str) -> str:
    host = raw.strip().lower().rstrip(".")
    # A host idna refuses is kept as written: this is only a key, and such a host cannot be fetched anyway.
    with contextlib.suppress(idna.IDNAError, UnicodeError, ValueError):
        host = idna.encode(host, uts46=True).decode("ascii")
    return host.removeprefix("www.")


def _path(raw: str) -> str:
    # One spelling for every byte: decode what is percent-encoded, then encode what must be, keeping "/"
    # and the characters paths use as themselves. %2F stays encoded, since it is not a separator.
    parts = [quote(unquote(part), safe="/!$&'()*+,;=:@~-._") for part in _ENCODED_SLASH.split(raw)]
    path = _SLASHES.sub("/", "%2F".join(parts))
    return path.rstrip("/")


def canonical_url(url: str) -> str | None:
    """The identity key of an http(s) URL (see the module's description), or None when it is not one."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    host = _host(parts.hostname)
    if port is not None and port not in (80, 443):
        host = f"{host}:{port}"
    query = [(name, value) for name, value in parse_qsl(parts.query, keep_blank_values=True) if not _tracking(name)]
    query.sort()
    key = host + _path(parts.path)
    if query:
        key += "?" + urlencode(query)
    return key


def is_telegram_link(url: str) -> bool:
    """A link to Telegram itself (a channel, a post, an invitation): never an article page to fetch."""
    try:
        host = (urlsplit(url.strip()).hostname or "").lower().removeprefix("www.")
    except ValueError:
        return False
    return host in _TELEGRAM_HOSTS
