"""Write the demo rows to the database: upsert by natural key, in bulk, in one transaction.

Rows with a unique code or slug (clients, products, crew, jobs...) are created or updated and never deleted:
other data may point at them. Rows the demo owns outright (a demo product's capabilities, a demo person's
levels, certificates and time off) are made to match what this run generates, so a re-run on another day
leaves no stale windows behind. Time off and out-of-service windows are only removed when their reason is one
the demo writes, so that ones entered by hand survive a re-seed.
"""

import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from jobs.models import (
    Capability,
    CapabilityProvider,
    Client,
    GearRequirement,
    Job,
    OutOfService,
    Product,
    ProductCategory,
    Vendor,
    VendorOffer,
    Venue,
)
from labor.models import Certification, CertificationType, CrewMember, CrewSkill, Shift, Skill, Unavailability
from rentalops import roles
from rentalops.demo import build, gear, people
from sales.models import Order, OutcomeTemplate

DEFAULT_SEED = 2718

Key = tuple[Any, ...]


@dataclass
class SeedReport:
    """What a run generated per model, and how many rows it created, updated and removed."""

    counts: dict[str, int] = field(default_factory=dict)
    writes: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    plan: str = ""

    def summary(self) -> str:
        counts = ", ".join(f"{number} {name}" for name, number in self.counts.items())
        writes = ", ".join(f"{self.writes[kind]} {kind}" for kind in ("created", "updated", "removed"))
        plan = f" {self.plan}" if self.plan else ""
        return f"Demo loaded in {self.seconds:.1f} s: {counts} ({writes}).{plan}"


def sync(
    model: type[models.Model],
    rows: list[dict[str, Any]],
    *,
    key: tuple[str, ...],
    existing: QuerySet,
    report: SeedReport,
    remove: QuerySet | None = None,
) -> dict[Key, int]:
    """Make the rows of ``existing`` match ``rows`` by ``key``; delete those of ``remove`` not generated.

    Only rows whose values differ are written (with a fresh ``updated_at``), so a re-run on the same day
    writes nothing. Returns the id of every generated row by its key.
    """
    current = {tuple(getattr(obj, name) for name in key): obj for obj in existing}
    to_create, to_update, changed = [], [], set()
    now = timezone.now()
    wanted: set[Key] = set()
    for row in rows:
        row_key = tuple(row[name] for name in key)
        wanted.add(row_key)
        obj = current.get(row_key)
        if obj is None:
            to_create.append(model(**row))
            continue
        differing = [name for name, value in row.items() if getattr(obj, name) != value]
        if differing:
            for name in differing:
                setattr(obj, name, row[name])
            obj.updated_at = now
            changed.update(differing)
            to_update.append(obj)
    model.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        model.objects.bulk_update(to_update, [*sorted(changed), "updated_at"], batch_size=500)
    removed = 0
    if remove is not None:
        stale = [obj.pk for obj_key, obj in current.items() if obj_key not in wanted]
        removed, _ = remove.filter(pk__in=stale).delete()
    report.writes.update(created=len(to_create), updated=len(to_update), removed=removed)
    ids = {obj_key: obj.pk for obj_key, obj in current.items() if obj_key in wanted}
    ids.update({tuple(getattr(obj, name) for name in key): obj.pk for obj in to_create})
    if None in ids.values():  # a database that cannot return ids from a bulk insert
        ids = {tuple(getattr(obj, name) for name in key): obj.pk for obj in existing.all()}
    return ids


def _resolve(rows: Iterable[dict[str, Any]], **foreign_keys: dict[Key, int]) -> list[dict[str, Any]]:
    """Replace natural keys (``"client": "northwind"``) with ids (``"client_id": 7``)."""
    resolved = []
    for row in rows:
        row = dict(row)
        for name, ids in foreign_keys.items():
            row[f"{name}_id"] = ids[(row.pop(name),)]
        resolved.append(row)
    return resolved


def _by_code(
    model: type[models.Model], rows: list[dict[str, Any]], code: str, report: SeedReport
) -> dict[Key, int]:
    codes = [row[code] for row in rows]
    return sync(
        model, rows, key=(code,), existing=model.objects.filter(**{f"{code}__in": codes}), report=report
    )


def seed_gear(seed: int, calendar: build.Calendar, report: SeedReport) -> None:
    category_ids = _by_code(ProductCategory, build.categories(), "slug", report)
    capability_ids = _by_code(Capability, build.capabilities(), "slug", report)
    product_ids = _by_code(Product, _resolve(build.products(), category=category_ids), "sku", report)
    vendor_ids = _by_code(Vendor, build.vendors(), "code", report)

    demo_products = list(product_ids.values())
    demo_capabilities = list(capability_ids.values())
    pairs = CapabilityProvider.objects.filter(capability__in=demo_capabilities, product__in=demo_products)
    sync(
        CapabilityProvider,
        _resolve(build.providers(), capability=capability_ids, product=product_ids),
        key=("capability_id", "product_id"),
        existing=pairs,
        remove=pairs,
        report=report,
    )
    windows = OutOfService.objects.filter(product__in=demo_products)
    sync(
        OutOfService,
        _resolve(build.out_of_service(seed, calendar), product=product_ids),
        key=("product_id", "start"),
        existing=windows,
        remove=windows.filter(reason__in=gear.OUT_OF_SERVICE_REASONS),
        report=report,
    )
    offers = VendorOffer.objects.filter(vendor__in=vendor_ids.values(), capability__in=demo_capabilities)
    sync(
        VendorOffer,
        _resolve(build.vendor_offers(seed), vendor=vendor_ids, capability=capability_ids),
        key=("vendor_id", "capability_id"),
        existing=offers,
        remove=offers,
        report=report,
    )


def seed_crew(seed: int, calendar: build.Calendar, report: SeedReport) -> None:
    skill_ids = _by_code(Skill, build.skills(), "slug", report)
    type_ids = _by_code(CertificationType, build.certification_types(), "slug", report)
    crew_rows, level_rows = build.crew(seed)
    crew_ids = _by_code(CrewMember, crew_rows, "code", report)
    demo_crew = list(crew_ids.values())

    levels = CrewSkill.objects.filter(crew__in=demo_crew)
    sync(
        CrewSkill,
        _resolve(level_rows, crew=crew_ids, skill=skill_ids),
        key=("crew_id", "skill_id"),
        existing=levels,
        remove=levels,
        report=report,
    )
    held = Certification.objects.filter(crew__in=demo_crew)
    sync(
        Certification,
        _resolve(
            build.certifications(seed, calendar, level_rows), crew=crew_ids, certification_type=type_ids
        ),
        key=("crew_id", "certification_type_id"),
        existing=held,
        remove=held,
        report=report,
    )
    away = Unavailability.objects.filter(crew__in=demo_crew)
    sync(
        Unavailability,
        _resolve(build.unavailability(seed, calendar, crew_rows), crew=crew_ids),
        key=("crew_id", "start"),
        existing=away,
        remove=away.filter(reason__in=people.HOLIDAY_REASONS + people.FREELANCE_AWAY_REASONS),
        report=report,
    )


def seed_jobs(seed: int, calendar: build.Calendar, report: SeedReport) -> dict[str, tuple[str, int, int]]:
    """Sync the jobs; return each job's event (type, venue capacity, show days) by code for its order."""
    client_ids = _by_code(Client, build.clients(), "code", report)
    venue_ids = _by_code(Venue, build.venues(), "code", report)
    rows = build.jobs(seed, calendar)
    events = {row["code"]: row.pop("_event") for row in rows}
    _by_code(Job, _resolve(rows, client=client_ids, venue=venue_ids), "code", report)
    return events


def seed_users(report: SeedReport) -> None:
    """The demo users of DESIGN.md, each in their role's group, all with the demo password."""
    user_model = get_user_model()
    for row in build.users():
        row = dict(row)
        role = row.pop("role")
        user, created = user_model.objects.get_or_create(username=row["username"], defaults=row)
        differing = [name for name, value in row.items() if getattr(user, name) != value]
        for name in differing:
            setattr(user, name, row[name])
        # Hashing is slow on purpose (a third of a second): only hash when the password is not already right.
        password_changed = created or not user.check_password(people.DEMO_PASSWORD)
        if password_changed:
            user.set_password(people.DEMO_PASSWORD)
        if differing or password_changed or not user.is_active:
            user.is_active = True
            user.save()
        report.writes.update(created=int(created), updated=int(not created and bool(differing)))
        # The data migration creates the groups; get_or_create keeps the seed working on a bare database.
        group, _ = Group.objects.get_or_create(name=role)
        other_roles = user.groups.filter(name__in=roles.ROLES).exclude(pk=group.pk)
        if other_roles.exists():
            user.groups.remove(*other_roles)
        user.groups.add(group)


def seed_demo(*, seed: int = DEFAULT_SEED, today: date | None = None, plan: bool = True) -> SeedReport:
    """Load (or refresh) the whole demo: gear, crew, clients, venues, jobs sold as orders, the demo users.

    With ``plan`` the first plan of the season is solved and published (unless one already saw every order).
    """
    from rentalops.demo.orders import seed_orders
    from sales.demo import load_demo_templates

    started = time.perf_counter()
    calendar = build.Calendar.for_day(today or timezone.now().astimezone(UTC).date())
    report = SeedReport()
    with transaction.atomic():
        seed_gear(seed, calendar, report)
        seed_crew(seed, calendar, report)
        events = seed_jobs(seed, calendar, report)
        seed_users(report)
        load_demo_templates()
        orders = seed_orders(seed, events)
        report.writes.update(created=orders["created"], updated=orders["updated"])
    if plan:
        report.plan = seed_plan()
    report.counts = demo_counts()
    report.seconds = time.perf_counter() - started
    return report


def demo_counts() -> dict[str, int]:
    """How many rows of each kind the database holds, in the order the summary prints them."""
    return {
        "clients": Client.objects.count(),
        "venues": Venue.objects.count(),
        "jobs": Job.objects.count(),
        "categories": ProductCategory.objects.count(),
        "products": Product.objects.count(),
        "capabilities": Capability.objects.count(),
        "providers": CapabilityProvider.objects.count(),
        "out-of-service windows": OutOfService.objects.count(),
        "vendors": Vendor.objects.count(),
        "vendor offers": VendorOffer.objects.count(),
        "skills": Skill.objects.count(),
        "staff": CrewMember.objects.filter(kind=CrewMember.Kind.STAFF).count(),
        "freelancers": CrewMember.objects.filter(kind=CrewMember.Kind.FREELANCER).count(),
        "crew levels": CrewSkill.objects.count(),
        "certificate types": CertificationType.objects.count(),
        "certificates": Certification.objects.count(),
        "time-off windows": Unavailability.objects.count(),
        "users": get_user_model().objects.count(),
        "outcome templates": OutcomeTemplate.objects.count(),
        "orders": Order.objects.count(),
        "gear requirements": GearRequirement.objects.count(),
        "shifts": Shift.objects.count(),
    }


def seed_plan() -> str:
    """Solve the demo season once and publish it, so every page has a plan to show from the start.

    Without a broker the solve runs here, synchronously (this process is about to exit, so a background
    thread would be cut off); with one, the worker solves it and the planner publishes from the board.
    """
    from allocation.models import PlanRun, SolveRequest
    from allocation.services import plan_publish, replan_request, solve_requests_drain

    latest = PlanRun.objects.filter(state__in=[PlanRun.State.PROPOSED, PlanRun.State.PUBLISHED]).first()
    versions = dict(Order.objects.exclude(status=Order.Status.CANCELLED).values_list("pk", "version"))
    if latest is not None and all(latest.order_versions.get(str(pk), 0) >= v for pk, v in versions.items()):
        return f"Plan #{latest.pk} already covers every order."
    planner = get_user_model().objects.get(username="planner")
    if settings.BROKER_CONFIGURED:
        with transaction.atomic():
            replan_request(reason="demo loaded", user=planner)
        return "A worker is solving the season; publish it from the board."
    SolveRequest.objects.create(reason="demo loaded", requested_by=planner)
    plans = solve_requests_drain(holder="seed_demo")
    solved = [plan for plan in plans if plan.state == PlanRun.State.PROPOSED]
    if not solved:
        return "The first solve found no plan: see the board."
    plan = plan_publish(plan=solved[-1], user=planner)
    return f"Plan #{plan.pk} ({plan.status}, {plan.solve_seconds:.1f} s) published."
