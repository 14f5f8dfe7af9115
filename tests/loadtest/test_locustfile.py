"""The load test's script imports and names its three behaviours (the run is a benchmark, not a test)."""

import subprocess
import sys

from tests.conftest import REPO


def test_the_locustfile_lists_the_sales_planner_and_coordinator_users():
    # In a child process: importing locust patches the standard library with gevent.
    result = subprocess.run(
        [sys.executable, "-m", "locust", "-f", "loadtest/locustfile.py", "--list"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert {"SalesRep", "Planner", "Coordinator"} <= set(result.stdout.split())


def test_the_runner_explains_itself():
    result = subprocess.run(
        [sys.executable, "-m", "loadtest.run", "--help"], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "--users" in result.stdout and "--run-time" in result.stdout
