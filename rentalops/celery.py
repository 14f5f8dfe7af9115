"""The Celery app. Redis is the broker; settings come from Django's (``CELERY_`` prefix)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rentalops.settings")

app = Celery("rentalops")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
