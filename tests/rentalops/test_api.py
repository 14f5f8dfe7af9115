"""The API's base: token login, role permissions, pagination and filters, the OpenAPI schema."""

from decimal import Decimal

import pytest
from openapi_spec_validator import validate

from jobs.models import Capability, CapabilityProvider, Product, ProductCategory, Vendor

pytestmark = pytest.mark.django_db


@pytest.fixture
def inventory():
    category = ProductCategory.objects.create(
        slug="moving-lights", name="Moving lights", department="lighting"
    )
    wash = Capability.objects.create(slug="wash-light", name="Wash light")
    products = [
        Product.objects.create(
            sku=f"LX-{n:03}", name=f"LED wash {n}", category=category, owned_quantity=10 + n
        )
        for n in range(60)
    ]
    CapabilityProvider.objects.create(capability=wash, product=products[0], quality=Decimal("1.0"))
    return products


def token_for(api_client, make_user, role: str) -> str:
    make_user(f"api-{role}", role)
    response = api_client.post(
        "/api/v1/auth/token/", {"username": f"api-{role}", "password": "rentalops-demo"}
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def test_a_token_from_the_login_endpoint_reads_products(api_client, make_user, inventory):
    token = token_for(api_client, make_user, "planner")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api_client.get("/api/v1/products/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 60
    assert len(body["results"]) == 50
    assert body["next"].endswith("page=2")
    first = body["results"][0]
    assert first["sku"] == "LX-000"
    assert first["capabilities"] == [{"capability": "wash-light", "quality": "1.000"}]


def test_a_wrong_password_gets_no_token(api_client, make_user):
    make_user("api-sales", "sales")
    response = api_client.post("/api/v1/auth/token/", {"username": "api-sales", "password": "wrong"})
    assert response.status_code == 400
    assert "token" not in response.json()


def test_anonymous_requests_are_refused(api_client, inventory):
    assert api_client.get("/api/v1/products/").status_code in (401, 403)


def test_a_sales_token_cannot_write_a_vendor(api_client, make_user):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(api_client, make_user, 'sales')}")
    response = api_client.post("/api/v1/vendors/", {"code": "acme", "name": "Acme Rentals"})
    assert response.status_code == 403
    assert not Vendor.objects.exists()


def test_an_admin_token_writes_a_vendor(api_client, make_user):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(api_client, make_user, 'admin')}")
    response = api_client.post("/api/v1/vendors/", {"code": "acme", "name": "Acme Rentals"})
    assert response.status_code == 201, response.content
    assert Vendor.objects.get().name == "Acme Rentals"


def test_a_negative_owned_quantity_gets_400_naming_the_field(api_client, make_user, inventory):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(api_client, make_user, 'admin')}")
    product = inventory[0]
    etag = api_client.get(f"/api/v1/products/{product.pk}/")["ETag"]
    response = api_client.patch(f"/api/v1/products/{product.pk}/", {"owned_quantity": -3}, HTTP_IF_MATCH=etag)
    assert response.status_code == 400
    assert "owned_quantity" in response.json()
    product.refresh_from_db()
    assert product.owned_quantity == 10


def test_products_filter_and_order(api_client, make_user, inventory):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(api_client, make_user, 'sales')}")
    response = api_client.get("/api/v1/products/", {"search": "LX-05", "ordering": "-owned_quantity"})
    skus = [row["sku"] for row in response.json()["results"]]
    assert skus == [f"LX-05{n}" for n in range(9, -1, -1)]


def test_a_user_without_a_role_cannot_read(api_client, make_user, inventory):
    make_user("norole")
    response = api_client.post("/api/v1/auth/token/", {"username": "norole", "password": "rentalops-demo"})
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert api_client.get("/api/v1/products/").status_code == 403


def test_the_schema_is_valid_openapi_3(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    assert schema["openapi"].startswith("3.")
    for path in [
        "/api/v1/jobs/",
        "/api/v1/products/",
        "/api/v1/capabilities/",
        "/api/v1/vendors/",
        "/api/v1/crew/",
        "/api/v1/auth/token/",
    ]:
        assert path in schema["paths"], path


def test_the_docs_page_renders(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert b"swagger" in response.content.lower()
