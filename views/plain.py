"""Telegram HTML as a terminal shows it: for the console playground and the CLI."""

from __future__ import annotations

import html
import re

_TAG = re.compile(r"<(/?)([a-z-]+)([^>]*)>")
_HREF = re.compile(r'href="([^"]*)"')


def html_to_terminal(text: str, ansi: bool) -> str:
    """Telegram HTML as a terminal shows it: bold and italics as ANSI styles, links with their address."""
    bold, italic, reset = ("\033[1m", "\033[3m", "\033[0m") if ansi else ("", "", "")
    out: list[str] = []
    pos = 0
    pending_href: list[str | None] = []
    for match in _TAG.finditer(text):
        out.append(html.unescape(text[pos : match.start()]))
        closing, tag, attrs = match.groups()
        if tag in ("b", "strong"):
            out.append(reset if closing else bold)
        elif tag in ("i", "em"):
            out.append(reset if closing else italic)
        elif tag == "a":
            if closing:
                href = pending_href.pop() if pending_href else None
                if href:
                    out.append(f" ({href})")
            else:
                href_match = _HREF.search(attrs)
                pending_href.append(html.unescape(href_match.group(1)) if href_match else None)
        pos = match.end()
    out.append(html.unescape(text[pos:]))
    return "".join(out)


def plain(html_text: str) -> str:
    """Telegram HTML as plain text: no styles, links followed by their address."""
    return html_to_terminal(html_text, ansi=False)
