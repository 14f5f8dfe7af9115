"""Celery tasks of the allocation app: drain the solve requests."""

import os

from celery import shared_task
from celery.signals import worker_init, worker_ready
from django.conf import settings

from allocation.services import solve_requests_drain, solve_requests_pending

# While another worker holds the lease, look again this often: the holder may have been killed mid-solve.
RETRY_SECONDS = 5


# Nothing reads the result; sending must not wait on a result backend that shares the broker's outage.
@shared_task(bind=True, name="allocation.solve_pending", acks_late=True, max_retries=120, ignore_result=True)
def solve_pending(self) -> list[int]:
    """Solve all open jobs for every waiting request; idempotent (nothing waiting: nothing done)."""
    plans = solve_requests_drain(holder=f"celery:{self.request.hostname}:{self.request.id}")
    if not plans and solve_requests_pending():
        raise self.retry(countdown=RETRY_SECONDS)
    return [plan.pk for plan in plans]


@worker_ready.connect
def drain_after_start(sender=None, **kwargs) -> None:
    """A worker that starts (after an outage, a deploy, a crash) picks up requests written meanwhile."""
    solve_pending.apply_async(retry=False)


@worker_init.connect
def lower_priority(sender=None, **kwargs) -> None:
    """Solving is batch work: a worker on the web's host yields the CPU to requests (its pool inherits it)."""
    if settings.SOLVER_NICE > 0:
        os.nice(settings.SOLVER_NICE)
