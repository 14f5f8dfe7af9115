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

A shift-by-shift pass at the same marginal costs cost more: 300 jobs, 805,800 of day rates against 795,200
(the neighbourhood search takes some 5 s to find the difference); 80 jobs, 180,000 of unfilled penalties
against 95,000. Matching each day again with the days around it held took a further 3,800 off at 300 jobs
in another second, no more than the neighbourhoods find in that second, and is not done.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from ortools.graph.python import min_cost_flow

from allocation.solver.cpsat.crew import crew_pairs
from allocation.solver.cpsat.intervals import hours_to_seconds, seconds
from allocation.solver.scenario import CrewAssignment, CrewMember, Scenario, days_touched, iso_week

# Costs go into the flow in cents (its costs are integers); the plan's own costs are recomputed exactly.
_CENTS = 100
_NO_LIMIT = 2**62


class _Person:
    """One person's shifts so far, for the exact checks of a shift that may sit between two of them."""

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

    def take(self, start: int, end: int, week: tuple[int, int], days: Sequence[int]) -> None:
        position = bisect.bisect_left(self.starts, start)
        self.starts.insert(position, start)
        self.windows.insert(position, (start, end + self.rest))
        self.days.update(days)
        self.hours[week] += end - start


class _Shifts:
    """The facts of every shift as arrays by its index in ``scenario.shifts``."""

    def __init__(self, scenario: Scenario) -> None:
        shifts = scenario.shifts
        self.start = np.array([seconds(shift.start) for shift in shifts], dtype=np.int64)
        self.end = np.array([seconds(shift.end) for shift in shifts], dtype=np.int64)
        self.week = [iso_week(shift.start) for shift in shifts]
        self.days = [[day.toordinal() for day in days_touched(shift.start, shift.end)] for shift in shifts]
        self.first_day = np.array([days[0] for days in self.days], dtype=np.int64)
        self.last_day = np.array([days[-1] for days in self.days], dtype=np.int64)
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
    for day in sorted(by_day):
        todays = sorted(
            by_day[day], key=lambda index: (matching.facts.start[index], scenario.shifts[index].id)
        )
        matching.match_day(todays)
        matching.second_shifts(todays)
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
        self.limit = np.array(
            [_NO_LIMIT if person.limit is None else person.limit for person in self.people], dtype=np.int64
        )
        # What the arrays know of each person holds while the days go in order: every shift placed so far
        # starts before the day's, so the latest end plus rest says whether a shift of the day clashes, and
        # the last day worked which of its days are paid for already. Only the current week's hours are kept.
        self.rested_from = np.full(len(crew), -_NO_LIMIT, dtype=np.int64)
        self.paid_until = np.zeros(len(crew), dtype=np.int64)
        self.hours = np.zeros(len(crew), dtype=np.int64)
        self.week: tuple[int, int] | None = None
        self.placed: list[list[int]] = [[] for _ in shifts]
        person_of = {member.id: position for position, member in enumerate(crew)}
        shift_of = {shift.id: position for position, shift in enumerate(shifts)}
        # Bookings and pins may lie ahead of the day being matched: their people are checked exactly.
        self.exact = np.zeros(len(crew), dtype=bool)
        for fixed in [*scenario.bookings, *scenario.crew_pins]:
            person, shift = person_of[fixed.crew], shift_of[fixed.shift]
            if person not in self.placed[shift]:
                self.place(person, shift)
                self.exact[person] = True
        qualified: list[list[int]] = [[] for _ in shifts]
        for member_id, indices in pairs.items():
            for index in indices:
                qualified[index].append(person_of[member_id])
        self.candidates = [np.array(sorted(group), dtype=np.int64) for group in qualified]

    def place(self, person: int, shift: int) -> None:
        facts = self.facts
        start, end = int(facts.start[shift]), int(facts.end[shift])
        self.people[person].take(start, end, facts.week[shift], facts.days[shift])
        self.placed[shift].append(person)
        self.rested_from[person] = max(int(self.rested_from[person]), end + self.rest)
        self.paid_until[person] = max(int(self.paid_until[person]), int(facts.last_day[shift]))
        if facts.week[shift] == self.week:
            self.hours[person] += end - start

    def match_day(self, todays: list[int]) -> None:
        """Every open seat of the day's shifts given at once, at least cost (see the module docstring)."""
        facts = self.facts
        if facts.week[todays[0]] != self.week:
            self.week = facts.week[todays[0]]
            self.hours[:] = [person.hours[self.week] for person in self.people]
        open_shifts = [index for index in todays if len(self.placed[index]) < self.counts[index]]
        if not open_shifts:
            return
        # Nodes: 0 the source, 1 the sink, then the open shifts, then the people.
        first_person = 2 + len(open_shifts)
        tails, heads, costs, pairs = [], [], [], []
        for node, index in enumerate(open_shifts, start=2):
            people = self.candidates[index]
            start, end = facts.start[index], facts.end[index]
            fits = (self.rested_from[people] <= start) & (
                self.hours[people] + (end - start) <= self.limit[people]
            )
            new_days = facts.last_day[index] - np.maximum(facts.first_day[index] - 1, self.paid_until[people])
            cost = np.rint(_CENTS * self.rate[people] * np.maximum(new_days, 0)).astype(np.int64)
            simple = fits & ~self.exact[people]
            chosen, chosen_cost = people[simple], cost[simple]
            checked = [
                (person, self._exact_cost(person, index))
                for person in people[self.exact[people]].tolist()
                if person not in self.placed[index] and self._fits(person, index)
            ]
            if checked:
                chosen = np.concatenate((chosen, [person for person, _ in checked]))
                chosen_cost = np.concatenate((chosen_cost, [cost for _, cost in checked]))
            tails.append(np.full(len(chosen), node, dtype=np.int64))
            heads.append(first_person + chosen)
            costs.append(chosen_cost)
            pairs.append(np.stack((np.full(len(chosen), index, dtype=np.int64), chosen)))
        seats = np.array(
            [self.counts[index] - len(self.placed[index]) for index in open_shifts], dtype=np.int64
        )
        shift_nodes = np.arange(2, first_person, dtype=np.int64)
        people_nodes = np.unique(np.concatenate(heads))
        flow = min_cost_flow.SimpleMinCostFlow()
        flow.add_arcs_with_capacity_and_unit_cost(
            np.zeros_like(shift_nodes), shift_nodes, seats, np.zeros_like(seats)
        )
        # A seat may stay empty, at its penalty.
        flow.add_arcs_with_capacity_and_unit_cost(
            shift_nodes, np.ones_like(shift_nodes), seats, facts.seat_cost[open_shifts]
        )
        taken = flow.add_arcs_with_capacity_and_unit_cost(
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
        assignments = np.concatenate(pairs, axis=1)[:, flow.flows(taken) > 0]
        for index, person in assignments.T.tolist():
            self.place(person, index)

    def second_shifts(self, todays: list[int]) -> None:
        """The day's seats still open, dearest first, each to whoever can take another shift for least."""
        facts = self.facts
        for index in sorted(todays, key=lambda index: (-facts.seat_cost[index], facts.start[index])):
            while len(self.placed[index]) < self.counts[index]:
                options = [
                    (self._exact_cost(person, index), person)
                    for person in self.candidates[index].tolist()
                    if person not in self.placed[index] and self._fits(person, index)
                ]
                if not options:
                    break
                self.place(min(options)[1], index)

    def _fits(self, person: int, shift: int) -> bool:
        facts = self.facts
        return self.people[person].fits(int(facts.start[shift]), int(facts.end[shift]), facts.week[shift])

    def _exact_cost(self, person: int, shift: int) -> int:
        new_days = sum(day not in self.people[person].days for day in self.facts.days[shift])
        return round(_CENTS * float(self.rate[person]) * new_days)
