"""The database refuses crew data that breaks an invariant, and full_clean() says why in the model's words."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from labor.models import CrewSkill
from tests.factories import (
    CertificationFactory,
    CertificationTypeFactory,
    CrewMemberFactory,
    CrewSkillFactory,
    SkillFactory,
    UnavailabilityFactory,
)

pytestmark = pytest.mark.django_db


def assert_database_refuses(obj: models.Model) -> None:
    """Saving bypasses every Python check: only the named database constraint stands in the way."""
    with pytest.raises(IntegrityError), transaction.atomic():
        obj.save()


def assert_clean_says(obj: models.Model, message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        obj.full_clean()
    assert message in raised.value.messages


def test_factories_make_valid_crew_rows() -> None:
    person = CrewMemberFactory(skills={"audio-a1": 3, "stagehand": 2})
    freelancer = CrewMemberFactory(freelancer=True)
    for obj in (
        person,
        freelancer,
        *person.crew_skills.all(),
        CertificationFactory(),
        UnavailabilityFactory(),
    ):
        obj.full_clean()
    assert person.crew_skills.get(skill__slug="audio-a1").level == 3
    assert freelancer.kind == "freelancer"


def test_negative_day_rate_is_refused() -> None:
    person = CrewMemberFactory.build(day_rate=Decimal("-10"))

    assert_database_refuses(person)
    assert_clean_says(person, "Day rate cannot be negative.")


def test_reliability_above_1_is_refused() -> None:
    person = CrewMemberFactory.build(reliability=Decimal("1.5"))

    assert_database_refuses(person)
    assert_clean_says(person, "Reliability runs from 0 to 1.")


def test_more_weekly_hours_than_a_week_has_are_refused() -> None:
    person = CrewMemberFactory.build(max_hours_per_week=169)

    assert_database_refuses(person)
    assert_clean_says(person, "A week has 168 hours.")


def test_level_6_is_refused() -> None:
    level = CrewSkillFactory.build(crew=CrewMemberFactory(), skill=SkillFactory(), level=6)

    assert_database_refuses(level)
    # full_clean stops at the field's choices and validators; the constraint alone gives its message.
    with pytest.raises(ValidationError) as raised:
        level.full_clean()
    assert "level" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        level.validate_constraints()
    assert "Levels run from 1 to 5." in raised.value.messages


def test_same_skill_twice_for_one_person_is_refused() -> None:
    existing = CrewSkillFactory()
    duplicate = CrewSkill(crew=existing.crew, skill=existing.skill, level=4)

    assert_database_refuses(duplicate)
    assert_clean_says(duplicate, "This person already has a level in this skill.")


def test_duplicate_skill_is_refused_in_bulk_too() -> None:
    existing = CrewSkillFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        CrewSkill.objects.bulk_create([CrewSkill(crew=existing.crew, skill=existing.skill, level=1)])


def test_certification_expiring_before_issue_is_refused() -> None:
    certification = CertificationFactory.build(
        crew=CrewMemberFactory(), certification_type=CertificationTypeFactory()
    )
    certification.expires_on = certification.issued_on - timedelta(days=1)

    assert_database_refuses(certification)
    assert_clean_says(certification, "A certification must expire after it is issued.")


def test_certification_without_expiry_is_accepted() -> None:
    certification = CertificationFactory(expires_on=None)

    certification.full_clean()


def test_time_off_ending_before_it_starts_is_refused() -> None:
    away = UnavailabilityFactory.build(crew=CrewMemberFactory())
    away.end = away.start - timedelta(days=1)

    assert_database_refuses(away)
    assert_clean_says(away, "Time off must end after it starts.")
