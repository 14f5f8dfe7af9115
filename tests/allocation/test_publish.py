"""Publishing: only the latest proposal, atomically, one published plan at any moment, planners only."""

import threading

import pytest
from django.db import connection

from allocation.models import PlanRun
from allocation.services import StaleProposal, plan_discard, plan_publish
from tests.conftest import missing_service


def make_plan(state: str = "proposed", objective: float = 100.0) -> PlanRun:
    plan = {"status": "optimal", "objective": objective, "gear": [], "subrentals": [], "shortages": []}
    plan.update(crew=[], unfilled=[], costs={"shortage": objective}, conflicts=[])
    return PlanRun.objects.create(
        trigger="test", state=state, status="optimal", objective=objective, scenario={}, plan=plan
    )


@pytest.fixture
def planner(make_user):
    return make_user("pat", "planner")


@pytest.mark.django_db
def test_publishing_the_latest_proposal_retires_the_published_plan(planner):
    old = make_plan("published")
    proposal = make_plan()
    plan_publish(plan=proposal, user=planner)
    proposal.refresh_from_db()
    old.refresh_from_db()
    assert proposal.state == "published" and proposal.published_by == planner
    assert proposal.published_at is not None
    assert old.state == "retired"
    assert PlanRun.objects.filter(state="published").count() == 1


@pytest.mark.django_db
def test_a_superseded_proposal_is_stale(planner):
    older = make_plan("superseded")
    make_plan()
    with pytest.raises(StaleProposal):
        plan_publish(plan=older, user=planner)
    assert not PlanRun.objects.filter(state="published").exists()


@pytest.mark.django_db
def test_an_older_proposal_is_stale_even_if_still_marked_proposed(planner):
    older, newer = make_plan(), make_plan()
    with pytest.raises(StaleProposal):
        plan_publish(plan=older, user=planner)
    plan_publish(plan=newer, user=planner)
    assert PlanRun.objects.get(state="published") == newer


@pytest.mark.django_db
def test_publishing_twice_is_stale_the_second_time(planner):
    proposal = make_plan()
    plan_publish(plan=proposal, user=planner)
    with pytest.raises(StaleProposal):
        plan_publish(plan=proposal, user=planner)


@pytest.mark.django_db
def test_discarding_a_proposal_keeps_the_published_plan(planner):
    published = make_plan("published")
    proposal = make_plan()
    plan_discard(plan=proposal, user=planner)
    proposal.refresh_from_db()
    assert proposal.state == "discarded" and "pat" in proposal.message
    assert PlanRun.objects.get(state="published") == published
    with pytest.raises(StaleProposal):
        plan_publish(plan=proposal, user=planner)


@pytest.mark.django_db
def test_the_publish_button_publishes_and_a_stale_one_says_why(client, planner):
    client.force_login(planner)
    proposal = make_plan()
    response = client.post(f"/board/plans/{proposal.pk}/publish/", follow=True)
    assert response.status_code == 200
    assert "is published" in response.content.decode()
    response = client.post(f"/board/plans/{proposal.pk}/publish/", follow=True)
    assert "no longer the latest proposal" in response.content.decode()


@pytest.mark.django_db
def test_the_discard_button_discards(client, planner):
    client.force_login(planner)
    proposal = make_plan()
    client.post(f"/board/plans/{proposal.pk}/discard/")
    proposal.refresh_from_db()
    assert proposal.state == "discarded"


@pytest.mark.django_db
def test_sales_users_cannot_publish_on_the_page_or_in_the_api(client_as, api_client, make_user):
    proposal = make_plan()
    assert client_as("sales").post(f"/board/plans/{proposal.pk}/publish/").status_code == 403
    api_client.force_authenticate(make_user("rep", "sales"))
    assert api_client.post(f"/api/v1/plans/{proposal.pk}/publish/").status_code == 403
    proposal.refresh_from_db()
    assert proposal.state == "proposed"


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("planners", [2, 4])
def test_planners_publishing_at_once_leave_exactly_one_published(make_user, planners):
    if connection.vendor != "postgresql":
        missing_service("concurrent publishing needs PostgreSQL row locks (SQLite serialises every write)")
    make_plan("published")
    proposal = make_plan()
    users = [make_user(f"planner{n}", "planner") for n in range(planners)]
    barrier = threading.Barrier(planners)
    outcomes: list[str] = []

    def click(user) -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=10)
            plan_publish(plan=PlanRun.objects.get(pk=proposal.pk), user=user)
            outcomes.append("published")
        except StaleProposal:
            outcomes.append("stale")
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=click, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["published"] + ["stale"] * (planners - 1)
    assert list(PlanRun.objects.filter(state="published").values_list("pk", flat=True)) == [proposal.pk]
    assert PlanRun.objects.filter(state="retired").count() == 1
