"""The admin pages of jobs and gear open, search and show their inlines for the admin role."""

import pytest
from django.urls import reverse

from tests.factories import (
    CapabilityProviderFactory,
    GearRequirementFactory,
    JobFactory,
    OutOfServiceFactory,
    UserFactory,
    VendorOfferFactory,
)

pytestmark = pytest.mark.django_db

MODELS = [
    "client",
    "venue",
    "job",
    "productcategory",
    "product",
    "outofservice",
    "capability",
    "capabilityprovider",
    "vendor",
    "vendoroffer",
    "gearrequirement",
]


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(role="admin", is_superuser=True))
    return client


@pytest.fixture
def some_of_everything() -> None:
    provider = CapabilityProviderFactory()
    OutOfServiceFactory(product=provider.product)
    VendorOfferFactory(capability=provider.capability)
    GearRequirementFactory(capability=provider.capability)


@pytest.mark.parametrize("model", MODELS)
def test_list_and_add_pages_open(admin_client, some_of_everything, model: str) -> None:
    assert admin_client.get(reverse(f"admin:jobs_{model}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:jobs_{model}_changelist"), {"q": "a"}).status_code == 200
    assert admin_client.get(reverse(f"admin:jobs_{model}_add")).status_code == 200


def test_product_page_shows_its_capabilities_and_out_of_service_windows(admin_client) -> None:
    provider = CapabilityProviderFactory()
    OutOfServiceFactory(product=provider.product, reason="Repair: PSU fault")

    response = admin_client.get(reverse("admin:jobs_product_change", args=[provider.product.pk]))

    assert response.status_code == 200
    assert provider.capability.name in response.content.decode()
    assert "Repair: PSU fault" in response.content.decode()


def test_job_page_shows_its_requirements_read_only(admin_client) -> None:
    requirement = GearRequirementFactory(label="General session: main PA")

    response = admin_client.get(reverse("admin:jobs_job_change", args=[requirement.job.pk]))

    assert response.status_code == 200
    assert "General session: main PA" in response.content.decode()
    assert 'name="gear_requirements-0-quantity"' not in response.content.decode()


def test_job_list_filters_by_status_and_priority(admin_client) -> None:
    JobFactory(title="Northwind Sales Kickoff", status="inquiry", priority=5)
    JobFactory(title="Contoso Gala Dinner", status="confirmed", priority=2)

    response = admin_client.get(
        reverse("admin:jobs_job_changelist"), {"status__exact": "inquiry", "priority": 5}
    )

    assert "Northwind Sales Kickoff" in response.content.decode()
    assert "Contoso Gala Dinner" not in response.content.decode()


def test_job_list_does_not_query_per_row(admin_client, django_assert_max_num_queries) -> None:
    JobFactory.create_batch(30)

    with django_assert_max_num_queries(12):
        assert admin_client.get(reverse("admin:jobs_job_changelist")).status_code == 200


def test_planner_without_staff_status_is_kept_out(client) -> None:
    client.force_login(UserFactory(role="planner"))

    response = client.get(reverse("admin:jobs_job_changelist"))

    assert response.status_code == 302
