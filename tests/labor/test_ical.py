"""iCal feed: a secret URL per crew member with their confirmed bookings, parsed by the icalendar library."""

from datetime import timedelta

import pytest
from icalendar import Calendar

from labor.tokens import ical_path
from tests.factories import BookingFactory, ShiftFactory

pytestmark = pytest.mark.django_db


def test_the_feed_parses_and_has_the_booked_shifts(overhire, client):
    fia, gus = overhire["freelancers"][:2]
    shift = overhire["shift"]
    later = ShiftFactory(
        skill=overhire["skill"], start=shift.start + timedelta(days=3), end=shift.end + timedelta(days=3)
    )
    cancelled = ShiftFactory(
        skill=overhire["skill"], start=shift.start + timedelta(days=5), end=shift.end + timedelta(days=5)
    )
    BookingFactory(shift=shift, crew=fia)
    BookingFactory(shift=later, crew=fia)
    BookingFactory(
        shift=cancelled, crew=fia, status="cancelled", cancelled_at=shift.start, cancel_reason="moved"
    )
    BookingFactory(shift=later, crew=gus)

    response = client.get(ical_path(fia.pk))  # no login: the signed URL is the secret
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = sorted(calendar.walk("VEVENT"), key=lambda event: event.decoded("dtstart"))
    assert [event.decoded("dtstart") for event in events] == [shift.start, later.start]
    assert [event.decoded("dtend") for event in events] == [shift.end, later.end]
    first = events[0]
    assert str(first["summary"]) == "A1 audio engineer: Spring kickoff"
    assert overhire["job"].venue.name in str(first["location"])
    assert len({str(event["uid"]) for event in events}) == 2


def test_a_forged_feed_url_is_not_found(overhire, client):
    fia = overhire["freelancers"][0]
    path = ical_path(fia.pk)
    assert client.get(path.replace(f"/{fia.pk}:", f"/{fia.pk + 1}:")).status_code == 404
    assert client.get("/labor/ical/nonsense.ics").status_code == 404
