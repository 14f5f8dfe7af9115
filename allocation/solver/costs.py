"""The six cost parts of the contract's objective (SCENARIO.md), recomputed from a plan.

Every solver ends with ``finish_plan`` so that ``plan.objective`` is always the sum of ``plan.costs`` computed
here, whatever the solver's internal (scaled) objective was.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from allocation.solver.scenario import COST_PARTS, Plan, Scenario, days_touched

# Money is rounded to this many decimals so that float noise (1 - 0.8 = 0.19999...) never shows.
_DECIMALS = 6


def shortage_cost(scenario: Scenario, plan: Plan) -> float:
    """Soft: uncovered units times days(req) times the shortage penalty times the job's priority."""
    penalty = scenario.settings.shortage_penalty_per_unit_day
    total = 0.0
    for shortage in plan.shortages:
        requirement = scenario.requirement_by_id.get(shortage.requirement)
        if requirement is None:
            continue
        total += shortage.quantity * requirement.days * penalty * scenario.priority_of(requirement.job)
    return total


def subrental_cost(scenario: Scenario, plan: Plan) -> float:
    """Soft: sub-rented units times days(req) times the vendor offer's unit cost per day."""
    total = 0.0
    for subrental in plan.subrentals:
        requirement = scenario.requirement_by_id.get(subrental.requirement)
        vendor = scenario.vendor_by_id.get(subrental.vendor)
        if requirement is None or vendor is None:
            continue
        offer = next((o for o in vendor.offers if o.capability == requirement.capability), None)
        if offer is None:
            continue
        total += subrental.quantity * requirement.days * offer.unit_cost_per_day
    return total


def substitution_cost(scenario: Scenario, plan: Plan) -> float:
    """Soft: own-stock units times days(req) times the substitution penalty times (1 - quality)."""
    penalty = scenario.settings.substitution_penalty_per_unit_day
    total = 0.0
    for allocation in plan.gear:
        requirement = scenario.requirement_by_id.get(allocation.requirement)
        if requirement is None:
            continue
        capability = scenario.capability_by_id[requirement.capability]
        # A product that does not provide the capability breaks a rule (the checker says so); cost it at 0.
        quality = next((p.quality for p in capability.providers if p.product == allocation.product), 0.0)
        total += allocation.quantity * requirement.days * penalty * (1.0 - quality)
    return total


def crew_cost(scenario: Scenario, plan: Plan, kind: str | None = None) -> float:
    """Soft: each person's day rate times the distinct UTC days touched by any of their shifts; ``kind``
    ("staff" or "freelancer") counts only those people."""
    days_by_person: dict[str, set[date]] = defaultdict(set)
    for assignment in set(plan.crew):
        shift = scenario.shift_by_id.get(assignment.shift)
        member = scenario.crew_by_id.get(assignment.crew)
        if shift is None or member is None or (kind is not None and member.kind != kind):
            continue
        days_by_person[assignment.crew].update(days_touched(shift.start, shift.end))
    return sum(scenario.crew_by_id[person].day_rate * len(days) for person, days in days_by_person.items())


def unfilled_cost(scenario: Scenario, plan: Plan) -> float:
    """Soft: missing people on a shift times the unfilled-shift penalty times the job's priority."""
    penalty = scenario.settings.unfilled_shift_penalty
    total = 0.0
    for unfilled in plan.unfilled:
        shift = scenario.shift_by_id.get(unfilled.shift)
        if shift is None:
            continue
        total += unfilled.missing * penalty * scenario.priority_of(shift.job)
    return total


def churn_count(scenario: Scenario, plan: Plan) -> int:
    """How many assignments differ from ``previous_plan``, over requirements and shifts still in the scenario.

    Gear: sum over (requirement, product) of |new - previous|. Crew: (shift, person) pairs in one plan only.
    Sub-rentals are not counted. Without a previous plan the churn is 0.
    """
    previous = scenario.previous_plan
    if previous is None:
        return 0
    requirement_ids = scenario.requirement_by_id
    shift_ids = scenario.shift_by_id
    new_gear: Counter[tuple[str, str]] = Counter()
    old_gear: Counter[tuple[str, str]] = Counter()
    for allocation in plan.gear:
        if allocation.requirement in requirement_ids:
            new_gear[allocation.requirement, allocation.product] += allocation.quantity
    for allocation in previous.gear:
        if allocation.requirement in requirement_ids:
            old_gear[allocation.requirement, allocation.product] += allocation.quantity
    gear_churn = sum(abs(new_gear[key] - old_gear[key]) for key in set(new_gear) | set(old_gear))
    new_crew = {(a.shift, a.crew) for a in plan.crew if a.shift in shift_ids}
    old_crew = {(a.shift, a.crew) for a in previous.crew if a.shift in shift_ids}
    return gear_churn + len(new_crew ^ old_crew)


def churn_cost(scenario: Scenario, plan: Plan) -> float:
    """Soft: the churn penalty per assignment that differs from the previous plan."""
    return scenario.settings.churn_penalty * churn_count(scenario, plan)


def plan_costs(scenario: Scenario, plan: Plan) -> dict[str, float]:
    """The six parts of the objective, keyed as in ``COST_PARTS``."""
    parts = {
        "shortage": shortage_cost(scenario, plan),
        "subrental": subrental_cost(scenario, plan),
        "substitution": substitution_cost(scenario, plan),
        "crew": crew_cost(scenario, plan),
        "unfilled": unfilled_cost(scenario, plan),
        "churn": churn_cost(scenario, plan),
    }
    return {part: round(parts[part], _DECIMALS) + 0.0 for part in COST_PARTS}


def finish_plan(scenario: Scenario, plan: Plan) -> Plan:
    """Set ``plan.costs`` and ``plan.objective`` (their sum) from the plan itself, and return the plan."""
    plan.costs = plan_costs(scenario, plan)
    plan.objective = round(sum(plan.costs.values()), _DECIMALS) + 0.0
    return plan
