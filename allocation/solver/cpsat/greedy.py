"""A crew plan built in time order at marginal cost: a better start for CP-SAT than first come, first served.

First-come-first-served fills each shift, in booking order, with the cheapest free person at their day rate.
It misses what a day rate means: a person already paid for a day costs nothing more on it, so a stagehand
who worked last night's load-out into this morning starts tonight's for one new day, not two. This pass
walks the shifts in start order, dearest seats first among those starting together, and gives each seat the
person whose extra days cost least (among those qualified, available, rested and under their weekly hours),
after placing the bookings and pins. It is only a hint: CP-SAT checks it, keeps what holds and improves it.
"""

from __future__ import annotations

import bisect
from collections import defaultdict

from allocation.solver.cpsat.intervals import hours_to_seconds, seconds
from allocation.solver.scenario import CrewAssignment, CrewMember, Scenario, Shift, days_touched, iso_week


class _Person:
    def __init__(self, member: CrewMember, rest: int) -> None:
        self.member = member
        self.rest = rest
        self.starts: list[int] = []
        self.windows: list[tuple[int, int]] = []  # (start, end + rest), sorted by start
        self.days: set[int] = set()
        self.hours: dict[tuple[int, int], int] = defaultdict(int)
        self.limit = (
            None if member.max_hours_per_week is None else hours_to_seconds(member.max_hours_per_week)
        )

    def fits(self, start: int, end: int, week: tuple[int, int]) -> bool:
        if self.limit is not None and self.hours[week] + (end - start) > self.limit:
            return False
        position = bisect.bisect_left(self.starts, start)
        # The neighbours on either side in time are the only ones that can clash.
        if position > 0 and self.windows[position - 1][1] > start:
            return False
        return not (position < len(self.starts) and end + self.rest > self.starts[position])

    def take(self, start: int, end: int, week: tuple[int, int], days: list[int]) -> None:
        position = bisect.bisect_left(self.starts, start)
        self.starts.insert(position, start)
        self.windows.insert(position, (start, end + self.rest))
        self.days.update(days)
        self.hours[week] += end - start


def greedy_crew(
    scenario: Scenario,
    allowed: set[tuple[str, str]] | None = None,
    hour_prices: dict[tuple[str, tuple[int, int]], float] | None = None,
) -> list[CrewAssignment]:
    """The plan of the module docstring; ``allowed`` limits the (shift, person) pairs as the model does.

    ``hour_prices`` (pricing.py's price of an hour of a person in an ISO week) are added to a person's cost:
    where a week's hours are scarce, a seat that anyone could fill goes to someone else.
    """
    hour_prices = hour_prices or {}
    rest = hours_to_seconds(scenario.settings.rest_hours)
    people = {member.id: _Person(member, rest) for member in scenario.crew}
    facts = {}
    for shift in scenario.shifts:
        facts[shift.id] = (
            seconds(shift.start),
            seconds(shift.end),
            iso_week(shift.start),
            [day.toordinal() for day in days_touched(shift.start, shift.end)],
        )
    placed: dict[str, list[str]] = defaultdict(list)
    for fixed in [*scenario.bookings, *scenario.crew_pins]:
        if fixed.crew in placed[fixed.shift]:
            continue
        start, end, week, days = facts[fixed.shift]
        people[fixed.crew].take(start, end, week, days)
        placed[fixed.shift].append(fixed.crew)
    by_role: dict[str, list[CrewMember]] = defaultdict(list)
    for member in scenario.crew:
        for role in member.skills:
            by_role[role].append(member)

    def order(shift: Shift) -> tuple[int, int, str]:
        return (facts[shift.id][0], -scenario.priority_of(shift.job), shift.id)

    for shift in sorted(scenario.shifts, key=order):
        start, end, week, days = facts[shift.id]
        for _ in range(shift.count - len(placed[shift.id])):
            best: tuple[float, str] | None = None
            for member in by_role.get(shift.role, []):
                if member.skills[shift.role] < shift.min_level or member.id in placed[shift.id]:
                    continue
                if allowed is not None and (shift.id, member.id) not in allowed:
                    continue
                if any(shift.start < w.end and w.start < shift.end for w in member.unavailable):
                    continue
                person = people[member.id]
                if not person.fits(start, end, week):
                    continue
                extra = member.day_rate * sum(1 for day in days if day not in person.days)
                price = hour_prices.get((member.id, week))
                if price:
                    extra += price * (end - start) / 3600
                if best is None or (extra, member.id) < best:
                    best = (extra, member.id)
            if best is None:
                break
            people[best[1]].take(start, end, week, days)
            placed[shift.id].append(best[1])
    return [
        CrewAssignment(shift_id, member_id) for shift_id, members in placed.items() for member_id in members
    ]
