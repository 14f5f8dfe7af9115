"""Sell an outcome through the RentalOps API and wait for the plan's verdict, as a user would script it.

    python docs/examples/order_via_api.py http://127.0.0.1:8000 sales rentalops-demo

Gets a token, picks the first client and venue, creates an order for a 600-person general session with two
breakouts a month from now, then polls the order until the re-plan has seen it and prints its risk, cost and
margin. Only the standard library: copy it anywhere.
"""

import json
import sys
import time
import urllib.request
from datetime import UTC, datetime, timedelta


def call(base: str, path: str, token: str | None = None, body: dict | None = None) -> dict:
    request = urllib.request.Request(
        base.rstrip("/") + path,
        data=json.dumps(body).encode() if body is not None else None,
        headers={
            "Content-Type": "application/json",
            **({"Authorization": f"Token {token}"} if token else {}),
        },
        method="POST" if body is not None else "GET",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def main(base: str, username: str, password: str, wait_seconds: float = 120) -> int:
    token = call(base, "/api/v1/auth/token/", body={"username": username, "password": password})["token"]
    client = call(base, "/api/v1/clients/?ordering=name", token)["results"][0]
    venue = call(base, "/api/v1/venues/?ordering=name", token)["results"][0]
    day = (datetime.now(UTC) + timedelta(days=30)).replace(hour=0, minute=0, second=0, microsecond=0)
    order = call(
        base,
        "/api/v1/orders/",
        token,
        {
            "client": client["id"],
            "venue": venue["id"],
            "title": "API summit",
            "price": "52000.00",
            "load_in": (day + timedelta(hours=8)).isoformat(),
            "show_start": (day + timedelta(days=1, hours=9)).isoformat(),
            "show_end": (day + timedelta(days=1, hours=17)).isoformat(),
            "load_out": (day + timedelta(days=1, hours=22)).isoformat(),
            "outcomes": [
                {"template": "general-session", "parameters": {"attendees": 600}},
                {"template": "breakout-room", "parameters": {"attendees": 80}},
                {"template": "breakout-room", "parameters": {"attendees": 80}},
            ],
        },
    )
    print(
        f"created {order['code']} (version {order['version']}): "
        f"{len(order['requirements']['gear'])} gear lines, {len(order['requirements']['crew'])} shifts"
    )
    deadline = time.monotonic() + wait_seconds
    while order["risk"] == "pending":
        if time.monotonic() > deadline:
            print("no plan yet: is a worker running?", file=sys.stderr)
            return 1
        time.sleep(1)
        order = call(base, f"/api/v1/orders/{order['id']}/", token)
    print(
        f"risk {order['risk']} from plan #{order['plan']}; cost {order['estimated_cost']}, "
        f"margin {order['margin']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
