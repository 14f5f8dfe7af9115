"""The first-come-first-served baseline: valid plans, booking order, and bookings and pins that hold."""

from __future__ import annotations

import pytest

from allocation.solver import fcfs
from allocation.solver.check import validate
from allocation.solver.scenario import Plan, load_scenario_file
from tests.allocation.builders import EXAMPLE_NAMES, EXAMPLE_OPTIMA, EXAMPLES_DIR, at, build, gear, job, shift


def gear_of(plan: Plan) -> dict[tuple[str, str], int]:
    return {(row.requirement, row.product): row.quantity for row in plan.gear}


def people_on(plan: Plan, shift_id: str) -> set[str]:
    return {row.crew for row in plan.crew if row.shift == shift_id}


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_the_plan_of_every_example_passes_the_checker(name: str) -> None:
    scenario = load_scenario_file(EXAMPLES_DIR / name)
    plan = fcfs.solve(scenario)
    report = validate(scenario, plan)
    assert plan.status == "feasible" and plan.solver == "fcfs"
    assert report.ok, report.violations
    assert plan.objective == pytest.approx(report.objective)
    assert plan.objective >= EXAMPLE_OPTIMA[name] - 1e-6


@pytest.mark.parametrize(
    "name", ["example-1-changed.json", "example-2-changed.json", "example-3-changed.json"]
)
def test_bookings_and_pins_of_the_changed_examples_hold(name: str) -> None:
    scenario = load_scenario_file(EXAMPLES_DIR / name)
    plan = fcfs.solve(scenario)
    for booking in scenario.bookings:
        assert booking.crew in people_on(plan, booking.shift)
    for pin in scenario.gear_pins:
        assert gear_of(plan).get((pin.requirement, pin.product), 0) == pin.quantity


def test_it_takes_the_earlier_booked_job_first() -> None:
    # Listed and named second, booked first: J2 gets the stock, J1 what is left.
    jobs = [
        job("J1", booked_at=-10, gear=[gear("J1/g1", 4, 8, 18)]),
        job("J2", booked_at=-20, gear=[gear("J2/g1", 4, 10, 20)]),
    ]
    products = [{"id": "wash-a", "owned": 4}, {"id": "wash-b", "owned": 1}]
    plan = fcfs.solve(build(jobs=jobs, products=products, vendors=[]))
    assert gear_of(plan) == {("J2/g1", "wash-a"): 4, ("J1/g1", "wash-b"): 1}
    assert {(row.requirement, row.quantity) for row in plan.shortages} == {("J1/g1", 3)}


def test_ties_go_by_job_id_and_undated_jobs_come_last() -> None:
    jobs = [
        job("J3", booked_at=None, gear=[gear("J3/g1", 4, 8, 18)]),
        job("J2", booked_at=-10, gear=[gear("J2/g1", 4, 8, 18)]),
        job("J1", booked_at=-10, gear=[gear("J1/g1", 4, 8, 18)]),
    ]
    plan = fcfs.solve(build(jobs=jobs, vendors=[]))
    assert gear_of(plan) == {("J1/g1", "wash-a"): 4, ("J2/g1", "wash-b"): 4}
    assert [row.requirement for row in plan.shortages] == ["J3/g1"]


def test_it_takes_the_best_quality_then_the_cheapest_serving_vendor() -> None:
    vendors = [
        {"id": "acme", "offers": [{"capability": "wash", "unit_cost_per_day": 45, "max_quantity": 9}]},
        {"id": "bolt", "offers": [{"capability": "wash", "unit_cost_per_day": 30, "max_quantity": 2}]},
        {
            "id": "cheap",
            "offers": [
                {"capability": "wash", "unit_cost_per_day": 1, "max_quantity": 9, "lead_time_hours": 99}
            ],
        },
    ]
    scenario = build(jobs=[job("J1", gear=[gear("J1/g1", 11, 8, 18)])], vendors=vendors, now=at(-48))
    plan = fcfs.solve(scenario)
    assert gear_of(plan) == {("J1/g1", "wash-a"): 4, ("J1/g1", "wash-b"): 4}
    assert {(row.vendor, row.quantity) for row in plan.subrentals} == {("bolt", 2), ("acme", 1)}
    assert validate(scenario, plan).ok


def test_it_respects_turnaround_and_out_of_service() -> None:
    products = [
        {"id": "wash-a", "owned": 4, "turnaround_hours": 4},
        {"id": "wash-b", "owned": 4, "out_of_service": [{"start": at(21), "end": at(22), "quantity": 3}]},
    ]
    jobs = [job("J1", gear=[gear("J1/g1", 4, 8, 18)]), job("J2", gear=[gear("J2/g1", 4, 20, 30)])]
    scenario = build(products=products, jobs=jobs, vendors=[])
    plan = fcfs.solve(scenario)
    assert gear_of(plan) == {("J1/g1", "wash-a"): 4, ("J2/g1", "wash-b"): 1}
    assert validate(scenario, plan).ok


def test_it_staffs_the_cheapest_qualified_free_person() -> None:
    crew = [
        {"id": "anna", "skills": {"rigger": 3}, "day_rate": 300},
        {"id": "bob", "skills": {"rigger": 2}, "day_rate": 200},
        {"id": "cleo", "skills": {"rigger": 1}, "day_rate": 100},
        {
            "id": "dan",
            "skills": {"rigger": 5},
            "day_rate": 150,
            "unavailable": [{"start": at(0), "end": at(9)}],
        },
    ]
    jobs = [job("J1", shifts=[shift("J1/s1", 8, 18, count=2), shift("J1/s2", 20, 22)])]
    scenario = build(crew=crew, jobs=jobs)
    plan = fcfs.solve(scenario)
    assert people_on(plan, "J1/s1") == {"bob", "anna"}
    # Both are inside their rest gap at 20:00, and dan is the only other rigger qualified.
    assert people_on(plan, "J1/s2") == {"dan"}
    assert validate(scenario, plan).ok


def test_it_leaves_a_place_unfilled_rather_than_break_weekly_hours() -> None:
    crew = [{"id": "anna", "skills": {"rigger": 3}, "day_rate": 300, "max_hours_per_week": 12}]
    jobs = [job("J1", shifts=[shift("J1/s1", 8, 18), shift("J1/s2", 32, 36)])]
    plan = fcfs.solve(build(crew=crew, jobs=jobs))
    assert people_on(plan, "J1/s1") == {"anna"} and not people_on(plan, "J1/s2")
    assert [(row.shift, row.missing) for row in plan.unfilled] == [("J1/s2", 1)]


def test_bookings_and_pins_are_placed_before_earlier_jobs() -> None:
    jobs = [
        job("J1", booked_at=-20, gear=[gear("J1/g1", 4, 8, 18)], shifts=[shift("J1/s1", 8, 18)]),
        job("J2", booked_at=-10, gear=[gear("J2/g1", 4, 8, 18)], shifts=[shift("J2/s1", 8, 18, count=2)]),
    ]
    scenario = build(
        jobs=jobs,
        vendors=[],
        bookings=[{"shift": "J2/s1", "crew": "bob"}],
        pins=[
            {"requirement": "J2/g1", "product": "wash-a", "quantity": 3},
            {"shift": "J2/s1", "crew": "anna"},
        ],
    )
    plan = fcfs.solve(scenario)
    assert plan.status == "feasible"
    assert gear_of(plan)[("J2/g1", "wash-a")] == 3
    assert gear_of(plan)[("J1/g1", "wash-a")] == 1
    assert people_on(plan, "J2/s1") == {"anna", "bob"}
    assert people_on(plan, "J1/s1") == set()
    assert validate(scenario, plan).ok


def test_a_pinned_product_gets_no_more_than_the_pin() -> None:
    scenario = build(pins=[{"requirement": "J1/g1", "product": "wash-a", "quantity": 1}])
    plan = fcfs.solve(scenario)
    assert gear_of(plan) == {("J1/g1", "wash-a"): 1, ("J1/g1", "wash-b"): 2}


def test_clashing_bookings_make_it_infeasible_with_both_named() -> None:
    jobs = [job("J1", shifts=[shift("J1/s1", 8, 18), shift("J1/s2", 12, 20)])]
    scenario = build(
        jobs=jobs, bookings=[{"shift": "J1/s1", "crew": "anna"}], pins=[{"shift": "J1/s2", "crew": "anna"}]
    )
    plan = fcfs.solve(scenario)
    assert plan.status == "infeasible"
    assert plan.conflicts == [
        {
            "kind": "pin",
            "shift": "J1/s2",
            "crew": "anna",
            "reason": "'anna' works 'J1/s1' within the rest gap",
        }
    ]
    assert validate(scenario, plan).ok


def test_a_pin_beyond_the_stock_is_a_conflict() -> None:
    plan = fcfs.solve(build(pins=[{"requirement": "J1/g1", "product": "wash-a", "quantity": 5}]))
    assert plan.status == "infeasible"
    assert plan.conflicts[0]["kind"] == "pin" and plan.conflicts[0]["requirement"] == "J1/g1"


def test_a_booking_of_an_unqualified_person_is_a_conflict() -> None:
    scenario = build(
        jobs=[job("J1", shifts=[shift("J1/s1", 8, 18, min_level=3)])],
        bookings=[{"shift": "J1/s1", "crew": "bob"}],
    )
    plan = fcfs.solve(scenario)
    assert plan.status == "infeasible"
    assert plan.conflicts == [
        {"kind": "booking", "shift": "J1/s1", "crew": "bob", "reason": "'bob' has 'rigger' level 2, below 3"}
    ]
