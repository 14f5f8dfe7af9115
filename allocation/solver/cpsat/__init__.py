"""The CP-SAT solver: every job's gear and crew in one exact model, split into independent components.

``solve(scenario)`` writes gear and crew into a ``Problem`` (integer variables and rows), splits it into the
connected components of its rows (products that share no capability, crew that never meet, weeks that do
not touch), solves each with CP-SAT on integer-scaled costs, and merges the answers. The plan's costs are then
recomputed by ``finish_plan`` and must equal the models' objective exactly.
"""

from __future__ import annotations

import logging
import os
import time
from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from functools import partial

from allocation.solver import fcfs
from allocation.solver.costs import finish_plan
from allocation.solver.cpsat.apart import PricingApart, PricingFailed, PricingLate, price_apart
from allocation.solver.cpsat.blocks import merge_blocks, split_by_block
from allocation.solver.cpsat.budget import Budget, BudgetExhausted
from allocation.solver.cpsat.conflicts import describe_conflicts
from allocation.solver.cpsat.crew import add_crew, crew_pairs, crew_plan
from allocation.solver.cpsat.gear import add_gear, gear_plan
from allocation.solver.cpsat.hints import hint_from_plan
from allocation.solver.cpsat.matching import matched_crew
from allocation.solver.cpsat.model import (
    ComponentResult,
    _fixed_bounds,
    conflicting_fixings,
    cover_bound,
    solve_component,
    valid_hint,
)
from allocation.solver.cpsat.neighbourhoods import improve_by_people
from allocation.solver.cpsat.pricing import CrewPricing, needs_pricing, price_crew
from allocation.solver.cpsat.problem import (
    Component,
    Problem,
    components,
    exact_constant,
    integer_costs,
    merge_small,
)
from allocation.solver.cpsat.replan import Part, kept_plan, part_bounds, scenario_parts, sub_scenario
from allocation.solver.scenario import Plan, Scenario, Shortage, Unfilled

__all__ = ["SolveDetails", "solve", "solve_with_details"]

logger = logging.getLogger(__name__)

# Components this small are packed into one CP-SAT call; their optimum is proven in milliseconds anyway.
_PACK_VARIABLES = 400
# Crew components past this many variables are solved ISO week by ISO week (see blocks.py).
_BLOCK_VARIABLES = 80_000
# Time kept back for building the plan, recomputing its costs and its parts' bounds: a fixed part and a
# share of the limit (the pieces' searches overrun their limits by a little: 0.3 s in all at 300 jobs).
_RESERVE_SECONDS = 0.4
_RESERVE_SHARE = 0.04
# The most of the budget that building the problem may take before the solve gives up on the models.
_BUILD_SHARE = 0.8
# Priced crew parts past this many variables are improved by people neighbourhoods (see neighbourhoods.py).
_NEIGHBOURHOOD_VARIABLES = 5_000
# Each piece's least share of the time left (when the budget allows), however small it is.
_FLOOR_SECONDS = 0.5
# Where pricing runs inline (no child process can be had, see apart.py), the share of the budget that pricing
# a big crew's candidates may take before the build and the search (see pricing.py): at least
# _PRICING_SHARE, and with a long limit all but _AFTER_PRICING_SECONDS and _AFTER_PRICING_SHARE of it. The
# build of the priced model follows within _BUILD_SHARE (at 300 jobs it takes about a second of the ten).
# Pricing gets the larger part: its rounds give the crew's bound (at 1,000 jobs a round takes 15 s on these
# machines, and the first alone proves little), while the priced model's search moves its start plan by a
# tenth of a percent. Pricing hands back what it does not use once its rounds stall (pricing._STALL_ROUNDS):
# at 300 jobs it ends after about 4 s of the 6.
_PRICING_SHARE = 0.6
_AFTER_PRICING_SECONDS = 4.0
_AFTER_PRICING_SHARE = 0.25
# Pricing in its own process (apart.py) runs beside the build and the search, and may take this share of the
# working time: its rounds end on their own once they stall, and what is left of its time is the search's.
_APART_PRICING_SHARE = 0.9
# How long the solve waits for that process's candidates: what is left of the build's share (_BUILD_SHARE)
# is for building the crew's model from them (at 1,000 jobs 6 s of the 60, the candidates coming at 29 s).
# Later than that (a busy machine), the crew keeps the pairs of its start plan: at 300 jobs, a child held
# back 4 s sent its candidates at 7.7 s of 10, and waiting for them gave the FCFS gear and no bound.
_CANDIDATES_SHARE = 0.65


@dataclass
class SolveDetails:
    """The plan and what the models said about it, for tests and the benchmark."""

    plan: Plan
    model_objective: Fraction | None
    components: int
    variables: int
    rows: int


def solve(scenario: Scenario, *, time_limit: float | None = None, workers: int | None = None) -> Plan:
    """Minimise the contract's objective over all jobs; see the module docstring."""
    return solve_with_details(scenario, time_limit=time_limit, workers=workers).plan


def build_problem(
    scenario: Scenario,
    *,
    check: Callable[[], None] | None = None,
    allowed: set[tuple[str, str]] | None = None,
) -> Problem:
    """Gear and crew of the whole scenario as one integer problem; ``check`` may stop a build over budget,
    ``allowed`` limits the crew's (shift, person) pairs to the priced candidates."""
    problem = Problem()
    add_gear(problem, scenario)
    if check is not None:
        check()
    add_crew(problem, scenario, check=check, allowed=allowed)
    return problem


def solve_with_details(
    scenario: Scenario,
    *,
    time_limit: float | None = None,
    workers: int | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> SolveDetails:
    """``solve``, also returning the models' exact objective and the problem's size.

    Everything runs inside one ``Budget``: the build may take ``_BUILD_SHARE`` of it, each piece its share
    of what is left, and ``reserve`` is kept for writing the plan. A build that overruns its share gives
    the first-come-first-served plan (always valid) with the bound 0 (every cost term is non-negative).
    """
    limit = scenario.settings.time_limit_seconds if time_limit is None else time_limit
    budget = Budget(limit, reserve=_RESERVE_SECONDS + _RESERVE_SHARE * limit, clock=clock)
    workers = workers or scenario.settings.workers or os.cpu_count() or 1
    previous = scenario.previous_plan
    if previous is not None and previous.component_bounds:
        parts = scenario_parts(scenario)
        kept = [part for part in parts if part.signature in previous.component_bounds]
        if kept:
            changed = [part for part in parts if part.signature not in previous.component_bounds]
            details = _solve_all(sub_scenario(scenario, changed), budget, workers)
            if details.plan.status in ("optimal", "feasible"):
                return _with_kept_parts(scenario, details, kept, budget)
    return _solve_all(scenario, budget, workers)


def _with_kept_parts(
    scenario: Scenario, details: SolveDetails, kept: list[Part], budget: Budget
) -> SolveDetails:
    """The changed parts' plan joined with the previous plan's unchanged parts, bounds added up."""
    assert scenario.previous_plan is not None
    stored = scenario.previous_plan.component_bounds
    reused = kept_plan(scenario.previous_plan, kept)
    plan = Plan(solver="cpsat")
    plan.gear = details.plan.gear + reused.gear
    plan.subrentals = details.plan.subrentals + reused.subrentals
    plan.crew = details.plan.crew + reused.crew
    plan.shortages, plan.unfilled = _shortfalls(scenario, plan)
    finish_plan(scenario, plan)
    assert plan.objective is not None and details.plan.bound is not None
    bound = details.plan.bound + sum(stored[part.signature] for part in kept)
    plan.bound = min(max(0.0, bound), plan.objective)
    plan.gap = max(0.0, (plan.objective - plan.bound) / max(1.0, abs(plan.objective)))
    plan.status = "optimal" if plan.gap <= 1e-9 else "feasible"
    plan.component_bounds = {
        **details.plan.component_bounds,
        **{part.signature: stored[part.signature] for part in kept},
    }
    plan.solve_seconds = budget.elapsed()
    return SolveDetails(plan, None, details.components, details.variables, details.rows)


def _shortfalls(scenario: Scenario, plan: Plan) -> tuple[list[Shortage], list[Unfilled]]:
    covered: dict[str, int] = defaultdict(int)
    for item in [*plan.gear, *plan.subrentals]:
        covered[item.requirement] += item.quantity
    placed: dict[str, int] = defaultdict(int)
    for assignment in plan.crew:
        placed[assignment.shift] += 1
    return (
        [Shortage(r.id, r.quantity - covered[r.id]) for r in scenario.requirements],
        [Unfilled(s.id, max(0, s.count - placed[s.id])) for s in scenario.shifts],
    )


def _solve_all(scenario: Scenario, budget: Budget, workers: int) -> SolveDetails:
    """Every part of the scenario through the models, within ``budget``."""
    limit = budget.limit
    check = partial(budget.check, budget.started + _BUILD_SHARE * limit)
    pairs = crew_pairs(scenario)
    baseline = _start(scenario, fcfs.solve(scenario, workers=1), pairs)
    hint = scenario.previous_plan or baseline
    # A big crew goes into the model as its priced candidates, with a bound proven over all pairs.
    apart = _price_apart(scenario, baseline, pairs, budget, workers)
    pricing: CrewPricing | None = None

    def guide() -> dict[tuple[str, str], float] | None:
        # Pricing's LP optimum: the child's once its result has come, the inline one's at once.
        if apart is not None:
            return apart.lp_pairs()
        return pricing.lp_pairs if pricing is not None else None

    problem = Problem()
    solve = partial(
        _solve_parts,
        problem,
        budget=budget,
        workers=workers,
        block_of=_week_of(scenario),
        day_of=_day_of(scenario),
        guide=guide,
    )
    early: list[Component] = []
    early_results: list[ComponentResult] = []
    allowed = None

    def overran() -> SolveDetails:
        logger.warning("building the model overran its budget; returning the FCFS plan")
        if apart is not None:
            apart.stop()
        return _baseline_details(scenario, baseline, budget)

    # While a child prices its first rounds this process would only wait for the candidates. The gear shares
    # no row with the crew, so it is then built and solved meanwhile, and a late child cannot cost it its
    # models. (Whether it was is kept apart from its results: a gear of constants alone has no parts.)
    gear_first = apart is not None
    if apart is not None:
        try:
            add_gear(problem, scenario)
            check()
        except BudgetExhausted:
            return overran()
        hint_from_plan(problem, hint)
        early = _packed(problem, components(problem))
        early_results = solve(early, to_come=sum(map(len, pairs.values())))
        try:
            allowed = apart.wait_candidates(budget.started + _CANDIDATES_SHARE * limit)
        except PricingLate:
            # A busy machine: the crew keeps the start plan's pairs, which build and solve in the time left,
            # and the child goes on raising the bound, which holds over all pairs whatever the model's.
            logger.warning("crew pricing's candidates came too late; the crew keeps its start plan's pairs")
            allowed = {(assignment.shift, assignment.crew) for assignment in hint.crew}
        except PricingFailed:
            logger.warning("crew pricing's process failed; pricing inline")
            apart = None
    if apart is None:
        pricing = price_crew(
            scenario, hint=baseline, deadline=_inline_deadline(budget), pairs=pairs, workers=workers
        )
        allowed = pricing.candidates if pricing is not None else None
    written = problem.written()
    # A crew whose model could not be built in time keeps the start plan's crew (always valid), beside a
    # gear already solved; its share of the bound is then pricing's, proven over all pairs.
    start_crew = False
    try:
        if not gear_first:
            add_gear(problem, scenario)
            check()
        add_crew(problem, scenario, check=check, allowed=allowed)
    except BudgetExhausted:
        if not gear_first or baseline.status == "infeasible":
            return overran()
        logger.warning("building the crew's model overran its budget; the crew keeps its start plan")
        start_crew = True
    if start_crew:
        parts, results = early, early_results
    else:
        hint_from_plan(problem, hint)
        parts = _packed(problem, components(problem, since=written))
        results = early_results + solve(parts, priced=allowed is not None)
        parts = early + parts
    if apart is not None and (allowed is not None or start_crew):
        # The search has had its time: what the child sent by now stands, a round still running is lost.
        pricing = apart.result(budget.deadline - budget.reserve)
    elif apart is not None:
        apart.stop()

    infeasible = [part for part, result in zip(parts, results, strict=True) if result.status == "infeasible"]
    if infeasible:
        plan = _infeasible_plan(scenario, problem, infeasible, budget=budget)
        plan.solve_seconds = budget.elapsed()
        return SolveDetails(plan, None, len(parts), len(problem.keys), len(problem.rows))

    values = [0] * len(problem.keys)
    missing = False
    for position, (part, result) in enumerate(zip(parts, results, strict=True)):
        if result.status not in ("optimal", "feasible"):
            fallback = _fallback(problem, part)
            if fallback is None:
                missing = True
                continue
            results[position] = result = fallback
        for variable, value in result.values.items():
            values[variable] = value
    if missing:
        plan = Plan(status="timeout-no-solution", solver="cpsat", solve_seconds=budget.elapsed())
        return SolveDetails(plan, None, len(parts), len(problem.keys), len(problem.rows))

    plan = Plan(solver="cpsat")
    plan.gear, plan.subrentals, plan.shortages = gear_plan(problem, scenario, values)
    if start_crew:
        # The problem holds only part of the crew: no model's objective to compare with the plan's costs.
        plan.crew = list(baseline.crew)
        plan.shortages, plan.unfilled = _shortfalls(scenario, plan)
    else:
        plan.crew, plan.unfilled = crew_plan(problem, scenario, values)
    finish_plan(scenario, plan)
    constant = exact_constant(problem.constant)
    model_objective = None if start_crew else constant + sum((r.objective for r in results), Fraction(0))
    bound = constant + sum((result.bound for result in results), Fraction(0))
    if pricing is not None or start_crew:
        # The crew models saw only the candidates: their bounds hold for those, the priced one for all pairs
        # (without pricing's, a crew kept at its start plan has 0: every cost term is non-negative).
        gear_constant = sum(
            (exact_constant(amount) for owner, amount in problem.constant_of.items() if owner[0] == "r"),  # type: ignore[index]
            Fraction(0),
        )
        gear_results = [r for part, r in zip(parts, results, strict=True) if not _has_crew(problem, part)]
        gear_bound = sum((result.bound for result in gear_results), Fraction(0))
        bound = gear_constant + gear_bound + Fraction(pricing.bound if pricing is not None else 0.0)
        results = [
            ComponentResult("feasible", r.values, r.objective, r.bound, r.model_objective)
            if _has_crew(problem, part)
            else r
            for part, r in zip(parts, results, strict=True)
        ]
    assert plan.objective is not None
    if model_objective is not None and abs(float(model_objective) - plan.objective) > 1e-6 * max(
        1.0, abs(plan.objective)
    ):
        logger.error(
            "model objective %s differs from the plan's costs %s", float(model_objective), plan.objective
        )
    solved = all(result.status == "optimal" for result in results) and not start_crew
    plan.status = "optimal" if solved else "feasible"
    # Every cost term is non-negative, and no bound may exceed the plan's own cost.
    plan.bound = min(max(0.0, float(bound)), plan.objective)
    plan.gap = max(0.0, (plan.objective - plan.bound) / max(1.0, abs(plan.objective)))
    if plan.gap <= 1e-9:
        plan.status = "optimal"
    if scenario.previous_plan is None or scenario.settings.churn_penalty == 0:
        # Only bounds without churn stay valid for a later plan of the same data (see replan.py).
        plan.component_bounds = part_bounds(
            scenario, problem, parts, results, crew_bounds=pricing.part_bounds(scenario) if pricing else None
        )
        if start_crew:
            # The crew's parts are only partly in the problem: a re-plan solves them again.
            gear = {part.signature for part in scenario_parts(scenario) if part.kind == "gear"}
            plan.component_bounds = {
                signature: value for signature, value in plan.component_bounds.items() if signature in gear
            }
    plan.solve_seconds = budget.elapsed()
    return SolveDetails(plan, model_objective, len(parts), len(problem.keys), len(problem.rows))


def _price_apart(
    scenario: Scenario, baseline: Plan, pairs: dict[str, list[int]], budget: Budget, workers: int
) -> PricingApart | None:
    """A big crew's pricing started in its own process (see apart.py), or None to price inline: the crew
    goes into the model whole, or no child can be had, or the clock is a test's (a child cannot share it)."""
    if not needs_pricing(pairs) or budget.clock not in (time.perf_counter, time.monotonic):
        return None
    # The child's rounds may end past their deadline by a tenth of pricing's time (pricing._OVERRUN_SHARE).
    deadline = budget.started + _APART_PRICING_SHARE * (budget.limit - budget.reserve)
    return price_apart(
        scenario, hint=baseline, deadline=deadline, pairs=pairs, workers=workers, clock=budget.clock
    )


def _inline_deadline(budget: Budget) -> float:
    """Pricing's deadline when it runs in the solve's own process, before the model's build and search."""
    limit = budget.limit
    return budget.started + max(
        _PRICING_SHARE * limit, (1 - _AFTER_PRICING_SHARE) * limit - _AFTER_PRICING_SECONDS
    )


def _start(scenario: Scenario, baseline: Plan, pairs: dict[str, list[int]] | None = None) -> Plan:
    """The FCFS plan, its crew replaced by the day-by-day matching of matching.py where that costs less."""
    if baseline.status == "infeasible" or not scenario.shifts:
        return baseline
    plan = Plan(
        status=baseline.status,
        solver="fcfs",
        gear=baseline.gear,
        subrentals=baseline.subrentals,
        crew=matched_crew(scenario, pairs=pairs),
    )
    plan.shortages, plan.unfilled = _shortfalls(scenario, plan)
    finish_plan(scenario, plan)
    if baseline.objective is None or plan.objective is None or plan.objective >= baseline.objective:
        return baseline
    return plan


def _baseline_details(scenario: Scenario, baseline: Plan, budget: Budget) -> SolveDetails:
    """The FCFS plan as the answer of a solve whose budget ran out before the models could run."""
    if baseline.status == "infeasible":
        # Pins or bookings clash: name them as the models would (the core search has its own small budget).
        problem = build_problem(scenario)
        clashing = [part for part in components(problem) if part.fixings]
        plan = _infeasible_plan(scenario, problem, clashing, budget=budget)
        plan.solve_seconds = budget.elapsed()
        return SolveDetails(plan, None, 0, 0, 0)
    plan = Plan(
        status="feasible",
        solver="cpsat",
        gear=baseline.gear,
        subrentals=baseline.subrentals,
        shortages=baseline.shortages,
        crew=baseline.crew,
        unfilled=baseline.unfilled,
    )
    finish_plan(scenario, plan)
    assert plan.objective is not None
    plan.bound = 0.0
    plan.gap = 1.0 if plan.objective > 0 else 0.0
    if scenario.previous_plan is None:
        # 0 bounds every part: stored, they still let a re-plan keep the parts that do not change.
        plan.component_bounds = {part.signature: 0.0 for part in scenario_parts(scenario)}
    plan.solve_seconds = budget.elapsed()
    return SolveDetails(plan, None, 0, 0, 0)


def _packed(problem: Problem, parts: list[Component]) -> list[Component]:
    """Small components packed into a few models; gear and crew never share one (their bounds differ)."""
    packed, large = [], []
    for crew in (False, True):
        own = [part for part in parts if _has_crew(problem, part) == crew]
        without_rows = [part for part in own if not part.rows]
        with_rows = [part for part in own if part.rows]
        small = [part for part in with_rows if len(part.variables) < _PACK_VARIABLES]
        large += [part for part in with_rows if len(part.variables) >= _PACK_VARIABLES]
        packed += merge_small(without_rows, 10**9) + merge_small(small, _PACK_VARIABLES)
    return packed + large


def _size(part: Component) -> int:
    return len(part.variables) + len(part.rows)


def _day_of(scenario: Scenario) -> Callable[[Hashable], int]:
    """A crew variable's day by its key: the day its shift starts, or the day worked (0 for others)."""

    def day(key: Hashable) -> int:
        kind, first, second = key  # type: ignore[misc]
        if kind == "a":
            return scenario.shift_by_id[first].start.toordinal()
        if kind == "w":
            return second.toordinal()
        return 0

    return day


def _week_of(scenario: Scenario) -> Callable[[Hashable], Hashable]:
    """A crew variable's ISO week by its key: its ``_day_of``'s (None for others)."""
    day_of = _day_of(scenario)

    def week(key: Hashable) -> Hashable:
        day = day_of(key)
        return tuple(date.fromordinal(day).isocalendar()[:2]) if day else None

    return week


def _has_crew(problem: Problem, part: Component) -> bool:
    return any(problem.keys[variable][0] in ("a", "w") for variable in part.variables)  # type: ignore[index]


def _is_crew(problem: Problem, part: Component) -> bool:
    return all(problem.keys[variable][0] in ("a", "w") for variable in part.variables)  # type: ignore[index]


def _solve_parts(
    problem: Problem,
    parts: list[Component],
    *,
    budget: Budget,
    workers: int,
    block_of: Callable[[Hashable], Hashable],
    day_of: Callable[[Hashable], int] | None = None,
    priced: bool = False,
    to_come: int = 0,
    guide: Callable[[], dict[tuple[str, str], float] | None] | None = None,
) -> list[ComponentResult]:
    """Solve the parts smallest first, giving each a share of the time left in proportion to its size;
    ``to_come`` is the size of what will be solved after them, which keeps its share of the time.

    A big part of a priced crew (whose bound pricing proved over all pairs) is improved from its hint by
    people neighbourhoods instead (neighbourhoods.py), led by pricing's LP through ``guide``: one model of
    the whole moves too little in the time.
    """
    pieces = []
    crossing: list[list[int]] = []
    for part in parts:
        weeks = None
        if priced and _by_people(problem, part):
            pieces.append([part])
            crossing.append([])
            continue
        if len(part.variables) > _BLOCK_VARIABLES and _is_crew(problem, part):
            weeks, dropped = split_by_block(problem, part, block_of)
        pieces.append(weeks or [part])
        crossing.append(dropped if weeks else [])
    results = []
    size_left = sum(_size(piece) for group in pieces for piece in group) + to_come
    pieces_left = sum(len(group) for group in pieces) + (1 if to_come else 0)
    for part, group, dropped in zip(parts, pieces, crossing, strict=True):
        group_results = []
        for piece in group:
            # An exhausted budget still goes through solve_component, which then returns the hint at once.
            # A small piece still gets an even share of what is left (up to a floor): one big crew piece
            # would otherwise leave the gear pieces no time to build their models. What a piece proven
            # optimal early does not use flows on to the next ones.
            left = budget.left()
            share = max(left * _size(piece) / max(1, size_left), min(_FLOOR_SECONDS, left / pieces_left))
            size_left -= _size(piece)
            pieces_left -= 1
            if priced and _by_people(problem, piece):
                improved = _improved(
                    problem, piece, day_of, budget.clock() + max(0.0, share), budget, workers, guide
                )
                if improved is not None:
                    group_results.append(improved)
                    continue
            group_results.append(
                solve_component(
                    problem,
                    piece,
                    time_limit=max(0.0, share),
                    workers=workers,
                    clock=budget.clock,
                    day_of=day_of,
                )
            )
        if len(group) == 1:
            results.append(group_results[0])
        else:
            results.append(merge_blocks(problem, part, group_results, dropped))
    return results


def _by_people(problem: Problem, part: Component) -> bool:
    return len(part.variables) > _NEIGHBOURHOOD_VARIABLES and _is_crew(problem, part)


def _improved(
    problem: Problem,
    part: Component,
    day_of: Callable[[Hashable], int] | None,
    deadline: float,
    budget: Budget,
    workers: int,
    guide: Callable[[], dict[tuple[str, str], float] | None] | None = None,
) -> ComponentResult | None:
    """The part's hint improved by people neighbourhoods (led by ``guide``, see ``improve_by_people``), or
    None when the hint is not a valid start."""
    bounds = _fixed_bounds(problem, part)
    if bounds is None:
        return None
    values = valid_hint(problem, part, bounds)
    if values is None:
        return None
    # The part's bound holds whatever the values, so it is found before the search: what follows the
    # search's deadline is then only summing its answer (the cover bound takes 0.4 s at 1,000 jobs).
    coefs, unit = integer_costs([problem.cost[variable] for variable in part.variables])
    lower = cover_bound(problem, part, bounds, coefs) * unit
    values = improve_by_people(
        problem,
        part,
        values,
        deadline=deadline,
        clock=budget.clock,
        day_of=day_of,
        workers=workers,
        guide=guide,
    )
    objective = sum(
        (exact_constant(problem.cost[variable]) * value for variable, value in values.items() if value),
        Fraction(0),
    )
    return ComponentResult("feasible", values, objective, min(objective, lower), objective)


def _fallback(problem: Problem, part: Component) -> ComponentResult | None:
    """Only the fixings, everything else left to shortage and unfilled shifts: valid unless fixings clash."""
    values = {}
    fixed = {problem.fixings[index].variable: problem.fixings[index].value for index in part.fixings}
    for variable in part.variables:
        # Worked days and churn deviations at their upper bound satisfy every row that links them.
        kind = problem.keys[variable][0]  # type: ignore[index]
        values[variable] = fixed.get(
            variable, problem.upper[variable] if kind in ("w", "dev") else problem.lower[variable]
        )
    problem.settle(values)
    if not problem.rows_hold(part.rows, values):
        return None
    objective = sum(
        (exact_constant(problem.cost[variable]) * value for variable, value in values.items()), Fraction(0)
    )
    coefs, unit = integer_costs([problem.cost[variable] for variable in part.variables])
    bounds = {variable: (problem.lower[variable], problem.upper[variable]) for variable in part.variables}
    for variable, value in fixed.items():
        bounds[variable] = (value, value)
    lower = min(objective, cover_bound(problem, part, bounds, coefs) * unit)
    return ComponentResult("feasible", values, objective, lower, objective)


def _infeasible_plan(scenario: Scenario, problem: Problem, parts: list[Component], *, budget: Budget) -> Plan:
    items = []
    for part in parts:
        # Naming the clash matters more than the limit: at least a second each (cores are found in ms).
        time_left = max(1.0, budget.left())
        for index in conflicting_fixings(problem, part, time_limit=time_left / len(parts)):
            items.append(problem.fixings[index].item)
    return Plan(status="infeasible", solver="cpsat", conflicts=describe_conflicts(scenario, items))
