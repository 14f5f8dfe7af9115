"""The audit trail: who changed what and when, for orders, pins, publishes and bookings; admins read it."""

from decimal import Decimal

import pytest
from django.db import transaction

from allocation.services import pin_create, pin_delete, plan_discard, plan_publish
from labor import services as labor_services
from rentalops import audit
from rentalops.models import AuditEvent
from sales import services as sales_services
from sales.services import OrderConflict
from tests.allocation import conftest as allocation_fixtures
from tests.allocation.planning import order
from tests.allocation.test_publish import make_plan
from tests.factories import BookingFactory, OfferFactory
from tests.labor import conftest as labor_fixtures

pytestmark = pytest.mark.django_db

# The board's and the over-hire tests' fixtures: a small planned catalogue, and a shift the plan left open.
planning = allocation_fixtures.planning
overhire = labor_fixtures.overhire


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def test_an_order_s_life_is_recorded_with_who_and_what_changed(planning):
    created = order(planning, attendees=300, renumber=False)
    sales_services.order_update(
        order=created, user=planning["rep"], expected_version=1, price=Decimal("7500.00"), title="Kickoff"
    )
    sales_services.order_confirm(order=created, user=planning["rep"], expected_version=2)
    sales_services.order_cancel(order=created, user=planning["rep"], expected_version=3)

    trail = list(AuditEvent.objects.filter(object_type="order", object_id=str(created.pk)).order_by("pk"))
    assert [event.action for event in trail] == [
        "order.created",
        "order.changed",
        "order.confirmed",
        "order.cancelled",
    ]
    assert {event.actor for event in trail} == {planning["rep"]}
    assert {event.actor_label for event in trail} == {"rep"}
    changed = trail[1]
    assert changed.changes["price"] == ["5000.00", "7500.00"]
    assert changed.changes["title"] == ["Spring kickoff", "Kickoff"]
    assert "status" not in changed.changes
    assert trail[3].changes["status"] == ["confirmed", "cancelled"]
    assert "cancelled (version 4)" in trail[3].summary


def test_a_refused_change_leaves_no_event(planning):
    created = order(planning, attendees=300, renumber=False)
    with pytest.raises(OrderConflict):
        sales_services.order_update(order=created, user=planning["rep"], expected_version=7, title="Stale")

    assert not events("order.changed")


def test_pins_set_and_removed_name_the_planner_and_the_pin(planning):
    created = order(planning, attendees=300)
    requirement = created.job.gear_requirements.get(key="o1-speakers")

    pin = pin_create(
        user=planning["planner"], requirement=requirement, product=planning["speaker"], quantity=2
    )
    pin_delete(pin=pin, user=planning["planner"])

    (set_,) = events("pin.set")
    (removed,) = events("pin.removed")
    assert set_.actor == removed.actor == planning["planner"]
    assert set_.summary == "Pinned 2 x SPK-1 on SO-00001/o1-speakers on SO-00001"
    assert set_.changes["quantity"] == [None, 2]
    assert removed.object_id == set_.object_id


def test_publishing_and_discarding_a_plan_are_recorded(make_user):
    planner = make_user("pat", "planner")
    old, proposal = make_plan("published"), make_plan()
    plan_publish(plan=proposal, user=planner)
    discarded = make_plan()
    plan_discard(plan=discarded, user=planner)

    (published,) = events("plan.published")
    assert published.actor == planner and published.object_id == str(proposal.pk)
    assert published.changes["retired"] == [old.pk]
    assert f"retiring #{old.pk}" in published.summary
    (discard,) = events("plan.discarded")
    assert discard.object_id == str(discarded.pk)


def test_a_booking_made_through_the_link_and_cancelled_by_a_coordinator(overhire, make_user):
    fia = overhire["freelancers"][0]
    booking = labor_services.offer_accept(offer=OfferFactory(shift=overhire["shift"], crew=fia))
    coordinator = make_user("cora", "coordinator")
    labor_services.booking_cancel(
        booking=booking, reason="Client moved the show", side="company", user=coordinator
    )

    (confirmed,) = events("booking.confirmed")
    assert confirmed.actor is None and confirmed.actor_label == "fia (offer link)"
    (cancelled,) = events("booking.cancelled")
    assert cancelled.actor == coordinator
    assert cancelled.changes == {"side": "company", "reason": "Client moved the show"}
    assert "Client moved the show" in cancelled.summary


def test_the_freelancer_cancelling_is_named_by_their_link(overhire):
    booking = BookingFactory(shift=overhire["shift"], crew=overhire["freelancers"][1])

    labor_services.booking_cancel(booking=booking, reason="Sick", side="freelancer")

    (cancelled,) = events("booking.cancelled")
    assert cancelled.actor is None and cancelled.actor_label == "gus (offer link)"


@pytest.mark.django_db(transaction=True)
def test_an_event_is_only_written_inside_the_change_s_transaction():
    plan = make_plan()
    with pytest.raises(RuntimeError):
        audit.record(actor=None, action="plan.published", obj=plan, summary="outside")
    with transaction.atomic():
        audit.record(actor=None, action="plan.published", obj=plan, summary="inside")
    assert AuditEvent.objects.get().actor_label == "system"


def test_admins_read_the_trail_through_the_api_and_filter_it(planning, api_client, make_user):
    order(planning, attendees=300)
    plan_publish(plan=make_plan(), user=planning["planner"])
    api_client.force_authenticate(make_user("ada", "admin"))

    everything = api_client.get("/api/v1/audit/").json()
    published = api_client.get("/api/v1/audit/", {"action": "plan.published"}).json()
    by_rep = api_client.get("/api/v1/audit/", {"actor": "rep"}).json()

    assert everything["count"] == 2
    assert [row["action"] for row in published["results"]] == ["plan.published"]
    assert published["results"][0]["actor"] == "planner"
    assert [row["action"] for row in by_rep["results"]] == ["order.created"]
    assert api_client.post("/api/v1/audit/", {}).status_code in (403, 405)


@pytest.mark.parametrize("role", ["sales", "planner", "coordinator"])
def test_other_roles_cannot_read_the_trail(role, api_client, make_user):
    api_client.force_authenticate(make_user(f"someone-{role}", role))

    assert api_client.get("/api/v1/audit/").status_code == 403


def test_the_admin_page_lists_events_and_allows_no_edit(planning, client, make_user):
    order(planning, attendees=300)
    event = AuditEvent.objects.get()
    client.force_login(make_user("root", "admin", is_staff=True, is_superuser=True))

    listing = client.get("/admin/rentalops/auditevent/", {"action__exact": "order.created"})
    assert listing.status_code == 200 and "order created" in listing.content.decode().lower()
    assert client.get("/admin/rentalops/auditevent/add/").status_code == 403
    detail = client.get(f"/admin/rentalops/auditevent/{event.pk}/change/")
    assert detail.status_code == 200 and 'name="_save"' not in detail.content.decode()
    assert client.post(f"/admin/rentalops/auditevent/{event.pk}/delete/").status_code == 403


def test_a_change_lists_only_the_fields_that_changed(planning):
    created = order(planning, attendees=300, renumber=False)

    sales_services.order_update(order=created, user=planning["rep"], expected_version=1, title="Kickoff")

    (changed,) = events("order.changed")
    assert changed.changes == {"title": ["Spring kickoff", "Kickoff"]}
