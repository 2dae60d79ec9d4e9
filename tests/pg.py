"""A throw-away PostgreSQL server from the machine's own binaries, for tests and benchmarks."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres(args: list[str]) -> list[str]:
    """initdb refuses to run as root, so root runs the server as the ``postgres`` user."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


@contextmanager
def postgres_server(database: str = "ruta_test") -> Iterator[str]:
    """Start a PostgreSQL 15 server on a free loopback port; yield its SQLAlchemy URL; stop it."""
    if not (PG_BIN / "initdb").exists():
        raise RuntimeError(f"PostgreSQL binaries not found in {PG_BIN} (set PG_BIN)")
    workdir = Path(tempfile.mkdtemp(prefix="ruta-pg-"))
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres", "postgres")
    data, port = workdir / "data", free_port()
    log = workdir / "server.log"
    run = dict(check=True, capture_output=True, text=True, cwd=workdir)
    try:
        subprocess.run(
            _as_postgres(
                [
                    str(PG_BIN / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ]
            ),
            **run,
        )
        subprocess.run(
            _as_postgres(
                [
                    str(PG_BIN / "pg_ctl"),
                    "-D",
                    str(data),
                    "-l",
                    str(log),
                    "-w",
                    "-t",
                    "60",
                    "-o",
                    f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off",
                    "start",
                ]
            ),
            **run,
        )
        _wait_ready(port)
        subprocess.run(
            _as_postgres(
                [
                    str(PG_BIN / "createdb"),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(port),
                    "-U",
                    "postgres",
                    database,
                ]
            ),
            **run,
        )
        yield f"postgresql+psycopg2://postgres@127.0.0.1:{port}/{database}"
    except subprocess.CalledProcessError as exc:
        detail = log.read_text() if log.exists() else ""
        raise RuntimeError(f"PostgreSQL did not start: {exc.stderr}\n{detail}") from exc
    finally:
        subprocess.run(
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
            cwd=workdir,
        )
        shutil.rmtree(workdir, ignore_errors=True)


def _wait_ready(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready = subprocess.run(
            [str(PG_BIN / "pg_isready"), "-h", "127.0.0.1", "-p", str(port)],
            capture_output=True,
        )
        if ready.returncode == 0:
            return
        time.sleep(0.2)
    raise RuntimeError(f"PostgreSQL on port {port} never became ready")
