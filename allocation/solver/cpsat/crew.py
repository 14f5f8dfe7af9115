"""Crew: a boolean per (shift, qualified and available person), and one per (person, day) they work."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date

from allocation.solver.cpsat.intervals import hours_to_seconds, maximal_cliques, seconds
from allocation.solver.cpsat.problem import Fixing, Problem
from allocation.solver.scenario import (
    CrewAssignment,
    CrewMember,
    Scenario,
    Shift,
    Unfilled,
    days_touched,
    iso_week,
)


def add_crew(problem: Problem, scenario: Scenario, *, check: Callable[[], None] | None = None) -> None:
    """Write every crew variable, rule and cost term of the scenario into ``problem``.

    ``check`` is called between people, so that a build over its time budget can be stopped (it raises).
    """
    candidates = _add_assignments(problem, scenario)
    _add_shift_counts(problem, scenario)
    for member in scenario.crew:
        if check is not None:
            check()
        shifts = sorted(candidates.get(member.id, []), key=lambda shift: (shift.start, shift.end, shift.id))
        if not shifts:
            continue
        _add_rest_gaps(problem, scenario, member, shifts)
        _add_weekly_hours(problem, member, shifts)
        _add_day_rates(problem, scenario, member, shifts)
    _add_crew_fixings(problem, scenario)
    _add_crew_churn(problem, scenario)


def is_available(member: CrewMember, shift: Shift) -> bool:
    """Whether no unavailable interval of the person overlaps the shift."""
    return all(not (shift.start < window.end and window.start < shift.end) for window in member.unavailable)


def _add_assignments(problem: Problem, scenario: Scenario) -> dict[str, list[Shift]]:
    """Hard: only qualified, available people get a variable (booked others get one fixed at 0)."""
    fixed_pairs = {(b.shift, b.crew) for b in scenario.bookings} | {
        (p.shift, p.crew) for p in scenario.crew_pins
    }
    by_role: dict[str, list[CrewMember]] = defaultdict(list)
    for member in scenario.crew:
        for role in member.skills:
            by_role[role].append(member)
    candidates: dict[str, list[Shift]] = defaultdict(list)
    for shift in scenario.shifts:
        for member in by_role.get(shift.role, []):
            if member.qualifies(shift) and is_available(member, shift):
                problem.add_variable(("a", shift.id, member.id), 0, 1)
                candidates[member.id].append(shift)
    for shift_id, member_id in sorted(fixed_pairs):
        if ("a", shift_id, member_id) not in problem.index:
            problem.add_variable(("a", shift_id, member_id), 0, 0)
    return candidates


def _shift_variables(problem: Problem) -> dict[str, list[int]]:
    by_shift: dict[str, list[int]] = defaultdict(list)
    for variable, key in enumerate(problem.keys):
        if key[0] == "a":
            by_shift[key[1]].append(variable)
    return by_shift


def _add_shift_counts(problem: Problem, scenario: Scenario) -> None:
    """Hard: at most ``count`` people per shift; soft: each missing person costs penalty times priority."""
    penalty = scenario.settings.unfilled_shift_penalty
    by_shift = _shift_variables(problem)
    for shift in scenario.shifts:
        per_person = penalty * scenario.priority_of(shift.job)
        problem.constant += shift.count * per_person
        variables = by_shift.get(shift.id, [])
        for variable in variables:
            problem.add_cost(variable, -per_person)
        if variables:
            problem.add_row(variables, [1] * len(variables), 0, shift.count)


def _rest_windows(scenario: Scenario, shifts: list[Shift]) -> list[tuple[int, int]]:
    # Two shifts of one person clash exactly when their shifts stretched by the rest gap overlap.
    rest = hours_to_seconds(scenario.settings.rest_hours)
    return [(seconds(shift.start), seconds(shift.end) + rest) for shift in shifts]


def _add_rest_gaps(problem: Problem, scenario: Scenario, member: CrewMember, shifts: list[Shift]) -> None:
    """Hard: one person's shifts never overlap and are at least ``rest_hours`` apart (one row per clique)."""
    for clique in maximal_cliques(_rest_windows(scenario, shifts)):
        if len(clique) > 1:
            variables = [problem.index[("a", shifts[i].id, member.id)] for i in clique]
            problem.add_row(variables, [1] * len(variables), 0, 1)


def _add_weekly_hours(problem: Problem, member: CrewMember, shifts: list[Shift]) -> None:
    """Hard: the hours of the shifts that start in one ISO week stay within ``max_hours_per_week``."""
    if member.max_hours_per_week is None:
        return
    limit = hours_to_seconds(member.max_hours_per_week)
    by_week: dict[tuple[int, int], list[Shift]] = defaultdict(list)
    for shift in shifts:
        by_week[iso_week(shift.start)].append(shift)
    for week_shifts in by_week.values():
        variables = [problem.index[("a", shift.id, member.id)] for shift in week_shifts]
        lengths = [seconds(shift.end) - seconds(shift.start) for shift in week_shifts]
        problem.add_row(variables, lengths, 0, limit)


def _add_day_rates(problem: Problem, scenario: Scenario, member: CrewMember, shifts: list[Shift]) -> None:
    """Soft: the day rate for each calendar day that any of the person's shifts touches."""
    if member.day_rate == 0:
        return
    by_day: dict[date, list[int]] = defaultdict(list)
    for position, shift in enumerate(shifts):
        for day in days_touched(shift.start, shift.end):
            by_day[day].append(position)
    windows = _rest_windows(scenario, shifts)
    for day, positions in by_day.items():
        worked = problem.add_variable(("w", member.id, day), 0, 1, member.day_rate)
        problem.max_of[worked] = [problem.index[("a", shifts[p].id, member.id)] for p in positions]
        # Shifts that clash can share one row: at most one of them is worked, and any of them forces the day.
        for clique in maximal_cliques([windows[p] for p in positions]):
            variables = [problem.index[("a", shifts[positions[i]].id, member.id)] for i in clique]
            problem.add_row([*variables, worked], [1] * len(variables) + [-1], -1, 0)


def _add_crew_fixings(problem: Problem, scenario: Scenario) -> None:
    """Hard: bookings and crew pins put that person on that shift."""
    for booking in scenario.bookings:
        item = {"kind": "booking", "shift": booking.shift, "crew": booking.crew}
        problem.fixings.append(Fixing(problem.index[("a", booking.shift, booking.crew)], 1, item))
    for pin in scenario.crew_pins:
        item = {"kind": "pin", "shift": pin.shift, "crew": pin.crew}
        problem.fixings.append(Fixing(problem.index[("a", pin.shift, pin.crew)], 1, item))


def _add_crew_churn(problem: Problem, scenario: Scenario) -> None:
    """Soft: the churn penalty per (shift, person) pair in one plan only; hints the previous plan."""
    if scenario.previous_plan is None:
        return
    penalty = scenario.settings.churn_penalty
    previous = {(a.shift, a.crew) for a in scenario.previous_plan.crew if a.shift in scenario.shift_by_id}
    # Every previous pair costs the penalty unless the new plan keeps it.
    problem.constant += penalty * len(previous)
    for variable, key in enumerate(problem.keys):
        if key[0] != "a":
            continue
        was_assigned = (key[1], key[2]) in previous
        problem.add_cost(variable, -penalty if was_assigned else penalty)
        problem.hint[variable] = 1 if was_assigned and problem.upper[variable] else 0


def crew_plan(
    problem: Problem, scenario: Scenario, values: list[int]
) -> tuple[list[CrewAssignment], list[Unfilled]]:
    """Read the crew part of a plan from the variables' values."""
    placed: dict[str, list[str]] = defaultdict(list)
    for variable, key in enumerate(problem.keys):
        if key[0] == "a" and values[variable]:
            placed[key[1]].append(key[2])
    assignments, unfilled = [], []
    for shift in scenario.shifts:
        assignments.extend(CrewAssignment(shift.id, member) for member in placed.get(shift.id, []))
        unfilled.append(Unfilled(shift.id, max(0, shift.count - len(placed.get(shift.id, [])))))
    return assignments, unfilled
