"""schemathesis, driven by the OpenAPI schema, sends over a thousand generated requests to a live server.

No response may be a 5xx, and every response must match the schema: its status code is one the operation
declares, its content type and its body are the declared ones. The data is a small season with orders and a
plan; half the requests that take an id use one that exists, so updates, actions and deletes reach real rows.
"""

import re
from collections import Counter
from decimal import Decimal

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from allocation.models import PlanRun
from allocation.services import plan_publish
from sales import services
from sales.services import OutcomeInput
from tests.catalog import make_catalog, timeline

EXAMPLES_PER_OPERATION = 20
MINIMUM_REQUESTS = 1000
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
PATH_ID = re.compile(r"^/api/v1/([a-z-]+)/\{(id|slug)\}/")


@pytest.fixture
def season(settings, transactional_db, make_user) -> dict:
    """The small catalogue, three orders solved and the plan published, an admin with a token."""
    settings.BROKER_CONFIGURED = False
    settings.SOLVE_IN_PROCESS = "sync"
    settings.SOLVE_DEBOUNCE_SECONDS = 0
    settings.SOLVER_TIME_LIMIT_SECONDS = 2
    catalog = make_catalog()
    rep = make_user("rep", "sales")
    for number in range(3):
        services.order_create(
            user=rep,
            title=f"Season order {number}",
            client=catalog["client"],
            venue=catalog["venue"],
            price=Decimal("5000"),
            outcomes=[OutcomeInput(catalog["template"], {"attendees": 300 + 100 * number})],
            **timeline(days_ahead=10 + number),
        )
    planner = make_user("planner", "planner")
    plan_publish(plan=PlanRun.objects.filter(state=PlanRun.State.PROPOSED).first(), user=planner)
    admin = make_user("fuzz-admin", "admin", is_staff=True, is_superuser=True)
    from rest_framework.authtoken.models import Token

    return {"token": Token.objects.create(user=admin).key}


def existing_keys(base: str, headers: dict, resource: str) -> list:
    response = requests.get(f"{base}/api/v1/{resource}/", headers=headers, timeout=30)
    if response.status_code != 200:
        return []
    body = response.json()
    rows = body["results"] if isinstance(body, dict) else body
    return [row.get("id", row.get("slug")) for row in rows if isinstance(row, dict)][:10]


def strategy_for(operation, keys: list):
    generated = operation.as_strategy()
    if not keys:
        return generated
    parameter = PATH_ID.match(operation.path).group(2)
    real = st.sampled_from(keys).flatmap(lambda key: operation.as_strategy(path_parameters={parameter: key}))
    return st.one_of(generated, real)


def fuzzer(operation, keys: list, base: str, session, headers: dict, sent: list, statuses: Counter):
    """A Hypothesis test of one operation: send each generated case, check its response."""

    @given(case=strategy_for(operation, keys))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def exercise(case) -> None:
        response = case.call(base_url=base, session=session, headers=headers, timeout=30)
        sent.append(response.status_code)
        statuses[response.status_code] += 1
        case.validate_response(response, checks=CHECKS)

    return exercise


@pytest.mark.services
def test_a_thousand_generated_requests_get_no_5xx_and_match_the_schema(live_server, season, monkeypatch):
    from rest_framework.throttling import UserRateThrottle

    # One token sends every request in about a minute; the per-user rate is not what is under test here.
    monkeypatch.setitem(UserRateThrottle.THROTTLE_RATES, "user", "100000/minute")
    base = live_server.url
    headers = {"Authorization": f"Token {season['token']}"}
    schema = schemathesis.openapi.from_url(f"{base}/api/schema/?format=json", timeout=60)
    operations = [result.ok() for result in schema.get_all_operations()]
    # Deletes last, so that the other operations still find the rows they read and change.
    operations.sort(key=lambda operation: operation.method.upper() == "DELETE")
    assert len(operations) >= 60

    sent: dict[str, list[int]] = {}
    statuses: Counter = Counter()
    failures: dict[str, str] = {}
    session = requests.Session()
    for operation in operations:
        label = f"{operation.method.upper()} {operation.path}"
        match = PATH_ID.match(operation.path)
        keys = existing_keys(base, headers, match.group(1)) if match else []
        sent[label] = []

        exercise = fuzzer(operation, keys, base, session, headers, sent[label], statuses)
        try:
            exercise()
        except (Exception, BaseExceptionGroup) as error:  # collect every failure, then report them all
            failures[label] = str(error)[:1500]

    total = sum(len(calls) for calls in sent.values())
    by_status = dict(sorted(statuses.items()))
    print(f"schemathesis: {total} requests over {len(sent)} operations; statuses {by_status}")
    assert not failures, "\n\n".join(f"{label}:\n{message}" for label, message in failures.items())
    assert total >= MINIMUM_REQUESTS
    assert not [status for status in statuses if status >= 500]
