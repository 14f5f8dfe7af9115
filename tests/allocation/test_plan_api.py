"""The plans API: list, read in the SCENARIO.md shape, the exact scenario, publish (409 when stale)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from allocation.models import PlanRun
from tests.allocation.planning import latest, planned

pytestmark = pytest.mark.django_db
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def api(planning, api_client, django_capture_on_commit_callbacks):
    planned(django_capture_on_commit_callbacks, planning, attendees=2000, title="Expo", priority=2)
    planned(django_capture_on_commit_callbacks, planning, attendees=300, title="Gala", priority=4)
    api_client.force_authenticate(planning["planner"])
    return api_client


def test_plans_are_listed_newest_first_and_filtered_by_state(api):
    body = api.get("/api/v1/plans/").json()
    ids = [plan["id"] for plan in body["results"]]
    assert ids == sorted(ids, reverse=True) and body["count"] == 2
    assert [p["state"] for p in body["results"]] == ["proposed", "superseded"]
    assert [p["id"] for p in api.get("/api/v1/plans/?state=proposed").json()["results"]] == [latest().pk]
    assert api.get("/api/v1/plans/?state=published").json()["count"] == 0


def test_a_plan_reads_in_the_shape_of_the_scenario_format(api):
    plan = latest()
    body = api.get(f"/api/v1/plans/{plan.pk}/").json()
    for key in ("status", "objective", "bound", "gap", "solve_seconds", "gear", "subrentals", "shortages"):
        assert key in body
    assert set(body["costs"]) == {"shortage", "subrental", "substitution", "crew", "unfilled", "churn"}
    assert body["id"] == plan.pk and body["state"] == "proposed"
    assert {"requirement": "SO-00002/o1-speakers", "vendor": "acme", "quantity": 2} in body["subrentals"]
    assert api.get(f"/api/v1/plans/{plan.pk}/scenario/").json() == plan.scenario


def test_the_checker_finds_no_broken_rule_and_the_same_objective(api, tmp_path):
    plan = latest()
    scenario_file, plan_file = tmp_path / "scenario.json", tmp_path / "plan.json"
    scenario_file.write_text(json.dumps(api.get(f"/api/v1/plans/{plan.pk}/scenario/").json()))
    served = api.get(f"/api/v1/plans/{plan.pk}/").json()
    plan_file.write_text(json.dumps(served))
    checked = subprocess.run(
        [sys.executable, "-m", "allocation.solver", "check", str(scenario_file), str(plan_file)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    from allocation.solver.check import validate
    from allocation.solver.scenario import load_plan, load_scenario

    report = validate(load_scenario(json.loads(scenario_file.read_text())), load_plan(served))
    assert report.objective == pytest.approx(served["objective"])


def test_a_stale_proposal_gets_409_and_the_latest_publishes(api):
    older = PlanRun.objects.get(state="superseded")
    response = api.post(f"/api/v1/plans/{older.pk}/publish/")
    assert response.status_code == 409
    assert "no longer the latest proposal" in response.json()["detail"]
    response = api.post(f"/api/v1/plans/{latest().pk}/publish/")
    assert response.status_code == 200
    assert response.json()["state"] == "published" and response.json()["published_by"] == "planner"
    assert api.get("/api/v1/plans/?state=published").json()["count"] == 1


def test_the_diff_of_a_first_plan_is_against_nothing(api):
    body = api.get(f"/api/v1/plans/{latest().pk}/diff/").json()
    assert body["base_id"] is None
    assert {job["code"] for job in body["jobs"]} == {"SO-00001", "SO-00002"}


def test_sales_users_may_not_read_or_publish_plans(planning, api_client, django_capture_on_commit_callbacks):
    planned(django_capture_on_commit_callbacks, planning, attendees=300)
    api_client.force_authenticate(planning["rep"])
    assert api_client.get("/api/v1/plans/").status_code == 403
    assert api_client.post(f"/api/v1/plans/{latest().pk}/publish/").status_code == 403
