"""Reads of crew, of the published plan's over-hire needs, and of offers and bookings."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from labor.models import Booking, Certification, CrewMember, CrewSkill, Offer, Shift, Skill


def crew_list(*, kind: str = "", skill: str = "", search: str = "") -> QuerySet[CrewMember]:
    """Active crew with their skills and certifications, filtered."""
    crew = CrewMember.objects.filter(active=True).prefetch_related(
        Prefetch("crew_skills", queryset=CrewSkill.objects.select_related("skill").order_by("-level")),
        Prefetch("certifications", queryset=Certification.objects.select_related("certification_type")),
    )
    if kind:
        crew = crew.filter(kind=kind)
    if skill:
        crew = crew.filter(crew_skills__skill__slug=skill)
    if search:
        crew = crew.filter(
            Q(first_name__icontains=search) | Q(last_name__icontains=search) | Q(code__icontains=search)
        )
    return crew.distinct().order_by("last_name", "first_name")


def skills() -> QuerySet[Skill]:
    return Skill.objects.order_by("name")


# --- over-hire needs ---------------------------------------------------------------------------------------


@dataclass
class Need:
    """A shift of the published plan that needs freelancers: its freelancer proposals and missing people."""

    shift: Shift
    places: int  # freelancers the plan wants here: its freelancer proposals plus the people still missing
    proposed: list[CrewMember] = field(default_factory=list)  # the solver's freelancers not yet booked
    bookings: list[Booking] = field(default_factory=list)
    offers: list[Offer] = field(default_factory=list)
    candidates: list = field(default_factory=list)

    @property
    def missing(self) -> int:
        return max(0, self.places - len(self.bookings))

    @property
    def live_offers(self) -> list[Offer]:
        return [offer for offer in self.offers if offer.effective_status == Offer.Status.SENT]

    @property
    def filled(self) -> bool:
        return self.missing == 0

    @property
    def day(self) -> date:
        return timezone.localdate(self.shift.start)


def needs_list(
    *,
    plan: Any = None,
    shift_ids: Iterable[int] | None = None,
    skill: str = "",
    job: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    include_filled: bool = True,
) -> list[Need]:
    """The published plan's over-hire needs still ahead, by call time; filled ones too unless told not to."""
    from allocation.models import PlanCrew, PlanUnfilled
    from allocation.selectors import published_plan

    plan = plan if plan is not None else published_plan()
    if plan is None:
        return []
    proposals = PlanCrew.objects.filter(plan=plan, crew__kind=CrewMember.Kind.FREELANCER).select_related(
        "crew"
    )
    unfilled = PlanUnfilled.objects.filter(plan=plan)
    if shift_ids is not None:
        shift_ids = list(shift_ids)
        proposals, unfilled = (
            proposals.filter(shift_id__in=shift_ids),
            unfilled.filter(shift_id__in=shift_ids),
        )
    places: dict[int, int] = defaultdict(int)
    proposed: dict[int, list[CrewMember]] = defaultdict(list)
    for row in proposals:
        places[row.shift_id] += 1
        proposed[row.shift_id].append(row.crew)
    for row in unfilled:
        places[row.shift_id] += row.missing
    shifts = Shift.objects.filter(pk__in=list(places), end__gt=timezone.now()).select_related(
        "job__venue", "job__client", "skill__required_certification"
    )
    if skill:
        shifts = shifts.filter(skill__slug=skill)
    if job:
        shifts = shifts.filter(job__code=job)
    if date_from:
        shifts = shifts.filter(start__date__gte=date_from)
    if date_to:
        shifts = shifts.filter(start__date__lte=date_to)
    shifts = list(shifts.order_by("start", "skill__name", "job__code", "key"))
    ids = [shift.pk for shift in shifts]
    bookings: dict[int, list[Booking]] = defaultdict(list)
    for booking in Booking.objects.filter(shift_id__in=ids, status=Booking.Status.CONFIRMED).select_related(
        "crew"
    ):
        bookings[booking.shift_id].append(booking)
    offers: dict[int, list[Offer]] = defaultdict(list)
    for offer in Offer.objects.filter(shift_id__in=ids).select_related("crew").order_by("sent_at", "pk"):
        offers[offer.shift_id].append(offer)
    needs = []
    for shift in shifts:
        booked_crew = {booking.crew_id for booking in bookings[shift.pk]}
        need = Need(
            shift=shift,
            places=places[shift.pk],
            proposed=[person for person in proposed[shift.pk] if person.pk not in booked_crew],
            bookings=bookings[shift.pk],
            offers=offers[shift.pk],
        )
        if include_filled or need.missing > 0:
            needs.append(need)
    # Grouped by day and skill on the page: sort so that each group is one run.
    needs.sort(key=lambda need: (need.day, need.shift.skill.name, need.shift.start, need.shift.job.code))
    return needs


def need_for_shift(*, shift: Shift) -> Need | None:
    """The published plan's need on one shift, or None when the plan wants no freelancer there."""
    needs = needs_list(shift_ids=[shift.pk])
    return needs[0] if needs else None


def skill_levels(*, crew_ids: list[int], skill_id: int) -> dict[int, int]:
    return dict(
        CrewSkill.objects.filter(crew_id__in=crew_ids, skill_id=skill_id).values_list("crew_id", "level")
    )


def booking_clash(*, crew_id: int, start: datetime, busy_until: datetime, exclude_shift: int | None = None):
    """A confirmed booking of the person whose busy time (shift and rest gap) meets [start, busy_until)."""
    clashes = Booking.objects.filter(
        crew_id=crew_id, status=Booking.Status.CONFIRMED, start__lt=busy_until, busy_until__gt=start
    ).select_related("shift__job")
    if exclude_shift is not None:
        clashes = clashes.exclude(shift_id=exclude_shift)
    return clashes.first()


def offer_by_id(offer_id: int) -> Offer | None:
    return (
        Offer.objects.select_related("shift__job__venue", "shift__skill", "crew", "booking")
        .filter(pk=offer_id)
        .first()
    )


def bookings_list(
    *, status: str = "", crew: str = "", job: str = "", upcoming: bool = False
) -> QuerySet[Booking]:
    bookings = Booking.objects.select_related(
        "shift__job__venue", "shift__skill", "crew", "offer", "cancelled_by"
    ).order_by("start", "pk")
    if status:
        bookings = bookings.filter(status=status)
    if crew:
        bookings = bookings.filter(crew__code=crew)
    if job:
        bookings = bookings.filter(shift__job__code=job)
    if upcoming:
        bookings = bookings.filter(end__gt=timezone.now())
    return bookings
