"""Fixtures for the sales tests: the demo house's capabilities and skills, and a plain one-day timeline."""

from datetime import datetime

import pytest
from django.utils import timezone

from jobs.models import Capability
from labor.models import Skill
from rentalops.demo.gear import CAPABILITIES
from rentalops.demo.people import SKILLS
from sales.expansion import Timeline


@pytest.fixture
def demo_catalogue(db) -> None:
    """Every capability and skill of the demo data tables, by the slugs the templates use."""
    Capability.objects.bulk_create(
        Capability(slug=slug, name=name, unit=unit, description=description)
        for slug, name, unit, description in CAPABILITIES
    )
    Skill.objects.bulk_create(Skill(slug=slug, name=name, department=dept) for slug, name, dept, *_ in SKILLS)


@pytest.fixture
def demo_templates(demo_catalogue) -> None:
    from sales.demo import load_demo_templates

    load_demo_templates()


def at(day: int, hour: float) -> datetime:
    """A moment in the project's time zone: June ``day``, 2031 at ``hour``."""
    return timezone.make_aware(datetime(2031, 6, day, int(hour), round(hour % 1 * 60)))


@pytest.fixture
def one_day() -> Timeline:
    """Load-in 06:00, show 09:00 to 18:00, load-out 22:00 on one day."""
    return Timeline(at(10, 6), at(10, 9), at(10, 18), at(10, 22))
