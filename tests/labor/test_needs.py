"""Needs: the published plan's freelancer proposals and unfilled shifts, minus confirmed bookings."""

from datetime import timedelta

import pytest
from django.utils import timezone

from labor.selectors import needs_list
from tests.factories import (
    BookingFactory,
    CrewMemberFactory,
    JobFactory,
    OfferFactory,
    ShiftFactory,
    SkillFactory,
)
from tests.labor.conftest import publish

pytestmark = pytest.mark.django_db


def test_needs_are_the_freelancer_proposals_and_the_unfilled_shifts_not_the_staff(overhire):
    shift, fia = overhire["shift"], overhire["freelancers"][0]
    staffed = ShiftFactory(job=overhire["job"], skill=overhire["skill"], count=2)
    staff = CrewMemberFactory(code="sam", skills={"audio-a1": 4})
    overhire["plan"].delete()
    publish(proposals=[(staffed, fia)], staff=[(staffed, staff)], unfilled=[(shift, 1)])
    needs = {need.shift.pk: need for need in needs_list()}
    assert set(needs) == {shift.pk, staffed.pk}
    assert (needs[staffed.pk].places, needs[staffed.pk].missing, needs[staffed.pk].proposed) == (1, 1, [fia])
    assert (needs[shift.pk].places, needs[shift.pk].missing) == (1, 1)


def test_a_confirmed_booking_fills_its_place(overhire):
    BookingFactory(shift=overhire["shift"], crew=overhire["freelancers"][1])
    assert needs_list(include_filled=False) == []
    (need,) = needs_list()
    assert need.filled and [b.crew.code for b in need.bookings] == ["gus"]


def test_without_a_published_plan_there_are_no_needs(overhire):
    overhire["plan"].delete()
    assert needs_list() == []


def test_shifts_already_over_are_not_needs(overhire):
    done = ShiftFactory(
        skill=overhire["skill"],
        start=timezone.now() - timedelta(hours=10),
        end=timezone.now() - timedelta(hours=1),
    )
    overhire["plan"].unfilled.create(shift=done, missing=1)
    assert [need.shift for need in needs_list()] == [overhire["shift"]]


def test_needs_come_by_date_then_skill_and_filter_by_skill(overhire):
    rigging = SkillFactory(slug="rigger", name="Rigger")
    start = overhire["shift"].start
    same_day = ShiftFactory(
        job=overhire["job"], skill=rigging, start=start + timedelta(hours=1), end=start + timedelta(hours=5)
    )
    later = ShiftFactory(
        job=JobFactory(),
        skill=overhire["skill"],
        start=start + timedelta(days=2),
        end=start + timedelta(days=2, hours=8),
    )
    for shift in (same_day, later):
        overhire["plan"].unfilled.create(shift=shift, missing=2)
    assert [n.shift for n in needs_list()] == [overhire["shift"], same_day, later]
    assert [n.shift for n in needs_list(skill="rigger")] == [same_day]


def test_the_needs_page_groups_by_date_and_skill_with_ranked_candidates(
    overhire, client_as, django_assert_max_num_queries
):
    OfferFactory(shift=overhire["shift"], crew=overhire["freelancers"][2])
    client = client_as("coordinator")
    with django_assert_max_num_queries(30):
        page = client.get("/labor/needs/")
    assert page.status_code == 200
    text = page.content.decode()
    day = timezone.localtime(overhire["shift"].start)
    assert f"{day:%A} {day.day} {day:%B %Y}" in text
    assert "A1 audio engineer" in text and "J-1001" in text and "1 missing" in text
    assert text.count('name="crew"') == 3 and "Send offers" in text
    assert "£380/day" in text and 'data-status="sent"' in text


def test_sales_may_not_see_the_needs(client_as):
    assert client_as("sales").get("/labor/needs/").status_code == 403
