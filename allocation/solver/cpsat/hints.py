"""A starting solution for CP-SAT: the previous plan when re-planning, else the FCFS plan."""

from __future__ import annotations

from allocation.solver.cpsat.problem import Problem
from allocation.solver.scenario import Plan


def hint_from_plan(problem: Problem, plan: Plan) -> None:
    """Hint every variable from ``plan``; worked days and churn deviations follow from the assignments."""
    values = dict.fromkeys(range(len(problem.keys)), 0)
    for allocation in plan.gear:
        variable = problem.index.get(("x", allocation.requirement, allocation.product))
        if variable is not None:
            values[variable] = min(allocation.quantity, problem.upper[variable])
    for subrental in plan.subrentals:
        variable = problem.index.get(("y", subrental.requirement, subrental.vendor))
        if variable is not None:
            values[variable] = min(subrental.quantity, problem.upper[variable])
    for assignment in plan.crew:
        variable = problem.index.get(("a", assignment.shift, assignment.crew))
        if variable is not None:
            values[variable] = problem.upper[variable]
    problem.settle(values)
    problem.hint = [values[variable] for variable in range(len(problem.keys))]
