"""Through the API alone: the example script gets a token, creates an order and reads the worker's verdict."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "examples" / "order_via_api.py"

pytestmark = pytest.mark.services


def test_the_example_script_reads_back_a_risk_computed_by_the_worker(live_server, start_worker, redis_url):
    call_command("seed_demo", "--no-plan", verbosity=0)
    start_worker(redis_url, env={"SOLVE_DEBOUNCE_SECONDS": "0.5", "SOLVER_TIME_LIMIT_SECONDS": "5"})
    result = subprocess.run(
        [sys.executable, str(SCRIPT), live_server.url, "sales", "rentalops-demo"],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    created, verdict = result.stdout.strip().splitlines()
    assert created.startswith("created SO-")
    assert verdict.split()[1] in {"covered", "subrented", "short"}
    assert "from plan #" in verdict
