"""Private services for fault tests: a PostgreSQL cluster of the test's own, and a gunicorn serving on it.

The shared PostgreSQL and Redis of the machine are never stopped; a test that needs to stop a service starts
its own on a free port under a temporary directory.
"""

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ARTIFACTS, REPO, missing_service

PRODUCTION_SECRET = "rel-test-only-0123456789-abcdefghijklmnopqrstuvwxyzAB"  # 52 characters, never deployed


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if not initdb:
        missing_service("no PostgreSQL server binaries (initdb, pg_ctl) to start a private cluster")
    return Path(initdb).parent


@pytest.fixture
def private_postgres() -> Iterator[dict]:
    """A PostgreSQL cluster of this test's own (trust auth, a free port) that the test may stop and start."""
    binaries = _postgres_bin()
    # Directly under /tmp: pytest's own temporary tree is closed to the postgres user.
    root = Path(tempfile.mkdtemp(prefix="rentalops-pg-"))
    data = root / "data"
    port = free_port()
    # PostgreSQL refuses to run as root: as root, run it as the postgres user, owning the directory.
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    log = root / "server.log"

    def run(*command: str) -> None:
        result = subprocess.run([*as_user, *command], capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise RuntimeError(f"{command[0]} failed: {result.stdout}{result.stderr}")

    run(str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
    options = f"-p {port} -c listen_addresses=127.0.0.1 -k {root} -c fsync=off -c max_connections=50"

    def start() -> None:
        run(
            str(binaries / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(log),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
        )

    def stop() -> None:
        run(str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "-t", "60", "stop")

    start()
    run(str(binaries / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "rentalops")
    state = {
        "url": f"postgres://postgres@127.0.0.1:{port}/rentalops",
        "start": start,
        "stop": stop,
        "log": log,
    }
    yield state
    with contextlib.suppress(RuntimeError):  # already stopped by the test
        stop()
    shutil.rmtree(root, ignore_errors=True)


def production_env(database_url: str, static_root: Path) -> dict[str, str]:
    """DEBUG off, as deployed behind plain HTTP on a private network; no broker: solves run in-process."""
    drop = {"REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {
        **{key: value for key, value in os.environ.items() if key not in drop},
        "DEBUG": "0",
        "SECRET_KEY": PRODUCTION_SECRET,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "60",
        "STATIC_ROOT": str(static_root),
        "LOG_LEVEL": "WARNING",
    }


def manage(env: dict[str, str], *args: str, timeout: float = 300) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def start_gunicorn(env: dict[str, str], *, workers: int = 2, name: str = "gunicorn") -> Iterator[dict]:
    """gunicorn on a free port with the given environment; yields its address and process, then stops it."""
    port = free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / f"{name}-{port}.log"
    log = log_path.open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "rentalops.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited with {process.returncode}: see {log_path}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not listen within 60 s: see {log_path}")
            time.sleep(0.2)
    try:
        yield {"url": base, "process": process, "log": log_path}
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
