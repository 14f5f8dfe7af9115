"""Big crew components solved week by week: a relaxation that gives a proven bound, then a repair.

Each variable belongs to the ISO week of its shift's start (a worked day to its own week). Rows that span two
weeks (a rest gap across Sunday night, a Monday touched by a Sunday-night shift) are dropped, so the weeks are
independent and the sum of their bounds is a valid bound of the whole. The weeks' answers together can break
only those dropped rows; ``repair`` takes people off the cheapest clashing shifts until every row holds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable
from fractions import Fraction

from allocation.solver.cpsat.model import ComponentResult
from allocation.solver.cpsat.problem import Component, Problem, exact_constant


def split_by_block(
    problem: Problem, component: Component, block_of: Callable[[Hashable], Hashable]
) -> list[Component]:
    """The component's weeks, with only the rows that stay inside one week."""
    blocks: dict[Hashable, Component] = {}
    variable_block = {}
    for variable in component.variables:
        block = block_of(problem.keys[variable])
        variable_block[variable] = block
        blocks.setdefault(block, Component([], [], [])).variables.append(variable)
    for row_index in component.rows:
        row_blocks = {variable_block[variable] for variable in problem.rows[row_index].variables}
        if len(row_blocks) == 1:
            blocks[row_blocks.pop()].rows.append(row_index)
    for fixing_index in component.fixings:
        blocks[variable_block[problem.fixings[fixing_index].variable]].fixings.append(fixing_index)
    return [blocks[key] for key in sorted(blocks, key=str)]


def repair(problem: Problem, component: Component, values: dict[int, int]) -> None:
    """Take people off shifts until every row holds; the least costly assignment of a clash goes first."""
    fixed = {problem.fixings[index].variable for index in component.fixings}
    rows_of: dict[int, list[int]] = defaultdict(list)
    for row_index in component.rows:
        for variable in problem.rows[row_index].variables:
            rows_of[variable].append(row_index)
    for row_index in component.rows:
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


def merge_blocks(problem: Problem, component: Component, results: list[ComponentResult]) -> ComponentResult:
    """The weeks' answers as one: repaired values, their exact objective, and the summed bound."""
    if any(result.status not in ("optimal", "feasible") for result in results):
        status = "infeasible" if any(r.status == "infeasible" for r in results) else "unknown"
        return ComponentResult(status)
    values: dict[int, int] = {}
    for result in results:
        values.update(result.values)
    repair(problem, component, values)
    objective = sum(
        (exact_constant(problem.cost[v]) * value for v, value in values.items() if value), Fraction(0)
    )
    bound = sum((result.bound for result in results), Fraction(0))
    status = "optimal" if bound >= objective else "feasible"
    return ComponentResult(status, values, objective, min(bound, objective), objective)
