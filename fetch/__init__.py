"""Fetching web pages that users link to: the SSRF guard and the page fetcher.

I/O lives here, not in `analysis`; handlers import this package, and it imports nothing of ours but
`analysis`. Extracting the article from a fetched page is CPU work for a worker process:
`analysis.html.extract_article(page.body, page.final_url, page.charset)`.
"""

from fetch.client import DEFAULT_USER_AGENT, FetchConfig, FetchedPage, PageFetcher, find_links
from fetch.guard import BlockedAddress, FetchError, ParsedTarget, check_url, resolve_and_check

__all__ = [
    "DEFAULT_USER_AGENT",
    "BlockedAddress",
    "FetchConfig",
    "FetchError",
    "FetchedPage",
    "PageFetcher",
    "ParsedTarget",
    "check_url",
    "find_links",
    "resolve_and_check",
]
