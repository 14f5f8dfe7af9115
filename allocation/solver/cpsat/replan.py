"""Re-planning only what changed: the scenario's independent parts, their signatures and stored bounds.

A scenario falls apart into **parts** that share no rule and no cost: a gear part is a set of capabilities
and the products that provide them (with their requirements, vendor offers and gear pins); a crew part is
a set of people and the roles they hold (with those roles' shifts, bookings and crew pins). A part's
**signature** is a hash of all of its data and of the settings that price it, so two scenarios give the same
signature to a part exactly when nothing in it changed.

Each plan of the CP-SAT solver carries ``component_bounds`` (an optional field beyond SCENARIO.md): the
proven lower bound of each part's cost, keyed by signature. When the web app passes that field back inside
``previous_plan``, a re-plan keeps every part whose signature is listed exactly as the previous plan had it
(no churn, its stored bound still proven) and solves only the parts that changed. A bound is stored only
when it bounds the part's cost without churn (the part was solved with no previous plan, or its bound was
carried over), so that it stays valid for any later plan of the same data.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

from allocation.solver.cpsat.model import ComponentResult
from allocation.solver.cpsat.problem import Component, Problem, exact_constant
from allocation.solver.scenario import Plan, Scenario, format_time


@dataclass
class Part:
    """An independent part of a scenario and the ids it owns."""

    kind: str  # "gear" or "crew"
    capabilities: set[str] = field(default_factory=set)
    products: set[str] = field(default_factory=set)
    requirements: set[str] = field(default_factory=set)
    people: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    shifts: set[str] = field(default_factory=set)
    signature: str = ""


class _Groups:
    def __init__(self) -> None:
        self.parent: dict[Hashable, Hashable] = {}

    def find(self, item: Hashable) -> Hashable:
        self.parent.setdefault(item, item)
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, first: Hashable, second: Hashable) -> None:
        self.parent[self.find(second)] = self.find(first)


def scenario_parts(scenario: Scenario) -> list[Part]:
    """The scenario's gear and crew parts, each with its signature."""
    groups = _Groups()
    for capability in scenario.capabilities:
        groups.find(("c", capability.id))
        for provider in capability.providers:
            groups.union(("c", capability.id), ("p", provider.product))
    for pin in scenario.gear_pins:
        capability = scenario.requirement_by_id[pin.requirement].capability
        groups.union(("c", capability), ("p", pin.product))
    for member in scenario.crew:
        groups.find(("m", member.id))
        for role in member.skills:
            groups.union(("m", member.id), ("role", role))
    for shift in scenario.shifts:
        groups.find(("role", shift.role))
    for fixed in [*scenario.bookings, *scenario.crew_pins]:
        groups.union(("m", fixed.crew), ("role", scenario.shift_by_id[fixed.shift].role))
    parts: dict[Hashable, Part] = {}

    def part_of(item: Hashable, kind: str) -> Part:
        return parts.setdefault(groups.find(item), Part(kind))

    for capability in scenario.capabilities:
        part_of(("c", capability.id), "gear").capabilities.add(capability.id)
    for product in scenario.products:
        part_of(("p", product.id), "gear").products.add(product.id)
    for requirement in scenario.requirements:
        part_of(("c", requirement.capability), "gear").requirements.add(requirement.id)
    for member in scenario.crew:
        part_of(("m", member.id), "crew").people.add(member.id)
    for shift in scenario.shifts:
        part = part_of(("role", shift.role), "crew")
        part.roles.add(shift.role)
        part.shifts.add(shift.id)
    result = [part for part in parts.values() if part.requirements or part.shifts]
    for part in result:
        part.signature = _signature(scenario, part)
    return result


def _signature(scenario: Scenario, part: Part) -> str:
    settings = scenario.settings
    data: dict[str, Any]
    if part.kind == "gear":
        data = {
            "kind": "gear",
            "now": format_time(scenario.now) if scenario.now else None,
            "penalties": [settings.shortage_penalty_per_unit_day, settings.substitution_penalty_per_unit_day],
            "capabilities": sorted(
                (c.id, sorted((p.product, p.quality) for p in c.providers))
                for c in scenario.capabilities
                if c.id in part.capabilities
            ),
            "products": sorted(
                (
                    p.id,
                    p.owned,
                    p.turnaround_hours,
                    sorted((format_time(w.start), format_time(w.end), w.quantity) for w in p.out_of_service),
                )
                for p in scenario.products
                if p.id in part.products
            ),
            "offers": sorted(
                (v.id, o.capability, o.unit_cost_per_day, o.max_quantity, o.lead_time_hours)
                for v in scenario.vendors
                for o in v.offers
                if o.capability in part.capabilities
            ),
            "requirements": sorted(
                (
                    r.id,
                    scenario.priority_of(r.job),
                    r.capability,
                    r.quantity,
                    format_time(r.start),
                    format_time(r.end),
                )
                for r in scenario.requirements
                if r.id in part.requirements
            ),
            "pins": sorted(
                (p.requirement, p.product, p.quantity)
                for p in scenario.gear_pins
                if p.requirement in part.requirements
            ),
        }
    else:
        data = {
            "kind": "crew",
            "penalties": [settings.unfilled_shift_penalty, settings.rest_hours],
            "people": sorted(
                (
                    m.id,
                    sorted(m.skills.items()),
                    m.day_rate,
                    m.max_hours_per_week,
                    sorted((format_time(w.start), format_time(w.end)) for w in m.unavailable),
                )
                for m in scenario.crew
                if m.id in part.people
            ),
            "shifts": sorted(
                (
                    s.id,
                    scenario.priority_of(s.job),
                    s.role,
                    s.min_level,
                    s.count,
                    format_time(s.start),
                    format_time(s.end),
                )
                for s in scenario.shifts
                if s.id in part.shifts
            ),
            "fixed": sorted(
                (kind, f.shift, f.crew)
                for kind, items in (("booking", scenario.bookings), ("pin", scenario.crew_pins))
                for f in items
                if f.shift in part.shifts
            ),
        }
    text = json.dumps(data, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def sub_scenario(scenario: Scenario, parts: Iterable[Part]) -> Scenario:
    """The scenario restricted to ``parts`` (its previous plan too); the rest left out."""
    capabilities: set[str] = set()
    products: set[str] = set()
    requirements: set[str] = set()
    people: set[str] = set()
    shifts: set[str] = set()
    for part in parts:
        capabilities |= part.capabilities
        products |= part.products
        requirements |= part.requirements
        people |= part.people
        shifts |= part.shifts
    jobs = [
        replace(
            job,
            gear=tuple(r for r in job.gear if r.id in requirements),
            shifts=tuple(s for s in job.shifts if s.id in shifts),
        )
        for job in scenario.jobs
    ]
    previous = scenario.previous_plan
    if previous is not None:
        previous = Plan(
            gear=[g for g in previous.gear if g.requirement in requirements],
            subrentals=[s for s in previous.subrentals if s.requirement in requirements],
            crew=[c for c in previous.crew if c.shift in shifts],
        )
    return replace(
        scenario,
        products=[p for p in scenario.products if p.id in products],
        capabilities=[c for c in scenario.capabilities if c.id in capabilities],
        vendors=[
            replace(v, offers=tuple(o for o in v.offers if o.capability in capabilities))
            for v in scenario.vendors
        ],
        jobs=jobs,
        crew=[m for m in scenario.crew if m.id in people],
        bookings=[b for b in scenario.bookings if b.shift in shifts],
        gear_pins=[p for p in scenario.gear_pins if p.requirement in requirements],
        crew_pins=[p for p in scenario.crew_pins if p.shift in shifts],
        previous_plan=previous,
    )


def kept_plan(previous: Plan, parts: Iterable[Part]) -> Plan:
    """The previous plan's gear and crew for ``parts``, unchanged."""
    requirements: set[str] = set()
    shifts: set[str] = set()
    for part in parts:
        requirements |= part.requirements
        shifts |= part.shifts
    return Plan(
        gear=[g for g in previous.gear if g.requirement in requirements],
        subrentals=[s for s in previous.subrentals if s.requirement in requirements],
        crew=[c for c in previous.crew if c.shift in shifts],
    )


def part_bounds(
    scenario: Scenario,
    problem: Problem,
    parts: list[Component],
    results: list[ComponentResult],
    *,
    crew_bounds: dict[str, float] | None = None,
) -> dict[str, float]:
    """Each scenario part's proven lower bound, from the components' results.

    A component may hold several scenario parts (small ones are packed into one model); each part then gets
    its own cost in that answer minus the whole answer's gap, which still bounds it: the other parts cannot
    cost less than their bounds. Clamped to [0, the part's cost]: every cost term is non-negative.
    ``crew_bounds`` (by signature) replaces that for crew parts whose models saw only priced candidates.
    """
    owner: dict[tuple[str, str], str] = {}
    scenario_part_list = scenario_parts(scenario)
    for part in scenario_part_list:
        for requirement in part.requirements:
            owner["r", requirement] = part.signature
        for shift in part.shifts:
            owner["s", shift] = part.signature
    people_owner = {person: part.signature for part in scenario_part_list for person in part.people}
    cost: dict[str, Fraction] = defaultdict(Fraction)
    bound: dict[str, Fraction] = defaultdict(Fraction)
    for item, amount in problem.constant_of.items():
        cost[owner[item]] += exact_constant(amount)  # type: ignore[index]
    exact_cost = {value: exact_constant(value) for value in set(problem.cost)}
    for component, result in zip(parts, results, strict=True):
        gap = result.objective - result.bound
        touched: set[str] = set()
        for variable in component.variables:
            key = problem.keys[variable]
            kind, first = key[0], key[1]  # type: ignore[index]
            signature = people_owner[first] if kind == "w" else owner["s" if kind == "a" else "r", first]
            touched.add(signature)
            value = result.values.get(variable, 0)
            if value:
                cost[signature] += exact_cost[problem.cost[variable]] * value
        for signature in touched:
            bound[signature] += gap
    crew_bounds = crew_bounds or {}
    return {
        signature: float(
            min(total, max(Fraction(0), Fraction(crew_bounds[signature])))
            if signature in crew_bounds
            else min(total, max(Fraction(0), total - bound[signature]))
        )
        for signature, total in cost.items()
    }
