"""The independent checker: each rule broken on purpose beside a plan that keeps it; hand-computed costs."""

from __future__ import annotations

import pytest

from allocation.solver.check import validate
from allocation.solver.scenario import Plan, Scenario, Shortage, Unfilled, load_scenario_file
from tests.allocation.builders import (
    EXAMPLE_NAMES,
    EXAMPLE_OPTIMA,
    EXAMPLE_PARTS,
    EXAMPLES_DIR,
    at,
    build,
    gear,
    job,
    plan,
    priced,
    shift,
    violations,
)

# The tiny scenario needs 3 wash on J1/g1 and 1 rigger on J1/s1, both 08:00-18:00 on Monday.
FULL = {"gear_rows": [("J1/g1", "wash-a", 3)], "crew": [("J1/s1", "anna")]}


def only(found: list[str], *words: str) -> None:
    """Exactly one violation, and it contains every word."""
    assert len(found) == 1, found
    assert all(word in found[0] for word in words), found[0]


def test_a_plan_that_keeps_every_rule_is_ok() -> None:
    scenario = build()
    report = validate(scenario, priced(scenario, plan(**FULL)))
    assert report.ok and report.violations == []


# --- references ---------------------------------------------------------------------------------------------


def test_it_reports_an_unknown_requirement() -> None:
    found = violations(build(), plan(**FULL, subrentals=[("J9/g1", "acme", 1)]))
    only(found, "unknown requirement", "'J9/g1'")


def test_it_reports_an_unknown_product_and_crew_member() -> None:
    found = violations(build(), plan(gear_rows=[("J1/g1", "ghost", 3)], crew=[("J1/s1", "zoe")]))
    assert any("unknown product 'ghost'" in text for text in found)
    assert any("unknown crew member 'zoe'" in text for text in found)


def test_it_reports_a_product_that_does_not_provide_the_capability() -> None:
    scenario = build(
        products=[{"id": "wash-a", "owned": 4}, {"id": "wash-b", "owned": 4}, {"id": "mic", "owned": 9}]
    )
    found = violations(scenario, plan(gear_rows=[("J1/g1", "mic", 3)], crew=[("J1/s1", "anna")]))
    only(found, "'mic'", "'J1/g1'", "does not provide 'wash'")


def test_it_reports_a_vendor_without_an_offer_for_the_capability() -> None:
    scenario = build(vendors=[{"id": "acme", "offers": []}])
    found = violations(scenario, plan(subrentals=[("J1/g1", "acme", 3)], crew=[("J1/s1", "anna")]))
    only(found, "'acme'", "'J1/g1'", "no offer for 'wash'")


def test_it_reports_a_negative_quantity() -> None:
    found = violations(
        build(), plan(gear_rows=[("J1/g1", "wash-a", 4), ("J1/g1", "wash-b", -1)], crew=FULL["crew"])
    )
    only(found, "negative quantity -1", "'wash-b'")


def test_it_reports_duplicate_rows() -> None:
    found = violations(
        build(), plan(gear_rows=[("J1/g1", "wash-a", 1), ("J1/g1", "wash-a", 2)], crew=FULL["crew"])
    )
    only(found, "gear row 'J1/g1'/'wash-a' appears 2 times")


def test_it_reports_the_same_person_twice_on_a_shift() -> None:
    scenario = build(jobs=[job("J1", shifts=[shift("J1/s1", 8, 18, count=2)])])
    found = violations(scenario, plan(crew=[("J1/s1", "anna"), ("J1/s1", "anna")], unfilled=[("J1/s1", 1)]))
    only(found, "crew row 'J1/s1'/'anna' appears 2 times")


# --- coverage -----------------------------------------------------------------------------------------------


def test_it_reports_an_over_allocated_requirement() -> None:
    found = violations(
        build(), plan(gear_rows=[("J1/g1", "wash-a", 3), ("J1/g1", "wash-b", 1)], crew=FULL["crew"])
    )
    only(found, "'J1/g1' is over-allocated: 4 units for 3")


def test_it_reports_a_shortage_the_plan_does_not_list() -> None:
    found = violations(build(), plan(gear_rows=[("J1/g1", "wash-a", 2)], crew=FULL["crew"]))
    only(found, "'J1/g1' is short 1 units but the plan lists 0")


def test_a_listed_shortage_that_matches_is_not_reported() -> None:
    assert (
        violations(
            build(), plan(gear_rows=[("J1/g1", "wash-a", 2)], shortages=[("J1/g1", 1)], crew=FULL["crew"])
        )
        == []
    )


def test_it_reports_a_listed_shortage_that_is_wrong() -> None:
    found = violations(
        build(), plan(gear_rows=[("J1/g1", "wash-a", 2)], shortages=[("J1/g1", 2)], crew=FULL["crew"])
    )
    only(found, "'J1/g1' is short 1 units but the plan lists 2")


def test_a_shortage_row_of_zero_is_accepted() -> None:
    assert violations(build(), plan(**FULL, shortages=[("J1/g1", 0)], unfilled=[("J1/s1", 0)])) == []


def test_it_reports_an_unfilled_shift_the_plan_does_not_list() -> None:
    found = violations(build(), plan(gear_rows=FULL["gear_rows"]))
    only(found, "'J1/s1' misses 1 people but the plan lists 0")


def test_a_listed_unfilled_shift_that_matches_is_not_reported() -> None:
    assert violations(build(), plan(gear_rows=FULL["gear_rows"], unfilled=[("J1/s1", 1)])) == []


def test_it_reports_too_many_people_on_a_shift() -> None:
    found = violations(build(), plan(gear_rows=FULL["gear_rows"], crew=[("J1/s1", "anna"), ("J1/s1", "bob")]))
    only(found, "'J1/s1' has 2 people for 1 places")


# --- product capacity ---------------------------------------------------------------------------------------

TWO_JOBS = [
    job("J1", gear=[gear("J1/g1", 3, 8, 18)]),
    job("J2", gear=[gear("J2/g1", 3, 20, 30)]),
]


def test_it_reports_a_product_over_capacity() -> None:
    scenario = build(
        jobs=[job("J1", gear=[gear("J1/g1", 3, 8, 18)]), job("J2", gear=[gear("J2/g1", 3, 12, 30)])]
    )
    found = violations(scenario, plan(gear_rows=[("J1/g1", "wash-a", 3), ("J2/g1", "wash-a", 3)]))
    only(
        found, "product 'wash-a' is over capacity at 2027-03-01T12:00:00Z", "6 units busy", "only 4 available"
    )
    assert "J1/g1, J2/g1" in found[0]


def test_it_reports_a_product_still_in_turnaround() -> None:
    products = [{"id": "wash-a", "owned": 4, "turnaround_hours": 4}, {"id": "wash-b", "owned": 4}]
    scenario = build(products=products, jobs=TWO_JOBS)
    found = violations(scenario, plan(gear_rows=[("J1/g1", "wash-a", 3), ("J2/g1", "wash-a", 3)]))
    only(found, "'wash-a' is over capacity at 2027-03-01T20:00:00Z")


def test_a_unit_back_from_turnaround_exactly_at_the_start_is_free() -> None:
    products = [{"id": "wash-a", "owned": 4, "turnaround_hours": 2}, {"id": "wash-b", "owned": 4}]
    scenario = build(products=products, jobs=TWO_JOBS)
    assert violations(scenario, plan(gear_rows=[("J1/g1", "wash-a", 3), ("J2/g1", "wash-a", 3)])) == []


def test_it_reports_units_busy_while_out_of_service_starts() -> None:
    window = {"start": at(12), "end": at(40), "quantity": 2}
    products = [{"id": "wash-a", "owned": 4, "out_of_service": [window]}, {"id": "wash-b", "owned": 4}]
    found = violations(build(products=products), plan(**FULL))
    only(found, "'wash-a' is over capacity at 2027-03-01T12:00:00Z", "only 2 available", "2 out of service")


def test_out_of_service_after_the_use_is_not_reported() -> None:
    window = {"start": at(18), "end": at(40), "quantity": 4}
    products = [{"id": "wash-a", "owned": 4, "out_of_service": [window]}, {"id": "wash-b", "owned": 4}]
    assert violations(build(products=products), plan(**FULL)) == []


# --- vendors ------------------------------------------------------------------------------------------------


def test_it_reports_a_sub_rental_inside_the_lead_time() -> None:
    scenario = build(now=at(-24))
    found = violations(scenario, plan(subrentals=[("J1/g1", "acme", 3)], crew=FULL["crew"]))
    only(found, "vendor 'acme' cannot serve 'J1/g1'", "32 h after now", "lead time is 48 h")


def test_a_sub_rental_is_fine_without_now_or_beyond_the_lead_time() -> None:
    rows = plan(subrentals=[("J1/g1", "acme", 3)], crew=FULL["crew"])
    assert violations(build(), rows) == []
    assert violations(build(now=at(-40)), rows) == []


def test_it_reports_a_vendor_over_its_max_quantity() -> None:
    jobs = [job("J1", gear=[gear("J1/g1", 2, 8, 18)]), job("J2", gear=[gear("J2/g1", 2, 17, 30)])]
    found = violations(build(jobs=jobs), plan(subrentals=[("J1/g1", "acme", 2), ("J2/g1", "acme", 2)]))
    only(found, "vendor 'acme' has 4 units of 'wash' out at 2027-03-01T17:00:00Z", "max_quantity 3")


def test_vendor_units_back_to_back_do_not_add_up() -> None:
    jobs = [job("J1", gear=[gear("J1/g1", 2, 8, 18)]), job("J2", gear=[gear("J2/g1", 2, 18, 30)])]
    assert violations(build(jobs=jobs), plan(subrentals=[("J1/g1", "acme", 2), ("J2/g1", "acme", 2)])) == []


# --- crew ---------------------------------------------------------------------------------------------------


def test_it_reports_a_person_below_the_level() -> None:
    scenario = build(jobs=[job("J1", shifts=[shift("J1/s1", 8, 18, min_level=3)])])
    only(violations(scenario, plan(crew=[("J1/s1", "bob")])), "'bob' on 'J1/s1' has 'rigger' level 2, below")
    assert violations(scenario, plan(crew=[("J1/s1", "anna")])) == []


def test_it_reports_a_person_without_the_role() -> None:
    scenario = build(jobs=[job("J1", shifts=[shift("J1/s1", 8, 18, role="audio-a1", min_level=1)])])
    only(violations(scenario, plan(crew=[("J1/s1", "anna")])), "'audio-a1' level 0")


def test_it_reports_overlapping_shifts_of_one_person() -> None:
    scenario = build(jobs=[job("J1", shifts=[shift("J1/s1", 8, 18), shift("J1/s2", 16, 20)])])
    found = violations(scenario, plan(crew=[("J1/s1", "anna"), ("J1/s2", "anna")]))
    only(found, "'anna' works overlapping shifts 'J1/s1' and 'J1/s2'")


def test_it_reports_too_little_rest_between_shifts() -> None:
    scenario = build(jobs=[job("J1", shifts=[shift("J1/s1", 8, 18), shift("J1/s2", 26, 30)])])
    found = violations(scenario, plan(crew=[("J1/s1", "anna"), ("J1/s2", "anna")]))
    only(found, "'anna' rests only 8 h between 'J1/s1' and 'J1/s2', less than 10 h")


def test_exactly_the_rest_gap_is_enough() -> None:
    scenario = build(jobs=[job("J1", shifts=[shift("J1/s1", 8, 18), shift("J1/s2", 28, 30)])])
    assert violations(scenario, plan(crew=[("J1/s1", "anna"), ("J1/s2", "anna")])) == []


def test_it_reports_the_rest_of_settings() -> None:
    scenario = build(
        jobs=[job("J1", shifts=[shift("J1/s1", 8, 18), shift("J1/s2", 28, 30)])], settings={"rest_hours": 12}
    )
    only(violations(scenario, plan(crew=[("J1/s1", "anna"), ("J1/s2", "anna")])), "less than 12 h")


def test_it_reports_a_person_working_while_unavailable() -> None:
    crew = [
        {
            "id": "anna",
            "skills": {"rigger": 3},
            "day_rate": 300,
            "unavailable": [{"start": at(17), "end": at(30)}],
        }
    ]
    found = violations(build(crew=crew), plan(**FULL))
    only(found, "'anna' is unavailable from 2027-03-01T17:00:00Z", "works 'J1/s1'")


def test_unavailable_right_after_the_shift_is_not_reported() -> None:
    crew = [
        {
            "id": "anna",
            "skills": {"rigger": 3},
            "day_rate": 300,
            "unavailable": [{"start": at(18), "end": at(30)}],
        }
    ]
    assert violations(build(crew=crew), plan(**FULL)) == []


def test_it_reports_a_person_over_the_weekly_hours() -> None:
    crew = [{"id": "anna", "skills": {"rigger": 3}, "day_rate": 300, "max_hours_per_week": 15}]
    jobs = [job("J1", shifts=[shift("J1/s1", 8, 18), shift("J1/s2", 32, 38)])]
    found = violations(build(crew=crew, jobs=jobs), plan(crew=[("J1/s1", "anna"), ("J1/s2", "anna")]))
    only(found, "'anna' works 16 h in ISO week 2027-W09, more than max_hours_per_week 15")


def test_weekly_hours_count_the_week_a_shift_starts_in() -> None:
    # Sunday 20:00 to Monday 06:00 counts for the first week only; Monday's shift starts the next one.
    crew = [{"id": "anna", "skills": {"rigger": 3}, "day_rate": 300, "max_hours_per_week": 10}]
    jobs = [
        job("J1", shifts=[shift("J1/s1", 6 * 24 + 20, 7 * 24 + 6), shift("J1/s2", 7 * 24 + 16, 7 * 24 + 26)])
    ]
    assert violations(build(crew=crew, jobs=jobs), plan(crew=[("J1/s1", "anna"), ("J1/s2", "anna")])) == []


# --- bookings and pins --------------------------------------------------------------------------------------


def test_it_reports_a_booking_that_is_not_kept() -> None:
    scenario = build(bookings=[{"shift": "J1/s1", "crew": "bob"}])
    only(violations(scenario, plan(**FULL)), "booking of 'bob' on 'J1/s1' is not kept")
    assert violations(scenario, plan(gear_rows=FULL["gear_rows"], crew=[("J1/s1", "bob")])) == []


def test_it_reports_a_crew_pin_that_is_not_kept() -> None:
    scenario = build(pins=[{"shift": "J1/s1", "crew": "bob"}])
    only(violations(scenario, plan(**FULL)), "pin of 'bob' on 'J1/s1' is not kept")


def test_it_reports_a_gear_pin_that_is_not_kept_exactly() -> None:
    scenario = build(pins=[{"requirement": "J1/g1", "product": "wash-a", "quantity": 2}])
    only(violations(scenario, plan(**FULL)), "pin of 2 'wash-a' on 'J1/g1' is not kept: the plan places 3")
    kept = plan(gear_rows=[("J1/g1", "wash-a", 2), ("J1/g1", "wash-b", 1)], crew=FULL["crew"])
    assert violations(scenario, kept) == []


def test_a_pin_of_zero_units_holds_when_the_product_is_unused() -> None:
    scenario = build(pins=[{"requirement": "J1/g1", "product": "wash-b", "quantity": 0}])
    assert violations(scenario, plan(**FULL)) == []


# --- statuses and stated costs ------------------------------------------------------------------------------


def test_it_reports_an_infeasible_plan_without_conflicts() -> None:
    assert validate(build(), plan(status="infeasible")).violations == [
        "plan is infeasible but lists no conflicts"
    ]


def test_an_infeasible_plan_with_conflicts_is_checked_for_nothing_else() -> None:
    the_plan = plan(status="infeasible", gear_rows=[("J9/g9", "ghost", -5)])
    the_plan.conflicts = [{"kind": "booking", "shift": "J1/s1", "crew": "bob", "reason": "clash"}]
    assert validate(build(), the_plan).ok


def test_a_timeout_without_solution_needs_no_conflicts() -> None:
    assert validate(build(), plan(status="timeout-no-solution")).ok


def test_it_reports_a_stated_cost_that_does_not_add_up() -> None:
    scenario = build()
    the_plan = priced(scenario, plan(**FULL))
    the_plan.costs["crew"] += 1.0
    report = validate(scenario, the_plan)
    assert not report.ok
    only(report.violations, "plan states crew cost 301 but it recomputes to 300")


def test_it_reports_a_stated_objective_that_does_not_add_up() -> None:
    scenario = build()
    the_plan = priced(scenario, plan(**FULL))
    the_plan.objective = 1.0
    only(validate(scenario, the_plan).violations, "objective 1 but it recomputes to 300")


def test_a_float_noise_difference_in_costs_is_tolerated() -> None:
    scenario = build()
    the_plan = priced(scenario, plan(**FULL))
    the_plan.objective = (the_plan.objective or 0) * (1 + 1e-9)
    assert validate(scenario, the_plan).ok


def test_it_reports_a_plan_without_an_objective() -> None:
    scenario = build()
    the_plan = plan(**FULL)
    the_plan.costs = validate(scenario, the_plan).costs
    only(validate(scenario, the_plan).violations, "plan states no objective")


# --- costs --------------------------------------------------------------------------------------------------


def costs_of(scenario: Scenario, the_plan: Plan) -> dict[str, float]:
    return validate(scenario, the_plan).costs


def test_a_night_shift_costs_two_day_rates() -> None:
    scenario = build(jobs=[job("J1", shifts=[shift("J1/s1", 20, 26)])])
    assert costs_of(scenario, plan(crew=[("J1/s1", "anna")]))["crew"] == 600.0


def test_two_shifts_on_one_day_cost_one_day_rate() -> None:
    scenario = build(jobs=[job("J1", shifts=[shift("J1/s1", 0, 4), shift("J1/s2", 14, 24)])])
    assert costs_of(scenario, plan(crew=[("J1/s1", "bob"), ("J1/s2", "bob")]))["crew"] == 200.0


def test_the_days_of_a_person_are_the_union_over_their_shifts() -> None:
    # Monday night into Tuesday, then Tuesday evening: Monday and Tuesday, two days.
    scenario = build(jobs=[job("J1", shifts=[shift("J1/s1", 20, 26), shift("J1/s2", 36, 44)])])
    assert costs_of(scenario, plan(crew=[("J1/s1", "bob"), ("J1/s2", "bob")]))["crew"] == 400.0


def test_a_shortage_over_two_days_costs_each_day_times_priority() -> None:
    scenario = build(jobs=[job("J1", priority=3, gear=[gear("J1/g1", 3, 8, 48)])])
    # 08:00 Monday to 00:00 Wednesday touches two days: 2 units * 2 days * 1000 * priority 3.
    costs = costs_of(scenario, plan(gear_rows=[("J1/g1", "wash-a", 1)], shortages=[("J1/g1", 2)]))
    assert costs["shortage"] == 12_000.0


def test_substitution_costs_the_missing_quality() -> None:
    scenario = build(jobs=[job("J1", gear=[gear("J1/g1", 3, 8, 30)])])
    costs = costs_of(scenario, plan(gear_rows=[("J1/g1", "wash-a", 1), ("J1/g1", "wash-b", 2)]))
    # 2 units * 2 days * 20 * (1 - 0.8); the full-quality unit is free.
    assert costs["substitution"] == pytest.approx(16.0)


def test_sub_rental_costs_units_days_and_rate() -> None:
    scenario = build(jobs=[job("J1", gear=[gear("J1/g1", 3, 8, 30)])])
    assert costs_of(scenario, plan(subrentals=[("J1/g1", "acme", 3)]))["subrental"] == 3 * 2 * 45.0


def test_an_unfilled_place_costs_the_penalty_times_priority() -> None:
    scenario = build(jobs=[job("J1", priority=4, shifts=[shift("J1/s1", 8, 18, count=3)])])
    costs = costs_of(scenario, plan(crew=[("J1/s1", "anna")], unfilled=[("J1/s1", 2)]))
    assert costs["unfilled"] == 2 * 5000.0 * 4
    assert costs["crew"] == 300.0


def test_settings_change_the_penalties() -> None:
    scenario = build(settings={"shortage_penalty_per_unit_day": 10, "unfilled_shift_penalty": 7})
    costs = costs_of(scenario, plan(shortages=[("J1/g1", 3)], unfilled=[("J1/s1", 1)]))
    assert costs["shortage"] == 3 * 10 * 2 and costs["unfilled"] == 7 * 2


def test_churn_counts_changed_units_and_changed_people() -> None:
    previous = {
        "gear": [{"requirement": "J1/g1", "product": "wash-a", "quantity": 3}],
        "subrentals": [{"requirement": "J1/g1", "vendor": "acme", "quantity": 2}],
        "crew": [{"shift": "J1/s1", "crew": "anna"}],
    }
    scenario = build(previous_plan=previous)
    new = plan(gear_rows=[("J1/g1", "wash-a", 1), ("J1/g1", "wash-b", 2)], crew=[("J1/s1", "bob")])
    # |1 - 3| + |2 - 0| units, anna out and bob in; the sub-rental that went away is not churn.
    assert costs_of(scenario, new)["churn"] == (2 + 2 + 2) * 50.0


def test_an_unchanged_plan_has_no_churn() -> None:
    previous = {
        "gear": [{"requirement": "J1/g1", "product": "wash-a", "quantity": 3}],
        "crew": [{"shift": "J1/s1", "crew": "anna"}],
    }
    assert costs_of(build(previous_plan=previous), plan(**FULL))["churn"] == 0.0


def test_rows_of_a_cancelled_job_are_not_churn() -> None:
    previous = {
        "gear": [
            {"requirement": "J1/g1", "product": "wash-a", "quantity": 3},
            {"requirement": "J0/g1", "product": "wash-a", "quantity": 4},
        ],
        "crew": [{"shift": "J1/s1", "crew": "anna"}, {"shift": "J0/s1", "crew": "bob"}],
    }
    assert costs_of(build(previous_plan=previous), plan(**FULL))["churn"] == 0.0


def test_without_a_previous_plan_churn_is_zero() -> None:
    assert costs_of(build(), plan(**FULL))["churn"] == 0.0


@pytest.mark.parametrize("number", [1, 2, 3])
def test_the_optimal_plan_of_each_example_costs_the_known_optimum(number: int) -> None:
    # The -changed files carry the proven optimal plan of the base file as their previous_plan.
    base = load_scenario_file(EXAMPLES_DIR / f"example-{number}.json")
    optimal = load_scenario_file(EXAMPLES_DIR / f"example-{number}-changed.json").previous_plan
    assert optimal is not None
    own: dict[str, int] = {}
    for row in [*optimal.gear, *optimal.subrentals]:
        own[row.requirement] = own.get(row.requirement, 0) + row.quantity
    optimal.shortages = [
        Shortage(r.id, r.quantity - own.get(r.id, 0))
        for r in base.requirements
        if r.quantity > own.get(r.id, 0)
    ]
    people: dict[str, int] = {}
    for row in optimal.crew:
        people[row.shift] = people.get(row.shift, 0) + 1
    optimal.unfilled = [
        Unfilled(s.id, s.count - people.get(s.id, 0)) for s in base.shifts if s.count > people.get(s.id, 0)
    ]
    report = validate(base, priced(base, optimal))
    assert report.ok, report.violations
    expected = dict(
        zip(
            ("shortage", "subrental", "substitution", "crew", "unfilled", "churn"),
            EXAMPLE_PARTS[f"example-{number}.json"],
            strict=True,
        )
    )
    assert report.costs == pytest.approx(expected)


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_a_cpsat_plan_of_each_example_passes_at_the_known_optimum(name: str) -> None:
    from allocation.solver import cpsat

    scenario = load_scenario_file(EXAMPLES_DIR / name)
    plan = cpsat.solve(scenario, time_limit=30)
    report = validate(scenario, plan)
    assert report.ok, report.violations
    assert plan.status == "optimal"
    assert report.objective == pytest.approx(EXAMPLE_OPTIMA[name], abs=1e-6)
