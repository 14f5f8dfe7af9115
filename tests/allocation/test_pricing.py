"""Priced crews: the candidates the model gets and the bound proven over every pair (pricing.py).

Pricing only starts on big crews; these tests force it on small scenarios whose exact optimum is known (the
shared examples, a seeded bench season solved to optimality), so that a bound claiming more than it proved,
or a plan that lost a rule by leaving pairs out, shows.
"""

from __future__ import annotations

import json

import pytest

from allocation.bench.generator import generate_season
from allocation.solver import cpsat, fcfs
from allocation.solver.check import validate
from allocation.solver.cpsat import pricing
from allocation.solver.cpsat.crew import crew_pairs
from allocation.solver.scenario import Plan, Scenario, iso_week, load_scenario
from tests.allocation.builders import EXAMPLE_NAMES, EXAMPLE_OPTIMA, EXAMPLES_DIR, build, job, rigger, shift


@pytest.fixture
def always_price(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pricing, "PRICING_PAIRS", 0)


def crew_share(plan: Plan) -> float:
    return plan.costs["crew"] + plan.costs["unfilled"]


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_a_priced_solve_keeps_every_rule_and_never_bounds_above_the_optimum(
    name: str, always_price: None
) -> None:
    scenario = load_scenario(json.loads((EXAMPLES_DIR / name).read_text()))

    plan = cpsat.solve(scenario, time_limit=10)

    report = validate(scenario, plan)
    assert report.ok, report.violations
    optimum = EXAMPLE_OPTIMA[name]
    assert plan.bound is not None and plan.bound <= optimum + 1e-6
    assert plan.objective is not None and plan.objective >= optimum - 1e-6
    # Bookings and pins hold although pricing chose the pairs.
    placed = {(a.shift, a.crew) for a in plan.crew}
    assert {(b.shift, b.crew) for b in scenario.bookings} <= placed
    assert {(p.shift, p.crew) for p in scenario.crew_pins} <= placed


def test_the_priced_crew_bound_is_below_the_exact_crew_cost_and_close_to_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scenario = load_scenario(generate_season(20, 1))
    exact = cpsat.solve(scenario, time_limit=20)
    assert exact.status == "optimal"
    monkeypatch.setattr(pricing, "PRICING_PAIRS", 0)

    priced = pricing.price_crew(scenario, hint=fcfs.solve(scenario), deadline=float("inf"))

    assert priced is not None
    assert priced.bound <= crew_share(exact) + 1e-6
    # Exact schedules per person over every pair make it a strong bound, not just a valid one.
    assert priced.bound >= 0.9 * crew_share(exact)
    # The pieces by shift and person add up to it, as the re-plan by parts needs.
    pieces = sum(priced.shift_terms.values()) + sum(priced.person_terms.values())
    assert pieces == pytest.approx(priced.bound, rel=1e-6)


def test_pricing_hands_on_its_lp_optimum_over_the_candidates(always_price: None) -> None:
    scenario = load_scenario(generate_season(20, 1))

    priced = pricing.price_crew(scenario, hint=fcfs.solve(scenario), deadline=float("inf"))

    assert priced is not None and priced.lp_pairs
    # Candidates only, each between 0 and 1, never more on a shift than its seats.
    assert set(priced.lp_pairs) <= priced.candidates
    assert all(0 < value <= 1 + 1e-9 for value in priced.lp_pairs.values())
    seated: dict[str, float] = {}
    for (shift_id, _), value in priced.lp_pairs.items():
        seated[shift_id] = seated.get(shift_id, 0.0) + value
    counts = {item.id: item.count for item in scenario.shifts}
    assert all(total <= counts[shift_id] + 1e-6 for shift_id, total in seated.items())
    # Every week's LP hands on its own shifts' pairs, not only the last week's.
    by_id = {item.id: item for item in scenario.shifts}
    weeks = {iso_week(by_id[shift_id].start) for shift_id in seated}
    assert {iso_week(by_id[a.shift].start) for a in fcfs.solve(scenario).crew} <= weeks


def test_small_crews_are_not_priced() -> None:
    scenario = load_scenario(generate_season(20, 1))

    assert pricing.price_crew(scenario, hint=None, deadline=float("inf")) is None


def test_a_schedule_pays_a_shared_day_once_and_never_takes_two_clashing_shifts(always_price: None) -> None:
    # One rigger at 100 a day and three shifts on Monday: 00-04 and 14-18 keep the 10 h rest gap between
    # them, 03-07 clashes with both.
    scenario = build(
        jobs=[
            job(
                "J1",
                priority=1,
                shifts=[shift("J1/a", 0, 4), shift("J1/b", 14, 18), shift("J1/c", 3, 7)],
            )
        ],
        crew=[{"id": "rita", "kind": "staff", "skills": {"rigger": 3}, "day_rate": 100.0}],
    )
    pricer = pricing._Pricer(scenario, crew_pairs(scenario))

    values, chosen = pricer.schedules({}, {})

    # Two seats of 5,000 filled, one day paid: the best schedule is a and b.
    assert values["rita"] == pytest.approx(-10_000 + 100)
    assert sorted(scenario.shifts[i].id for i in chosen["rita"]) == ["J1/a", "J1/b"]


def bound_at_lp_prices(scenario: Scenario) -> float:
    """The Lagrangian bound at the weeks' LP prices over every qualified pair."""
    pricer = pricing._Pricer(scenario, crew_pairs(scenario))
    every_pair = {(shift, person) for person, shifts in pricer.shifts_of.items() for shift in shifts}
    prices = pricer.lp_prices(every_pair, deadline=float("inf"), clock=lambda: 0.0)
    assert prices is not None
    seat, hour = prices
    return pricer.bound(seat, hour, pricer.schedules(seat, hour)[0])[0]


@pytest.mark.parametrize(
    ("monday", "quinn_away", "optimum"),
    [
        # Quinn (30 a day) can only take the load-out, Pat (100) either: Quinn on the load-out (Sunday and
        # Monday, 60) and Pat on the 14:00 call (100). Pat's Monday is touched by calls of both weeks; when
        # each week's LP paid half of it, the weeks' prices proved 110.
        ((182, 186), (180, 190), 160),
        # Quinn can take either, but not both: the load-out ends at 03:00 and the Monday call starts at
        # 06:00, inside the 10 h rest. Quinn on the load-out and Pat on Monday, 160. Weeks' LPs cut clean at
        # the boundary let Quinn work both and proved 60.
        ((174, 178), None, 160),
    ],
)
def test_the_weeks_prices_see_across_the_week_boundary(
    monday: tuple[int, int], quinn_away: tuple[int, int] | None, optimum: float
) -> None:
    # A Sunday-night load-out (22:00 to Monday 03:00, ISO week 9) and a Monday call (week 10).
    scenario = build(
        jobs=[job("J1", priority=1, shifts=[shift("J1/out", 166, 171), shift("J1/mon", *monday)])],
        crew=[rigger("pat", 100.0), rigger("quinn", 30.0, kind="freelancer", away=quinn_away)],
    )
    exact = cpsat.solve(scenario, time_limit=5)
    assert exact.status == "optimal" and crew_share(exact) == pytest.approx(optimum)

    assert bound_at_lp_prices(scenario) == pytest.approx(optimum)


def test_a_priced_solve_of_a_bench_season_stays_valid_and_beats_first_come_first_served(
    always_price: None,
) -> None:
    scenario = load_scenario(generate_season(80, 1))
    baseline = fcfs.solve(scenario)

    plan = cpsat.solve(scenario, time_limit=8)

    assert validate(scenario, plan).ok
    assert plan.objective is not None and baseline.objective is not None
    assert plan.objective < baseline.objective
    assert plan.bound is not None and 0 < plan.bound <= plan.objective


def first_round(scenario: Scenario, hint: Plan) -> tuple[float, float]:
    """The bounds of the first round's LP prices (over the first candidates, the hint's pairs among them,
    as ``price_crew`` has them) and of the market prices raised from them."""
    pricer = pricing._Pricer(scenario, crew_pairs(scenario))
    candidates = pricer.first_candidates({(a.shift, a.crew) for a in hint.crew})
    prices = pricer.lp_prices(candidates, deadline=float("inf"), clock=lambda: 0.0)
    assert prices is not None
    seat, hour = prices
    market = pricer.market_prices(seat)
    assert all(market[shift] >= price for shift, price in seat.items())
    lp_bound = pricer.bound(seat, hour, pricer.schedules(seat, hour)[0])[0]
    market_bound = pricer.bound(market, hour, pricer.schedules(market, hour)[0])[0]
    return lp_bound, market_bound


def test_market_prices_never_bound_above_the_exact_crew_cost(monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = load_scenario(generate_season(20, 1))
    exact = cpsat.solve(scenario, time_limit=20)
    assert exact.status == "optimal"
    monkeypatch.setattr(pricing, "PRICING_PAIRS", 0)
    monkeypatch.setattr(pricing, "_ROUNDS", 1)
    monkeypatch.setattr(pricing, "_STEPS", 0)

    hint = fcfs.solve(scenario)
    lp_bound, market_bound = first_round(scenario, hint)
    priced = pricing.price_crew(scenario, hint=hint, deadline=float("inf"))

    assert market_bound <= crew_share(exact) + 1e-6
    # One round: the better of the LP's and the market's prices is the bound.
    assert priced is not None and priced.rounds == 1
    assert priced.bound == pytest.approx(max(lp_bound, market_bound), rel=1e-9)


def test_market_prices_prove_something_where_the_first_lp_proves_nothing() -> None:
    # At 300 jobs the cheapest candidates of the busy seats are taken elsewhere: the first LP leaves those
    # seats unpriced and its bound is far below zero; the market's prices give a positive one.
    scenario = load_scenario(generate_season(300, 1))
    lp_bound, market_bound = first_round(scenario, cpsat._start(scenario, fcfs.solve(scenario)))

    assert lp_bound < 0 < market_bound


def test_the_passes_over_all_pairs_pick_each_shifts_cheapest_pairs() -> None:
    """``first_candidates`` and ``attractive`` work on numpy arrays of every pair; here they are held to
    the plain reading: per shift, the cheapest by cost and then by person id."""
    scenario = load_scenario(generate_season(80, 2))
    pairs = crew_pairs(scenario)
    pricer = pricing._Pricer(scenario, pairs)
    rate = {member.id: member.day_rate for member in scenario.crew}
    by_shift: dict[int, list[tuple[float, str]]] = {}
    for member_id, shifts in pairs.items():
        for index in shifts:
            by_shift.setdefault(index, []).append((rate[member_id] * pricer.facts[index].days, member_id))
    cheapest = {
        (index, member_id)
        for index, options in by_shift.items()
        for _, member_id in sorted(options)[: scenario.shifts[index].count + pricing._EXTRA_CANDIDATES]
    }
    candidates = pricer.first_candidates(set())
    assert candidates == cheapest

    # Seats priced so that most missing pairs gain; hours priced for every other person.
    seat = {index: 400.0 + 7 * (index % 5) for index in range(len(scenario.shifts))}
    priced = {member.id for member in pricer.members[::2]}
    hour = {(member_id, week): 40.0 for (member_id, week) in pricer.week_keys if member_id in priced}

    def most_attractive(hour: dict[tuple[str, tuple[int, int]], float]) -> set[tuple[int, str]]:
        wanted: dict[int, list[tuple[float, str]]] = {}
        for member_id, shifts in pairs.items():
            for index in shifts:
                if (index, member_id) in candidates:
                    continue
                fact = pricer.facts[index]
                cost = pricer.pair_cost(index, member_id) + seat[index] + rate[member_id] * fact.days
                cost += hour.get((member_id, fact.week), 0.0) * fact.length / 3600
                if cost < -1e-6:
                    wanted.setdefault(index, []).append((cost, member_id))
        return {
            (index, member_id) for index, options in wanted.items() for _, member_id in sorted(options)[:1]
        }

    expected = most_attractive(hour)
    # The season and prices are such that the hours' prices change which pairs come first.
    assert expected and expected != most_attractive({})
    assert pricer.attractive(seat, hour, candidates, 1) == expected


def test_a_later_round_goes_on_from_the_last_basis_to_the_optimum_a_fresh_solve_reaches() -> None:
    """From the second round on each week's LP starts from its last optimum's basis (the rows a larger clique
    replaced hand their status on, new columns start at zero): it reaches the LP optimum that a solve from
    scratch of the same candidates reaches, in fewer simplex iterations."""
    scenario = load_scenario(generate_season(80, 1))
    pairs = crew_pairs(scenario)
    hint = fcfs.solve(scenario)
    warm = pricing._Pricer(scenario, pairs)
    candidates = warm.first_candidates({(a.shift, a.crew) for a in hint.crew})
    prices = warm.lp_prices(candidates, deadline=float("inf"), clock=lambda: 0.0)
    assert prices is not None
    seat, hour = prices
    chosen = warm.schedules(seat, hour)[1]
    more = {(shift, member_id) for member_id, path in chosen.items() for shift in path}
    more |= warm.attractive(seat, hour, candidates, 3)
    later = candidates | more
    assert later > candidates
    assert warm.lp_prices(later, deadline=float("inf"), clock=lambda: 0.0) is not None
    cold = pricing._Pricer(scenario, pairs)
    assert cold.lp_prices(later, deadline=float("inf"), clock=lambda: 0.0) is not None

    assert warm._weeks.keys() == cold._weeks.keys()
    for week, store in warm._weeks.items():
        fresh = cold._weeks[week]
        assert store.warm and not fresh.warm
        assert store.objective == pytest.approx(fresh.objective, rel=1e-9, abs=1e-6)
    assert sum(store.iterations for store in warm._weeks.values()) < sum(
        store.iterations for store in cold._weeks.values()
    )
