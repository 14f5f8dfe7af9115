"""Locust behaviours of the three office roles against a served RentalOps (seeded with the demo).

- sales: lists orders, sells a new outcome-based order through the API, reads an order back;
- planner: opens the board (the page), lists plans and reads one through the API;
- coordinator: opens the over-hire needs and the bench pages.

Run it with ``python -m loadtest.run`` (starts gunicorn, a worker and a seeded database first), or by hand:
``locust -f loadtest/locustfile.py --headless -u 20 -r 20 -t 60s --host http://127.0.0.1:8000``.
Every request is named by its endpoint group, which is what docs/benchmarks.md reports.
"""

import json
import os
import random
import threading
from datetime import UTC, datetime, timedelta

from locust import HttpUser, between, events, task

PASSWORD = "rentalops-demo"
# One token per demo account for the whole run: the token endpoint is throttled per address, as it should be.
_tokens: dict[str, str] = {}
_tokens_lock = threading.Lock()


# The ids of the orders the API answered 201 for: the runner checks every one is in the database.
created_order_ids: list[int] = []


@events.test_stop.add_listener
def write_created_orders(**kwargs) -> None:
    path = os.environ.get("LOADTEST_CREATED_FILE")
    if path:
        with open(path, "w") as handle:
            json.dump(created_order_ids, handle)


def api_token(user: HttpUser, username: str) -> str:
    with _tokens_lock:
        if username not in _tokens:
            response = user.client.post(
                "/api/v1/auth/token/", data={"username": username, "password": PASSWORD}, name="auth token"
            )
            response.raise_for_status()
            _tokens[username] = response.json()["token"]
        return _tokens[username]


def log_in(user: HttpUser, username: str) -> None:
    """A browser's login: the form's CSRF token from the page, then the post."""
    user.client.get("/accounts/login/", name="login page")
    token = user.client.cookies.get("csrftoken")
    response = user.client.post(
        "/accounts/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{user.host}/accounts/login/"},
        name="login",
        allow_redirects=False,
    )
    if response.status_code != 302:
        raise RuntimeError(f"login as {username} failed with {response.status_code}")


class SalesRep(HttpUser):
    """Sells outcomes through the API, as an integration or a rep's script would."""

    weight = 2
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.headers = {"Authorization": f"Token {api_token(self, 'sales')}"}
        clients = self.client.get("/api/v1/clients/", headers=self.headers, name="clients").json()["results"]
        venues = self.client.get("/api/v1/venues/", headers=self.headers, name="venues").json()["results"]
        self.client_ids = [row["id"] for row in clients]
        self.venue_ids = [row["id"] for row in venues]
        self.order_ids: list[int] = []

    @task(4)
    def list_orders(self) -> None:
        response = self.client.get("/api/v1/orders/?ordering=-id", headers=self.headers, name="order list")
        if response.ok:
            self.order_ids = [row["id"] for row in response.json()["results"]][:20] or self.order_ids

    @task(2)
    def create_order(self) -> None:
        day = datetime.now(UTC).replace(hour=8, minute=0, second=0, microsecond=0) + timedelta(
            days=random.randint(20, 80)
        )
        body = {
            "client": random.choice(self.client_ids),
            "venue": random.choice(self.venue_ids),
            "title": f"Load test session {random.randint(1, 10**6)}",
            "price": "18000.00",
            "load_in": day.isoformat(),
            "show_start": (day + timedelta(hours=5)).isoformat(),
            "show_end": (day + timedelta(hours=10)).isoformat(),
            "load_out": (day + timedelta(hours=14)).isoformat(),
            "outcomes": [
                {"template": "general-session", "parameters": {"attendees": random.choice([200, 400, 800])}},
                {"template": "breakout-room", "parameters": {"attendees": 60}},
            ],
        }
        with self.client.post(
            "/api/v1/orders/", json=body, headers=self.headers, name="order create", catch_response=True
        ) as response:
            if response.status_code == 201:
                self.order_ids.append(response.json()["id"])
                created_order_ids.append(response.json()["id"])
                response.success()
            else:
                response.failure(f"{response.status_code}: {response.text[:200]}")

    @task(4)
    def read_order(self) -> None:
        if self.order_ids:
            order = random.choice(self.order_ids)
            self.client.get(f"/api/v1/orders/{order}/", headers=self.headers, name="order read")


class Planner(HttpUser):
    """Reviews the board in the browser and the plans through the API."""

    weight = 1
    wait_time = between(1, 3)

    def on_start(self) -> None:
        # The token first: once logged in, the session cookie would make DRF ask for a CSRF token too.
        self.headers = {"Authorization": f"Token {api_token(self, 'planner')}"}
        log_in(self, "planner")

    @task(3)
    def board(self) -> None:
        self.client.get("/board/", name="board")

    @task(2)
    def plans(self) -> None:
        response = self.client.get("/api/v1/plans/", headers=self.headers, name="plan list")
        if response.ok and response.json()["results"]:
            plan = random.choice(response.json()["results"][:5])["id"]
            self.client.get(f"/api/v1/plans/{plan}/", headers=self.headers, name="plan read")


class Coordinator(HttpUser):
    """Turns unfilled shifts into offers: the needs list and the bench."""

    weight = 1
    wait_time = between(1, 3)

    def on_start(self) -> None:
        log_in(self, "coordinator")

    @task(3)
    def needs(self) -> None:
        self.client.get("/labor/needs/", name="needs")

    @task(1)
    def bench(self) -> None:
        self.client.get("/labor/bench/", name="bench")
