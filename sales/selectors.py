"""Reads of orders: lists and details with requirements, cost, margin and fulfilment risk."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

from allocation.models import PlanRun
from allocation.selectors import PENDING, RISK_LABELS, JobFulfilment, latest_plan, plan_fulfilment
from jobs.models import GearRequirement
from labor.models import Shift
from rentalops.roles import ADMIN, PLANNER, has_role
from sales.expansion import (
    CrewNeed,
    GearNeed,
    crew_rates,
    estimate_crew_cost,
    estimate_gear_cost,
    gear_prices,
)
from sales.models import Order, OrderOutcome, OutcomeTemplate

DRAFT_RISK = "draft"
CANCELLED_RISK = "cancelled"
EXTRA_RISK_LABELS = {DRAFT_RISK: "Draft: not planned yet", CANCELLED_RISK: "Cancelled"}


def visible_orders(user: Any) -> QuerySet[Order]:
    """A rep sees their own orders; planners and admins see every order."""
    orders = Order.objects.select_related("client", "venue", "job", "created_by")
    if has_role(user, PLANNER, ADMIN):
        return orders
    return orders.filter(created_by=user)


def order_detail(*, pk: int, user: Any) -> Order:
    outcomes = OrderOutcome.objects.select_related("template").order_by("position")
    return visible_orders(user).prefetch_related(Prefetch("outcomes", queryset=outcomes)).get(pk=pk)


def active_templates() -> QuerySet[OutcomeTemplate]:
    return OutcomeTemplate.objects.filter(active=True).prefetch_related("parameters").order_by("name")


REQUIREMENT_ORDER = ("start", "key")


def requirements_prefetch(prefix: str = "job__") -> list[Prefetch]:
    """Prefetch an order's gear requirements and shifts, in ``order_requirements``' order (lists, no N+1)."""
    return [
        Prefetch(
            f"{prefix}gear_requirements",
            queryset=GearRequirement.objects.select_related("capability").order_by(*REQUIREMENT_ORDER),
        ),
        Prefetch(
            f"{prefix}shifts", queryset=Shift.objects.select_related("skill").order_by(*REQUIREMENT_ORDER)
        ),
    ]


def order_requirements(order: Order) -> tuple[list[GearRequirement], list[Shift]]:
    job = order.job
    if {"gear_requirements", "shifts"} <= set(getattr(job, "_prefetched_objects_cache", {})):
        return list(job.gear_requirements.all()), list(job.shifts.all())
    gear = list(job.gear_requirements.select_related("capability").order_by(*REQUIREMENT_ORDER))
    shifts = list(job.shifts.select_related("skill").order_by(*REQUIREMENT_ORDER))
    return gear, shifts


@dataclass
class OrderStanding:
    """What the rep sees about an order: the risk badge, the cost of fulfilling it and the margin."""

    risk: str
    price: Decimal
    estimated_cost: Decimal
    margin: Decimal
    plan_id: int | None
    fulfilment: JobFulfilment | None

    @property
    def risk_label(self) -> str:
        return RISK_LABELS.get(self.risk) or EXTRA_RISK_LABELS[self.risk]

    @property
    def margin_percent(self) -> Decimal | None:
        if not self.price:
            return None
        return (self.margin / self.price * 100).quantize(Decimal("0.1"))


def _pre_plan_costs(orders: list[Order]) -> dict[int, Decimal]:
    """The estimate of each order before a plan has seen it, with one price lookup for all of them."""
    needs = {}
    for order in orders:
        gear, shifts = order_requirements(order)
        needs[order.pk] = (
            [GearNeed(r.key, r.capability_id, r.quantity, r.start, r.end, r.label) for r in gear],
            [CrewNeed(s.key, s.skill_id, s.min_level, s.count, s.start, s.end, s.label) for s in shifts],
        )
    if not needs:
        return {}
    prices = gear_prices({need.capability_id for gear, _ in needs.values() for need in gear})
    rates = crew_rates({need.skill_id for _, crew in needs.values() for need in crew})
    return {
        pk: estimate_gear_cost(gear, prices) + estimate_crew_cost(crew, rates)
        for pk, (gear, crew) in needs.items()
    }


def order_standings(orders: list[Order], plan: PlanRun | None = None) -> dict[int, OrderStanding]:
    """Risk, estimated cost and margin for each order, from the latest plan that saw its current version."""
    plan = plan if plan is not None else latest_plan()
    fulfilments = plan_fulfilment(plan, [order.job_id for order in orders]) if plan else {}
    seen_by_plan = {
        order.pk: plan is not None and plan.order_versions.get(str(order.pk), 0) >= order.version
        for order in orders
    }
    unseen = [order for order in orders if not (seen_by_plan[order.pk] and order.job_id in fulfilments)]
    estimates = _pre_plan_costs(unseen)
    standings = {}
    for order in orders:
        seen = seen_by_plan[order.pk]
        fulfilment = fulfilments.get(order.job_id) if seen else None
        if order.status == Order.Status.CANCELLED:
            risk = CANCELLED_RISK
        elif order.status == Order.Status.DRAFT:
            risk = DRAFT_RISK
        elif fulfilment is None:
            risk = PENDING
        else:
            risk = fulfilment.risk
        cost = fulfilment.total if fulfilment is not None else estimates[order.pk]
        cost = cost.quantize(Decimal("0.01"))
        standings[order.pk] = OrderStanding(
            risk=risk,
            price=order.price,
            estimated_cost=cost,
            margin=order.price - cost,
            plan_id=plan.pk if seen else None,
            fulfilment=fulfilment,
        )
    return standings
