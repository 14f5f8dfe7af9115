"""Crew: a boolean per (shift, qualified and available person), and one per (person, day) they work."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from allocation.solver.cpsat.intervals import hours_to_seconds, maximal_cliques, seconds
from allocation.solver.cpsat.problem import Fixing, Problem, Row
from allocation.solver.scenario import (
    CrewAssignment,
    CrewMember,
    Scenario,
    Shift,
    Unfilled,
    days_touched,
    iso_week,
)


def add_crew(
    problem: Problem,
    scenario: Scenario,
    *,
    check: Callable[[], None] | None = None,
    allowed: set[tuple[str, str]] | None = None,
) -> None:
    """Write every crew variable, rule and cost term of the scenario into ``problem``.

    ``check`` is called between people, so that a build over its time budget can be stopped (it raises).
    ``allowed``, when given, limits the (shift, person) pairs to those (see pricing.py); bookings and pins
    always get theirs. Times, days and weeks are worked out once per shift, not once per pair.
    """
    facts = _shift_facts(scenario)
    candidates = _add_assignments(problem, scenario, allowed)
    _add_shift_counts(problem, scenario)
    for member in scenario.crew:
        if check is not None:
            check()
        pairs = candidates.get(member.id)
        if not pairs:
            continue
        pairs.sort(key=lambda pair: (pair[0].start, pair[0].end, pair[0].id))
        shift_facts = [facts[shift.id] for shift, _ in pairs]
        variables = [variable for _, variable in pairs]
        _add_rest_gaps(problem, variables, shift_facts)
        _add_weekly_hours(problem, member, variables, shift_facts)
        _add_day_rates(problem, member, variables, shift_facts)
    _add_crew_fixings(problem, scenario)
    _add_crew_churn(problem, scenario)


@dataclass(frozen=True)
class _ShiftFacts:
    """What the crew rows need of a shift: its rest window in seconds, length, days and ISO week."""

    window: tuple[int, int]
    length: int
    days: tuple[date, ...]
    week: tuple[int, int]


def _shift_facts(scenario: Scenario) -> dict[str, _ShiftFacts]:
    # Two shifts of one person clash exactly when their shifts stretched by the rest gap overlap.
    rest = hours_to_seconds(scenario.settings.rest_hours)
    facts = {}
    for shift in scenario.shifts:
        start, end = seconds(shift.start), seconds(shift.end)
        days = tuple(days_touched(shift.start, shift.end))
        facts[shift.id] = _ShiftFacts((start, end + rest), end - start, days, iso_week(shift.start))
    return facts


def is_available(member: CrewMember, shift: Shift) -> bool:
    """Whether no unavailable interval of the person overlaps the shift."""
    return all(not (shift.start < window.end and window.start < shift.end) for window in member.unavailable)


def crew_pairs(scenario: Scenario) -> dict[str, list[int]]:
    """Every qualified and available person's shifts (indices into ``scenario.shifts``), by person id."""
    by_role: dict[str, list[CrewMember]] = defaultdict(list)
    for member in scenario.crew:
        for role in member.skills:
            by_role[role].append(member)
    pairs: dict[str, list[int]] = defaultdict(list)
    for index, shift in enumerate(scenario.shifts):
        for member in by_role.get(shift.role, []):
            if member.skills[shift.role] >= shift.min_level and is_available(member, shift):
                pairs[member.id].append(index)
    return pairs


def _add_assignments(
    problem: Problem, scenario: Scenario, allowed: set[tuple[str, str]] | None = None
) -> dict[str, list[tuple[Shift, int]]]:
    """Hard: only qualified, available people get a variable (booked others get one fixed at 0)."""
    fixed_pairs = {(b.shift, b.crew) for b in scenario.bookings} | {
        (p.shift, p.crew) for p in scenario.crew_pins
    }
    by_role: dict[str, list[CrewMember]] = defaultdict(list)
    for member in scenario.crew:
        for role in member.skills:
            by_role[role].append(member)
    candidates: dict[str, list[tuple[Shift, int]]] = defaultdict(list)
    for shift in scenario.shifts:
        for member in by_role.get(shift.role, []):
            if allowed is not None and (shift.id, member.id) not in allowed:
                continue
            if member.skills[shift.role] >= shift.min_level and is_available(member, shift):
                variable = problem.add_variable(("a", shift.id, member.id), 0, 1)
                candidates[member.id].append((shift, variable))
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
        problem.add_constant(shift.count * per_person, ("s", shift.id))
        variables = by_shift.get(shift.id, [])
        for variable in variables:
            problem.add_cost(variable, -per_person)
        if variables:
            problem.add_row(variables, [1] * len(variables), 0, shift.count)


def _add_rest_gaps(problem: Problem, variables: list[int], facts: list[_ShiftFacts]) -> None:
    """Hard: one person's shifts never overlap and are at least ``rest_hours`` apart (one row per clique)."""
    for clique in maximal_cliques([fact.window for fact in facts]):
        if len(clique) > 1:
            problem.rows.append(Row([variables[i] for i in clique], [1] * len(clique), 0, 1))


def _add_weekly_hours(
    problem: Problem, member: CrewMember, variables: list[int], facts: list[_ShiftFacts]
) -> None:
    """Hard: the hours of the shifts that start in one ISO week stay within ``max_hours_per_week``."""
    if member.max_hours_per_week is None:
        return
    limit = hours_to_seconds(member.max_hours_per_week)
    by_week: dict[tuple[int, int], list[int]] = defaultdict(list)
    for position, fact in enumerate(facts):
        by_week[fact.week].append(position)
    for positions in by_week.values():
        lengths = [facts[p].length for p in positions]
        if sum(lengths) > limit:
            problem.rows.append(Row([variables[p] for p in positions], lengths, 0, limit))


def _add_day_rates(
    problem: Problem, member: CrewMember, variables: list[int], facts: list[_ShiftFacts]
) -> None:
    """Soft: the day rate for each calendar day that any of the person's shifts touches."""
    if member.day_rate == 0:
        return
    by_day: dict[date, list[int]] = defaultdict(list)
    for position, fact in enumerate(facts):
        for day in fact.days:
            by_day[day].append(position)
    for day, positions in by_day.items():
        worked = problem.add_variable(("w", member.id, day), 0, 1, member.day_rate)
        problem.max_of[worked] = [variables[p] for p in positions]
        if len(positions) == 1:
            problem.rows.append(Row([variables[positions[0]], worked], [1, -1], -1, 0))
            continue
        # Shifts that clash can share one row: at most one of them is worked, and any of them forces the day.
        for clique in maximal_cliques([facts[p].window for p in positions]):
            row_variables = [variables[positions[i]] for i in clique]
            problem.rows.append(Row([*row_variables, worked], [1] * len(clique) + [-1], -1, 0))


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
    for shift_id, _ in previous:
        problem.add_constant(penalty, ("s", shift_id))
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
