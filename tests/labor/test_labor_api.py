"""The over-hire API: needs with ranked candidates, offers (create for several, withdraw), bookings (cancel),
in the shapes of DESIGN.md; coordinators write, planners read, sales get 403."""

import pytest

from labor import services
from labor.models import Offer
from tests.factories import BookingFactory, OfferFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_role(api_client):
    def login(role: str):
        api_client.force_authenticate(UserFactory(username=f"api-{role}", role=role))
        return api_client

    return login


def test_needs_list_the_published_plans_needs_with_ranked_candidates_and_reasons(overhire, as_role):
    body = as_role("coordinator").get("/api/v1/needs/").json()
    assert body["count"] == 1
    (need,) = body["results"]
    shift = overhire["shift"]
    assert need["shift"] == shift.pk and need["job"] == "J-1001" and need["role"] == "audio-a1"
    assert need["min_level"] == 3 and need["missing"] == 1
    assert need["start"].startswith(shift.start.isoformat()[:16]) and need["end"]
    assert [c["crew"] for c in need["candidates"]] == [p.pk for p in overhire["freelancers"]]
    assert need["candidates"][0]["reasons"] == [
        "A1 audio engineer level 3 ≥ 3",
        "no offers yet; rated 85%",
        "£380/day",
    ]


def test_needs_filter_by_skill_and_hide_filled_ones(overhire, as_role):
    client = as_role("planner")
    assert client.get("/api/v1/needs/?skill=rigger").json()["count"] == 0
    BookingFactory(shift=overhire["shift"], crew=overhire["freelancers"][0])
    assert client.get("/api/v1/needs/").json()["count"] == 0
    assert client.get("/api/v1/needs/?include_filled=true").json()["results"][0]["missing"] == 0
    assert client.get("/api/v1/needs/?date_from=tomorrow").status_code == 400


def test_a_coordinator_offers_a_shift_to_several_freelancers(
    overhire, as_role, mailoutbox, django_capture_on_commit_callbacks
):
    ids = [person.pk for person in overhire["freelancers"]]
    with django_capture_on_commit_callbacks(execute=True):
        response = as_role("coordinator").post(
            "/api/v1/offers/", {"shift": overhire["shift"].pk, "crew": ids}, format="json"
        )
    assert response.status_code == 201
    offers = response.json()
    assert [o["crew"] for o in offers] == ids and {o["status"] for o in offers} == {"sent"}
    assert all(o["shift"] == overhire["shift"].pk and o["link"].startswith("/offers/") for o in offers)
    assert len(mailoutbox) == 3 and offers[0]["link"] in mailoutbox[0].body


def test_offer_errors_are_field_errors(overhire, as_role):
    client = as_role("coordinator")
    assert set(client.post("/api/v1/offers/", {}, format="json").json()) == {"shift", "crew"}
    empty = client.post("/api/v1/offers/", {"shift": overhire["shift"].pk, "crew": []}, format="json")
    assert empty.status_code == 400 and "crew" in empty.json()
    fia = overhire["freelancers"][0].pk
    client.post("/api/v1/offers/", {"shift": overhire["shift"].pk, "crew": [fia]}, format="json")
    again = client.post("/api/v1/offers/", {"shift": overhire["shift"].pk, "crew": [fia]}, format="json")
    assert again.status_code == 400 and "already has a live offer" in again.json()["crew"][0]


def test_offers_are_listed_filtered_and_withdrawn(overhire, as_role):
    fia, gus, _hal = overhire["freelancers"]
    live = OfferFactory(shift=overhire["shift"], crew=fia)
    OfferFactory(shift=overhire["shift"], crew=gus, status="declined")
    client = as_role("coordinator")
    assert client.get("/api/v1/offers/").json()["count"] == 2
    assert [o["id"] for o in client.get("/api/v1/offers/?status=sent").json()["results"]] == [live.pk]
    withdrawn = client.post(f"/api/v1/offers/{live.pk}/withdraw/")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert client.post(f"/api/v1/offers/{live.pk}/withdraw/").status_code == 409


def test_bookings_are_read_and_cancelled_with_a_reason(overhire, as_role):
    booking = BookingFactory(shift=overhire["shift"], crew=overhire["freelancers"][0])
    client = as_role("coordinator")
    (row,) = client.get("/api/v1/bookings/?status=confirmed").json()["results"]
    assert (row["shift"], row["crew"], row["status"], row["job"]) == (
        overhire["shift"].pk,
        booking.crew_id,
        "confirmed",
        "J-1001",
    )
    assert client.post(f"/api/v1/bookings/{booking.pk}/cancel/", {}, format="json").status_code == 400
    done = client.post(f"/api/v1/bookings/{booking.pk}/cancel/", {"reason": "Show moved"}, format="json")
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["cancel_reason"], done.json()["cancelled_by"]) == (
        "cancelled",
        "Show moved",
        "api-coordinator",
    )


def test_planners_read_but_may_not_write_and_sales_may_not_read(overhire, as_role, api_client):
    offer = OfferFactory(shift=overhire["shift"], crew=overhire["freelancers"][0])
    planner = as_role("planner")
    for path in ("/api/v1/needs/", "/api/v1/offers/", "/api/v1/bookings/"):
        assert planner.get(path).status_code == 200
    payload = {"shift": overhire["shift"].pk, "crew": [overhire["freelancers"][1].pk]}
    assert planner.post("/api/v1/offers/", payload, format="json").status_code == 403
    assert planner.post(f"/api/v1/offers/{offer.pk}/withdraw/").status_code == 403
    sales = as_role("sales")
    for path in ("/api/v1/needs/", "/api/v1/offers/", "/api/v1/bookings/"):
        assert sales.get(path).status_code == 403
    api_client.force_authenticate(None)
    assert api_client.get("/api/v1/needs/").status_code in (401, 403)


def test_the_link_is_for_coordinators_and_the_schema_describes_the_endpoints(overhire, as_role):
    services.offer_send(shift=overhire["shift"], crew=overhire["freelancers"][:1], user=None)
    assert (
        Offer.objects.get().link == as_role("coordinator").get("/api/v1/offers/").json()["results"][0]["link"]
    )
    schema = as_role("coordinator").get("/api/schema/?format=json").json()
    for path in (
        "/api/v1/needs/",
        "/api/v1/offers/",
        "/api/v1/offers/{id}/withdraw/",
        "/api/v1/bookings/{id}/cancel/",
    ):
        assert path in schema["paths"]
    need = schema["components"]["schemas"]["Need"]["properties"]
    assert {"shift", "job", "role", "min_level", "start", "end", "missing", "candidates"} <= set(need)
