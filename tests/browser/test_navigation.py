"""In a real headless Chromium, each demo user logs in and sees their role's navigation."""

import pytest

from tests.conftest import browser_login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXPECTED = {
    "sales": (
        {"Orders", "New order", "Jobs", "Inventory", "API"},
        {"Crew", "Needs", "Bench", "Admin"},
        "/sales/orders/",
    ),
    "planner": (
        {"Board", "Resources", "Jobs", "Inventory", "Crew", "Needs", "Bench", "API"},
        {"Admin"},
        "/board/",
    ),
    "coordinator": (
        {"Needs", "Bookings", "Bench", "Jobs", "Crew", "API"},
        {"Inventory", "Admin"},
        "/labor/needs/",
    ),
}


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_logs_in_and_sees_its_navigation(page, make_user, role):
    shown, hidden, home = EXPECTED[role]
    make_user(role, role, first_name=role.title())
    browser_login(page, role)
    assert page.url.endswith(home)
    links = set(page.locator("nav.mainnav a").all_inner_texts())
    assert shown <= links, links
    assert not (hidden & links), links
    screenshot(page, f"home-{role}")


def test_the_admin_logs_in_to_the_admin_site(page, django_user_model):
    django_user_model.objects.create_superuser("admin", "admin@example.com", "rentalops-demo")
    browser_login(page, "admin")
    assert page.url.endswith("/admin/")
    assert page.locator("#site-name").inner_text().strip() != ""
    assert "Vendors" in page.content()


def test_a_wrong_password_shows_the_error_next_to_the_form(page, make_user):
    make_user("sales", "sales")
    browser_login(page, "sales", "not-the-password")
    assert "/accounts/login/" in page.url
    assert page.locator("[role=alert]").is_visible()
