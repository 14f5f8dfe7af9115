"""The CP-SAT solver: a pair of small scenarios per rule (penalised / not); the examples at their optima."""

from __future__ import annotations

from typing import Any

import pytest

from allocation.solver import cpsat
from allocation.solver.check import validate
from allocation.solver.scenario import Plan, Scenario, load_scenario, load_scenario_file, plan_to_dict
from tests.allocation.builders import (
    EXAMPLE_NAMES,
    EXAMPLE_OPTIMA,
    EXAMPLES_DIR,
    at,
    gear,
    job,
    scenario_data,
    shift,
)

TIME_LIMIT = 5.0


def solved(**sections: Any) -> tuple[Scenario, Plan]:
    scenario = load_scenario(scenario_data(**sections))
    details = cpsat.solve_with_details(scenario, time_limit=TIME_LIMIT, workers=1)
    plan = details.plan
    report = validate(scenario, plan)
    assert report.ok, report.violations
    if plan.status in ("optimal", "feasible"):
        assert details.model_objective is not None
        assert float(details.model_objective) == pytest.approx(plan.objective, abs=1e-6)
    return scenario, plan


def people(plan: Plan) -> set[str]:
    return {assignment.crew for assignment in plan.crew}


ONE_PRODUCT = {
    "products": [{"id": "wash-a", "owned": 2, "turnaround_hours": 12}],
    "capabilities": [{"id": "wash", "providers": [{"product": "wash-a", "quality": 1.0}]}],
}


def test_turnaround_forces_a_subrental() -> None:
    jobs = [job("J1", gear=[gear("J1/g1", 2, 8, 18)]), job("J2", gear=[gear("J2/g1", 2, 20, 30)])]
    _, plan = solved(**ONE_PRODUCT, jobs=jobs)
    assert plan.status == "optimal"
    assert sum(item.quantity for item in plan.subrentals) == 2


def test_no_turnaround_needs_no_subrental() -> None:
    products = [{"id": "wash-a", "owned": 2, "turnaround_hours": 0}]
    jobs = [job("J1", gear=[gear("J1/g1", 2, 8, 18)]), job("J2", gear=[gear("J2/g1", 2, 20, 30)])]
    _, plan = solved(products=products, capabilities=ONE_PRODUCT["capabilities"], jobs=jobs)
    assert plan.subrentals == []
    assert plan.costs["subrental"] == 0


def test_rest_gap_forces_a_second_person() -> None:
    _, plan = solved(jobs=[job("J1", shifts=[shift("J1/s1", 8, 18), shift("J1/s2", 22, 30)])])
    assert people(plan) == {"anna", "bob"}


def test_enough_rest_lets_the_cheapest_person_work_both() -> None:
    _, plan = solved(jobs=[job("J1", shifts=[shift("J1/s1", 8, 18), shift("J1/s2", 28, 36)])])
    assert people(plan) == {"bob"}
    assert plan.costs["crew"] == 400


LIMITED = [
    {"id": "anna", "kind": "staff", "skills": {"rigger": 3}, "day_rate": 300.0, "max_hours_per_week": 12}
]


def test_weekly_hours_leave_a_shift_unfilled() -> None:
    _, plan = solved(crew=LIMITED, jobs=[job("J1", shifts=[shift("J1/s1", 8, 16), shift("J1/s2", 32, 40)])])
    assert sum(item.missing for item in plan.unfilled) == 1


def test_weekly_hours_in_two_iso_weeks_do_not_add_up() -> None:
    # 8 h on Monday of one week and 8 h on Monday of the next: each week stays within 12 h.
    _, plan = solved(crew=LIMITED, jobs=[job("J1", shifts=[shift("J1/s1", 8, 16), shift("J1/s2", 176, 184)])])
    assert sum(item.missing for item in plan.unfilled) == 0


def test_unavailable_person_is_not_placed() -> None:
    crew = [{**LIMITED[0], "unavailable": [{"start": at(0), "end": at(24)}]}]
    _, plan = solved(crew=crew, jobs=[job("J1", shifts=[shift("J1/s1", 8, 16)])])
    assert plan.crew == []


def test_available_person_is_placed() -> None:
    crew = [{**LIMITED[0], "unavailable": [{"start": at(16), "end": at(24)}]}]
    _, plan = solved(crew=crew, jobs=[job("J1", shifts=[shift("J1/s1", 8, 16)])])
    assert people(plan) == {"anna"}


def test_lead_time_blocks_the_vendor() -> None:
    _, plan = solved(now=at(0), jobs=[job("J1", gear=[gear("J1/g1", 10, 8, 18)])])
    assert plan.subrentals == []
    assert sum(item.quantity for item in plan.shortages) == 2


def test_vendor_serves_after_its_lead_time() -> None:
    _, plan = solved(now=at(0), jobs=[job("J1", gear=[gear("J1/g1", 10, 56, 66)])])
    assert sum(item.quantity for item in plan.subrentals) == 2
    assert sum(item.quantity for item in plan.shortages) == 0


def test_substitution_prefers_the_higher_quality() -> None:
    _, plan = solved(jobs=[job("J1", gear=[gear("J1/g1", 3, 8, 18)])])
    assert {(item.product, item.quantity) for item in plan.gear} == {("wash-a", 3)}
    assert plan.costs["substitution"] == 0


def test_substitute_fills_in_when_the_better_product_runs_out() -> None:
    products = [{"id": "wash-a", "owned": 1}, {"id": "wash-b", "owned": 4}]
    _, plan = solved(products=products, jobs=[job("J1", gear=[gear("J1/g1", 3, 8, 18)])])
    assert {(item.product, item.quantity) for item in plan.gear} == {("wash-a", 1), ("wash-b", 2)}
    assert plan.costs["substitution"] == pytest.approx(8.0)


def test_gear_pin_is_honoured() -> None:
    pins = [{"requirement": "J1/g1", "product": "wash-b", "quantity": 3}]
    _, plan = solved(pins=pins, jobs=[job("J1", gear=[gear("J1/g1", 3, 8, 18)])])
    assert {(item.product, item.quantity) for item in plan.gear} == {("wash-b", 3)}


def test_crew_pin_is_honoured_over_a_cheaper_person() -> None:
    pins = [{"shift": "J1/s1", "crew": "anna"}]
    _, plan = solved(pins=pins, jobs=[job("J1", shifts=[shift("J1/s1", 8, 18)])])
    assert people(plan) == {"anna"}


def test_conflicting_bookings_are_reported_infeasible_with_both_named() -> None:
    bookings = [{"shift": "J1/s1", "crew": "bob"}, {"shift": "J2/s1", "crew": "bob"}]
    jobs = [job("J1", shifts=[shift("J1/s1", 8, 18)]), job("J2", shifts=[shift("J2/s1", 12, 20)])]
    _, plan = solved(bookings=bookings, jobs=jobs)
    assert plan.status == "infeasible"
    assert {(item["kind"], item["shift"], item["crew"]) for item in plan.conflicts} == {
        ("booking", "J1/s1", "bob"),
        ("booking", "J2/s1", "bob"),
    }
    assert all(item["reason"] for item in plan.conflicts)


def test_compatible_bookings_are_kept() -> None:
    bookings = [{"shift": "J1/s1", "crew": "bob"}, {"shift": "J2/s1", "crew": "bob"}]
    jobs = [job("J1", shifts=[shift("J1/s1", 8, 18)]), job("J2", shifts=[shift("J2/s1", 30, 38)])]
    _, plan = solved(bookings=bookings, jobs=jobs)
    assert plan.status == "optimal"
    assert {(item.shift, item.crew) for item in plan.crew} == {("J1/s1", "bob"), ("J2/s1", "bob")}


def test_pin_beyond_the_stock_is_named() -> None:
    pins = [{"requirement": "J1/g1", "product": "wash-a", "quantity": 6}]
    _, plan = solved(pins=pins, jobs=[job("J1", gear=[gear("J1/g1", 6, 8, 18)])])
    assert plan.status == "infeasible"
    assert [(item["kind"], item["requirement"]) for item in plan.conflicts] == [("pin", "J1/g1")]


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_example_is_solved_to_its_exact_optimum(name: str) -> None:
    scenario = load_scenario_file(EXAMPLES_DIR / name)
    details = cpsat.solve_with_details(scenario, time_limit=20)
    plan = details.plan
    assert plan.status == "optimal"
    assert plan.objective == EXAMPLE_OPTIMA[name]
    assert float(details.model_objective) == EXAMPLE_OPTIMA[name]
    assert plan.bound == EXAMPLE_OPTIMA[name]
    report = validate(scenario, plan)
    assert report.ok, report.violations
    assert report.objective == pytest.approx(EXAMPLE_OPTIMA[name])


def test_resolve_without_a_change_has_no_churn() -> None:
    scenario = load_scenario_file(EXAMPLES_DIR / "example-2.json")
    first = cpsat.solve(scenario, time_limit=20)
    previous = plan_to_dict(first)
    data = {
        **scenario_to_json(scenario),
        "previous_plan": {key: previous[key] for key in ("gear", "subrentals", "crew")},
    }
    again = cpsat.solve(load_scenario(data), time_limit=20)
    assert again.costs["churn"] == 0
    assert again.objective == first.objective


def scenario_to_json(scenario: Scenario) -> dict[str, Any]:
    from allocation.solver.scenario import scenario_to_dict

    return scenario_to_dict(scenario)
