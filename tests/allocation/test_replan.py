"""Re-planning on the real stack: a real Celery worker on Redis, PostgreSQL, and the embedded default."""

import time
from decimal import Decimal

import pytest

from allocation.models import PlanRun, SolveRequest
from sales import services
from sales.models import Order
from sales.selectors import order_standings
from sales.services import OutcomeInput
from tests.catalog import make_catalog, timeline

WORKER_ENV = {"SOLVE_DEBOUNCE_SECONDS": "1", "SOLVER_TIME_LIMIT_SECONDS": "5"}


def wait_until(condition, *, timeout: float = 60, what: str = "the condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")


def all_requests_done() -> bool:
    return not SolveRequest.objects.exclude(state=SolveRequest.State.DONE).exists()


def new_order(catalog, user, attendees=300) -> Order:
    return services.order_create(
        user=user,
        title="Kickoff",
        client=catalog["client"],
        venue=catalog["venue"],
        price=Decimal("5000"),
        outcomes=[OutcomeInput(catalog["template"], {"attendees": attendees})],
        **timeline(),
    )


@pytest.mark.services
def test_a_real_worker_replans_after_an_order_and_the_risk_lands(start_worker, redis_url, make_user):
    start_worker(redis_url, env=WORKER_ENV)
    catalog = make_catalog()
    order = new_order(catalog, make_user("rep", "sales"))
    wait_until(all_requests_done, what="the worker's solve")
    plan = PlanRun.objects.get()
    assert plan.state == PlanRun.State.PROPOSED
    assert plan.order_versions == {str(order.pk): 1}
    assert order_standings([order])[order.pk].risk == "covered"


@pytest.mark.services
def test_ten_quick_edits_produce_one_or_two_solves(start_worker, redis_url, make_user):
    start_worker(redis_url, env=WORKER_ENV)
    catalog = make_catalog()
    rep = make_user("rep", "sales")
    order = new_order(catalog, rep)
    wait_until(all_requests_done, what="the first solve")
    solves_before = PlanRun.objects.count()
    for edit in range(10):
        order = services.order_update(
            order=order, user=rep, expected_version=order.version, price=Decimal(5000 + edit)
        )
    wait_until(all_requests_done, what="the solves after ten edits")
    solves = PlanRun.objects.count() - solves_before
    assert 1 <= solves <= 2, f"{solves} solves for ten edits"
    latest = PlanRun.objects.first()
    assert latest.order_versions[str(order.pk)] == 11
    assert SolveRequest.objects.filter(plan=latest).count() >= 5


@pytest.mark.services
def test_an_order_saved_while_redis_is_down_is_replanned_when_it_is_back(
    start_worker, private_redis, make_user
):
    start_worker(private_redis["url"], beat=True, env={**WORKER_ENV, "SOLVE_SWEEP_SECONDS": "2"})
    catalog = make_catalog()
    rep = make_user("rep", "sales")
    private_redis["stop"]()
    started = time.monotonic()
    order = new_order(catalog, rep)
    assert time.monotonic() - started < 15, "saving must not hang on the broker"
    assert Order.objects.filter(pk=order.pk).exists()
    assert SolveRequest.objects.get().state == SolveRequest.State.PENDING
    time.sleep(1)
    assert not PlanRun.objects.exists()
    private_redis["start"]()
    wait_until(all_requests_done, timeout=90, what="the re-plan after Redis came back")
    assert PlanRun.objects.count() == 1
    assert order_standings([order])[order.pk].risk == "covered"


@pytest.mark.django_db(transaction=True)
def test_the_embedded_default_solves_in_a_background_thread(settings, make_user):
    settings.BROKER_CONFIGURED = False
    settings.SOLVE_IN_PROCESS = "thread"
    settings.SOLVE_DEBOUNCE_SECONDS = 0.2
    settings.SOLVER_TIME_LIMIT_SECONDS = 5
    catalog = make_catalog()
    order = new_order(catalog, make_user("rep", "sales"))
    wait_until(all_requests_done, timeout=30, what="the in-process solve")
    assert order_standings([order])[order.pk].risk == "covered"


@pytest.mark.django_db(transaction=True)
def test_a_second_solver_waits_while_the_lease_is_held(settings, make_user):
    from allocation.services import lease_acquire, lease_release, solve_requests_drain

    settings.BROKER_CONFIGURED = False
    settings.SOLVE_IN_PROCESS = "sync"
    settings.SOLVE_DEBOUNCE_SECONDS = 0
    catalog = make_catalog()
    assert lease_acquire(holder="someone-else")
    new_order(catalog, make_user("rep", "sales"))
    assert solve_requests_drain(holder="me") == []
    assert SolveRequest.objects.get().state == SolveRequest.State.PENDING
    lease_release(holder="someone-else")
    assert len(solve_requests_drain(holder="me")) == 1
    assert all_requests_done()
