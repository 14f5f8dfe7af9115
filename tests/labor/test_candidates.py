"""Candidates: the ranking prefers the qualified, available, reliable, cheaper freelancer and says why."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from labor.candidates import History, attach_candidates, blended_reliability
from labor.models import Offer
from labor.selectors import needs_list
from tests.factories import (
    BookingFactory,
    CertificationFactory,
    CertificationTypeFactory,
    CrewMemberFactory,
    OfferFactory,
    ShiftFactory,
    UnavailabilityFactory,
)
from tests.labor.conftest import publish

pytestmark = pytest.mark.django_db


def ranked(shift=None) -> list:
    needs = attach_candidates(needs_list())
    need = needs[0] if shift is None else next(n for n in needs if n.shift.pk == shift.pk)
    return need.candidates


def codes(candidates) -> list[str]:
    return [candidate.crew.code for candidate in candidates]


def freelancer(code: str, *, level: int = 3, rate: str = "400", reliability: str = "0.900"):
    return CrewMemberFactory(
        code=code,
        first_name=code.title(),
        last_name="Test",
        freelancer=True,
        day_rate=Decimal(rate),
        reliability=Decimal(reliability),
        skills={"audio-a1": level},
    )


def test_the_ranking_prefers_the_qualified_available_reliable_cheaper_candidate_and_says_why(overhire):
    shift = overhire["shift"]
    for person in overhire["freelancers"]:
        person.delete()
    freelancer("best", rate="380", reliability="0.950")
    freelancer("pricier", rate="480", reliability="0.950")
    freelancer("flaky", rate="380", reliability="0.500")
    away = freelancer("away", rate="300", reliability="1.000")
    UnavailabilityFactory(crew=away, start=shift.start - timedelta(hours=1), end=shift.end, reason="Holiday")
    freelancer("junior", level=2, rate="250", reliability="1.000")

    candidates = ranked()
    assert codes(candidates) == [
        "best",
        "pricier",
        "flaky",
        "away",
    ]  # the junior is not qualified: not listed
    first = candidates[0]
    assert first.eligible and first.reasons == [
        "A1 audio engineer level 3 ≥ 3",
        "no offers yet; rated 95%",
        "£380/day",
    ]
    assert candidates[0].score > candidates[1].score > candidates[2].score
    assert not candidates[3].eligible and candidates[3].reasons[0] == "unavailable: Holiday"


def test_a_higher_level_is_worth_up_to_its_price(overhire):
    for person in overhire["freelancers"]:
        person.delete()
    freelancer("senior", level=5, rate="500")
    freelancer("peer", level=3, rate="400")
    freelancer("dear", level=5, rate="900")
    assert codes(ranked()) == ["senior", "peer", "dear"]
    assert "A1 audio engineer level 5 ≥ 3" in ranked()[0].reasons


def test_the_plans_proposal_ranks_first_when_qualified(overhire):
    shift, (fia, _gus, hal) = overhire["shift"], overhire["freelancers"]
    overhire["plan"].delete()
    publish(proposals=[(shift, hal)])
    candidates = ranked()
    assert candidates[0].crew == hal and candidates[0].proposed
    assert candidates[0].reasons[0] == "proposed by the plan"
    assert candidates[1].crew == fia  # then by score: Fia is the cheapest


def test_a_rigger_without_a_certificate_valid_on_the_day_is_blocked_and_says_so(overhire):
    rigging = CertificationTypeFactory(slug="rigging", name="Rigging")
    skill = overhire["skill"]
    skill.required_certification = rigging
    skill.save()
    fia, gus, _hal = overhire["freelancers"]
    day = timezone.localdate(overhire["shift"].start)
    CertificationFactory(crew=fia, certification_type=rigging, expires_on=day + timedelta(days=60))
    CertificationFactory(crew=gus, certification_type=rigging, expires_on=day - timedelta(days=1))
    candidates = {c.crew.code: c for c in ranked()}
    assert candidates["fia"].eligible
    assert f"rigging cert valid to {day + timedelta(days=60):%-d %b %Y}" in candidates["fia"].reasons
    assert not candidates["gus"].eligible and candidates["gus"].reasons[0].startswith(
        "no rigging cert valid on"
    )
    assert not candidates["hal"].eligible


def test_someone_booked_within_the_rest_gap_is_blocked(overhire):
    shift, (fia, _gus, _hal) = overhire["shift"], overhire["freelancers"]
    earlier = ShiftFactory(
        skill=overhire["skill"], start=shift.start - timedelta(hours=14), end=shift.start - timedelta(hours=6)
    )
    BookingFactory(shift=earlier, crew=fia)
    fia_candidate = next(c for c in ranked(shift) if c.crew == fia)
    assert not fia_candidate.eligible
    assert fia_candidate.reasons[0] == f"booked on {earlier.job.code} at that time"


def test_an_offer_elsewhere_at_that_time_costs_rank_and_is_named(overhire):
    shift, (fia, _gus, _hal) = overhire["shift"], overhire["freelancers"]
    other = ShiftFactory(skill=overhire["skill"], start=shift.start + timedelta(hours=2), end=shift.end)
    OfferFactory(shift=other, crew=fia)
    candidates = ranked(shift)
    fia_candidate = next(c for c in candidates if c.crew == fia)
    assert fia_candidate.eligible and "offered elsewhere at that time" in fia_candidate.reasons
    assert codes(candidates).index("gus") < codes(candidates).index("fia")


def test_reliability_blends_the_stored_rating_with_accepts_declines_cancellations_and_no_shows():
    assert blended_reliability(Decimal("0.9"), History()).value == pytest.approx(0.9)
    steady = blended_reliability(Decimal("0.9"), History(accepted=9, declined=1))
    assert steady.phrase == "reliable: 9 of 10 accepted"
    assert steady.value == pytest.approx((0.9 * 5 + 9) / 15)
    shaky = blended_reliability(
        Decimal("0.9"), History(accepted=4, declined=2, expired=2, cancelled=1, no_show=1)
    )
    assert shaky.value == pytest.approx((4.5 + 2) / 13)
    assert shaky.phrase == "unreliable: 4 of 8 accepted, 1 cancelled, 1 no-show"


def test_history_comes_from_offers_and_bookings(overhire):
    fia, gus, _hal = overhire["freelancers"]
    other = ShiftFactory(skill=overhire["skill"], start=overhire["shift"].start - timedelta(days=30))
    for status in ("accepted", "accepted", "declined"):
        OfferFactory(shift=other, crew=gus, status=status, sent_at=timezone.now() - timedelta(days=40))
    BookingFactory(
        shift=other,
        crew=gus,
        status="cancelled",
        cancelled_side="freelancer",
        cancelled_at=timezone.now(),
        cancel_reason="Ill",
    )
    candidates = {c.crew.code: c for c in ranked(overhire["shift"])}
    assert "mixed record: 2 of 3 accepted, 1 cancelled" in candidates["gus"].reasons
    assert candidates["gus"].reliability < candidates["fia"].reliability
    assert Offer.objects.filter(crew=fia).count() == 0
