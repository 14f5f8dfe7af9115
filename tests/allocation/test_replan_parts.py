"""Re-planning only the parts of a scenario that changed, with the previous plan's per-part bounds."""

from __future__ import annotations

import pytest

from allocation.bench.__main__ import change_one_order
from allocation.bench.generator import generate_season
from allocation.solver import cpsat
from allocation.solver.check import validate
from allocation.solver.cpsat.replan import scenario_parts
from allocation.solver.scenario import load_plan, load_scenario, plan_to_dict


@pytest.fixture(scope="module")
def first_solve():
    data = generate_season(20, 4)
    scenario = load_scenario(data)
    return data, cpsat.solve(scenario, time_limit=5, workers=1)


def test_a_full_solve_stores_a_bound_per_part(first_solve) -> None:
    data, plan = first_solve
    parts = scenario_parts(load_scenario(data))
    assert {part.signature for part in parts} == set(plan.component_bounds)
    assert all(value >= 0 for value in plan.component_bounds.values())
    assert sum(plan.component_bounds.values()) <= plan.objective + 1e-6


def test_component_bounds_survive_the_json_round_trip(first_solve) -> None:
    _, plan = first_solve
    assert load_plan(plan_to_dict(plan)).component_bounds == plan.component_bounds


def test_a_changed_order_changes_only_its_parts_signature(first_solve) -> None:
    data, plan = first_solve
    changed, _ = change_one_order(data, plan)
    before = {part.signature for part in scenario_parts(load_scenario(data))}
    after = {part.signature for part in scenario_parts(load_scenario(changed))}
    assert len(before - after) == 1 and len(after - before) == 1


def test_replan_keeps_untouched_parts_and_passes_the_checker(first_solve) -> None:
    data, plan = first_solve
    changed, _ = change_one_order(data, plan)
    scenario = load_scenario(changed)
    replan = cpsat.solve(scenario, time_limit=5, workers=1)
    assert validate(scenario, replan).ok
    assert replan.bound is not None and replan.objective is not None
    assert 0 <= replan.bound <= replan.objective + 1e-6
    touched = next(part for part in scenario_parts(scenario) if part.signature not in plan.component_bounds)
    # Every crew pair and every gear row outside the changed part is exactly as before.
    assert {(c.shift, c.crew) for c in replan.crew} == {(c.shift, c.crew) for c in plan.crew}
    untouched_gear = {
        (g.requirement, g.product, g.quantity) for g in plan.gear if g.requirement not in touched.requirements
    }
    assert untouched_gear <= {(g.requirement, g.product, g.quantity) for g in replan.gear}
    # The kept parts carry their stored bounds on to the next plan.
    assert set(plan.component_bounds) - set(replan.component_bounds) == {
        signature
        for signature in plan.component_bounds
        if signature not in {p.signature for p in scenario_parts(scenario)}
    }


def test_without_stored_bounds_a_replan_solves_everything(first_solve) -> None:
    data, plan = first_solve
    changed, _ = change_one_order(data, plan)
    changed["previous_plan"].pop("component_bounds")
    scenario = load_scenario(changed)
    replan = cpsat.solve(scenario, time_limit=5, workers=1)
    assert validate(scenario, replan).ok
    # Solved with churn against the previous plan: no bound is stored for later reuse.
    assert replan.component_bounds == {}
