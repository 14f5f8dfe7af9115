"""Properties over small random seasons: every solver's plan passes the independent checker.

Bookings and pins are drawn from a feasible FCFS plan of the same season, so they can always hold together.
"""

from __future__ import annotations

import random
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from allocation.solver import fcfs
from allocation.solver.check import validate
from allocation.solver.scenario import Plan, Scenario, load_scenario, plan_to_dict
from tests.allocation.builders import at, gear, job, scenario_data

ROLES = ("rigger", "audio-a1")
HOURS = 14 * 24  # a fortnight of possible start times
CPSAT_TIME_LIMIT = 5.0
PROPERTY_SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CPSAT_SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def interval(draw: st.DrawFn, shortest: int, longest: int) -> tuple[str, str]:
    """Whole hours inside the fortnight; a coarse grid so that intervals often touch and overlap."""
    start = draw(st.integers(0, HOURS // 2)) * 2
    return at(start), at(start + draw(st.integers(shortest, longest)))


@st.composite
def season(draw: st.DrawFn) -> dict[str, Any]:
    """A small random season without bookings, pins or previous plan."""
    product_ids = [f"p{index}" for index in range(draw(st.integers(2, 5)))]
    products = []
    for product_id in product_ids:
        windows = []
        for _ in range(draw(st.integers(0, 1))):
            start, end = draw(interval(2, 48))
            windows.append({"start": start, "end": end, "quantity": draw(st.integers(1, 3))})
        products.append(
            {
                "id": product_id,
                "owned": draw(st.integers(0, 6)),
                "turnaround_hours": draw(st.sampled_from([0, 2, 12, 24])),
                "out_of_service": windows,
            }
        )
    capabilities = []
    for index in range(draw(st.integers(1, 3))):
        providers = draw(st.lists(st.sampled_from(product_ids), min_size=1, max_size=3, unique=True))
        capabilities.append(
            {
                "id": f"c{index}",
                "providers": [
                    {"product": product, "quality": draw(st.sampled_from([1.0, 0.9, 0.8, 0.5]))}
                    for product in providers
                ],
            }
        )
    capability_ids = [capability["id"] for capability in capabilities]
    vendors = []
    for index in range(draw(st.integers(0, 2))):
        offered = draw(st.lists(st.sampled_from(capability_ids), min_size=1, max_size=2, unique=True))
        offers = [
            {
                "capability": capability,
                "unit_cost_per_day": draw(st.sampled_from([10.0, 45.0, 120.0])),
                "max_quantity": draw(st.integers(0, 5)),
                "lead_time_hours": draw(st.sampled_from([0, 24, 72])),
            }
            for capability in offered
        ]
        vendors.append({"id": f"v{index}", "offers": offers})
    jobs = []
    for job_index in range(draw(st.integers(1, 5))):
        job_id = f"J{job_index}"
        gear = []
        for index in range(draw(st.integers(0, 3))):
            start, end = draw(interval(2, 60))
            gear.append(
                {
                    "id": f"{job_id}/g{index}",
                    "capability": draw(st.sampled_from(capability_ids)),
                    "quantity": draw(st.integers(0, 8)),
                    "start": start,
                    "end": end,
                }
            )
        shifts = []
        for index in range(draw(st.integers(0, 3))):
            start, end = draw(interval(2, 14))
            shifts.append(
                {
                    "id": f"{job_id}/s{index}",
                    "role": draw(st.sampled_from(ROLES)),
                    "min_level": draw(st.integers(1, 3)),
                    "count": draw(st.integers(1, 3)),
                    "start": start,
                    "end": end,
                }
            )
        booked = draw(st.one_of(st.none(), st.integers(-500, -1)))
        jobs.append(
            {
                "id": job_id,
                "priority": draw(st.integers(1, 5)),
                "booked_at": None if booked is None else at(booked),
                "gear": gear,
                "shifts": shifts,
            }
        )
    crew = []
    for index in range(draw(st.integers(2, 6))):
        skills = {
            role: draw(st.integers(1, 4)) for role in draw(st.lists(st.sampled_from(ROLES), unique=True))
        }
        member: dict[str, Any] = {
            "id": f"m{index}",
            "kind": draw(st.sampled_from(["staff", "freelancer"])),
            "skills": skills,
            "day_rate": draw(st.sampled_from([150.0, 200.0, 350.0])),
            "unavailable": [],
        }
        if draw(st.booleans()):
            member["max_hours_per_week"] = draw(st.integers(8, 40))
        for _ in range(draw(st.integers(0, 1))):
            start, end = draw(interval(4, 72))
            member["unavailable"].append({"start": start, "end": end})
        crew.append(member)
    data: dict[str, Any] = {
        "name": "random",
        "products": products,
        "capabilities": capabilities,
        "vendors": vendors,
        "jobs": jobs,
        "crew": crew,
        "settings": {"rest_hours": draw(st.sampled_from([0, 8, 10, 12]))},
    }
    if draw(st.booleans()):
        data["now"] = at(draw(st.integers(-96, 96)))
    return data


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    """A season, maybe with bookings and pins taken from its own FCFS plan, maybe with a previous plan."""
    data = draw(season())
    base = fcfs.solve(load_scenario(data))
    assert base.status == "feasible"
    chooser = random.Random(draw(st.integers(0, 2**32 - 1)))
    if draw(st.booleans()):
        crew_rows = [{"shift": row.shift, "crew": row.crew} for row in base.crew]
        gear_rows = [
            {"requirement": row.requirement, "product": row.product, "quantity": row.quantity}
            for row in base.gear
        ]
        data["bookings"] = [row for row in crew_rows if chooser.random() < 0.3]
        data["pins"] = [row for row in gear_rows if chooser.random() < 0.3]
        data["pins"] += [row for row in crew_rows if chooser.random() < 0.2]
    if draw(st.booleans()):
        previous = plan_to_dict(base)
        # Shake the previous plan so that churn is not always zero, and add a row of a job since cancelled.
        previous["gear"] = [
            {**row, "quantity": max(row["quantity"] - chooser.randint(0, 1), 0)} for row in previous["gear"]
        ] + [{"requirement": "gone/g0", "product": "p0", "quantity": 2}]
        previous["crew"] = [row for row in previous["crew"] if chooser.random() < 0.7]
        data["previous_plan"] = {key: previous[key] for key in ("gear", "subrentals", "crew")}
    return load_scenario(data)


def assert_fixed_decisions_hold(scenario: Scenario, plan: Plan) -> None:
    placed_people = {(row.shift, row.crew) for row in plan.crew}
    placed_gear = {(row.requirement, row.product): row.quantity for row in plan.gear}
    for fixed in [*scenario.bookings, *scenario.crew_pins]:
        assert (fixed.shift, fixed.crew) in placed_people
    for pin in scenario.gear_pins:
        assert placed_gear.get((pin.requirement, pin.product), 0) == pin.quantity


@PROPERTY_SETTINGS
@given(scenarios())
def test_every_fcfs_plan_passes_the_checker(scenario: Scenario) -> None:
    plan = fcfs.solve(scenario)
    assert plan.status == "feasible", plan.conflicts
    report = validate(scenario, plan)
    assert report.ok, report.violations
    assert_fixed_decisions_hold(scenario, plan)


@CPSAT_SETTINGS
@given(scenarios())
def test_every_cpsat_plan_passes_the_checker_and_never_costs_more_than_fcfs(scenario: Scenario) -> None:
    from allocation.solver import cpsat

    plan = cpsat.solve(scenario, time_limit=CPSAT_TIME_LIMIT, workers=2)
    assert plan.status in ("optimal", "feasible"), plan.conflicts
    report = validate(scenario, plan)
    assert report.ok, report.violations
    assert_fixed_decisions_hold(scenario, plan)
    baseline = fcfs.solve(scenario)
    assert plan.objective is not None and baseline.objective is not None
    assert plan.objective <= baseline.objective + 1e-6


@CPSAT_SETTINGS
@given(scenarios())
def test_solving_again_from_its_own_plan_gives_no_churn(scenario: Scenario) -> None:
    from allocation.solver import cpsat

    # Without a previous plan the first solve minimises cost alone, so keeping its plan is optimal again.
    scenario.previous_plan = None
    first = cpsat.solve(scenario, time_limit=CPSAT_TIME_LIMIT, workers=2)
    assert first.status in ("optimal", "feasible"), first.conflicts
    scenario.previous_plan = Plan(gear=first.gear, subrentals=first.subrentals, crew=first.crew)
    again = cpsat.solve(scenario, time_limit=CPSAT_TIME_LIMIT, workers=2)
    assert validate(scenario, again).ok
    if first.status == again.status == "optimal":
        assert again.costs["churn"] == 0.0
        assert again.objective == first.objective


def test_cpsat_reads_a_zero_row_of_the_previous_plan_as_no_units() -> None:
    # Found by the properties above: a previous row of 0 units must churn like a missing row, so the
    # full-quality product costs one churn unit, not more, and beats the substitute.
    from allocation.solver import cpsat

    data = scenario_data(
        jobs=[job("J0", gear=[gear("J0/g0", 1, 0, 2)])],
        products=[{"id": "wash-a", "owned": 1}, {"id": "wash-b", "owned": 1}],
        vendors=[],
        previous_plan={"gear": [{"requirement": "J0/g0", "product": "wash-a", "quantity": 0}]},
    )
    scenario = load_scenario(data)
    plan = cpsat.solve(scenario, time_limit=CPSAT_TIME_LIMIT, workers=2)
    assert validate(scenario, plan).ok
    assert plan.objective == fcfs.solve(scenario).objective == 50.0
