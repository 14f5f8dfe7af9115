"""CSV import of master data through the API and the admin: all rows or none, each bad row named."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jobs.models import Client, Product, Venue
from tests.factories import ClientFactory, ProductCategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db


def csv_file(text: str, name: str = "rows.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


@pytest.fixture
def admin_api(api_client, make_user):
    api_client.force_authenticate(make_user("ada", "admin"))
    return api_client


def test_an_admin_imports_clients_and_a_second_file_updates_by_code(admin_api):
    first = admin_api.post(
        "/api/v1/clients/import/",
        {"file": csv_file("code,name,email\nacme,Acme Events,ops@acme.test\nglobex,Globex,\n")},
        format="multipart",
    )
    assert first.status_code == 200, first.content
    assert first.json() == {"saved": True, "new": 2, "updated": 0, "unchanged": 0}

    second = admin_api.post(
        "/api/v1/clients/import/",
        {"file": csv_file("code,name,email\nacme,Acme Events Ltd,ops@acme.test\nglobex,Globex,\n")},
        format="multipart",
    )
    assert second.json() == {"saved": True, "new": 0, "updated": 1, "unchanged": 1}
    assert Client.objects.get(code="acme").name == "Acme Events Ltd"


def test_one_bad_row_saves_nothing_and_names_the_row_and_field(admin_api):
    response = admin_api.post(
        "/api/v1/clients/import/",
        {"file": csv_file("code,name,email\nacme,Acme Events,ops@acme.test\nglobex,Globex,not-an-email\n")},
        format="multipart",
    )

    assert response.status_code == 400
    body = response.json()
    assert "Nothing was saved" in body["detail"]
    assert body["errors"] == [{"row": 2, "errors": {"email": ["Enter a valid email address."]}}]
    assert not Client.objects.exists()


def test_a_dry_run_counts_and_saves_nothing(admin_api):
    ClientFactory(code="acme", name="Acme")

    response = admin_api.post(
        "/api/v1/clients/import/",
        {"file": csv_file("code,name\nacme,Acme Events\nnew-one,New One\n"), "dry_run": "true"},
        format="multipart",
    )

    assert response.json() == {"saved": False, "new": 1, "updated": 1, "unchanged": 0}
    assert list(Client.objects.values_list("code", "name")) == [("acme", "Acme")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name\nAcme\n", "missing: code"),
        (b"code,name,colour\nacme,Acme,red\n", "Unknown columns: colour"),
        ("code,name\nacme,Acme\n".encode("utf-16"), "not UTF-8"),
        (b"", "empty"),
    ],
)
def test_a_file_that_is_not_the_expected_csv_is_refused_on_the_file_field(admin_api, content, message):
    upload = SimpleUploadedFile("rows.csv", content, content_type="text/csv")

    response = admin_api.post("/api/v1/clients/import/", {"file": upload}, format="multipart")

    assert response.status_code == 400
    assert message in " ".join(response.json()["file"])


def test_products_name_their_category_and_the_rules_of_the_database_hold(admin_api):
    ProductCategoryFactory(slug="wash-lights")
    ProductFactory(sku="WASH-1", owned_quantity=10)

    refused = admin_api.post(
        "/api/v1/products/import/",
        {
            "file": csv_file(
                "sku,name,category,owned_quantity\n"
                "WASH-1,LED Wash,wash-lights,-4\n"
                "SPOT-9,Spot,no-such-shelf,2\n"
            )
        },
        format="multipart",
    )
    saved = admin_api.post(
        "/api/v1/products/import/",
        {"file": csv_file("sku,name,category,owned_quantity\nSPOT-9,Spot,wash-lights,2\n")},
        format="multipart",
    )

    assert refused.status_code == 400
    rows = {error["row"]: error["errors"] for error in refused.json()["errors"]}
    messages = {
        row: " ".join(m for field_messages in errors.values() for m in field_messages)
        for row, errors in rows.items()
    }
    assert "negative" in messages[1].lower()
    assert "no-such-shelf" in messages[2]
    assert Product.objects.get(sku="WASH-1").owned_quantity == 10
    assert saved.json()["new"] == 1 and Product.objects.get(sku="SPOT-9").category.slug == "wash-lights"


@pytest.mark.parametrize("role", ["sales", "planner", "coordinator"])
def test_only_admins_import(api_client, make_user, role):
    api_client.force_authenticate(make_user(f"someone-{role}", role))

    response = api_client.post(
        "/api/v1/clients/import/", {"file": csv_file("code,name\nacme,Acme\n")}, format="multipart"
    )

    assert response.status_code == 403 and not Client.objects.exists()


def test_the_schema_documents_the_import_as_a_file_upload(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()

    for path in ("clients", "venues", "products", "crew"):
        operation = schema["paths"][f"/api/v1/{path}/import/"]["post"]
        assert "multipart/form-data" in operation["requestBody"]["content"]
        assert {"200", "400", "403"} <= set(operation["responses"])


def test_an_admin_imports_venues_in_the_admin_with_a_preview_first(client, make_user):
    client.force_login(make_user("root", "admin", is_staff=True, is_superuser=True))
    page = client.get("/admin/jobs/venue/import/")
    assert page.status_code == 200

    preview = client.post(
        "/admin/jobs/venue/import/",
        {
            "format": "0",
            "resource": "0",
            "import_file": csv_file("code,name,city,capacity\nhall-a,Hall A,Leeds,800\n"),
        },
    )
    assert preview.status_code == 200 and "Hall A" in preview.content.decode()
    assert not Venue.objects.exists()  # the preview saves nothing
    confirm = {
        name: preview.context["confirm_form"][name].value() for name in preview.context["confirm_form"].fields
    }
    done = client.post("/admin/jobs/venue/process_import/", confirm)
    assert done.status_code in (200, 302)
    assert Venue.objects.get(code="hall-a").capacity == 800
