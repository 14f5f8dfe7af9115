"""Can the bookings and pins of a scenario all hold? A fast check run before a pin is saved.

Every variable of the solver's problem has the lower bound 0 and every row caps a sum of non-negative terms
(shortage and unfilled places absorb whatever is not covered), so the fixings can all hold exactly when the
plan that sets only them, and everything else to zero, breaks no row. That check takes milliseconds; only
when it fails does CP-SAT look for the small set of fixings to blame (the solver's own conflict core), and
the solver's own words describe them.
"""

from typing import Any

from allocation.solver.cpsat import build_problem
from allocation.solver.cpsat.conflicts import describe_conflicts
from allocation.solver.cpsat.model import conflicting_fixings
from allocation.solver.cpsat.problem import Component, Problem, components
from allocation.solver.scenario import load_scenario

CORE_SECONDS = 3.0


def _fixings_hold(problem: Problem, part: Component) -> bool:
    fixed = {problem.fixings[index].variable: problem.fixings[index].value for index in part.fixings}
    values = {}
    for variable in part.variables:
        lower, upper = problem.lower[variable], problem.upper[variable]
        value = fixed.get(variable, lower)
        if not lower <= value <= upper:
            return False
        values[variable] = value
    problem.settle(values)  # worked days and churn deviations follow from the fixed assignments
    for row_index in part.rows:
        row = problem.rows[row_index]
        total = sum(coef * values[variable] for variable, coef in zip(row.variables, row.coefs, strict=True))
        if not row.lower <= total <= row.upper:
            return False
    return True


def fixing_conflicts(
    scenario_data: dict[str, Any], *, time_limit: float = CORE_SECONDS
) -> list[dict[str, Any]]:
    """The bookings and pins that cannot all hold, each with the solver's ``reason``; empty when they can."""
    if not scenario_data.get("pins") and not scenario_data.get("bookings"):
        return []
    scenario = load_scenario(scenario_data)
    problem = build_problem(scenario)
    clashing = [part for part in components(problem) if part.fixings and not _fixings_hold(problem, part)]
    items: list[dict[str, Any]] = []
    for part in clashing:
        core = conflicting_fixings(problem, part, time_limit=max(0.2, time_limit / len(clashing)))
        items.extend(problem.fixings[index].item for index in core)
    return describe_conflicts(scenario, items)
