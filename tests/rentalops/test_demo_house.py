"""The demo house that ``manage.py seed_demo`` loads: believable sizes, mixes and the demo users.

The house is seeded once for the module (without its first plan) and rolled back after it: every test here
only reads it, in its own savepoint.
"""

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from statistics import mean

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from jobs.models import Capability, Client, Job, OutOfService, Product, Vendor, VendorOffer, Venue
from labor.models import Certification, CertificationType, CrewMember, Skill, Unavailability
from rentalops.demo import load
from sales.models import Order
from tests.conftest import written_once

pytestmark = pytest.mark.django_db

# The ids of SCENARIO.md's examples: scenarios built from the demo must speak the solver's language.
SOLVER_ROLES = {"audio-a1", "lighting-ld", "rigger", "stagehand", "video-v1"}
SOLVER_CAPABILITIES = {"wash-light", "spot-light", "wireless-mic", "led-wall-panel"}
# The real hasher costs a third of a second per user on purpose; the tests need not pay it.
FAST_HASHING = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module", autouse=True)
def demo_house(django_db_setup, django_db_blocker):
    def seed() -> None:
        with override_settings(PASSWORD_HASHERS=FAST_HASHING):
            load.seed_demo(plan=False)

    yield from written_once(django_db_blocker, seed)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = FAST_HASHING


def today_utc() -> date:
    return datetime.now(UTC).date()


def test_it_loads_a_mid_size_rental_house() -> None:
    assert 35 <= Client.objects.count() <= 45
    assert 20 <= Venue.objects.count() <= 30
    assert Job.objects.count() == 120
    assert 130 <= Product.objects.count() <= 170
    assert 25 <= Capability.objects.count() <= 35
    assert Vendor.objects.count() == 6
    assert VendorOffer.objects.count() >= 20
    assert OutOfService.objects.count() >= 8
    assert CrewMember.objects.filter(kind="staff").count() == 60
    assert CrewMember.objects.filter(kind="freelancer").count() == 80
    assert CertificationType.objects.count() == 5
    assert Unavailability.objects.count() >= 30


@pytest.mark.parametrize(
    ("username", "group"),
    [("sales", "sales"), ("planner", "planner"), ("coordinator", "coordinator"), ("admin", "admin")],
)
def test_demo_user_logs_in_with_the_demo_password_and_holds_their_role(
    client, username: str, group: str
) -> None:
    user = get_user_model().objects.get(username=username)
    assert client.login(username=username, password="rentalops-demo")
    assert list(user.groups.values_list("name", flat=True)) == [group]
    assert user.first_name and user.last_name and user.email


def test_admin_is_a_staff_superuser_and_the_others_are_not() -> None:
    users = {user.username: user for user in get_user_model().objects.all()}
    assert users["admin"].is_superuser and users["admin"].is_staff
    assert not any(users[name].is_superuser for name in ("sales", "planner", "coordinator"))


def test_jobs_fall_in_the_next_90_days_with_consistent_times() -> None:
    tomorrow = datetime.combine(today_utc() + timedelta(days=1), datetime.min.time(), tzinfo=UTC)

    for job in Job.objects.all():
        assert tomorrow <= job.load_in <= job.show_start < job.show_end <= job.load_out
        assert job.load_in.date() >= (job.show_start - timedelta(days=1)).date()
        assert 1 <= (job.show_end.date() - job.show_start.date()).days + 1 <= 3
        assert job.show_start < tomorrow + timedelta(days=91)
        assert tomorrow - timedelta(days=61) <= job.booked_at < tomorrow


def test_jobs_are_mostly_inquiries_and_confirmations_with_mixed_priorities() -> None:
    statuses = Counter(Job.objects.values_list("status", flat=True))
    priorities = set(Job.objects.values_list("priority", flat=True))
    assert statuses["inquiry"] + statuses["confirmed"] >= 100
    assert statuses["in_prep"] >= 1
    assert priorities == {1, 2, 3, 4, 5}
    assert len(set(Job.objects.values_list("title", flat=True))) == 120


def test_some_weeks_are_much_busier_than_others() -> None:
    per_week = Counter(job.show_start.isocalendar()[:2] for job in Job.objects.all())
    assert max(per_week.values()) >= 2 * mean(per_week.values())


def test_every_capability_has_a_preferred_product_and_substitutes() -> None:
    for capability in Capability.objects.prefetch_related("providers"):
        qualities = sorted(float(provider.quality) for provider in capability.providers.all())
        assert qualities[-1] == 1.0, capability.slug
        assert len(qualities) >= 2 and 0.5 <= qualities[0] < 1.0, capability.slug


def test_vendor_offers_have_lead_times_up_to_three_days() -> None:
    lead_times = set(VendorOffer.objects.values_list("lead_time_hours", flat=True))
    assert min(lead_times) == 0 and max(lead_times) == 72


def test_skills_and_capabilities_carry_the_solver_ids() -> None:
    assert set(Skill.objects.values_list("slug", flat=True)) >= SOLVER_ROLES
    assert set(Capability.objects.values_list("slug", flat=True)) >= SOLVER_CAPABILITIES


def test_staff_cost_less_per_day_than_freelancers_of_the_same_level() -> None:
    rates: dict[tuple[str, int], list[float]] = {}
    for person in CrewMember.objects.prefetch_related("crew_skills"):
        top_level = max(crew_skill.level for crew_skill in person.crew_skills.all())
        rates.setdefault((person.kind, top_level), []).append(float(person.day_rate))
    for level in range(1, 6):
        if ("staff", level) in rates and ("freelancer", level) in rates:
            assert mean(rates[("staff", level)]) < mean(rates[("freelancer", level)]), level


def test_freelancers_are_less_reliable_than_staff_but_never_below_60_percent() -> None:
    freelance = [
        float(r) for r in CrewMember.objects.filter(kind="freelancer").values_list("reliability", flat=True)
    ]
    staff = [float(r) for r in CrewMember.objects.filter(kind="staff").values_list("reliability", flat=True)]
    assert min(freelance) >= 0.6 and max(freelance) <= 1.0
    assert mean(freelance) < mean(staff)


def test_most_people_are_strong_in_one_skill_and_weaker_in_others() -> None:
    multi_skilled = 0
    for person in CrewMember.objects.prefetch_related("crew_skills"):
        levels = sorted((crew_skill.level for crew_skill in person.crew_skills.all()), reverse=True)
        multi_skilled += len(levels) > 1
    assert multi_skilled >= 0.7 * CrewMember.objects.count()


def test_some_certificates_expire_within_a_month() -> None:
    today = today_utc()

    soon = Certification.objects.filter(expires_on__gte=today, expires_on__lte=today + timedelta(days=30))
    assert soon.count() >= 5
    assert Certification.objects.filter(certification_type__slug="rigging").count() >= 10


def test_every_demo_job_is_sold_as_an_order_with_expanded_requirements() -> None:
    assert Order.objects.count() == 120
    assert not Job.objects.filter(order__isnull=True).exists()
    open_orders = Order.objects.exclude(status="cancelled")
    assert all(order.job.gear_requirements.exists() for order in open_orders)
    assert all(order.job.shifts.exists() for order in open_orders)
    assert Job.objects.filter(code__startswith="D-").count() == 120
