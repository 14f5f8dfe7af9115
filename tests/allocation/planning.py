"""Shared set-up for the board tests: the small catalogue, orders that compete for speakers, and a plan."""

from decimal import Decimal

from allocation.models import PlanRun
from jobs.models import Job
from sales import services as sales_services
from sales.models import Order
from sales.services import OutcomeInput
from tests.catalog import timeline


def order(
    catalog,
    *,
    attendees: int,
    title: str = "Spring kickoff",
    days_ahead: int = 10,
    priority: int = 3,
    renumber: bool = True,
):
    """An order for a session of ``attendees`` (ceil(attendees / 100) speakers), saved by the rep.

    Codes come from primary keys, which PostgreSQL never hands out twice, so the n-th order of a test is
    renamed SO-0000n (before the re-plan that runs on commit sees it) for tests to name it.
    """
    created = sales_services.order_create(
        user=catalog["rep"],
        outcomes=[OutcomeInput(catalog["template"], {"attendees": attendees})],
        title=title,
        client=catalog["client"],
        venue=catalog["venue"],
        price=Decimal("5000"),
        priority=priority,
        **timeline(days_ahead=days_ahead),
    )
    if renumber:
        created.code = f"SO-{Order.objects.count():05d}"
        Order.objects.filter(pk=created.pk).update(code=created.code)
        Job.objects.filter(pk=created.job_id).update(code=created.code)
        created.job.code = created.code
    return created


def planned(capture, catalog, **kwargs):
    """Create an order and let the re-plan run on commit; return the order."""
    with capture(execute=True):
        created = order(catalog, **kwargs)
    return created


def latest() -> PlanRun:
    return PlanRun.objects.filter(state__in=["proposed", "published"]).first()
