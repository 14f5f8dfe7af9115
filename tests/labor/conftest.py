"""Over-hire fixtures: a published plan whose freelancer proposals and unfilled shifts are the needs."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from allocation.models import PlanCrew, PlanRun, PlanUnfilled
from tests.factories import CrewMemberFactory, JobFactory, ShiftFactory, SkillFactory


def publish(*, proposals=(), unfilled=(), staff=()) -> PlanRun:
    """A published plan with these lines: ``proposals`` and ``staff`` as (shift, crew), ``unfilled`` as
    (shift, missing). Unit tests build plans this way; the end-to-end tests solve and publish for real."""
    plan = PlanRun.objects.create(trigger="test", state="published", status="optimal", scenario={}, plan={})
    for shift, person in [*proposals, *staff]:
        PlanCrew.objects.create(plan=plan, shift=shift, crew=person)
    for shift, missing in unfilled:
        PlanUnfilled.objects.create(plan=plan, shift=shift, missing=missing)
    return plan


@pytest.fixture
def overhire(db):
    """An A1 shift next week that the plan could not fill from staff, and three A1 freelancers."""
    skill = SkillFactory(slug="audio-a1", name="A1 audio engineer")
    start = (timezone.now() + timedelta(days=7)).replace(hour=9, minute=0, second=0, microsecond=0)
    job = JobFactory(code="J-1001", title="Spring kickoff", load_in=start - timedelta(hours=2))
    shift = ShiftFactory(
        job=job, key="a1", skill=skill, min_level=3, count=1, start=start, end=start + timedelta(hours=9)
    )
    freelancers = [
        CrewMemberFactory(
            code=code,
            first_name=first,
            last_name=last,
            freelancer=True,
            day_rate=Decimal(rate),
            skills={"audio-a1": 3},
        )
        for code, first, last, rate in [
            ("fia", "Fia", "Falk", "380"),
            ("gus", "Gus", "Grant", "400"),
            ("hal", "Hal", "Hart", "420"),
        ]
    ]
    plan = publish(unfilled=[(shift, 1)])
    return {"skill": skill, "job": job, "shift": shift, "freelancers": freelancers, "plan": plan}
