"""Writes of orders: create, update (with a version check), confirm, cancel. Each asks for a re-plan.

An order never fails for lack of stock or crew: availability never blocks a sale. It fails only for input that
does not make sense (a timeline out of order, a parameter out of range), with the field named.
"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from allocation.services import replan_request
from jobs.models import Client, GearRequirement, Job, Venue
from labor.models import Shift
from rentalops import audit
from rentalops.models import AuditEvent
from sales.expansion import CrewNeed, GearNeed, ParameterError, Timeline, clean_parameters, expand_outcomes
from sales.models import Order, OrderOutcome, OrderVersion, OutcomeTemplate

EDITABLE_FIELDS = (
    "title",
    "client",
    "venue",
    "price",
    "priority",
    "load_in",
    "show_start",
    "show_end",
    "load_out",
    "notes",
)


class OrderConflict(Exception):
    """A save based on a version that is no longer current."""

    def __init__(self, order: Order, expected_version: int) -> None:
        self.order = order
        self.expected_version = expected_version
        super().__init__(f"Order {order.code} is at version {order.version}, not {expected_version}.")


@dataclass
class OutcomeInput:
    """One outcome as a rep entered it."""

    template: OutcomeTemplate
    parameters: dict[str, Any] = field(default_factory=dict)


def _check_timeline(times: dict[str, datetime]) -> None:
    errors = {}
    if times["show_start"] < times["load_in"]:
        errors["show_start"] = "The show cannot start before load-in."
    if times["show_end"] <= times["show_start"]:
        errors["show_end"] = "The show must end after it starts."
    if times["load_out"] < times["show_end"]:
        errors["load_out"] = "Load-out cannot be before the show ends."
    if errors:
        raise ValidationError(errors)


def _clean_outcomes(outcomes: list[OutcomeInput]) -> list[tuple[OutcomeTemplate, dict]]:
    if not outcomes:
        raise ValidationError({"outcomes": "Pick at least one outcome to sell."})
    cleaned, errors = [], {}
    for index, outcome in enumerate(outcomes):
        if not outcome.template.active:
            errors[f"outcomes[{index}].template"] = f"{outcome.template.name} is no longer sold."
            continue
        try:
            cleaned.append((outcome.template, clean_parameters(outcome.template, outcome.parameters)))
        except ParameterError as error:
            for name, message in error.errors.items():
                errors[f"outcomes[{index}].parameters.{name}"] = message
    if errors:
        raise ValidationError(errors)
    return cleaned


def _sync_requirements(job: Job, gear: list[GearNeed], crew: list[CrewNeed]) -> None:
    """Make the job's requirements and shifts exactly the expansion, keeping rows whose key survives."""
    existing_gear = {row.key: row for row in job.gear_requirements.all()}
    keep = set()
    for need in gear:
        keep.add(need.key)
        values = {
            "capability_id": need.capability_id,
            "quantity": need.quantity,
            "start": need.start,
            "end": need.end,
            "label": need.label,
        }
        row = existing_gear.get(need.key)
        if row is None:
            GearRequirement.objects.create(job=job, key=need.key, **values)
        elif any(getattr(row, name) != value for name, value in values.items()):
            GearRequirement.objects.filter(pk=row.pk).update(**values)
    job.gear_requirements.exclude(key__in=keep).delete()

    existing_shifts = {row.key: row for row in job.shifts.all()}
    keep = set()
    for need in crew:
        keep.add(need.key)
        values = {
            "skill_id": need.skill_id,
            "min_level": need.min_level,
            "count": need.count,
            "start": need.start,
            "end": need.end,
            "label": need.label,
        }
        row = existing_shifts.get(need.key)
        if row is None:
            Shift.objects.create(job=job, key=need.key, **values)
        elif any(getattr(row, name) != value for name, value in values.items()):
            Shift.objects.filter(pk=row.pk).update(**values)
    job.shifts.exclude(key__in=keep).delete()


def order_snapshot(order: Order) -> dict[str, Any]:
    """The order's editable state as plain JSON: what a version records and a conflict compares."""
    return {
        "title": order.title,
        "client": order.client.name,
        "venue": str(order.venue),
        # As stored (two decimals), however the price came in: "5000" and "5000.00" are one price.
        "price": f"{Decimal(order.price):.2f}",
        "priority": order.priority,
        "load_in": order.load_in.isoformat(),
        "show_start": order.show_start.isoformat(),
        "show_end": order.show_end.isoformat(),
        "load_out": order.load_out.isoformat(),
        "notes": order.notes,
        "status": order.status,
        "outcomes": [
            {
                "template": outcome.template.slug,
                "name": outcome.template.name,
                "parameters": outcome.parameters,
            }
            for outcome in order.outcomes.select_related("template").order_by("position")
        ],
    }


def _record_version(order: Order, user: Any, action: str) -> None:
    """Keep the version's snapshot (the order's history) and the audit event with what changed."""
    snapshot = order_snapshot(order)
    before = (
        OrderVersion.objects.filter(order=order, version__lt=order.version)
        .order_by("-version")
        .values_list("snapshot", flat=True)
        .first()
    )
    OrderVersion.objects.create(order=order, version=order.version, snapshot=snapshot, changed_by=user)
    verb = AuditEvent.Action(action).label.split(" ", 1)[1]
    audit.record(
        actor=user,
        action=action,
        obj=order,
        summary=f"Order {order.code} {verb} (version {order.version}): {order.title}",
        changes=audit.field_changes(before or {}, snapshot),
    )


def _save_outcomes_and_expand(order: Order, cleaned: list[tuple[OutcomeTemplate, dict]]) -> None:
    order.outcomes.all().delete()
    OrderOutcome.objects.bulk_create(
        OrderOutcome(order=order, template=template, parameters=_jsonable(parameters), position=position)
        for position, (template, parameters) in enumerate(cleaned, start=1)
    )
    timeline = Timeline(order.load_in, order.show_start, order.show_end, order.load_out)
    try:
        gear, crew = expand_outcomes(cleaned, timeline)
    except ParameterError as error:
        # A rule that cannot be evaluated for these parameters (a negative quantity...): refuse the save.
        raise ValidationError({"outcomes": list(error.errors.values())}) from None
    _sync_requirements(order.job, gear, crew)


def _jsonable(parameters: dict[str, Any]) -> dict[str, Any]:
    return {name: float(value) if isinstance(value, Decimal) else value for name, value in parameters.items()}


def _job_status_for(order_status: str) -> str:
    return {
        Order.Status.CONFIRMED: Job.Status.CONFIRMED,
        Order.Status.CHANGED: Job.Status.CONFIRMED,
        Order.Status.CANCELLED: Job.Status.CANCELLED,
    }.get(order_status, Job.Status.INQUIRY)


@transaction.atomic
def order_create(
    *,
    user: Any,
    client: Client,
    venue: Venue,
    title: str,
    price: Decimal,
    load_in: datetime,
    show_start: datetime,
    show_end: datetime,
    load_out: datetime,
    outcomes: list[OutcomeInput],
    priority: int = 3,
    notes: str = "",
    status: str = Order.Status.SUBMITTED,
    job: Job | None = None,
    replan: bool = True,
) -> Order:
    """Create an order and its job, expand its outcomes into requirements and ask for a re-plan.

    ``job`` sells an order for a job that exists without one (entered in the admin, or the demo's); it keeps
    its code and booking time. ``replan=False`` is for bulk loads that ask for one re-plan at the end.
    """
    times = {"load_in": load_in, "show_start": show_start, "show_end": show_end, "load_out": load_out}
    _check_timeline(times)
    cleaned = _clean_outcomes(outcomes)
    if status not in (Order.Status.DRAFT, Order.Status.SUBMITTED, Order.Status.CONFIRMED):
        raise ValidationError({"status": "A new order is a draft, submitted or confirmed."})
    job_fields = {
        "title": title,
        "client": client,
        "venue": venue,
        "priority": priority,
        "status": _job_status_for(status),
        **times,
    }
    keep_job_code = job is not None
    if job is None:
        job = Job.objects.create(code=f"NEW-{uuid.uuid4().hex[:12]}", booked_at=timezone.now(), **job_fields)
    else:
        if Order.objects.filter(job=job).exists():
            raise ValidationError({"job": f"Job {job.code} already has an order."})
        # The job's own progress (in prep, on show) stands; the order brings its fields and times.
        Job.objects.filter(pk=job.pk).update(**{k: v for k, v in job_fields.items() if k != "status"})
        job.refresh_from_db()
    order = Order.objects.create(
        code=f"NEW-{job.pk}",
        title=title,
        client=client,
        venue=venue,
        job=job,
        price=price,
        priority=priority,
        notes=notes,
        status=status,
        created_by=user,
        **times,
    )
    order.code = f"SO-{order.pk:05d}"
    Order.objects.filter(pk=order.pk).update(code=order.code)
    if not keep_job_code:
        job.code = order.code
        Job.objects.filter(pk=job.pk).update(code=job.code)
    _save_outcomes_and_expand(order, cleaned)
    _record_version(order, user, AuditEvent.Action.ORDER_CREATED)
    if replan:
        replan_request(reason=f"order {order.code} created", order=order, user=user)
    return order


def _locked(order: Order, expected_version: int | None) -> Order:
    current = Order.objects.select_for_update().select_related("job", "client", "venue").get(pk=order.pk)
    if expected_version is not None and current.version != expected_version:
        raise OrderConflict(current, expected_version)
    return current


@transaction.atomic
def order_update(
    *,
    order: Order,
    user: Any,
    expected_version: int | None,
    outcomes: list[OutcomeInput] | None = None,
    replan: bool = True,
    **changes: Any,
) -> Order:
    """Change an order if nobody changed it since ``expected_version``; re-expand and ask for a re-plan."""
    order = _locked(order, expected_version)
    if order.status == Order.Status.CANCELLED:
        raise ValidationError({"status": "A cancelled order cannot be changed."})
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: "This field cannot be changed." for name in sorted(unknown)})
    for name, value in changes.items():
        setattr(order, name, value)
    _check_timeline(
        {name: getattr(order, name) for name in ("load_in", "show_start", "show_end", "load_out")}
    )
    cleaned = _clean_outcomes(outcomes) if outcomes is not None else None
    if order.status == Order.Status.CONFIRMED:
        order.status = Order.Status.CHANGED
    order.version += 1
    order.save()
    job = order.job
    for name in ("title", "client", "venue", "priority", "load_in", "show_start", "show_end", "load_out"):
        setattr(job, name, getattr(order, name))
    job.status = _job_status_for(order.status)
    job.save()
    if cleaned is not None:
        _save_outcomes_and_expand(order, cleaned)
    else:
        # New dates move every window: expand the stored outcomes again.
        stored = [
            OutcomeInput(outcome.template, outcome.parameters)
            for outcome in order.outcomes.select_related("template")
        ]
        _save_outcomes_and_expand(order, _clean_outcomes(stored))
    _record_version(order, user, AuditEvent.Action.ORDER_CHANGED)
    if replan:
        replan_request(reason=f"order {order.code} changed", order=order, user=user)
    return order


def _transition(
    order: Order, user: Any, expected_version: int | None, status: str, verb: str, replan: bool = True
) -> Order:
    order = _locked(order, expected_version)
    if order.status == Order.Status.CANCELLED:
        raise ValidationError({"status": "This order is cancelled."})
    order.status = status
    order.version += 1
    order.save(update_fields=["status", "version", "updated_at"])
    Job.objects.filter(pk=order.job_id).update(status=_job_status_for(status))
    _record_version(order, user, f"order.{verb}")
    if replan:
        replan_request(reason=f"order {order.code} {verb}", order=order, user=user)
    return order


@transaction.atomic
def order_submit(*, order: Order, user: Any, expected_version: int | None = None) -> Order:
    """Submit a draft: from now on the plan covers it."""
    if order.status != Order.Status.DRAFT:
        raise ValidationError({"status": "Only a draft can be submitted."})
    return _transition(order, user, expected_version, Order.Status.SUBMITTED, "submitted")


@transaction.atomic
def order_confirm(*, order: Order, user: Any, expected_version: int | None = None) -> Order:
    """The client confirmed: the job is confirmed."""
    return _transition(order, user, expected_version, Order.Status.CONFIRMED, "confirmed")


@transaction.atomic
def order_cancel(
    *, order: Order, user: Any, expected_version: int | None = None, replan: bool = True
) -> Order:
    """Cancel: the job leaves the plan and its gear and crew are freed at the next solve."""
    return _transition(order, user, expected_version, Order.Status.CANCELLED, "cancelled", replan)
