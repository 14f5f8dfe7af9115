"""A crew member's booked shifts as an iCalendar feed (RFC 5545), built with the ``icalendar`` library."""

from datetime import timedelta

from django.utils import timezone
from icalendar import Calendar, Event

from labor.models import Booking, CrewMember

# Past bookings stay in the feed for a while, so a calendar app keeps last month's work.
PAST_DAYS = 60


def crew_calendar(*, crew: CrewMember, domain: str = "rentalops") -> bytes:
    """The confirmed bookings of a person from ``PAST_DAYS`` ago on, one event per shift."""
    calendar = Calendar()
    calendar.add("prodid", "-//RentalOps//Crew bookings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"RentalOps bookings: {crew.full_name}")
    bookings = (
        Booking.objects.filter(
            crew=crew,
            status=Booking.Status.CONFIRMED,
            end__gt=timezone.now() - timedelta(days=PAST_DAYS),
        )
        .select_related("shift__job__venue", "shift__skill")
        .order_by("start")
    )
    for booking in bookings:
        shift, job = booking.shift, booking.shift.job
        event = Event()
        event.add("uid", f"booking-{booking.pk}@{domain}")
        event.add("summary", f"{shift.skill.name}: {job.title}")
        event.add("dtstart", booking.start)
        event.add("dtend", booking.end)
        event.add("dtstamp", booking.updated_at)
        event.add("location", ", ".join(part for part in (job.venue.name, job.venue.city) if part))
        event.add(
            "description",
            f"{job.code} · {shift.skill.name} level {shift.min_level}+ · "
            f"call {timezone.localtime(shift.start):%H:%M}",
        )
        calendar.add_component(event)
    return calendar.to_ical()
