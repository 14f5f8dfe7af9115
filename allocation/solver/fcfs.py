"""The naive first-come-first-served baseline: what classic rental software does when it reserves.

Bookings and pins are placed first so that they always hold. Then jobs are served in ``booked_at`` order
(ties by job id, jobs without a date last). Each gear requirement takes the best free own stock (highest
quality first), then the cheapest vendor offer that can serve it, and whatever is left is a shortage. Each
shift takes the cheapest free qualified people. Nothing is ever revisited, which is the point of a baseline.
"""

from __future__ import annotations

import time
from bisect import bisect_left, insort
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from allocation.solver.scenario import (
    CrewAssignment,
    CrewMember,
    GearAllocation,
    GearRequirement,
    Job,
    Plan,
    Scenario,
    Shift,
    Shortage,
    SubRental,
    Unfilled,
    format_time,
    hours_between,
    iso_week,
)

# Float sums of shift hours must not refuse a week that lands exactly on the limit.
_HOURS_EPSILON = 1e-9


class Timeline:
    """Units in use over time of one product or vendor offer, queried for the peak over a window."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._uses: list[tuple[datetime, datetime, int]] = []
        self._longest = timedelta(0)

    def add(self, start: datetime, end: datetime, quantity: int) -> None:
        """Mark ``quantity`` units in use over ``[start, end)``."""
        if quantity > 0:
            insort(self._uses, (start, end, quantity))
            self._longest = max(self._longest, end - start)

    def free(self, start: datetime, end: datetime) -> int:
        """Units free over the whole of ``[start, end)``."""
        return self.capacity - self._peak(start, end)

    def _peak(self, start: datetime, end: datetime) -> int:
        # Only uses starting within one longest-use length before the window can still reach into it.
        low = bisect_left(self._uses, (start - self._longest,))
        high = bisect_left(self._uses, (end,))
        deltas: list[tuple[datetime, int]] = []
        for use_start, use_end, quantity in self._uses[low:high]:
            if use_end > start:
                deltas.append((max(use_start, start), quantity))
                deltas.append((use_end, -quantity))
        # At equal moments ends (negative) sort before starts: intervals are half-open.
        deltas.sort()
        load = peak = 0
        for _, delta in deltas:
            load += delta
            peak = max(peak, load)
        return peak


@dataclass
class _Roster:
    """One person's placed shifts (sorted, never clashing) and hours per ISO week."""

    member: CrewMember
    starts: list[datetime] = field(default_factory=list)
    shifts: list[Shift] = field(default_factory=list)
    week_hours: dict[tuple[int, int], float] = field(default_factory=lambda: defaultdict(float))

    def refusal(self, shift: Shift, rest: timedelta) -> str | None:
        """Why this person cannot take the shift, or None when they can."""
        if not self.member.qualifies(shift):
            level = self.member.skills.get(shift.role, 0)
            return f"{self.member.id!r} has {shift.role!r} level {level}, below {shift.min_level}"
        for window in self.member.unavailable:
            if shift.start < window.end and window.start < shift.end:
                return f"{self.member.id!r} is unavailable from {format_time(window.start)}"
        limit = self.member.max_hours_per_week
        if limit is not None:
            hours = self.week_hours[iso_week(shift.start)] + hours_between(shift.start, shift.end)
            if hours > limit + _HOURS_EPSILON:
                return f"{self.member.id!r} would work {hours:g} h that week, over {limit:g}"
        # Placed shifts keep the rest gap among themselves, so only the two neighbours can clash.
        index = bisect_left(self.starts, shift.start)
        for neighbour in self.shifts[max(index - 1, 0) : index + 1]:
            if neighbour.start < shift.end + rest and shift.start < neighbour.end + rest:
                return f"{self.member.id!r} works {neighbour.id!r} within the rest gap"
        return None

    def place(self, shift: Shift) -> None:
        """Add the shift to this person's roster."""
        index = bisect_left(self.starts, shift.start)
        self.starts.insert(index, shift.start)
        self.shifts.insert(index, shift)
        self.week_hours[iso_week(shift.start)] += hours_between(shift.start, shift.end)


class _State:
    """Stock, vendor and crew timelines shared by the fixed decisions and the FCFS pass."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.rest = timedelta(hours=scenario.settings.rest_hours)
        self.stock: dict[str, Timeline] = {}
        for product in scenario.products:
            timeline = Timeline(product.owned)
            for window in product.out_of_service:
                timeline.add(window.start, window.end, window.quantity)
            self.stock[product.id] = timeline
        self.offers: dict[tuple[str, str], Timeline] = {
            (vendor.id, offer.capability): Timeline(offer.max_quantity)
            for vendor in scenario.vendors
            for offer in vendor.offers
        }
        self.rosters = {member.id: _Roster(member) for member in scenario.crew}
        self.gear: dict[tuple[str, str], int] = defaultdict(int)
        self.subrentals: dict[tuple[str, str], int] = defaultdict(int)
        self.people: dict[str, list[str]] = defaultdict(list)
        self.pinned_products: dict[str, set[str]] = defaultdict(set)
        self.conflicts: list[dict[str, Any]] = []

    def busy_window(self, requirement: GearRequirement, product_id: str) -> tuple[datetime, datetime]:
        """A unit on the requirement is busy until its turnaround is over."""
        turnaround = timedelta(hours=self.scenario.product_by_id[product_id].turnaround_hours)
        return requirement.start, requirement.end + turnaround

    def use_product(self, requirement: GearRequirement, product_id: str, quantity: int) -> None:
        """Reserve own units of a product for a requirement."""
        self.stock[product_id].add(*self.busy_window(requirement, product_id), quantity)
        self.gear[(requirement.id, product_id)] += quantity

    def assign(self, shift: Shift, person: str) -> None:
        """Put a person on a shift."""
        self.rosters[person].place(shift)
        self.people[shift.id].append(person)


def place_gear_pins(state: _State) -> None:
    """Reserve every pinned quantity first; a pin that does not fit is a conflict."""
    scenario = state.scenario
    pinned_total: dict[str, int] = defaultdict(int)
    for pin in scenario.gear_pins:
        requirement = scenario.requirement_by_id[pin.requirement]
        conflict = {"kind": "pin", "requirement": pin.requirement, "product": pin.product}
        providers = {
            provider.product for provider in scenario.capability_by_id[requirement.capability].providers
        }
        if pin.product in state.pinned_products[requirement.id]:
            state.conflicts.append(
                {**conflict, "reason": f"{pin.product!r} is pinned twice on this requirement"}
            )
        elif pin.product not in providers:
            reason = f"{pin.product!r} does not provide {requirement.capability!r}"
            state.conflicts.append({**conflict, "reason": reason})
        elif pinned_total[requirement.id] + pin.quantity > requirement.quantity:
            reason = f"pins on {requirement.id!r} add up to more than its quantity {requirement.quantity}"
            state.conflicts.append({**conflict, "reason": reason})
        elif state.stock[pin.product].free(*state.busy_window(requirement, pin.product)) < pin.quantity:
            reason = (
                f"fewer than {pin.quantity} units of {pin.product!r} are free over the requirement's window"
            )
            state.conflicts.append({**conflict, "reason": reason})
        else:
            state.use_product(requirement, pin.product, pin.quantity)
            pinned_total[requirement.id] += pin.quantity
        state.pinned_products[requirement.id].add(pin.product)


def place_fixed_crew(state: _State) -> None:
    """Put every booked and pinned person on their shift first; one that cannot be placed is a conflict."""
    scenario = state.scenario
    fixed = [("booking", b.shift, b.crew) for b in scenario.bookings]
    fixed += [("pin", p.shift, p.crew) for p in scenario.crew_pins]
    for kind, shift_id, person in fixed:
        shift = scenario.shift_by_id[shift_id]
        if person in state.people[shift_id]:
            continue  # a booking that is also pinned holds once
        reason = state.rosters[person].refusal(shift, state.rest)
        if reason is None and len(state.people[shift_id]) >= shift.count:
            reason = f"{shift_id!r} already has its {shift.count} people from bookings and pins"
        if reason is None:
            state.assign(shift, person)
        else:
            state.conflicts.append({"kind": kind, "shift": shift_id, "crew": person, "reason": reason})


def serve_requirement(state: _State, requirement: GearRequirement) -> int:
    """Best own stock first, then the cheapest serving vendors; return the units left short."""
    scenario = state.scenario
    pinned = state.pinned_products[requirement.id]
    remaining = requirement.quantity - sum(state.gear[(requirement.id, product)] for product in pinned)
    providers = sorted(
        scenario.capability_by_id[requirement.capability].providers, key=lambda p: (-p.quality, p.product)
    )
    for provider in providers:
        if remaining <= 0:
            break
        if provider.product in pinned:
            continue
        free = state.stock[provider.product].free(*state.busy_window(requirement, provider.product))
        taken = min(max(free, 0), remaining)
        if taken:
            state.use_product(requirement, provider.product, taken)
            remaining -= taken
    offers = sorted(
        (offer.unit_cost_per_day, vendor.id, offer)
        for vendor in scenario.vendors
        for offer in vendor.offers
        if scenario.vendor_offer_serves(offer, requirement)
    )
    for _, vendor_id, offer in offers:
        if remaining <= 0:
            break
        timeline = state.offers[(vendor_id, offer.capability)]
        taken = min(max(timeline.free(requirement.start, requirement.end), 0), remaining)
        if taken:
            timeline.add(requirement.start, requirement.end, taken)
            state.subrentals[(requirement.id, vendor_id)] += taken
            remaining -= taken
    return remaining


def staff_shift(state: _State, shift: Shift, candidates: list[CrewMember]) -> int:
    """Cheapest free qualified people first; return how many are still missing."""
    placed = state.people[shift.id]
    for member in candidates:
        if len(placed) >= shift.count:
            break
        if member.id not in placed and state.rosters[member.id].refusal(shift, state.rest) is None:
            state.assign(shift, member.id)
    return shift.count - len(placed)


def job_order(job: Job) -> tuple[bool, datetime | None, str]:
    """booked_at first come first served, ties by job id, undated jobs last."""
    return (job.booked_at is None, job.booked_at, job.id)


def solve(scenario: Scenario, *, time_limit: float | None = None, workers: int | None = None) -> Plan:
    """Plan the season first come first served; ``time_limit`` and ``workers`` are accepted and ignored."""
    started = time.perf_counter()
    state = _State(scenario)
    place_gear_pins(state)
    place_fixed_crew(state)
    if state.conflicts:
        return Plan(
            status="infeasible",
            conflicts=state.conflicts,
            solve_seconds=time.perf_counter() - started,
            solver="fcfs",
        )

    by_price = sorted(scenario.crew, key=lambda member: (member.day_rate, member.id))
    candidates_by_role: dict[str, list[CrewMember]] = defaultdict(list)
    for member in by_price:
        for role in member.skills:
            candidates_by_role[role].append(member)

    qualified: dict[tuple[str, int], list[CrewMember]] = {}
    shortages: list[Shortage] = []
    unfilled: list[Unfilled] = []
    for job in sorted(scenario.jobs, key=job_order):
        for requirement in job.gear:
            short = serve_requirement(state, requirement)
            if short > 0:
                shortages.append(Shortage(requirement.id, short))
        for shift in job.shifts:
            key = (shift.role, shift.min_level)
            if key not in qualified:
                qualified[key] = [m for m in candidates_by_role[shift.role] if m.qualifies(shift)]
                if shift.min_level <= 0:
                    qualified[key] = by_price  # level 0 asks for no skill at all
            missing = staff_shift(state, shift, qualified[key])
            if missing > 0:
                unfilled.append(Unfilled(shift.id, missing))

    plan = Plan(
        status="feasible",
        gear=[GearAllocation(req, product, qty) for (req, product), qty in state.gear.items() if qty > 0],
        subrentals=[
            SubRental(req, vendor, qty) for (req, vendor), qty in state.subrentals.items() if qty > 0
        ],
        shortages=shortages,
        crew=[CrewAssignment(shift, person) for shift, people in state.people.items() for person in people],
        unfilled=unfilled,
        solver="fcfs",
    )
    # Imported here so the baseline's algorithm does not depend on how the objective is priced.
    from allocation.solver.costs import finish_plan

    finish_plan(scenario, plan)
    plan.solve_seconds = time.perf_counter() - started
    return plan
