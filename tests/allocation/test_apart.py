"""Pricing in its own process (apart.py): the same bound as inline, and a child that fails, dies or falls
silent never loses the solve its plan or claims a bound it did not prove."""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from dataclasses import replace
from typing import Any

import pytest

from allocation.bench.generator import generate_season
from allocation.solver import cpsat, fcfs
from allocation.solver.check import validate
from allocation.solver.cpsat import apart, pricing
from allocation.solver.cpsat.budget import BudgetExhausted
from allocation.solver.cpsat.crew import crew_pairs
from allocation.solver.cpsat.pricing import CrewPricing
from allocation.solver.cpsat.replan import scenario_parts
from allocation.solver.scenario import Scenario, load_scenario
from tests.allocation.builders import EXAMPLE_OPTIMA, EXAMPLES_DIR

CANDIDATES = {("s1", "c1"), ("s2", "c1")}


@pytest.fixture
def always_price(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pricing, "PRICING_PAIRS", 0)


@pytest.fixture
def season() -> Scenario:
    return load_scenario(generate_season(20, 1))


def start(scenario: Scenario, seconds: float = 60.0) -> apart.PricingApart:
    started = apart.price_apart(
        scenario,
        hint=fcfs.solve(scenario),
        deadline=time.perf_counter() + seconds,
        pairs=crew_pairs(scenario),
        workers=1,
        clock=time.perf_counter,
    )
    assert started is not None
    return started


def sends_then(end: str):  # type: ignore[no-untyped-def]
    """A stand-in for ``price_crew`` in the child: a bound of 123, the candidates, then ``end``."""

    def fake(scenario: Scenario, **kwargs: Any) -> CrewPricing:
        kwargs["on_bound"](CrewPricing(candidates=set(), pairs=2, bound=123.0))
        kwargs["on_candidates"](set(CANDIDATES))
        if end == "die":
            time.sleep(0.2)  # the queue's thread sends what was put
            os._exit(3)
        if end == "hang":
            time.sleep(600)
        if end == "send-then-hang":
            kwargs["on_bound"](CrewPricing(candidates=set(), pairs=2, bound=456.0))
            time.sleep(600)
        return CrewPricing(candidates=set(CANDIDATES), pairs=2, bound=456.0)

    return fake


def late(seconds: float):  # type: ignore[no-untyped-def]
    """A stand-in for ``price_crew`` on a busy machine: nothing for ``seconds``, then a bound of 123 and the
    candidates, then nothing more."""

    def fake(scenario: Scenario, **kwargs: Any) -> CrewPricing:
        time.sleep(seconds)
        kwargs["on_bound"](CrewPricing(candidates=set(), pairs=2, bound=123.0))
        kwargs["on_candidates"](set(CANDIDATES))
        time.sleep(600)
        raise AssertionError("never reached")

    return fake


def test_pricing_apart_proves_the_bound_pricing_inline_proves(season: Scenario, always_price: None) -> None:
    inline = pricing.price_crew(season, hint=fcfs.solve(season), deadline=float("inf"))
    assert inline is not None

    child = start(season, seconds=float("inf"))
    candidates = child.wait_candidates(time.perf_counter() + 60)
    result = child.result(time.perf_counter() + 60)

    assert result.bound == pytest.approx(inline.bound, rel=1e-9)
    assert result.shift_terms == pytest.approx(inline.shift_terms)
    # The model gets the pairs of the first rounds; the later rounds only add to them.
    assert candidates is not None and candidates <= inline.candidates
    assert result.candidates == candidates
    assert not child.process.is_alive()


def test_the_child_hands_on_the_lp_optimum_of_its_result_and_nothing_before_it(
    season: Scenario, always_price: None
) -> None:
    inline = pricing.price_crew(season, hint=fcfs.solve(season), deadline=float("inf"))
    assert inline is not None and inline.lp_pairs

    child = start(season, seconds=float("inf"))
    child.wait_candidates(time.perf_counter() + 60)
    # Until the result has come, the search is told there is nothing to lead it yet (never kept waiting).
    before = child.lp_pairs() if child.final is None else None
    result = child.result(time.perf_counter() + 60)

    assert before is None
    assert child.lp_pairs() == result.lp_pairs
    assert result.lp_pairs == pytest.approx(inline.lp_pairs)


def test_each_bound_sent_is_better_than_the_last_and_the_candidates_come_once(
    season: Scenario, always_price: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Few first candidates, so that this small season takes rounds past the candidates' to price.
    monkeypatch.setattr(pricing, "_EXTRA_CANDIDATES", 2)
    monkeypatch.setattr(pricing, "_ATTRACTIVE_PER_SHIFT", 1)
    bounds: list[float] = []
    sent: list[set[tuple[str, str]]] = []

    result = pricing.price_crew(
        season,
        hint=fcfs.solve(season),
        deadline=float("inf"),
        on_candidates=sent.append,
        on_bound=lambda priced: bounds.append(priced.bound),
    )

    assert result is not None and result.rounds > pricing.CANDIDATE_ROUNDS
    assert bounds == sorted(set(bounds)) and bounds[-1] == result.bound
    assert len(sent) == 1 and sent[0] <= result.candidates


def test_a_child_that_dies_after_the_candidates_leaves_the_last_bound_it_sent(
    season: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(apart, "price_crew", sends_then("die"))
    child = start(season)

    assert child.wait_candidates(time.perf_counter() + 30) == CANDIDATES
    result = child.result(time.perf_counter() + 30)

    assert result.bound == 123.0 and result.candidates == CANDIDATES
    assert child.process.exitcode == 3


def test_a_child_silent_past_the_deadline_is_stopped_and_its_last_bound_stands(
    season: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(apart, "price_crew", sends_then("hang"))
    child = start(season)
    assert child.wait_candidates(time.perf_counter() + 30) == CANDIDATES

    began = time.perf_counter()
    result = child.result(began + 0.5)

    assert result.bound == 123.0
    assert time.perf_counter() - began < 3
    assert not child.process.is_alive()


def test_what_the_child_sent_before_the_deadline_is_read_however_late_the_parent_asks(
    season: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(apart, "price_crew", sends_then("send-then-hang"))
    child = start(season)
    assert child.wait_candidates(time.perf_counter() + 30) == CANDIDATES
    time.sleep(1)

    result = child.result(time.perf_counter() - 1)

    assert result.bound == 456.0
    assert not child.process.is_alive()


def test_bounds_bigger_than_the_pipe_sent_while_the_parent_searches_are_all_read_in_time(
    season: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    # At 300 jobs a bound with its pieces by shift and person pickles to about 40 KB, and three or four come
    # while the parent is deep in its search: the parent must hold the last of them when its time is up.
    pieces = {f"shift-{number}": float(number) for number in range(20_000)}

    def sends_big_bounds(scenario: Scenario, **kwargs: Any) -> CrewPricing:
        kwargs["on_candidates"](set(CANDIDATES))
        for bound in (100.0, 200.0, 300.0, 400.0):
            kwargs["on_bound"](CrewPricing(candidates=set(), pairs=2, bound=bound, shift_terms=pieces))
        # Busy with a next round that the parent does not wait for.
        began = time.perf_counter()
        while time.perf_counter() - began < 600:
            sum(range(10_000))
        raise AssertionError("never reached")

    monkeypatch.setattr(apart, "price_crew", sends_big_bounds)
    child = start(season)
    assert child.wait_candidates(time.perf_counter() + 30) == CANDIDATES
    time.sleep(1.5)  # the search

    result = child.result(time.perf_counter() - 1)

    assert result.bound == 400.0 and result.shift_terms == pieces
    assert not child.process.is_alive()


def test_candidates_late_leave_the_child_running_and_its_later_bound_counts(
    season: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(apart, "price_crew", late(1.0))
    child = start(season)

    with pytest.raises(apart.PricingLate):
        child.wait_candidates(time.perf_counter() + 0.2)
    assert child.process.is_alive()
    time.sleep(1.5)
    result = child.result(time.perf_counter())

    assert result.bound == 123.0
    assert not child.process.is_alive()


def test_a_solve_whose_candidates_come_late_solves_its_gear_and_keeps_its_start_crew(
    season: Scenario, monkeypatch: pytest.MonkeyPatch, always_price: None
) -> None:
    # The child sends nothing until past the solve's wait for the candidates (0.65 of 4 s), as on a machine
    # too busy for it; the gear is solved meanwhile, and the crew keeps the start plan's pairs.
    monkeypatch.setattr(apart, "price_crew", late(3.0))
    start_plan = cpsat._start(season, fcfs.solve(season), crew_pairs(season))
    without_crew = replace(
        season, jobs=[replace(job, shifts=[]) for job in season.jobs], crew=[], bookings=[], crew_pins=[]
    )
    gear_alone = cpsat.solve(without_crew, time_limit=10)
    assert gear_alone.status == "optimal" and gear_alone.objective is not None

    plan = cpsat.solve(season, time_limit=4, workers=2)

    assert validate(season, plan).ok
    assert plan.solve_seconds is not None and plan.solve_seconds <= 4
    assert {(a.shift, a.crew) for a in plan.crew} <= {(a.shift, a.crew) for a in start_plan.crew}
    assert plan.objective is not None and start_plan.objective is not None
    assert plan.objective < start_plan.objective
    # The gear is optimal, and the crew's share of the bound is the late child's.
    assert plan.bound == pytest.approx(gear_alone.objective + 123.0, abs=1e-6)


def test_a_crew_build_that_overruns_keeps_the_solved_gear_and_the_start_crew(
    season: Scenario, monkeypatch: pytest.MonkeyPatch, always_price: None, caplog: pytest.LogCaptureFixture
) -> None:
    # The crew's model is written whole, its constants included, and then its build is out of time, as on
    # a machine too busy for it: the gear was solved while the child priced, and stays solved.
    write_crew = cpsat.add_crew

    def overruns(problem: Any, scenario: Scenario, **kwargs: Any) -> None:
        write_crew(problem, scenario, **kwargs)
        raise BudgetExhausted

    start_plan = cpsat._start(season, fcfs.solve(season), crew_pairs(season))
    without_crew = replace(
        season, jobs=[replace(job, shifts=[]) for job in season.jobs], crew=[], bookings=[], crew_pins=[]
    )
    gear_alone = cpsat.solve(without_crew, time_limit=10)
    assert gear_alone.status == "optimal" and gear_alone.objective is not None
    assert start_plan.objective is not None
    monkeypatch.setattr(cpsat, "add_crew", overruns)

    details = cpsat.solve_with_details(season, time_limit=4, workers=2)
    plan = details.plan

    assert validate(season, plan).ok
    assert sorted((a.shift, a.crew) for a in plan.crew) == sorted((a.shift, a.crew) for a in start_plan.crew)
    assert plan.objective is not None and plan.bound is not None
    # The gear's optimum instead of the FCFS gear: the whole plan is the start plan less that difference.
    gear_saving = start_plan.objective - plan.objective
    assert gear_saving > 0
    crew_cost = plan.objective - gear_alone.objective
    assert crew_cost == pytest.approx(start_plan.objective - gear_saving - gear_alone.objective, abs=1e-6)
    # Not claimed optimal; the bound is the gear's optimum and pricing's crew bound, never above the plan.
    assert plan.status == "feasible"
    assert gear_alone.objective < plan.bound <= plan.objective
    assert details.model_objective is None
    # The crew parts are left out of the stored bounds, so that a re-plan solves them again.
    crew_parts = {part.signature for part in scenario_parts(season) if part.kind == "crew"}
    assert plan.component_bounds and crew_parts.isdisjoint(plan.component_bounds)
    assert "the crew keeps its start plan" in caplog.text


def test_a_priced_solve_counts_a_gear_of_constants_alone_once(season: Scenario, always_price: None) -> None:
    # No product and no vendor can serve any requirement: the gear is its shortages' constant alone, with no
    # part to solve while the child prices.
    unserved = replace(
        season,
        capabilities=[replace(capability, providers=[]) for capability in season.capabilities],
        vendors=[],
    )

    details = cpsat.solve_with_details(unserved, time_limit=10, workers=2)

    assert validate(unserved, details.plan).ok
    assert details.model_objective is not None and details.plan.objective is not None
    assert float(details.model_objective) == pytest.approx(details.plan.objective, rel=1e-9)


def test_a_child_that_fails_before_the_candidates_is_reported(
    season: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fails(scenario: Scenario, **kwargs: Any) -> CrewPricing:
        raise ValueError("no prices")

    monkeypatch.setattr(apart, "price_crew", fails)
    child = start(season)

    with pytest.raises(apart.PricingFailed):
        child.wait_candidates(time.perf_counter() + 30)
    assert not child.process.is_alive()


def test_a_solve_whose_pricing_process_fails_prices_inline_and_keeps_its_bound(
    monkeypatch: pytest.MonkeyPatch, always_price: None
) -> None:
    def fails(scenario: Scenario, **kwargs: Any) -> CrewPricing:
        raise ValueError("no prices")

    monkeypatch.setattr(apart, "price_crew", fails)
    name = "example-2.json"
    scenario = load_scenario(json.loads((EXAMPLES_DIR / name).read_text()))

    plan = cpsat.solve(scenario, time_limit=10)

    assert validate(scenario, plan).ok
    assert plan.bound is not None and 0.9 * EXAMPLE_OPTIMA[name] <= plan.bound <= EXAMPLE_OPTIMA[name] + 1e-6


def _from_a_daemon(results: Any) -> None:
    scenario = load_scenario(generate_season(20, 1))
    pricing.PRICING_PAIRS = 0
    child = start(scenario, seconds=float("inf"))
    child.wait_candidates(time.perf_counter() + 60)
    results.put(child.result(time.perf_counter() + 60).bound)


def test_pricing_apart_starts_from_a_daemonic_process_as_celerys_pool_workers_are(season: Scenario) -> None:
    # The standard library's processes refuse children to a daemonic process ("daemonic processes are not
    # allowed to have children"), which is what a worker of Celery's prefork pool is.
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    worker = context.Process(target=_from_a_daemon, args=(results,), daemon=True)
    worker.start()

    bound = results.get(timeout=60)
    worker.join(10)

    assert bound > 0
    assert worker.exitcode == 0
