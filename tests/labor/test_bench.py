"""Bench depth: demand per skill against staff and reliable freelancers over 4, 8 and 12 weeks."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from labor.bench import bench_depth
from tests.factories import (
    CertificationFactory,
    CertificationTypeFactory,
    CrewMemberFactory,
    JobFactory,
    ShiftFactory,
    SkillFactory,
    UnavailabilityFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def season(db):
    """Riggers: four needed on one day in week 2, and one a day for ten days in week 6; two staff, one
    reliable freelancer, one flaky one; a staff rigger's certificate expires in week 3."""
    rigger = SkillFactory(slug="rigger", name="Rigger")
    rigging = CertificationTypeFactory(slug="rigging", name="Rigging")
    rigger.required_certification = rigging
    rigger.save()
    audio = SkillFactory(slug="audio-a1", name="A1 audio engineer")
    day = (timezone.now() + timedelta(days=10)).replace(hour=8, minute=0, second=0, microsecond=0)
    big = JobFactory(load_in=day - timedelta(hours=1))
    ShiftFactory(job=big, skill=rigger, min_level=3, count=4, start=day, end=day + timedelta(hours=8))
    ShiftFactory(job=big, skill=audio, min_level=2, count=1, start=day, end=day + timedelta(hours=8))
    later = day + timedelta(weeks=4)
    for n in range(10):
        start = later + timedelta(days=n)
        job = JobFactory(load_in=start - timedelta(hours=1))
        ShiftFactory(job=job, skill=rigger, min_level=3, count=1, start=start, end=start + timedelta(hours=8))
    ron = CrewMemberFactory(
        code="ron", first_name="Ron", last_name="Rope", skills={"rigger": 3, "audio-a1": 3}
    )
    CrewMemberFactory(code="rae", first_name="Rae", last_name="Rig", skills={"rigger": 4})
    CrewMemberFactory(code="tia", first_name="Tia", last_name="Trainee", skills={"rigger": 2})
    CrewMemberFactory(code="fay", freelancer=True, reliability=Decimal("0.9"), skills={"rigger": 3})
    CrewMemberFactory(code="flo", freelancer=True, reliability=Decimal("0.4"), skills={"rigger": 3})
    CertificationFactory(
        crew=ron, certification_type=rigging, expires_on=timezone.localdate() + timedelta(days=20)
    )
    return {"rigger": rigger, "ron": ron, "day": day}


def test_a_busy_day_shows_the_bench_thin_by_how_many_people(season):
    four, eight, twelve = bench_depth()
    assert (four.weeks, eight.weeks, twelve.weeks) == (4, 8, 12)
    rigger = next(depth for depth in four.skills if depth.skill.slug == "rigger")
    assert (rigger.person_shifts, rigger.person_days, rigger.peak_people) == (4, 4, 4)
    assert (rigger.staff, rigger.freelancers) == (2, 1)  # Tia is below level 3; Flo is not reliable
    assert rigger.short_people == 1 and rigger.thin
    assert [person.code for person, level in rigger.trainable] == ["tia"]
    assert [cert.crew.code for cert in rigger.expiring] == ["ron"]
    audio = next(depth for depth in four.skills if depth.skill.slug == "audio-a1")
    assert not audio.thin


def test_longer_horizons_count_more_demand(season):
    _four, eight, _twelve = bench_depth()
    rigger8 = next(depth for depth in eight.skills if depth.skill.slug == "rigger")
    assert rigger8.person_shifts == 14 and rigger8.short_people >= 1


def test_time_off_on_the_busy_day_makes_the_bench_thinner(season):
    UnavailabilityFactory(
        crew=season["ron"], start=season["day"] - timedelta(hours=8), end=season["day"] + timedelta(hours=20)
    )
    rigger = next(depth for depth in bench_depth()[0].skills if depth.skill.slug == "rigger")
    assert rigger.short_people == 2


def test_the_bench_page_shows_thin_skills_and_the_career_path(season, client_as):
    page = client_as("coordinator").get("/labor/bench/?weeks=4")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Short by 1 person" in text and "Tia Trainee" in text and "Rigging" in text
    for weeks in (4, 8, 12):
        assert f"Next {weeks} weeks" in text
    assert client_as("planner").get("/labor/bench/?weeks=12").status_code == 200
    assert client_as("sales").get("/labor/bench/").status_code == 403
