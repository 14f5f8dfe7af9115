"""Gear: owned units per (requirement, product), sub-rented units per (requirement, vendor), and shortage.

Shortage is not a variable: ``shortage = quantity - covered`` is substituted into the objective, so each
requirement only needs ``covered <= quantity``.
"""

from __future__ import annotations

from collections import defaultdict

from allocation.solver.cpsat.intervals import capacity_segments, hours_to_seconds, seconds
from allocation.solver.cpsat.problem import Fixing, Problem
from allocation.solver.scenario import GearAllocation, GearRequirement, Scenario, Shortage, SubRental

_UNBOUNDED = 10**9


def add_gear(problem: Problem, scenario: Scenario) -> None:
    """Write every gear variable, rule and cost term of the scenario into ``problem``."""
    _add_coverage(problem, scenario)
    _add_product_capacity(problem, scenario)
    _add_vendor_limits(problem, scenario)
    _add_gear_pins(problem, scenario)
    _add_gear_churn(problem, scenario)


def _add_coverage(problem: Problem, scenario: Scenario) -> None:
    """Hard: owned plus sub-rented units within the quantity; soft: shortage, sub-rental, substitution."""
    settings = scenario.settings
    for requirement in scenario.requirements:
        days = requirement.days
        shortage_per_unit = (
            days * settings.shortage_penalty_per_unit_day * scenario.priority_of(requirement.job)
        )
        problem.add_constant(requirement.quantity * shortage_per_unit, ("r", requirement.id))
        covering = []
        for provider in scenario.capability_by_id[requirement.capability].providers:
            product = scenario.product_by_id[provider.product]
            substitution = days * settings.substitution_penalty_per_unit_day * (1.0 - provider.quality)
            covering.append(
                problem.add_variable(
                    ("x", requirement.id, product.id),
                    0,
                    min(requirement.quantity, product.owned),
                    substitution - shortage_per_unit,
                )
            )
        for vendor in scenario.vendors:
            for offer in vendor.offers:
                if scenario.vendor_offer_serves(offer, requirement):
                    covering.append(
                        problem.add_variable(
                            ("y", requirement.id, vendor.id),
                            0,
                            min(requirement.quantity, offer.max_quantity),
                            days * offer.unit_cost_per_day - shortage_per_unit,
                        )
                    )
        if covering:
            problem.add_row(covering, [1] * len(covering), 0, requirement.quantity)


def _busy_window(requirement: GearRequirement, turnaround_hours: float) -> tuple[int, int]:
    return seconds(requirement.start), seconds(requirement.end) + hours_to_seconds(turnaround_hours)


def _add_product_capacity(problem: Problem, scenario: Scenario) -> None:
    """Hard: busy units of a product (use plus turnaround) never exceed owned minus out-of-service units."""
    users: dict[str, list[tuple[GearRequirement, int]]] = defaultdict(list)
    for requirement in scenario.requirements:
        for provider in scenario.capability_by_id[requirement.capability].providers:
            users[provider.product].append(
                (requirement, problem.index[("x", requirement.id, provider.product)])
            )
    for product in scenario.products:
        uses = users.get(product.id, [])
        if not uses:
            continue
        windows = [_busy_window(requirement, product.turnaround_hours) for requirement, _ in uses]
        reductions = [(seconds(w.start), seconds(w.end), w.quantity) for w in product.out_of_service]
        segments = capacity_segments(windows, product.owned, reductions)
        # A unit count that one segment alone caps is a bound, not a row.
        for members, left in segments:
            for member in members:
                variable = uses[member][1]
                problem.upper[variable] = min(problem.upper[variable], left)
        for members, left in segments:
            if len(members) > 1:
                variables = [uses[member][1] for member in sorted(members)]
                problem.add_row(variables, [1] * len(variables), 0, left)


def _add_vendor_limits(problem: Problem, scenario: Scenario) -> None:
    """Hard: at most ``max_quantity`` units of one vendor offer out at any moment."""
    for vendor in scenario.vendors:
        for offer in vendor.offers:
            uses = [
                (requirement, problem.index[("y", requirement.id, vendor.id)])
                for requirement in scenario.requirements
                if ("y", requirement.id, vendor.id) in problem.index
                and requirement.capability == offer.capability
            ]
            windows = [(seconds(r.start), seconds(r.end)) for r, _ in uses]
            for members, left in capacity_segments(windows, offer.max_quantity):
                if len(members) > 1:
                    variables = [uses[member][1] for member in sorted(members)]
                    problem.add_row(variables, [1] * len(variables), 0, left)


def _add_gear_pins(problem: Problem, scenario: Scenario) -> None:
    """Hard: a pinned quantity holds exactly (a product that cannot serve gets a variable fixed at 0)."""
    for pin in scenario.gear_pins:
        key = ("x", pin.requirement, pin.product)
        if key not in problem.index:
            problem.add_variable(key, 0, 0)
        item = {
            "kind": "pin",
            "requirement": pin.requirement,
            "product": pin.product,
            "quantity": pin.quantity,
        }
        problem.fixings.append(Fixing(problem.index[key], pin.quantity, item))


def _previous_gear(scenario: Scenario) -> tuple[dict[tuple[str, str], int], dict[tuple[str, str], int]]:
    owned: dict[tuple[str, str], int] = defaultdict(int)
    rented: dict[tuple[str, str], int] = defaultdict(int)
    if scenario.previous_plan is not None:
        for allocation in scenario.previous_plan.gear:
            if allocation.requirement in scenario.requirement_by_id:
                owned[allocation.requirement, allocation.product] += allocation.quantity
        for subrental in scenario.previous_plan.subrentals:
            if subrental.requirement in scenario.requirement_by_id:
                rented[subrental.requirement, subrental.vendor] += subrental.quantity
    return owned, rented


def _add_gear_churn(problem: Problem, scenario: Scenario) -> None:
    """Soft: churn penalty per unit of |new - previous| per (requirement, product); hints the old plan."""
    if scenario.previous_plan is None:
        return
    penalty = scenario.settings.churn_penalty
    previous_owned, previous_rented = _previous_gear(scenario)
    for requirement in scenario.requirements:
        for provider in scenario.capability_by_id[requirement.capability].providers:
            key = ("x", requirement.id, provider.product)
            if previous_owned.get((requirement.id, provider.product), 0) == 0:
                problem.add_cost(problem.index[key], penalty)
    for (requirement_id, product_id), previous in previous_owned.items():
        if previous == 0:
            continue  # A 0-unit row churns like no row: already costed on the variable above.
        key = ("x", requirement_id, product_id)
        variable = problem.index.get(key)
        if variable is None:
            problem.add_constant(penalty * previous, ("r", requirement_id))
            continue
        hint = min(previous, problem.upper[variable])
        problem.hint[variable] = hint
        deviation = problem.add_variable(
            ("dev", requirement_id, product_id), 0, max(previous, problem.upper[variable]), penalty
        )
        problem.hint[deviation] = abs(hint - previous)
        problem.deviation_of[deviation] = (variable, previous)
        problem.add_row([deviation, variable], [1, -1], -previous, _UNBOUNDED)
        problem.add_row([deviation, variable], [1, 1], previous, _UNBOUNDED)
    for requirement in scenario.requirements:
        for vendor in scenario.vendors:
            variable = problem.index.get(("y", requirement.id, vendor.id))
            if variable is not None:
                problem.hint[variable] = min(
                    previous_rented.get((requirement.id, vendor.id), 0), problem.upper[variable]
                )
        for provider in scenario.capability_by_id[requirement.capability].providers:
            variable = problem.index[("x", requirement.id, provider.product)]
            if problem.hint[variable] is None:
                problem.hint[variable] = 0


def gear_plan(
    problem: Problem, scenario: Scenario, values: list[int]
) -> tuple[list[GearAllocation], list[SubRental], list[Shortage]]:
    """Read the gear part of a plan from the variables' values."""
    allocations, subrentals, shortages = [], [], []
    for requirement in scenario.requirements:
        covered = 0
        for provider in scenario.capability_by_id[requirement.capability].providers:
            quantity = values[problem.index[("x", requirement.id, provider.product)]]
            if quantity:
                allocations.append(GearAllocation(requirement.id, provider.product, quantity))
                covered += quantity
        for vendor in scenario.vendors:
            variable = problem.index.get(("y", requirement.id, vendor.id))
            if variable is not None and values[variable]:
                subrentals.append(SubRental(requirement.id, vendor.id, values[variable]))
                covered += values[variable]
        shortages.append(Shortage(requirement.id, requirement.quantity - covered))
    # A pin on a product that does not provide the capability still shows (the plan is infeasible anyway).
    for pin in scenario.gear_pins:
        variable = problem.index[("x", pin.requirement, pin.product)]
        provided = {
            p.product
            for p in scenario.capability_by_id[
                scenario.requirement_by_id[pin.requirement].capability
            ].providers
        }
        if pin.product not in provided and values[variable]:
            allocations.append(GearAllocation(pin.requirement, pin.product, values[variable]))
    return allocations, subrentals, shortages
