"""A real Celery worker process on the real Redis runs the project's tasks against the test database."""

import pytest

from rentalops.tasks import worker_health

pytestmark = pytest.mark.services


def test_a_real_worker_runs_the_health_task_against_the_test_database(celery_worker):
    result = worker_health.delay().get(timeout=30)
    assert result["database_ok"] is True
    assert result["database"] == "postgresql"
    assert "succeeded" in celery_worker["log"].read_text()
