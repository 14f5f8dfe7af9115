"""Why the plan is short of gear or people: the competing jobs, the stock, and what each way out would cost.

The explanation reads the exact scenario the plan was solved from and the plan itself, so its numbers are the
ones the solver weighed: units owned, out of service and in use by other jobs in the same window (with the
product's turnaround), vendor offers with their price, limit and lead time, the people who could work a shift
and where the plan has them instead, and the shortage or unfilled-shift penalty the solver paid instead.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import median
from typing import Any

from allocation.models import PlanRun
from allocation.solver.scenario import Scenario, hours_between, iso_week, load_scenario
from jobs.models import Job


@dataclass
class Competitor:
    """Another job that holds the same product, vendor or skill in the window."""

    job: str
    title: str
    priority: int
    what: str
    quantity: int
    start: datetime
    end: datetime
    move_cost: float | None = None


@dataclass
class Option:
    """One way to cover the gap, what it would cost, and whether something blocked it."""

    text: str
    cost: float | None = None
    blocked: str = ""


@dataclass
class Explanation:
    kind: str
    subject: str
    job: str
    priority: int
    missing: int
    penalty: float
    facts: list[str] = field(default_factory=list)
    competitors: list[Competitor] = field(default_factory=list)
    options: list[Option] = field(default_factory=list)
    verdict: str = ""


class NothingToExplain(LookupError):
    """The plan has no shortage or over-hire need there."""


def _money(value: float) -> str:
    return f"{value:,.2f}"


def _titles(codes: set[str]) -> dict[str, str]:
    return dict(Job.objects.filter(code__in=codes).values_list("code", "title"))


def _overlaps(start: datetime, end: datetime, other_start: datetime, other_end: datetime) -> bool:
    return start < other_end and other_start < end


def _peak(intervals: list[tuple[datetime, datetime, int]]) -> int:
    events = sorted(
        [(start, quantity) for start, _, quantity in intervals] + [(end, -q) for _, end, q in intervals]
    )
    busy = peak = 0
    for _, change in sorted(events, key=lambda event: (event[0], event[1])):
        busy += change
        peak = max(peak, busy)
    return peak


def _loaded(plan: PlanRun) -> tuple[Scenario, dict[str, Any]]:
    return load_scenario(plan.scenario), plan.plan or {}


def explain_shortage(plan: PlanRun, requirement_id: str) -> Explanation:
    """Why ``requirement_id`` is short in ``plan``: stock, competing jobs, vendors and the penalty paid."""
    scenario, result = _loaded(plan)
    requirement = scenario.requirement_by_id.get(requirement_id)
    short = sum(
        row["quantity"] for row in result.get("shortages", []) if row["requirement"] == requirement_id
    )
    if requirement is None or not short:
        raise NothingToExplain(f"{requirement_id} is not short in plan #{plan.pk}.")
    priority = scenario.priority_of(requirement.job)
    days = requirement.days
    per_unit = days * scenario.settings.shortage_penalty_per_unit_day * priority
    explanation = Explanation(
        "shortage",
        f"{requirement.capability} for {requirement_id}",
        requirement.job,
        priority,
        short,
        short * per_unit,
    )
    own = [row for row in result.get("gear", []) if row["requirement"] == requirement_id and row["quantity"]]
    rented = [
        row
        for row in result.get("subrentals", [])
        if row["requirement"] == requirement_id and row["quantity"]
    ]
    explanation.facts.append(
        f"{requirement.job} needs {requirement.quantity} x {requirement.capability} from "
        f"{requirement.start:%a %d %b %H:%M} to {requirement.end:%a %d %b %H:%M} "
        f"({days} day{'s' * (days != 1)}, priority {priority}). "
        f"The plan covers {sum(r['quantity'] for r in own)} from own stock, "
        f"{sum(r['quantity'] for r in rented)} sub-rented, and leaves {short} short."
    )
    explanation.facts.append(
        f"Each short unit costs the plan {days} day(s) x "
        f"{_money(scenario.settings.shortage_penalty_per_unit_day)} x priority {priority} "
        f"= {_money(per_unit)}; {short} short = {_money(short * per_unit)}."
    )
    requirements = scenario.requirement_by_id
    competitors: list[Competitor] = []
    for provider in scenario.capability_by_id[requirement.capability].providers:
        product = scenario.product_by_id[provider.product]
        turnaround = timedelta(hours=product.turnaround_hours)
        busy_start, busy_end = requirement.start, requirement.end + turnaround
        out = _peak(
            [
                (w.start, w.end, w.quantity)
                for w in product.out_of_service
                if _overlaps(w.start, w.end, busy_start, busy_end)
            ]
        )
        others = []
        for row in result.get("gear", []):
            other = requirements.get(row["requirement"])
            if (
                row["product"] != product.id
                or not row["quantity"]
                or other is None
                or other.id == requirement.id
            ):
                continue
            if _overlaps(other.start, other.end + turnaround, busy_start, busy_end):
                others.append((other, row["quantity"]))
        used_by_others = _peak([(o.start, o.end + turnaround, q) for o, q in others])
        mine = sum(row["quantity"] for row in own if row["product"] == product.id)
        free = max(0, product.owned - out - used_by_others - mine)
        explanation.facts.append(
            f"{product.id} (quality {provider.quality:g}): {product.owned} owned, {out} out of service, "
            f"at the busiest moment {used_by_others} with other jobs "
            f"(turnaround {product.turnaround_hours:g} h), "
            f"{mine} on this job, {free} free."
        )
        for other, quantity in others:
            other_priority = scenario.priority_of(other.job)
            competitors.append(
                Competitor(
                    other.job,
                    "",
                    other_priority,
                    product.id,
                    quantity,
                    other.start,
                    other.end,
                    other.days * scenario.settings.shortage_penalty_per_unit_day * other_priority,
                )
            )
        if free:
            explanation.options.append(
                Option(f"Use {min(free, short)} more {product.id} from stock", None, "")
            )
    now = scenario.now
    for vendor in scenario.vendors:
        for offer in vendor.offers:
            if offer.capability != requirement.capability:
                continue
            unit_total = offer.unit_cost_per_day * days
            blocked = ""
            if now is not None and requirement.start < now + timedelta(hours=offer.lead_time_hours):
                hours_left = max(0.0, hours_between(now, requirement.start))
                blocked = f"needs {offer.lead_time_hours:g} h lead time; the job starts in {hours_left:.0f} h"
            out_elsewhere = []
            for row in result.get("subrentals", []):
                other = requirements.get(row["requirement"])
                if row["vendor"] != vendor.id or other is None or other.capability != requirement.capability:
                    continue
                if other.id != requirement.id and _overlaps(
                    other.start, other.end, requirement.start, requirement.end
                ):
                    out_elsewhere.append((other, row["quantity"]))
                    competitors.append(
                        Competitor(
                            other.job,
                            "",
                            scenario.priority_of(other.job),
                            f"{vendor.id} (sub-rental)",
                            row["quantity"],
                            other.start,
                            other.end,
                        )
                    )
            taken = _peak([(o.start, o.end, q) for o, q in out_elsewhere]) + sum(
                row["quantity"] for row in rented if row["vendor"] == vendor.id
            )
            left = max(0, offer.max_quantity - taken)
            if not blocked and left == 0:
                blocked = f"its limit of {offer.max_quantity} at once is taken ({taken} out in this window)"
            quantity = min(short, left) if left else short
            explanation.options.append(
                Option(
                    f"Sub-rent {quantity} from {vendor.id} at {_money(offer.unit_cost_per_day)} "
                    f"per unit per day x {days} day(s) = {_money(quantity * unit_total)} "
                    f"(limit {offer.max_quantity} at once, "
                    f"lead time {offer.lead_time_hours:g} h)",
                    quantity * unit_total,
                    blocked,
                )
            )
    if not any(
        offer.capability == requirement.capability for vendor in scenario.vendors for offer in vendor.offers
    ):
        explanation.options.append(Option(f"No vendor offers {requirement.capability}", None, "no offer"))
    for competitor in competitors:
        if competitor.move_cost is not None and competitor.priority < priority:
            explanation.options.append(
                Option(
                    f"Take {min(short, competitor.quantity)} {competitor.what} from {competitor.job} "
                    f"(priority {competitor.priority}): it would be short instead",
                    min(short, competitor.quantity) * competitor.move_cost,
                )
            )
    explanation.options.append(Option(f"Leave {short} short (the plan's choice)", short * per_unit))
    titles = _titles({c.job for c in competitors})
    for competitor in competitors:
        competitor.title = titles.get(competitor.job, "")
    explanation.competitors = sorted(competitors, key=lambda c: (-c.priority, c.start, c.job))
    open_options = [o for o in explanation.options if not o.blocked and o.cost is not None]
    if not open_options[:-1]:
        explanation.verdict = (
            "Every unit in service is taken in this window and no vendor can supply more, so the plan "
            "leaves the lowest-cost gap; pin or re-prioritise a job to change who is short."
        )
    else:
        explanation.verdict = (
            "Other options exist but cost more across all jobs than the shortage penalty they would save; "
            "pin an allocation to override."
        )
    return explanation


def explain_unfilled(plan: PlanRun, shift_id: str) -> Explanation:
    """Why ``shift_id`` misses people: who could work it, where they are instead, what over-hire costs."""
    scenario, result = _loaded(plan)
    shift = scenario.shift_by_id.get(shift_id)
    missing = sum(row["missing"] for row in result.get("unfilled", []) if row["shift"] == shift_id)
    if shift is None or not missing:
        raise NothingToExplain(f"{shift_id} is not short of people in plan #{plan.pk}.")
    priority = scenario.priority_of(shift.job)
    per_person = scenario.settings.unfilled_shift_penalty * priority
    explanation = Explanation(
        "overhire", f"{shift.role} for {shift_id}", shift.job, priority, missing, missing * per_person
    )
    placed_on: dict[str, list[str]] = defaultdict(list)
    for row in result.get("crew", []):
        placed_on[row["crew"]].append(row["shift"])
    on_this = [member for member, shifts in placed_on.items() if shift_id in shifts]
    explanation.facts.append(
        f"{shift.job} needs {shift.count} x {shift.role} at level {shift.min_level}+ from "
        f"{shift.start:%a %d %b %H:%M} to {shift.end:%a %d %b %H:%M} (priority {priority}); the plan places "
        f"{len(on_this)} ({', '.join(on_this) or 'nobody'}) and {missing} remain an over-hire need."
    )
    explanation.facts.append(
        f"Each missing person costs the plan {_money(scenario.settings.unfilled_shift_penalty)} x priority "
        f"{priority} = {_money(per_person)}."
    )
    rest = timedelta(hours=scenario.settings.rest_hours)
    qualified = [member for member in scenario.crew if member.qualifies(shift)]
    lower = [m for m in scenario.crew if 0 < m.skills.get(shift.role, 0) < shift.min_level]
    explanation.facts.append(
        f"{len(qualified)} people hold {shift.role} at level {shift.min_level} or above"
        + (f"; {len(lower)} more hold it at a lower level" if lower else "")
        + "."
    )
    competitors: list[Competitor] = []
    for member in qualified:
        if member.id in on_this:
            continue
        if any(_overlaps(w.start, w.end, shift.start, shift.end) for w in member.unavailable):
            explanation.options.append(
                Option(f"{member.id} is off (time off) during the shift", None, "unavailable")
            )
            continue
        clashes = [
            scenario.shift_by_id[other]
            for other in placed_on.get(member.id, [])
            if other in scenario.shift_by_id
            and _overlaps(
                scenario.shift_by_id[other].start - rest,
                scenario.shift_by_id[other].end + rest,
                shift.start,
                shift.end,
            )
        ]
        if clashes:
            for other in clashes:
                other_priority = scenario.priority_of(other.job)
                cost = scenario.settings.unfilled_shift_penalty * other_priority
                competitors.append(
                    Competitor(
                        other.job,
                        "",
                        other_priority,
                        f"{member.id} ({member.kind})",
                        1,
                        other.start,
                        other.end,
                        cost,
                    )
                )
                explanation.options.append(
                    Option(
                        f"Move {member.id} from {other.job} ({other.id}, priority {other_priority}): "
                        "that shift would miss one person instead",
                        cost,
                    )
                )
            continue
        if member.max_hours_per_week is not None:
            week = iso_week(shift.start)
            hours = sum(
                scenario.shift_by_id[other].hours
                for other in placed_on.get(member.id, [])
                if other in scenario.shift_by_id and iso_week(scenario.shift_by_id[other].start) == week
            )
            if hours + shift.hours > member.max_hours_per_week:
                explanation.options.append(
                    Option(
                        f"{member.id} already works {hours:g} h that week; this shift would pass their "
                        f"{member.max_hours_per_week:g} h limit",
                        None,
                        "weekly hours",
                    )
                )
                continue
        explanation.options.append(
            Option(f"Place {member.id} ({member.kind}) at {_money(member.day_rate)} per day", member.day_rate)
        )
    rates = [m.day_rate for m in scenario.crew if m.kind == "freelancer" and m.skills.get(shift.role, 0)]
    days = len({shift.start.date(), (shift.end - timedelta(seconds=1)).date()})
    if rates:
        rate = median(rates)
        explanation.options.append(
            Option(
                f"Over-hire {missing} freelancer(s) from outside the bench at about {_money(rate)} per day "
                f"(median {shift.role} rate) x {days} day(s) = {_money(rate * days * missing)}",
                rate * days * missing,
            )
        )
    explanation.options.append(Option(f"Leave {missing} unfilled (the plan's choice)", missing * per_person))
    titles = _titles({c.job for c in competitors})
    for competitor in competitors:
        competitor.title = titles.get(competitor.job, "")
    explanation.competitors = sorted(competitors, key=lambda c: (-c.priority, c.start, c.job))
    explanation.verdict = (
        "Everyone qualified is off or busy on a job the plan weighs at least as much; the crew "
        "coordinator can turn this need into freelancer offers, or pin a person to override."
    )
    return explanation
