"""The season generator and a tiny benchmark run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from allocation.bench.__main__ import capacity_cost
from allocation.bench.generator import generate_season
from allocation.solver import fcfs
from allocation.solver.costs import crew_cost
from allocation.solver.scenario import load_scenario

REPO = Path(__file__).resolve().parents[2]


def test_generator_is_deterministic_for_a_seed() -> None:
    assert generate_season(30, 7) == generate_season(30, 7)
    assert generate_season(30, 7) != generate_season(30, 8)


def test_generated_seasons_load_and_have_the_promised_shape() -> None:
    scenario = load_scenario(generate_season(300, 1))
    assert len(scenario.jobs) == 300
    assert 700 <= len(scenario.requirements) <= 1100
    assert 1300 <= len(scenario.shifts) <= 1700
    assert len(scenario.crew) == 400
    assert sum(member.kind == "staff" for member in scenario.crew) == 150
    assert 350 <= len(scenario.products) <= 450


def test_capacity_cost_counts_shortages_subrentals_and_over_hire_but_not_the_staff() -> None:
    scenario = load_scenario(generate_season(20, 1))
    plan = fcfs.solve(scenario)
    staff = crew_cost(scenario, plan, kind="staff")
    freelancers = crew_cost(scenario, plan, kind="freelancer")
    assert staff > 0 and freelancers > 0
    assert staff + freelancers == plan.costs["crew"]
    costs = plan.costs
    assert (
        capacity_cost(scenario, plan)
        == costs["shortage"] + costs["subrental"] + costs["unfilled"] + freelancers
    )


def test_tiny_benchmark_run_exits_0() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "allocation.bench", "--sizes", "5", "--quick"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "| 5 |" in result.stdout
    assert "re-plan" in result.stdout
    assert "capacity improvement" in result.stdout
