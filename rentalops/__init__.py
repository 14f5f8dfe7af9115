"""RentalOps: settings, URLs, the Celery app and roles."""

from rentalops.celery import app as celery_app

__all__ = ["celery_app"]
