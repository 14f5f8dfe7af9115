"""A starting solution for big crew components: the LP relaxation (GLOP), rounded down and filled greedily.

CP-SAT proves the crew LP bound quickly (with full linearisation) but rarely finds solutions near it on its
own; the LP optimum is almost integral, so its rounding, completed by a greedy pass in the LP's order, is a
much better hint than the first-come-first-served plan. Only used as a hint: CP-SAT checks it and proves.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ortools.linear_solver import linear_solver_pb2, pywraplp

from allocation.solver.cpsat.problem import Component, Problem

# An LP value this close to 1 counts as chosen.
_CHOSEN = 1 - 1e-6
# LP duals are rounded to multiples of 2**-_DUAL_BITS objective units before the exact bound is summed.
_DUAL_BITS = 20


@dataclass
class LpSolution:
    """The LP relaxation's primal values (by problem variable) and row duals (by row index)."""

    values: dict[int, float]
    duals: dict[int, float]


def lp_values(
    problem: Problem, component: Component, bounds: dict[int, tuple[int, int]], *, time_limit: float
) -> LpSolution | None:
    """The component's LP relaxation solved by GLOP, or None when it does not finish in time.

    The model goes to GLOP as one ``MPModelProto`` filled with bulk ``extend`` calls: feeding ``pywraplp``
    one coefficient at a time cost more than the LP itself on big seasons.
    """
    request = linear_solver_pb2.MPModelRequest()
    request.solver_type = linear_solver_pb2.MPModelRequest.GLOP_LINEAR_PROGRAMMING
    request.solver_time_limit_seconds = max(0.01, time_limit)
    model = request.model
    local = {}
    for position, variable in enumerate(component.variables):
        column = model.variable.add()
        column.lower_bound, column.upper_bound = bounds[variable]
        column.objective_coefficient = problem.cost[variable]
        local[variable] = position
    for row_index in component.rows:
        row = problem.rows[row_index]
        constraint = model.constraint.add()
        constraint.lower_bound = row.lower
        constraint.upper_bound = row.upper
        constraint.var_index.extend([local[variable] for variable in row.variables])
        constraint.coefficient.extend(row.coefs)
    response = linear_solver_pb2.MPSolutionResponse()
    pywraplp.Solver.SolveWithProto(request, response)
    if response.status != linear_solver_pb2.MPSOLVER_OPTIMAL:
        return None
    values = list(response.variable_value)
    duals = list(response.dual_value)
    return LpSolution(
        dict(zip(component.variables, values, strict=True)),
        dict(zip(component.rows, duals, strict=True)),
    )


def dual_bound(
    problem: Problem,
    component: Component,
    bounds: dict[int, tuple[int, int]],
    coefs: list[int],
    unit: Fraction,
    duals: dict[int, float],
) -> int:
    """A proven lower bound of the integral objective (in ``unit`` steps) from any row multipliers.

    For multipliers y, ``c x = (c - A'y) x + y'(A x) >= sum_j min over [l_j, u_j] of (c - A'y)_j x_j +
    sum_r min(y_r lower_r, y_r upper_r)`` holds for every x in the box and rows, whatever y is; GLOP's
    floating duals are rounded to a fixed grid and the sum is taken in exact integers, so the bound is exact.
    """
    scale = 1 << _DUAL_BITS
    multiplier = {
        row_index: round(value / float(unit) * scale) for row_index, value in duals.items() if value
    }
    reduced = {variable: coef * scale for variable, coef in zip(component.variables, coefs, strict=True)}
    total = 0
    for row_index, y in multiplier.items():
        row = problem.rows[row_index]
        total += min(y * row.lower, y * row.upper)
        for variable, coef in zip(row.variables, row.coefs, strict=True):
            reduced[variable] -= coef * y
    for variable, value in reduced.items():
        lower, upper = bounds[variable]
        total += min(value * lower, value * upper)
    return -((-total) // scale)


def rounded_plan(
    problem: Problem,
    component: Component,
    bounds: dict[int, tuple[int, int]],
    lp: dict[int, float],
    *,
    deadline: float,
) -> dict[int, int]:
    """Binary variables the LP chose, then the others greedily (LP value, then cost) while every row holds.

    Rows with a negative coefficient (a worked day bounding its shifts) are satisfied by ``settle`` raising
    the derived variable, so only rows with non-negative coefficients limit the greedy pass.
    """
    values = {variable: bounds[variable][0] for variable in component.variables}
    derived = set(problem.max_of) | set(problem.deviation_of)
    candidates = [
        variable
        for variable in component.variables
        if variable not in derived and bounds[variable] == (0, 1) and problem.cost[variable] < 0
    ]
    candidates.sort(key=lambda v: (lp.get(v, 0.0) < _CHOSEN, -lp.get(v, 0.0), problem.cost[v]))
    problem.fill_greedily(component.rows, values, candidates, deadline)
    return values
