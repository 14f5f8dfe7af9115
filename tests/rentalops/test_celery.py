"""A real Celery worker process on the real Redis runs the project's tasks against the test database."""

import os

import pytest
from django.conf import settings

from rentalops.tasks import worker_health

pytestmark = pytest.mark.services


def test_a_real_worker_runs_the_health_task_against_the_test_database(celery_worker):
    result = worker_health.delay().get(timeout=30)
    assert result["database_ok"] is True
    assert result["database"] == "postgresql"
    assert "succeeded" in celery_worker["log"].read_text()


def test_a_worker_solves_at_a_lower_cpu_priority_than_the_web(celery_worker):
    result = worker_health.delay().get(timeout=30)
    # The web keeps its priority; the worker (and the pool it forks) yields the CPU to requests.
    assert settings.SOLVER_NICE == 10
    assert result["niceness"] == min(19, os.nice(0) + settings.SOLVER_NICE)
