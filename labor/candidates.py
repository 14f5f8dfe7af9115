"""Freelancers ranked for each over-hire need, with the reasons a coordinator reads.

Who is listed: active freelancers with the shift's skill at or above its level. Of them, a person is
*eligible* unless blocked by a missing or expired required certificate, time off, or a confirmed booking
within the rest gap of the shift; blocked people are listed last with the blocker as their reason, never
offered.

The score of an eligible person (higher is better; all weights in one place, below):

    score = 40 x reliability                      (0..40: the blended reliability, 0..1)
          +  8 x min(level - min_level, 2)        (a level above the minimum is worth 8 points, two at most)
          -  day_rate / 25                        (each £25/day costs a point: one level is worth £200/day)
          - 15 if offered on another shift at that time (they may take that one instead)

The plan's own proposal for the shift ranks first when eligible (the solver chose it for the whole season);
ties go to the cheaper day rate, then the name.

Reliability blends the stored rating with the person's history (a Bayesian average with the stored rating
counting as ``PRIOR_WEIGHT`` offers):

    honoured    = offers accepted - bookings the freelancer cancelled - no-shows      (at least 0)
    answered    = offers accepted + declined + left to expire
    reliability = (stored x PRIOR_WEIGHT + honoured) / (PRIOR_WEIGHT + answered)
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone

from labor.models import Booking, Certification, CrewMember, CrewSkill, Offer, Unavailability
from labor.selectors import Need

RELIABILITY_WEIGHT = 40
LEVEL_POINTS = 8
LEVEL_CAP = 2
POUNDS_PER_POINT = 25
OFFERED_ELSEWHERE_PENALTY = 15
PRIOR_WEIGHT = 5
RELIABLE = 0.8
CANDIDATE_LIMIT = 8
REST_HOURS = 10  # the solver's rest gap (SCENARIO.md); labor.services uses the same


@dataclass
class History:
    """What a freelancer did with past offers and bookings."""

    accepted: int = 0
    declined: int = 0
    expired: int = 0
    cancelled: int = 0  # bookings the freelancer cancelled
    no_show: int = 0

    @property
    def answered(self) -> int:
        return self.accepted + self.declined + self.expired


@dataclass
class Reliability:
    value: float
    phrase: str


@dataclass
class Candidate:
    """One freelancer for one need: their score, whether they can be offered, and why."""

    crew: CrewMember
    level: int
    score: float
    eligible: bool
    proposed: bool = False
    reliability: float = 0.0
    reasons: list[str] = field(default_factory=list)
    live_offer: Offer | None = None
    booked_here: bool = False

    @property
    def selectable(self) -> bool:
        return self.eligible and self.live_offer is None and not self.booked_here


def histories(crew_ids: list[int]) -> dict[int, History]:
    """Offer and booking history per freelancer, in two grouped queries."""
    result: dict[int, History] = defaultdict(History)
    offers = (
        Offer.objects.filter(crew_id__in=crew_ids)
        .values("crew_id")
        .annotate(
            accepted=Count("pk", filter=Q(status=Offer.Status.ACCEPTED)),
            declined=Count("pk", filter=Q(status=Offer.Status.DECLINED)),
            expired=Count("pk", filter=Q(status=Offer.Status.EXPIRED)),
        )
    )
    for row in offers:
        history = result[row["crew_id"]]
        history.accepted, history.declined, history.expired = row["accepted"], row["declined"], row["expired"]
    bookings = (
        Booking.objects.filter(crew_id__in=crew_ids)
        .values("crew_id")
        .annotate(
            cancelled=Count(
                "pk", filter=Q(status=Booking.Status.CANCELLED, cancelled_side=Booking.Side.FREELANCER)
            ),
            no_show=Count("pk", filter=Q(status=Booking.Status.NO_SHOW)),
        )
    )
    for row in bookings:
        history = result[row["crew_id"]]
        history.cancelled, history.no_show = row["cancelled"], row["no_show"]
    return result


def blended_reliability(stored: Decimal | float, history: History) -> Reliability:
    """The stored rating blended with the history, and the phrase that explains it."""
    honoured = max(0, history.accepted - history.cancelled - history.no_show)
    value = (float(stored) * PRIOR_WEIGHT + honoured) / (PRIOR_WEIGHT + history.answered)
    if history.answered == 0:
        return Reliability(value, f"no offers yet; rated {float(stored):.0%}")
    word = "reliable" if value >= RELIABLE else "mixed record" if value >= 0.6 else "unreliable"
    phrase = f"{word}: {history.accepted} of {history.answered} accepted"
    if history.cancelled:
        phrase += f", {history.cancelled} cancelled"
    if history.no_show:
        phrase += f", {history.no_show} no-show"
    return Reliability(value, phrase)


def score(
    *, reliability: float, level: int, min_level: int, day_rate: Decimal, offered_elsewhere: bool
) -> float:
    """The documented ranking score of an eligible candidate (module docstring)."""
    points = RELIABILITY_WEIGHT * reliability
    points += LEVEL_POINTS * min(level - min_level, LEVEL_CAP)
    points -= float(day_rate) / POUNDS_PER_POINT
    if offered_elsewhere:
        points -= OFFERED_ELSEWHERE_PENALTY
    return round(points, 2)


def _overlaps(start, end, other_start, other_end) -> bool:
    return start < other_end and other_start < end


def attach_candidates(needs: list[Need], *, limit: int = CANDIDATE_LIMIT) -> list[Need]:
    """Rank the freelancers for each need (``need.candidates``) in a handful of queries."""
    if not needs:
        return needs
    rest = timedelta(hours=REST_HOURS)
    window_start = min(need.shift.start for need in needs) - rest
    window_end = max(need.shift.end for need in needs) + rest
    skill_ids = {need.shift.skill_id for need in needs}
    levels: dict[int, dict[int, int]] = defaultdict(dict)  # skill -> crew -> level
    crew_ids: set[int] = set()
    for crew_skill in CrewSkill.objects.filter(
        skill_id__in=skill_ids, crew__kind=CrewMember.Kind.FREELANCER, crew__active=True
    ):
        levels[crew_skill.skill_id][crew_skill.crew_id] = crew_skill.level
        crew_ids.add(crew_skill.crew_id)
    people = {person.pk: person for person in CrewMember.objects.filter(pk__in=crew_ids)}
    certificates: dict[int, list[Certification]] = defaultdict(list)
    for certificate in Certification.objects.filter(crew_id__in=crew_ids).select_related(
        "certification_type"
    ):
        certificates[certificate.crew_id].append(certificate)
    away: dict[int, list[Unavailability]] = defaultdict(list)
    for window in Unavailability.objects.filter(
        crew_id__in=crew_ids, start__lt=window_end, end__gt=window_start
    ):
        away[window.crew_id].append(window)
    booked: dict[int, list[Booking]] = defaultdict(list)
    for booking in Booking.objects.filter(
        crew_id__in=crew_ids,
        status=Booking.Status.CONFIRMED,
        start__lt=window_end,
        busy_until__gt=window_start,
    ).select_related("shift__job"):
        booked[booking.crew_id].append(booking)
    offered: dict[int, list[Offer]] = defaultdict(list)
    for offer in Offer.objects.filter(
        crew_id__in=crew_ids,
        status=Offer.Status.SENT,
        expires_at__gt=timezone.now(),
        shift__start__lt=window_end,
        shift__end__gt=window_start,
    ).select_related("shift__job"):
        offered[offer.crew_id].append(offer)
    history = histories(list(crew_ids))

    for need in needs:
        shift = need.shift
        proposed_ids = {person.pk for person in need.proposed}
        required = shift.skill.required_certification
        shift_day = timezone.localdate(shift.start)
        candidates = []
        for crew_id, level in levels[shift.skill_id].items():
            if level < shift.min_level:
                continue
            person = people[crew_id]
            reasons = [f"{shift.skill.name} level {level} ≥ {shift.min_level}"]
            blockers: list[str] = []
            if required is not None:
                valid = [
                    c
                    for c in certificates[crew_id]
                    if c.certification_type_id == required.pk
                    and c.issued_on <= shift_day
                    and (c.expires_on is None or c.expires_on >= timezone.localdate(shift.end))
                ]
                if valid:
                    longest = max(valid, key=lambda c: c.expires_on or shift_day.replace(year=9999))
                    until = f"to {longest.expires_on:%-d %b %Y}" if longest.expires_on else "with no expiry"
                    reasons.append(f"{required.name.lower()} cert valid {until}")
                else:
                    blockers.append(f"no {required.name.lower()} cert valid on {shift_day:%-d %b}")
            for window in away[crew_id]:
                if _overlaps(shift.start, shift.end, window.start, window.end):
                    blockers.append(f"unavailable: {window.reason or 'time off'}")
                    break
            booked_here = any(b.shift_id == shift.pk for b in booked[crew_id])
            for booking in booked[crew_id]:
                if booking.shift_id != shift.pk and _overlaps(
                    shift.start, shift.end + rest, booking.start, booking.busy_until
                ):
                    blockers.append(f"booked on {booking.shift.job.code} at that time")
                    break
            live_offer = next((o for o in offered[crew_id] if o.shift_id == shift.pk), None)
            elsewhere = [
                o
                for o in offered[crew_id]
                if o.shift_id != shift.pk
                and _overlaps(shift.start, shift.end + rest, o.shift.start, o.shift.end + rest)
            ]
            reliability = blended_reliability(person.reliability, history[crew_id])
            reasons.append(reliability.phrase)
            reasons.append(f"£{person.day_rate:,.0f}/day")
            if elsewhere:
                reasons.append("offered elsewhere at that time")
            eligible = not blockers and not booked_here
            proposed = crew_id in proposed_ids and eligible
            if proposed:
                reasons.insert(0, "proposed by the plan")
            if booked_here:
                reasons.insert(0, "booked on this shift")
            if live_offer is not None:
                reasons.append(f"offer sent {timezone.localtime(live_offer.sent_at):%-d %b %H:%M}")
            candidates.append(
                Candidate(
                    crew=person,
                    level=level,
                    score=score(
                        reliability=reliability.value,
                        level=level,
                        min_level=shift.min_level,
                        day_rate=person.day_rate,
                        offered_elsewhere=bool(elsewhere),
                    ),
                    eligible=eligible,
                    proposed=proposed,
                    reliability=round(reliability.value, 3),
                    reasons=blockers + reasons,
                    live_offer=live_offer,
                    booked_here=booked_here,
                )
            )
        candidates.sort(
            key=lambda c: (
                not c.eligible,
                not c.proposed,
                -c.score,
                c.crew.day_rate,
                c.crew.last_name,
                c.crew.pk,
            )
        )
        eligible = [c for c in candidates if c.eligible]
        # Someone already offered stays visible even past the limit, so their offer is never out of sight.
        shown = eligible[:limit] + [c for c in eligible[limit:] if c.live_offer is not None]
        shown += [c for c in candidates if not c.eligible][: max(0, limit - len(shown)) or 2]
        need.candidates = shown
    return needs
