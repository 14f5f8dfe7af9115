"""Run the load test headless on the full stack and print the figures of docs/benchmarks.md ("Load").

    python -m loadtest.run [--users 20 50] [--run-time 60] [--database rentalops_load]

It creates a dedicated database on the PostgreSQL of DATABASE_URL's server (default 127.0.0.1:5432), migrates
and seeds the demo (with its first plan), starts a Celery worker on Redis (REDIS_URL, default database 9 of
127.0.0.1:6379, on a queue of its own) and gunicorn with DEBUG off, then runs locust for each user count and
checks that every order the API said it created is in the database. Traffic goes to 127.0.0.1 only, for a
bounded time; everything it started is stopped at the end, and the database dropped unless --keep.
"""

import argparse
import csv
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "artifacts"
BIN = Path(sys.executable).parent
GROUPS = ["order create", "order list", "order read", "board", "plan list", "plan read", "needs", "bench"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stack_env(database_url: str, redis_url: str, static_root: str) -> dict[str, str]:
    return {
        **{
            k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "CELERY_BROKER_URL"}
        },
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "60",
        "REDIS_URL": redis_url,
        "CELERY_QUEUE": f"loadtest-{os.getpid()}",
        "STATIC_ROOT": static_root,
        "LOG_LEVEL": "WARNING",
    }


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=900
    )
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def recreate_database(server_url: str, name: str) -> None:
    import psycopg2

    parsed = urlparse(server_url)
    connection = psycopg2.connect(
        host=parsed.hostname, port=parsed.port or 5432, user=parsed.username or "postgres",
        password=parsed.password, dbname="postgres",
    )  # fmt: skip
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def drop_database(server_url: str, name: str) -> None:
    import psycopg2

    parsed = urlparse(server_url)
    connection = psycopg2.connect(
        host=parsed.hostname, port=parsed.port or 5432, user=parsed.username or "postgres",
        password=parsed.password, dbname="postgres",
    )  # fmt: skip
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    connection.close()


def order_count(env: dict[str, str]) -> int:
    code = "from sales.models import Order; print(Order.objects.count())"
    return int(manage(env, "shell", "-c", code).strip().splitlines()[-1])


def wait_for_port(port: int, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"{what} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"{what} did not listen within 60 s")


def read_stats(prefix: Path) -> dict[str, dict[str, float]]:
    rows = {}
    with open(f"{prefix}_stats.csv") as handle:
        for row in csv.DictReader(handle):
            rows[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]),
                "p50": float(row["50%"] or 0),
                "p95": float(row["95%"] or 0),
                "p99": float(row["99%"] or 0),
            }
    return rows


def orders_missing(env: dict[str, str], ids: list[int]) -> list[int]:
    code = (
        "import json; from sales.models import Order; "
        f"ids = {sorted(ids)!r}; found = set(Order.objects.filter(pk__in=ids).values_list('pk', flat=True)); "
        "print(json.dumps(sorted(set(ids) - found)))"
    )
    return json.loads(manage(env, "shell", "-c", code).strip().splitlines()[-1])


def run_locust(url: str, users: int, seconds: int, prefix: Path) -> dict[str, dict[str, float]]:
    command = [
        str(BIN / "locust"), "-f", str(REPO / "loadtest" / "locustfile.py"), "--headless",
        "-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--host", url,
        "--csv", str(prefix), "--only-summary", "--stop-timeout", "10", "--loglevel", "WARNING",
    ]  # fmt: skip
    env = {**os.environ, "LOADTEST_CREATED_FILE": f"{prefix}-created.json"}
    subprocess.run(command, cwd=REPO, env=env, timeout=seconds + 120, check=False)
    return read_stats(prefix)


def table(users: int, stats: dict[str, dict[str, float]]) -> str:
    lines = [
        f"| {users} users | requests | failures | req/s | p50 ms | p95 ms | p99 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name in [*GROUPS, "Aggregated"]:
        if name in stats:
            row = stats[name]
            lines.append(
                f"| {name} | {row['requests']} | {row['failures']} | {row['rps']:.1f} | {row['p50']:.0f} "
                f"| {row['p95']:.0f} | {row['p99']:.0f} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, nargs="+", default=[20, 50])
    parser.add_argument("--run-time", type=int, default=60, help="seconds per user count")
    parser.add_argument("--database", default="rentalops_load")
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    server = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parsed = urlparse(server)
    database_url = parsed._replace(path=f"/{args.database}").geturl()
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/9")
    ARTIFACTS.mkdir(exist_ok=True)
    static_root = tempfile.mkdtemp(prefix="rentalops-load-static-")
    env = stack_env(database_url, redis_url, static_root)

    started = time.monotonic()
    recreate_database(server, args.database)
    manage(env, "migrate", "--noinput")
    print(manage(env, "seed_demo").strip().splitlines()[-1], flush=True)
    manage(env, "collectstatic", "--noinput")
    print(f"stack ready in {time.monotonic() - started:.0f} s", flush=True)

    processes: list[subprocess.Popen] = []
    port = free_port()
    try:
        # The worker solves on one core, so that the web processes keep the other while a solve runs.
        worker_env = {**env, "SOLVER_WORKERS": "1"}
        worker_log = (ARTIFACTS / "load-worker.log").open("w")
        processes.append(
            subprocess.Popen(
                [str(BIN / "celery"), "-A", "rentalops", "worker", "--concurrency=1", "--loglevel=info",
                 "-Q", env["CELERY_QUEUE"], "-n", f"{env['CELERY_QUEUE']}@%h"],
                cwd=REPO, env=worker_env, stdout=worker_log, stderr=subprocess.STDOUT,
            )
        )  # fmt: skip
        web_log = (ARTIFACTS / "load-gunicorn.log").open("w")
        processes.append(
            subprocess.Popen(
                [str(BIN / "gunicorn"), "rentalops.wsgi", "--bind", f"127.0.0.1:{port}",
                 "--workers", str(args.web_workers), "--timeout", "60"],
                cwd=REPO, env=env, stdout=web_log, stderr=subprocess.STDOUT,
            )
        )  # fmt: skip
        wait_for_port(port, processes[-1], "gunicorn")
        url = f"http://127.0.0.1:{port}"
        report = [
            f"machine: {os.cpu_count()} cores; gunicorn {args.web_workers} sync workers; 1 Celery worker"
        ]
        for users in args.users:
            before = order_count(env)
            stats = run_locust(url, users, args.run_time, ARTIFACTS / f"load-{users}")
            after = order_count(env)
            created = json.loads(Path(f"{ARTIFACTS / f'load-{users}'}-created.json").read_text())
            missing = orders_missing(env, created)
            # A create still in flight when locust stops is saved but never answered: more, never fewer.
            lost = bool(missing) or after - before < len(created)
            verdict = f"LOST {missing}" if lost else "no order lost"
            report += [
                "",
                table(users, stats),
                "",
                f"orders: {before} before, {after} after; the API answered 201 for {len(created)}, "
                f"all of them in the database -> {verdict}"
                + (f" ({after - before - len(created)} more saved as the run stopped)" if not lost else ""),
            ]
            if lost:
                print("\n".join(report))
                sys.exit(1)
        plans = manage(
            env, "shell", "-c", "from allocation.models import PlanRun; print(PlanRun.objects.count())"
        ).strip().splitlines()[-1]  # fmt: skip
        report += ["", f"plan runs stored by the worker during the runs: {int(plans) - 1}"]
        text = "\n".join(report)
        (ARTIFACTS / "load-summary.md").write_text(text + "\n")
        print(text)
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        if not args.keep:
            drop_database(server, args.database)


if __name__ == "__main__":
    main()
