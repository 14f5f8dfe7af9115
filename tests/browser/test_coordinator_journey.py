"""In real headless Chromium a coordinator offers a need to three freelancers; one accepts through the
signed link in a fresh browser with no session; the other two are withdrawn; the next plan keeps it."""

from decimal import Decimal

import pytest

from allocation.models import PlanCrew, PlanRun
from allocation.services import plan_publish
from labor.models import Booking, CrewMember, CrewSkill, Offer
from tests.allocation.planning import latest, order
from tests.catalog import make_catalog
from tests.conftest import browser_login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_books_a_freelancer_through_a_signed_link(
    page, browser, live_server, make_user, settings
):
    settings.SOLVE_IN_PROCESS, settings.SOLVE_DEBOUNCE_SECONDS, settings.SOLVER_TIME_LIMIT_SECONDS = (
        "sync",
        0,
        5,
    )
    catalog = make_catalog()
    catalog["rep"] = make_user("rep", "sales")
    audio = CrewSkill.objects.get(crew=catalog["anna"]).skill
    for code, first, last, rate, reliability in (
        ("fia", "Fia", "Falk", "380", "0.950"),
        ("gus", "Gus", "Grant", "400", "0.900"),
        ("hal", "Hal", "Hart", "450", "0.700"),
    ):
        person = CrewMember.objects.create(
            code=code,
            first_name=first,
            last_name=last,
            kind="freelancer",
            day_rate=Decimal(rate),
            reliability=Decimal(reliability),
            email=f"{code}@crew.example",
        )
        CrewSkill.objects.create(crew=person, skill=audio, level=3)
    order(catalog, attendees=100, title="Morning keynote", renumber=False)
    summit = order(catalog, attendees=100, title="Partner summit", renumber=False)
    plan_publish(plan=latest(), user=make_user("planner", "planner"))
    make_user("coordinator", "coordinator", first_name="Cora", last_name="Coordinator")

    # The coordinator's home is the needs: one A1 shift the staff cannot cover, three ranked candidates.
    browser_login(page, "coordinator")
    assert page.url.endswith("/labor/needs/")
    card = page.locator("article.need-card")
    assert card.count() == 1
    assert "1 missing" in card.inner_text() and "A1 audio engineer" in card.inner_text()
    rows = card.locator("tr.candidate")
    assert rows.count() == 3
    assert "proposed by the plan" in rows.first.inner_text()
    screenshot(page, "coordinator-needs")

    # Offer the shift to all three: the card comes back with three live offers and their signed links.
    for box in card.locator("input[name=crew]").all():
        box.check()
    card.get_by_role("button", name="Send offers").click()
    page.locator("tr.offer").first.wait_for()
    assert page.locator('tr.offer[data-status="sent"]').count() == 3
    screenshot(page, "coordinator-offers-sent")
    link = page.locator("tr.offer", has_text="Gus Grant").locator("a.offer-link").get_attribute("href")
    assert link.startswith("/offers/")

    # Gus opens his link in a browser of his own, with no session, and accepts.
    context = browser.new_context(base_url=live_server.url, viewport={"width": 900, "height": 800})
    try:
        freelancer = context.new_page()
        freelancer.goto(link)
        assert "Partner summit" in freelancer.content() or summit.job.title in freelancer.content()
        assert "£400.00 per day" in freelancer.content()
        screenshot(freelancer, "freelancer-offer")
        freelancer.get_by_role("button", name="Accept the shift").click()
        freelancer.wait_for_load_state("networkidle")
        assert "You are booked" in freelancer.locator("[role=status]").inner_text()
        screenshot(freelancer, "freelancer-booked")
    finally:
        context.close()

    # Back on the needs, with filled ones shown: Gus accepted, the two other offers are withdrawn.
    page.goto("/labor/needs/?show=all")
    card = page.locator("article.need-card")
    assert "Filled" in card.inner_text() and "Gus Grant" in card.locator(".booked-line").inner_text()
    assert page.locator('tr.offer[data-status="accepted"]').count() == 1
    assert page.locator('tr.offer[data-status="withdrawn"]').count() == 2
    screenshot(page, "coordinator-filled")
    assert sorted(Offer.objects.values_list("status", flat=True)) == ["accepted", "withdrawn", "withdrawn"]

    # The next plan (solved right after the accept) keeps the booking.
    booking = Booking.objects.get(status="confirmed")
    replanned = PlanRun.objects.filter(state="proposed").first()
    assert replanned is not None and replanned.has_solution
    assert {"shift": booking.shift.scenario_id, "crew": "gus"} in replanned.scenario["bookings"]
    assert PlanCrew.objects.filter(plan=replanned, shift=booking.shift, crew__code="gus").exists()

    page.goto("/labor/bookings/")
    assert "Gus Grant" in page.locator("table.bookings").inner_text()
    screenshot(page, "coordinator-bookings")
    page.goto("/labor/bench/?weeks=4")
    assert "A1 audio engineer" in page.locator("table.bench").inner_text()
    screenshot(page, "coordinator-bench")
