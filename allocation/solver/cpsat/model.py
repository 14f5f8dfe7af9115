"""One component of the problem as a CP-SAT model: solve it exactly, or find the fixings that clash."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from fractions import Fraction

from ortools.sat.python import cp_model

from allocation.solver.cpsat.neighbourhoods import improve_by_people
from allocation.solver.cpsat.problem import Component, Problem, integer_costs
from allocation.solver.cpsat.rounding import dual_bound, lp_values, rounded_plan

_STATUS = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.MODEL_INVALID: "invalid",
    cp_model.UNKNOWN: "unknown",
}


# A big crew component with less time than this left after its LP keeps the rounded LP plan.
_CP_SAT_SECONDS = 0.5
# Measured cost of writing one variable or row term into a CP-SAT model from Python (with margin): a piece
# whose budget cannot pay for its model keeps its hint instead of overrunning.
_BUILD_SECONDS_PER_TERM = 4e-6
# Share of a big crew piece's budget that its LP relaxation (feeding GLOP included) may use: its bound is
# the piece's, and at 80 jobs GLOP takes 1 to 3 s.
_LP_SHARE = 0.75
# A crew piece past this many variables is improved from its rounded LP plan by people neighbourhoods
# (neighbourhoods.py) instead of one CP-SAT model: on the 80-job season (16,600 variables) CP-SAT's presolve
# alone took 2 s and its search left the plan where it started, 10,000 (0.7%) above what the neighbourhoods
# reach in the same 3 s.
_PEOPLE_VARIABLES = 5_000
# ... unless CP-SAT can still prove it: up to this many variables, with at least this much time per variable,
# it gets one CP-SAT model from its rounded LP plan. On the AMD EPYC machine, 10 s solves of 50 to 60 jobs
# (6,900 to 8,500 crew variables, 9 s for the piece) were proven optimal in 3 to 9 s where the people
# search stopped 0.02% to 0.66% above the optimum, and 5 s solves of 50 jobs were proven in 3.3 to 3.8 s;
# with less time (60 jobs in 5 s) CP-SAT ended up to 2.6% above, and at 70 jobs (12,800) it ended some
# 300 above the people search in 10 s.
_PROVABLE_VARIABLES = 12_000
_CP_SAT_SECONDS_PER_VARIABLE = 6e-4


@dataclass
class ComponentResult:
    """A component's answer: its values (by problem variable) and its exact objective and bound, in money."""

    status: str
    values: dict[int, int] = field(default_factory=dict)
    objective: Fraction = Fraction(0)
    bound: Fraction = Fraction(0)
    model_objective: Fraction = Fraction(0)


def _fixed_bounds(problem: Problem, component: Component) -> dict[int, tuple[int, int]] | None:
    """Each variable's bounds with the fixings applied, or None when two fixings or a bound already clash."""
    bounds = {
        variable: (problem.lower[variable], problem.upper[variable]) for variable in component.variables
    }
    for index in component.fixings:
        fixing = problem.fixings[index]
        lower, upper = bounds[fixing.variable]
        if not lower <= fixing.value <= upper:
            return None
        bounds[fixing.variable] = (fixing.value, fixing.value)
    return bounds


def _solve_without_rows(
    problem: Problem, component: Component, bounds: dict[int, tuple[int, int]]
) -> ComponentResult:
    # With no row linking them, each variable sits at the bound its cost prefers.
    values = {}
    total = Fraction(0)
    for variable in component.variables:
        lower, upper = bounds[variable]
        value = upper if problem.cost[variable] < 0 else lower
        values[variable] = value
        total += Fraction(round(problem.cost[variable], 6)).limit_denominator(10**6) * value
    return ComponentResult("optimal", values, total, total, total)


def _build(
    problem: Problem, component: Component, bounds: dict[int, tuple[int, int]]
) -> tuple[cp_model.CpModel, dict[int, int]]:
    """The component as a CP-SAT model, written straight into its proto (bulk ``extend``, no Python
    expression objects): a variable per problem variable, at-most-one or linear rows."""
    model = cp_model.CpModel()
    proto = model.proto
    local = {}
    for position, variable in enumerate(component.variables):
        proto.variables.add().domain.extend(bounds[variable])
        local[variable] = position
    for row_index in component.rows:
        row = problem.rows[row_index]
        terms = [local[variable] for variable in row.variables]
        constraint = proto.constraints.add()
        if row.lower <= -len(terms) and row.upper == 1 and all(coef == 1 for coef in row.coefs):
            constraint.at_most_one.literals.extend(terms)
        else:
            linear = constraint.linear
            linear.vars.extend(terms)
            linear.coeffs.extend(row.coefs)
            linear.domain.extend((row.lower, row.upper))
    return model, local


def _terms(problem: Problem, component: Component) -> int:
    return len(component.variables) + sum(len(problem.rows[row].variables) for row in component.rows)


def cover_bound(
    problem: Problem, component: Component, bounds: dict[int, tuple[int, int]], coefs: list[int]
) -> int:
    """A proven lower bound (in integral cost units) that needs no solver: every seat and unit covered free.

    Each variable of negative cost is charged to the first all-ones row that caps it (a shift's headcount,
    a requirement's quantity); that row's multiplier is the most negative cost charged to it, which leaves
    every reduced cost non-negative. The Lagrangian bound of ``dual_bound`` with those multipliers is then
    ``sum(multiplier * cap)`` plus the box minimum of the reduced costs: never below minus the penalties the
    objective's constant holds for those seats and units, so the plan's bound is never negative.
    """
    coef_of = dict(zip(component.variables, coefs, strict=True))
    multiplier: dict[int, int] = {}
    charged: set[int] = set()
    for row_index in component.rows:
        row = problem.rows[row_index]
        if row.lower > 0 or any(coef != 1 for coef in row.coefs):
            continue
        lowest = 0
        for variable in row.variables:
            if variable not in charged and coef_of[variable] < 0:
                charged.add(variable)
                lowest = min(lowest, coef_of[variable])
        if lowest:
            multiplier[row_index] = lowest
    reduced = dict(coef_of)
    total = 0
    for row_index, y in multiplier.items():
        row = problem.rows[row_index]
        total += min(y * row.lower, y * row.upper)
        for variable in row.variables:
            reduced[variable] -= y
    for variable, value in reduced.items():
        lower, upper = bounds[variable]
        total += min(value * lower, value * upper)
    return total


def solve_component(
    problem: Problem,
    component: Component,
    *,
    time_limit: float,
    workers: int,
    hint: bool = True,
    clock: Callable[[], float] = time.perf_counter,
    day_of: Callable[[Hashable], int] | None = None,
) -> ComponentResult:
    """Minimise the component's objective exactly (integer coefficients) within the time limit.

    Every phase (LP, rounding, building the CP-SAT model, the search) is paid from ``time_limit``; when
    what is left cannot pay for the model, the hint (FCFS, previous or rounded LP plan) is returned with the
    best bound proven so far, never below ``cover_bound``. A crew piece of more than ``_PEOPLE_VARIABLES``
    gets one CP-SAT model only when it is small enough and has the time for CP-SAT to prove it (see
    ``_PROVABLE_VARIABLES``); otherwise its rounded LP plan is improved by people neighbourhoods (the LP's
    bound), windows of days among them when ``day_of`` gives a crew variable's day (see neighbourhoods.py).
    """
    started = clock()
    bounds = _fixed_bounds(problem, component)
    if bounds is None:
        return ComponentResult("infeasible")
    if not component.rows:
        return _solve_without_rows(problem, component, bounds)
    coefs, unit = integer_costs([problem.cost[variable] for variable in component.variables])
    lp_bound = None
    kept: ComponentResult | None = None
    build_seconds = _BUILD_SECONDS_PER_TERM * _terms(problem, component)
    if hint and time_limit < build_seconds + 0.05:
        # Not even the model fits: keep the hint with the bound that needs no solver.
        return _hint_result(problem, component, bounds, coefs, unit, -math.inf)
    if hint and len(component.variables) > 300 and _has_crew(problem, component):
        lp_bound = _hint_from_lp(
            problem, component, bounds, coefs, unit, deadline=started + _LP_SHARE * time_limit, clock=clock
        )
        time_left = time_limit - (clock() - started) - build_seconds
        # The LP proved the rounded hint optimal, or too little time is left to build and run CP-SAT.
        best = -math.inf if lp_bound is None else lp_bound
        hinted = _hint_result(problem, component, bounds, coefs, unit, best)
        # Without the LP's bound CP-SAT runs anyway: its own bound beats the naive one even in little time.
        proven = lp_bound is not None and hinted.bound >= hinted.objective
        size = len(component.variables)
        provable = size <= _PROVABLE_VARIABLES and time_limit >= _CP_SAT_SECONDS_PER_VARIABLE * size
        if hinted.status == "feasible" and not proven and size > _PEOPLE_VARIABLES and provable:
            # CP-SAT starts from the rounded plan, which stands if CP-SAT's time runs out above it.
            kept = hinted
        elif hinted.status == "feasible" and not proven and size > _PEOPLE_VARIABLES:
            improved = improve_by_people(
                problem,
                component,
                hinted.values,
                deadline=started + time_limit,
                clock=clock,
                day_of=day_of,
                workers=workers,
            )
            for variable, value in improved.items():
                problem.hint[variable] = value
            hinted = _hint_result(problem, component, bounds, coefs, unit, best)
            if hinted.bound >= hinted.objective:
                hinted.status = "optimal"
            return hinted
        if hinted.status == "feasible" and (proven or time_left < _CP_SAT_SECONDS):
            if hinted.bound >= hinted.objective:
                hinted.status = "optimal"
            return hinted
    model, local = _build(problem, component, bounds)
    objective_terms = [(position, coef) for position, coef in enumerate(coefs) if coef]
    model.proto.objective.vars.extend([position for position, _ in objective_terms])
    model.proto.objective.coeffs.extend([coef for _, coef in objective_terms])
    if hint:
        hinted_positions = [
            (position, problem.hint[variable])
            for variable, position in local.items()
            if problem.hint[variable] is not None
        ]
        model.proto.solution_hint.vars.extend([position for position, _ in hinted_positions])
        model.proto.solution_hint.values.extend([value for _, value in hinted_positions])
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, time_limit - (clock() - started))
    if len(component.variables) > 300:
        solver.parameters.num_workers = workers
        # Full linearisation puts the worked-day implications into the LP, which then proves the crew bound
        # (the LP optimum is almost integral); with two workers the second runs LNS from the hint.
        solver.parameters.linearization_level = 2
        if workers > 1:
            solver.parameters.subsolvers.append("max_lp")
    else:
        solver.parameters.num_workers = 1
    status = _STATUS.get(solver.solve(model), "unknown")
    if status == "unknown" and hint:
        # No solution in time: the hint (the FCFS or previous plan) is still valid. CP-SAT's bound is not:
        # a search stopped in presolve reports 0, above the optimum of any model with negative costs.
        best_bound = lp_bound if lp_bound is not None else -math.inf
        return _hint_result(problem, component, bounds, coefs, unit, best_bound)
    if status not in ("optimal", "feasible"):
        return ComponentResult(status)
    solution = solver.response_proto.solution
    values = {variable: solution[position] for variable, position in local.items()}
    problem.settle(values)
    scaled = sum(coef * values[component.variables[position]] for position, coef in objective_terms)
    scaled_bound = scaled if status == "optimal" else math.ceil(solver.best_objective_bound - 1e-6)
    if lp_bound is not None and lp_bound > scaled_bound:
        scaled_bound = lp_bound
    if kept is not None and kept.objective < scaled * unit:
        # CP-SAT's time ran out above the plan it started from: that plan stands, with the better bound.
        objective = kept.objective
        bound = min(objective, max(kept.bound, scaled_bound * unit))
        return ComponentResult(
            "optimal" if bound >= objective else "feasible", kept.values, objective, bound, objective
        )
    if scaled_bound >= scaled:
        status = "optimal"
    else:
        scaled_bound = max(scaled_bound, cover_bound(problem, component, bounds, coefs))
    return ComponentResult(status, values, scaled * unit, min(scaled, scaled_bound) * unit, scaled * unit)


def _has_crew(problem: Problem, component: Component) -> bool:
    return any(problem.keys[variable][0] == "a" for variable in component.variables)  # type: ignore[index]


def _hint_from_lp(
    problem: Problem,
    component: Component,
    bounds: dict[int, tuple[int, int]],
    coefs: list[int],
    unit: Fraction,
    *,
    deadline: float,
    clock: Callable[[], float] = time.perf_counter,
) -> int | None:
    """Hint the rounded LP optimum when it is valid and cheaper; return the LP's proven bound (scaled)."""
    started = clock()
    if deadline - started < 0.05:
        return None
    lp = lp_values(problem, component, bounds, time_limit=max(0.05, deadline - started))
    if lp is None:
        return None
    bound = dual_bound(problem, component, bounds, coefs, unit, lp.duals)
    # The greedy pass is cheap next to the LP; it may use as long again.
    rounded = rounded_plan(problem, component, bounds, lp.values, deadline=2 * deadline - started)
    if not problem.rows_hold(component.rows, rounded):
        return bound
    position = {variable: index for index, variable in enumerate(component.variables)}
    if all(problem.hint[variable] is not None for variable in component.variables):
        old = sum(coefs[position[v]] * (problem.hint[v] or 0) for v in component.variables)
        new = sum(coefs[position[v]] * rounded[v] for v in component.variables)
        if new >= old:
            return bound
    for variable, value in rounded.items():
        problem.hint[variable] = value
    return bound


def conflicting_fixings(problem: Problem, component: Component, *, time_limit: float) -> list[int]:
    """Indices of fixings that cannot all hold together (a small core found with assumption literals)."""
    deadline = time.perf_counter() + time_limit
    core = _core(problem, component, list(component.fixings), max(0.1, time_limit / 2))
    if core is None:
        return list(component.fixings)
    # Drop each fixing the rest stay infeasible without, so that only the ones to blame are named.
    for fixing in list(core):
        if len(core) == 1 or time.perf_counter() > deadline:
            break
        if fixing not in core:
            continue
        trial = [other for other in core if other != fixing]
        smaller = _core(problem, component, trial, max(0.05, (deadline - time.perf_counter()) / len(core)))
        if smaller is not None:
            core = smaller
    return core


def _core(problem: Problem, component: Component, fixings: list[int], time_limit: float) -> list[int] | None:
    bounds = {
        variable: (problem.lower[variable], problem.upper[variable]) for variable in component.variables
    }
    model, local = _build(problem, component, bounds)
    literals = []
    for index in fixings:
        fixing = problem.fixings[index]
        literal = model.new_bool_var("")
        model.add(model.get_int_var_from_proto_index(local[fixing.variable]) == fixing.value).only_enforce_if(
            literal
        )
        literals.append(literal)
    model.add_assumptions(literals)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 1
    if solver.solve(model) != cp_model.INFEASIBLE:
        return None
    by_literal = {literal.index: index for literal, index in zip(literals, fixings, strict=True)}
    return [
        by_literal[literal]
        for literal in solver.sufficient_assumptions_for_infeasibility()
        if literal in by_literal
    ]


def valid_hint(
    problem: Problem, component: Component, bounds: dict[int, tuple[int, int]]
) -> dict[int, int] | None:
    """The component's hint as values (derived ones settled), or None unless it is complete and keeps
    every bound and row."""
    values = {}
    for variable in component.variables:
        value = problem.hint[variable]
        lower, upper = bounds[variable]
        if value is None or not lower <= value <= upper:
            return None
        values[variable] = value
    problem.settle(values)
    return values if problem.rows_hold(component.rows, values) else None


def _hint_result(
    problem: Problem,
    component: Component,
    bounds: dict[int, tuple[int, int]],
    coefs: list[int],
    unit: Fraction,
    best_bound: float,
) -> ComponentResult:
    values = valid_hint(problem, component, bounds)
    if values is None:
        return ComponentResult("unknown")
    scaled = sum(coef * values[variable] for variable, coef in zip(component.variables, coefs, strict=True))
    naive = sum(
        min(coef * bounds[v][0], coef * bounds[v][1])
        for v, coef in zip(component.variables, coefs, strict=True)
    )
    naive = max(naive, cover_bound(problem, component, bounds, coefs))
    scaled_bound = math.ceil(best_bound - 1e-6) if math.isfinite(best_bound) else naive
    scaled_bound = min(scaled, max(naive, scaled_bound))
    return ComponentResult("feasible", values, scaled * unit, scaled_bound * unit, scaled * unit)
