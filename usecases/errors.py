"""Problems the user can fix, named by catalogue keys; the fronts turn them into words (views.i18n.explain)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a link or a file could not be read: message `key` of the catalogue section `section`."""

    section: str
    key: str
    values: Mapping[str, str | int] = field(default_factory=dict)


class UserError(Exception):
    """A problem the user can fix; `key` names the catalogue message (of `section`) that explains it.

    `values` are plain text: whoever shows the message escapes them for its medium."""

    section = "text"

    def __init__(self, key: str, *, cause: Reason | None = None, section: str | None = None, **values: Any) -> None:
        super().__init__(key)
        self.key = key
        if section is not None:
            self.section = section
        self.values = values
        self.cause = cause  # why a link or a file could not be read, filled in as {reason}


class IngestRefused(UserError):
    """The input cannot become an article; the message key says why (with its cause as {reason})."""


class DigestProblem(UserError):
    """A digest command that cannot be done; its message is in the catalogue section [digest]."""

    section = "digest"


class ScheduleError(DigestProblem):
    """A schedule or time zone the user wrote that cannot be used; the message has an example."""
