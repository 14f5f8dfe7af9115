"""The LP rounding and the exact dual bound that big crew components use."""

from __future__ import annotations

import time

import pytest

from allocation.bench.generator import generate_season
from allocation.solver import cpsat
from allocation.solver.check import validate
from allocation.solver.cpsat import build_problem
from allocation.solver.cpsat.model import _fixed_bounds
from allocation.solver.cpsat.problem import components, integer_costs
from allocation.solver.cpsat.rounding import dual_bound, lp_values, rounded_plan
from allocation.solver.scenario import load_scenario


@pytest.fixture(scope="module")
def crew_part():
    scenario = load_scenario(generate_season(12, 3))
    problem = build_problem(scenario)
    part = max(components(problem), key=lambda component: len(component.variables))
    assert any(problem.keys[variable][0] == "a" for variable in part.variables)
    return problem, part


def test_rounded_lp_plan_keeps_every_row(crew_part):
    problem, part = crew_part
    bounds = _fixed_bounds(problem, part)
    lp = lp_values(problem, part, bounds, time_limit=10)
    assert lp is not None
    values = rounded_plan(problem, part, bounds, lp.values, deadline=time.perf_counter() + 10)
    for row_index in part.rows:
        row = problem.rows[row_index]
        total = sum(coef * values[v] for v, coef in zip(row.variables, row.coefs, strict=True))
        assert row.lower <= total <= row.upper


def test_dual_bound_is_below_the_exact_optimum(crew_part):
    problem, part = crew_part
    bounds = _fixed_bounds(problem, part)
    coefs, unit = integer_costs([problem.cost[variable] for variable in part.variables])
    lp = lp_values(problem, part, bounds, time_limit=10)
    bound = dual_bound(problem, part, bounds, coefs, unit, lp.duals)
    result = cpsat.model.solve_component(problem, part, time_limit=30, workers=1, hint=False)
    assert result.status == "optimal"
    assert bound * unit <= result.objective
    # Any multipliers give a valid bound, even ones that are far from optimal.
    assert (
        dual_bound(problem, part, bounds, coefs, unit, {r: 3.0 for r in part.rows}) * unit <= result.objective
    )


def test_dual_bound_with_no_multipliers_is_the_box_bound(crew_part):
    problem, part = crew_part
    bounds = _fixed_bounds(problem, part)
    coefs, unit = integer_costs([problem.cost[variable] for variable in part.variables])
    box = sum(min(c * bounds[v][0], c * bounds[v][1]) for v, c in zip(part.variables, coefs, strict=True))
    assert dual_bound(problem, part, bounds, coefs, unit, {}) == box


def test_big_season_solve_is_checker_clean_and_bounded():
    scenario = load_scenario(generate_season(40, 2))
    plan = cpsat.solve(scenario, time_limit=4, workers=1)
    assert validate(scenario, plan).ok
    assert plan.bound is not None and plan.objective is not None
    assert plan.bound <= plan.objective + 1e-6
