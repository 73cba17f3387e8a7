"""A PostgreSQL server for the test suite's PostgreSQL half.

`PRECIS_TEST_POSTGRES_URL` (a role that may create databases) is used when set. Otherwise, when PostgreSQL's
server programs are installed (`pg_config --bindir`, or the distribution's /usr/lib/postgresql/*/bin), a
throwaway cluster is made with initdb in a temporary folder and started with pg_ctl on a free port of 127.0.0.1,
without durability (fsync off: it lives for one test session). PostgreSQL refuses to run as root, so under root
the cluster belongs to an unprivileged system user (postgres, else nobody) and its programs run as that user.
A test of migrations gets an empty database of its own; every other test gets a database at the code's schema
version with no rows (see `Databases`). When the suite runs in several processes they share one cluster
(`shared_cluster`), each with databases of its own: one initdb and one server start per run, not per process.
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import json
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

from tests.ports import listen_port


def find_bindir() -> Path | None:
    candidates: list[Path] = []
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True).stdout.strip()
        candidates.append(Path(out))
    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]
    for bindir in candidates:
        if (bindir / "initdb").exists() and (bindir / "pg_ctl").exists():
            return bindir
    return None


def _unprivileged_user() -> pwd.struct_passwd:
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise RuntimeError("running as root and neither a 'postgres' nor a 'nobody' user exists to run PostgreSQL")


@dataclass
class Cluster:
    bindir: Path
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="precis-pg-")))
    port: int = field(default_factory=listen_port)
    user: str | None = None  # the system user the server runs as (None: ourselves)

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def url(self) -> str:
        return f"postgresql://precis@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.user is not None:
            runuser = shutil.which("runuser")
            if runuser:
                command = [runuser, "-u", self.user, "--", *command]
            else:
                command = ["su", "-s", "/bin/sh", self.user, "-c", " ".join(f"'{a}'" for a in command)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{args[0]} failed: {result.stderr.strip() or result.stdout.strip()}\n{tail}")

    def start(self) -> Cluster:
        if os.geteuid() == 0:
            account = _unprivileged_user()
            self.user = account.pw_name
            os.chown(self.root, account.pw_uid, account.pw_gid)
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "precis",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--lc-collate=C",
            "--lc-ctype=C.UTF-8",
            "-N",
        )
        options = (
            f"-c port={self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.root} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-o", options, "-w", "start")
        return self

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def to_json(self) -> str:
        return json.dumps({"bindir": str(self.bindir), "root": str(self.root), "port": self.port, "user": self.user})

    @classmethod
    def from_json(cls, text: str) -> Cluster:
        fields = json.loads(text)
        return cls(Path(fields["bindir"]), Path(fields["root"]), int(fields["port"]), fields["user"])


def shared_cluster(folder: Path, bindir: Path) -> Cluster:
    """The one cluster of a run whose test processes share `folder`: the first to ask starts it (under a file
    lock, so only one does), the others find it there. Whoever made `folder` stops it (`stop_shared_cluster`).
    Raises RuntimeError, for every process that asks, when it did not start."""
    with (folder / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        state, failure = folder / "cluster.json", folder / "failed"
        if state.exists():
            return Cluster.from_json(state.read_text())
        if failure.exists():
            raise RuntimeError(failure.read_text())
        try:
            cluster = Cluster(bindir).start()
        except Exception as exc:
            failure.write_text(str(exc))
            raise RuntimeError(str(exc)) from exc
        state.write_text(cluster.to_json())
        return cluster


def stop_shared_cluster(folder: Path) -> None:
    state = folder / "cluster.json"
    if state.exists():
        Cluster.from_json(state.read_text()).stop()
    shutil.rmtree(folder, ignore_errors=True)


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


class Databases:
    """Databases for the tests on one server: a fresh empty one per test (`create`, for the tests of migrations),
    or one at the code's schema version with no rows (`migrated`).

    Creating a database makes the server write a checkpoint, which costs close to a second on a busy machine.
    So `migrated` hands every test of this process the same database, migrated once and emptied before each
    test (every row deleted, every sequence restarted; triggers are off while deleting, which needs a
    superuser: the throwaway cluster's role is one). Without superuser rights each test gets a copy of that
    database instead (CREATE DATABASE ... TEMPLATE: still no migration per test)."""

    def __init__(self, admin_url: str, migrate: Callable[[str], None]) -> None:
        self.admin_url = admin_url
        self._migrate = migrate
        self._migrated: str | None = None  # the URL of the migrated database
        self._empty_it: str | None = None  # the SQL that empties it, when it may be reused

    def create(self, *, template: str = "template0") -> str:
        name = "precis_test_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
        return with_database(self.admin_url, name)

    def migrated(self) -> str:
        """A database at the code's schema version, with no rows; `release` it after the test."""
        if self._migrated is None:
            self._migrated = self.create()
            self._migrate(self._migrated)
            self._empty_it = self._emptying_sql(self._migrated)
        if self._empty_it is None:
            return self.create(template=urlsplit(self._migrated).path.lstrip("/"))
        with psycopg.connect(self._migrated, autocommit=True) as conn:
            # A connection a failed test left open would hold locks the deletes wait for.
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            conn.execute(self._empty_it)
        return self._migrated

    def release(self, url: str) -> None:
        if url != self._migrated:
            self.drop(url)

    @staticmethod
    def _emptying_sql(url: str) -> str | None:
        with psycopg.connect(url, autocommit=True) as conn:
            row = conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()
            if not (row and row[0]):
                return None
            query = (
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'precis_schema'"
            )
            tables = [r[0] for r in conn.execute(query)]
            sequences = [
                r[0] for r in conn.execute("SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()")
            ]
        statements = [f'DELETE FROM "{t}";' for t in tables] + [f'ALTER SEQUENCE "{q}" RESTART;' for q in sequences]
        return " ".join(["SET session_replication_role = replica;", *statements, "RESET session_replication_role;"])

    def drop(self, url: str) -> None:
        name = urlsplit(url).path.lstrip("/")
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
