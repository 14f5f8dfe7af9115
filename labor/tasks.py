"""Celery tasks of the labor app."""

from celery import shared_task

from labor.services import offers_expire


@shared_task(name="labor.expire_offers")
def expire_offers() -> int:
    """The periodic sweep: mark live offers past their expiry as expired (idempotent)."""
    return offers_expire()
