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
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from fractions import Fraction

from allocation.solver import fcfs
from allocation.solver.costs import finish_plan
from allocation.solver.cpsat.blocks import merge_blocks, split_by_block
from allocation.solver.cpsat.conflicts import describe_conflicts
from allocation.solver.cpsat.crew import add_crew, crew_plan
from allocation.solver.cpsat.gear import add_gear, gear_plan
from allocation.solver.cpsat.hints import hint_from_plan
from allocation.solver.cpsat.model import ComponentResult, conflicting_fixings, solve_component
from allocation.solver.cpsat.problem import Component, Problem, components, exact_constant, merge_small
from allocation.solver.scenario import Plan, Scenario, iso_week

__all__ = ["SolveDetails", "solve", "solve_with_details"]

logger = logging.getLogger(__name__)

# Components this small are packed into one CP-SAT call; their optimum is proven in milliseconds anyway.
_PACK_VARIABLES = 400
# Crew components past this many variables are solved ISO week by ISO week (see blocks.py).
_BLOCK_VARIABLES = 30_000
# Time kept back for building the plan and recomputing its costs.
_RESERVE_SECONDS = 0.2


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


def build_problem(scenario: Scenario) -> Problem:
    """Gear and crew of the whole scenario as one integer problem."""
    problem = Problem()
    add_gear(problem, scenario)
    add_crew(problem, scenario)
    return problem


def solve_with_details(
    scenario: Scenario, *, time_limit: float | None = None, workers: int | None = None
) -> SolveDetails:
    """``solve``, also returning the models' exact objective and the problem's size."""
    started = time.perf_counter()
    limit = scenario.settings.time_limit_seconds if time_limit is None else time_limit
    workers = workers or scenario.settings.workers or os.cpu_count() or 1
    deadline = started + limit
    problem = build_problem(scenario)
    hint_from_plan(problem, scenario.previous_plan or fcfs.solve(scenario, workers=1))
    parts = _packed(components(problem))
    results = _solve_parts(problem, parts, deadline=deadline, workers=workers, block_of=_week_of(scenario))

    infeasible = [part for part, result in zip(parts, results, strict=True) if result.status == "infeasible"]
    if infeasible:
        plan = _infeasible_plan(scenario, problem, infeasible, deadline=deadline)
        plan.solve_seconds = time.perf_counter() - started
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
        plan = Plan(status="timeout-no-solution", solver="cpsat", solve_seconds=time.perf_counter() - started)
        return SolveDetails(plan, None, len(parts), len(problem.keys), len(problem.rows))

    plan = Plan(solver="cpsat")
    plan.gear, plan.subrentals, plan.shortages = gear_plan(problem, scenario, values)
    plan.crew, plan.unfilled = crew_plan(problem, scenario, values)
    finish_plan(scenario, plan)
    constant = exact_constant(problem.constant)
    model_objective = constant + sum((result.objective for result in results), Fraction(0))
    bound = constant + sum((result.bound for result in results), Fraction(0))
    assert plan.objective is not None
    if abs(float(model_objective) - plan.objective) > 1e-6 * max(1.0, abs(plan.objective)):
        logger.error(
            "model objective %s differs from the plan's costs %s", float(model_objective), plan.objective
        )
    plan.status = "optimal" if all(result.status == "optimal" for result in results) else "feasible"
    plan.bound = float(bound)
    plan.gap = max(0.0, (plan.objective - plan.bound) / max(1.0, abs(plan.objective)))
    plan.solve_seconds = time.perf_counter() - started
    return SolveDetails(plan, model_objective, len(parts), len(problem.keys), len(problem.rows))


def _packed(parts: list[Component]) -> list[Component]:
    without_rows = [part for part in parts if not part.rows]
    with_rows = [part for part in parts if part.rows]
    small = [part for part in with_rows if len(part.variables) < _PACK_VARIABLES]
    large = [part for part in with_rows if len(part.variables) >= _PACK_VARIABLES]
    packed = merge_small(without_rows, 10**9) + merge_small(small, _PACK_VARIABLES)
    return packed + large


def _size(part: Component) -> int:
    return len(part.variables) + len(part.rows)


def _week_of(scenario: Scenario) -> Callable[[Hashable], Hashable]:
    def week(key: Hashable) -> Hashable:
        kind, first, second = key  # type: ignore[misc]
        if kind == "a":
            return iso_week(scenario.shift_by_id[first].start)
        if kind == "w":
            return tuple(second.isocalendar()[:2])
        return None

    return week


def _is_crew(problem: Problem, part: Component) -> bool:
    return all(problem.keys[variable][0] in ("a", "w") for variable in part.variables)  # type: ignore[index]


def _solve_parts(
    problem: Problem,
    parts: list[Component],
    *,
    deadline: float,
    workers: int,
    block_of: Callable[[Hashable], Hashable],
) -> list[ComponentResult]:
    """Solve the parts smallest first, giving each a share of the time left in proportion to its size."""
    pieces = []
    for part in parts:
        weeks = None
        if len(part.variables) > _BLOCK_VARIABLES and _is_crew(problem, part):
            weeks = split_by_block(problem, part, block_of)
        pieces.append(weeks or [part])
    results = []
    size_left = sum(_size(piece) for group in pieces for piece in group)
    for part, group in zip(parts, pieces, strict=True):
        group_results = []
        for piece in group:
            time_left = deadline - time.perf_counter() - _RESERVE_SECONDS
            budget = max(0.05, time_left * _size(piece) / max(1, size_left))
            size_left -= _size(piece)
            group_results.append(solve_component(problem, piece, time_limit=budget, workers=workers))
        results.append(group_results[0] if len(group) == 1 else merge_blocks(problem, part, group_results))
    return results


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
    for row_index in part.rows:
        row = problem.rows[row_index]
        total = sum(coef * values[variable] for variable, coef in zip(row.variables, row.coefs, strict=True))
        if not row.lower <= total <= row.upper:
            return None
    objective = sum(
        (exact_constant(problem.cost[variable]) * value for variable, value in values.items()), Fraction(0)
    )
    lower = sum(
        (
            min(
                exact_constant(problem.cost[v]) * problem.lower[v],
                exact_constant(problem.cost[v]) * problem.upper[v],
            )
            for v in part.variables
        ),
        Fraction(0),
    )
    return ComponentResult("feasible", values, objective, lower, objective)


def _infeasible_plan(
    scenario: Scenario, problem: Problem, parts: list[Component], *, deadline: float
) -> Plan:
    items = []
    for part in parts:
        time_left = max(1.0, deadline - time.perf_counter())
        for index in conflicting_fixings(problem, part, time_limit=time_left / len(parts)):
            items.append(problem.fixings[index].item)
    return Plan(status="infeasible", solver="cpsat", conflicts=describe_conflicts(scenario, items))
