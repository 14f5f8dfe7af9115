"""The diff between two hand-made plans: gear gained and lost, sub-rentals, shortages, crew moves."""

import pytest

from allocation.diff import plan_diff
from allocation.models import PlanRun

pytestmark = pytest.mark.django_db

SCENARIO = {
    "jobs": [
        {"id": "J-1", "shifts": [{"id": "J-1/s1", "role": "audio-a1", "start": "2031-06-10T08:00:00+00:00"}]},
        {
            "id": "J-2",
            "shifts": [{"id": "J-2/s1", "role": "stagehand", "start": "2031-06-10T08:00:00+00:00"}],
        },
    ]
}


def plan(state, gear, subrentals, shortages, crew, unfilled, costs):
    body = {
        "status": "optimal",
        "objective": sum(costs.values()),
        "gear": [{"requirement": r, "product": p, "quantity": q} for r, p, q in gear],
        "subrentals": [{"requirement": r, "vendor": v, "quantity": q} for r, v, q in subrentals],
        "shortages": [{"requirement": r, "quantity": q} for r, q in shortages],
        "crew": [{"shift": s, "crew": c} for s, c in crew],
        "unfilled": [{"shift": s, "missing": m} for s, m in unfilled],
        "costs": costs,
    }
    return PlanRun.objects.create(trigger="t", state=state, status="optimal", scenario=SCENARIO, plan=body)


@pytest.fixture
def published():
    return plan(
        "published",
        gear=[("J-1/g1", "SPK-1", 4), ("J-1/g2", "WSH-1", 2), ("J-2/g1", "SPK-1", 0)],
        subrentals=[("J-2/g1", "acme", 2)],
        shortages=[("J-1/g1", 0), ("J-2/g1", 1)],
        crew=[("J-1/s1", "anna"), ("J-2/s1", "bob")],
        unfilled=[("J-2/s1", 0)],
        costs={"shortage": 3000.0, "subrental": 120.0, "crew": 600.0},
    )


@pytest.fixture
def proposal():
    return plan(
        "proposed",
        gear=[("J-1/g1", "SPK-1", 1), ("J-1/g2", "WSH-1", 2), ("J-2/g1", "SPK-1", 3)],
        subrentals=[("J-1/g1", "acme", 2)],
        shortages=[("J-1/g1", 1), ("J-2/g1", 0)],
        crew=[("J-1/s1", "bob")],
        unfilled=[("J-2/s1", 1)],
        costs={"shortage": 2000.0, "subrental": 120.0, "crew": 300.0, "unfilled": 5000.0},
    )


def test_the_diff_lists_what_each_job_gains_and_loses(published, proposal):
    diff = plan_diff(proposal, published)
    jobs = {job.code: job for job in diff.jobs}
    assert set(jobs) == {"J-1", "J-2"}
    assert [(c.code, c.before, c.after, c.delta) for c in jobs["J-1"].gear] == [("SPK-1", 4, 1, -3)]
    assert [(c.code, c.before, c.after, c.delta) for c in jobs["J-2"].gear] == [("SPK-1", 0, 3, 3)]


def test_sub_rentals_appear_and_go(published, proposal):
    jobs = {job.code: job for job in plan_diff(proposal, published).jobs}
    assert [(c.code, c.delta) for c in jobs["J-1"].subrentals] == [("acme", 2)]
    assert [(c.code, c.delta) for c in jobs["J-2"].subrentals] == [("acme", -2)]


def test_shortages_and_over_hire_needs_change_per_job(published, proposal):
    jobs = {job.code: job for job in plan_diff(proposal, published).jobs}
    assert [(c.before, c.after) for c in jobs["J-1"].shortages] == [(0, 1)]
    assert [(c.before, c.after) for c in jobs["J-2"].shortages] == [(1, 0)]
    assert [(c.before, c.after) for c in jobs["J-2"].overhire] == [(0, 1)]


def test_crew_who_move_are_listed_from_and_to(published, proposal):
    moves = {move.shift: move for move in plan_diff(proposal, published).crew_moves}
    assert (moves["J-1/s1"].removed, moves["J-1/s1"].added, moves["J-1/s1"].role) == (
        ["anna"],
        ["bob"],
        "audio-a1",
    )
    assert (moves["J-2/s1"].removed, moves["J-2/s1"].added) == (["bob"], [])


def test_each_cost_part_and_the_total_change(published, proposal):
    diff = plan_diff(proposal, published)
    deltas = {cost.part: cost.delta for cost in diff.costs}
    assert deltas == {
        "shortage": -1000.0,
        "subrental": 0.0,
        "substitution": 0.0,
        "crew": -300.0,
        "unfilled": 5000.0,
        "churn": 0.0,
    }
    assert (diff.total.before, diff.total.after, diff.total.delta) == (3720.0, 7420.0, 3700.0)


def test_a_plan_against_itself_changes_nothing(published):
    assert plan_diff(published, published).is_empty


def test_the_plan_page_shows_the_diff_and_the_api_returns_it(
    published, proposal, client_as, api_client, make_user
):
    page = client_as("planner").get(f"/board/plans/{proposal.pk}/").content.decode()
    assert "Changes against the published plan" in page
    assert "+3 SPK-1" in page and "-3 SPK-1" in page and "anna" in page
    api_client.force_authenticate(make_user("pat", "planner"))
    body = api_client.get(f"/api/v1/plans/{proposal.pk}/diff/").json()
    assert body["base_id"] == published.pk
    assert body["total"]["delta"] == 3700.0
    job = next(job for job in body["jobs"] if job["code"] == "J-2")
    assert job["gear"] == [{"code": "SPK-1", "name": "SPK-1", "before": 0, "after": 3, "delta": 3}]
