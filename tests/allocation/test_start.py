"""The starting crew plan matched day by day (matching.py) and the neighbourhood improvement of big crews."""

from __future__ import annotations

import copy
import json
import time
from types import ModuleType
from typing import Any

import pytest

from allocation.bench.generator import generate_season
from allocation.solver import check, cpsat, fcfs
from allocation.solver.costs import finish_plan
from allocation.solver.cpsat import build_problem, model, neighbourhoods, pricing
from allocation.solver.cpsat.hints import hint_from_plan
from allocation.solver.cpsat.matching import matched_crew
from allocation.solver.cpsat.model import _fixed_bounds, valid_hint
from allocation.solver.cpsat.problem import components, integer_costs
from allocation.solver.scenario import load_scenario
from tests.allocation.builders import EXAMPLE_NAMES, EXAMPLES_DIR, build, job, plan, rigger, shift


def spy(monkeypatch: pytest.MonkeyPatch, module: ModuleType, name: str) -> list[int]:
    """Count the calls of ``module.name`` (still made): one entry per call in the returned list."""
    calls: list[int] = []
    real = getattr(module, name)
    monkeypatch.setattr(module, name, lambda *a, **k: calls.append(1) or real(*a, **k))
    return calls


def night_chain():
    # Two load-out calls, Monday 22:00 to Tuesday 03:00 and Tuesday 22:00 to Wednesday 03:00. Bob (280 a
    # day) is away on Monday night; Anna (300) works the first, so the second costs her one new day only.
    return build(
        jobs=[job("J1", priority=1, shifts=[shift("J1/n1", 22, 27), shift("J1/n2", 46, 51)])],
        crew=[rigger("anna", 300.0), rigger("bob", 280.0, kind="freelancer", away=(20, 30))],
    )


def test_a_person_already_paid_for_a_day_takes_the_next_call_on_it() -> None:
    scenario = night_chain()

    crew = matched_crew(scenario)

    assert sorted((a.shift, a.crew) for a in crew) == [("J1/n1", "anna"), ("J1/n2", "anna")]
    the_plan = plan(crew=[(a.shift, a.crew) for a in crew])
    assert check.plan_costs(scenario, the_plan)["crew"] == 900  # Monday to Wednesday, three days
    # First come, first served pays the cheaper day rate and four days.
    assert fcfs.solve(scenario).costs["crew"] == 300 * 2 + 280 * 2


def test_the_days_seats_are_matched_at_once_so_the_one_person_qualified_for_a_call_gets_it() -> None:
    # Monday 08:00 to 12:00 needs a level-2 rigger, 09:00 to 13:00 a level-3 one. Anna (200 a day) is the
    # only level 3 and the cheapest: given to the first call, as first come, first served does, she leaves
    # the second one empty.
    bob = {**rigger("bob", 300.0, kind="freelancer"), "skills": {"rigger": 2}}
    scenario = build(
        jobs=[
            job("J1", priority=2, shifts=[shift("J1/early", 8, 12), shift("J1/senior", 9, 13, min_level=3)])
        ],
        crew=[rigger("anna", 200.0), bob],
    )

    crew = matched_crew(scenario)

    assert sorted((a.shift, a.crew) for a in crew) == [("J1/early", "bob"), ("J1/senior", "anna")]
    assert [(u.shift, u.missing) for u in fcfs.solve(scenario).unfilled if u.missing] == [("J1/senior", 1)]


def test_a_seat_that_costs_nothing_left_empty_stays_empty() -> None:
    # With no unfilled-shift penalty, a seat filled costs a day rate and saves nothing: at the day's matching
    # and at a second shift of the day alike.
    scenario = build(
        jobs=[job("J1", priority=1, shifts=[shift("J1/am", 6, 8), shift("J1/pm", 18, 20)])],
        crew=[rigger("anna", 300.0)],
        settings={"unfilled_shift_penalty": 0.0},
    )

    assert matched_crew(scenario) == []


def test_a_day_is_matched_again_once_the_days_after_it_are_known() -> None:
    # Monday 20:00 to Tuesday 04:00 takes anyone; Tuesday 18:00 to 22:00 needs level 3, which only Anna
    # (300 a day) has. Matching Monday alone gives its call to Bob (290): two of his days, 580, against
    # Anna's 600. Once Anna works Tuesday anyway, Monday's call costs her one new day.
    bob = {**rigger("bob", 290.0, kind="freelancer"), "skills": {"rigger": 2}}
    scenario = build(
        jobs=[
            job("J1", priority=1, shifts=[shift("J1/night", 20, 28), shift("J1/senior", 42, 46, min_level=3)])
        ],
        crew=[rigger("anna", 300.0), bob],
    )

    crew = matched_crew(scenario)

    assert sorted((a.shift, a.crew) for a in crew) == [("J1/night", "anna"), ("J1/senior", "anna")]
    assert check.plan_costs(scenario, plan(crew=[(a.shift, a.crew) for a in crew]))["crew"] == 600


def test_a_seat_nobody_can_take_at_the_days_matching_goes_to_whoever_can_work_twice_that_day() -> None:
    # Two calls on Monday, 06:00 to 08:00 and 18:00 to 20:00, ten hours apart; one rigger.
    scenario = build(
        jobs=[job("J1", priority=1, shifts=[shift("J1/am", 6, 8), shift("J1/pm", 18, 20)])],
        crew=[rigger("anna", 300.0)],
    )

    crew = matched_crew(scenario)

    assert sorted((a.shift, a.crew) for a in crew) == [("J1/am", "anna"), ("J1/pm", "anna")]
    assert check.plan_costs(scenario, plan(crew=[(a.shift, a.crew) for a in crew]))["crew"] == 300


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_the_matched_crew_keeps_every_rule_bookings_and_pins_included(name: str) -> None:
    scenario = load_scenario(json.loads((EXAMPLES_DIR / name).read_text()))
    start = copy.deepcopy(fcfs.solve(scenario))
    start.crew = matched_crew(scenario)
    start.shortages, start.unfilled = cpsat._shortfalls(scenario, start)
    finish_plan(scenario, start)

    report = check.validate(scenario, start)
    assert report.ok, report.violations
    placed = {(a.shift, a.crew) for a in start.crew}
    assert {(b.shift, b.crew) for b in scenario.bookings} <= placed
    assert {(p.shift, p.crew) for p in scenario.crew_pins} <= placed


def test_a_priced_crew_part_is_improved_by_people_keeping_every_rule_and_never_costing_more(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scenario = load_scenario(generate_season(80, 1))
    start = cpsat._start(scenario, fcfs.solve(scenario))
    monkeypatch.setattr(pricing, "PRICING_PAIRS", 0)
    monkeypatch.setattr(cpsat, "_NEIGHBOURHOOD_VARIABLES", 0)
    calls = spy(monkeypatch, cpsat, "improve_by_people")

    result = cpsat.solve(scenario, time_limit=8)

    assert calls, "the priced crew part went through the people neighbourhoods"
    assert check.validate(scenario, result).ok
    assert result.objective is not None and start.objective is not None
    assert result.objective <= start.objective
    assert result.bound is not None and result.bound <= result.objective


@pytest.mark.parametrize(
    ("by_days", "workers"),
    [(False, 1), (True, 1), (True, 2)],
    ids=["season", "season-and-days", "two-windows-at-once"],
)
def test_people_neighbourhoods_move_seats_between_people_keeping_every_rule_and_booking(
    by_days: bool, workers: int
) -> None:
    data = generate_season(40, 2)
    first = fcfs.solve(load_scenario(data))
    data["bookings"] = [{"shift": a.shift, "crew": a.crew} for a in first.crew[::25]]
    scenario = load_scenario(data)
    problem = build_problem(scenario)
    hint_from_plan(problem, cpsat._start(scenario, fcfs.solve(scenario)))
    part = max(components(problem), key=lambda component: len(component.variables))
    assert part.fixings, "the bookings are in the crew part"
    bounds = _fixed_bounds(problem, part)
    assert bounds is not None
    start = valid_hint(problem, part, bounds)
    assert start is not None

    # With the days, every other neighbourhood is five days' shifts of as many people as fit; with two
    # workers, two windows whose rows are apart are solved at once and both answers kept.
    day_of = cpsat._day_of(scenario) if by_days else None

    improved = neighbourhoods.improve_by_people(
        problem, part, start, deadline=time.perf_counter() + 3, day_of=day_of, workers=workers
    )

    assert problem.rows_hold(part.rows, improved)
    assert all(improved[problem.fixings[index].variable] == 1 for index in part.fixings)

    def cost(values: dict[int, int]) -> float:
        return sum(problem.cost[variable] * value for variable, value in values.items())

    assert cost(improved) < cost(start)


def test_a_big_crew_part_is_improved_by_people_from_its_rounded_lp_plan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scenario = load_scenario(generate_season(60, 1))
    start = cpsat._start(scenario, fcfs.solve(scenario))
    calls = spy(monkeypatch, model, "improve_by_people")

    result = cpsat.solve(scenario, time_limit=5)

    assert calls, "the crew part went through the people neighbourhoods"
    assert check.validate(scenario, result).ok
    assert result.objective is not None and start.objective is not None
    assert result.objective < start.objective
    assert result.bound is not None and result.bound <= result.objective


def test_a_crew_part_cp_sat_has_the_time_to_prove_gets_cp_sat_and_is_proven_optimal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The 50-job season's crew (6,900 variables) is past what one CP-SAT model gets by size alone; the
    # people search leaves it 1.07% above its LP bound however long it runs, CP-SAT from the rounded LP plan
    # proves it (in 3 to 7 s; the limit leaves room for a slow or busy machine).
    scenario = load_scenario(generate_season(50, 1))
    calls = spy(monkeypatch, model, "improve_by_people")

    result = cpsat.solve(scenario, time_limit=20, workers=2)

    assert not calls, "the crew part went to CP-SAT, not to the people search"
    assert check.validate(scenario, result).ok
    assert result.status == "optimal"
    assert result.bound == pytest.approx(result.objective)


def test_a_cp_sat_search_cut_short_above_the_rounded_plan_keeps_the_rounded_plan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # CP-SAT is made to stop at its first solution found without the hint, above the (rounded LP) plan it
    # was to start from: the piece answers with that plan, not with CP-SAT's.
    scenario = load_scenario(generate_season(50, 1))
    problem = build_problem(scenario)
    hint_from_plan(problem, cpsat._start(scenario, fcfs.solve(scenario)))
    part = max(components(problem), key=lambda component: len(component.variables))
    assert len(part.variables) > model._PEOPLE_VARIABLES
    found: list[float] = []

    class FirstSolutionOnly(model.cp_model.CpSolver):
        def solve(self, cp: model.cp_model.CpModel, *args: object, **kwargs: object) -> int:
            cp.clear_hints()
            self.parameters.stop_after_first_solution = True
            status = super().solve(cp, *args, **kwargs)
            found.append(self.objective_value)
            return status

    monkeypatch.setattr(model.cp_model, "CpSolver", FirstSolutionOnly)

    result = model.solve_component(problem, part, time_limit=10, workers=2)

    started_from = sum(problem.cost[variable] * (problem.hint[variable] or 0) for variable in part.variables)
    _, unit = integer_costs([problem.cost[variable] for variable in part.variables])
    assert found, "CP-SAT ran"
    assert started_from < min(found) * float(unit)
    assert result.status == "feasible"
    assert float(result.objective) == pytest.approx(started_from)
    assert problem.rows_hold(part.rows, result.values)
    assert result.bound <= result.objective


def test_with_the_lp_to_lead_every_third_draw_goes_where_the_plan_and_the_lp_disagree(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Every seat of the start plan filled (each shift asks for what the start gives it), so that no draw
    # goes to an empty seat instead; the LP agrees with the plan but for one pair the plan leaves out.
    data = generate_season(40, 2)
    scenario = load_scenario(data)
    first = cpsat._start(scenario, fcfs.solve(scenario))
    placed: dict[str, int] = {}
    for assignment in first.crew:
        placed[assignment.shift] = placed.get(assignment.shift, 0) + 1
    for item in data["jobs"]:
        item["shifts"] = [dict(one, count=placed[one["id"]]) for one in item["shifts"] if one["id"] in placed]
    scenario = load_scenario(data)
    problem = build_problem(scenario)
    hint_from_plan(problem, first)
    part = max(components(problem), key=lambda component: len(component.variables))
    bounds = _fixed_bounds(problem, part)
    assert bounds is not None
    start = valid_hint(problem, part, bounds)
    assert start is not None
    pairs = [variable for variable in part.variables if problem.keys[variable][0] == "a"]  # type: ignore[index]
    seated: dict[str, int] = {}
    for variable in pairs:
        shift_id = problem.keys[variable][1]  # type: ignore[index]
        seated[shift_id] = seated.get(shift_id, 0) + start[variable]
    counts = {item.id: item.count for item in scenario.shifts}
    assert all(seated[shift_id] == counts[shift_id] for shift_id in seated), "the start fills every seat"
    left_out = next(variable for variable in pairs if not start[variable])
    lp = {problem.keys[variable][1:]: 1.0 for variable in pairs if start[variable]}  # type: ignore[index]
    lp[problem.keys[left_out][1:]] = 1.0  # type: ignore[index]
    drawn: list[list[int]] = []

    def unsolved(problem: object, arrays: object, draw: Any, *args: object, **kwargs: object) -> None:
        drawn.append(draw.variables)

    monkeypatch.setattr(neighbourhoods, "_solve_block", unsolved)

    def reaching(guide: Any) -> list[bool]:
        drawn.clear()
        neighbourhoods.improve_by_people(
            problem,
            part,
            start,
            deadline=time.perf_counter() + 0.5,
            day_of=cpsat._day_of(scenario),
            guide=guide,
        )
        assert len(drawn) > 30
        # One draw in flight at a time: the draws come in the order they were made.
        return [left_out in variables for variables in drawn[2::3]]

    assert all(reaching(lambda: lp)), "every third draw takes in the pair the LP wants"
    assert not all(reaching(None))
