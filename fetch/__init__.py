"""Fetching web pages that users link to: the SSRF guard and the page fetcher. I/O lives here, not in
`analysis`; handlers import this package, and it imports nothing of ours but `analysis`."""
