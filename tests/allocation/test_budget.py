"""The solve's hard time limit: phases draw on one budget, and a spent budget falls back to a valid plan."""

from __future__ import annotations

import itertools

import pytest
from ortools.sat.python import cp_model

from allocation.bench.generator import generate_season
from allocation.solver import cpsat, fcfs
from allocation.solver.check import validate
from allocation.solver.cpsat import build_problem
from allocation.solver.cpsat.budget import Budget, BudgetExhausted
from allocation.solver.cpsat.hints import hint_from_plan
from allocation.solver.cpsat.model import cover_bound, solve_component
from allocation.solver.cpsat.problem import components, integer_costs
from allocation.solver.scenario import load_scenario


class FakeClock:
    """A clock that moves ``step`` seconds each time it is read."""

    def __init__(self, step: float) -> None:
        self.now = 0.0
        self.step = step
        self.reads = 0

    def __call__(self) -> float:
        self.reads += 1
        self.now += self.step
        return self.now


@pytest.fixture(scope="module")
def season():
    return load_scenario(generate_season(20, 1))


def test_budget_shares_what_is_left_after_the_reserve() -> None:
    clock = FakeClock(0.0)
    budget = Budget(10.0, reserve=1.0, clock=clock)
    assert budget.left() == pytest.approx(9.0)
    assert budget.share(0.5) == pytest.approx(4.5)
    clock.now = 9.5
    assert budget.left() < 0 and budget.share(0.5) == 0.0
    with pytest.raises(BudgetExhausted):
        budget.check()


def test_a_build_over_budget_falls_back_to_the_fcfs_plan(season) -> None:
    # Every read of the clock costs a second: the build's check fires long before it ends.
    details = cpsat.solve_with_details(season, time_limit=5, workers=1, clock=FakeClock(1.0))
    plan = details.plan
    assert validate(season, plan).ok
    assert plan.status == "feasible" and plan.bound == 0.0
    assert plan.objective is not None and plan.objective > 0


def test_pieces_with_no_time_left_keep_their_hint_with_a_valid_bound(season) -> None:
    # The build reads the clock a few hundred times at most; then every piece finds its budget spent.
    clock = FakeClock(0.0)
    reads = itertools.count()

    def slow_after_build() -> float:
        clock.now += 0.0 if next(reads) < 2_000 else 100.0
        return clock.now

    details = cpsat.solve_with_details(season, time_limit=5, workers=1, clock=slow_after_build)
    plan = details.plan
    assert validate(season, plan).ok
    assert plan.objective is not None and plan.bound is not None
    assert 0.0 <= plan.bound <= plan.objective


def test_a_component_with_no_budget_returns_its_hint_without_a_model(season) -> None:
    problem = build_problem(season)
    hint_from_plan(problem, fcfs.solve(season))
    part = max(components(problem), key=lambda component: len(component.variables))
    result = solve_component(problem, part, time_limit=0.0, workers=1)
    assert result.status == "feasible"
    assert result.bound <= result.objective


def test_cover_bound_never_drops_below_minus_the_constant(season) -> None:
    problem = build_problem(season)
    total = 0
    for part in components(problem):
        coefs, unit = integer_costs([problem.cost[variable] for variable in part.variables])
        bounds = {v: (problem.lower[v], problem.upper[v]) for v in part.variables}
        total += cover_bound(problem, part, bounds, coefs) * unit
    assert problem.constant + float(total) >= -1e-6


@pytest.mark.parametrize("limit", [0.5, 3.0])
def test_bound_is_never_negative_nor_above_the_checked_objective(season, limit) -> None:
    plan = cpsat.solve(season, time_limit=limit, workers=1)
    report = validate(season, plan)
    assert report.ok
    assert plan.bound is not None and plan.objective is not None
    assert 0.0 <= plan.bound <= plan.objective + 1e-6


def test_a_search_stopped_before_its_first_solution_claims_no_bound_it_has_not_proven(
    season, monkeypatch
) -> None:
    # CP-SAT stopped in presolve answers UNKNOWN with a best bound of 0, above this crew's optimum (its
    # costs are negative: each seat filled saves the unfilled penalty). The hint must come back unproven.
    problem = build_problem(season)
    hint_from_plan(problem, fcfs.solve(season))
    part = max(components(problem), key=lambda component: len(component.variables))
    exact = solve_component(problem, part, time_limit=30.0, workers=1)
    assert exact.status == "optimal" and exact.objective < 0

    hint_from_plan(problem, fcfs.solve(season))
    solve = cp_model.CpSolver.solve

    def stopped_in_presolve(self, model, *args, **kwargs):
        self.parameters.max_time_in_seconds = 0.0
        return solve(self, model, *args, **kwargs)

    monkeypatch.setattr(cp_model.CpSolver, "solve", stopped_in_presolve)
    result = solve_component(problem, part, time_limit=30.0, workers=1)
    assert result.status == "feasible"
    assert result.bound <= exact.objective < result.objective
