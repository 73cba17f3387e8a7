"""Files: a .txt, .md or .html document becomes an article; any other file gets a clear answer.

Shared by the bot (a document sent or forwarded) and the CLI (`precis ingest FILE`). A file is judged by its
name and declared type first, so a PDF or a photo is refused without being downloaded, then by its bytes in a
worker process (analysis.documents.read_document): decoding, charset detection and HTML extraction are CPU work.
"""

from __future__ import annotations

from datetime import datetime

from analysis.documents import DocumentRefused, DocumentText, read_document, refusal_before_reading
from fetch.client import format_size
from storage.repository import Source
from usecases.errors import IngestRefused, Reason
from usecases.ingest import IncomingArticle, published_datetime
from usecases.services import Services

__all__ = ["check_file", "file_article", "read_file"]


def refused(reason: Reason) -> IngestRefused:
    return IngestRefused("file_refused", cause=reason)


def check_file(services: Services, file_name: str | None, mime: str | None, size: int | None) -> None:
    """Refuse a file before it is read, from what is known about it: its name, declared type and size."""
    early = refusal_before_reading(file_name, mime)
    if early is not None:
        raise refused(Reason("file", early.key, early.values))
    limit = services.limits.max_file_bytes
    if size is not None and size > limit:
        raise refused(Reason("file", "too_large", {"size": format_size(size), "limit": format_size(limit)}))


async def read_file(services: Services, file_name: str | None, data: bytes, mime: str | None = None) -> DocumentText:
    """The article in a file's bytes; IngestRefused with the reason when there is none."""
    check_file(services, file_name, mime, len(data))
    try:
        return await services.analyzer.run(read_document, file_name, data, mime)
    except DocumentRefused as refusal:
        raise refused(Reason("file", refusal.key, refusal.values)) from None


def file_article(
    document: DocumentText,
    file_name: str | None,
    *,
    published_at: datetime | None = None,
    message_id: int | None = None,
    forwarded_from: Source | None = None,
) -> IncomingArticle:
    """The article to store for a read file: the file as its source (and the chat it was forwarded from)."""
    return IncomingArticle(
        document.text,
        Source("file", file_name or None),
        published_datetime(document.published) or published_at,
        message_id=message_id,
        title=document.title,
        author=document.author,
        extra_sources=(forwarded_from,) if forwarded_from is not None else (),
    )
