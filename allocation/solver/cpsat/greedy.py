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

from allocation.solver.cpsat.crew import crew_pairs
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
    pairs: dict[str, list[int]] | None = None,
) -> list[CrewAssignment]:
    """The plan of the module docstring; ``allowed`` limits the (shift, person) pairs as the model does.

    ``hour_prices`` (pricing.py's price of an hour of a person in an ISO week) are added to a person's cost:
    where a week's hours are scarce, a seat that anyone could fill goes to someone else. ``pairs`` are
    ``crew_pairs(scenario)`` when the caller has them already.
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
    # Who already works each day: only they can take a seat for less than their full day rates.
    working: dict[int, set[str]] = defaultdict(set)

    def place(person: _Person, shift_id: str) -> None:
        start, end, week, days = facts[shift_id]
        person.take(start, end, week, days)
        placed[shift_id].append(person.member.id)
        for day in days:
            working[day].add(person.member.id)

    for fixed in [*scenario.bookings, *scenario.crew_pins]:
        if fixed.crew not in placed[fixed.shift]:
            place(people[fixed.crew], fixed.shift)
    qualified: dict[str, list[CrewMember]] = defaultdict(list)
    for member_id, shifts in (crew_pairs(scenario) if pairs is None else pairs).items():
        member = scenario.crew_by_id[member_id]
        for index in shifts:
            qualified[scenario.shifts[index].id].append(member)

    def order(shift: Shift) -> tuple[int, int, str]:
        return (facts[shift.id][0], -scenario.priority_of(shift.job), shift.id)

    for shift in sorted(scenario.shifts, key=order):
        start, end, week, days = facts[shift.id]
        seats = shift.count - len(placed[shift.id])
        if seats <= 0:
            continue
        # Who may take the shift does not change from seat to seat: worked out once, cheapest first at
        # their full cost (every day new), so that among those who share no day the first who fits wins.
        eligible = sorted(
            (
                member.day_rate * len(days) + hour_prices.get((member.id, week), 0.0) * (end - start) / 3600,
                member.id,
            )
            for member in qualified.get(shift.id, [])
            if member.id not in placed[shift.id] and (allowed is None or (shift.id, member.id) in allowed)
        )
        full_cost = dict((member_id, cost) for cost, member_id in eligible)
        for _ in range(seats):
            sharing = set().union(*(working[day] for day in days)) & full_cost.keys()
            best: tuple[float, str] | None = None
            for cost, member_id in eligible:
                if best is not None and (cost, member_id) >= best:
                    break
                if member_id not in sharing and people[member_id].fits(start, end, week):
                    best = (cost, member_id)
                    break
            for member_id in sharing:
                person = people[member_id]
                if not person.fits(start, end, week):
                    continue
                new_days = sum(day not in person.days for day in days)
                extra = full_cost[member_id] - person.member.day_rate * (len(days) - new_days)
                if best is None or (extra, member_id) < best:
                    best = (extra, member_id)
            if best is None:
                break
            place(people[best[1]], shift.id)
            del full_cost[best[1]]
            eligible = [item for item in eligible if item[1] != best[1]]
    return [
        CrewAssignment(shift_id, member_id) for shift_id, members in placed.items() for member_id in members
    ]
