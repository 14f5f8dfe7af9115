"""The difference between two plans, readable at a glance: what each job gains or loses, who moves, and what
each cost part does. Computed from the plans in the SCENARIO.md shape, so it is the same on the page and in
the API.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from allocation.models import PlanRun
from allocation.solver.scenario import COST_PARTS
from jobs.models import Job, Product, Vendor
from labor.models import CrewMember


def job_of(scenario_id: str) -> str:
    """The job code of a requirement or shift id (``JOBCODE/key``)."""
    return scenario_id.split("/", 1)[0]


@dataclass
class Change:
    """A quantity that moves between the two plans: ``before`` -> ``after`` of something named."""

    code: str
    name: str
    before: int
    after: int

    @property
    def delta(self) -> int:
        return self.after - self.before


@dataclass
class CrewMove:
    """A shift whose people change: who leaves it and who joins it."""

    shift: str
    job: str
    role: str
    start: str
    removed: list[str]
    added: list[str]


@dataclass
class JobChange:
    code: str
    title: str
    priority: int
    gear: list[Change] = field(default_factory=list)
    subrentals: list[Change] = field(default_factory=list)
    shortages: list[Change] = field(default_factory=list)
    overhire: list[Change] = field(default_factory=list)
    crew: list[CrewMove] = field(default_factory=list)


@dataclass
class CostChange:
    part: str
    before: float
    after: float

    @property
    def delta(self) -> float:
        return round(self.after - self.before, 2)


@dataclass
class PlanDiff:
    plan_id: int
    base_id: int | None
    jobs: list[JobChange]
    costs: list[CostChange]
    total: CostChange

    @property
    def is_empty(self) -> bool:
        return not self.jobs and not self.total.delta

    @property
    def crew_moves(self) -> list[CrewMove]:
        return [move for job in self.jobs for move in job.crew]

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for job_data, job in zip(data["jobs"], self.jobs, strict=True):
            for part in ("gear", "subrentals", "shortages", "overhire"):
                for change_data, change in zip(job_data[part], getattr(job, part), strict=True):
                    change_data["delta"] = change.delta
        for cost_data, cost in zip(data["costs"], self.costs, strict=True):
            cost_data["delta"] = cost.delta
        data["total"]["delta"] = self.total.delta
        return data


def _by_job(rows: list[dict], key: str, name: str, value: str = "quantity") -> dict[str, dict[str, int]]:
    totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        totals[job_of(row[key])][row[name] if name else ""] += row[value]
    return totals


def _changes(before: dict[str, int], after: dict[str, int], names: dict[str, str]) -> list[Change]:
    return [
        Change(code, names.get(code, code), before.get(code, 0), after.get(code, 0))
        for code in sorted(set(before) | set(after))
        if before.get(code, 0) != after.get(code, 0)
    ]


def _shift_facts(*scenarios: dict[str, Any]) -> dict[str, dict[str, Any]]:
    facts = {}
    for scenario in scenarios:
        for job in scenario.get("jobs", []):
            for shift in job.get("shifts", []):
                facts.setdefault(shift["id"], shift)
    return facts


def plan_diff(plan: PlanRun, base: PlanRun | None) -> PlanDiff:
    """What ``plan`` changes against ``base`` (the published plan; none: against an empty plan)."""
    new, old = plan.plan or {}, (base.plan if base is not None else {}) or {}
    gear_new, gear_old = (
        _by_job(new.get("gear", []), "requirement", "product"),
        _by_job(old.get("gear", []), "requirement", "product"),
    )
    rent_new, rent_old = (
        _by_job(new.get("subrentals", []), "requirement", "vendor"),
        _by_job(old.get("subrentals", []), "requirement", "vendor"),
    )
    short_new, short_old = (
        _by_job(new.get("shortages", []), "requirement", ""),
        _by_job(old.get("shortages", []), "requirement", ""),
    )
    hire_new, hire_old = (
        _by_job(new.get("unfilled", []), "shift", "", "missing"),
        _by_job(old.get("unfilled", []), "shift", "", "missing"),
    )
    crew_new: dict[str, set[str]] = defaultdict(set)
    crew_old: dict[str, set[str]] = defaultdict(set)
    for row in new.get("crew", []):
        crew_new[row["shift"]].add(row["crew"])
    for row in old.get("crew", []):
        crew_old[row["shift"]].add(row["crew"])
    shifts = _shift_facts(plan.scenario or {}, (base.scenario if base is not None else {}) or {})

    codes = set(gear_new) | set(gear_old) | set(rent_new) | set(rent_old) | set(short_new) | set(short_old)
    codes |= set(hire_new) | set(hire_old) | {job_of(s) for s in set(crew_new) | set(crew_old)}
    products = dict(Product.objects.values_list("sku", "name"))
    vendors = dict(Vendor.objects.values_list("code", "name"))
    people = {
        code: f"{first} {last}"
        for code, first, last in CrewMember.objects.values_list("code", "first_name", "last_name")
    }
    jobs = {job.code: job for job in Job.objects.filter(code__in=codes).only("code", "title", "priority")}
    changes: dict[str, JobChange] = {}

    def change_for(code: str) -> JobChange:
        if code not in changes:
            job = jobs.get(code)
            changes[code] = JobChange(code, job.title if job else code, job.priority if job else 0)
        return changes[code]

    for code in sorted(codes):
        gear = _changes(gear_old.get(code, {}), gear_new.get(code, {}), products)
        rents = _changes(rent_old.get(code, {}), rent_new.get(code, {}), vendors)
        short = _changes(short_old.get(code, {}), short_new.get(code, {}), {"": "units short"})
        hire = _changes(hire_old.get(code, {}), hire_new.get(code, {}), {"": "people to over-hire"})
        if gear or rents or short or hire:
            job_change = change_for(code)
            job_change.gear, job_change.subrentals, job_change.shortages, job_change.overhire = (
                gear,
                rents,
                short,
                hire,
            )
    for shift_id in sorted(set(crew_new) | set(crew_old)):
        removed = sorted(crew_old[shift_id] - crew_new[shift_id])
        added = sorted(crew_new[shift_id] - crew_old[shift_id])
        if removed or added:
            facts = shifts.get(shift_id, {})
            change_for(job_of(shift_id)).crew.append(
                CrewMove(
                    shift_id,
                    job_of(shift_id),
                    facts.get("role", ""),
                    facts.get("start", ""),
                    [people.get(code, code) for code in removed],
                    [people.get(code, code) for code in added],
                )
            )
    costs_new, costs_old = new.get("costs", {}), old.get("costs", {})
    costs = [
        CostChange(part, float(costs_old.get(part, 0)), float(costs_new.get(part, 0))) for part in COST_PARTS
    ]
    total = CostChange("total", float(old.get("objective") or 0), float(new.get("objective") or 0))
    ordered = sorted(changes.values(), key=lambda change: (-change.priority, change.code))
    return PlanDiff(plan.pk, base.pk if base is not None else None, ordered, costs, total)
