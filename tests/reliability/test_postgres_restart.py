"""PostgreSQL restarts while gunicorn serves: requests fail cleanly during the outage and succeed after.

"Cleanly" means: every request answers within a few seconds (no hang), with an error status (503 and a
Retry-After while the database is away), JSON for the API and /healthz, and no traceback or debug page
(DEBUG is off, as in production). After the restart the same gunicorn processes answer again: their
persistent connections (CONN_MAX_AGE) are health-checked and replaced, with no restart of the app.
"""

import pytest
import requests

from tests.reliability.conftest import manage, production_env, start_gunicorn

TIMEOUT = 10  # seconds: a request that takes longer counts as a hang

CREATE_USER = """
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
from jobs.models import Client
user = User.objects.create_user("planner", password="rentalops-demo")
user.groups.add(Group.objects.get(name="planner"))
Client.objects.create(code="northwind", name="Northwind Traders")
print(Token.objects.create(user=user).key)
"""


@pytest.fixture
def served(private_postgres, tmp_path):
    env = production_env(private_postgres["url"], tmp_path / "static")
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    token = manage(env, "shell", "-c", CREATE_USER).strip().splitlines()[-1]
    server = start_gunicorn(env, name="gunicorn-pg-restart")
    yield {**next(server), "token": token, "postgres": private_postgres}
    next(server, None)


def logged_in_session(base: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{base}/accounts/login/", timeout=TIMEOUT)
    response = session.post(
        f"{base}/accounts/login/",
        data={
            "username": "planner",
            "password": "rentalops-demo",
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        timeout=TIMEOUT,
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:500]
    return session


def ask(served: dict, session: requests.Session) -> dict[str, requests.Response]:
    """The three kinds of request: health, an API read with a token, a page with a session."""
    base, headers = served["url"], {"Authorization": f"Token {served['token']}"}
    return {
        "healthz": requests.get(f"{base}/healthz", timeout=TIMEOUT),
        "api": requests.get(f"{base}/api/v1/clients/", headers=headers, timeout=TIMEOUT),
        "page": session.get(f"{base}/jobs/", timeout=TIMEOUT, allow_redirects=False),
    }


def assert_all_healthy(answers: dict[str, requests.Response]) -> None:
    assert answers["healthz"].status_code == 200, answers["healthz"].text
    assert answers["healthz"].json()["database"]["ok"] is True
    assert answers["api"].status_code == 200, answers["api"].text[:300]
    assert answers["api"].json()["results"][0]["code"] == "northwind"
    assert answers["page"].status_code == 200, answers["page"].text[:300]


@pytest.mark.services
def test_requests_fail_cleanly_while_postgres_is_down_and_succeed_after_it_restarts(served):
    session = logged_in_session(served["url"])
    for _ in range(4):  # every gunicorn worker holds a persistent connection before the outage
        assert_all_healthy(ask(served, session))
    pids_before = served["process"].pid

    served["postgres"]["stop"]()
    for _ in range(3):
        answers = ask(served, session)
        health = answers["healthz"]
        assert health.status_code == 503
        assert health.headers["Content-Type"] == "application/json"
        assert health.json()["status"] == "unhealthy"
        assert health.json()["database"]["ok"] is False
        api = answers["api"]
        assert api.status_code == 503, api.text[:500]
        assert api.headers["Content-Type"] == "application/json"
        assert api.json() == {"detail": "The database is unavailable; try again in a moment."}
        assert api.headers["Retry-After"] == "5"
        page = answers["page"]
        assert page.status_code == 503, page.text[:500]
        assert "The database is unavailable" in page.text
        for response in answers.values():
            assert response.elapsed.total_seconds() < TIMEOUT
            assert "Traceback" not in response.text
            assert "psycopg2" not in response.text
            assert "DEBUG = True" not in response.text

    served["postgres"]["start"]()
    assert_all_healthy(ask(served, session))  # the very first request after the restart already answers
    for _ in range(4):
        assert_all_healthy(ask(served, session))
    assert served["process"].poll() is None and served["process"].pid == pids_before
