"""The independent checker of SCENARIO.md: every broken rule of a plan, and its cost recomputed from scratch.

Written apart from ``costs.py`` and the solvers on purpose: it imports only the scenario model, so a solver
and its cost function cannot agree on a misreading that the checker would then share.

Readings taken where the contract leaves room:

- Churn counts only requirements and shifts that exist in the current scenario: rows of ``previous_plan`` for
  a requirement or shift that is gone are ignored (a cancelled job is not churn). Sub-rentals are not part of
  churn (the contract counts (requirement, product) pairs and (shift, person) pairs). With no
  ``previous_plan`` churn is 0.
- A shortage or unfilled row with quantity 0 is accepted; a requirement or shift without a row must have
  nothing missing.
- Capacity is only reported where units are actually busy: out-of-service windows larger than the stock are
  the scenario's problem, not the plan's.
- A row with quantity 0 is harmless: it need not name a provider, a serving offer or satisfy lead time, but
  its ids must still exist.
- For an ``infeasible`` or ``timeout-no-solution`` plan only the conflicts are checked (an infeasible plan
  must name at least one); its recomputed costs are all 0.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from allocation.solver.scenario import (
    COST_PARTS,
    PLAN_STATUSES,
    Plan,
    Scenario,
    Shift,
    VendorOffer,
    days_touched,
    format_time,
    hours_between,
    iso_week,
)

RELATIVE_TOLERANCE = 1e-6
ABSOLUTE_TOLERANCE = 1e-6
# Hours are sums of floats; a week at exactly the limit must not fail on rounding.
HOURS_EPSILON = 1e-9


@dataclass
class CheckReport:
    """What the checker found: the broken rules and the six cost parts recomputed from the plan alone."""

    violations: list[str] = field(default_factory=list)
    costs: dict[str, float] = field(default_factory=lambda: dict.fromkeys(COST_PARTS, 0.0))
    objective: float = 0.0

    @property
    def ok(self) -> bool:
        """True when no rule is broken and the plan's stated costs match (a mismatch is a violation)."""
        return not self.violations


def validate(scenario: Scenario, plan: Plan) -> CheckReport:
    """Check every rule of SCENARIO.md on the plan and recompute its costs."""
    if plan.status not in PLAN_STATUSES:
        return CheckReport([f"plan status {plan.status!r} is not one of {', '.join(PLAN_STATUSES)}"])
    if plan.status in ("infeasible", "timeout-no-solution"):
        return CheckReport(check_conflicts_named(plan))
    violations: list[str] = []
    for rule in RULES:
        violations.extend(rule(scenario, plan))
    costs = plan_costs(scenario, plan)
    objective = sum(costs.values())
    violations.extend(check_stated_costs(plan, costs, objective))
    return CheckReport(violations, costs, objective)


def plan_costs(scenario: Scenario, plan: Plan) -> dict[str, float]:
    """The six cost parts of the objective, recomputed from the plan's rows."""
    return {
        "shortage": shortage_cost(scenario, plan),
        "subrental": subrental_cost(scenario, plan),
        "substitution": substitution_cost(scenario, plan),
        "crew": crew_cost(scenario, plan),
        "unfilled": unfilled_cost(scenario, plan),
        "churn": churn_cost(scenario, plan),
    }


# --- shared views of the plan -------------------------------------------------------------------------------


def _offer(scenario: Scenario, vendor_id: str, capability: str) -> VendorOffer | None:
    vendor = scenario.vendor_by_id.get(vendor_id)
    if vendor is None:
        return None
    return next((offer for offer in vendor.offers if offer.capability == capability), None)


def _quality(scenario: Scenario, capability: str, product: str) -> float | None:
    providers = scenario.capability_by_id[capability].providers
    return next((provider.quality for provider in providers if provider.product == product), None)


def _covered(scenario: Scenario, plan: Plan) -> tuple[Counter[str], Counter[str]]:
    """Own and sub-rented units per known requirement."""
    own: Counter[str] = Counter()
    subrented: Counter[str] = Counter()
    for row in plan.gear:
        if row.requirement in scenario.requirement_by_id:
            own[row.requirement] += row.quantity
    for row in plan.subrentals:
        if row.requirement in scenario.requirement_by_id:
            subrented[row.requirement] += row.quantity
    return own, subrented


def _shortage_units(scenario: Scenario, plan: Plan) -> dict[str, int]:
    """quantity - own - subrented per requirement (negative when over-allocated)."""
    own, subrented = _covered(scenario, plan)
    return {req.id: req.quantity - own[req.id] - subrented[req.id] for req in scenario.requirements}


def _people_by_shift(scenario: Scenario, plan: Plan) -> dict[str, set[str]]:
    """The distinct known people on each known shift."""
    people: dict[str, set[str]] = defaultdict(set)
    for row in plan.crew:
        if row.shift in scenario.shift_by_id and row.crew in scenario.crew_by_id:
            people[row.shift].add(row.crew)
    return people


def _shifts_by_person(scenario: Scenario, plan: Plan) -> dict[str, list[Shift]]:
    """Each known person's distinct known shifts, by start."""
    shifts: dict[str, list[Shift]] = defaultdict(list)
    for shift_id, people in _people_by_shift(scenario, plan).items():
        for person in people:
            shifts[person].append(scenario.shift_by_id[shift_id])
    for person_shifts in shifts.values():
        person_shifts.sort(key=lambda shift: (shift.start, shift.end, shift.id))
    return shifts


def _missing_people(scenario: Scenario, plan: Plan) -> dict[str, int]:
    """count - distinct people assigned, per shift (negative when over-staffed)."""
    people = _people_by_shift(scenario, plan)
    return {shift.id: shift.count - len(people.get(shift.id, ())) for shift in scenario.shifts}


def _sweep(
    intervals: list[tuple[datetime, datetime, int]], checkpoints: set[datetime]
) -> dict[datetime, int]:
    """Total quantity of the half-open intervals that contain each checkpoint, in one sorted pass."""
    deltas: dict[datetime, int] = defaultdict(int)
    for start, end, quantity in intervals:
        deltas[start] += quantity
        deltas[end] -= quantity
    load, loads = 0, {}
    for moment in sorted(set(deltas) | checkpoints):
        load += deltas.get(moment, 0)
        if moment in checkpoints:
            loads[moment] = load
    return loads


# --- rules -------------------------------------------------------------------------------------------------


def check_conflicts_named(plan: Plan) -> list[str]:
    """An infeasible plan names the bookings and pins that cannot all hold."""
    if plan.status == "infeasible" and not plan.conflicts:
        return ["plan is infeasible but lists no conflicts"]
    return []


def check_references(scenario: Scenario, plan: Plan) -> list[str]:
    """Every row names existing ids; used products provide the capability, used vendors offer it."""
    found = []
    for row in plan.gear:
        requirement = scenario.requirement_by_id.get(row.requirement)
        if requirement is None:
            found.append(f"gear row names unknown requirement {row.requirement!r}")
        elif row.product not in scenario.product_by_id:
            found.append(f"gear row on {row.requirement!r} names unknown product {row.product!r}")
        elif row.quantity > 0 and _quality(scenario, requirement.capability, row.product) is None:
            found.append(
                f"product {row.product!r} on {row.requirement!r} does not provide {requirement.capability!r}"
            )
    for row in plan.subrentals:
        requirement = scenario.requirement_by_id.get(row.requirement)
        if requirement is None:
            found.append(f"sub-rental row names unknown requirement {row.requirement!r}")
        elif row.vendor not in scenario.vendor_by_id:
            found.append(f"sub-rental on {row.requirement!r} names unknown vendor {row.vendor!r}")
        elif row.quantity > 0 and _offer(scenario, row.vendor, requirement.capability) is None:
            found.append(
                f"vendor {row.vendor!r} on {row.requirement!r} has no offer for {requirement.capability!r}"
            )
    for row in plan.crew:
        if row.shift not in scenario.shift_by_id:
            found.append(f"crew row names unknown shift {row.shift!r}")
        elif row.crew not in scenario.crew_by_id:
            found.append(f"crew row on {row.shift!r} names unknown crew member {row.crew!r}")
    found += [
        f"shortage row names unknown requirement {row.requirement!r}"
        for row in plan.shortages
        if row.requirement not in scenario.requirement_by_id
    ]
    found += [
        f"unfilled row names unknown shift {row.shift!r}"
        for row in plan.unfilled
        if row.shift not in scenario.shift_by_id
    ]
    return found


def check_non_negative_quantities(scenario: Scenario, plan: Plan) -> list[str]:
    """No row carries a negative quantity."""
    rows = [
        *(("gear", f"{r.requirement!r}/{r.product!r}", r.quantity) for r in plan.gear),
        *(("sub-rental", f"{r.requirement!r}/{r.vendor!r}", r.quantity) for r in plan.subrentals),
        *(("shortage", repr(r.requirement), r.quantity) for r in plan.shortages),
        *(("unfilled", repr(r.shift), r.missing) for r in plan.unfilled),
    ]
    return [
        f"{kind} row {ids} has negative quantity {quantity}" for kind, ids, quantity in rows if quantity < 0
    ]


def check_duplicate_rows(scenario: Scenario, plan: Plan) -> list[str]:
    """No two rows for the same (requirement, product), (requirement, vendor), (shift, crew) or shortage."""
    keyed = {
        "gear": Counter((r.requirement, r.product) for r in plan.gear),
        "sub-rental": Counter((r.requirement, r.vendor) for r in plan.subrentals),
        "crew": Counter((r.shift, r.crew) for r in plan.crew),
        "shortage": Counter((r.requirement,) for r in plan.shortages),
        "unfilled": Counter((r.shift,) for r in plan.unfilled),
    }
    return [
        f"{kind} row {'/'.join(repr(part) for part in key)} appears {count} times"
        for kind, counter in keyed.items()
        for key, count in counter.items()
        if count > 1
    ]


def check_requirement_coverage(scenario: Scenario, plan: Plan) -> list[str]:
    """own + subrented + shortage == quantity; nothing over-allocated; listed shortages match."""
    found = []
    listed = Counter()
    for row in plan.shortages:
        listed[row.requirement] += row.quantity
    for requirement_id, shortage in _shortage_units(scenario, plan).items():
        if shortage < 0:
            needed = scenario.requirement_by_id[requirement_id].quantity
            found.append(
                f"requirement {requirement_id!r} is over-allocated: {needed - shortage} units for {needed}"
            )
        elif listed.get(requirement_id, 0) != shortage:
            found.append(
                f"requirement {requirement_id!r} is short {shortage} units but the plan lists "
                f"{listed.get(requirement_id, 0)}"
            )
    return found


def check_shift_coverage(scenario: Scenario, plan: Plan) -> list[str]:
    """At most count people on a shift; listed missing people match count - assigned."""
    found = []
    listed = Counter()
    for row in plan.unfilled:
        listed[row.shift] += row.missing
    for shift_id, missing in _missing_people(scenario, plan).items():
        if missing < 0:
            count = scenario.shift_by_id[shift_id].count
            found.append(f"shift {shift_id!r} has {count - missing} people for {count} places")
        elif listed.get(shift_id, 0) != missing:
            found.append(
                f"shift {shift_id!r} misses {missing} people but the plan lists {listed.get(shift_id, 0)}"
            )
    return found


def check_product_capacity(scenario: Scenario, plan: Plan) -> list[str]:
    """Busy units (with turnaround) never exceed owned minus out of service, at any moment."""
    busy: dict[str, list[tuple[datetime, datetime, int, str]]] = defaultdict(list)
    for row in plan.gear:
        requirement = scenario.requirement_by_id.get(row.requirement)
        product = scenario.product_by_id.get(row.product)
        if requirement is None or product is None or row.quantity <= 0:
            continue
        end = requirement.end + timedelta(hours=product.turnaround_hours)
        busy[product.id].append((requirement.start, end, row.quantity, requirement.id))
    found = []
    for product_id, intervals in busy.items():
        product = scenario.product_by_id[product_id]
        windows = product.out_of_service
        checkpoints = {start for start, _, _, _ in intervals} | {window.start for window in windows}
        in_use = _sweep([(start, end, quantity) for start, end, quantity, _ in intervals], checkpoints)
        out = _sweep([(w.start, w.end, w.quantity) for w in windows], checkpoints)
        for moment in sorted(checkpoints):
            available = product.owned - out[moment]
            if in_use[moment] > 0 and in_use[moment] > available:
                users = sorted(label for start, end, _, label in intervals if start <= moment < end)
                found.append(
                    f"product {product_id!r} is over capacity at {format_time(moment)}: "
                    f"{in_use[moment]} units busy ({', '.join(users)}) but only {available} available "
                    f"({product.owned} owned, {out[moment]} out of service)"
                )
    return found


def check_vendor_lead_time(scenario: Scenario, plan: Plan) -> list[str]:
    """A sub-rental starts at least the offer's lead time after now."""
    found = []
    for row in plan.subrentals:
        requirement = scenario.requirement_by_id.get(row.requirement)
        if requirement is None or row.quantity <= 0:
            continue
        offer = _offer(scenario, row.vendor, requirement.capability)
        if offer is not None and not scenario.vendor_offer_serves(offer, requirement):
            assert scenario.now is not None  # without a now every offer serves
            found.append(
                f"vendor {row.vendor!r} cannot serve {requirement.id!r}: it starts "
                f"{hours_between(scenario.now, requirement.start):g} h after now, lead time is "
                f"{offer.lead_time_hours:g} h"
            )
    return found


def check_vendor_max_quantity(scenario: Scenario, plan: Plan) -> list[str]:
    """At most max_quantity units of one offer are out at any moment."""
    out: dict[tuple[str, str], list[tuple[datetime, datetime, int, str]]] = defaultdict(list)
    for row in plan.subrentals:
        requirement = scenario.requirement_by_id.get(row.requirement)
        if requirement is None or row.quantity <= 0:
            continue
        if _offer(scenario, row.vendor, requirement.capability) is not None:
            key = (row.vendor, requirement.capability)
            out[key].append((requirement.start, requirement.end, row.quantity, requirement.id))
    found = []
    for (vendor_id, capability), intervals in out.items():
        offer = _offer(scenario, vendor_id, capability)
        assert offer is not None
        checkpoints = {start for start, _, _, _ in intervals}
        in_use = _sweep([(start, end, quantity) for start, end, quantity, _ in intervals], checkpoints)
        for moment in sorted(checkpoints):
            if in_use[moment] > offer.max_quantity:
                users = sorted(label for start, end, _, label in intervals if start <= moment < end)
                found.append(
                    f"vendor {vendor_id!r} has {in_use[moment]} units of {capability!r} out at "
                    f"{format_time(moment)} ({', '.join(users)}), more than its max_quantity "
                    f"{offer.max_quantity}"
                )
    return found


def check_crew_skills(scenario: Scenario, plan: Plan) -> list[str]:
    """Everyone on a shift has skills[role] >= min_level."""
    found = []
    for shift_id, people in _people_by_shift(scenario, plan).items():
        shift = scenario.shift_by_id[shift_id]
        for person in sorted(people):
            level = scenario.crew_by_id[person].skills.get(shift.role, 0)
            if level < shift.min_level:
                found.append(
                    f"crew member {person!r} on {shift_id!r} has {shift.role!r} level {level}, "
                    f"below the required {shift.min_level}"
                )
    return found


def check_crew_overlap_and_rest(scenario: Scenario, plan: Plan) -> list[str]:
    """One person's shifts never overlap and are at least rest_hours apart."""
    rest = timedelta(hours=scenario.settings.rest_hours)
    found = []
    for person, shifts in sorted(_shifts_by_person(scenario, plan).items()):
        for index, first in enumerate(shifts):
            # Sorted by start: once a later shift starts a full rest after this one ends, all others do too.
            for second in shifts[index + 1 :]:
                if second.start >= first.end + rest:
                    break
                if second.start < first.end:
                    found.append(
                        f"crew member {person!r} works overlapping shifts {first.id!r} and {second.id!r}"
                    )
                else:
                    found.append(
                        f"crew member {person!r} rests only {hours_between(first.end, second.start):g} h "
                        f"between {first.id!r} and {second.id!r}, "
                        f"less than {scenario.settings.rest_hours:g} h"
                    )
    return found


def check_crew_availability(scenario: Scenario, plan: Plan) -> list[str]:
    """Nobody works a shift that overlaps one of their unavailable intervals."""
    found = []
    for person, shifts in sorted(_shifts_by_person(scenario, plan).items()):
        for window in scenario.crew_by_id[person].unavailable:
            found += [
                f"crew member {person!r} is unavailable from {format_time(window.start)} to "
                f"{format_time(window.end)} but works {shift.id!r}"
                for shift in shifts
                if shift.start < window.end and window.start < shift.end
            ]
    return found


def check_weekly_hours(scenario: Scenario, plan: Plan) -> list[str]:
    """Hours of shifts starting in one ISO week stay within max_hours_per_week."""
    found = []
    for person, shifts in sorted(_shifts_by_person(scenario, plan).items()):
        limit = scenario.crew_by_id[person].max_hours_per_week
        if limit is None:
            continue
        hours: dict[tuple[int, int], float] = defaultdict(float)
        for shift in shifts:
            hours[iso_week(shift.start)] += hours_between(shift.start, shift.end)
        for (year, week), total in sorted(hours.items()):
            if total > limit + HOURS_EPSILON:
                found.append(
                    f"crew member {person!r} works {total:g} h in ISO week {year}-W{week:02d}, "
                    f"more than max_hours_per_week {limit:g}"
                )
    return found


def check_bookings(scenario: Scenario, plan: Plan) -> list[str]:
    """Every booking's person is on its shift."""
    placed = {(row.shift, row.crew) for row in plan.crew}
    return [
        f"booking of {booking.crew!r} on {booking.shift!r} is not kept"
        for booking in scenario.bookings
        if (booking.shift, booking.crew) not in placed
    ]


def check_crew_pins(scenario: Scenario, plan: Plan) -> list[str]:
    """Every crew pin's person is on its shift."""
    placed = {(row.shift, row.crew) for row in plan.crew}
    return [
        f"pin of {pin.crew!r} on {pin.shift!r} is not kept"
        for pin in scenario.crew_pins
        if (pin.shift, pin.crew) not in placed
    ]


def check_gear_pins(scenario: Scenario, plan: Plan) -> list[str]:
    """Every gear pin's product carries exactly the pinned quantity on its requirement."""
    placed: Counter[tuple[str, str]] = Counter()
    for row in plan.gear:
        placed[(row.requirement, row.product)] += row.quantity
    return [
        f"pin of {pin.quantity} {pin.product!r} on {pin.requirement!r} is not kept: the plan places "
        f"{placed[(pin.requirement, pin.product)]}"
        for pin in scenario.gear_pins
        if placed[(pin.requirement, pin.product)] != pin.quantity
    ]


def check_stated_costs(plan: Plan, costs: dict[str, float], objective: float) -> list[str]:
    """The plan's stated cost parts and objective equal the recomputed ones."""
    found = []
    for part in COST_PARTS:
        stated = plan.costs.get(part)
        if stated is None:
            found.append(f"plan states no {part} cost (recomputed {costs[part]:g})")
        elif not _close(stated, costs[part]):
            found.append(f"plan states {part} cost {stated:g} but it recomputes to {costs[part]:g}")
    if plan.objective is None:
        found.append(f"plan states no objective (recomputed {objective:g})")
    elif not _close(plan.objective, objective):
        found.append(f"plan states objective {plan.objective:g} but it recomputes to {objective:g}")
    return found


def _close(stated: float, recomputed: float) -> bool:
    return math.isclose(stated, recomputed, rel_tol=RELATIVE_TOLERANCE, abs_tol=ABSOLUTE_TOLERANCE)


RULES = (
    check_references,
    check_non_negative_quantities,
    check_duplicate_rows,
    check_requirement_coverage,
    check_shift_coverage,
    check_product_capacity,
    check_vendor_lead_time,
    check_vendor_max_quantity,
    check_crew_skills,
    check_crew_overlap_and_rest,
    check_crew_availability,
    check_weekly_hours,
    check_bookings,
    check_crew_pins,
    check_gear_pins,
)


# --- costs -------------------------------------------------------------------------------------------------


def shortage_cost(scenario: Scenario, plan: Plan) -> float:
    """Shortage units * days(req) * shortage_penalty_per_unit_day * priority."""
    penalty = scenario.settings.shortage_penalty_per_unit_day
    total = 0.0
    for requirement_id, shortage in _shortage_units(scenario, plan).items():
        requirement = scenario.requirement_by_id[requirement_id]
        total += max(shortage, 0) * requirement.days * penalty * scenario.priority_of(requirement.job)
    return total


def subrental_cost(scenario: Scenario, plan: Plan) -> float:
    """Sub-rented units * days(req) * the offer's unit_cost_per_day."""
    total = 0.0
    for row in plan.subrentals:
        requirement = scenario.requirement_by_id.get(row.requirement)
        offer = _offer(scenario, row.vendor, requirement.capability) if requirement else None
        if requirement is not None and offer is not None:
            total += row.quantity * requirement.days * offer.unit_cost_per_day
    return total


def substitution_cost(scenario: Scenario, plan: Plan) -> float:
    """Own units * days(req) * substitution_penalty_per_unit_day * (1 - quality)."""
    penalty = scenario.settings.substitution_penalty_per_unit_day
    total = 0.0
    for row in plan.gear:
        requirement = scenario.requirement_by_id.get(row.requirement)
        quality = _quality(scenario, requirement.capability, row.product) if requirement else None
        if requirement is not None and quality is not None:
            total += row.quantity * requirement.days * penalty * (1.0 - quality)
    return total


def crew_cost(scenario: Scenario, plan: Plan) -> float:
    """Each person's day_rate times the distinct UTC days any of their shifts touches."""
    total = 0.0
    for person, shifts in _shifts_by_person(scenario, plan).items():
        days: set[date] = set()
        for shift in shifts:
            days.update(days_touched(shift.start, shift.end))
        total += scenario.crew_by_id[person].day_rate * len(days)
    return total


def unfilled_cost(scenario: Scenario, plan: Plan) -> float:
    """Missing people * unfilled_shift_penalty * priority."""
    penalty = scenario.settings.unfilled_shift_penalty
    total = 0.0
    for shift_id, missing in _missing_people(scenario, plan).items():
        total += max(missing, 0) * penalty * scenario.priority_of(scenario.shift_by_id[shift_id].job)
    return total


def churn_changes(scenario: Scenario, plan: Plan) -> int:
    """|new - previous| over (requirement, product) pairs plus (shift, person) pairs in one plan only."""
    previous = scenario.previous_plan
    if previous is None:
        return 0

    def gear(of: Plan) -> Counter[tuple[str, str]]:
        quantities: Counter[tuple[str, str]] = Counter()
        for row in of.gear:
            if row.requirement in scenario.requirement_by_id:
                quantities[(row.requirement, row.product)] += row.quantity
        return quantities

    def crew(of: Plan) -> set[tuple[str, str]]:
        return {(row.shift, row.crew) for row in of.crew if row.shift in scenario.shift_by_id}

    new_gear, old_gear = gear(plan), gear(previous)
    gear_changes = sum(abs(new_gear[key] - old_gear[key]) for key in new_gear.keys() | old_gear.keys())
    return gear_changes + len(crew(plan) ^ crew(previous))


def churn_cost(scenario: Scenario, plan: Plan) -> float:
    """churn_penalty * the number of assignments that differ from previous_plan."""
    return scenario.settings.churn_penalty * churn_changes(scenario, plan)
