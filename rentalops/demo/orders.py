"""The demo's orders: every demo job is sold as outcomes that fit its event, through the order services.

Outcomes are sized from the venue and the event (a conference sells a general session and breakouts, a gala
its lighting, a concert its PA); prices are the pre-plan cost estimate with a believable markup. Orders go
through ``sales.services`` like any rep's, so their requirements are expanded exactly as in the product.
"""

import random
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model

from jobs.models import Job
from rentalops.demo.build import stream
from sales import services
from sales.expansion import Timeline, estimate_crew_cost, estimate_gear_cost, expand_outcomes
from sales.models import Order, OutcomeTemplate
from sales.services import OutcomeInput

ORDER_STATUS = {
    Job.Status.INQUIRY: Order.Status.SUBMITTED,
    Job.Status.CONFIRMED: Order.Status.CONFIRMED,
    Job.Status.IN_PREP: Order.Status.CONFIRMED,
    Job.Status.ON_SHOW: Order.Status.CONFIRMED,
}


def _audience(rng: random.Random, capacity: int, low: float, high: float, floor: int, ceiling: int) -> int:
    return max(floor, min(ceiling, round(capacity * rng.uniform(low, high), -1)))


def outcomes_for(
    rng: random.Random, event_type: str, capacity: int, show_days: int
) -> list[tuple[str, dict]]:
    """What a client of this kind of event buys, as (template slug, parameters)."""
    if event_type == "conference":
        outcomes = [
            (
                "general-session",
                {
                    "attendees": _audience(rng, capacity, 0.1, 0.35, 120, 2400),
                    "screens": rng.choice([2, 2, 3]),
                    "days": show_days,
                },
            )
        ]
        for _ in range(rng.choice([0, 1, 2, 2, 3])):
            outcomes.append(("breakout-room", {"attendees": rng.choice([40, 60, 80, 120, 150])}))
        if rng.random() < 0.25:
            outcomes.append(("hybrid-stream", {"stream": True, "cameras": rng.choice([2, 3])}))
        return outcomes
    if event_type == "gala":
        return [("gala-dinner-lighting", {"tables": rng.randint(20, 70), "rooms": 1})]
    if event_type == "awards":
        return [
            (
                "awards-show",
                {
                    "attendees": _audience(rng, capacity, 0.3, 0.8, 300, 1500),
                    "awards": rng.randint(10, 30),
                    "screens": 2,
                },
            )
        ]
    if event_type == "launch":
        return [
            (
                "product-launch",
                {
                    "attendees": _audience(rng, capacity, 0.05, 0.3, 150, 900),
                    "wall_width": rng.choice([6, 8, 10]),
                    "moving_lights": rng.choice([12, 16, 24]),
                    "reveal": rng.random() < 0.7,
                },
            )
        ]
    if event_type == "concert":
        return [
            (
                "concert-pa",
                {
                    "attendees": _audience(rng, capacity, 0.4, 0.9, 800, 9000),
                    "stage_width": rng.choice([12, 14, 16]),
                    "monitors": rng.choice([8, 10, 12]),
                },
            )
        ]
    return [
        (
            "hybrid-stream",
            {"stream": True, "cameras": rng.choice([3, 4, 5]), "remote_presenters": rng.randint(0, 2)},
        ),
        (
            "general-session",
            {"attendees": _audience(rng, capacity, 0.05, 0.2, 100, 400), "screens": 2, "days": show_days},
        ),
    ]


def _price(rng: random.Random, outcomes: list[tuple[OutcomeTemplate, dict]], timeline: Timeline) -> Decimal:
    """The pre-plan estimate with a markup, rounded to 500: what a rep would have quoted."""
    gear, crew = expand_outcomes(outcomes, timeline)
    estimate = estimate_gear_cost(gear) + estimate_crew_cost(crew)
    markup = Decimal(str(round(rng.uniform(1.3, 1.9), 2)))
    return max(Decimal("2500"), (estimate * markup / 500).quantize(Decimal("1")) * 500)


def seed_orders(seed: int, events: dict[str, tuple[str, int, int]]) -> dict[str, int]:
    """Give every demo job an order (or move an existing one to the job's dates); returns what was written."""
    rep = get_user_model().objects.get(username="sales")
    templates = {
        template.slug: template for template in OutcomeTemplate.objects.prefetch_related("parameters")
    }
    jobs = Job.objects.filter(code__in=events).select_related("order").order_by("code")
    written = {"created": 0, "updated": 0}
    for job in jobs:
        timeline = Timeline(job.load_in, job.show_start, job.show_end, job.load_out)
        order = getattr(job, "order", None)
        if order is not None:
            if order.status == Order.Status.CANCELLED:
                continue
            times = {name: getattr(job, name) for name in ("load_in", "show_start", "show_end", "load_out")}
            if any(getattr(order, name) != value for name, value in times.items()):
                services.order_update(order=order, user=rep, expected_version=None, replan=False, **times)
                written["updated"] += 1
            continue
        rng = stream(seed, f"order:{job.code}")
        event_type, capacity, show_days = events[job.code]
        chosen = [
            (templates[slug], parameters)
            for slug, parameters in outcomes_for(rng, event_type, capacity, show_days)
        ]
        order = _create_order(job, rep, chosen, _price(rng, chosen, timeline))
        if job.status == Job.Status.CANCELLED:
            services.order_cancel(order=order, user=rep, replan=False)
        written["created"] += 1
    return written


def _create_order(job: Job, rep: Any, outcomes: list[tuple[OutcomeTemplate, dict]], price: Decimal) -> Order:
    """Sell the job's outcomes through the order service, then hang the order on the demo job it describes."""
    order = services.order_create(
        user=rep,
        client=job.client,
        venue=job.venue,
        title=job.title,
        price=price,
        priority=job.priority,
        load_in=job.load_in,
        show_start=job.show_start,
        show_end=job.show_end,
        load_out=job.load_out,
        outcomes=[OutcomeInput(template, parameters) for template, parameters in outcomes],
        status=ORDER_STATUS.get(job.status, Order.Status.SUBMITTED),
        job=job,
        replan=False,
    )
    return order
