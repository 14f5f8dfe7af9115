"""Roles: groups with permissions, home pages, navigation and access."""

import pytest
from django.contrib.auth.models import Group

from rentalops.roles import ROLES

pytestmark = pytest.mark.django_db


def test_the_four_role_groups_exist_with_permissions():
    groups = {group.name: group for group in Group.objects.filter(name__in=ROLES)}
    assert set(groups) == set(ROLES)
    codenames = {
        name: set(group.permissions.values_list("codename", flat=True)) for name, group in groups.items()
    }
    assert "view_product" in codenames["sales"]
    assert "change_vendor" not in codenames["sales"]
    assert "change_crewmember" in codenames["coordinator"]
    assert "change_vendor" in codenames["admin"]


@pytest.mark.parametrize(
    "role, home",
    [("sales", "/sales/orders/"), ("planner", "/board/"), ("coordinator", "/labor/needs/")],
)
def test_home_redirects_each_role_to_its_page(client_as, role, home):
    response = client_as(role).get("/")
    assert response.status_code == 302
    assert response.url == home


def test_home_sends_a_superuser_to_the_admin(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("boss", "boss@example.com", "x"))
    assert client.get("/").url == "/admin/"


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/jobs/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_a_user_without_a_role_is_told_so(client, make_user):
    client.force_login(make_user("nobody"))
    response = client.get("/", follow=True)
    assert response.status_code == 403
    assert b"No role yet" in response.content


def test_a_sales_user_cannot_open_the_vendor_admin(client_as):
    response = client_as("sales").get("/admin/jobs/vendor/")
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


def test_a_sales_user_cannot_open_the_crew_page(client_as):
    assert client_as("sales").get("/labor/crew/").status_code == 403


def test_the_navigation_shows_each_role_its_pages(client_as):
    sales_page = client_as("sales").get("/jobs/").content.decode()
    assert 'data-nav="jobs:inventory"' in sales_page
    assert 'data-nav="labor:crew"' not in sales_page
    coordinator_page = client_as("coordinator").get("/labor/crew/").content.decode()
    assert 'data-nav="labor:crew"' in coordinator_page
    assert 'data-nav="jobs:inventory"' not in coordinator_page


def test_the_login_page_lists_demo_users_only_in_debug(client, settings):
    settings.DEBUG = True
    assert b"rentalops-demo" in client.get("/accounts/login/").content
    settings.DEBUG = False
    assert b"rentalops-demo" not in client.get("/accounts/login/").content
