"""Offers: a signed, expiring link; a tampered or expired link refused; first accept wins; decline."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from allocation.models import SolveRequest
from labor import services
from labor.models import Booking, Offer
from tests.factories import CrewMemberFactory, OfferFactory, UserFactory

pytestmark = pytest.mark.django_db


def send(overhire, people=None) -> list[Offer]:
    coordinator = UserFactory(username="cora", role="coordinator")
    return services.offer_send(
        shift=overhire["shift"], crew=people or overhire["freelancers"], user=coordinator
    )


def test_sending_offers_emails_each_freelancer_their_own_signed_link(
    overhire, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        offers = send(overhire)
    assert [offer.status for offer in offers] == ["sent"] * 3
    assert len(mailoutbox) == 3
    first = mailoutbox[0]
    assert first.to == ["fia@crew.example"] or "fia" in first.to[0]
    assert offers[0].link in first.body and "Spring kickoff" in first.body
    assert len({offer.link for offer in offers}) == 3
    assert all(offer.expires_at <= overhire["shift"].start for offer in offers)


def test_the_freelancer_sees_the_shift_without_an_account(overhire, client):
    offer = send(overhire)[0]
    page = client.get(offer.link)
    assert page.status_code == 200
    text = page.content.decode()
    for fact in ("Spring kickoff", "A1 audio engineer", "£380.00 per day", "Accept the shift", "Decline"):
        assert fact in text
    assert "Gus" not in text  # other candidates stay private
    assert page["Referrer-Policy"] == "same-origin"  # the token never leaks to other sites


def test_a_tampered_link_is_refused_with_a_clear_page(overhire, client):
    offer = send(overhire)[0]
    token = offer.link.strip("/").split("/")[-1]
    number, stamp, signature = token.split(":")
    for forged in (f"{offer.pk + 1}:{stamp}:{signature}", f"{number}:{stamp}:{signature[:-2]}xx", "nonsense"):
        page = client.get(f"/offers/{forged}/")
        assert page.status_code == 400
        assert "This link is not valid" in page.content.decode()
        assert client.post(f"/offers/{forged}/", {"action": "accept"}).status_code == 400
    assert not Booking.objects.exists()


def test_an_expired_offer_is_refused_and_marked_expired(overhire, client):
    offer = send(overhire)[0]
    Offer.objects.filter(pk=offer.pk).update(
        sent_at=timezone.now() - timedelta(hours=3), expires_at=timezone.now() - timedelta(minutes=1)
    )
    page = client.get(offer.link)
    assert page.status_code == 410 and "This offer has expired" in page.content.decode()
    answer = client.post(offer.link, {"action": "accept"})
    assert answer.status_code == 410 and "expired" in answer.content.decode()
    offer.refresh_from_db()
    assert offer.status == "expired" and not Booking.objects.exists()


def test_a_link_older_than_the_offer_lifetime_is_refused(overhire, client, settings):
    offer = send(overhire)[0]
    settings.OFFER_TTL_HOURS = -1  # every signature is now older than the lifetime
    page = client.get(offer.link)
    assert page.status_code == 410 and "This offer has expired" in page.content.decode()
    assert client.post(offer.link, {"action": "accept"}).status_code == 410
    assert not Booking.objects.exists()


def test_a_booked_freelancer_still_reaches_the_booking_after_the_answering_time(overhire, client, settings):
    offer = send(overhire)[0]
    services.offer_accept(offer=offer)
    settings.OFFER_TTL_HOURS = -1
    page = client.get(offer.link)
    assert page.status_code == 200 and "You are booked on this shift" in page.content.decode()


def test_first_accept_wins_and_the_other_offers_are_withdrawn(overhire, client):
    _fia, gus, hal = send(overhire)
    answer = client.post(gus.link, {"action": "accept"})
    assert answer.status_code == 200 and "You are booked" in answer.content.decode()
    statuses = dict(Offer.objects.values_list("crew__code", "status"))
    assert statuses == {"fia": "withdrawn", "gus": "accepted", "hal": "withdrawn"}
    booking = Booking.objects.get()
    assert (booking.crew.code, booking.shift_id, booking.status) == ("gus", overhire["shift"].pk, "confirmed")
    assert booking.start == overhire["shift"].start and booking.offer_id == gus.pk
    assert SolveRequest.objects.filter(reason__contains="booking: gus").exists()
    late = client.post(hal.link, {"action": "accept"})
    assert late.status_code == 410 and "filled" in late.content.decode()
    assert Booking.objects.count() == 1


def test_a_shift_missing_two_people_takes_two_accepts_before_withdrawing(overhire):
    shift = overhire["shift"]
    shift.count = 2
    shift.save()
    overhire["plan"].unfilled.update(missing=2)
    fia, gus, hal = send(overhire)
    services.offer_accept(offer=fia)
    assert Offer.objects.get(pk=hal.pk).status == "sent"
    services.offer_accept(offer=hal)
    assert Offer.objects.get(pk=gus.pk).status == "withdrawn"
    assert Booking.objects.filter(status="confirmed").count() == 2


def test_decline_keeps_the_offer_on_record_and_books_nobody(overhire, client):
    fia = send(overhire)[0]
    answer = client.post(fia.link, {"action": "decline"})
    assert answer.status_code == 200 and "You declined" in answer.content.decode()
    fia.refresh_from_db()
    assert fia.status == "declined" and fia.responded_at is not None and fia.version == 2
    assert not Booking.objects.exists()
    assert client.post(fia.link, {"action": "accept"}).status_code == 410


def test_an_unknown_action_is_a_field_error(overhire, client):
    fia = send(overhire)[0]
    assert client.post(fia.link, {"action": "maybe"}).status_code == 422


def test_offers_only_go_to_qualified_freelancers_without_a_live_offer(overhire):
    staff = CrewMemberFactory(code="sam", skills={"audio-a1": 4})
    junior = CrewMemberFactory(code="jun", freelancer=True, skills={"audio-a1": 2})
    with pytest.raises(ValidationError) as refused:
        send(overhire, [staff, junior])
    messages = refused.value.message_dict["crew"]
    assert any("not an active freelancer" in m for m in messages)
    assert any("level 3 or above" in m for m in messages)
    send(overhire, overhire["freelancers"][:1])
    with pytest.raises(ValidationError, match="already has a live offer"):
        send(overhire, overhire["freelancers"][:1])


def test_a_shift_the_plan_does_not_need_freelancers_on_cannot_be_offered(overhire):
    overhire["plan"].unfilled.all().delete()
    with pytest.raises(ValidationError, match="needs no more freelancers"):
        send(overhire)


def test_the_sweep_marks_overdue_offers_expired(overhire):
    due = OfferFactory(shift=overhire["shift"], crew=overhire["freelancers"][0])
    Offer.objects.filter(pk=due.pk).update(expires_at=timezone.now() - timedelta(seconds=1))  # sent 1 h ago
    live = OfferFactory(shift=overhire["shift"], crew=overhire["freelancers"][1])
    from labor.tasks import expire_offers

    assert expire_offers() == 1
    assert Offer.objects.get(pk=due.pk).status == "expired"
    assert Offer.objects.get(pk=live.pk).status == "sent"


def test_a_withdrawn_offer_link_says_so(overhire, client):
    fia = send(overhire)[0]
    services.offer_withdraw(offer=fia, user=None)
    page = client.get(fia.link)
    assert page.status_code == 410 and "withdrawn" in page.content.decode()


def test_the_coordinator_sends_offers_from_the_needs_page(overhire, client_as):
    client = client_as("coordinator")
    ids = [person.pk for person in overhire["freelancers"][:2]]
    url = f"/labor/needs/{overhire['shift'].pk}/offers/"
    card = client.post(url, {"crew": ids}, HTTP_HX_REQUEST="true")
    assert card.status_code == 200
    text = card.content.decode()
    assert text.count('data-status="sent"') == 2 and "signed link" in text
    assert Offer.objects.filter(status="sent").count() == 2
    empty = client.post(url, {}, HTTP_HX_REQUEST="true")
    assert empty.status_code == 422 and "Tick at least one freelancer" in empty.content.decode()
    withdrawn = client.post(f"/labor/offers/{Offer.objects.first().pk}/withdraw/", HTTP_HX_REQUEST="true")
    assert withdrawn.status_code == 200 and 'data-status="withdrawn"' in withdrawn.content.decode()


def test_planners_see_the_needs_but_cannot_send_offers(overhire, client_as):
    client = client_as("planner")
    assert client.get("/labor/needs/").status_code == 200
    url = f"/labor/needs/{overhire['shift'].pk}/offers/"
    assert client.post(url, {"crew": [overhire["freelancers"][0].pk]}).status_code == 403


def test_offer_path_is_scoped_to_one_offer(overhire):
    fia, gus, _ = send(overhire)
    assert fia.link != gus.link and fia.link.startswith(f"/offers/{fia.pk}:")
    assert Offer.objects.get(pk=fia.pk).link == fia.link  # the same link however often it is shown
