"""The board: open jobs on a timeline coloured by coverage, filters, the plan shown, in bounded queries."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from allocation.board import board_window
from allocation.models import PlanRun
from allocation.services import plan_publish
from jobs.models import Client, Job
from tests.allocation.planning import latest, order, planned
from tests.catalog import timeline

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(planning, django_capture_on_commit_callbacks, client):
    expo = planned(django_capture_on_commit_callbacks, planning, attendees=2000, title="Expo", priority=2)
    gala = planned(django_capture_on_commit_callbacks, planning, attendees=300, title="Gala", priority=4)
    small = planned(
        django_capture_on_commit_callbacks, planning, attendees=100, title="Breakfast", days_ahead=12
    )
    client.force_login(planning["planner"])
    planning.update(web=client, expo=expo.job, gala=gala.job, small=small.job)
    return planning


def board_url(job: Job, **extra) -> str:
    params = {"zoom": "week", "date": timezone.localdate(job.load_in).isoformat(), **extra}
    return "/board/?" + "&".join(f"{key}={value}" for key, value in params.items())


def bar_class(page: str, code: str) -> str:
    row = page[page.index(f'data-job="{code}"') :]
    return row[row.index('class="bar ') : row.index('"', row.index('class="bar ') + 7)]


def test_a_planner_lands_on_the_board(board):
    response = board["web"].get("/")
    assert response.url == "/board/"
    page = board["web"].get("/board/").content.decode()
    assert 'data-nav="allocation:board"' in page and 'data-nav="allocation:resources"' in page


def test_each_bar_is_coloured_by_how_the_plan_covers_its_job(board):
    page = board["web"].get(board_url(board["expo"])).content.decode()
    assert "cov-short" in bar_class(page, "SO-00001")
    assert "cov-subrented" in bar_class(page, "SO-00002")
    page = board["web"].get(board_url(board["small"])).content.decode()
    assert "cov-covered" in bar_class(page, "SO-00003")


def test_the_shortages_sub_rentals_and_over_hire_needs_are_listed_beside(board):
    page = board["web"].get(board_url(board["expo"])).content.decode()
    side = page[page.index('id="shortages"') :]
    assert "17 short" in side and "Acme Rentals" in side and "1 missing" in side
    assert "why/?requirement=SO-00001/o1-speakers" in side


def test_the_plan_shown_is_the_latest_proposal_or_the_published_one(
    board, django_capture_on_commit_callbacks
):
    first = latest()
    plan_publish(plan=first, user=board["planner"])
    planned(django_capture_on_commit_callbacks, board, attendees=500, title="Launch")
    proposal = latest()
    assert proposal.pk != first.pk
    page = board["web"].get(board_url(board["expo"])).content.decode()
    assert f'data-plan="{proposal.pk}"' in page and "Review changes" in page
    page = board["web"].get(board_url(board["expo"], plan="published")).content.decode()
    assert f'data-plan="{first.pk}"' in page
    assert "Objective" in page and "Solve time" in page and first.trigger in page


def test_filters_narrow_the_jobs_and_htmx_gets_only_the_fragment(board):
    client = board["web"]
    response = client.get(board_url(board["expo"], priority=4), headers={"HX-Request": "true"})
    page = response.content.decode()
    assert "<html" not in page
    assert 'data-job="SO-00002"' in page and 'data-job="SO-00001"' not in page
    other = Client.objects.create(code="other", name="Other Co")
    page = client.get(board_url(board["expo"], client=other.pk)).content.decode()
    assert 'data-job="SO-00001"' not in page
    page = client.get(board_url(board["expo"], client=board["client"].pk)).content.decode()
    assert 'data-job="SO-00001"' in page
    page = client.get(board_url(board["expo"], status="confirmed")).content.decode()
    assert "No open jobs in this window" in page


def test_zoom_and_paging_move_the_window(board):
    day = timezone.localdate(board["expo"].load_in)
    window = board_window(zoom="day", anchor=day)
    assert (window.next - window.previous).days == 2
    page = board["web"].get(f"/board/?zoom=day&date={day.isoformat()}").content.decode()
    assert 'data-job="SO-00001"' in page and 'data-job="SO-00003"' not in page
    page = board["web"].get(f"/board/?zoom=month&date={day.isoformat()}").content.decode()
    assert page.count('class="tick') >= 28


def test_the_job_detail_shows_allocations_shortages_and_pin_buttons(board):
    plan = latest()
    page = board["web"].get(f"/board/jobs/{board['gala'].pk}/?plan={plan.pk}", headers={"HX-Request": "true"})
    text = page.content.decode()
    assert "Point source speaker" in text and "sub-rented from Acme Rentals" in text and "Anna Berg" in text
    assert text.count(">Pin</button>") >= 3


def test_sales_and_anonymous_users_cannot_open_the_board(board, client_as, client):
    assert client_as("sales").get("/board/").status_code == 403
    assert client_as("sales").get("/board/resources/").status_code == 403
    client.logout()
    assert client.get("/board/").status_code == 302


def test_the_resource_view_shows_use_against_capacity_with_shortages_standing_out(board):
    day = timezone.localdate(board["expo"].load_in)
    page = board["web"].get(f"/board/resources/?zoom=week&date={day.isoformat()}").content.decode()
    assert "Point source speaker" in page and "heat-short" in page and "heat-rented" in page
    assert "A1 audio engineer" in page


def test_the_board_renders_in_a_bounded_number_of_queries(board, django_assert_max_num_queries):
    times = timeline(days_ahead=11)
    for number in range(40):
        job = Job.objects.create(
            code=f"J-{number:04d}",
            title=f"Extra {number}",
            client=board["client"],
            venue=board["expo"].venue,
            status="confirmed",
            priority=1 + number % 5,
            **{key: value + timedelta(hours=number % 7) for key, value in times.items()},
        )
        assert job.pk
    url = board_url(board["expo"], zoom="month")
    board["web"].get(url)  # warm the session and the role cache of the test client
    with django_assert_max_num_queries(24):
        started = time.perf_counter()
        page = board["web"].get(url).content.decode()
        elapsed = time.perf_counter() - started
    assert page.count('class="bar ') == 43
    assert elapsed < 2.0


def test_a_failed_solve_is_named_on_the_board(board):
    PlanRun.objects.create(
        trigger="x", state="failed", status="infeasible", message="pins clash", scenario={}
    )
    page = board["web"].get(board_url(board["expo"])).content.decode()
    assert "found no plan: pins clash" in page


def test_an_order_changed_since_the_plan_shows_as_pending(board):
    from sales.models import Order

    Order.objects.filter(job=board["small"]).update(version=5)
    page = board["web"].get(board_url(board["small"])).content.decode()
    assert "cov-pending" in bar_class(page, "SO-00003")


def test_an_unplanned_order_is_not_yet_in_the_plan(board):
    created = order(board, attendees=100, title="Late", days_ahead=12)
    page = board["web"].get(board_url(created.job)).content.decode()
    assert "cov-pending" in bar_class(page, created.job.code)
