"""What planners print and send: a job's pull sheet and the sub-rental purchase list per vendor."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from allocation.models import PlanGear, PlanRun, PlanShortage, PlanSubRental
from allocation.solver.scenario import day_count
from jobs.models import Job, VendorOffer


@dataclass
class PullLine:
    """Units of one product (or from one vendor) to pull for a job: the most it uses at one moment."""

    code: str
    name: str
    category: str
    quantity: int
    source: str
    first_out: datetime
    last_back: datetime


def _peak(uses: list[tuple[datetime, datetime, int]]) -> int:
    events = sorted([(start, q) for start, _, q in uses] + [(end, -q) for _, end, q in uses])
    busy = peak = 0
    for _, change in events:
        busy += change
        peak = max(peak, busy)
    return peak


def pull_sheet(*, plan: PlanRun, job: Job) -> tuple[list[PullLine], list[PullLine], list[PlanShortage]]:
    """Own stock to pull by product, sub-rentals to receive by vendor, and what is still short."""
    own: dict[int, list] = defaultdict(list)
    for line in PlanGear.objects.filter(plan=plan, requirement__job=job).select_related(
        "requirement", "product__category"
    ):
        own[line.product_id].append(line)
    rented: dict[tuple[int, int], list] = defaultdict(list)
    for line in PlanSubRental.objects.filter(plan=plan, requirement__job=job).select_related(
        "requirement__capability", "vendor"
    ):
        rented[line.vendor_id, line.requirement.capability_id].append(line)
    own_lines = []
    for lines in own.values():
        product = lines[0].product
        uses = [(line.requirement.start, line.requirement.end, line.quantity) for line in lines]
        own_lines.append(
            PullLine(
                product.sku,
                product.name,
                product.category.name,
                _peak(uses),
                "own stock",
                min(use[0] for use in uses),
                max(use[1] for use in uses),
            )
        )
    rented_lines = []
    for lines in rented.values():
        vendor, capability = lines[0].vendor, lines[0].requirement.capability
        uses = [(line.requirement.start, line.requirement.end, line.quantity) for line in lines]
        rented_lines.append(
            PullLine(
                capability.slug,
                capability.name,
                "sub-rental",
                _peak(uses),
                f"sub-rent from {vendor.name}",
                min(use[0] for use in uses),
                max(use[1] for use in uses),
            )
        )
    shortages = list(
        PlanShortage.objects.filter(plan=plan, requirement__job=job).select_related("requirement__capability")
    )
    return (
        sorted(own_lines, key=lambda line: (line.category, line.name)),
        sorted(rented_lines, key=lambda line: line.source),
        shortages,
    )


def pull_sheet_csv(*, plan: PlanRun, job: Job) -> str:
    own, rented, shortages = pull_sheet(plan=plan, job=job)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["job", "code", "item", "category", "quantity", "source", "out", "back"])
    for line in [*own, *rented]:
        writer.writerow(
            [
                job.code,
                line.code,
                line.name,
                line.category,
                line.quantity,
                line.source,
                line.first_out.isoformat(),
                line.last_back.isoformat(),
            ]
        )
    for shortage in shortages:
        requirement = shortage.requirement
        writer.writerow(
            [
                job.code,
                requirement.capability.slug,
                requirement.capability.name,
                "SHORT",
                shortage.quantity,
                "not covered",
                requirement.start.isoformat(),
                requirement.end.isoformat(),
            ]
        )
    return out.getvalue()


SUBRENTAL_COLUMNS = [
    "vendor_code",
    "vendor",
    "job",
    "requirement",
    "capability",
    "quantity",
    "start",
    "end",
    "days",
    "unit_cost_per_day",
    "total",
]


def subrental_rows(*, plan: PlanRun) -> list[dict]:
    """Every sub-rental of the plan, vendor by vendor, with its price."""
    offers = {
        (vendor, capability): cost
        for vendor, capability, cost in VendorOffer.objects.values_list(
            "vendor_id", "capability_id", "unit_cost_per_day"
        )
    }
    rows = []
    for line in (
        PlanSubRental.objects.filter(plan=plan)
        .select_related("vendor", "requirement__job", "requirement__capability")
        .order_by("vendor__name", "requirement__start", "requirement__job__code")
    ):
        requirement = line.requirement
        days = day_count(requirement.start, requirement.end)
        unit = offers.get((line.vendor_id, requirement.capability_id), Decimal("0"))
        rows.append(
            {
                "vendor_code": line.vendor.code,
                "vendor": line.vendor.name,
                "job": requirement.job.code,
                "requirement": requirement.scenario_id,
                "capability": requirement.capability.slug,
                "quantity": line.quantity,
                "start": requirement.start.isoformat(),
                "end": requirement.end.isoformat(),
                "days": days,
                "unit_cost_per_day": f"{unit:.2f}",
                "total": f"{unit * line.quantity * days:.2f}",
            }
        )
    return rows


def subrentals_csv(*, plan: PlanRun) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=SUBRENTAL_COLUMNS)
    writer.writeheader()
    writer.writerows(subrental_rows(plan=plan))
    return out.getvalue()
