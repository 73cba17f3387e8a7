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
    # Imported here: these need the analysis, the SQL does not.
    from analysis.people import language_of_name, search_keys
    from storage.people import regroup_all

    def keys_of(name: str, kind: str) -> list[str]:
        return sorted(search_keys(name, (), kind, language_of_name(name)))

    return {"people_names": lambda conn: regroup_all(conn, keys_of)}
