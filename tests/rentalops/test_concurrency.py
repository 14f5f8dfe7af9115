"""Master data over the API: a write must name the version it edited (If-Match), a stale one gets 412."""

import threading

import pytest
from django.contrib.auth.models import User
from django.db import connection
from rest_framework.test import APIClient

from jobs.models import Client, Product
from tests.conftest import missing_service
from tests.factories import ClientFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_api(api_client, make_user):
    api_client.force_authenticate(make_user("ada", "admin"))
    return api_client


def test_a_read_gives_the_etag_and_a_write_with_it_saves_and_gives_the_next(admin_api):
    client = ClientFactory(name="Northwind")
    read = admin_api.get(f"/api/v1/clients/{client.pk}/")
    tag = read["ETag"]

    saved = admin_api.patch(f"/api/v1/clients/{client.pk}/", {"name": "Northwind Events"}, HTTP_IF_MATCH=tag)

    assert saved.status_code == 200, saved.content
    assert saved["ETag"] != tag
    assert Client.objects.get(pk=client.pk).name == "Northwind Events"
    assert admin_api.get(f"/api/v1/clients/{client.pk}/")["ETag"] == saved["ETag"]


def test_a_stale_write_gets_412_with_the_current_row_and_saves_nothing(admin_api):
    product = ProductFactory(owned_quantity=10)
    stale = admin_api.get(f"/api/v1/products/{product.pk}/")["ETag"]
    fresh = admin_api.patch(f"/api/v1/products/{product.pk}/", {"owned_quantity": 12}, HTTP_IF_MATCH=stale)
    assert fresh.status_code == 200

    refused = admin_api.patch(f"/api/v1/products/{product.pk}/", {"owned_quantity": 4}, HTTP_IF_MATCH=stale)

    assert refused.status_code == 412
    body = refused.json()
    assert body["current"]["owned_quantity"] == 12 and body["etag"] == fresh["ETag"] == refused["ETag"]
    assert "nothing was saved" in body["detail"]
    assert Product.objects.get(pk=product.pk).owned_quantity == 12


def test_a_write_without_if_match_gets_428_and_saves_nothing(admin_api):
    client = ClientFactory(name="Northwind")

    refused = admin_api.put(
        f"/api/v1/clients/{client.pk}/", {"code": client.code, "name": "Blind overwrite"}, format="json"
    )
    deleted = admin_api.delete(f"/api/v1/clients/{client.pk}/")

    assert refused.status_code == 428 and "If-Match" in refused.json()["detail"]
    assert deleted.status_code == 428
    assert Client.objects.get(pk=client.pk).name == "Northwind"


def test_a_delete_needs_the_current_etag_too(admin_api):
    client = ClientFactory()
    tag = admin_api.get(f"/api/v1/clients/{client.pk}/")["ETag"]
    Client.objects.filter(pk=client.pk).update(name="Changed meanwhile")  # updated_at stays: use save
    client.refresh_from_db()
    client.save()

    assert admin_api.delete(f"/api/v1/clients/{client.pk}/", HTTP_IF_MATCH=tag).status_code == 412
    current = admin_api.get(f"/api/v1/clients/{client.pk}/")["ETag"]
    assert admin_api.delete(f"/api/v1/clients/{client.pk}/", HTTP_IF_MATCH=current).status_code == 204
    assert not Client.objects.filter(pk=client.pk).exists()


def test_if_match_star_overwrites_on_purpose(admin_api):
    client = ClientFactory(name="Northwind")

    saved = admin_api.patch(f"/api/v1/clients/{client.pk}/", {"name": "Any version"}, HTTP_IF_MATCH="*")

    assert saved.status_code == 200 and Client.objects.get(pk=client.pk).name == "Any version"


@pytest.mark.parametrize("path", ["clients", "venues", "jobs", "products", "capabilities", "vendors", "crew"])
def test_every_master_data_write_documents_if_match_412_and_428(api_client, path):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    item = next(value for key, value in schema["paths"].items() if key == f"/api/v1/{path}/{{id}}/")
    for method in ("put", "patch", "delete"):
        operation = item[method]
        assert {"412", "428"} <= set(operation["responses"]), (path, method)
        headers = [p for p in operation["parameters"] if p["in"] == "header" and p["name"] == "If-Match"]
        assert headers and headers[0]["required"] is True


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_admins_saving_the_same_etag_at_once_leave_one_write(make_user):
    if connection.vendor != "postgresql":
        missing_service("concurrent writes need PostgreSQL row locks (SQLite serialises every write)")
    for username in ("ada", "bea"):
        make_user(username, "admin")
    product = ProductFactory(owned_quantity=10)
    reader = APIClient()
    reader.force_authenticate(User.objects.get(username="ada"))
    tag = reader.get(f"/api/v1/products/{product.pk}/")["ETag"]
    barrier = threading.Barrier(2)
    results: list[int] = []

    def write(username: str, quantity: int) -> None:
        from django.db import connection as thread_connection

        try:
            writer = APIClient()
            writer.force_authenticate(User.objects.get(username=username))
            barrier.wait(timeout=10)
            response = writer.patch(
                f"/api/v1/products/{product.pk}/", {"owned_quantity": quantity}, HTTP_IF_MATCH=tag
            )
            results.append(response.status_code)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=write, args=args) for args in (("ada", 11), ("bea", 12))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(results) == [200, 412]
    assert Product.objects.get(pk=product.pk).owned_quantity in (11, 12)
