"""Project-wide Celery tasks."""

import os
import socket

from celery import shared_task
from django.db import connection
from django.utils import timezone


@shared_task(name="rentalops.worker_health")
def worker_health() -> dict:
    """Prove a worker is alive and reaches the database: its host, database vendor, CPU niceness, time."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        database_ok = cursor.fetchone() == (1,)
    return {
        "worker": socket.gethostname(),
        "database": connection.vendor,
        "database_ok": database_ok,
        "niceness": os.nice(0),
        "at": timezone.now().isoformat(),
    }
