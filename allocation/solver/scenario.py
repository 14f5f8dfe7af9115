"""The scenario and plan of SCENARIO.md as dataclasses, with a loader that names the bad field.

Times are parsed into timezone-aware UTC datetimes. Intervals are half-open, ``[start, end)``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any

PLAN_STATUSES = ("optimal", "feasible", "infeasible", "timeout-no-solution")
CREW_KINDS = ("staff", "freelancer")
COST_PARTS = ("shortage", "subrental", "substitution", "crew", "unfilled", "churn")


class ScenarioError(ValueError):
    """A scenario or plan file that does not follow SCENARIO.md; the message names the field."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}" if path else message)


# --- time helpers shared by every solver and the checker ----------------------------------------------------


def parse_time(value: Any, path: str) -> datetime:
    """Parse an ISO 8601 time with a UTC offset into an aware UTC datetime."""
    if not isinstance(value, str):
        raise ScenarioError(path, f"expected an ISO 8601 time string, got {value!r}")
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ScenarioError(path, f"not an ISO 8601 time: {value!r}") from None
    if parsed.tzinfo is None:
        raise ScenarioError(path, f"time {value!r} has no UTC offset")
    return parsed.astimezone(UTC)


def format_time(moment: datetime) -> str:
    """Format an aware datetime as ISO 8601 in UTC with a ``Z`` suffix."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def days_touched(start: datetime, end: datetime) -> list[date]:
    """The UTC calendar days that the half-open interval ``[start, end)`` touches."""
    first = start.astimezone(UTC).date()
    last = (end.astimezone(UTC) - timedelta(microseconds=1)).date()
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def day_count(start: datetime, end: datetime) -> int:
    """``days(req)`` of the contract: how many calendar days ``[start, end)`` touches."""
    return len(days_touched(start, end))


def iso_week(moment: datetime) -> tuple[int, int]:
    """The ISO (year, week) in which a UTC moment falls."""
    year, week, _ = moment.astimezone(UTC).isocalendar()
    return year, week


def hours_between(start: datetime, end: datetime) -> float:
    """Length of ``[start, end)`` in hours."""
    return (end - start).total_seconds() / 3600.0


# --- the scenario ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutOfService:
    """Units of a product that cannot be used during ``[start, end)``."""

    start: datetime
    end: datetime
    quantity: int


@dataclass(frozen=True)
class Product:
    """Owned gear: how many units, and how long a unit is busy after each use."""

    id: str
    owned: int
    turnaround_hours: float = 0.0
    out_of_service: tuple[OutOfService, ...] = ()


@dataclass(frozen=True)
class Provider:
    """A product that provides a capability, with a quality in [0, 1]."""

    product: str
    quality: float


@dataclass(frozen=True)
class Capability:
    """What a gear requirement asks for, and the owned products that provide it."""

    id: str
    providers: tuple[Provider, ...]


@dataclass(frozen=True)
class VendorOffer:
    """A vendor's sub-rental offer for one capability."""

    capability: str
    unit_cost_per_day: float
    max_quantity: int  # in JSON optional: no limit (see _load_vendors)
    lead_time_hours: float = 0.0


@dataclass(frozen=True)
class Vendor:
    """A partner that sub-rents capabilities."""

    id: str
    offers: tuple[VendorOffer, ...]


@dataclass(frozen=True)
class GearRequirement:
    """A quantity of a capability needed by a job during ``[start, end)``."""

    id: str
    job: str
    capability: str
    quantity: int
    start: datetime
    end: datetime

    @property
    def days(self) -> int:
        return day_count(self.start, self.end)


@dataclass(frozen=True)
class Shift:
    """``count`` people with ``role`` at ``min_level`` or above, during ``[start, end)``."""

    id: str
    job: str
    role: str
    min_level: int
    count: int
    start: datetime
    end: datetime

    @property
    def hours(self) -> float:
        return hours_between(self.start, self.end)


@dataclass(frozen=True)
class Job:
    """An open job with its gear requirements and crew shifts."""

    id: str
    priority: int
    booked_at: datetime | None
    gear: tuple[GearRequirement, ...]
    shifts: tuple[Shift, ...]


@dataclass(frozen=True)
class Interval:
    """A half-open time interval ``[start, end)``."""

    start: datetime
    end: datetime


@dataclass(frozen=True)
class CrewMember:
    """A staff member or freelancer with skill levels, a day rate and limits."""

    id: str
    kind: str
    skills: Mapping[str, int]
    day_rate: float
    max_hours_per_week: float | None = None
    unavailable: tuple[Interval, ...] = ()

    def qualifies(self, shift: Shift) -> bool:
        return self.skills.get(shift.role, 0) >= shift.min_level


@dataclass(frozen=True)
class Booking:
    """A confirmed freelancer booking: this person works this shift in every plan."""

    shift: str
    crew: str


@dataclass(frozen=True)
class GearPin:
    """A planner's decision: exactly ``quantity`` of ``product`` on ``requirement``."""

    requirement: str
    product: str
    quantity: int


@dataclass(frozen=True)
class CrewPin:
    """A planner's decision: this person works this shift."""

    shift: str
    crew: str


@dataclass(frozen=True)
class Settings:
    """Penalties and limits of the objective; defaults as in SCENARIO.md."""

    rest_hours: float = 10.0
    shortage_penalty_per_unit_day: float = 1000.0
    unfilled_shift_penalty: float = 5000.0
    substitution_penalty_per_unit_day: float = 20.0
    churn_penalty: float = 50.0
    time_limit_seconds: float = 10.0
    workers: int = 0  # 0: let the solver choose (all cores)


@dataclass
class Scenario:
    """Everything a solver needs: stock, vendors, open jobs, crew, fixed decisions and the previous plan."""

    name: str
    products: list[Product]
    capabilities: list[Capability]
    vendors: list[Vendor]
    jobs: list[Job]
    crew: list[CrewMember]
    bookings: list[Booking] = field(default_factory=list)
    gear_pins: list[GearPin] = field(default_factory=list)
    crew_pins: list[CrewPin] = field(default_factory=list)
    previous_plan: Plan | None = None
    settings: Settings = field(default_factory=Settings)
    now: datetime | None = None

    @cached_property
    def product_by_id(self) -> dict[str, Product]:
        return {product.id: product for product in self.products}

    @cached_property
    def capability_by_id(self) -> dict[str, Capability]:
        return {capability.id: capability for capability in self.capabilities}

    @cached_property
    def vendor_by_id(self) -> dict[str, Vendor]:
        return {vendor.id: vendor for vendor in self.vendors}

    @cached_property
    def job_by_id(self) -> dict[str, Job]:
        return {job.id: job for job in self.jobs}

    @cached_property
    def crew_by_id(self) -> dict[str, CrewMember]:
        return {member.id: member for member in self.crew}

    @cached_property
    def requirements(self) -> list[GearRequirement]:
        return [requirement for job in self.jobs for requirement in job.gear]

    @cached_property
    def requirement_by_id(self) -> dict[str, GearRequirement]:
        return {requirement.id: requirement for requirement in self.requirements}

    @cached_property
    def shifts(self) -> list[Shift]:
        return [shift for job in self.jobs for shift in job.shifts]

    @cached_property
    def shift_by_id(self) -> dict[str, Shift]:
        return {shift.id: shift for shift in self.shifts}

    def priority_of(self, job_id: str) -> int:
        return self.job_by_id[job_id].priority

    def vendor_offer_serves(self, offer: VendorOffer, requirement: GearRequirement) -> bool:
        """Whether the offer's lead time allows it to serve the requirement (always when ``now`` is unset)."""
        if offer.capability != requirement.capability:
            return False
        if self.now is None:
            return True
        return requirement.start - self.now >= timedelta(hours=offer.lead_time_hours)


# --- the plan ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GearAllocation:
    """Units of an owned product placed on a requirement."""

    requirement: str
    product: str
    quantity: int


@dataclass(frozen=True)
class SubRental:
    """Units sub-rented from a vendor for a requirement."""

    requirement: str
    vendor: str
    quantity: int


@dataclass(frozen=True)
class Shortage:
    """Units of a requirement that nothing covers."""

    requirement: str
    quantity: int


@dataclass(frozen=True)
class CrewAssignment:
    """A person placed on a shift."""

    shift: str
    crew: str


@dataclass(frozen=True)
class Unfilled:
    """People still missing on a shift."""

    shift: str
    missing: int


@dataclass
class Plan:
    """A solver's answer in the shape of SCENARIO.md."""

    status: str = "feasible"
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    solve_seconds: float = 0.0
    gear: list[GearAllocation] = field(default_factory=list)
    subrentals: list[SubRental] = field(default_factory=list)
    shortages: list[Shortage] = field(default_factory=list)
    crew: list[CrewAssignment] = field(default_factory=list)
    unfilled: list[Unfilled] = field(default_factory=list)
    costs: dict[str, float] = field(default_factory=lambda: dict.fromkeys(COST_PARTS, 0.0))
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    solver: str = ""
    # Optional, beyond the contract: proven lower bounds of independent parts of the scenario, keyed by a
    # signature of their data (see allocation.solver.cpsat.replan); passed back in ``previous_plan``.
    component_bounds: dict[str, float] = field(default_factory=dict)


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The plan as the JSON object of SCENARIO.md."""
    return {
        "status": plan.status,
        "objective": plan.objective,
        "bound": plan.bound,
        "gap": plan.gap,
        "solve_seconds": round(plan.solve_seconds, 3),
        "solver": plan.solver,
        "gear": [
            {"requirement": item.requirement, "product": item.product, "quantity": item.quantity}
            for item in plan.gear
        ],
        "subrentals": [
            {"requirement": item.requirement, "vendor": item.vendor, "quantity": item.quantity}
            for item in plan.subrentals
        ],
        "shortages": [
            {"requirement": item.requirement, "quantity": item.quantity} for item in plan.shortages
        ],
        "crew": [{"shift": item.shift, "crew": item.crew} for item in plan.crew],
        "unfilled": [{"shift": item.shift, "missing": item.missing} for item in plan.unfilled],
        "costs": {part: plan.costs.get(part, 0.0) for part in COST_PARTS},
        "conflicts": list(plan.conflicts),
        **({"component_bounds": dict(plan.component_bounds)} if plan.component_bounds else {}),
    }


# --- the loader --------------------------------------------------------------------------------------------


class _Reader:
    """Typed access to one JSON object, naming ``path.key`` in every error."""

    def __init__(self, data: Any, path: str) -> None:
        if not isinstance(data, dict):
            raise ScenarioError(path or "scenario", f"expected an object, got {type(data).__name__}")
        self.data = data
        self.path = path

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def raw(self, key: str, default: Any = ...) -> Any:
        if key not in self.data or self.data[key] is None:
            if default is ...:
                raise ScenarioError(self.at(key), "is required")
            return default
        return self.data[key]

    def text(self, key: str, default: Any = ...) -> str:
        value = self.raw(key, default)
        if not isinstance(value, str) or not value:
            raise ScenarioError(self.at(key), f"expected a non-empty string, got {value!r}")
        return value

    def number(self, key: str, default: Any = ..., *, minimum: float | None = 0.0) -> float:
        value = self.raw(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ScenarioError(self.at(key), f"expected a number, got {value!r}")
        if value != value or value in (float("inf"), float("-inf")):
            raise ScenarioError(self.at(key), "must be a finite number")
        if minimum is not None and value < minimum:
            raise ScenarioError(self.at(key), f"must be at least {minimum:g}, got {value!r}")
        return float(value)

    def integer(
        self, key: str, default: Any = ..., *, minimum: int | None = 0, maximum: int | None = None
    ) -> int:
        value = self.raw(key, default)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ScenarioError(self.at(key), f"expected a whole number, got {value!r}")
        if minimum is not None and value < minimum:
            raise ScenarioError(self.at(key), f"must be at least {minimum}, got {value}")
        if maximum is not None and value > maximum:
            raise ScenarioError(self.at(key), f"must be at most {maximum}, got {value}")
        return value

    def time(self, key: str, default: Any = ...) -> datetime | None:
        value = self.raw(key, default)
        if value is None:
            return None
        return parse_time(value, self.at(key))

    def items(self, key: str, *, required: bool = False) -> list[_Reader]:
        value = self.raw(key, ... if required else [])
        if not isinstance(value, list):
            raise ScenarioError(self.at(key), f"expected a list, got {type(value).__name__}")
        return [_Reader(item, f"{self.at(key)}[{index}]") for index, item in enumerate(value)]


def _interval(reader: _Reader) -> tuple[datetime, datetime]:
    start = reader.time("start")
    end = reader.time("end")
    assert start is not None and end is not None
    if end <= start:
        raise ScenarioError(reader.at("end"), f"must be after start ({format_time(start)})")
    return start, end


def _unique(ids: Iterable[tuple[str, str]], what: str) -> None:
    seen: set[str] = set()
    for path, identifier in ids:
        if identifier in seen:
            raise ScenarioError(path, f"duplicate {what} id {identifier!r}")
        seen.add(identifier)


def _load_products(root: _Reader) -> list[Product]:
    products = []
    for reader in root.items("products"):
        windows = []
        for window in reader.items("out_of_service"):
            start, end = _interval(window)
            windows.append(OutOfService(start, end, window.integer("quantity", minimum=0)))
        products.append(
            Product(
                id=reader.text("id"),
                owned=reader.integer("owned"),
                turnaround_hours=reader.number("turnaround_hours", 0.0),
                out_of_service=tuple(windows),
            )
        )
    _unique(((f"products[{i}].id", p.id) for i, p in enumerate(products)), "product")
    return products


def _load_capabilities(root: _Reader, product_ids: set[str]) -> list[Capability]:
    capabilities = []
    for reader in root.items("capabilities"):
        providers = []
        for provider in reader.items("providers"):
            product = provider.text("product")
            if product not in product_ids:
                raise ScenarioError(provider.at("product"), f"unknown product {product!r}")
            quality = provider.number("quality", 1.0)
            if quality > 1.0:
                raise ScenarioError(provider.at("quality"), f"must be at most 1, got {quality:g}")
            providers.append(Provider(product, quality))
        _unique(((reader.at("providers"), p.product) for p in providers), "provider product")
        capabilities.append(Capability(reader.text("id"), tuple(providers)))
    _unique(((f"capabilities[{i}].id", c.id) for i, c in enumerate(capabilities)), "capability")
    return capabilities


def _load_vendors(root: _Reader, capability_ids: set[str], demand: Counter[str]) -> list[Vendor]:
    """The vendors; an offer without ``max_quantity`` has no limit, kept as its capability's whole demand
    (more than can ever be out at once)."""
    vendors = []
    for reader in root.items("vendors"):
        offers = []
        for offer in reader.items("offers"):
            capability = offer.text("capability")
            if capability not in capability_ids:
                raise ScenarioError(offer.at("capability"), f"unknown capability {capability!r}")
            offers.append(
                VendorOffer(
                    capability=capability,
                    unit_cost_per_day=offer.number("unit_cost_per_day"),
                    max_quantity=offer.integer("max_quantity", demand[capability]),
                    lead_time_hours=offer.number("lead_time_hours", 0.0),
                )
            )
        _unique(((reader.at("offers"), o.capability) for o in offers), "offer capability")
        vendors.append(Vendor(reader.text("id"), tuple(offers)))
    _unique(((f"vendors[{i}].id", v.id) for i, v in enumerate(vendors)), "vendor")
    return vendors


def _load_jobs(root: _Reader, capability_ids: set[str]) -> list[Job]:
    jobs = []
    for reader in root.items("jobs"):
        job_id = reader.text("id")
        gear = []
        for item in reader.items("gear"):
            capability = item.text("capability")
            if capability not in capability_ids:
                raise ScenarioError(item.at("capability"), f"unknown capability {capability!r}")
            start, end = _interval(item)
            gear.append(
                GearRequirement(item.text("id"), job_id, capability, item.integer("quantity"), start, end)
            )
        shifts = []
        for item in reader.items("shifts"):
            start, end = _interval(item)
            shifts.append(
                Shift(
                    id=item.text("id"),
                    job=job_id,
                    role=item.text("role"),
                    min_level=item.integer("min_level", 1, minimum=0),
                    count=item.integer("count", 1),
                    start=start,
                    end=end,
                )
            )
        jobs.append(
            Job(
                id=job_id,
                priority=reader.integer("priority", 1, minimum=1, maximum=5),
                booked_at=reader.time("booked_at", None),
                gear=tuple(gear),
                shifts=tuple(shifts),
            )
        )
    _unique(((f"jobs[{i}].id", j.id) for i, j in enumerate(jobs)), "job")
    _unique(((f"jobs[{i}].gear", g.id) for i, j in enumerate(jobs) for g in j.gear), "gear requirement")
    _unique(((f"jobs[{i}].shifts", s.id) for i, j in enumerate(jobs) for s in j.shifts), "shift")
    return jobs


def _load_crew(root: _Reader) -> list[CrewMember]:
    crew = []
    for reader in root.items("crew"):
        kind = reader.text("kind", "staff")
        if kind not in CREW_KINDS:
            raise ScenarioError(reader.at("kind"), f"must be one of {', '.join(CREW_KINDS)}, got {kind!r}")
        skills_raw = reader.raw("skills", {})
        if not isinstance(skills_raw, dict):
            raise ScenarioError(reader.at("skills"), "expected an object of role -> level")
        skills_reader = _Reader(skills_raw, reader.at("skills"))
        skills = {role: skills_reader.integer(role, minimum=0, maximum=5) for role in skills_raw}
        max_hours = reader.number("max_hours_per_week", None) if reader.has("max_hours_per_week") else None
        unavailable = tuple(Interval(*_interval(window)) for window in reader.items("unavailable"))
        crew.append(
            CrewMember(
                id=reader.text("id"),
                kind=kind,
                skills=skills,
                day_rate=reader.number("day_rate", 0.0),
                max_hours_per_week=max_hours,
                unavailable=unavailable,
            )
        )
    _unique(((f"crew[{i}].id", c.id) for i, c in enumerate(crew)), "crew")
    return crew


def _load_settings(root: _Reader) -> Settings:
    if not root.has("settings"):
        return Settings()
    reader = _Reader(root.raw("settings"), root.at("settings"))
    defaults = Settings()
    return Settings(
        rest_hours=reader.number("rest_hours", defaults.rest_hours),
        shortage_penalty_per_unit_day=reader.number(
            "shortage_penalty_per_unit_day", defaults.shortage_penalty_per_unit_day
        ),
        unfilled_shift_penalty=reader.number("unfilled_shift_penalty", defaults.unfilled_shift_penalty),
        substitution_penalty_per_unit_day=reader.number(
            "substitution_penalty_per_unit_day", defaults.substitution_penalty_per_unit_day
        ),
        churn_penalty=reader.number("churn_penalty", defaults.churn_penalty),
        time_limit_seconds=reader.number("time_limit_seconds", defaults.time_limit_seconds),
        workers=reader.integer("workers", defaults.workers),
    )


def load_plan(data: Any, path: str = "plan", *, partial: bool = False) -> Plan:
    """Read a plan object. With ``partial`` (a ``previous_plan``) only gear, subrentals and crew are read."""
    reader = _Reader(data, path)
    plan = Plan(
        gear=[
            GearAllocation(item.text("requirement"), item.text("product"), item.integer("quantity"))
            for item in reader.items("gear")
        ],
        subrentals=[
            SubRental(item.text("requirement"), item.text("vendor"), item.integer("quantity"))
            for item in reader.items("subrentals")
        ],
        crew=[CrewAssignment(item.text("shift"), item.text("crew")) for item in reader.items("crew")],
    )
    bounds_raw = reader.raw("component_bounds", {})
    if isinstance(bounds_raw, dict):
        plan.component_bounds = {
            str(key): float(value)
            for key, value in bounds_raw.items()
            if isinstance(value, int | float) and not isinstance(value, bool)
        }
    if partial:
        return plan
    status = reader.text("status", "feasible")
    if status not in PLAN_STATUSES:
        raise ScenarioError(reader.at("status"), f"must be one of {', '.join(PLAN_STATUSES)}, got {status!r}")
    plan.status = status
    plan.objective = reader.number("objective", None, minimum=None) if reader.has("objective") else None
    plan.bound = reader.number("bound", None, minimum=None) if reader.has("bound") else None
    plan.gap = reader.number("gap", None, minimum=None) if reader.has("gap") else None
    plan.solve_seconds = reader.number("solve_seconds", 0.0)
    plan.solver = str(reader.raw("solver", ""))
    plan.shortages = [
        Shortage(item.text("requirement"), item.integer("quantity")) for item in reader.items("shortages")
    ]
    plan.unfilled = [
        Unfilled(item.text("shift"), item.integer("missing")) for item in reader.items("unfilled")
    ]
    costs_raw = reader.raw("costs", {})
    costs_reader = _Reader(costs_raw, reader.at("costs"))
    plan.costs = {part: costs_reader.number(part, 0.0, minimum=None) for part in COST_PARTS}
    conflicts = reader.raw("conflicts", [])
    if not isinstance(conflicts, list):
        raise ScenarioError(reader.at("conflicts"), "expected a list")
    plan.conflicts = [item if isinstance(item, dict) else {"message": str(item)} for item in conflicts]
    return plan


def load_scenario(data: Any) -> Scenario:
    """Validate a parsed scenario object and build the dataclasses; raise ScenarioError naming the field."""
    root = _Reader(data, "")
    products = _load_products(root)
    product_ids = {product.id for product in products}
    capabilities = _load_capabilities(root, product_ids)
    capability_ids = {capability.id for capability in capabilities}
    jobs = _load_jobs(root, capability_ids)
    demand: Counter[str] = Counter()
    for job in jobs:
        for requirement in job.gear:
            demand[requirement.capability] += requirement.quantity
    vendors = _load_vendors(root, capability_ids, demand)
    crew = _load_crew(root)
    crew_ids = {member.id for member in crew}
    requirement_ids = {requirement.id for job in jobs for requirement in job.gear}
    shift_ids = {shift.id for job in jobs for shift in job.shifts}

    bookings = []
    for item in root.items("bookings"):
        booking = Booking(item.text("shift"), item.text("crew"))
        if booking.shift not in shift_ids:
            raise ScenarioError(item.at("shift"), f"unknown shift {booking.shift!r}")
        if booking.crew not in crew_ids:
            raise ScenarioError(item.at("crew"), f"unknown crew member {booking.crew!r}")
        bookings.append(booking)

    gear_pins, crew_pins = [], []
    for item in root.items("pins"):
        if item.has("requirement"):
            pin = GearPin(item.text("requirement"), item.text("product"), item.integer("quantity"))
            if pin.requirement not in requirement_ids:
                raise ScenarioError(item.at("requirement"), f"unknown gear requirement {pin.requirement!r}")
            if pin.product not in product_ids:
                raise ScenarioError(item.at("product"), f"unknown product {pin.product!r}")
            gear_pins.append(pin)
        elif item.has("shift"):
            crew_pin = CrewPin(item.text("shift"), item.text("crew"))
            if crew_pin.shift not in shift_ids:
                raise ScenarioError(item.at("shift"), f"unknown shift {crew_pin.shift!r}")
            if crew_pin.crew not in crew_ids:
                raise ScenarioError(item.at("crew"), f"unknown crew member {crew_pin.crew!r}")
            crew_pins.append(crew_pin)
        else:
            raise ScenarioError(
                item.path, "a pin names either a requirement and product, or a shift and crew"
            )

    previous = root.raw("previous_plan", None)
    return Scenario(
        name=str(root.raw("name", "")),
        products=products,
        capabilities=capabilities,
        vendors=vendors,
        jobs=jobs,
        crew=crew,
        bookings=bookings,
        gear_pins=gear_pins,
        crew_pins=crew_pins,
        previous_plan=load_plan(previous, "previous_plan", partial=True) if previous is not None else None,
        settings=_load_settings(root),
        now=root.time("now", None),
    )


def read_json_file(path: str | Path) -> Any:
    """Read a JSON file, turning I/O and syntax problems into a ScenarioError."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise ScenarioError("", f"cannot read {path}: {error.strerror or error}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ScenarioError("", f"{path} is not valid JSON: {error.msg} at line {error.lineno}") from None


def load_scenario_file(path: str | Path) -> Scenario:
    """Load and validate a scenario JSON file."""
    return load_scenario(read_json_file(path))


def scenario_to_dict(scenario: Scenario) -> dict[str, Any]:
    """The scenario as the JSON object of SCENARIO.md (what the web app stores beside each plan)."""
    settings = scenario.settings
    data: dict[str, Any] = {
        "name": scenario.name,
        "products": [
            {
                "id": product.id,
                "owned": product.owned,
                "turnaround_hours": product.turnaround_hours,
                "out_of_service": [
                    {"start": format_time(w.start), "end": format_time(w.end), "quantity": w.quantity}
                    for w in product.out_of_service
                ],
            }
            for product in scenario.products
        ],
        "capabilities": [
            {
                "id": capability.id,
                "providers": [{"product": p.product, "quality": p.quality} for p in capability.providers],
            }
            for capability in scenario.capabilities
        ],
        "vendors": [
            {
                "id": vendor.id,
                "offers": [
                    {
                        "capability": offer.capability,
                        "unit_cost_per_day": offer.unit_cost_per_day,
                        "max_quantity": offer.max_quantity,
                        "lead_time_hours": offer.lead_time_hours,
                    }
                    for offer in vendor.offers
                ],
            }
            for vendor in scenario.vendors
        ],
        "jobs": [
            {
                "id": job.id,
                "priority": job.priority,
                "booked_at": format_time(job.booked_at) if job.booked_at else None,
                "gear": [
                    {
                        "id": g.id,
                        "capability": g.capability,
                        "quantity": g.quantity,
                        "start": format_time(g.start),
                        "end": format_time(g.end),
                    }
                    for g in job.gear
                ],
                "shifts": [
                    {
                        "id": s.id,
                        "role": s.role,
                        "min_level": s.min_level,
                        "count": s.count,
                        "start": format_time(s.start),
                        "end": format_time(s.end),
                    }
                    for s in job.shifts
                ],
            }
            for job in scenario.jobs
        ],
        "crew": [
            {
                "id": member.id,
                "kind": member.kind,
                "skills": dict(member.skills),
                "day_rate": member.day_rate,
                **(
                    {"max_hours_per_week": member.max_hours_per_week}
                    if member.max_hours_per_week is not None
                    else {}
                ),
                "unavailable": [
                    {"start": format_time(w.start), "end": format_time(w.end)} for w in member.unavailable
                ],
            }
            for member in scenario.crew
        ],
        "bookings": [{"shift": b.shift, "crew": b.crew} for b in scenario.bookings],
        "pins": [
            *(
                {"requirement": p.requirement, "product": p.product, "quantity": p.quantity}
                for p in scenario.gear_pins
            ),
            *({"shift": p.shift, "crew": p.crew} for p in scenario.crew_pins),
        ],
        "settings": {
            "rest_hours": settings.rest_hours,
            "shortage_penalty_per_unit_day": settings.shortage_penalty_per_unit_day,
            "unfilled_shift_penalty": settings.unfilled_shift_penalty,
            "substitution_penalty_per_unit_day": settings.substitution_penalty_per_unit_day,
            "churn_penalty": settings.churn_penalty,
            "time_limit_seconds": settings.time_limit_seconds,
            "workers": settings.workers,
        },
    }
    if scenario.now is not None:
        data["now"] = format_time(scenario.now)
    if scenario.previous_plan is not None:
        previous = plan_to_dict(scenario.previous_plan)
        data["previous_plan"] = {key: previous[key] for key in ("gear", "subrentals", "crew")}
        if scenario.previous_plan.component_bounds:
            data["previous_plan"]["component_bounds"] = dict(scenario.previous_plan.component_bounds)
    return data
