"""Bookings: one person is never booked on two clashing shifts, not even by two accepts at once (PostgreSQL);
a cancel records who and why and asks for a re-plan; the next plan keeps a booking."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, close_old_connections, connection, transaction

from allocation.models import PlanCrew, PlanRun, SolveRequest
from allocation.services import plan_publish
from labor import services
from labor.models import Booking, CrewMember, CrewSkill, Offer
from tests.allocation.planning import latest, order
from tests.catalog import make_catalog
from tests.conftest import missing_service
from tests.factories import BookingFactory, OfferFactory, ShiftFactory, UserFactory


def clashing_offers(overhire) -> tuple[Offer, Offer]:
    """Fia offered the fixture's shift and another job's shift that overlaps it."""
    shift, fia = overhire["shift"], overhire["freelancers"][0]
    other = ShiftFactory(
        skill=overhire["skill"], min_level=3, start=shift.start + timedelta(hours=3), end=shift.end
    )
    overhire["plan"].unfilled.create(shift=other, missing=1)
    return OfferFactory(shift=shift, crew=fia), OfferFactory(shift=other, crew=fia)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_accepts_on_clashing_shifts_leave_exactly_one_booking(overhire, settings):
    if connection.vendor != "postgresql":
        missing_service("concurrent accepts need PostgreSQL (real row locks and the exclusion constraint)")
    # The accept's re-plan runs in the accepting thread, not in a solver thread that outlives the test.
    settings.SOLVE_IN_PROCESS, settings.SOLVE_DEBOUNCE_SECONDS = "sync", 0
    settings.SOLVER_TIME_LIMIT_SECONDS = 2
    first, second = clashing_offers(overhire)
    barrier = threading.Barrier(2)
    outcomes: dict[int, str] = {}

    def accept(offer: Offer) -> None:
        try:
            barrier.wait(timeout=10)
            services.offer_accept(offer=offer)
            outcomes[offer.pk] = "booked"
        except services.OfferRefused as refused:
            outcomes[offer.pk] = refused.message
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=accept, args=(offer,)) for offer in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    refusal = next(message for message in outcomes.values() if message != "booked")
    assert "already booked at that time" in refusal
    assert list(outcomes.values()).count("booked") == 1
    assert Booking.objects.filter(crew=overhire["freelancers"][0], status="confirmed").count() == 1
    assert sorted(Offer.objects.values_list("status", flat=True)) == ["accepted", "withdrawn"]


@pytest.mark.django_db(transaction=True)
def test_the_database_itself_refuses_two_clashing_bookings_of_one_person(overhire):
    if connection.vendor != "postgresql":
        missing_service("the exclusion constraint exists on PostgreSQL only")
    shift, fia = overhire["shift"], overhire["freelancers"][0]
    BookingFactory(shift=shift, crew=fia)
    after_rest = ShiftFactory(
        skill=overhire["skill"], start=shift.end + timedelta(hours=4), end=shift.end + timedelta(hours=8)
    )
    with pytest.raises(IntegrityError, match="labor_booking_no_clash_per_crew"), transaction.atomic():
        BookingFactory(shift=after_rest, crew=fia)  # inside the ten-hour rest gap
    BookingFactory(shift=after_rest, crew=overhire["freelancers"][1])  # someone else: fine
    BookingFactory(
        shift=after_rest, crew=fia, status="cancelled", cancelled_at=shift.start, cancel_reason="test"
    )  # a cancelled booking blocks nobody


@pytest.mark.django_db
def test_an_accept_that_clashes_with_a_booking_is_refused_and_withdrawn(overhire, client):
    first, second = clashing_offers(overhire)
    services.offer_accept(offer=first)
    answer = client.post(second.link, {"action": "accept"})
    assert answer.status_code == 410 and "already booked at that time" in answer.content.decode()
    second.refresh_from_db()
    assert second.status == "withdrawn" and "Clashes" in second.note
    assert Booking.objects.count() == 1


@pytest.mark.django_db
def test_cancel_records_who_and_why_and_asks_for_a_replan(overhire, client_as):
    booking = BookingFactory(shift=overhire["shift"], crew=overhire["freelancers"][0])
    client = client_as("coordinator")
    refused = client.post(f"/labor/bookings/{booking.pk}/cancel/", {"reason": ""}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 422 and "Say why the booking is cancelled" in refused.content.decode()
    assert Booking.objects.get(pk=booking.pk).status == "confirmed"
    done = client.post(
        f"/labor/bookings/{booking.pk}/cancel/", {"reason": "Client moved the show"}, HTTP_HX_REQUEST="true"
    )
    assert done.status_code == 200 and "Client moved the show" in done.content.decode()
    booking.refresh_from_db()
    assert booking.status == "cancelled" and booking.cancelled_side == "company"
    assert booking.cancelled_by.groups.filter(name="coordinator").exists() and booking.cancelled_at
    request = SolveRequest.objects.get(reason__startswith="booking cancelled")
    assert request.requested_by == booking.cancelled_by and "fia" in request.reason


@pytest.mark.django_db
def test_the_freelancer_cancels_through_the_link_saying_why(overhire, client):
    offer = OfferFactory(shift=overhire["shift"], crew=overhire["freelancers"][1])
    services.offer_accept(offer=offer)
    page = client.get(offer.link)
    assert "You are booked on this shift" in page.content.decode() and ".ics" in page.content.decode()
    unsaid = client.post(offer.link, {"action": "cancel", "reason": " "})
    assert unsaid.status_code == 422 and "Tell us why" in unsaid.content.decode()
    said = client.post(offer.link, {"action": "cancel", "reason": "Broke my wrist"})
    assert said.status_code == 200 and "Your booking is cancelled" in said.content.decode()
    booking = Booking.objects.get()
    assert (booking.status, booking.cancelled_side, booking.cancel_reason) == (
        "cancelled",
        "freelancer",
        "Broke my wrist",
    )
    assert booking.cancelled_by is None


@pytest.mark.django_db
def test_the_bookings_page_lists_bookings_for_coordinators_and_planners(overhire, client_as):
    BookingFactory(shift=overhire["shift"], crew=overhire["freelancers"][0])
    coordinator = client_as("coordinator").get("/labor/bookings/").content.decode()
    assert "Fia Falk" in coordinator and "Cancel booking" in coordinator and "iCal feed" in coordinator
    assert "Cancel booking" not in client_as("planner").get("/labor/bookings/").content.decode()
    assert client_as("sales").get("/labor/bookings/").status_code == 403


@pytest.mark.django_db
def test_the_next_plan_keeps_the_booking(settings, make_user, django_capture_on_commit_callbacks):
    settings.SOLVE_IN_PROCESS, settings.SOLVE_DEBOUNCE_SECONDS, settings.SOLVER_TIME_LIMIT_SECONDS = (
        "sync",
        0,
        5,
    )
    catalog = make_catalog()
    catalog["rep"] = make_user("rep", "sales")
    audio = CrewSkill.objects.get(crew=catalog["anna"]).skill
    for code, rate in (("fia", "380"), ("gus", "400"), ("hal", "420")):
        person = CrewMember.objects.create(
            code=code, first_name=code.title(), last_name="Free", kind="freelancer", day_rate=Decimal(rate)
        )
        CrewSkill.objects.create(crew=person, skill=audio, level=3)
    with django_capture_on_commit_callbacks(execute=True):
        order(catalog, attendees=100, title="Morning keynote")
        order(catalog, attendees=100, title="Partner summit")
    plan_publish(plan=latest(), user=make_user("planner", "planner"))
    from labor.selectors import needs_list

    (need,) = needs_list()
    proposed = need.proposed[0]
    other = CrewMember.objects.filter(kind="freelancer").exclude(pk=proposed.pk).order_by("code").first()
    coordinator = UserFactory(username="cora", role="coordinator")
    offers = services.offer_send(
        shift=need.shift, crew=CrewMember.objects.filter(kind="freelancer"), user=coordinator
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.offer_accept(offer=next(o for o in offers if o.crew == other))
    replanned = PlanRun.objects.filter(state="proposed").first()
    assert replanned is not None and replanned.has_solution
    assert {"shift": need.shift.scenario_id, "crew": other.code} in replanned.scenario["bookings"]
    assert PlanCrew.objects.filter(plan=replanned, shift=need.shift, crew=other).exists()
    assert not PlanCrew.objects.filter(plan=replanned, crew=proposed).exists()
    assert "booking: " in replanned.trigger


@pytest.mark.django_db
def test_an_admin_reads_offers_and_bookings_and_marks_a_no_show_after_the_shift(overhire, client):
    from django.utils import timezone

    past = ShiftFactory(
        skill=overhire["skill"],
        start=timezone.now() - timedelta(hours=12),
        end=timezone.now() - timedelta(hours=4),
    )
    gone = BookingFactory(shift=past, crew=overhire["freelancers"][0])
    ahead = BookingFactory(shift=overhire["shift"], crew=overhire["freelancers"][1])
    OfferFactory(shift=overhire["shift"], crew=overhire["freelancers"][2])
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    assert client.get("/admin/labor/offer/").status_code == 200
    assert client.get("/admin/labor/booking/").status_code == 200
    client.post("/admin/labor/booking/", {"action": "mark_no_show", "_selected_action": [gone.pk, ahead.pk]})
    assert Booking.objects.get(pk=gone.pk).status == "no_show"
    assert Booking.objects.get(pk=ahead.pk).status == "confirmed"
