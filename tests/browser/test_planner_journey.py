"""In real headless Chromium a planner finds a shortage on the board, reads why, pins, reviews, publishes."""

import pytest
from django.utils import timezone

from allocation.models import PlanRun
from allocation.services import plan_publish
from tests.allocation.planning import latest, order
from tests.catalog import make_catalog
from tests.conftest import browser_login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_planner_reads_a_shortage_pins_and_publishes_the_replan(page, make_user, settings):
    settings.SOLVE_IN_PROCESS = "sync"
    settings.SOLVE_DEBOUNCE_SECONDS = 0
    settings.SOLVER_TIME_LIMIT_SECONDS = 5
    catalog = make_catalog()
    catalog["rep"] = make_user("rep", "sales")
    planner = make_user("planner", "planner", first_name="Pat", last_name="Planner")
    expo = order(
        catalog, attendees=2000, title="Product expo", priority=2, renumber=False
    )  # 20 speakers: far beyond stock
    gala = order(catalog, attendees=300, title="Awards gala", priority=4, renumber=False)
    order(catalog, attendees=100, title="Team breakfast", priority=3, days_ahead=11, renumber=False)
    plan_publish(plan=latest(), user=planner)
    published = latest()

    browser_login(page, "planner")
    assert page.url.endswith("/board/")
    day = timezone.localdate(expo.job.load_in).isoformat()
    page.goto(f"/board/?zoom=week&date={day}")
    assert page.locator(".bar.cov-short").count() >= 1
    assert page.locator("#shortages").get_by_text("17 short").is_visible()

    # Why is the expo short? The explanation names the gala competing for the speakers, and Acme's limit.
    page.locator("#shortages .need", has_text="17 short").get_by_role("link", name="Why?").click()
    explanation = page.locator("#detail-panel .explanation")
    explanation.wait_for()
    assert gala.code in explanation.inner_text() and "acme" in explanation.inner_text()
    assert "limit of 2 at once is taken" in explanation.inner_text()
    screenshot(page, "board")

    # Open the expo and pin Anna on its A1 shift: the plan is redone to keep her there.
    page.locator(f'.tl-row[data-job="{expo.job.code}"] .bar').click()
    detail = page.locator("#detail-panel .job-detail")
    detail.wait_for()
    detail.locator("details.pin-form", has_text="Pin a person").locator("summary").click()
    detail.locator("details.pin-form", has_text="Pin a person").get_by_role("button", name="Pin").click()
    notice = page.locator("#detail-panel [role=status]")
    notice.wait_for()
    assert f"Pinned anna on {expo.code}/o1-a1-d1" in notice.inner_text()
    proposal = latest()
    assert proposal.pk != published.pk and proposal.state == "proposed"
    screenshot(page, "board-pinned")

    # The proposal's diff shows Anna moving from the gala to the expo; publishing it retires the old plan.
    notice.get_by_role("link").click()
    page.wait_for_url(f"**/board/plans/{proposal.pk}/")
    diff = page.locator("#diff")
    assert "Anna Berg" in diff.inner_text() and expo.code in diff.inner_text()
    screenshot(page, "plan-diff")
    page.locator("#publish").click()
    page.wait_for_load_state("networkidle")
    assert f"Plan #{proposal.pk} is published." in page.locator(".messages").inner_text()
    assert list(PlanRun.objects.filter(state="published").values_list("pk", flat=True)) == [proposal.pk]
    assert PlanRun.objects.get(pk=published.pk).state == "retired"

    # The resource view of the same week: speakers fully used, the expo's shortage standing out.
    page.goto(f"/board/resources/?zoom=week&date={day}")
    assert page.locator("td.heat-short").count() >= 1
    screenshot(page, "resources")
