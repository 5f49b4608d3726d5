"""A real PostgreSQL server for the results tests, started by the tests themselves: Debian's `postgresql`
package (`.ci/run` installs it), `initdb` and `pg_ctl` into a temporary folder, listening on a free loopback
port, trusting local connections. PostgreSQL refuses to run as root: as root the server runs as `nobody`.

`start` returns the server, or why none can start (no binaries, no psycopg, no unprivileged user): the
tests that need it skip with that reason, and SQLite's still run.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Server:
    url: str  # postgresql://postgres@127.0.0.1:PORT/postgres

    def schema_url(self, schema: str) -> str:
        """The server's URL with `schema` first on the search path: each test's store starts empty."""
        return f"{self.url}?options=-csearch_path%3D{schema}"


def _bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if found:
        return Path(found[0]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_user() -> dict[str, object]:
    """subprocess arguments running the server as an unprivileged user when the tests run as root."""
    if os.geteuid() != 0:
        return {}
    entry = pwd.getpwnam("nobody")
    return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}


@contextmanager
def running() -> Iterator[Server | str]:
    """A server for the block (stopped and removed after it), or the reason none could start."""
    try:
        import psycopg
    except ImportError:
        yield "psycopg is not installed (pip install 'tts-harness[postgres]')"
        return
    bindir = _bindir()
    if bindir is None:
        yield "no PostgreSQL server binaries (apt-get install postgresql)"
        return
    try:
        user = _as_user()
    except KeyError:
        yield "running as root and no 'nobody' user to run PostgreSQL as"
        return
    root = Path(tempfile.mkdtemp(prefix="tts-harness-pg-"))
    data = root / "data"
    uid = user.get("user")
    if isinstance(uid, int):
        os.chown(root, uid, -1)
    port = _free_port()
    env = {**os.environ, "LC_ALL": "C", "TZ": "UTC"}
    started = False
    try:
        made = subprocess.run(
            [str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"],
            capture_output=True,
            text=True,
            env=env,
            cwd=root,
            check=False,
            timeout=120,
            **user,
        )  # type: ignore[call-overload]
        if made.returncode != 0:
            yield f"initdb failed: {(made.stderr or made.stdout).strip().splitlines()[-1:]}"
            return
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={root} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        up = subprocess.run(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(root / "log"),
                "-w",
                "-t",
                "60",
                "start",
            ],
            capture_output=True,
            text=True,
            env=env,
            cwd=root,
            check=False,
            timeout=120,
            **user,
        )  # type: ignore[call-overload]
        if up.returncode != 0:
            logged = root / "log"
            log = logged.read_text(errors="replace").strip().splitlines()[-1:] if logged.exists() else []
            yield f"the PostgreSQL server did not start: {log or up.stderr.strip()}"
            return
        started = True
        url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
        with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
            conn.execute("SELECT 1")
        yield Server(url)
    finally:
        if started:
            subprocess.run(
                [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                capture_output=True,
                env=env,
                cwd=root,
                check=False,
                timeout=60,
                **user,
            )  # type: ignore[call-overload]
        shutil.rmtree(root, ignore_errors=True)


def fresh_schema(server: Server) -> str:
    """A new empty schema on the server, and the URL whose stores live in it."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server.url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    return server.schema_url(name)
