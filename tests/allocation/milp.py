"""An exact MILP of SCENARIO.md, used only by the tests as an oracle for the CP-SAT solver.

It is an independent reading of the contract: it reads the raw scenario JSON, parses times itself and
imports nothing from ``allocation.solver``, so a misreading in the solver's model, loader or checker is not
shared here. SCIP solves it with a zero gap; ``milp_optimum`` returns the proven optimum or None, and
``milp_solve`` also tells an infeasible scenario from one not proven within the time limit.

Readings taken where the contract leaves room:

- Each requirement is split exactly: own units + sub-rented units + shortage == quantity.
- Capacity is ``max(0, owned - out of service)``: a window larger than the stock forbids use, it does not make
  the scenario infeasible.
- Churn counts only requirements and shifts of this scenario (a previous row of a cancelled job is not a
  change), counts (requirement, product) pairs of own stock only (not sub-rentals), and (shift, person)
  pairs in exactly one of the two plans.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ortools.linear_solver import pywraplp

SETTING_DEFAULTS = {
    "rest_hours": 10.0,
    "shortage_penalty_per_unit_day": 1000.0,
    "unfilled_shift_penalty": 5000.0,
    "substitution_penalty_per_unit_day": 20.0,
    "churn_penalty": 50.0,
}


def parse_time(text: str) -> datetime:
    """An ISO 8601 time with a UTC offset, as an aware UTC datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def days_touched(start: datetime, end: datetime) -> list[date]:
    """The UTC calendar days that ``[start, end)`` touches."""
    if end <= start:
        return []
    first, last = start.date(), (end - timedelta(microseconds=1)).date()
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def overlaps(start: datetime, end: datetime, other_start: datetime, other_end: datetime) -> bool:
    """Whether two half-open intervals share a moment."""
    return start < other_end and other_start < end


@dataclass
class Requirement:
    """A gear requirement with its job's priority."""

    id: str
    capability: str
    quantity: int
    start: datetime
    end: datetime
    priority: int

    @property
    def days(self) -> int:
        """``days(req)``: the calendar days the requirement touches."""
        return len(days_touched(self.start, self.end))


@dataclass
class Shift:
    """A crew shift with its job's priority."""

    id: str
    role: str
    min_level: int
    count: int
    start: datetime
    end: datetime
    priority: int

    @property
    def hours(self) -> float:
        """The shift's length in hours."""
        return (self.end - self.start).total_seconds() / 3600.0


@dataclass
class Milp:
    """The SCIP model under construction: its variables by key and the objective's terms."""

    data: dict[str, Any]
    solver: pywraplp.Solver = field(default_factory=lambda: pywraplp.Solver.CreateSolver("SCIP"))
    own: dict[tuple[str, str], pywraplp.Variable] = field(default_factory=dict)
    subrented: dict[tuple[str, str], pywraplp.Variable] = field(default_factory=dict)
    placed: dict[tuple[str, str], pywraplp.Variable] = field(default_factory=dict)
    terms: list[tuple[float, pywraplp.Variable]] = field(default_factory=list)
    constant: float = 0.0
    infeasible: bool = False

    def setting(self, key: str) -> float:
        """A setting of the scenario, or its default from SCENARIO.md."""
        value = (self.data.get("settings") or {}).get(key)
        return SETTING_DEFAULTS[key] if value is None else float(value)

    def integer(self, upper: float, name: str) -> pywraplp.Variable:
        """A new integer variable in ``[0, upper]``."""
        return self.solver.IntVar(0.0, upper, name)

    def cost(self, coefficient: float, variable: pywraplp.Variable) -> None:
        """Add ``coefficient * variable`` to the objective."""
        if coefficient:
            self.terms.append((coefficient, variable))

    def at_most(self, variables: list[pywraplp.Variable], limit: float) -> None:
        """Constrain the sum of the variables, if any, to ``limit``."""
        if variables:
            self.solver.Add(sum(variables) <= limit)

    def objective_value(self) -> float:
        """The objective at the solution, its integer variables rounded."""
        return self.constant + sum(
            coefficient * round(variable.solution_value()) for coefficient, variable in self.terms
        )


def read_requirements(data: dict[str, Any]) -> list[Requirement]:
    """Every gear requirement of every job."""
    return [
        Requirement(
            id=item["id"],
            capability=item["capability"],
            quantity=int(item["quantity"]),
            start=parse_time(item["start"]),
            end=parse_time(item["end"]),
            priority=int(job.get("priority") or 1),
        )
        for job in data.get("jobs") or []
        for item in job.get("gear") or []
    ]


def read_shifts(data: dict[str, Any]) -> list[Shift]:
    """Every shift of every job."""
    return [
        Shift(
            id=item["id"],
            role=item["role"],
            min_level=int(item.get("min_level", 1)),
            count=int(item.get("count", 1)),
            start=parse_time(item["start"]),
            end=parse_time(item["end"]),
            priority=int(job.get("priority") or 1),
        )
        for job in data.get("jobs") or []
        for item in job.get("shifts") or []
    ]


def add_gear(milp: Milp, requirements: list[Requirement]) -> None:
    """Split each requirement over providers, serving vendor offers and a shortage; price each part."""
    providers = {
        capability["id"]: capability.get("providers") or []
        for capability in milp.data.get("capabilities") or []
    }
    offers = [
        (vendor["id"], offer)
        for vendor in milp.data.get("vendors") or []
        for offer in vendor.get("offers") or []
    ]
    now = parse_time(milp.data["now"]) if milp.data.get("now") else None
    substitution = milp.setting("substitution_penalty_per_unit_day")
    shortage_penalty = milp.setting("shortage_penalty_per_unit_day")
    for req in requirements:
        parts = []
        for provider in providers[req.capability]:
            own = milp.integer(req.quantity, f"own[{req.id},{provider['product']}]")
            milp.own[(req.id, provider["product"])] = own
            milp.cost(req.days * substitution * (1.0 - float(provider.get("quality", 1.0))), own)
            parts.append(own)
        for vendor_id, offer in offers:
            lead = timedelta(hours=float(offer.get("lead_time_hours") or 0.0))
            if offer["capability"] != req.capability or (now is not None and req.start - now < lead):
                continue
            sub = milp.integer(min(req.quantity, int(offer["max_quantity"])), f"sub[{req.id},{vendor_id}]")
            milp.subrented[(req.id, vendor_id)] = sub
            milp.cost(req.days * float(offer["unit_cost_per_day"]), sub)
            parts.append(sub)
        shortage = milp.integer(req.quantity, f"short[{req.id}]")
        milp.cost(req.days * shortage_penalty * req.priority, shortage)
        milp.solver.Add(sum(parts) + shortage == req.quantity)


def add_product_capacity(milp: Milp, requirements: list[Requirement]) -> None:
    """At every start of a busy interval or an out-of-service window, busy units fit the stock in service."""
    for product in milp.data.get("products") or []:
        turnaround = timedelta(hours=float(product.get("turnaround_hours") or 0.0))
        busy = [
            (req.start, req.end + turnaround, milp.own[(req.id, product["id"])])
            for req in requirements
            if (req.id, product["id"]) in milp.own
        ]
        windows = [
            (parse_time(window["start"]), parse_time(window["end"]), int(window["quantity"]))
            for window in product.get("out_of_service") or []
        ]
        for moment in {start for start, _, _ in busy} | {start for start, _, _ in windows}:
            out = sum(quantity for start, end, quantity in windows if start <= moment < end)
            in_use = [variable for start, end, variable in busy if start <= moment < end]
            milp.at_most(in_use, max(0, int(product["owned"]) - out))


def add_vendor_capacity(milp: Milp, requirements: list[Requirement]) -> None:
    """At every start of a requirement it serves, an offer has at most max_quantity units out."""
    by_id = {req.id: req for req in requirements}
    for vendor in milp.data.get("vendors") or []:
        for offer in vendor.get("offers") or []:
            out = [
                (by_id[req_id], variable)
                for (req_id, vendor_id), variable in milp.subrented.items()
                if vendor_id == vendor["id"] and by_id[req_id].capability == offer["capability"]
            ]
            for moment in {req.start for req, _ in out}:
                serving = [variable for req, variable in out if req.start <= moment < req.end]
                milp.at_most(serving, int(offer["max_quantity"]))


def add_gear_pins(milp: Milp) -> None:
    """A gear pin fixes the quantity of its product on its requirement."""
    for pin in milp.data.get("pins") or []:
        if "requirement" not in pin:
            continue
        key = (pin["requirement"], pin["product"])
        if key in milp.own:
            milp.solver.Add(milp.own[key] == int(pin["quantity"]))
        elif int(pin["quantity"]) != 0:
            milp.infeasible = True


def can_work(member: dict[str, Any], shift: Shift) -> bool:
    """Skilled enough for the role and not unavailable during the shift."""
    if int((member.get("skills") or {}).get(shift.role, 0)) < shift.min_level:
        return False
    return not any(
        overlaps(shift.start, shift.end, parse_time(window["start"]), parse_time(window["end"]))
        for window in member.get("unavailable") or []
    )


def add_crew(milp: Milp, shifts: list[Shift]) -> None:
    """Place distinct qualified people on shifts; price the missing ones."""
    unfilled = milp.setting("unfilled_shift_penalty")
    for shift in shifts:
        people = []
        for member in milp.data.get("crew") or []:
            if can_work(member, shift):
                placed = milp.solver.BoolVar(f"placed[{shift.id},{member['id']}]")
                milp.placed[(shift.id, member["id"])] = placed
                people.append(placed)
        missing = milp.integer(shift.count, f"missing[{shift.id}]")
        milp.cost(unfilled * shift.priority, missing)
        milp.solver.Add(sum(people) + missing == shift.count)


def add_crew_rules(milp: Milp, shifts: list[Shift]) -> None:
    """Per person: no overlap and rest between shifts, weekly hours, and a day rate per day worked."""
    rest = timedelta(hours=milp.setting("rest_hours"))
    for member in milp.data.get("crew") or []:
        mine = [
            (shift, milp.placed[(shift.id, member["id"])])
            for shift in shifts
            if (shift.id, member["id"]) in milp.placed
        ]
        for moment in {shift.start for shift, _ in mine}:
            milp.at_most([placed for shift, placed in mine if shift.start <= moment < shift.end + rest], 1)
        if member.get("max_hours_per_week") is not None:
            weeks: dict[tuple[int, int], list[tuple[float, pywraplp.Variable]]] = defaultdict(list)
            for shift, placed in mine:
                year, week, _ = shift.start.isocalendar()
                weeks[(year, week)].append((shift.hours, placed))
            for week_shifts in weeks.values():
                hours = sum(length * placed for length, placed in week_shifts)
                milp.solver.Add(hours <= float(member["max_hours_per_week"]) + 1e-9)
        add_day_rate(milp, member, mine)


def add_day_rate(milp: Milp, member: dict[str, Any], mine: list[tuple[Shift, pywraplp.Variable]]) -> None:
    """A worked-day variable per calendar day the person's possible shifts touch, priced at the day rate."""
    day_rate = float(member.get("day_rate") or 0.0)
    if not day_rate:
        return
    worked: dict[date, pywraplp.Variable] = {}
    for shift, placed in mine:
        for day in days_touched(shift.start, shift.end):
            if day not in worked:
                worked[day] = milp.solver.BoolVar(f"worked[{member['id']},{day}]")
                milp.cost(day_rate, worked[day])
            milp.solver.Add(worked[day] >= placed)


def add_fixed_crew(milp: Milp) -> None:
    """Bookings and crew pins put their person on their shift."""
    fixed = [
        *(milp.data.get("bookings") or []),
        *(pin for pin in milp.data.get("pins") or [] if "shift" in pin),
    ]
    for item in fixed:
        placed = milp.placed.get((item["shift"], item["crew"]))
        if placed is None:
            milp.infeasible = True
        else:
            milp.solver.Add(placed == 1)


def add_churn(milp: Milp, requirements: list[Requirement], shifts: list[Shift]) -> None:
    """Units changed per (requirement, product) and (shift, person) pairs in one plan only, priced."""
    previous = milp.data.get("previous_plan")
    if previous is None:
        return
    penalty = milp.setting("churn_penalty")
    requirement_ids = {req.id for req in requirements}
    shift_ids = {shift.id for shift in shifts}
    before: Counter[tuple[str, str]] = Counter()
    for row in previous.get("gear") or []:
        if row["requirement"] in requirement_ids:
            before[(row["requirement"], row["product"])] += int(row["quantity"])
    for key in milp.own.keys() | before.keys():
        own, old = milp.own.get(key), before[key]
        if own is None:
            milp.constant += penalty * old
        elif old == 0:
            milp.cost(penalty, own)
        else:
            change = milp.integer(milp.solver.infinity(), f"change[{key[0]},{key[1]}]")
            milp.solver.Add(change >= own - old)
            milp.solver.Add(change >= old - own)
            milp.cost(penalty, change)
    placed_before = {
        (row["shift"], row["crew"]) for row in previous.get("crew") or [] if row["shift"] in shift_ids
    }
    for key, placed in milp.placed.items():
        if key in placed_before:
            milp.constant += penalty
            milp.cost(-penalty, placed)
        else:
            milp.cost(penalty, placed)
    milp.constant += penalty * len(placed_before - milp.placed.keys())


def milp_solve(data: dict[str, Any], time_limit: float = 60.0) -> tuple[str, float | None]:
    """SCIP's verdict: ("optimal", objective), ("infeasible", None) or ("not-proven", None)."""
    milp = Milp(data)
    requirements, shifts = read_requirements(data), read_shifts(data)
    add_gear(milp, requirements)
    add_product_capacity(milp, requirements)
    add_vendor_capacity(milp, requirements)
    add_gear_pins(milp)
    add_crew(milp, shifts)
    add_crew_rules(milp, shifts)
    add_fixed_crew(milp)
    add_churn(milp, requirements, shifts)
    if milp.infeasible:
        return "infeasible", None
    objective = milp.solver.Objective()
    for coefficient, variable in milp.terms:
        objective.SetCoefficient(variable, objective.GetCoefficient(variable) + coefficient)
    objective.SetMinimization()
    milp.solver.SetTimeLimit(int(time_limit * 1000))
    parameters = pywraplp.MPSolverParameters()
    parameters.SetDoubleParam(parameters.RELATIVE_MIP_GAP, 0.0)
    status = milp.solver.Solve(parameters)
    if status == pywraplp.Solver.OPTIMAL:
        return "optimal", milp.objective_value()
    if status == pywraplp.Solver.INFEASIBLE:
        return "infeasible", None
    return "not-proven", None


def milp_optimum(data: dict[str, Any], time_limit: float = 60.0) -> float | None:
    """The proven optimal objective of the scenario, or None if infeasible or not proven in ``time_limit``."""
    return milp_solve(data, time_limit)[1]
