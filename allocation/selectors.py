"""Reads of the allocation app: the latest plans, and what a plan means for each job (risk and cost)."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from statistics import median

from allocation.models import Pin, PlanCrew, PlanGear, PlanRun, PlanShortage, PlanSubRental, PlanUnfilled
from allocation.solver.scenario import day_count
from jobs.models import CapabilityProvider, GearRequirement, Job, VendorOffer
from labor.models import CrewMember, CrewSkill, Shift

COVERED = "covered"
SUBRENTED = "subrented"
SHORT = "short"
PENDING = "pending"
RISK_LABELS = {
    COVERED: "Covered",
    SUBRENTED: "Covered with sub-rentals or over-hire",
    SHORT: "Short",
    PENDING: "Waiting for the plan",
}


def last_solve_summary() -> dict | None:
    """The latest solve's status and time, or None before the first solve."""
    latest = PlanRun.objects.only("pk", "state", "status", "created_at", "solve_seconds", "message").first()
    if latest is None:
        return None
    return {
        "id": latest.pk,
        "state": latest.state,
        "status": latest.status,
        "seconds": round(latest.solve_seconds, 2),
        "created_at": latest.created_at.isoformat(),
        "message": latest.message,
    }


def latest_plan() -> PlanRun | None:
    """The newest plan with a solution (proposed or published): what reps see their risk from."""
    return (
        PlanRun.objects.filter(state__in=[PlanRun.State.PROPOSED, PlanRun.State.PUBLISHED])
        .defer("scenario", "plan")
        .first()
    )


def published_plan() -> PlanRun | None:
    return PlanRun.objects.filter(state=PlanRun.State.PUBLISHED).defer("scenario", "plan").first()


@dataclass
class JobFulfilment:
    """What a plan does for one job: how it is covered and what covering it costs."""

    risk: str = COVERED
    own_gear: Decimal = Decimal("0")
    subrental: Decimal = Decimal("0")
    crew: Decimal = Decimal("0")
    overhire: Decimal = Decimal("0")
    shortage_units: int = 0
    subrented_units: int = 0
    freelancers: int = 0
    unfilled_people: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return self.own_gear + self.subrental + self.crew + self.overhire

    @property
    def risk_label(self) -> str:
        return RISK_LABELS[self.risk]


def freelance_day_rates() -> dict[int, Decimal]:
    """Median freelancer day rate per skill: what an over-hire need is expected to cost per person-day."""
    rates: dict[int, list[Decimal]] = defaultdict(list)
    for skill_id, day_rate in CrewSkill.objects.filter(
        crew__kind=CrewMember.Kind.FREELANCER, crew__active=True
    ).values_list("skill_id", "crew__day_rate"):
        rates[skill_id].append(day_rate)
    return {skill_id: Decimal(median(values)) for skill_id, values in rates.items()}


def plan_fulfilment(plan: PlanRun, job_ids: list[int]) -> dict[int, JobFulfilment]:
    """Risk and cost of fulfilling each job under a plan, in a fixed number of queries.

    The plan's lines are read as plain values (no model instances): the rep's order list asks for fifty
    jobs at a time, some 2,000 lines, on every page.
    """
    result = {job_id: JobFulfilment() for job_id in job_ids}
    offers = {
        (vendor_id, capability_id): cost
        for vendor_id, capability_id, cost in VendorOffer.objects.values_list(
            "vendor_id", "capability_id", "unit_cost_per_day"
        )
    }
    gear = PlanGear.objects.filter(plan=plan, requirement__job_id__in=job_ids).values_list(
        "requirement__job_id", "requirement__start", "requirement__end", "product__day_rate", "quantity"
    )
    for job_id, start, end, day_rate, quantity in gear:
        result[job_id].own_gear += day_rate * quantity * day_count(start, end)
    subrentals = PlanSubRental.objects.filter(plan=plan, requirement__job_id__in=job_ids).values_list(
        "requirement__job_id",
        "requirement__start",
        "requirement__end",
        "vendor_id",
        "requirement__capability_id",
        "quantity",
    )
    for job_id, start, end, vendor_id, capability_id, quantity in subrentals:
        fulfilment = result[job_id]
        unit_cost = offers.get((vendor_id, capability_id), Decimal("0"))
        fulfilment.subrental += unit_cost * quantity * day_count(start, end)
        fulfilment.subrented_units += quantity
    shortages = PlanShortage.objects.filter(plan=plan, requirement__job_id__in=job_ids).values_list(
        "requirement__job_id", "quantity"
    )
    for job_id, quantity in shortages:
        result[job_id].shortage_units += quantity
    crew = PlanCrew.objects.filter(plan=plan, shift__job_id__in=job_ids).values_list(
        "shift__job_id", "shift__start", "shift__end", "crew__day_rate", "crew__kind"
    )
    for job_id, start, end, day_rate, kind in crew:
        fulfilment = result[job_id]
        cost = day_rate * day_count(start, end)
        if kind == CrewMember.Kind.FREELANCER:
            fulfilment.overhire += cost
            fulfilment.freelancers += 1
        else:
            fulfilment.crew += cost
    rates = None
    unfilled = PlanUnfilled.objects.filter(plan=plan, shift__job_id__in=job_ids).values_list(
        "shift__job_id", "shift__start", "shift__end", "shift__skill_id", "missing"
    )
    for job_id, start, end, skill_id, missing in unfilled:
        rates = rates if rates is not None else freelance_day_rates()
        fulfilment = result[job_id]
        fulfilment.overhire += rates.get(skill_id, Decimal("0")) * missing * day_count(start, end)
        fulfilment.unfilled_people += missing
    for fulfilment in result.values():
        if fulfilment.shortage_units:
            fulfilment.risk = SHORT
        elif fulfilment.subrented_units or fulfilment.freelancers or fulfilment.unfilled_people:
            fulfilment.risk = SUBRENTED
    return result


def plan_by_state(state: str | None = None):
    """Plans newest first (without their JSON), optionally of one state."""
    plans = PlanRun.objects.defer("scenario", "plan").select_related("published_by")
    return plans.filter(state=state) if state else plans


@dataclass
class RequirementRow:
    """A gear requirement under a plan: what covers it and what is pinned on it."""

    requirement: GearRequirement
    gear: list[PlanGear] = field(default_factory=list)
    subrentals: list[PlanSubRental] = field(default_factory=list)
    short: int = 0
    pins: list[Pin] = field(default_factory=list)
    providers: list[CapabilityProvider] = field(default_factory=list)

    @property
    def pinned_products(self) -> dict[int, int]:
        return {pin.product_id: pin.quantity for pin in self.pins}


@dataclass
class ShiftRow:
    """A shift under a plan: who works it, who is pinned, how many are still missing, who could."""

    shift: Shift
    crew: list[PlanCrew] = field(default_factory=list)
    missing: int = 0
    pins: list[Pin] = field(default_factory=list)
    candidates: list[CrewMember] = field(default_factory=list)

    @property
    def pinned_crew(self) -> set[int]:
        return {pin.crew_id for pin in self.pins}


@dataclass
class JobPlanDetail:
    requirements: list[RequirementRow]
    shifts: list[ShiftRow]
    fulfilment: JobFulfilment | None


def job_plan_detail(*, plan: PlanRun | None, job: Job) -> JobPlanDetail:
    """One job's requirements and shifts with the plan's lines and the pins, in a fixed number of queries."""
    requirements = {
        requirement.pk: RequirementRow(requirement)
        for requirement in job.gear_requirements.select_related("capability").order_by("start", "key")
    }
    shifts = {
        shift.pk: ShiftRow(shift) for shift in job.shifts.select_related("skill").order_by("start", "key")
    }
    if plan is not None:
        for line in PlanGear.objects.filter(plan=plan, requirement__job=job).select_related("product"):
            requirements[line.requirement_id].gear.append(line)
        for line in PlanSubRental.objects.filter(plan=plan, requirement__job=job).select_related("vendor"):
            requirements[line.requirement_id].subrentals.append(line)
        for line in PlanShortage.objects.filter(plan=plan, requirement__job=job):
            requirements[line.requirement_id].short += line.quantity
        for line in PlanCrew.objects.filter(plan=plan, shift__job=job).select_related("crew"):
            shifts[line.shift_id].crew.append(line)
        for line in PlanUnfilled.objects.filter(plan=plan, shift__job=job):
            shifts[line.shift_id].missing += line.missing
    for pin in Pin.objects.filter(requirement__job=job).select_related("product"):
        requirements[pin.requirement_id].pins.append(pin)
    for pin in Pin.objects.filter(shift__job=job).select_related("crew"):
        shifts[pin.shift_id].pins.append(pin)
    providers: dict[int, list[CapabilityProvider]] = defaultdict(list)
    for provider in CapabilityProvider.objects.filter(
        capability_id__in={row.requirement.capability_id for row in requirements.values()},
        product__active=True,
    ).select_related("product"):
        providers[provider.capability_id].append(provider)
    for row in requirements.values():
        row.providers = providers[row.requirement.capability_id]
    levels: dict[int, list[tuple[int, CrewMember]]] = defaultdict(list)
    for crew_skill in CrewSkill.objects.filter(
        skill_id__in={row.shift.skill_id for row in shifts.values()}, crew__active=True
    ).select_related("crew"):
        levels[crew_skill.skill_id].append((crew_skill.level, crew_skill.crew))
    for row in shifts.values():
        row.candidates = sorted(
            (member for level, member in levels[row.shift.skill_id] if level >= row.shift.min_level),
            key=lambda member: (member.kind != CrewMember.Kind.STAFF, member.last_name),
        )
    fulfilment = plan_fulfilment(plan, [job.pk])[job.pk] if plan is not None else None
    return JobPlanDetail(list(requirements.values()), list(shifts.values()), fulfilment)
