"""A small integer linear problem that gear and crew are written into, split into independent components.

Gear and crew first describe their variables and rows here, without CP-SAT; the rows tell which variables
interact, so that each connected component becomes its own CP-SAT model and proves its optimum on its own.
"""

from __future__ import annotations

import math
import time
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

# Money and quality are rounded to this many decimals before being scaled to integers.
COEFFICIENT_DECIMALS = 6


@dataclass(frozen=True)
class Fixing:
    """A booking or pin: ``variable == value`` must hold; ``item`` describes it for a conflict report."""

    variable: int
    value: int
    item: dict[str, Any]


@dataclass
class Row:
    """A linear constraint ``lower <= sum(coefs * vars) <= upper`` (hard)."""

    variables: list[int]
    coefs: list[int]
    lower: int
    upper: int


@dataclass
class Problem:
    """Variables, rows, fixings and a float objective ``constant + sum(cost * var)``."""

    keys: list[Hashable] = field(default_factory=list)
    lower: list[int] = field(default_factory=list)
    upper: list[int] = field(default_factory=list)
    cost: list[float] = field(default_factory=list)
    hint: list[int | None] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    fixings: list[Fixing] = field(default_factory=list)
    constant: float = 0.0
    index: dict[Hashable, int] = field(default_factory=dict)
    # Variables whose best value follows from others: a worked day is the max of its shifts, a churn
    # deviation |x - previous|. A non-optimal solver answer can leave them higher than needed.
    max_of: dict[int, list[int]] = field(default_factory=dict)
    deviation_of: dict[int, tuple[int, int]] = field(default_factory=dict)
    # The constant split by what it belongs to (("r", requirement id) or ("s", shift id)), for part bounds.
    constant_of: dict[Hashable, float] = field(default_factory=dict)

    def written(self) -> tuple[int, int, int]:
        """How many variables, rows and fixings are written so far (see ``components``' ``since``)."""
        return len(self.keys), len(self.rows), len(self.fixings)

    def add_constant(self, amount: float, owner: Hashable) -> None:
        self.constant += amount
        self.constant_of[owner] = self.constant_of.get(owner, 0.0) + amount

    def settle(self, values: dict[int, int]) -> None:
        """Lower derived variables to the least value their rows allow (what the plan's costs will count)."""
        for variable in values:
            if variable in self.max_of:
                values[variable] = max((values.get(source, 0) for source in self.max_of[variable]), default=0)
            elif variable in self.deviation_of:
                source, previous = self.deviation_of[variable]
                values[variable] = abs(values[source] - previous)

    def add_variable(self, key: Hashable, lower: int, upper: int, cost: float = 0.0) -> int:
        variable = len(self.keys)
        self.keys.append(key)
        self.lower.append(lower)
        self.upper.append(upper)
        self.cost.append(cost)
        self.hint.append(None)
        self.index[key] = variable
        return variable

    def rows_hold(self, row_indices: Sequence[int], values: Mapping[int, int]) -> bool:
        """Whether ``values`` satisfy every one of these rows."""
        for row_index in row_indices:
            row = self.rows[row_index]
            terms = zip(row.variables, row.coefs, strict=True)
            if not row.lower <= sum(coef * values[variable] for variable, coef in terms) <= row.upper:
                return False
        return True

    def fill_greedily(
        self,
        row_indices: Sequence[int],
        values: dict[int, int],
        order: Sequence[int],
        deadline: float | None = None,
    ) -> None:
        """Raise each variable of ``order`` in turn from 0 to 1 while every row still holds, then settle.

        Rows with a negative coefficient (a worked day bounding its shifts) are met by ``settle`` raising the
        derived variable, so only rows with non-negative coefficients limit the pass. Past ``deadline``
        (checked every 1,024 variables) the pass stops where it is.
        """
        limiting: dict[int, list[tuple[int, int]]] = {}
        totals: dict[int, int] = {}
        for row_index in row_indices:
            row = self.rows[row_index]
            if any(coef < 0 for coef in row.coefs):
                continue
            terms = list(zip(row.variables, row.coefs, strict=True))
            totals[row_index] = sum(coef * values[variable] for variable, coef in terms)
            for variable, coef in terms:
                limiting.setdefault(variable, []).append((row_index, coef))
        for position, variable in enumerate(order):
            if deadline is not None and position and position % 1024 == 0 and time.perf_counter() > deadline:
                break
            rows = limiting.get(variable, [])
            if all(totals[row] + coef <= self.rows[row].upper for row, coef in rows):
                values[variable] = 1
                for row, coef in rows:
                    totals[row] += coef
        self.settle(values)

    def add_cost(self, variable: int, cost: float) -> None:
        self.cost[variable] += cost

    def add_row(self, variables: Sequence[int], coefs: Sequence[int], lower: int, upper: int) -> None:
        """Add a row unless the variables' bounds already satisfy it."""
        low = high = 0
        for variable, coef in zip(variables, coefs, strict=True):
            if coef > 0:
                low += coef * self.lower[variable]
                high += coef * self.upper[variable]
            else:
                low += coef * self.upper[variable]
                high += coef * self.lower[variable]
        if low >= lower and high <= upper:
            return
        self.rows.append(Row(list(variables), list(coefs), lower, upper))


@dataclass
class Component:
    """An independent part of a problem: its variables, rows and fixings (indices into the problem)."""

    variables: list[int]
    rows: list[int]
    fixings: list[int]


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        parent = self.parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, first: int, second: int) -> None:
        root_first, root_second = self.find(first), self.find(second)
        if root_first != root_second:
            self.parent[root_second] = root_first


def components(problem: Problem, since: tuple[int, int, int] = (0, 0, 0)) -> list[Component]:
    """The connected components of the variable-row graph, smallest first; with ``since`` (a count of
    variables, rows and fixings, see ``Problem.written``), only those of what was written after them, which
    no earlier row may touch."""
    first_variable, first_row, first_fixing = since
    union_find = _UnionFind(len(problem.keys))
    rows = problem.rows
    for row in rows[first_row:]:
        first = row.variables[0]
        for variable in row.variables[1:]:
            union_find.union(first, variable)
    by_root: dict[int, Component] = {}
    for variable in range(first_variable, len(problem.keys)):
        by_root.setdefault(union_find.find(variable), Component([], [], [])).variables.append(variable)
    for row_index in range(first_row, len(rows)):
        by_root[union_find.find(rows[row_index].variables[0])].rows.append(row_index)
    for fixing_index in range(first_fixing, len(problem.fixings)):
        by_root[union_find.find(problem.fixings[fixing_index].variable)].fixings.append(fixing_index)
    return sorted(by_root.values(), key=lambda component: len(component.variables) + len(component.rows))


def merge_small(parts: list[Component], limit: int) -> list[Component]:
    """Pack components of a few variables together so that one CP-SAT call solves many of them."""
    merged: list[Component] = []
    current = Component([], [], [])
    for part in parts:
        if len(current.variables) + len(part.variables) > limit and current.variables:
            merged.append(current)
            current = Component([], [], [])
        current.variables.extend(part.variables)
        current.rows.extend(part.rows)
        current.fixings.extend(part.fixings)
    if current.variables:
        merged.append(current)
    return merged


def integer_costs(costs: Sequence[float]) -> tuple[list[int], Fraction]:
    """Integral objective coefficients and the unit (one integral step, in money) that makes them exact."""
    # Costs repeat (a day rate, a priority's penalty): each distinct value is converted once.
    exact = {
        cost: Fraction(round(cost, COEFFICIENT_DECIMALS)).limit_denominator(10**COEFFICIENT_DECIMALS)
        for cost in set(costs)
    }
    denominator = 1
    for value in exact.values():
        denominator = math.lcm(denominator, value.denominator)
    divisor = 0
    for value in exact.values():
        divisor = math.gcd(divisor, int(value * denominator))
    divisor = divisor or 1
    scaled = {cost: int(value * denominator) // divisor for cost, value in exact.items()}
    return [scaled[cost] for cost in costs], Fraction(divisor, denominator)


def exact_constant(value: float) -> Fraction:
    """A float constant of the objective as an exact fraction at the coefficients' precision."""
    return Fraction(round(value, COEFFICIENT_DECIMALS)).limit_denominator(10**COEFFICIENT_DECIMALS)
