"""Human reasons for the bookings and pins of an infeasibility core."""

from __future__ import annotations

from typing import Any

from allocation.solver.cpsat.crew import is_available
from allocation.solver.scenario import Scenario, hours_between, iso_week


def describe_conflicts(scenario: Scenario, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The core's bookings and pins, each with a ``reason`` naming what it clashes with."""
    described = []
    for item in items:
        if "shift" in item:
            reason = _crew_reason(
                scenario, item, [other for other in items if other is not item and "shift" in other]
            )
        else:
            reason = _gear_reason(
                scenario, item, [other for other in items if other is not item and "requirement" in other]
            )
        described.append({**item, "reason": reason})
    return described


def _name(item: dict[str, Any]) -> str:
    if "shift" in item:
        return f"{item['kind']} of {item['crew']} on {item['shift']}"
    return f"pin of {item['quantity']} {item['product']} on {item['requirement']}"


def _crew_reason(scenario: Scenario, item: dict[str, Any], others: list[dict[str, Any]]) -> str:
    shift = scenario.shift_by_id[item["shift"]]
    member = scenario.crew_by_id[item["crew"]]
    if not member.qualifies(shift):
        level = member.skills.get(shift.role, 0)
        return f"{member.id} has {shift.role} level {level}; {shift.id} needs level {shift.min_level}"
    if not is_available(member, shift):
        return f"{member.id} is unavailable during {shift.id}"
    rest = scenario.settings.rest_hours
    for other in others:
        other_shift = scenario.shift_by_id[other["shift"]]
        if other["crew"] == member.id and other_shift.id != shift.id:
            if shift.start < other_shift.end and other_shift.start < shift.end:
                return f"{shift.id} overlaps {other_shift.id}, both fixed for {member.id} ({_name(other)})"
            earlier, later = sorted((shift, other_shift), key=lambda s: s.start)
            gap = hours_between(earlier.end, later.start)
            if gap < rest:
                return (
                    f"{earlier.id} and {later.id} of {member.id} are {gap:g} h apart, "
                    f"less than rest_hours {rest:g} ({_name(other)})"
                )
    same_shift = [other for other in others if other["shift"] == shift.id and other["crew"] != member.id]
    if len({member.id, *(other["crew"] for other in same_shift)}) > shift.count:
        return f"{shift.id} needs {shift.count} people but more are booked or pinned: " + ", ".join(
            _name(other) for other in same_shift
        )
    same_week = [
        other
        for other in others
        if other["crew"] == member.id
        and iso_week(scenario.shift_by_id[other["shift"]].start) == iso_week(shift.start)
    ]
    if member.max_hours_per_week is not None and same_week:
        return (
            f"{member.id}'s fixed shifts in ISO week {iso_week(shift.start)[1]} exceed max_hours_per_week "
            f"{member.max_hours_per_week:g} (with " + ", ".join(_name(other) for other in same_week) + ")"
        )
    if member.max_hours_per_week is not None and shift.hours > member.max_hours_per_week:
        return f"{shift.id} is longer than {member.id}'s max_hours_per_week {member.max_hours_per_week:g}"
    return "cannot hold together with " + (
        ", ".join(_name(other) for other in others) or "the scenario's rules"
    )


def _gear_reason(scenario: Scenario, item: dict[str, Any], others: list[dict[str, Any]]) -> str:
    requirement = scenario.requirement_by_id[item["requirement"]]
    product = scenario.product_by_id[item["product"]]
    providers = {p.product for p in scenario.capability_by_id[requirement.capability].providers}
    if product.id not in providers:
        return f"{product.id} does not provide {requirement.capability}"
    same_requirement = [other for other in others if other["requirement"] == requirement.id]
    if item["quantity"] + sum(other["quantity"] for other in same_requirement) > requirement.quantity:
        return f"{requirement.id} needs only {requirement.quantity} units in all"
    same_product = [other for other in others if other["product"] == product.id]
    if same_product:
        return (
            f"together with {', '.join(_name(other) for other in same_product)} it needs more {product.id} "
            f"than the {product.owned} owned, in service and back from turnaround"
        )
    return f"more {product.id} than the units in service during {requirement.id} (owned {product.owned})"
