"""The scenario loader names the bad field; the examples load; the time helpers count days and weeks."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from allocation.solver import cpsat
from allocation.solver.check import validate
from allocation.solver.scenario import (
    ScenarioError,
    day_count,
    days_touched,
    hours_between,
    iso_week,
    load_plan,
    load_scenario,
    load_scenario_file,
)
from tests.allocation.builders import (
    EXAMPLE_NAMES,
    EXAMPLES_DIR,
    gear,
    job,
    scenario_data,
    shared_examples_dir,
    shift,
)
from tests.conftest import missing_service


def error_of(data: dict) -> str:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(data)
    return str(caught.value)


def test_the_tiny_scenario_loads() -> None:
    scenario = load_scenario(scenario_data())
    assert [requirement.id for requirement in scenario.requirements] == ["J1/g1"]
    assert scenario.requirement_by_id["J1/g1"].days == 1


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_every_example_loads(name: str) -> None:
    scenario = load_scenario_file(EXAMPLES_DIR / name)
    assert scenario.jobs and scenario.crew


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_the_examples_copy_matches_the_shared_one_when_it_is_there(name: str) -> None:
    shared = shared_examples_dir() / name
    if not shared.exists():
        # Outside CI the copy stands alone; CI (RENTALOPS_REQUIRE_SERVICES=1) has the shared directory.
        missing_service(f"no shared examples at {shared.parent} (RENTALOPS_SHARED_DIR names another place)")
    assert (EXAMPLES_DIR / name).read_bytes() == shared.read_bytes()


def test_changed_examples_carry_previous_plan_booking_and_pin() -> None:
    scenario = load_scenario_file(EXAMPLES_DIR / "example-1-changed.json")
    assert scenario.previous_plan is not None and scenario.previous_plan.gear
    assert len(scenario.bookings) == 1 and len(scenario.gear_pins) == 1


def test_it_names_an_unknown_product_in_a_capability() -> None:
    data = scenario_data()
    data["capabilities"][0]["providers"][1]["product"] = "ghost"
    assert error_of(data) == "capabilities[0].providers[1].product: unknown product 'ghost'"


def test_it_names_an_end_before_the_start() -> None:
    data = scenario_data(jobs=[job("J1", gear=[gear("J1/g1", 3, 18, 8)])])
    assert error_of(data).startswith("jobs[0].gear[0].end: must be after start")


def test_it_names_an_end_equal_to_the_start_of_a_shift() -> None:
    data = scenario_data(jobs=[job("J1", shifts=[shift("J1/s1", 8, 8)])])
    assert error_of(data).startswith("jobs[0].shifts[0].end: must be after start")


def test_it_names_a_negative_quantity() -> None:
    data = scenario_data(jobs=[job("J1", gear=[gear("J1/g1", -2, 8, 18)])])
    assert error_of(data) == "jobs[0].gear[0].quantity: must be at least 0, got -2"


def test_it_names_an_unknown_shift_in_a_booking() -> None:
    data = scenario_data(bookings=[{"shift": "J9/s1", "crew": "anna"}])
    assert error_of(data) == "bookings[0].shift: unknown shift 'J9/s1'"


def test_it_names_an_unknown_crew_member_in_a_pin() -> None:
    data = scenario_data(pins=[{"shift": "J1/s1", "crew": "zoe"}])
    assert error_of(data) == "pins[0].crew: unknown crew member 'zoe'"


def test_it_names_a_time_that_is_not_iso() -> None:
    data = scenario_data()
    data["jobs"][0]["gear"][0]["start"] = "next tuesday"
    assert error_of(data) == "jobs[0].gear[0].start: not an ISO 8601 time: 'next tuesday'"


def test_it_names_a_time_without_an_offset() -> None:
    data = scenario_data()
    data["jobs"][0]["shifts"][0]["start"] = "2027-03-01T08:00:00"
    assert "jobs[0].shifts[0].start" in error_of(data) and "no UTC offset" in error_of(data)


def test_it_names_a_duplicate_product_id() -> None:
    data = scenario_data()
    data["products"][1]["id"] = "wash-a"
    assert error_of(data) == "products[1].id: duplicate product id 'wash-a'"


def test_it_names_a_duplicate_shift_id_across_jobs() -> None:
    data = scenario_data(jobs=[job("J1", shifts=[shift("S", 8, 18)]), job("J2", shifts=[shift("S", 20, 22)])])
    assert error_of(data) == "jobs[1].shifts: duplicate shift id 'S'"


def test_it_names_a_missing_required_field() -> None:
    data = scenario_data()
    del data["products"][0]["owned"]
    assert error_of(data) == "products[0].owned: is required"


def test_it_rejects_a_plan_with_an_unknown_status() -> None:
    with pytest.raises(ScenarioError, match=r"plan\.status"):
        load_plan({"status": "great"})


def test_a_day_ending_at_midnight_is_not_touched() -> None:
    start = datetime(2027, 3, 1, 8, tzinfo=UTC)
    end = datetime(2027, 3, 3, tzinfo=UTC)
    assert day_count(start, end) == 2
    assert days_touched(start, end)[-1] == datetime(2027, 3, 2).date()


def test_a_night_shift_touches_two_days() -> None:
    assert day_count(datetime(2027, 3, 1, 20, tzinfo=UTC), datetime(2027, 3, 2, 2, tzinfo=UTC)) == 2
    assert hours_between(datetime(2027, 3, 1, 20, tzinfo=UTC), datetime(2027, 3, 2, 2, tzinfo=UTC)) == 6


def test_iso_weeks_turn_on_monday_utc() -> None:
    assert iso_week(datetime(2027, 3, 7, 23, 59, tzinfo=UTC)) == (2027, 9)
    assert iso_week(datetime(2027, 3, 8, tzinfo=UTC)) == (2027, 10)


def test_an_offer_without_max_quantity_has_no_limit() -> None:
    offer = {"capability": "wash", "unit_cost_per_day": 45.0}
    data = scenario_data(
        products=[{"id": "wash-a", "owned": 0}, {"id": "wash-b", "owned": 0}],
        vendors=[{"id": "acme", "offers": [offer]}],
        jobs=[job("J1", gear=[gear("J1/g1", 9, 8, 18)]), job("J2", gear=[gear("J2/g1", 5, 10, 20)])],
    )
    scenario = load_scenario(data)
    plan = cpsat.solve(scenario, time_limit=5)
    assert validate(scenario, plan).ok
    assert sorted((s.requirement, s.quantity) for s in plan.subrentals) == [("J1/g1", 9), ("J2/g1", 5)]
    assert plan.costs["shortage"] == 0
