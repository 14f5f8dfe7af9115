"""Big crews: which (shift, person) pairs the model needs, and a proven bound over all of them.

A season of 300 jobs has some 200,000 qualified and available (shift, person) pairs, most of them people who
would never be sent (a dear freelancer while cheaper staff are free). Writing them all into CP-SAT costs more
than the time limit. Instead:

1. **Candidates**: each shift starts with its cheapest people (a few more than its headcount), the pairs of
   the first-come-first-served plan (so the hint stays representable), the previous plan's and the fixed ones.
2. **Pricing** (column generation through a Lagrangian relaxation): the LP relaxation of the candidates gives
   a price per shift seat and per person-week hour; with those prices, every person's cheapest schedule over
   *all* their pairs is found exactly by a dynamic programme (shifts in time order, rest gaps kept, a calendar
   day paid once). Pairs that such a schedule uses and the candidates lack are added, and the LP runs again.
3. **Bound**: for any prices ``u >= 0`` (seats) and ``lam >= 0`` (weekly hours), relaxing those two rule
   families leaves one independent problem per person, which the dynamic programme solves exactly (it keeps
   rest gaps and worked days; dropping bookings and pins only relaxes further). So
   ``constant - sum(u * count) - sum(lam * limit) + sum(min(0, schedule))`` is a lower bound of the crew's
   cost over every pair, not only the candidates, whatever the prices: the model may then be restricted to
   the candidates without the plan claiming a bound it has not proven.
"""

from __future__ import annotations

import bisect
import logging
import math
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from ortools.math_opt import (
    callback_pb2,
    model_parameters_pb2,
    model_pb2,
    parameters_pb2,
    result_pb2,
    solution_pb2,
)
from ortools.math_opt.core.python import solver as mathopt_solver
from pybind11_abseil.status import StatusNotOk

from allocation.solver.cpsat.crew import crew_pairs
from allocation.solver.cpsat.intervals import hours_to_seconds, maximal_cliques, seconds
from allocation.solver.cpsat.replan import scenario_parts
from allocation.solver.scenario import CrewMember, Plan, Scenario, days_touched, iso_week

logger = logging.getLogger(__name__)

# Below this many qualified pairs the model takes them all and proves its optimum itself.
PRICING_PAIRS = 60_000
# Each shift starts with this many candidates beyond its headcount, cheapest first.
_EXTRA_CANDIDATES = 16
# Each pricing round also adds this many of each shift's most attractive missing pairs. With 16 and 6 instead
# of 8 and 3 the rounds are larger but fewer are needed: at 300 jobs pricing alone proved 780,152 after 6.7 s
# against 779,821 after 7.1 s (seed 1), and 788,846 after 7.5 s against 786,196 after 7.8 s (seed 4); in
# eight interleaved 10 s solves (seeds 1 to 4) the bound was higher in all eight, by 834 to 6,171, and the
# mean gap 0.61% against 0.81%. 24 and 10, or 24 and 6, proved no more and left the plans higher.
_ATTRACTIVE_PER_SHIFT = 6
# An LP value at most this counts as 0 (see CrewPricing.lp_pairs).
_LP_ZERO = 1e-6
# The least time limit of one week's LP (see lp_prices).
_WEEK_LP_SECONDS = 0.5
# Pricing rounds at most; it stops earlier when no schedule asks for a missing pair.
_ROUNDS = 10
# Pricing stops once this many rounds in a row raised the best bound by less than _STALL_GAIN of it, and gives
# its time back to the search for the plan: from the last basis a round takes 0.3 to 0.9 s at 300 jobs, and
# the bound stops rising after six to ten of them (rounds 6 to 10 of one run: 780,366, then nothing), while
# the subgradient steps that would follow never raised it on these seasons. A round that raises the crew's
# bound by less than 0.05% (some 400 at 300 jobs) is worth less than the neighbourhoods' search finds in
# its time (1,000 or more a second): over four seeds with every round run, stopping there ended two of them
# one and two rounds sooner with the same best bound, and the other two where 0.01% did. A round whose bound
# falls more than _STALL_SPREAD short of the best has prices still swinging, not settled, and is not counted:
# from the matched start at 300 jobs, rounds 2 and 3 gave bounds below zero and round 4 the best yet.
_STALL_ROUNDS = 2
_STALL_GAIN = 5e-4
_STALL_SPREAD = 1e-3
# A pricing round may run past the deadline by this share of its expected time, and by no more than
# _OVERRUN_SHARE of pricing's own time (what follows pricing needs its time too: at 300 jobs in 4 s the gear
# would otherwise keep its FCFS plan). At 300 jobs in 10 s a round took a second before the weeks' LPs started
# from the last basis, and the last one raised the bound by 3,000 where a second more of the neighbourhoods'
# search lowered the plan by 1,500 (a step after the rounds raised it by nothing).
_LAST_ROUND_SHARE = 0.5
_OVERRUN_SHARE = 0.1
# The rounds after which the candidates go to a model built while the rounds go on (see apart.py). The first
# round's pairs leave the search short (300 jobs, seed 1: 1,106,400 against 1,104,500 after two rounds, the
# search starting a round later); the later rounds add a tenth of the pairs each and raise the bound.
CANDIDATE_ROUNDS = 2
# Subgradient steps at most after pricing, the step's scale halved every so many.
_STEPS = 200
_HALVE_EVERY = 10
# Float safety margin taken off the bound (relative), so that rounding never proves too much.
_SAFETY = 1e-9


@dataclass
class _ShiftFacts:
    index: int
    start: int
    end: int
    window_end: int
    first_day: int
    last_day: int
    days: int
    week: tuple[int, int]
    length: int
    part_cost: float  # the seat's cost in the objective: minus the unfilled penalty times priority


@dataclass
class CrewPricing:
    """The candidate pairs for the model and the proven crew bound over all pairs.

    ``bound`` covers the crew's whole share of the objective (unfilled penalties, day rates and churn,
    constants included); ``shift_terms`` and ``person_terms`` are its pieces by shift and by person, so that
    a part of the scenario can add up its own.
    """

    candidates: set[tuple[str, str]]
    pairs: int
    bound: float
    shift_terms: dict[str, float] = field(default_factory=dict)
    person_terms: dict[str, float] = field(default_factory=dict)
    rounds: int = 0
    seconds: float = 0.0
    # The prices the bound was proven with: a seat's worth by shift id, an hour's by (person, ISO week).
    seat_prices: dict[str, float] = field(default_factory=dict)
    hour_prices: dict[tuple[str, tuple[int, int]], float] = field(default_factory=dict)
    # The last round's LP optimum over the candidates: each pair's value by (shift id, person id), the
    # pairs at 0 left out (the weeks' LPs, each week's own shifts' pairs), for the search to be led by.
    lp_pairs: dict[tuple[str, str], float] = field(default_factory=dict)

    def part_bounds(self, scenario: Scenario) -> dict[str, float]:
        """The bound's share of each crew part of the scenario (by signature), for re-plans by parts."""
        bounds = {}
        for part in scenario_parts(scenario):
            if part.kind == "crew":
                bounds[part.signature] = sum(self.shift_terms.get(s, 0.0) for s in part.shifts) + sum(
                    self.person_terms.get(p, 0.0) for p in part.people
                )
        return bounds


def _facts(scenario: Scenario) -> list[_ShiftFacts]:
    rest = hours_to_seconds(scenario.settings.rest_hours)
    penalty = scenario.settings.unfilled_shift_penalty
    facts = []
    for index, shift in enumerate(scenario.shifts):
        start, end = seconds(shift.start), seconds(shift.end)
        days = days_touched(shift.start, shift.end)
        facts.append(
            _ShiftFacts(
                index,
                start,
                end,
                end + rest,
                days[0].toordinal(),
                days[-1].toordinal(),
                len(days),
                iso_week(shift.start),
                end - start,
                -penalty * scenario.priority_of(shift.job),
            )
        )
    return facts


@dataclass
class _Chain:
    """One person's shifts for the programme of ``_Pricer.schedules``, in start order: their costs
    without prices (seat filled, churn and days), hours and ISO weeks, and, in order of the ends of their
    rest windows, which of them (``by_end``) and on which day each ends; ``limits[k]`` is how many of those
    end before shift k starts."""

    member_id: str
    rate: float
    shift_list: list[int]
    shifts: np.ndarray
    base: np.ndarray
    hours: np.ndarray
    weeks: list[tuple[int, int]]
    week_of: np.ndarray
    by_end: list[int]
    limits: list[int]
    end_day: list[int]
    first_day: list[int]


_Prices = tuple[dict[int, float], dict[tuple[str, tuple[int, int]], float]]


def _meet(one: tuple[int, int, int, int], other: tuple[int, int, int, int]) -> bool:
    """Whether two spans of ``_Pricer._span`` overlap in time (rest windows included) or share a day."""
    return (one[0] < other[1] and other[0] < one[1]) or (one[2] <= other[3] and other[2] <= one[3])


# A week's LP names its columns and rows by what they stand for, so that a round can start from the basis of
# the round before: ("pair", shift, person), ("day", person, day); ("clash", person, shifts),
# ("hours", person, week), ("worked", person, day, shifts), ("seat", shift).
_Key = tuple[Any, ...]


@dataclass
class _PersonLP:
    """One person's columns and rows in a week's LP (all but the seat rows, which join people), local to them:
    ``columns`` are their pairs (one per shift of ``shifts``, in that order) and then their worked days; row
    k's entries are ``entries[starts[k]:starts[k + 1]]``, in column order."""

    shifts: frozenset[int]
    pair_shifts: np.ndarray
    columns: list[_Key]
    costs: np.ndarray
    rows: list[_Key]
    starts: np.ndarray
    entries: np.ndarray
    coefficients: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    # Rows of the person's last piece that are gone, and the larger row that took each one's place.
    renamed: dict[_Key, _Key]


@dataclass
class _WeekLP:
    """One week's LP across the pricing rounds: each person's piece, and the basis of the last optimum.

    Candidates only grow, so a round's LP holds every column of the round before, and the last optimum's
    basis carries over: new columns start at zero (out of the basis), new rows with their slacks in it, which
    keeps the basis square. Not every row comes back: a clash clique that a new shift joins gives way to a
    larger one. The larger row takes the old one's status: its only other columns are new, at zero and out
    of the basis, so the basis matrix is the same. An old row that no new row contains is kept (it still
    holds). GLOP then goes on from the last optimum: at 300 jobs the weeks' LPs of ten rounds took 32,000
    simplex iterations in all (2.9 s), from scratch eight rounds took 204,000 (7.5 s). A person whose
    candidates in the week did not change keeps their piece as it was built.
    """

    people: dict[str, _PersonLP] = field(default_factory=dict)
    basis: tuple[dict[_Key, int], dict[_Key, int]] | None = None
    # The last optimum's pairs above 0 of the week's own shifts, by (shift, person).
    pairs: dict[tuple[int, str], float] = field(default_factory=dict)
    # The last optimum's objective and simplex iterations, and whether it started from a basis.
    objective: float | None = None
    iterations: int = 0
    warm: bool = False


@dataclass
class _Block:
    """A week's LP written for MathOpt, with the keys of its columns and rows in their order."""

    week: tuple[int, int]
    model: model_pb2.ModelProto
    params: parameters_pb2.SolveParametersProto
    columns: list[_Key]
    rows: list[_Key]
    basis: solution_pb2.BasisProto | None


@dataclass
class _Answer:
    """A week LP's optimum: its rows' duals by key, its pair columns above 0 by key, its basis, objective
    and simplex iterations."""

    duals: dict[_Key, float]
    pairs: dict[_Key, float]
    basis: solution_pb2.BasisProto
    objective: float
    iterations: int


def _solve_lp(block: _Block) -> _Answer | None:
    """The LP's optimum, or None when GLOP does not prove it in its time. A basis GLOP refuses (it never
    should) is dropped and the LP solved from scratch."""
    model_params = model_parameters_pb2.ModelSolveParametersProto()
    if block.basis is not None:
        model_params.initial_basis.CopyFrom(block.basis)
    try:
        result = _glop(block, model_params)
    except StatusNotOk:
        if block.basis is None:
            raise
        logger.warning("week %s: GLOP refused the last round's basis; solving from scratch", block.week)
        result = _glop(block, model_parameters_pb2.ModelSolveParametersProto())
    if result.termination.reason != result_pb2.TERMINATION_REASON_OPTIMAL or not result.solutions:
        return None
    solution = result.solutions[0]
    duals = solution.dual_solution.dual_values
    primal = solution.primal_solution.variable_values
    rows, columns = block.rows, block.columns
    return _Answer(
        {rows[row]: value for row, value in zip(duals.ids, duals.values, strict=True)},
        {
            columns[column]: value
            for column, value in zip(primal.ids, primal.values, strict=True)
            if value > _LP_ZERO and columns[column][0] == "pair"
        },
        solution.basis,
        solution.primal_solution.objective_value,
        result.solve_stats.simplex_iterations,
    )


def _glop(
    block: _Block, model_params: model_parameters_pb2.ModelSolveParametersProto
) -> result_pb2.SolveResultProto:
    """GLOP's answer to the block's LP (it runs without the interpreter lock)."""
    return mathopt_solver.solve(
        block.model,
        parameters_pb2.SOLVER_TYPE_GLOP,
        parameters_pb2.SolverInitializerProto(),
        block.params,
        model_params,
        None,
        callback_pb2.CallbackRegistrationProto(),
        None,
        None,
    )


def _read_prices(duals: dict[_Key, float]) -> _Prices:
    """Seat prices by shift and hour prices by (person, week) from a week's duals."""
    seat: dict[int, float] = {}
    hour: dict[tuple[str, tuple[int, int]], float] = {}
    for key, value in duals.items():
        if key[0] == "seat":
            seat[key[1]] = max(0.0, -value)
        elif key[0] == "hours":
            hour[key[1], key[2]] = max(0.0, -value)
    return seat, hour


def _assemble(
    week: tuple[int, int],
    pieces: list[_PersonLP],
    counts: np.ndarray,
    last: tuple[dict[_Key, int], dict[_Key, int]] | None,
    time_limit: float,
) -> _Block:
    """The week's LP as MathOpt's model: the people's pieces side by side, then one seat row per shift (its
    ``counts`` the upper bounds), started from ``last``'s basis extended to it (see ``_WeekLP``)."""
    sizes = np.array([len(piece.columns) for piece in pieces], dtype=np.int64)
    offsets = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    row_sizes = np.array([len(piece.rows) for piece in pieces], dtype=np.int64)
    row_offsets = np.concatenate(([0], np.cumsum(row_sizes)[:-1]))
    own_rows = int(row_sizes.sum())
    columns = [column for piece in pieces for column in piece.columns]
    costs = np.concatenate([piece.costs for piece in pieces])
    # Each piece's entries, its rows and columns moved to their places.
    row_ids = [
        np.repeat(np.arange(len(piece.rows)) + row_offset, np.diff(piece.starts))
        for piece, row_offset in zip(pieces, row_offsets.tolist(), strict=True)
    ]
    column_ids = [piece.entries + offset for piece, offset in zip(pieces, offsets.tolist(), strict=True)]
    # The seat rows: every pair column of the shift, in column order.
    pair_columns = np.concatenate(
        [
            np.arange(len(piece.pair_shifts)) + offset
            for piece, offset in zip(pieces, offsets.tolist(), strict=True)
        ]
    )
    pair_shifts = np.concatenate([piece.pair_shifts for piece in pieces])
    order = np.lexsort((pair_columns, pair_shifts))
    seat_shifts, seat_of = np.unique(pair_shifts[order], return_inverse=True)
    row_ids.append(own_rows + seat_of)
    column_ids.append(pair_columns[order])
    coefficients = np.concatenate([*(piece.coefficients for piece in pieces), np.ones(len(order))])
    lower = np.concatenate([*(piece.lower for piece in pieces), np.zeros(len(seat_shifts))])
    upper = np.concatenate([*(piece.upper for piece in pieces), counts[seat_shifts].astype(np.float64)])
    rows = [row for piece in pieces for row in piece.rows] + [
        ("seat", shift) for shift in seat_shifts.tolist()
    ]

    model = model_pb2.ModelProto()
    variables = model.variables
    variables.ids.extend(range(len(columns)))
    variables.lower_bounds.extend([0.0] * len(columns))
    variables.upper_bounds.extend([1.0] * len(columns))
    variables.integers.extend([False] * len(columns))
    priced = np.flatnonzero(costs)
    model.objective.linear_coefficients.ids.extend(priced.tolist())
    model.objective.linear_coefficients.values.extend(costs[priced].tolist())
    constraints = model.linear_constraints
    constraints.ids.extend(range(len(rows)))
    constraints.lower_bounds.extend(lower.tolist())
    constraints.upper_bounds.extend(upper.tolist())
    matrix = model.linear_constraint_matrix
    matrix.row_ids.extend(np.concatenate(row_ids).tolist())
    matrix.column_ids.extend(np.concatenate(column_ids).tolist())
    matrix.coefficients.extend(coefficients.tolist())
    params = parameters_pb2.SolveParametersProto()
    if math.isfinite(time_limit):
        params.time_limit.FromNanoseconds(int(max(0.05, time_limit) * 1e9))
    basis = None
    if last is not None:
        at_zero, in_basis = solution_pb2.BASIS_STATUS_AT_LOWER_BOUND, solution_pb2.BASIS_STATUS_BASIC
        column_status = [last[0].get(column, at_zero) for column in columns]
        row_status = [last[1].get(row, in_basis) for row in rows]
        # Square by construction (see _WeekLP); a basis that is not is left out rather than sent.
        if column_status.count(in_basis) + row_status.count(in_basis) == len(rows):
            basis = solution_pb2.BasisProto()
            basis.variable_status.ids.extend(range(len(columns)))
            basis.variable_status.values.extend(column_status)
            basis.constraint_status.ids.extend(range(len(rows)))
            basis.constraint_status.values.extend(row_status)
    return _Block(week, model, params, columns, rows, basis)


class _Pricer:
    """The scenario's crew as plain lists, with the LP over candidates and the per-person programme."""

    def __init__(self, scenario: Scenario, pairs: dict[str, list[int]], workers: int = 1) -> None:
        self.scenario = scenario
        self.workers = workers
        self.facts = _facts(scenario)
        # Each shift's span (see _span), for the weeks' LPs to find the calls beside their own.
        self.spans = [(fact.start, fact.window_end, fact.first_day, fact.last_day) for fact in self.facts]
        self.members = [member for member in scenario.crew if pairs.get(member.id)]
        # Each person's shifts in start order.
        times = sorted({(fact.start, fact.end) for fact in self.facts})
        place = {moment: position for position, moment in enumerate(times)}
        # Shifts of the same start and end keep their order in ``pairs`` (a stable sort, as ``sorted``).
        order = np.array([place[fact.start, fact.end] for fact in self.facts], dtype=np.int64)
        ordered = []
        for member in self.members:
            own = np.array(pairs[member.id], dtype=np.int64)
            ordered.append(own[np.argsort(order[own], kind="stable")])
        self.shifts_of = {member.id: own.tolist() for member, own in zip(self.members, ordered, strict=True)}
        churn = scenario.settings.churn_penalty
        self.previous: set[tuple[int, str]] = set()
        self.constant_of: dict[str, float] = {
            shift.id: -fact.part_cost * shift.count
            for fact, shift in zip(self.facts, scenario.shifts, strict=True)
        }
        if scenario.previous_plan is not None:
            position = {shift.id: index for index, shift in enumerate(scenario.shifts)}
            previous = {(a.shift, a.crew) for a in scenario.previous_plan.crew if a.shift in position}
            for shift_id, member_id in previous:
                self.previous.add((position[shift_id], member_id))
                self.constant_of[shift_id] += churn
        self.churn = churn if scenario.previous_plan is not None else 0.0
        self._chains: list[_Chain] | None = None
        self._weeks: dict[tuple[int, int], _WeekLP] = {}
        self._pair_arrays(ordered)

    def _pair_arrays(self, shifts: list[np.ndarray]) -> None:
        """Every qualified pair as numpy arrays (person by person, ``shifts`` each one's in start order), for
        the passes over all pairs: ``first_candidates``, ``market_prices`` and ``attractive``."""
        facts = self.facts
        weeks = sorted({fact.week for fact in facts})
        week_position = {week: position for position, week in enumerate(weeks)}
        fact_week = np.array([week_position[fact.week] for fact in facts], dtype=np.int64)
        fact_days = np.array([fact.days for fact in facts], dtype=np.float64)
        fact_cost = np.array([fact.part_cost for fact in facts], dtype=np.float64)
        sizes = [len(own) for own in shifts]
        self.pair_shift = np.concatenate(shifts) if shifts else np.zeros(0, dtype=np.int64)
        owner = np.repeat(np.arange(len(self.members)), sizes)
        # Ties in cost go to the person whose id sorts first, as everywhere else.
        self.pair_rank = np.argsort(np.argsort(np.array([member.id for member in self.members])))[owner]
        # A person's week: its place among the members' weeks (the hour prices' keys).
        self.week_keys = {
            (member.id, week): position * len(weeks) + week_position[week]
            for position, member in enumerate(self.members)
            for week in weeks
        }
        self.pair_week = owner * len(weeks) + fact_week[self.pair_shift]
        rates = np.array([member.day_rate for member in self.members], dtype=np.float64)
        self.pair_day_cost = rates[owner] * fact_days[self.pair_shift]
        self.pair_hours = np.array([fact.length / 3600 for fact in facts], dtype=np.float64)[self.pair_shift]
        self.pair_owner = owner
        self.member_position = {member.id: position for position, member in enumerate(self.members)}
        # Pair codes (shift and person in one number) sorted, to find given pairs among the arrays.
        codes = self.pair_shift * len(self.members) + owner
        self.code_order = np.argsort(codes, kind="stable")
        self.sorted_codes = codes[self.code_order]
        own_cost = fact_cost[self.pair_shift]
        if self.churn:
            kept = np.zeros(len(owner), dtype=bool)
            kept[self._positions(self.previous)] = True
            own_cost = own_cost + np.where(kept, -self.churn, self.churn)
        self.pair_own_cost = own_cost
        self.counts = np.array([shift.count for shift in self.scenario.shifts], dtype=np.int64)
        # The pairs by shift, each shift's cheapest on its days first: (order, rank within its shift).
        self.by_day_cost = self._by_shift(self.pair_day_cost, np.ones(len(owner), dtype=bool))

    def _positions(self, pairs: Iterable[tuple[int, str]]) -> np.ndarray:
        """The places in the arrays of those ``pairs`` (shift, person id) that are qualified pairs."""
        codes = np.array(
            [
                shift * len(self.members) + self.member_position[member_id]
                for shift, member_id in pairs
                if member_id in self.member_position
            ],
            dtype=np.int64,
        )
        # With no pairs there are no members either, and so no codes: the last place is never looked up empty.
        found = np.minimum(np.searchsorted(self.sorted_codes, codes), len(self.sorted_codes) - 1)
        return self.code_order[found[self.sorted_codes[found] == codes]]

    def _pairs(self, positions: np.ndarray) -> set[tuple[int, str]]:
        """The (shift, person id) pairs at these places of the arrays."""
        members = self.members
        return {
            (shift, members[owner].id)
            for shift, owner in zip(
                self.pair_shift[positions].tolist(), self.pair_owner[positions].tolist(), strict=True
            )
        }

    def _by_shift(self, cost: np.ndarray, keep: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The pairs where ``keep`` holds, by shift and then by ``cost`` (ties by person), with each one's
        place among its shift's."""
        kept = np.flatnonzero(keep)
        order = kept[np.lexsort((self.pair_rank[kept], cost[kept], self.pair_shift[kept]))]
        shifts = self.pair_shift[order]
        starts = np.flatnonzero(np.r_[True, shifts[1:] != shifts[:-1]])
        place = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
        return order, place

    def pair_cost(self, shift: int, member_id: str) -> float:
        """The pair's own cost: the seat it fills (negative) and its churn."""
        cost = self.facts[shift].part_cost
        if self.churn:
            cost += -self.churn if (shift, member_id) in self.previous else self.churn
        return cost

    # --- candidates --------------------------------------------------------------------------------------

    def first_candidates(self, extra: set[tuple[str, str]]) -> set[tuple[int, str]]:
        """Each shift's cheapest people (by their cost on its days), plus ``extra`` (shift id, person id)."""
        order, place = self.by_day_cost
        first = order[place < self.counts[self.pair_shift[order]] + _EXTRA_CANDIDATES]
        position = {shift.id: index for index, shift in enumerate(self.scenario.shifts)}
        wanted = {(position[shift_id], member_id) for shift_id, member_id in extra if shift_id in position}
        # Extra pairs count only where they are qualified (the arrays hold no others).
        return self._pairs(first) | self._pairs(self._positions(wanted | self.previous))

    def market_prices(self, seat: dict[int, float]) -> dict[int, float]:
        """``seat`` raised, shift by shift, to what leaves a profit only to its ``count`` cheapest people.

        The first round's LP sees only the cheapest candidates; where they are busy elsewhere it leaves a
        seat unpriced, and every other qualified person then gains the whole unfilled penalty from it, which
        sinks the bound far below zero. A seat is worth at least the penalty less the day cost of the first
        person beyond its headcount (their cost on its days alone, as if they worked nothing else).
        """
        order, place = self.by_day_cost
        beyond = order[place == self.counts[self.pair_shift[order]]]
        raised = dict(seat)
        for shift, cost in zip(
            self.pair_shift[beyond].tolist(), self.pair_day_cost[beyond].tolist(), strict=True
        ):
            floor = -self.facts[shift].part_cost - cost
            raised[shift] = max(raised.get(shift, 0.0), floor, 0.0)
        return raised

    # --- the LP over candidates ---------------------------------------------------------------------------

    def lp_prices(
        self,
        candidates: set[tuple[int, str]],
        *,
        deadline: float,
        clock: Callable[[], float],
        fallback: tuple[dict[int, float], dict[tuple[str, tuple[int, int]], float]] | None = None,
    ) -> tuple[dict[int, float], dict[tuple[str, tuple[int, int]], float]] | None:
        """Seat prices by shift and hour prices by (person, week) from the candidates' LP relaxation.

        The LP is solved ISO week by ISO week (a shift belongs to the week it starts in, as its hours do):
        small LPs solve far faster than one. Each week's LP also holds the calls of other weeks that clash
        with one of its own or touch one of its days (a Sunday-night load-out into Monday, Monday's calls),
        with their rest gaps and worked days, but only its own calls' prices are kept. The weeks' LPs then
        no longer add up to a relaxation, and need not: how the prices come about never changes the
        validity of the bound built from them (``bound``). What they buy is prices that know the boundary:
        weeks cut clean let the same cheap people work the Sunday night and the Monday morning, and paid a
        day touched from both sides in one week only. At 300 jobs six rounds reach 779,755 where the clean
        cut's rounds stop near 773,000 (one LP over all the weeks proves 782,000, in 8 to 11 s).

        From the second round on, each week's LP starts from the basis of its last optimum (see ``_WeekLP``).
        A week whose LP does not finish in time (or is not reached by ``deadline``) keeps its ``fallback``
        prices, the last round's; without them the round gives None.
        """
        by_week: dict[tuple[int, int], set[tuple[int, str]]] = defaultdict(set)
        for pair in candidates:
            by_week[self.facts[pair[0]].week].add(pair)
        blocks = {week: set(block) for week, block in by_week.items()}
        spans = {week: self._span(shift for shift, _ in block) for week, block in by_week.items()}
        for week, span in spans.items():
            for other, block in by_week.items():
                if other != week and _meet(span, spans[other]):
                    blocks[week].update(pair for pair in block if _meet(span, self.spans[pair[0]]))
        seat: dict[int, float] = {}
        hour: dict[tuple[str, tuple[int, int]], float] = {}
        total = sum(map(len, blocks.values()))
        # GLOP runs without the interpreter lock: one week's LP solves while the next is written, and as many
        # solve at once as there are workers.
        pending: dict[tuple[int, int], tuple[_Block, Future[_Answer | None]] | None] = {}
        with ThreadPoolExecutor(max_workers=max(1, self.workers)) as pool:
            for week in sorted(by_week):
                block = blocks[week]
                left = deadline - clock()
                pending[week] = None
                if left > 0 or fallback is None:
                    # A week's LP takes a tenth of a second or two; one cut short leaves its week poorly
                    # priced. The weeks solve side by side, so each may take its share of all the workers.
                    share = left * max(1, self.workers) * len(block) / max(1, total)
                    lp = self._lp_block(block, week, time_limit=max(_WEEK_LP_SECONDS, share))
                    pending[week] = (lp, pool.submit(_solve_lp, lp))
                total -= len(block)
        for week, job in pending.items():
            answer = job[1].result() if job is not None else None
            own = {shift for shift, _ in by_week[week]}
            if answer is None:
                if fallback is None:
                    return None
                prices = fallback
            else:
                lp, store = job[0], self._weeks[week]
                store.basis = (
                    dict(zip(lp.columns, answer.basis.variable_status.values, strict=True)),
                    dict(zip(lp.rows, answer.basis.constraint_status.values, strict=True)),
                )
                store.objective, store.iterations, store.warm = (
                    answer.objective,
                    answer.iterations,
                    lp.basis is not None,
                )
                prices = _read_prices(answer.duals)
                store.pairs = {
                    (key[1], key[2]): value for key, value in answer.pairs.items() if key[1] in own
                }
            seat.update((shift, price) for shift, price in prices[0].items() if shift in own)
            hour.update((key, price) for key, price in prices[1].items() if key[1] == week)
        return seat, hour

    def lp_pairs(self) -> dict[tuple[int, str], float]:
        """The last optimum of each week's LP: its own shifts' pairs above 0, by (shift, person)."""
        return {pair: value for store in self._weeks.values() for pair, value in store.pairs.items()}

    def _span(self, shifts: Iterable[int]) -> tuple[int, int, int, int]:
        """From the first start to the last rest window's end, and from the first day to the last."""
        spans = [self.spans[shift] for shift in shifts]
        return (
            min(span[0] for span in spans),
            max(span[1] for span in spans),
            min(span[2] for span in spans),
            max(span[3] for span in spans),
        )

    def _lp_block(self, candidates: set[tuple[int, str]], week: tuple[int, int], time_limit: float) -> _Block:
        """The LP of ``week`` over its ``candidates`` (with the rows of its earlier rounds, see ``_WeekLP``),
        started from its last basis."""
        by_member: dict[str, set[int]] = defaultdict(set)
        for shift, member_id in candidates:
            by_member[member_id].add(shift)
        store = self._weeks.setdefault(week, _WeekLP())
        pieces = []
        for member in self.members:
            shifts = by_member.get(member.id)
            if not shifts:
                continue
            piece = store.people.get(member.id)
            if piece is None or piece.shifts != shifts:
                piece = self._person_lp(member, frozenset(shifts), piece)
                store.people[member.id] = piece
                if store.basis is not None:
                    statuses = store.basis[1]
                    for old, heir in piece.renamed.items():
                        if old in statuses:
                            statuses[heir] = statuses.pop(old)
            pieces.append(piece)
        return _assemble(week, pieces, self.counts, store.basis, time_limit)

    def _person_lp(self, member: CrewMember, shifts: frozenset[int], last: _PersonLP | None) -> _PersonLP:
        """The person's piece of a week's LP over ``shifts``, keeping the rows of ``last`` (see ``_WeekLP``):
        at most one shift of each set that clashes (rest gaps kept), their hours within the week's limit,
        and a day worked (paid once) wherever one of the day's shifts is."""
        facts = self.facts
        ordered = sorted(shifts, key=lambda i: (facts[i].start, i))
        columns: list[_Key] = [("pair", shift, member.id) for shift in ordered]
        costs = [self.pair_cost(shift, member.id) for shift in ordered]
        rows: dict[_Key, tuple[list[int], list[float], float, float]] = {}
        windows = [(facts[s].start, facts[s].window_end) for s in ordered]
        for clique in maximal_cliques(windows):
            if len(clique) > 1:
                key = ("clash", member.id, tuple(ordered[i] for i in clique))
                rows[key] = (clique, [1.0] * len(clique), -math.inf, 1.0)
        if member.max_hours_per_week is not None:
            limit = hours_to_seconds(member.max_hours_per_week)
            by_week: dict[tuple[int, int], list[int]] = defaultdict(list)
            for position, shift in enumerate(ordered):
                by_week[facts[shift].week].append(position)
            for own_week, positions in by_week.items():
                lengths = [facts[ordered[p]].length / 3600 for p in positions]
                if sum(lengths) * 3600 > limit:
                    rows["hours", member.id, own_week] = (positions, lengths, 0.0, limit / 3600)
        if member.day_rate:
            by_day: dict[int, list[int]] = defaultdict(list)
            for position, shift in enumerate(ordered):
                for day in range(facts[shift].first_day, facts[shift].last_day + 1):
                    by_day[day].append(position)
            for day, positions in by_day.items():
                worked = len(columns)
                columns.append(("day", member.id, day))
                costs.append(member.day_rate)
                for clique in maximal_cliques([windows[p] for p in positions]):
                    key = ("worked", member.id, day, tuple(ordered[positions[i]] for i in clique))
                    rows[key] = (
                        [positions[i] for i in clique] + [worked],
                        [1.0] * len(clique) + [-1.0],
                        -math.inf,
                        0.0,
                    )
        renamed: dict[_Key, _Key] = {}
        gone = [k for k, key in enumerate(last.rows) if key not in rows] if last is not None else []
        if last is not None and gone:
            place = {column: position for position, column in enumerate(columns)}
            # The rows that are new this round, which may each take the place of one row that is gone.
            previous = set(last.rows)
            fresh = {
                key: dict(zip(row[0], row[1], strict=True))
                for key, row in rows.items()
                if key not in previous
            }
            for k in gone:
                key = last.rows[k]
                span = slice(last.starts[k], last.starts[k + 1])
                old = [last.columns[column] for column in last.entries[span].tolist()]
                if not all(column in place for column in old):
                    continue
                terms = dict(
                    zip((place[column] for column in old), last.coefficients[span].tolist(), strict=True)
                )
                heir = next(
                    (
                        new_key
                        for new_key, new_terms in fresh.items()
                        if new_key[0] == key[0]
                        and rows[new_key][3] == last.upper[k]
                        and all(new_terms.get(column) == value for column, value in terms.items())
                    ),
                    None,
                )
                if heir is not None:
                    # The larger clique holds everything the old one did and, with its new columns at zero,
                    # the same basis.
                    renamed[key] = heir
                    del fresh[heir]
                else:
                    rows[key] = (list(terms), list(terms.values()), last.lower[k], last.upper[k])
        entries: list[int] = []
        coefficients: list[float] = []
        starts = [0]
        for row_columns, row_coefficients, _, _ in rows.values():
            for column, coefficient in sorted(zip(row_columns, row_coefficients, strict=True)):
                entries.append(column)
                coefficients.append(coefficient)
            starts.append(len(entries))
        return _PersonLP(
            shifts=shifts,
            pair_shifts=np.asarray(ordered, dtype=np.int64),
            columns=columns,
            costs=np.asarray(costs, dtype=np.float64),
            rows=list(rows),
            starts=np.asarray(starts, dtype=np.int64),
            entries=np.asarray(entries, dtype=np.int64),
            coefficients=np.asarray(coefficients, dtype=np.float64),
            lower=np.asarray([row[2] for row in rows.values()], dtype=np.float64),
            upper=np.asarray([row[3] for row in rows.values()], dtype=np.float64),
            renamed=renamed,
        )

    # --- each person's cheapest schedule -----------------------------------------------------------------

    def schedules(
        self,
        seat: dict[int, float],
        hour: dict[tuple[str, tuple[int, int]], float],
        deadline: float | None = None,
        clock: Callable[[], float] = time.perf_counter,
    ) -> tuple[dict[str, float], dict[str, list[int]]] | None:
        """Each person's least reduced cost over all their pairs (never above 0) and the schedule reaching it.

        The programme runs over the person's shifts in start order: a schedule ending with shift j costs
        j's reduced cost plus its days, plus the best schedule ending before j's start less its rest gap,
        less one day rate when that schedule's last shift ends on the day j starts (a day is paid once).
        """
        if self._chains is None:
            self._chains = [self._chain(member) for member in self.members]
        seat_of = np.zeros(len(self.facts))
        for shift, price in seat.items():
            seat_of[shift] = price
        values: dict[str, float] = {}
        chosen: dict[str, list[int]] = {}
        for count, chain in enumerate(self._chains):
            if deadline is not None and count % 64 == 0 and clock() > deadline:
                return None
            member_id, rate = chain.member_id, chain.rate
            costs = chain.base + seat_of[chain.shifts]
            week_prices = [hour.get((member_id, week), 0.0) for week in chain.weeks]
            if any(week_prices):
                costs += np.asarray(week_prices)[chain.week_of] * chain.hours
            reduced = costs.tolist()
            n = len(reduced)
            by_end, limits, end_day, first_day = chain.by_end, chain.limits, chain.end_day, chain.first_day
            best = [0.0] * n
            back = [-1] * n
            prefix_value, prefix_at = 0.0, -1
            day_best: dict[int, tuple[float, int]] = {}
            pointer = 0
            for k in range(n):
                limit = limits[k]
                while pointer < limit:
                    i = by_end[pointer]
                    value = best[i]
                    if value < prefix_value:
                        prefix_value, prefix_at = value, i
                    last = end_day[pointer]
                    held = day_best.get(last)
                    if held is None or value < held[0]:
                        day_best[last] = (value, i)
                    pointer += 1
                value, at = prefix_value, prefix_at
                shared = day_best.get(first_day[k])
                if shared is not None and shared[0] - rate < value:
                    value, at = shared[0] - rate, shared[1]
                best[k] = reduced[k] + value
                back[k] = at
            low, end_at = 0.0, -1
            for k in range(n):
                if best[k] < low:
                    low, end_at = best[k], k
            values[member_id] = low
            path = []
            shifts = chain.shift_list
            while end_at >= 0:
                path.append(shifts[end_at])
                end_at = back[end_at]
            chosen[member_id] = path
        return values, chosen

    def _chain(self, member: CrewMember) -> _Chain:
        """What the programme needs of a person that no price changes, worked out once."""
        facts = self.facts
        shifts = self.shifts_of[member.id]
        weeks = sorted({facts[shift].week for shift in shifts})
        week_index = {week: index for index, week in enumerate(weeks)}
        by_end = sorted(range(len(shifts)), key=lambda k: facts[shifts[k]].window_end)
        ends = [facts[shifts[k]].window_end for k in by_end]
        return _Chain(
            member_id=member.id,
            rate=member.day_rate,
            shift_list=shifts,
            shifts=np.asarray(shifts, dtype=np.int64),
            base=np.asarray(
                [self.pair_cost(shift, member.id) + member.day_rate * facts[shift].days for shift in shifts]
            ),
            hours=np.asarray([facts[shift].length / 3600 for shift in shifts]),
            weeks=weeks,
            week_of=np.asarray([week_index[facts[shift].week] for shift in shifts], dtype=np.int64),
            by_end=by_end,
            limits=[bisect.bisect_right(ends, facts[shift].start) for shift in shifts],
            end_day=[facts[shifts[k]].last_day for k in by_end],
            first_day=[facts[shift].first_day for shift in shifts],
        )

    def attractive(
        self,
        seat: dict[int, float],
        hour: dict[tuple[str, tuple[int, int]], float],
        candidates: set[tuple[int, str]],
        per_shift: int,
    ) -> set[tuple[int, str]]:
        """Up to ``per_shift`` missing pairs per shift whose reduced cost on its own (seat, hours and days
        priced) is most negative: the columns the LP would take first."""
        seat_of = np.zeros(len(self.facts))
        for shift, price in seat.items():
            seat_of[shift] = price
        hour_of = np.zeros(len(self.week_keys))
        for key, price in hour.items():
            if key in self.week_keys:
                hour_of[self.week_keys[key]] = price
        cost = self.pair_own_cost + seat_of[self.pair_shift] + self.pair_day_cost
        cost += hour_of[self.pair_week] * self.pair_hours
        missing = np.ones(len(self.pair_owner), dtype=bool)
        missing[self._positions(candidates)] = False
        order, place = self._by_shift(cost, missing & (cost < -1e-6))
        return self._pairs(order[place < per_shift])

    def step(
        self,
        seat: dict[int, float],
        hour: dict[tuple[str, tuple[int, int]], float],
        chosen: dict[str, list[int]],
        gap: float,
        scale: float,
    ) -> tuple[dict[int, float], dict[tuple[str, tuple[int, int]], float]]:
        """One projected subgradient step (Polyak's length, ``gap`` the distance to a known plan's cost).

        A seat's price rises when the schedules put more people on the shift than it needs and falls when
        fewer; an hour's price rises when a schedule works a person over the week's limit.
        """
        facts = self.facts
        seats = {index: -float(shift.count) for index, shift in enumerate(self.scenario.shifts)}
        hours: dict[tuple[str, tuple[int, int]], float] = {}
        limits = {member.id: member.max_hours_per_week for member in self.members}
        for member_id, path in chosen.items():
            limit = limits[member_id]
            for shift in path:
                seats[shift] += 1
                if limit is not None:
                    key = (member_id, facts[shift].week)
                    hours[key] = hours.get(key, -limit) + facts[shift].length / 3600
        for key in hour:
            hours.setdefault(key, -(limits[key[0]] or 0.0))
        # Directions that would push a price below zero do not count (the projection removes them).
        seats = {k: g for k, g in seats.items() if g > 0 or seat.get(k, 0.0) > 0}
        hours = {k: g for k, g in hours.items() if g > 0 or hour.get(k, 0.0) > 0}
        norm = sum(g * g for g in seats.values()) + sum(g * g for g in hours.values())
        if norm <= 0:
            return seat, hour
        length = scale * max(gap, 0.0) / norm
        new_seat = dict(seat)
        for key, g in seats.items():
            new_seat[key] = max(0.0, seat.get(key, 0.0) + length * g)
        new_hour = dict(hour)
        for key, g in hours.items():
            new_hour[key] = max(0.0, hour.get(key, 0.0) + length * g)
        return new_seat, new_hour

    def bound(
        self,
        seat: dict[int, float],
        hour: dict[tuple[str, tuple[int, int]], float],
        values: dict[str, float],
    ) -> tuple[float, dict[str, float], dict[str, float]]:
        """The Lagrangian bound of the whole crew for these prices, and its pieces by shift and person."""
        shift_terms = {}
        for index, shift in enumerate(self.scenario.shifts):
            shift_terms[shift.id] = self.constant_of[shift.id] - seat.get(index, 0.0) * shift.count
        person_terms: dict[str, float] = {member.id: values.get(member.id, 0.0) for member in self.members}
        limits = {member.id: member.max_hours_per_week for member in self.members}
        for (member_id, _week), price in hour.items():
            person_terms[member_id] -= price * (limits[member_id] or 0.0)
        total = sum(shift_terms.values()) + sum(person_terms.values())
        return total - _SAFETY * abs(total), shift_terms, person_terms


def needs_pricing(pairs: dict[str, list[int]]) -> bool:
    """Whether a crew of these qualified pairs (by person) is too big to go into the model whole."""
    return sum(len(shifts) for shifts in pairs.values()) > PRICING_PAIRS


def price_crew(
    scenario: Scenario,
    *,
    hint: Plan | None,
    deadline: float,
    clock: Callable[[], float] = time.perf_counter,
    pairs: dict[str, list[int]] | None = None,
    workers: int = 1,
    on_candidates: Callable[[set[tuple[str, str]]], None] | None = None,
    on_bound: Callable[[CrewPricing], None] | None = None,
) -> CrewPricing | None:
    """The candidates and bound of the module docstring, or None when the crew is small enough to take whole
    (or pricing cannot finish by ``deadline``); ``workers`` weeks' LPs solve at once.

    For a caller that builds its model while the rounds go on (see apart.py): ``on_candidates`` is given the
    candidates once, after ``CANDIDATE_ROUNDS`` rounds (later rounds add pairs for the bound's sake, not the
    model's), and ``on_bound`` each better bound as it is proven, without candidates."""
    started = clock()
    pairs = crew_pairs(scenario) if pairs is None else pairs
    total = sum(len(shifts) for shifts in pairs.values())
    if not needs_pricing(pairs):
        return None
    pricer = _Pricer(scenario, pairs, workers=workers)
    extra: set[tuple[str, str]] = {(b.shift, b.crew) for b in scenario.bookings}
    extra |= {(p.shift, p.crew) for p in scenario.crew_pins}
    if hint is not None:
        extra |= {(a.shift, a.crew) for a in hint.crew}
    if scenario.previous_plan is not None:
        extra |= {(a.shift, a.crew) for a in scenario.previous_plan.crew}
    candidates = pricer.first_candidates(extra)
    shift_ids = [shift.id for shift in scenario.shifts]

    def pricing_of(chosen: set[tuple[int, str]], *, last: bool = False) -> CrewPricing:
        """The best bound so far, with ``chosen`` for candidates (and the LP's pairs when ``last``)."""
        assert best is not None
        lp = pricer.lp_pairs() if last else {}
        return CrewPricing(
            candidates={(shift_ids[shift], member_id) for shift, member_id in chosen},
            pairs=total,
            bound=best[0],
            shift_terms=best[1],
            person_terms=best[2],
            seat_prices={shift_ids[shift]: price for shift, price in best_prices[0].items()},
            hour_prices=best_prices[1],
            rounds=rounds,
            seconds=clock() - started,
            lp_pairs={(shift_ids[shift], member_id): value for (shift, member_id), value in lp.items()},
        )

    best: tuple[float, dict[str, float], dict[str, float]] | None = None
    best_prices: tuple[dict[int, float], dict[tuple[str, tuple[int, int]], float]] = ({}, {})
    rounds = 0
    prices = None
    # A round is begun when all but its allowed overrun (see _LAST_ROUND_SHARE) of its expected time is left,
    # and may then run to its expected end past ``deadline``; a step only when its whole time is left. One cut
    # off is lost.
    round_seconds = 0.2
    step_seconds = 0.0
    stalled = 0
    for _ in range(_ROUNDS):
        began = clock()
        left = deadline - began
        overrun = min(_LAST_ROUND_SHARE * round_seconds, _OVERRUN_SHARE * (deadline - started))
        if left <= max(0.0, round_seconds - overrun):
            break
        round_end = began + max(left, round_seconds)
        # The programme's time is known after the first round; until then it gets half, as the LP.
        programme_seconds = step_seconds or (round_end - began) / 2
        prices = pricer.lp_prices(
            candidates, deadline=round_end - programme_seconds, clock=clock, fallback=prices
        )
        if prices is None:
            break
        seat, hour = prices
        programme_began = clock()
        lp_seconds = programme_began - began
        result = pricer.schedules(seat, hour, deadline=max(deadline, round_end), clock=clock)
        if result is None:
            break
        step_seconds = clock() - programme_began
        rounds += 1
        values, chosen = result
        bound = pricer.bound(seat, hour, values)
        if best is None or bound[0] > best[0] + _STALL_GAIN * abs(best[0]):
            stalled = 0
        elif bound[0] >= best[0] - _STALL_SPREAD * abs(best[0]):
            stalled += 1
        proven = best[0] if best is not None else None
        if best is None or bound[0] > best[0]:
            best, best_prices = bound, (seat, hour)
        if rounds == 1 and deadline - clock() > step_seconds:
            # The first LP's prices give columns, but rarely a bound: the market's prices give one.
            market = pricer.market_prices(seat)
            priced = pricer.schedules(market, hour, deadline=deadline, clock=clock)
            if priced is not None:
                market_bound = pricer.bound(market, hour, priced[0])
                if market_bound[0] > best[0]:
                    best, best_prices = market_bound, (market, hour)
        if on_bound is not None and (proven is None or best[0] > proven):
            on_bound(pricing_of(set()))
        logger.debug(
            "pricing round %d: %d candidates, LP %.2f s, programme %.2f s, bound %.0f (best %.0f)",
            rounds,
            len(candidates),
            lp_seconds,
            step_seconds,
            bound[0],
            best[0],
        )
        if stalled >= _STALL_ROUNDS:
            break
        new = {(shift, member_id) for member_id, path in chosen.items() for shift in path} - candidates
        new |= pricer.attractive(seat, hour, candidates, _ATTRACTIVE_PER_SHIFT)
        if not new:
            break
        # The next round's LP has the new candidates too and takes longer in proportion; the programme runs
        # over all pairs whatever the candidates, so it takes as long again.
        round_seconds = lp_seconds * (len(candidates) + len(new)) / len(candidates) + step_seconds
        candidates |= new
        if on_candidates is not None and rounds == CANDIDATE_ROUNDS:
            on_candidates({(shift_ids[shift], member_id) for shift, member_id in candidates})
            on_candidates = None
    if best is None:
        return None
    # Then, unless the rounds stalled, subgradient steps from the last LP's prices try to improve them
    # for what time is left.
    ceiling = _crew_cost(hint, pricer) if hint is not None else None
    priced_bound, steps = best[0], 0
    if ceiling is not None and stalled < _STALL_ROUNDS:
        scale = 1.0
        for iteration in range(_STEPS):
            began = clock()
            if deadline - began <= step_seconds:
                break
            if iteration and iteration % _HALVE_EVERY == 0:
                scale /= 2
            seat, hour = pricer.step(seat, hour, chosen, ceiling - bound[0], scale)
            result = pricer.schedules(seat, hour, deadline=deadline, clock=clock)
            if result is None:
                break
            values, chosen = result
            bound = pricer.bound(seat, hour, values)
            if bound[0] > best[0]:
                best, best_prices = bound, (seat, hour)
                if on_bound is not None:
                    on_bound(pricing_of(set()))
            step_seconds = max(step_seconds, clock() - began)
            steps += 1
    logger.debug(
        "pricing: %d rounds (bound %.0f), %d steps, best bound %.0f after %.2f s",
        rounds,
        priced_bound,
        steps,
        best[0],
        clock() - started,
    )
    return pricing_of(candidates, last=True)


def _crew_cost(plan: Plan, pricer: _Pricer) -> float:
    """The crew's share of a valid plan's objective (seats left empty, day rates, churn): a ceiling of the
    bound that sizes the subgradient steps."""
    scenario = pricer.scenario
    placed: dict[str, int] = defaultdict(int)
    days: dict[str, set[int]] = defaultdict(set)
    position = {shift.id: index for index, shift in enumerate(scenario.shifts)}
    total = sum(pricer.constant_of.values())
    for assignment in plan.crew:
        index = position[assignment.shift]
        placed[assignment.shift] += 1
        total += pricer.pair_cost(index, assignment.crew)
        fact = pricer.facts[index]
        days[assignment.crew].update(range(fact.first_day, fact.last_day + 1))
    rates = {member.id: member.day_rate for member in scenario.crew}
    return total + sum(rates[member_id] * len(worked) for member_id, worked in days.items())
