"""Pins: saved with a re-plan that keeps them; refused, the clashing pins named, when they cannot hold."""

import pytest
from django.db import IntegrityError

from allocation.models import Pin, SolveRequest
from allocation.services import PinConflict, pin_create, pin_delete
from jobs.models import Product
from labor.models import CrewMember
from tests.allocation.planning import latest, planned

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_jobs(planning, django_capture_on_commit_callbacks):
    """A low-priority job of 20 speakers and a high-priority one of 3 at the same time; 4 speakers owned."""
    big = planned(django_capture_on_commit_callbacks, planning, attendees=2000, title="Expo", priority=2)
    gala = planned(django_capture_on_commit_callbacks, planning, attendees=300, title="Gala", priority=4)
    planning.update(big=big.job, gala=gala.job, capture=django_capture_on_commit_callbacks)
    return planning


def speakers(job):
    return job.gear_requirements.get(key="o1-speakers")


def test_a_pin_triggers_a_replan_that_keeps_it(two_jobs):
    before = latest()
    with two_jobs["capture"](execute=True):
        pin_create(
            user=two_jobs["planner"],
            requirement=speakers(two_jobs["big"]),
            product=two_jobs["speaker"],
            quantity=4,
        )
    after = latest()
    assert after.pk != before.pk
    assert {"requirement": "SO-00001/o1-speakers", "product": "SPK-1", "quantity": 4} in after.scenario[
        "pins"
    ]
    gear = {(row["requirement"], row["product"]): row["quantity"] for row in after.plan["gear"]}
    assert gear[("SO-00001/o1-speakers", "SPK-1")] == 4
    assert gear.get(("SO-00002/o1-speakers", "SPK-1"), 0) == 0
    assert "pin 4 x SPK-1 on SO-00001/o1-speakers" in after.trigger


def test_a_pin_is_written_with_its_replan_request_in_one_transaction(two_jobs):
    SolveRequest.objects.all().delete()
    pin = pin_create(
        user=two_jobs["planner"],
        requirement=speakers(two_jobs["gala"]),
        product=two_jobs["speaker"],
        quantity=3,
    )
    request = SolveRequest.objects.get()
    assert request.reason == "pin 3 x SPK-1 on SO-00002/o1-speakers"
    assert request.requested_by == two_jobs["planner"]
    pin_delete(pin=pin, user=two_jobs["planner"])
    assert not Pin.objects.exists()
    assert SolveRequest.objects.filter(reason__startswith="unpin").count() == 1


def test_a_pin_that_clashes_is_refused_with_both_named(two_jobs):
    first = pin_create(
        user=two_jobs["planner"],
        requirement=speakers(two_jobs["gala"]),
        product=two_jobs["speaker"],
        quantity=3,
    )
    requests = SolveRequest.objects.count()
    with pytest.raises(PinConflict) as refused:
        pin_create(
            user=two_jobs["planner"],
            requirement=speakers(two_jobs["big"]),
            product=two_jobs["speaker"],
            quantity=3,
        )
    named = {(c["requirement"], c["quantity"]) for c in refused.value.conflicts}
    assert named == {("SO-00002/o1-speakers", 3), ("SO-00001/o1-speakers", 3)}
    assert all("SPK-1" in c["reason"] for c in refused.value.conflicts)
    assert list(Pin.objects.all()) == [first]
    assert SolveRequest.objects.count() == requests


def test_a_product_that_does_not_provide_the_capability_is_refused(two_jobs):
    wash = Product.objects.get(sku="WSH-1")
    with pytest.raises(PinConflict) as refused:
        pin_create(user=two_jobs["planner"], requirement=speakers(two_jobs["gala"]), product=wash, quantity=1)
    assert "WSH-1 does not provide speaker" in refused.value.conflicts[0]["reason"]


def test_one_person_pinned_on_two_overlapping_shifts_is_refused(two_jobs):
    anna = CrewMember.objects.get(code="anna")
    pin_create(user=two_jobs["planner"], shift=two_jobs["gala"].shifts.get(), crew=anna)
    with pytest.raises(PinConflict) as refused:
        pin_create(user=two_jobs["planner"], shift=two_jobs["big"].shifts.get(), crew=anna)
    assert {c["shift"] for c in refused.value.conflicts} == {"SO-00001/o1-a1-d1", "SO-00002/o1-a1-d1"}
    assert "overlaps" in refused.value.conflicts[0]["reason"]


def test_pinning_the_same_product_again_replaces_the_quantity(two_jobs):
    requirement = speakers(two_jobs["gala"])
    pin_create(user=two_jobs["planner"], requirement=requirement, product=two_jobs["speaker"], quantity=1)
    pin_create(user=two_jobs["planner"], requirement=requirement, product=two_jobs["speaker"], quantity=2)
    assert list(Pin.objects.values_list("quantity", flat=True)) == [2]


def test_a_pin_has_exactly_one_kind(two_jobs):
    with pytest.raises(IntegrityError):
        Pin.objects.create(requirement=speakers(two_jobs["gala"]), product=two_jobs["speaker"])


def test_the_board_refuses_a_clashing_pin_with_422_and_the_conflicts_next_to_the_form(two_jobs, client):
    pin_create(
        user=two_jobs["planner"],
        requirement=speakers(two_jobs["gala"]),
        product=two_jobs["speaker"],
        quantity=3,
    )
    client.force_login(two_jobs["planner"])
    data = {"kind": "gear", "requirement": speakers(two_jobs["big"]).pk, "product": "SPK-1", "quantity": 3}
    response = client.post("/board/pins/", data, headers={"HX-Request": "true"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "Pin refused" in page and "SO-00002/o1-speakers" in page and 'class="field-error"' in page


def test_the_board_pins_an_allocation(two_jobs, client):
    client.force_login(two_jobs["planner"])
    data = {"kind": "crew", "shift": two_jobs["big"].shifts.get().pk, "crew": "anna"}
    with two_jobs["capture"](execute=True):
        response = client.post("/board/pins/", data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Pinned anna on SO-00001/o1-a1-d1" in response.content.decode()
    assert {"shift": "SO-00001/o1-a1-d1", "crew": "anna"} in latest().plan["crew"]


def test_sales_users_cannot_pin_on_the_page_or_in_the_api(two_jobs, client_as, api_client):
    data = {"kind": "crew", "shift": two_jobs["big"].shifts.get().pk, "crew": "anna"}
    assert client_as("sales").post("/board/pins/", data).status_code == 403
    api_client.force_authenticate(two_jobs["rep"])
    response = api_client.post(
        "/api/v1/pins/", {"shift": two_jobs["big"].shifts.get().pk, "crew": two_jobs["anna"].pk}
    )
    assert response.status_code == 403
    assert api_client.get("/api/v1/pins/").status_code == 403
    assert not Pin.objects.exists()


def test_the_api_refuses_an_infeasible_pin_with_400_naming_the_conflicts(two_jobs, api_client):
    api_client.force_authenticate(two_jobs["planner"])
    gala, big = speakers(two_jobs["gala"]), speakers(two_jobs["big"])
    speaker = two_jobs["speaker"].pk
    created = api_client.post("/api/v1/pins/", {"requirement": gala.pk, "product": speaker, "quantity": 3})
    assert created.status_code == 201, created.json()
    assert (
        created.json()["kind"] == "gear" and created.json()["target"] == "3 x SPK-1 on SO-00002/o1-speakers"
    )
    refused = api_client.post("/api/v1/pins/", {"requirement": big.pk, "product": speaker, "quantity": 3})
    assert refused.status_code == 400
    body = refused.json()
    assert {c["requirement"] for c in body["conflicts"]} == {"SO-00001/o1-speakers", "SO-00002/o1-speakers"}
    assert "cannot hold" in body["detail"]
    assert api_client.delete(f"/api/v1/pins/{created.json()['id']}/").status_code == 204
    assert not Pin.objects.exists()


def test_the_api_names_the_missing_fields_of_a_pin(two_jobs, api_client):
    api_client.force_authenticate(two_jobs["planner"])
    response = api_client.post("/api/v1/pins/", {"requirement": speakers(two_jobs["gala"]).pk})
    assert response.status_code == 400
    assert set(response.json()) == {"product", "quantity"}
