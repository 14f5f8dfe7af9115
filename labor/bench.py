"""Bench depth: demand per skill over the next 4, 8 and 12 weeks against the people who could meet it.

Demand comes from the shifts of the open jobs (what the plan plans): person-shifts, person-days (a shift
touches one or more calendar days) and the busiest day. Supply is the active staff and the *reliable*
freelancers (blended reliability at least 0.8) with the skill at the lowest level those shifts ask for.
A person offers a working day on each day not in time off, at most five a week.

The bench is too thin by the larger of:
- the busiest day's shortfall: people needed that day minus people available that day, and
- the shortfall in person-days spread over the horizon's working days.

For each thin skill it lists the staff one level below that level (who could be trained up) and the
certificates of people with the skill that expire within the horizon.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone

from labor.candidates import RELIABLE, blended_reliability, histories
from labor.models import Certification, CrewMember, CrewSkill, Shift, Skill, Unavailability

HORIZONS = (4, 8, 12)
WORKING_DAYS_PER_WEEK = 5


@dataclass
class SkillDepth:
    """One skill over one horizon: demand, the people who could cover it, and how thin the bench is."""

    skill: Skill
    level: int
    person_shifts: int = 0
    person_days: int = 0
    peak_people: int = 0
    peak_day: date | None = None
    staff: int = 0
    freelancers: int = 0
    capacity_days: int = 0
    short_people: int = 0
    trainable: list[tuple[CrewMember, int]] = field(default_factory=list)
    expiring: list[Certification] = field(default_factory=list)

    @property
    def thin(self) -> bool:
        return self.short_people > 0

    @property
    def cover_ratio(self) -> float:
        return self.capacity_days / self.person_days if self.person_days else 0.0


@dataclass
class Horizon:
    weeks: int
    start: date
    end: date
    skills: list[SkillDepth]

    @property
    def thin(self) -> list[SkillDepth]:
        return [depth for depth in self.skills if depth.thin]


def _days(start: datetime, end: datetime) -> list[date]:
    first, last = timezone.localdate(start), timezone.localdate(end - timedelta(microseconds=1))
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def bench_depth(*, now: datetime | None = None, horizons: tuple[int, ...] = HORIZONS) -> list[Horizon]:
    """Bench depth per skill for each horizon (weeks from today)."""
    from allocation.scenarios import open_jobs

    now = now or timezone.now()
    today = timezone.localdate(now)
    longest = today + timedelta(weeks=max(horizons))
    shifts = list(
        Shift.objects.filter(job__in=open_jobs(now), end__gt=now, start__date__lt=longest).select_related(
            "skill"
        )
    )
    skill_ids = {shift.skill_id for shift in shifts}
    crew_skills = list(
        CrewSkill.objects.filter(skill_id__in=skill_ids, crew__active=True).select_related("crew", "skill")
    )
    crew_ids = {cs.crew_id for cs in crew_skills}
    history = histories(list(crew_ids))
    away: dict[int, set[date]] = defaultdict(set)
    for window in Unavailability.objects.filter(crew_id__in=crew_ids, end__gt=now, start__date__lt=longest):
        away[window.crew_id].update(_days(window.start, window.end))
    certificates: dict[int, list[Certification]] = defaultdict(list)
    for certificate in Certification.objects.filter(
        crew_id__in=crew_ids, expires_on__gte=today, expires_on__lt=longest
    ).select_related("certification_type", "crew"):
        certificates[certificate.crew_id].append(certificate)
    reliable = {
        cs.crew_id
        for cs in crew_skills
        if cs.crew.kind == CrewMember.Kind.FREELANCER
        and blended_reliability(cs.crew.reliability, history[cs.crew_id]).value >= RELIABLE
    }
    skills = {
        skill.pk: skill
        for skill in Skill.objects.filter(pk__in=skill_ids).select_related("required_certification")
    }

    result = []
    for weeks in horizons:
        end = today + timedelta(weeks=weeks)
        calendar = [today + timedelta(days=n) for n in range((end - today).days)]
        in_view = [s for s in shifts if timezone.localdate(s.start) < end]
        rows = []
        for skill_id in sorted(skill_ids, key=lambda pk: skills[pk].name):
            skill_shifts = [s for s in in_view if s.skill_id == skill_id]
            if not skill_shifts:
                continue
            level = min(s.min_level for s in skill_shifts)
            depth = SkillDepth(skill=skills[skill_id], level=level)
            per_day: dict[date, int] = defaultdict(int)
            for shift in skill_shifts:
                depth.person_shifts += shift.count
                for day in _days(shift.start, shift.end):
                    if today <= day < end:
                        per_day[day] += shift.count
            depth.person_days = sum(per_day.values())
            qualified = [
                cs
                for cs in crew_skills
                if cs.skill_id == skill_id
                and cs.level >= level
                and (cs.crew.kind == CrewMember.Kind.STAFF or cs.crew_id in reliable)
            ]
            depth.staff = sum(1 for cs in qualified if cs.crew.kind == CrewMember.Kind.STAFF)
            depth.freelancers = len(qualified) - depth.staff
            for cs in qualified:
                free_days = sum(1 for day in calendar if day not in away[cs.crew_id])
                depth.capacity_days += min(free_days, WORKING_DAYS_PER_WEEK * weeks)
            peak_short = 0
            for day, needed in per_day.items():
                if needed > depth.peak_people:
                    depth.peak_people, depth.peak_day = needed, day
                available = sum(1 for cs in qualified if day not in away[cs.crew_id])
                peak_short = max(peak_short, needed - available)
            spread_short = math.ceil(
                max(0, depth.person_days - depth.capacity_days) / (WORKING_DAYS_PER_WEEK * weeks)
            )
            depth.short_people = max(peak_short, spread_short)
            if depth.thin:
                depth.trainable = sorted(
                    (
                        (cs.crew, cs.level)
                        for cs in crew_skills
                        if cs.skill_id == skill_id
                        and cs.crew.kind == CrewMember.Kind.STAFF
                        and cs.level == level - 1
                    ),
                    key=lambda pair: pair[0].last_name,
                )
                required = depth.skill.required_certification
                holders = {cs.crew_id for cs in crew_skills if cs.skill_id == skill_id}
                depth.expiring = sorted(
                    (
                        c
                        for crew_id in holders
                        for c in certificates[crew_id]
                        if c.expires_on < end and (required is None or c.certification_type_id == required.pk)
                    ),
                    key=lambda c: c.expires_on,
                )
            rows.append(depth)
        result.append(Horizon(weeks=weeks, start=today, end=end, skills=rows))
    return result
