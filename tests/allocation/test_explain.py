"""Why: each shortage and over-hire need, with the competing jobs, the stock and what the options cost."""

import pytest

from allocation.explain import NothingToExplain, explain_shortage, explain_unfilled
from tests.allocation.planning import latest, planned

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(planning, django_capture_on_commit_callbacks):
    """The Expo (priority 2) wants 20 speakers, the Gala (priority 4) 3; 4 owned; Acme rents 2 at 60/day."""
    planned(django_capture_on_commit_callbacks, planning, attendees=2000, title="Expo", priority=2)
    planned(django_capture_on_commit_callbacks, planning, attendees=300, title="Gala", priority=4)
    return latest()


def test_a_shortage_names_the_competing_job_with_its_quantity_and_priority(plan):
    explanation = explain_shortage(plan, "SO-00001/o1-speakers")
    assert explanation.missing == 17
    gala = [c for c in explanation.competitors if c.job == "SO-00002"]
    assert {(c.what, c.quantity, c.priority, c.title) for c in gala} == {
        ("SPK-1", 1, 4, "Gala"),
        ("acme (sub-rental)", 2, 4, "Gala"),
    }
    assert any("SPK-1 (quality 1): 4 owned, 0 out of service" in fact for fact in explanation.facts)


def test_a_shortage_prices_the_vendor_option_and_says_what_blocked_it(plan):
    explanation = explain_shortage(plan, "SO-00001/o1-speakers")
    acme = next(option for option in explanation.options if "acme" in option.text)
    assert "60.00 per unit per day" in acme.text
    assert acme.blocked == "its limit of 2 at once is taken (2 out in this window)"
    assert explanation.penalty == 17 * 1000 * 2
    assert explanation.options[-1].cost == 34000


def test_an_over_hire_need_names_who_could_move_from_which_job(plan):
    explanation = explain_unfilled(plan, "SO-00001/o1-a1-d1")
    assert explanation.kind == "overhire" and explanation.missing == 1
    move = next(option for option in explanation.options if option.text.startswith("Move anna"))
    assert "from SO-00002" in move.text and move.cost == 5000 * 4
    assert [(c.job, c.priority) for c in explanation.competitors] == [("SO-00002", 4)]


def test_something_not_short_has_nothing_to_explain(plan):
    with pytest.raises(NothingToExplain):
        explain_shortage(plan, "SO-00002/o1-speakers")


def test_the_why_fragment_shows_the_explanation(plan, client_as):
    response = client_as("planner").get(
        f"/board/plans/{plan.pk}/why/",
        {"requirement": "SO-00001/o1-speakers"},
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page
    assert "SO-00002" in page and "Gala" in page and "acme" in page and "34,000.00" in page
