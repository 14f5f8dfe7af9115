"""Orders: expansion on save, never blocked by stock, version conflicts, and a re-plan on every change."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from allocation.models import PlanRun, SolveRequest
from jobs.models import Job
from sales import services
from sales.models import Order
from sales.selectors import order_standings
from sales.services import OrderConflict, OutcomeInput
from tests.catalog import make_catalog, timeline

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(settings):
    settings.SOLVE_IN_PROCESS = "sync"
    settings.SOLVE_DEBOUNCE_SECONDS = 0
    settings.SOLVER_TIME_LIMIT_SECONDS = 5
    return make_catalog()


@pytest.fixture
def rep(make_user):
    return make_user("rep", "sales")


def create(catalog, rep, attendees=300, show_days=1, **extra):
    fields = {
        "title": "Spring kickoff",
        "client": catalog["client"],
        "venue": catalog["venue"],
        "price": Decimal("5000"),
        **timeline(show_days=show_days),
        **extra,
    }
    return services.order_create(
        user=rep, outcomes=[OutcomeInput(catalog["template"], {"attendees": attendees})], **fields
    )


def test_creating_an_order_expands_its_outcomes_onto_its_job(catalog, rep):
    order = create(catalog, rep, attendees=300, show_days=2)
    gear = {r.key: r.quantity for r in order.job.gear_requirements.all()}
    assert gear == {"o1-speakers": 3, "o1-washes": 2}
    shifts = list(order.job.shifts.order_by("start"))
    assert [s.key for s in shifts] == ["o1-a1-d1", "o1-a1-d2"]
    assert shifts[0].start.hour == 11 and shifts[0].end.hour == 19
    assert order.code.startswith("SO-") and order.job.code == order.code
    assert order.versions.get().version == 1


def test_an_order_far_beyond_stock_is_saved_and_shown_short(catalog, rep, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = create(catalog, rep, attendees=2000)  # 20 speakers: 4 owned, 2 to sub-rent, 14 short
    standing = order_standings([order])[order.pk]
    assert standing.risk == "short"
    assert standing.fulfilment.shortage_units == 14
    assert standing.fulfilment.subrented_units == 2


def test_a_covered_order_is_covered_after_the_replan(catalog, rep, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = create(catalog, rep, attendees=300)
    standing = order_standings([order])[order.pk]
    assert standing.risk == "covered"
    # 3 speakers at 40 + 2 washes at 25 for one day, and Anna's day at 300.
    assert standing.estimated_cost == Decimal("470.00")
    assert standing.margin == Decimal("4530.00")


def test_before_the_plan_lands_the_risk_is_pending_with_an_estimate(catalog, rep):
    order = create(catalog, rep, attendees=300)
    standing = order_standings([order])[order.pk]
    assert standing.risk == "pending"
    assert standing.estimated_cost > 0


def test_a_stale_save_gets_a_conflict_and_changes_nothing(catalog, rep):
    order = create(catalog, rep)
    services.order_update(order=order, user=rep, expected_version=1, title="Spring kickoff (revised)")
    with pytest.raises(OrderConflict) as raised:
        services.order_update(order=order, user=rep, expected_version=1, title="My stale title")
    assert raised.value.order.version == 2
    order.refresh_from_db()
    assert order.title == "Spring kickoff (revised)"
    assert order.version == 2


def test_a_parameter_out_of_range_is_refused_with_its_message(catalog, rep):
    with pytest.raises(ValidationError) as raised:
        create(catalog, rep, attendees=0)
    assert "outcomes[0].parameters.attendees" in raised.value.message_dict
    assert not Order.objects.exists()
    assert not Job.objects.exists()


def test_a_timeline_out_of_order_is_refused_naming_the_field(catalog, rep):
    times = timeline()
    with pytest.raises(ValidationError) as raised:
        create(catalog, rep, load_out=times["show_start"])
    assert set(raised.value.message_dict) == {"load_out"}


def test_every_change_writes_a_solve_request_in_its_transaction(catalog, rep):
    order = create(catalog, rep)
    order = services.order_update(order=order, user=rep, expected_version=1, price=Decimal("6000"))
    order = services.order_confirm(order=order, user=rep, expected_version=2)
    services.order_cancel(order=order, user=rep, expected_version=3)
    reasons = list(SolveRequest.objects.values_list("reason", flat=True))
    assert reasons == [
        f"order {order.code} {verb}" for verb in ("created", "changed", "confirmed", "cancelled")
    ]


def test_editing_a_confirmed_order_marks_it_changed(catalog, rep):
    order = services.order_confirm(order=create(catalog, rep), user=rep, expected_version=1)
    order = services.order_update(order=order, user=rep, expected_version=2, price=Decimal("7000"))
    assert order.status == Order.Status.CHANGED
    assert Job.objects.get(pk=order.job_id).status == Job.Status.CONFIRMED


def test_new_dates_move_the_requirements_and_keep_their_keys(catalog, rep):
    order = create(catalog, rep)
    before = {r.key: r.pk for r in order.job.gear_requirements.all()}
    times = timeline(days_ahead=20)
    services.order_update(order=order, user=rep, expected_version=1, **times)
    after = {r.key: (r.pk, r.start) for r in order.job.gear_requirements.all()}
    assert {key: pk for key, (pk, _) in after.items()} == before
    assert all(start == times["load_in"] for _, start in after.values())


def test_a_cancelled_order_leaves_the_next_plan(catalog, rep, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = create(catalog, rep)
    with django_capture_on_commit_callbacks(execute=True):
        services.order_cancel(order=order, user=rep, expected_version=1)
    latest = PlanRun.objects.first()
    assert latest.job_count == 0
    assert order_standings([Order.objects.get()])[order.pk].risk == "cancelled"


def test_a_cancelled_order_cannot_be_edited(catalog, rep):
    order = services.order_cancel(order=create(catalog, rep), user=rep, expected_version=1)
    with pytest.raises(ValidationError):
        services.order_update(order=order, user=rep, expected_version=2, title="Back from the dead")
