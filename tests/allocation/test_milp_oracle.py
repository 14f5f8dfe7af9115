"""CP-SAT against the independent MILP oracle of ``milp.py``: examples, generated seasons, random seasons."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from allocation.bench.generator import generate_season
from allocation.solver import cpsat
from allocation.solver.check import validate
from allocation.solver.scenario import Scenario, load_scenario, plan_to_dict, scenario_to_dict
from tests.allocation.builders import EXAMPLE_NAMES, EXAMPLE_OPTIMA, EXAMPLES_DIR
from tests.allocation.milp import milp_optimum, milp_solve
from tests.allocation.test_properties import scenarios

MILP_TIME_LIMIT = 30.0
CPSAT_TIME_LIMIT = 5.0
RELATIVE_TOLERANCE = 1e-6
SEASONS = [(jobs, seed) for jobs in (3, 5, 8, 12) for seed in range(6)]
ORACLE_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def changed_season(jobs: int, seed: int) -> dict[str, Any]:
    """A generated season after a change: its last job is cancelled and its first requirement grows by 4.

    The optimal plan before the change is the previous plan; one crew row and one gear row of the first job
    become a booking and a pin.
    """
    data = generate_season(jobs, seed)
    first = plan_to_dict(cpsat.solve(load_scenario(data), time_limit=CPSAT_TIME_LIMIT, workers=2))
    data["previous_plan"] = {key: first[key] for key in ("gear", "subrentals", "crew")}
    prefix = data["jobs"][0]["id"] + "/"
    data["bookings"] = [row for row in first["crew"] if row["shift"].startswith(prefix)][:1]
    data["pins"] = [row for row in first["gear"] if row["requirement"].startswith(prefix)][:1]
    data["jobs"][0]["gear"][0]["quantity"] += 4
    data["jobs"].pop()
    return data


def assert_cpsat_agrees_with_the_oracle(
    data: dict[str, Any], scenario: Scenario, time_limit: float = CPSAT_TIME_LIMIT
) -> None:
    """CP-SAT's plan passes the checker, never beats the MILP optimum, and equals it when called optimal."""
    verdict, optimum = milp_solve(data, time_limit=MILP_TIME_LIMIT)
    # The seasons are small enough for SCIP to prove its optimum in well under its limit: an oracle that does
    # not answer is a failure, not a case to pass over.
    assert verdict != "not-proven", f"the MILP did not prove optimality within {MILP_TIME_LIMIT:g} s"
    plan = cpsat.solve(scenario, time_limit=time_limit, workers=2)
    assert verdict == "optimal", (verdict, plan.status)
    assert optimum is not None
    report = validate(scenario, plan)
    assert report.ok, report.violations
    assert plan.status in ("optimal", "feasible"), plan.conflicts
    assert plan.objective is not None and plan.bound is not None
    tolerance = RELATIVE_TOLERANCE * max(1.0, abs(optimum))
    assert report.objective >= optimum - tolerance
    assert plan.objective >= optimum - tolerance
    assert plan.bound <= optimum + tolerance
    if plan.status == "optimal":
        assert plan.objective == pytest.approx(optimum, rel=RELATIVE_TOLERANCE)


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_milp_finds_the_exact_optimum_of_each_example(name: str) -> None:
    data = json.loads((EXAMPLES_DIR / name).read_text())
    assert milp_optimum(data, time_limit=MILP_TIME_LIMIT) == pytest.approx(
        EXAMPLE_OPTIMA[name], rel=RELATIVE_TOLERANCE
    )


@pytest.mark.parametrize(("jobs", "seed"), SEASONS)
def test_cpsat_agrees_with_the_milp_on_a_generated_season(jobs: int, seed: int) -> None:
    data = generate_season(jobs, seed)
    assert_cpsat_agrees_with_the_oracle(data, load_scenario(data))


@pytest.mark.parametrize("time_limit", [0.3, 1.0])
@pytest.mark.parametrize(("jobs", "seed"), [(16, 3), (20, 0), (20, 1)])
def test_a_solve_cut_short_claims_no_more_than_it_has_proven(jobs: int, seed: int, time_limit: float) -> None:
    # Cut off in presolve or mid-search, the plan is only as good as it says: its bound stays at or below
    # the optimum, and it is called optimal only when it is.
    data = generate_season(jobs, seed)
    assert_cpsat_agrees_with_the_oracle(data, load_scenario(data), time_limit=time_limit)


@pytest.mark.parametrize(("jobs", "seed"), SEASONS)
def test_cpsat_agrees_with_the_milp_on_a_changed_season(jobs: int, seed: int) -> None:
    data = changed_season(jobs, seed)
    assert_cpsat_agrees_with_the_oracle(data, load_scenario(data))


@ORACLE_SETTINGS
@given(scenarios())
def test_cpsat_agrees_with_the_milp_on_a_random_season(scenario: Scenario) -> None:
    assert_cpsat_agrees_with_the_oracle(scenario_to_dict(scenario), scenario)
