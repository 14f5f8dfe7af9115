"""Redis stopped while orders are saved: every order is kept; one re-plan covers them all when it is back."""

import time

import pytest

from allocation.models import PlanRun, SolveRequest
from sales.models import Order
from sales.selectors import order_standings
from tests.allocation.test_replan import all_requests_done, wait_until
from tests.catalog import make_catalog, timeline

WORKER_ENV = {"SOLVE_DEBOUNCE_SECONDS": "1", "SOLVER_TIME_LIMIT_SECONDS": "5", "SOLVE_SWEEP_SECONDS": "2"}
ORDERS_DURING_OUTAGE = 5


def order_body(catalog, number: int) -> dict:
    times = {key: value.isoformat() for key, value in timeline(days_ahead=10 + number).items()}
    return {
        "client": catalog["client"].pk,
        "venue": catalog["venue"].pk,
        "title": f"Outage order {number}",
        "price": "5000.00",
        **times,
        "outcomes": [{"template": "session", "parameters": {"attendees": 200 + number}}],
    }


@pytest.mark.services
def test_orders_saved_while_redis_is_down_are_kept_and_one_replan_covers_them(
    start_worker, private_redis, make_user, api_client
):
    start_worker(private_redis["url"], beat=True, env=WORKER_ENV)
    catalog = make_catalog()
    api_client.force_authenticate(make_user("rep", "sales"))
    private_redis["stop"]()

    created = []
    for number in range(ORDERS_DURING_OUTAGE):
        started = time.monotonic()
        response = api_client.post("/api/v1/orders/", order_body(catalog, number), format="json")
        assert response.status_code == 201, response.content
        assert time.monotonic() - started < 5, "saving must not hang on the broker"
        assert response.json()["risk"] == "pending"
        created.append(response.json()["id"])

    assert set(Order.objects.values_list("pk", flat=True)) == set(created)
    assert SolveRequest.objects.filter(state=SolveRequest.State.PENDING).count() == ORDERS_DURING_OUTAGE
    time.sleep(3)  # a sweep's worth: nothing can be solved while the broker is down
    assert not PlanRun.objects.exists()

    private_redis["start"]()
    wait_until(all_requests_done, timeout=90, what="the re-plan after Redis came back")
    time.sleep(3)  # the next sweeps find nothing left to solve
    plans = list(PlanRun.objects.all())
    assert len(plans) == 1, [(plan.pk, plan.trigger) for plan in plans]
    plan = plans[0]
    assert plan.state == PlanRun.State.PROPOSED
    assert plan.order_versions == {str(pk): 1 for pk in created}
    assert set(SolveRequest.objects.values_list("plan", flat=True)) == {plan.pk}
    orders = list(Order.objects.filter(pk__in=created))
    assert {standing.risk for standing in order_standings(orders).values()} <= {"covered", "subrented"}
