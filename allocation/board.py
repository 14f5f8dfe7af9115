"""Reads behind the planner's board: a date window, the open jobs in it with their coverage, the plan's
shortages, sub-rentals and over-hire needs beside them, and the resource heat map.

Everything here takes a fixed number of queries whatever the number of jobs: coverage comes from grouped
sums over the plan's lines, never from a query per bar.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from allocation.models import PlanCrew, PlanGear, PlanRun, PlanShortage, PlanSubRental, PlanUnfilled
from allocation.solver.scenario import day_count
from jobs.models import CapabilityProvider, Job, OutOfService, Product, VendorOffer
from labor.models import CrewMember, CrewSkill, Skill, Unavailability

ZOOMS = {"day": 1, "week": 7, "month": None, "quarter": None}
DEFAULT_ZOOM = "week"

COVERED, SUBRENTED, SHORT, PENDING, NOTHING = "covered", "subrented", "short", "pending", "nothing"
COVERAGE_LABELS = {
    COVERED: "Own stock and staff",
    SUBRENTED: "Needs sub-rental or over-hire",
    SHORT: "Short",
    PENDING: "Changed since this plan",
    NOTHING: "Nothing to plan",
}


# --- the window ---------------------------------------------------------------------------------------------


@dataclass
class Tick:
    left: float
    width: float
    label: str
    weekend: bool = False
    today: bool = False


@dataclass
class BoardWindow:
    """The stretch of time the board shows: a day, an ISO week or a calendar month, with prev and next."""

    zoom: str
    start: datetime
    end: datetime
    previous: date
    next: date
    label: str
    ticks: list[Tick] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()

    def position(self, moment: datetime) -> float:
        """Percent from the window's left edge, clipped to 0..100."""
        share = (moment - self.start).total_seconds() / self.seconds
        return round(min(100.0, max(0.0, share * 100)), 3)

    @property
    def days(self) -> list[date]:
        first = timezone.localdate(self.start)
        return [first + timedelta(days=offset) for offset in range(round(self.seconds / 86400))]


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day))


def _month_start(day: date, months: int = 0) -> date:
    month_index = day.year * 12 + day.month - 1 + months
    return date(month_index // 12, month_index % 12 + 1, 1)


def board_window(*, zoom: str = DEFAULT_ZOOM, anchor: date | None = None) -> BoardWindow:
    """The window of ``zoom`` that holds ``anchor`` (today by default); weeks start on Monday."""
    zoom = zoom if zoom in ZOOMS else DEFAULT_ZOOM
    today = timezone.localdate()
    anchor = anchor or today
    if zoom == "day":
        first, after, previous = anchor, anchor + timedelta(days=1), anchor - timedelta(days=1)
        label = f"{anchor:%A %d %B %Y}"
    elif zoom == "week":
        first = anchor - timedelta(days=anchor.weekday())
        after, previous = first + timedelta(days=7), first - timedelta(days=7)
        label = f"Week {first.isocalendar()[1]}: {first:%d %b} to {after - timedelta(days=1):%d %b %Y}"
    elif zoom == "month":
        first, after, previous = _month_start(anchor), _month_start(anchor, 1), _month_start(anchor, -1)
        label = f"{first:%B %Y}"
    else:
        first, after, previous = _month_start(anchor), _month_start(anchor, 3), _month_start(anchor, -3)
        label = f"{first:%B} to {after - timedelta(days=1):%B %Y}"
    window = BoardWindow(zoom, _midnight(first), _midnight(after), previous, after, label)
    if zoom == "day":
        for hour in range(0, 24, 2):
            moment = window.start + timedelta(hours=hour)
            window.ticks.append(Tick(window.position(moment), 100 / 12, f"{hour:02d}:00"))
    elif zoom == "quarter":
        # Three months of days would be unreadable: one tick per ISO week, from the Monday on.
        monday = first - timedelta(days=first.weekday())
        while monday < after:
            left = window.position(_midnight(max(monday, first)))
            right = window.position(_midnight(min(monday + timedelta(days=7), after)))
            window.ticks.append(Tick(left, right - left, f"{max(monday, first):%d %b}", False, False))
            monday += timedelta(days=7)
    else:
        width = 100 / len(window.days)
        for day in window.days:
            text = f"{day:%a %d}" if zoom == "week" else f"{day:%d}"
            window.ticks.append(
                Tick(window.position(_midnight(day)), width, text, day.weekday() >= 5, day == today)
            )
    return window


# --- jobs on the board -------------------------------------------------------------------------------------


@dataclass
class BoardFilters:
    statuses: list[str] = field(default_factory=list)
    min_priority: int | None = None
    category: str = ""
    client: int | None = None


@dataclass
class BoardJob:
    """One bar: a job's span in the window, its show inside it, and how the plan covers it."""

    job: Job
    left: float
    width: float
    show_left: float
    show_width: float
    coverage: str = NOTHING
    shortage_units: int = 0
    subrented_units: int = 0
    unfilled_people: int = 0
    freelancers: int = 0
    starts_before: bool = False
    ends_after: bool = False

    @property
    def coverage_label(self) -> str:
        return COVERAGE_LABELS[self.coverage]

    @property
    def summary(self) -> str:
        parts = []
        if self.shortage_units:
            parts.append(f"{self.shortage_units} short")
        if self.subrented_units:
            parts.append(f"{self.subrented_units} sub-rented")
        if self.unfilled_people:
            parts.append(f"{self.unfilled_people} to over-hire")
        if self.freelancers:
            parts.append(f"{self.freelancers} freelance")
        return ", ".join(parts) or self.coverage_label


@dataclass
class BoardGroup:
    label: str
    jobs: list[BoardJob]


def open_jobs_in_window(window: BoardWindow, filters: BoardFilters):
    jobs = (
        Job.objects.filter(status__in=filters.statuses or Job.OPEN_STATUSES)
        .filter(load_out__gt=window.start, load_in__lt=window.end)
        .exclude(order__status__in=["cancelled", "draft"])
        .select_related("client", "venue", "order")
        .order_by("load_in", "code")
    )
    if filters.min_priority:
        jobs = jobs.filter(priority__gte=filters.min_priority)
    if filters.client:
        jobs = jobs.filter(client_id=filters.client)
    if filters.category:
        providing = CapabilityProvider.objects.filter(product__category__slug=filters.category).values(
            "capability_id"
        )
        jobs = jobs.filter(gear_requirements__capability_id__in=providing).distinct()
    return jobs


def _sums(queryset, job_field: str, value: Any) -> dict[int, int]:
    return {
        row[job_field]: row["total"] or 0
        for row in queryset.values(job_field).annotate(total=value).order_by()
    }


def board_jobs(*, plan: PlanRun | None, window: BoardWindow, filters: BoardFilters) -> list[BoardJob]:
    """The window's open jobs, each placed on the timeline and coloured by the plan's coverage."""
    jobs = list(open_jobs_in_window(window, filters))
    ids = [job.pk for job in jobs]
    short = subrented = unfilled = freelancers = planned_gear = planned_crew = {}
    if plan is not None and ids:
        short = _sums(
            PlanShortage.objects.filter(plan=plan, requirement__job_id__in=ids),
            "requirement__job_id",
            Sum("quantity"),
        )
        subrented = _sums(
            PlanSubRental.objects.filter(plan=plan, requirement__job_id__in=ids),
            "requirement__job_id",
            Sum("quantity"),
        )
        planned_gear = _sums(
            PlanGear.objects.filter(plan=plan, requirement__job_id__in=ids),
            "requirement__job_id",
            Count("id"),
        )
        unfilled = _sums(
            PlanUnfilled.objects.filter(plan=plan, shift__job_id__in=ids), "shift__job_id", Sum("missing")
        )
        crew_lines = PlanCrew.objects.filter(plan=plan, shift__job_id__in=ids)
        planned_crew = _sums(crew_lines, "shift__job_id", Count("id"))
        freelancers = _sums(
            crew_lines, "shift__job_id", Count("id", filter=Q(crew__kind=CrewMember.Kind.FREELANCER))
        )
    versions = plan.order_versions if plan is not None else {}
    bars = []
    for job in jobs:
        bar = BoardJob(
            job=job,
            left=window.position(job.load_in),
            width=max(0.6, window.position(job.load_out) - window.position(job.load_in)),
            show_left=window.position(job.show_start),
            show_width=max(0.3, window.position(job.show_end) - window.position(job.show_start)),
            shortage_units=short.get(job.pk, 0),
            subrented_units=subrented.get(job.pk, 0),
            unfilled_people=unfilled.get(job.pk, 0),
            freelancers=freelancers.get(job.pk, 0),
            starts_before=job.load_in < window.start,
            ends_after=job.load_out > window.end,
        )
        # The show segment is drawn inside the bar, so it is placed relative to the bar.
        bar.show_left = round((bar.show_left - bar.left) / bar.width * 100, 3) if bar.width else 0
        bar.show_width = round(min(100 - bar.show_left, bar.show_width / bar.width * 100), 3)
        order = getattr(job, "order", None)
        lines = planned_gear.get(job.pk, 0) + planned_crew.get(job.pk, 0)
        if plan is None or (order is not None and versions.get(str(order.pk)) != order.version):
            bar.coverage = PENDING
        elif bar.shortage_units:
            bar.coverage = SHORT
        elif bar.subrented_units or bar.unfilled_people or bar.freelancers:
            bar.coverage = SUBRENTED
        elif lines:
            bar.coverage = COVERED
        bars.append(bar)
    return bars


def group_bars(bars: list[BoardJob], window: BoardWindow) -> list[BoardGroup]:
    """Rows grouped by the day (day and week views) or the ISO week (month view) their job loads in."""
    groups: dict[Any, BoardGroup] = {}
    for bar in bars:
        day = max(timezone.localdate(bar.job.load_in), timezone.localdate(window.start))
        if window.zoom in ("month", "quarter"):
            monday = day - timedelta(days=day.weekday())
            key, label = monday, f"Week {monday.isocalendar()[1]} · from {monday:%a %d %b}"
        else:
            key, label = day, f"{day:%A %d %B}"
        groups.setdefault(key, BoardGroup(label, [])).jobs.append(bar)
    return [groups[key] for key in sorted(groups)]


def coverage_counts(bars: list[BoardJob]) -> dict[str, int]:
    counts = dict.fromkeys(COVERAGE_LABELS, 0)
    for bar in bars:
        counts[bar.coverage] += 1
    return counts


LIST_LIMIT = 30


@dataclass
class PlanLists:
    """What the plan still needs for the jobs in view: shortages, sub-rentals and over-hire needs (the first
    ``LIST_LIMIT`` of each by date, with the full counts, so a busy season never makes a long page)."""

    shortages: list[PlanShortage]
    subrentals: list[PlanSubRental]
    unfilled: list[PlanUnfilled]
    subrental_costs: dict[int, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


def plan_lists(*, plan: PlanRun | None, job_ids: list[int], limit: int = LIST_LIMIT) -> PlanLists:
    if plan is None or not job_ids:
        return PlanLists([], [], [], counts={"shortages": 0, "subrentals": 0, "unfilled": 0})
    shortages = PlanShortage.objects.filter(plan=plan, requirement__job_id__in=job_ids)
    subrentals = PlanSubRental.objects.filter(plan=plan, requirement__job_id__in=job_ids)
    unfilled = PlanUnfilled.objects.filter(plan=plan, shift__job_id__in=job_ids)
    counts = {"shortages": shortages.count(), "subrentals": subrentals.count(), "unfilled": unfilled.count()}
    shortage_lines = list(
        shortages.select_related("requirement__job", "requirement__capability").order_by(
            "-requirement__job__priority", "requirement__start", "pk"
        )[:limit]
    )
    subrental_lines = list(
        subrentals.select_related("requirement__job", "requirement__capability", "vendor").order_by(
            "requirement__start", "vendor__name", "pk"
        )[:limit]
    )
    unfilled_lines = list(
        unfilled.select_related("shift__job", "shift__skill").order_by(
            "-shift__job__priority", "shift__start", "pk"
        )[:limit]
    )
    offers = {
        (vendor, capability): float(cost)
        for vendor, capability, cost in VendorOffer.objects.values_list(
            "vendor_id", "capability_id", "unit_cost_per_day"
        )
    }
    costs = {}
    for line in subrental_lines:
        unit = offers.get((line.vendor_id, line.requirement.capability_id), 0.0)
        costs[line.pk] = unit * line.quantity * day_count(line.requirement.start, line.requirement.end)
    return PlanLists(shortage_lines, subrental_lines, unfilled_lines, costs, counts)


# --- the resource heat map ---------------------------------------------------------------------------------


@dataclass
class HeatCell:
    used: int
    capacity: int
    short: int = 0
    subrented: int = 0
    note: str = ""

    @property
    def level(self) -> str:
        if self.short:
            return "short"
        if self.capacity <= 0:
            return "none" if not self.used else "over"
        ratio = self.used / self.capacity
        if ratio > 1:
            return "over"
        return str(min(5, int(ratio * 5 + 0.999)))


@dataclass
class HeatRow:
    label: str
    code: str
    cells: list[HeatCell]
    detail: str = ""


@dataclass
class HeatGroup:
    label: str
    rows: list[HeatRow]


def _peak(intervals: list[tuple[datetime, datetime, int]], start: datetime, end: datetime) -> int:
    """The most units busy at one moment of ``[start, end)``."""
    events = []
    for begin, finish, quantity in intervals:
        if begin < end and start < finish:
            events.append((max(begin, start), quantity))
            events.append((min(finish, end), -quantity))
    events.sort(key=lambda event: (event[0], event[1]))
    busy = peak = 0
    for _, change in events:
        busy += change
        peak = max(peak, busy)
    return peak


def gear_heatmap(*, plan: PlanRun | None, window: BoardWindow) -> tuple[list[HeatGroup], list[HeatRow]]:
    """Products by category and day (busy units incl. turnaround against units in service), and the
    capabilities with sub-rented or short units by day."""
    days = window.days
    day_windows = [(_midnight(day), _midnight(day + timedelta(days=1))) for day in days]
    products = list(
        Product.objects.filter(active=True).select_related("category").order_by("category", "name")
    )
    use: dict[int, list[tuple[datetime, datetime, int]]] = defaultdict(list)
    short_by_capability: dict[int, list[tuple[datetime, datetime, int, str]]] = defaultdict(list)
    rented_by_capability: dict[int, list[tuple[datetime, datetime, int]]] = defaultdict(list)
    names: dict[int, str] = {}
    if plan is not None:
        turnaround = {product.pk: timedelta(hours=float(product.turnaround_hours)) for product in products}
        reach = Q(requirement__end__gt=window.start - timedelta(days=7), requirement__start__lt=window.end)
        for product_id, start, end, quantity in PlanGear.objects.filter(reach, plan=plan).values_list(
            "product_id", "requirement__start", "requirement__end", "quantity"
        ):
            use[product_id].append((start, end + turnaround.get(product_id, timedelta()), quantity))
        for capability_id, name, start, end, quantity, job in PlanShortage.objects.filter(
            reach, plan=plan
        ).values_list(
            "requirement__capability_id",
            "requirement__capability__name",
            "requirement__start",
            "requirement__end",
            "quantity",
            "requirement__job__code",
        ):
            short_by_capability[capability_id].append((start, end, quantity, job))
            names[capability_id] = name
        for capability_id, name, start, end, quantity in PlanSubRental.objects.filter(
            reach, plan=plan
        ).values_list(
            "requirement__capability_id",
            "requirement__capability__name",
            "requirement__start",
            "requirement__end",
            "quantity",
        ):
            rented_by_capability[capability_id].append((start, end, quantity))
            names[capability_id] = name
    out_of_service: dict[int, list[tuple[datetime, datetime, int]]] = defaultdict(list)
    for product_id, start, end, quantity in OutOfService.objects.filter(
        end__gt=window.start, start__lt=window.end
    ).values_list("product_id", "start", "end", "quantity"):
        out_of_service[product_id].append((start, end, quantity))
    providers: dict[int, list[int]] = defaultdict(list)
    for capability_id, product_id in CapabilityProvider.objects.values_list("capability_id", "product_id"):
        providers[product_id].append(capability_id)

    groups: dict[int, HeatGroup] = {}
    for product in products:
        cells = []
        for day_start, day_end in day_windows:
            capacity = product.owned_quantity - _peak(out_of_service[product.pk], day_start, day_end)
            cell = HeatCell(_peak(use[product.pk], day_start, day_end), capacity)
            short_jobs = [
                (quantity, job)
                for capability_id in providers[product.pk]
                for start, end, quantity, job in short_by_capability.get(capability_id, [])
                if start < day_end and day_start < end
            ]
            if short_jobs:
                cell.short = sum(quantity for quantity, _ in short_jobs)
                cell.note = "; ".join(f"{quantity} short on {job}" for quantity, job in short_jobs)
            cells.append(cell)
        if any(cell.used or cell.short for cell in cells):
            group = groups.setdefault(product.category_id, HeatGroup(product.category.name, []))
            group.rows.append(HeatRow(product.name, product.sku, cells, f"{product.owned_quantity} owned"))
    capability_rows = []
    for capability_id in sorted(names, key=lambda pk: names[pk]):
        cells = []
        for day_start, day_end in day_windows:
            rented = _peak(rented_by_capability.get(capability_id, []), day_start, day_end)
            short = sum(
                quantity
                for start, end, quantity, _ in short_by_capability.get(capability_id, [])
                if start < day_end and day_start < end
            )
            cells.append(HeatCell(rented, 0, short=short, subrented=rented))
        capability_rows.append(HeatRow(names[capability_id], str(capability_id), cells))
    return list(groups.values()), capability_rows


def crew_heatmap(*, plan: PlanRun | None, window: BoardWindow) -> list[HeatRow]:
    """Skills by day: people the plan places against the people with the skill who are not off that day;
    over-hire needs (people still missing) stand out."""
    days = window.days
    day_windows = [(_midnight(day), _midnight(day + timedelta(days=1))) for day in days]
    members: dict[int, set[int]] = defaultdict(set)
    for skill_id, crew_id in CrewSkill.objects.filter(crew__active=True).values_list("skill_id", "crew_id"):
        members[skill_id].add(crew_id)
    off: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    for crew_id, start, end in Unavailability.objects.filter(
        end__gt=window.start, start__lt=window.end
    ).values_list("crew_id", "start", "end"):
        off[crew_id].append((start, end))
    placed: dict[int, list[tuple[datetime, datetime, int]]] = defaultdict(list)
    missing: dict[int, list[tuple[datetime, datetime, int]]] = defaultdict(list)
    if plan is not None:
        reach = Q(shift__end__gt=window.start, shift__start__lt=window.end)
        for skill_id, start, end, crew_id in PlanCrew.objects.filter(reach, plan=plan).values_list(
            "shift__skill_id", "shift__start", "shift__end", "crew_id"
        ):
            placed[skill_id].append((start, end, crew_id))
        for skill_id, start, end, count in PlanUnfilled.objects.filter(reach, plan=plan).values_list(
            "shift__skill_id", "shift__start", "shift__end", "missing"
        ):
            missing[skill_id].append((start, end, count))
    rows = []
    for skill in Skill.objects.order_by("department", "name"):
        if not placed.get(skill.pk) and not missing.get(skill.pk) and not members.get(skill.pk):
            continue
        cells = []
        for day_start, day_end in day_windows:
            available = sum(
                1
                for crew_id in members[skill.pk]
                if not any(start < day_end and day_start < end for start, end in off.get(crew_id, []))
            )
            used = len(
                {crew for start, end, crew in placed.get(skill.pk, []) if start < day_end and day_start < end}
            )
            short = sum(
                count
                for start, end, count in missing.get(skill.pk, [])
                if start < day_end and day_start < end
            )
            cells.append(
                HeatCell(used, available, short=short, note=f"{short} to over-hire" if short else "")
            )
        if any(cell.used or cell.short for cell in cells):
            rows.append(HeatRow(skill.name, skill.slug, cells, f"{len(members[skill.pk])} people"))
    return rows
