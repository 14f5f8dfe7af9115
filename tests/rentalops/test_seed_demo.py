"""``manage.py seed_demo``: its summary, a second run that changes nothing, another seed, the first plan.

What the house it loads holds is checked in ``test_demo_house.py``.
"""

from collections import Counter
from datetime import UTC, date, datetime
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import models

from allocation.models import PlanRun
from jobs.models import (
    Capability,
    CapabilityProvider,
    Client,
    Job,
    OutOfService,
    Product,
    ProductCategory,
    Vendor,
    VendorOffer,
    Venue,
)
from labor.models import Certification, CertificationType, CrewMember, CrewSkill, Skill, Unavailability
from rentalops.demo import build, load
from sales.models import Order

pytestmark = pytest.mark.django_db

SEEDED_MODELS: list[type[models.Model]] = [
    Client,
    Venue,
    Job,
    ProductCategory,
    Product,
    OutOfService,
    Capability,
    CapabilityProvider,
    Vendor,
    VendorOffer,
    Skill,
    CrewMember,
    CrewSkill,
    CertificationType,
    Certification,
    Unavailability,
    get_user_model(),
]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """The real hasher costs a third of a second per user on purpose; the tests need not pay it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def fingerprint() -> dict[str, list[dict[str, Any]]]:
    """Every seeded row's values, ids included, timestamps left out."""
    return {
        model.__name__: [
            {name: value for name, value in row.items() if name not in ("created_at", "updated_at")}
            for row in model.objects.order_by("pk").values()
        ]
        for model in SEEDED_MODELS
    }


seed_demo = load.seed_demo


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in SEEDED_MODELS}


def today_utc() -> date:
    return datetime.now(UTC).date()


def test_the_command_prints_a_one_line_summary() -> None:
    out = StringIO()

    call_command("seed_demo", "--no-plan", stdout=out)

    summary = out.getvalue().strip()
    assert "\n" not in summary
    assert "120 jobs" in summary
    assert "60 staff, 80 freelancers" in summary


def test_a_second_run_leaves_the_same_rows_with_the_same_values() -> None:
    seed_demo(plan=False)
    first_counts, first_fingerprint = counts(), fingerprint()

    report = seed_demo(plan=False)

    assert counts() == first_counts
    assert fingerprint() == first_fingerprint
    assert report.writes == Counter(created=0, updated=0, removed=0)


def test_a_run_with_another_seed_replaces_the_demo_rows_instead_of_adding_to_them() -> None:
    seed_demo(seed=1, plan=False)
    first = counts()

    seed_demo(seed=2, plan=False)
    seed_demo(seed=1, plan=False)

    assert counts() == first


def test_a_password_someone_changed_is_reset_to_the_demo_password(client) -> None:
    seed_demo(plan=False)
    planner = get_user_model().objects.get(username="planner")
    planner.set_password("something-else")
    planner.save()

    seed_demo(plan=False)

    assert client.login(username="planner", password="rentalops-demo")


def test_the_same_seed_and_day_generate_identical_rows_and_another_seed_does_not() -> None:
    calendar = build.Calendar.for_day(date(2026, 3, 11))

    assert build.jobs(7, calendar) == build.jobs(7, calendar)
    assert build.crew(7) == build.crew(7)
    assert build.jobs(7, calendar) != build.jobs(8, calendar)


def test_dates_hang_on_the_start_of_the_utc_week() -> None:
    wednesday = build.Calendar.for_day(date(2026, 3, 11))
    friday = build.Calendar.for_day(date(2026, 3, 13))

    assert wednesday.week_start == friday.week_start == datetime(2026, 3, 9, tzinfo=UTC)
    assert build.out_of_service(7, wednesday) == build.out_of_service(7, friday)
    assert build.unavailability(7, wednesday, build.crew(7)[0]) == build.unavailability(
        7, friday, build.crew(7)[0]
    )


def test_it_solves_and_publishes_a_first_plan_that_covers_every_order(settings: Any) -> None:
    settings.SOLVER_TIME_LIMIT_SECONDS = 3
    report = seed_demo()

    plan = PlanRun.objects.get(state="published")
    assert f"Plan #{plan.pk}" in report.plan
    planned = {int(order_id) for order_id in plan.order_versions}
    assert planned == set(Order.objects.exclude(status="cancelled").values_list("pk", flat=True))

    again = seed_demo()

    assert "already covers every order" in again.plan
    assert PlanRun.objects.count() == 1
