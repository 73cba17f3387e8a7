"""Numbered migrations: NNN_name.sql, applied in order in one transaction (see `Database.migrate`).

A migration that must also rewrite rows by rules written in Python (names read by `analysis.people`) has a
step registered here under its name (the file name without number and suffix, so that renumbering a migration
is renaming one file); it runs after that migration's SQL, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

Step = Callable[[Any], Awaitable[None]]  # given the migration's connection, on either backend


def python_steps() -> dict[str, Step]:
    from storage.people import regroup_all  # imported here: storage.people needs the analysis, the SQL does not

    return {"people_names": regroup_all}
