"""Date and time helpers for pages and forms."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone


def start_of_day(day: date, *, plus_days: int = 0) -> datetime:
    """Midnight at the start of ``day`` (plus some days) in the current time zone."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=plus_days), time.min))
