"""The orders API: create with a token, read requirements and risk, conflicts, field errors, ownership."""

import pytest

from sales.models import Order
from tests.catalog import make_catalog, timeline

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(settings):
    settings.SOLVE_IN_PROCESS = "sync"
    settings.SOLVE_DEBOUNCE_SECONDS = 0
    settings.SOLVER_TIME_LIMIT_SECONDS = 5
    return make_catalog()


@pytest.fixture
def rep_api(api_client, make_user):
    make_user("rep", "sales")
    token = api_client.post("/api/v1/auth/token/", {"username": "rep", "password": "rentalops-demo"}).json()[
        "token"
    ]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api_client


def order_body(catalog, attendees=300):
    times = {key: value.isoformat() for key, value in timeline().items()}
    return {
        "client": catalog["client"].pk,
        "venue": catalog["venue"].pk,
        "title": "Spring kickoff",
        "price": "5000.00",
        **times,
        "outcomes": [{"template": "session", "parameters": {"attendees": attendees}}],
    }


def test_a_rep_creates_an_order_and_reads_its_risk(catalog, rep_api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = rep_api.post("/api/v1/orders/", order_body(catalog), format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["version"] == 1
    assert created["status"] == "submitted"
    assert {(g["capability"], g["quantity"]) for g in created["requirements"]["gear"]} == {
        ("speaker", 3),
        ("wash-light", 2),
    }
    assert [c["role"] for c in created["requirements"]["crew"]] == ["audio-a1"]
    body = rep_api.get(f"/api/v1/orders/{created['id']}/").json()
    assert body["risk"] == "covered"
    assert body["estimated_cost"] == "470.00"
    assert body["margin"] == "4530.00"


def test_a_bad_parameter_gets_400_naming_the_field(catalog, rep_api):
    response = rep_api.post("/api/v1/orders/", order_body(catalog, attendees=-5), format="json")
    assert response.status_code == 400
    assert "outcomes[0].parameters.attendees" in response.json()
    assert not Order.objects.exists()


def test_an_unknown_template_gets_400(catalog, rep_api):
    body = order_body(catalog)
    body["outcomes"][0]["template"] = "moon-landing"
    response = rep_api.post("/api/v1/orders/", body, format="json")
    assert response.status_code == 400
    assert "outcomes" in response.json()


def test_a_stale_version_gets_409_with_the_current_version(catalog, rep_api):
    order_id = rep_api.post("/api/v1/orders/", order_body(catalog), format="json").json()["id"]
    assert (
        rep_api.patch(
            f"/api/v1/orders/{order_id}/", {"version": 1, "price": "5500"}, format="json"
        ).status_code
        == 200
    )
    response = rep_api.patch(f"/api/v1/orders/{order_id}/", {"version": 1, "price": "1"}, format="json")
    assert response.status_code == 409
    assert response.json()["current_version"] == 2
    assert Order.objects.get().price == 5500


def test_a_stale_if_match_gets_412(catalog, rep_api):
    order_id = rep_api.post("/api/v1/orders/", order_body(catalog), format="json").json()["id"]
    etag = rep_api.get(f"/api/v1/orders/{order_id}/")["ETag"]
    assert (
        rep_api.patch(
            f"/api/v1/orders/{order_id}/", {"title": "A"}, format="json", HTTP_IF_MATCH=etag
        ).status_code
        == 200
    )
    response = rep_api.patch(f"/api/v1/orders/{order_id}/", {"title": "B"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    assert Order.objects.get().title == "A"


def test_an_update_without_a_version_is_refused(catalog, rep_api):
    order_id = rep_api.post("/api/v1/orders/", order_body(catalog), format="json").json()["id"]
    response = rep_api.patch(f"/api/v1/orders/{order_id}/", {"title": "B"}, format="json")
    assert response.status_code == 400
    assert "version" in response.json()


def test_a_rep_sees_only_their_own_orders(catalog, rep_api, api_client, make_user):
    rep_api.post("/api/v1/orders/", order_body(catalog), format="json")
    order = Order.objects.get()
    make_user("other", "sales")
    other = api_client.__class__()
    other.login(username="other", password="rentalops-demo")
    assert other.get("/api/v1/orders/").json()["count"] == 0
    assert other.get(f"/api/v1/orders/{order.pk}/").status_code == 404
    planner = api_client.__class__()
    make_user("plan", "planner")
    planner.login(username="plan", password="rentalops-demo")
    assert planner.get("/api/v1/orders/").json()["count"] == 1
    assert planner.post("/api/v1/orders/", order_body(catalog), format="json").status_code == 403


def test_cancel_takes_the_order_out_of_the_plan(catalog, rep_api, django_capture_on_commit_callbacks):
    order_id = rep_api.post("/api/v1/orders/", order_body(catalog), format="json").json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        response = rep_api.post(f"/api/v1/orders/{order_id}/cancel/", {"version": 1}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["risk"] == "cancelled"


def test_templates_list_their_parameters(catalog, rep_api):
    body = rep_api.get("/api/v1/templates/").json()
    session = next(t for t in body["results"] if t["slug"] == "session")
    assert [p["name"] for p in session["parameters"]] == ["attendees"]


def test_listing_pending_orders_costs_the_same_queries_for_two_or_ten(
    catalog, rep_api, django_assert_max_num_queries
):
    # Orders saved without a solve are pending: each row carries its pre-plan estimate.
    for _ in range(2):
        assert rep_api.post("/api/v1/orders/", order_body(catalog), format="json").status_code == 201
    with django_assert_max_num_queries(30) as two:
        first = rep_api.get("/api/v1/orders/").json()
    for _ in range(8):
        assert rep_api.post("/api/v1/orders/", order_body(catalog), format="json").status_code == 201
    with django_assert_max_num_queries(30) as ten:
        second = rep_api.get("/api/v1/orders/").json()

    assert len(first["results"]) == 2 and len(second["results"]) == 10
    assert {row["risk"] for row in second["results"]} == {"pending"}
    assert {row["estimated_cost"] for row in second["results"]} == {first["results"][0]["estimated_cost"]}
    assert len(ten.captured_queries) == len(two.captured_queries)
