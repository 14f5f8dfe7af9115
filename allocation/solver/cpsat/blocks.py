"""Big crew components solved week by week: a relaxation that gives a proven bound, then a repair.

Each variable belongs to the ISO week of its shift's start (a worked day to its own week). Rows that span two
weeks (a rest gap across Sunday night, a Monday touched by a Sunday-night shift) are dropped, so the weeks are
independent and the sum of their bounds is a valid bound of the whole. The weeks' answers together can break
only those dropped rows; ``repair`` takes people off the cheapest clashing shifts until every row holds.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from fractions import Fraction

from allocation.solver.cpsat.model import ComponentResult
from allocation.solver.cpsat.problem import Component, Problem, exact_constant


def split_by_block(
    problem: Problem, component: Component, block_of: Callable[[Hashable], Hashable]
) -> tuple[list[Component], list[int]]:
    """The component's weeks, with only the rows that stay inside one week; and the rows dropped."""
    blocks: dict[Hashable, Component] = {}
    variable_block = {}
    for variable in component.variables:
        block = block_of(problem.keys[variable])
        variable_block[variable] = block
        blocks.setdefault(block, Component([], [], [])).variables.append(variable)
    dropped = []
    for row_index in component.rows:
        variables = problem.rows[row_index].variables
        first = variable_block[variables[0]]
        if all(variable_block[variable] == first for variable in variables):
            blocks[first].rows.append(row_index)
        else:
            dropped.append(row_index)
    for fixing_index in component.fixings:
        blocks[variable_block[problem.fixings[fixing_index].variable]].fixings.append(fixing_index)
    return [blocks[key] for key in sorted(blocks, key=str)], dropped


def repair(problem: Problem, component: Component, values: dict[int, int], rows: list[int]) -> None:
    """Take people off shifts until every row of ``rows`` holds; the least costly of a clash goes first.

    Only the rows dropped by ``split_by_block`` can break: each week's answer keeps its own rows, and taking
    someone off a shift never breaks a row with non-negative coefficients.
    """
    fixed = {problem.fixings[index].variable for index in component.fixings}
    for row_index in rows:
        row = problem.rows[row_index]
        total = sum(coef * values[variable] for variable, coef in zip(row.variables, row.coefs, strict=True))
        if total <= row.upper or any(coef < 0 for coef in row.coefs):
            continue
        # Dropping the assignment whose loss costs least: its cost is the most positive (least negative).
        for variable in sorted(
            (v for v in row.variables if values[v] and v not in fixed), key=lambda v: -problem.cost[v]
        ):
            total -= dict(zip(row.variables, row.coefs, strict=True))[variable] * values[variable]
            values[variable] = 0
            if total <= row.upper:
                break
    problem.settle(values)


def refill(problem: Problem, component: Component, values: dict[int, int]) -> None:
    """Put people back on the seats a repair emptied: each free (shift, person) pair, the dearest seat
    first and the cheapest person for it first, whenever every row still holds (worked days then follow)."""
    rate: dict[object, float] = {}
    for variable in component.variables:
        key = problem.keys[variable]
        if key[0] == "w":  # type: ignore[index]
            rate[key[1]] = problem.cost[variable]  # type: ignore[index]
    free = [
        variable
        for variable in component.variables
        if problem.keys[variable][0] == "a"  # type: ignore[index]
        and not values[variable]
        and problem.upper[variable] >= 1
        and problem.cost[variable] < 0
    ]
    free.sort(key=lambda v: (problem.cost[v], rate.get(problem.keys[v][2], 0.0)))  # type: ignore[index]
    fixed_zero = {
        problem.fixings[index].variable for index in component.fixings if problem.fixings[index].value == 0
    }
    problem.fill_greedily(component.rows, values, [v for v in free if v not in fixed_zero])


def merge_blocks(
    problem: Problem, component: Component, results: list[ComponentResult], dropped: list[int]
) -> ComponentResult:
    """The weeks' answers as one: repaired values (``dropped``: the rows across weeks), exact objective
    and the summed bound."""
    if any(result.status not in ("optimal", "feasible") for result in results):
        status = "infeasible" if any(r.status == "infeasible" for r in results) else "unknown"
        return ComponentResult(status)
    values: dict[int, int] = {}
    for result in results:
        values.update(result.values)
    repair(problem, component, values, dropped)
    refill(problem, component, values)
    objective = sum(
        (exact_constant(problem.cost[v]) * value for v, value in values.items() if value), Fraction(0)
    )
    bound = sum((result.bound for result in results), Fraction(0))
    status = "optimal" if bound >= objective else "feasible"
    return ComponentResult(status, values, objective, min(bound, objective), objective)
