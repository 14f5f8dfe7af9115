"""/healthz reports the database, the broker and the last solve."""

import pytest

pytestmark = pytest.mark.django_db


def test_it_is_healthy_on_the_embedded_default(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["broker"]["mode"] == "in-process"
    assert "last_solve" in body


def test_it_is_unhealthy_when_the_broker_does_not_answer(client, settings):
    settings.BROKER_CONFIGURED = True
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"]["ok"] is False


def test_it_reports_a_reachable_redis_broker(client, settings, redis_url):
    settings.BROKER_CONFIGURED = True
    settings.CELERY_BROKER_URL = redis_url
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == {**response.json()["broker"], "ok": True, "mode": "celery"}
