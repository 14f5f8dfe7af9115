"""The one bridge from the database to the solver: build a scenario of all open jobs (SCENARIO.md format).

Scenario ids are the business codes: product SKU, capability and skill slugs, vendor and crew codes, job codes
and ``JOB/key`` for requirements and shifts (keys stay stable when an order is re-expanded).
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from allocation.models import Pin
from allocation.solver.scenario import format_time
from jobs.models import Capability, CapabilityProvider, GearRequirement, Job, Product, Vendor, VendorOffer
from labor.models import Booking, CrewMember, CrewSkill, Shift, Unavailability


@dataclass
class BuiltScenario:
    """A scenario as JSON, with the maps from its ids back to database rows."""

    data: dict[str, Any]
    requirement_pk: dict[str, int] = field(default_factory=dict)
    shift_pk: dict[str, int] = field(default_factory=dict)
    product_pk: dict[str, int] = field(default_factory=dict)
    vendor_pk: dict[str, int] = field(default_factory=dict)
    crew_pk: dict[str, int] = field(default_factory=dict)
    order_versions: dict[str, int] = field(default_factory=dict)


def open_jobs(now: datetime):
    """Jobs still to plan: an open status, an order neither cancelled nor a draft, not yet loaded out."""
    return (
        Job.objects.filter(status__in=Job.OPEN_STATUSES, load_out__gt=now)
        .exclude(order__status__in=["cancelled", "draft"])
        .select_related("order")
        .order_by("booked_at", "code")
    )


def _products(horizon_start: datetime) -> tuple[list[dict], dict[str, int]]:
    products = Product.objects.filter(active=True).prefetch_related("out_of_service").order_by("sku")
    rows, pks = [], {}
    for product in products:
        pks[product.sku] = product.pk
        rows.append(
            {
                "id": product.sku,
                "owned": product.owned_quantity,
                "turnaround_hours": float(product.turnaround_hours),
                "out_of_service": [
                    {
                        "start": format_time(window.start),
                        "end": format_time(window.end),
                        "quantity": window.quantity,
                    }
                    for window in product.out_of_service.all()
                    if window.end > horizon_start
                ],
            }
        )
    return rows, pks


def _capabilities(product_ids: set[str]) -> list[dict]:
    providers = CapabilityProvider.objects.select_related("product").order_by("-quality", "product__sku")
    capabilities = Capability.objects.prefetch_related(Prefetch("providers", queryset=providers)).order_by(
        "slug"
    )
    return [
        {
            "id": capability.slug,
            "providers": [
                {"product": provider.product.sku, "quality": float(provider.quality)}
                for provider in capability.providers.all()
                if provider.product.sku in product_ids
            ],
        }
        for capability in capabilities
    ]


def _vendors() -> tuple[list[dict], dict[str, int]]:
    offers = VendorOffer.objects.select_related("capability").order_by("capability__slug")
    vendors = Vendor.objects.filter(active=True).prefetch_related(Prefetch("offers", queryset=offers))
    rows, pks = [], {}
    for vendor in vendors.order_by("code"):
        pks[vendor.code] = vendor.pk
        rows.append(
            {
                "id": vendor.code,
                "offers": [
                    {
                        "capability": offer.capability.slug,
                        "unit_cost_per_day": float(offer.unit_cost_per_day),
                        "max_quantity": offer.max_quantity,
                        "lead_time_hours": float(offer.lead_time_hours),
                    }
                    for offer in vendor.offers.all()
                ],
            }
        )
    return rows, pks


def _crew(now: datetime) -> tuple[list[dict], dict[str, int]]:
    crew = CrewMember.objects.filter(active=True).prefetch_related(
        Prefetch("crew_skills", queryset=CrewSkill.objects.select_related("skill")),
        Prefetch("unavailability", queryset=Unavailability.objects.filter(end__gt=now)),
    )
    rows, pks = [], {}
    for member in crew.order_by("code"):
        pks[member.code] = member.pk
        row: dict[str, Any] = {
            "id": member.code,
            "kind": member.kind,
            "skills": {crew_skill.skill.slug: crew_skill.level for crew_skill in member.crew_skills.all()},
            "day_rate": float(member.day_rate),
            "unavailable": [
                {"start": format_time(window.start), "end": format_time(window.end)}
                for window in member.unavailability.all()
            ],
        }
        if member.max_hours_per_week is not None:
            row["max_hours_per_week"] = member.max_hours_per_week
        rows.append(row)
    return rows, pks


def scenario_pins(built: BuiltScenario) -> list[dict[str, Any]]:
    """The planners' pins on requirements and shifts of this scenario (pins on past jobs drop out)."""
    rows: list[dict[str, Any]] = []
    pins = Pin.objects.select_related("requirement__job", "product", "shift__job", "crew").order_by("pk")
    for pin in pins:
        if pin.is_gear:
            requirement_id = pin.requirement.scenario_id
            if requirement_id in built.requirement_pk and pin.product.sku in built.product_pk:
                rows.append(
                    {"requirement": requirement_id, "product": pin.product.sku, "quantity": pin.quantity}
                )
        else:
            shift_id = pin.shift.scenario_id
            if shift_id in built.shift_pk and pin.crew.code in built.crew_pk:
                rows.append({"shift": shift_id, "crew": pin.crew.code})
    return rows


def scenario_bookings(built: BuiltScenario) -> list[dict[str, Any]]:
    """Confirmed freelancer bookings on shifts of this scenario: every plan keeps them (SCENARIO.md)."""
    rows: list[dict[str, Any]] = []
    bookings = Booking.objects.filter(
        status=Booking.Status.CONFIRMED, shift_id__in=list(built.shift_pk.values())
    ).select_related("shift__job", "crew")
    for booking in bookings.order_by("pk"):
        shift_id = booking.shift.scenario_id
        if shift_id in built.shift_pk and booking.crew.code in built.crew_pk:
            rows.append({"shift": shift_id, "crew": booking.crew.code})
    return rows


def build_scenario(*, now: datetime | None = None, previous_plan: dict | None = None) -> BuiltScenario:
    """All open jobs with their gear and shifts, the stock, vendors and crew, as of ``now``."""
    now = now or timezone.now()
    products, product_pk = _products(now)
    vendors, vendor_pk = _vendors()
    crew, crew_pk = _crew(now)
    built = BuiltScenario(data={}, product_pk=product_pk, vendor_pk=vendor_pk, crew_pk=crew_pk)

    jobs = list(open_jobs(now))
    job_ids = [job.pk for job in jobs]
    requirements: dict[int, list[GearRequirement]] = {}
    for requirement in (
        GearRequirement.objects.filter(job_id__in=job_ids, end__gt=now)
        .select_related("capability")
        .order_by("start", "key")
    ):
        requirements.setdefault(requirement.job_id, []).append(requirement)
    shifts: dict[int, list[Shift]] = {}
    for shift in (
        Shift.objects.filter(job_id__in=job_ids, end__gt=now).select_related("skill").order_by("start", "key")
    ):
        shifts.setdefault(shift.job_id, []).append(shift)

    job_rows = []
    for job in jobs:
        gear_rows = []
        for requirement in requirements.get(job.pk, []):
            scenario_id = f"{job.code}/{requirement.key}"
            built.requirement_pk[scenario_id] = requirement.pk
            gear_rows.append(
                {
                    "id": scenario_id,
                    "capability": requirement.capability.slug,
                    "quantity": requirement.quantity,
                    "start": format_time(requirement.start),
                    "end": format_time(requirement.end),
                }
            )
        shift_rows = []
        for shift in shifts.get(job.pk, []):
            scenario_id = f"{job.code}/{shift.key}"
            built.shift_pk[scenario_id] = shift.pk
            shift_rows.append(
                {
                    "id": scenario_id,
                    "role": shift.skill.slug,
                    "min_level": shift.min_level,
                    "count": shift.count,
                    "start": format_time(shift.start),
                    "end": format_time(shift.end),
                }
            )
        order = getattr(job, "order", None)
        if order is not None:
            built.order_versions[str(order.pk)] = order.version
        job_rows.append(
            {
                "id": job.code,
                "priority": job.priority,
                "booked_at": format_time(job.booked_at),
                "gear": gear_rows,
                "shifts": shift_rows,
            }
        )

    built.data = {
        "name": f"open jobs at {format_time(now)}",
        "now": format_time(now),
        "products": products,
        "capabilities": _capabilities(set(product_pk)),
        "vendors": vendors,
        "jobs": job_rows,
        "crew": crew,
        "bookings": scenario_bookings(built),
        "pins": scenario_pins(built),
        "settings": {
            "time_limit_seconds": settings.SOLVER_TIME_LIMIT_SECONDS,
            "workers": settings.SOLVER_WORKERS,
        },
    }
    if previous_plan:
        built.data["previous_plan"] = {
            key: previous_plan.get(key, []) for key in ("gear", "subrentals", "crew")
        }
        # The solver's proven bounds per unchanged part: with them a re-plan solves only what changed.
        if previous_plan.get("component_bounds"):
            built.data["previous_plan"]["component_bounds"] = previous_plan["component_bounds"]
    return built
