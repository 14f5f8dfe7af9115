"""``python -m allocation.bench.board``: how fast the planner's pages render, on the demo and bigger seasons.

For each season size a child process seeds a fresh SQLite database with the demo house and that many jobs
(the demo's generator, so the jobs look the same as the demo's, only more of them), solves and publishes the
first plan, logs in as the planner and requests each page several times through Django's test client: the
server's own time (no network, no browser), as ``make run`` serves it. Prints a table: jobs, page, median and
slowest milliseconds, queries, kilobytes.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PAGES = ("/board/", "/board/?zoom=quarter", "/board/resources/", "/board/plans/{plan}/")
REPEATS = 12


def _child(jobs: int, database: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rentalops.settings")
    os.environ["SOLVE_IN_PROCESS"] = "sync"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from allocation.models import PlanRun
    from jobs.models import Job
    from rentalops.demo import build, load

    call_command("migrate", verbosity=0)
    build.JOB_COUNT = jobs
    started = time.perf_counter()
    load.seed_demo()
    seeded = time.perf_counter() - started
    plan = PlanRun.objects.filter(state=PlanRun.State.PUBLISHED).first()
    client = Client(HTTP_HOST="127.0.0.1")
    assert client.login(username="planner", password="rentalops-demo")
    rows = []
    for page in PAGES:
        path = page.format(plan=plan.pk if plan else 0)
        times = []
        for _ in range(REPEATS):
            begun = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - begun) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code}")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        warm = times[2:]  # the first requests fill caches (templates, the session)
        rows.append(
            {
                "jobs": Job.objects.count(),
                "page": path.replace(str(plan.pk if plan else 0), "<id>"),
                "median": statistics.median(warm),
                "slowest": max(warm),
                "queries": len(queries),
                "kb": len(response.content) / 1024,
                "seeded": seeded,
            }
        )
    print(json.dumps(rows))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", default="120,300", help="season sizes, comma-separated (default 120,300)")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child, args.database)
        return 0
    print("| jobs | page | median ms | slowest ms | queries | KiB |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for jobs in [int(size) for size in args.jobs.split(",")]:
        with tempfile.TemporaryDirectory() as folder:
            database = str(Path(folder) / "board.sqlite3")
            command = [sys.executable, "-m", "allocation.bench.board", "--child", str(jobs)]
            output = subprocess.run(
                [*command, "--database", database], capture_output=True, text=True, check=False
            )
            if output.returncode != 0:
                print(output.stdout, output.stderr, file=sys.stderr)
                return 1
            for row in json.loads(output.stdout.strip().splitlines()[-1]):
                print(
                    f"| {row['jobs']} | `{row['page']}` | {row['median']:.0f} | {row['slowest']:.0f} "
                    f"| {row['queries']} | {row['kb']:.0f} |"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
