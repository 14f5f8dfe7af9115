"""A crew plan matched day by day: a far better start for the models than first come, first served.

First-come-first-served fills each shift, in booking order, with the cheapest free person, and so gives away
seats that were needed elsewhere the same day: the one rigger qualified at level 3 to a stagehand call whose
other candidates were free, a cheap staff member to the first shift of a day whose later ones then go to
freelancers. This pass walks the days in order and gives all the seats of the shifts that start on a day at
once, by a minimum-cost flow over who could take them: a seat left empty costs its unfilled penalty times
its job's priority, a person the day rate of each day of the shift they are not already paid for (a
stagehand who worked last night's load-out into this morning starts tonight's for one new day, not two),
and each person takes at most one of the day's shifts. Seats still empty then go, one at a time, to whoever
can take a second shift that day for the least. Bookings and pins are placed first.

The first time a day is matched its later days are still empty. So each day is then matched once more, with
every other day held as it now is (a shift of the day may clash with, or share a day with, only its person's
nearest shifts before and after it), and the new answer is kept where it costs less.

A shift-by-shift pass at the same marginal costs cost more: 300 jobs, 805,800 of day rates against 795,200
after the first matching of each day and 790,300 after the second (0.6 s in all; the neighbourhood search
takes some 8 s to find the difference); 80 jobs, 180,000 of unfilled penalties against 95,000. A third round
of matching found nothing more.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from datetime import date

import numpy as np
from ortools.graph.python import min_cost_flow

from allocation.solver.cpsat.crew import crew_pairs
from allocation.solver.cpsat.intervals import hours_to_seconds, seconds
from allocation.solver.scenario import CrewAssignment, CrewMember, Scenario, days_touched, iso_week

# Costs go into the flow in cents (its costs are integers); the plan's own costs are recomputed exactly.
_CENTS = 100
_FAR = 2**62
_DAY = 86_400
_EPOCH = date(1970, 1, 1).toordinal()


class _Person:
    """One person's shifts so far (start, end, first day, last day; sorted), days worked and weekly hours."""

    def __init__(self, member: CrewMember, rest: int) -> None:
        self.rest = rest
        self.shifts: list[tuple[int, int, int, int]] = []
        self.days: Counter[int] = Counter()
        self.hours: dict[tuple[int, int], int] = defaultdict(int)
        self.limit = (
            _FAR if member.max_hours_per_week is None else hours_to_seconds(member.max_hours_per_week)
        )

    def fits(self, shift: tuple[int, int, int, int], week: tuple[int, int]) -> bool:
        start, end = shift[0], shift[1]
        if self.hours[week] + (end - start) > self.limit:
            return False
        position = bisect.bisect_left(self.shifts, shift)
        # The neighbours on either side in time are the only ones that can clash.
        if position > 0 and self.shifts[position - 1][1] + self.rest > start:
            return False
        return not (position < len(self.shifts) and end + self.rest > self.shifts[position][0])

    def take(self, shift: tuple[int, int, int, int], week: tuple[int, int]) -> None:
        bisect.insort(self.shifts, shift)
        self.days.update(range(shift[2], shift[3] + 1))
        self.hours[week] += shift[1] - shift[0]

    def drop(self, shift: tuple[int, int, int, int], week: tuple[int, int]) -> None:
        self.shifts.remove(shift)
        self.days.subtract(range(shift[2], shift[3] + 1))
        self.hours[week] -= shift[1] - shift[0]

    def new_days(self, shift: tuple[int, int, int, int]) -> int:
        return sum(not self.days[day] for day in range(shift[2], shift[3] + 1))


class _Shifts:
    """The facts of every shift as arrays by its index in ``scenario.shifts``."""

    def __init__(self, scenario: Scenario) -> None:
        shifts = scenario.shifts
        self.start = np.array([seconds(shift.start) for shift in shifts], dtype=np.int64)
        self.end = np.array([seconds(shift.end) for shift in shifts], dtype=np.int64)
        self.week = [iso_week(shift.start) for shift in shifts]
        days = [days_touched(shift.start, shift.end) for shift in shifts]
        self.first_day = np.array([touched[0].toordinal() for touched in days], dtype=np.int64)
        self.last_day = np.array([touched[-1].toordinal() for touched in days], dtype=np.int64)
        self.key = list(
            zip(
                self.start.tolist(),
                self.end.tolist(),
                self.first_day.tolist(),
                self.last_day.tolist(),
                strict=True,
            )
        )
        self.seat_cost = np.array(
            [
                round(_CENTS * scenario.settings.unfilled_shift_penalty * scenario.priority_of(shift.job))
                for shift in shifts
            ],
            dtype=np.int64,
        )


def matched_crew(scenario: Scenario, pairs: dict[str, list[int]] | None = None) -> list[CrewAssignment]:
    """The plan of the module docstring; ``pairs`` are ``crew_pairs(scenario)`` when the caller has them."""
    matching = _Matching(scenario, crew_pairs(scenario) if pairs is None else pairs)
    by_day: dict[int, list[int]] = defaultdict(list)
    for index in range(len(scenario.shifts)):
        by_day[int(matching.facts.first_day[index])].append(index)
    days = [(day, sorted(by_day[day], key=lambda index: matching.facts.key[index])) for day in sorted(by_day)]
    for day, todays in days:
        matching.match_day(day, todays)
        matching.second_shifts(todays)
    for day, todays in days:
        matching.match_again(day, todays)
    return [
        CrewAssignment(scenario.shifts[index].id, scenario.crew[person].id)
        for index, members in enumerate(matching.placed)
        for person in members
    ]


class _Matching:
    """The plan as it grows day by day, and what each person has taken so far."""

    def __init__(self, scenario: Scenario, pairs: dict[str, list[int]]) -> None:
        crew, shifts = scenario.crew, scenario.shifts
        self.counts = [shift.count for shift in shifts]
        self.rest = hours_to_seconds(scenario.settings.rest_hours)
        self.facts = _Shifts(scenario)
        self.people = [_Person(member, self.rest) for member in crew]
        self.rate = np.array([member.day_rate for member in crew], dtype=np.float64)
        self.limit = np.array([person.limit for person in self.people], dtype=np.int64)
        self.placed: list[list[int]] = [[] for _ in shifts]
        person_of = {member.id: position for position, member in enumerate(crew)}
        shift_of = {shift.id: position for position, shift in enumerate(shifts)}
        self.fixed: set[tuple[int, int]] = set()
        for fixed in [*scenario.bookings, *scenario.crew_pins]:
            person, shift = person_of[fixed.crew], shift_of[fixed.shift]
            if (shift, person) not in self.fixed:
                self.place(person, shift)
                self.fixed.add((shift, person))
        qualified: list[list[int]] = [[] for _ in shifts]
        for member_id, indices in pairs.items():
            for index in indices:
                qualified[index].append(person_of[member_id])
        self.candidates = [np.array(sorted(group), dtype=np.int64) for group in qualified]

    def place(self, person: int, shift: int) -> None:
        self.people[person].take(self.facts.key[shift], self.facts.week[shift])
        self.placed[shift].append(person)

    def remove(self, person: int, shift: int) -> None:
        self.people[person].drop(self.facts.key[shift], self.facts.week[shift])
        self.placed[shift].remove(person)

    def match_day(self, day: int, todays: list[int]) -> None:
        """Every open seat of the day's shifts given at once, at least cost (see the module docstring)."""
        facts = self.facts
        open_shifts = [index for index in todays if len(self.placed[index]) < self.counts[index]]
        if not open_shifts:
            return
        people = np.unique(np.concatenate([self.candidates[index] for index in open_shifts]))
        # Each candidate's nearest shifts before and after the day (the only ones a shift of the day can
        # clash with or share a day with); people with a shift of the day already wait for second_shifts.
        before_end, before_day = np.full(len(people), -_FAR), np.full(len(people), -_FAR)
        after_start, after_day = np.full(len(people), _FAR), np.full(len(people), _FAR)
        hours = np.zeros(len(people), dtype=np.int64)
        free = np.ones(len(people), dtype=bool)
        midnight = (day - _EPOCH) * _DAY
        week = facts.week[open_shifts[0]]
        for position, person in enumerate(people.tolist()):
            taken = self.people[person]
            first = bisect.bisect_left(taken.shifts, (midnight,))
            after = bisect.bisect_left(taken.shifts, (midnight + _DAY,), first)
            free[position] = first == after
            if first:
                before_end[position], before_day[position] = (
                    taken.shifts[first - 1][1],
                    taken.shifts[first - 1][3],
                )
            if after < len(taken.shifts):
                after_start[position], after_day[position] = taken.shifts[after][0], taken.shifts[after][2]
            hours[position] = taken.hours[week]
        column_of = np.full(len(self.people), -1, dtype=np.int64)
        column_of[people] = np.arange(len(people))
        # Nodes: 0 the source, 1 the sink, then the open shifts, then the people.
        first_person = 2 + len(open_shifts)
        tails, heads, costs, pairs = [], [], [], []
        for node, index in enumerate(open_shifts, start=2):
            candidates = self.candidates[index]
            at = column_of[candidates]
            start, end = facts.start[index], facts.end[index]
            first_day, last_day = facts.first_day[index], facts.last_day[index]
            fits = (
                free[at]
                & (before_end[at] + self.rest <= start)
                & (end + self.rest <= after_start[at])
                & (hours[at] + (end - start) <= self.limit[candidates])
            )
            new_days = np.minimum(last_day, after_day[at] - 1) - np.maximum(first_day, before_day[at] + 1) + 1
            cost = np.rint(_CENTS * self.rate[candidates] * np.maximum(new_days, 0)).astype(np.int64)
            chosen = candidates[fits]
            tails.append(np.full(len(chosen), node, dtype=np.int64))
            heads.append(first_person + column_of[chosen])
            costs.append(cost[fits])
            pairs.append(np.stack((np.full(len(chosen), index, dtype=np.int64), chosen)))
        seats = np.array([self.counts[index] - len(self.placed[index]) for index in open_shifts])
        shift_nodes = np.arange(2, first_person, dtype=np.int64)
        people_nodes = first_person + np.arange(len(people), dtype=np.int64)
        flow = min_cost_flow.SimpleMinCostFlow()
        flow.add_arcs_with_capacity_and_unit_cost(
            np.zeros_like(shift_nodes), shift_nodes, seats, np.zeros_like(seats)
        )
        # A seat may stay empty, at its penalty.
        flow.add_arcs_with_capacity_and_unit_cost(
            shift_nodes, np.ones_like(shift_nodes), seats, facts.seat_cost[open_shifts]
        )
        taken_arcs = flow.add_arcs_with_capacity_and_unit_cost(
            np.concatenate(tails),
            np.concatenate(heads),
            np.ones(sum(map(len, tails)), dtype=np.int64),
            np.concatenate(costs),
        )
        flow.add_arcs_with_capacity_and_unit_cost(
            people_nodes, np.ones_like(people_nodes), np.ones_like(people_nodes), np.zeros_like(people_nodes)
        )
        flow.set_nodes_supplies(np.array([0, 1]), np.array([seats.sum(), -seats.sum()]))
        status = flow.solve()
        assert status == flow.OPTIMAL, status
        assignments = np.concatenate(pairs, axis=1)[:, flow.flows(taken_arcs) > 0]
        for index, person in assignments.T.tolist():
            self.place(person, index)

    def second_shifts(self, todays: list[int]) -> None:
        """The day's seats still open, dearest first, each to whoever can take another shift for least, if
        that costs less than the seat left empty."""
        facts = self.facts
        for index in sorted(todays, key=lambda index: (-facts.seat_cost[index], facts.key[index])):
            shift, week = facts.key[index], facts.week[index]
            while len(self.placed[index]) < self.counts[index]:
                options = [
                    (round(_CENTS * float(self.rate[person]) * self.people[person].new_days(shift)), person)
                    for person in self.candidates[index].tolist()
                    if person not in self.placed[index] and self.people[person].fits(shift, week)
                ]
                if not options or min(options)[0] >= facts.seat_cost[index]:
                    break
                self.place(min(options)[1], index)

    def match_again(self, day: int, todays: list[int]) -> None:
        """The day's seats matched again with every other day's held as they are now (the later days were
        not known the first time), the new answer kept only if it costs less."""
        movable = [(index, person) for index in todays for person in self.placed[index]]
        movable = [pair for pair in movable if pair not in self.fixed]
        if not movable:
            return
        for index, person in movable:
            self.remove(person, index)
        before = self._cost(todays, movable)
        self.match_day(day, todays)
        self.second_shifts(todays)
        chosen = [(index, person) for index in todays for person in self.placed[index]]
        chosen = [pair for pair in chosen if pair not in self.fixed]
        for index, person in chosen:
            self.remove(person, index)
        keep = chosen if self._cost(todays, chosen) < before else movable
        for index, person in keep:
            self.place(person, index)

    def _cost(self, todays: list[int], assignments: list[tuple[int, int]]) -> int:
        """What these assignments of the day's shifts cost beyond the rest of the plan: the days they add,
        and the seats they leave empty."""
        facts = self.facts
        days: dict[int, set[int]] = defaultdict(set)
        filled: Counter[int] = Counter()
        for index, person in assignments:
            days[person].update(range(facts.first_day[index], facts.last_day[index] + 1))
            filled[index] += 1
        total = sum(
            round(
                _CENTS * float(self.rate[person]) * sum(not self.people[person].days[day] for day in worked)
            )
            for person, worked in days.items()
        )
        for index in todays:
            empty = self.counts[index] - len(self.placed[index]) - filled[index]
            total += int(facts.seat_cost[index]) * max(0, empty)
        return total
