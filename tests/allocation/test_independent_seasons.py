"""Seasons generated apart from the project, from SCENARIO.md alone, with optima proven by a separate MILP.

The files in ``scenarios/independent/`` come from a generator written by someone who never read this code: a
mixed season, one short of crew (overnight calls, binding rest gaps and weekly hours), one short of gear
(turnaround, out-of-service windows, lead times against ``now``, vendors without a ``max_quantity``), a
re-plan with bookings, pins and a previous plan, and a re-plan whose booking and pin clash. Their optima were
proven by that reading's own MILP (SCIP); CP-SAT must reach each exactly, prove it, and pass the checker.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from allocation.solver import cpsat, fcfs
from allocation.solver.check import validate
from allocation.solver.scenario import load_scenario_file

INDEPENDENT_DIR = Path(__file__).resolve().parent / "scenarios" / "independent"
OPTIMA = {
    "mixed-15.json": 12_274.0,
    "crew-tight-15.json": 952_460.0,
    "gear-tight-8.json": 440_993.0,
    "replan-15.json": 29_180.0,
}


@pytest.mark.parametrize("name", sorted(OPTIMA))
def test_cpsat_proves_the_independent_optimum(name: str) -> None:
    scenario = load_scenario_file(INDEPENDENT_DIR / name)
    plan = cpsat.solve(scenario, time_limit=10, workers=2)
    report = validate(scenario, plan)
    assert report.ok, report.violations
    assert plan.status == "optimal"
    assert plan.objective == pytest.approx(OPTIMA[name], rel=1e-9)
    assert report.objective == pytest.approx(OPTIMA[name], rel=1e-9)


@pytest.mark.parametrize("name", sorted(OPTIMA))
def test_the_baseline_plan_is_valid_and_no_cheaper(name: str) -> None:
    scenario = load_scenario_file(INDEPENDENT_DIR / name)
    plan = fcfs.solve(scenario)
    report = validate(scenario, plan)
    assert report.ok, report.violations
    assert plan.objective is not None and plan.objective >= OPTIMA[name] - 1e-6


def test_the_clashing_booking_and_pin_are_named() -> None:
    scenario = load_scenario_file(INDEPENDENT_DIR / "replan-clash-8.json")
    plan = cpsat.solve(scenario, time_limit=10, workers=2)
    assert plan.status == "infeasible"
    named = {(item["kind"], item["shift"], item["crew"]) for item in plan.conflicts}
    assert named == {("booking", "J3/s0", "c6"), ("pin", "J2/s0", "c6")}
    assert validate(scenario, plan).ok
