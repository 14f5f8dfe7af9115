"""Small scenarios and plans for the solver tests, written as the JSON of SCENARIO.md."""

from __future__ import annotations

import copy
import os
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from allocation.solver import check
from allocation.solver.scenario import (
    CrewAssignment,
    GearAllocation,
    Plan,
    Scenario,
    Shortage,
    SubRental,
    Unfilled,
    format_time,
    load_scenario,
)

# The project's own copy of the shared examples, so the tests do not depend on a directory outside the repo.
EXAMPLES_DIR = Path(__file__).resolve().parent / "scenarios"
EXAMPLE_NAMES = (
    "example-1.json",
    "example-1-changed.json",
    "example-2.json",
    "example-2-changed.json",
    "example-3.json",
    "example-3-changed.json",
)
# The proven optimum of each example, from shared/scenarios/README.md.
EXAMPLE_OPTIMA = {
    "example-1.json": 197_636.0,
    "example-1-changed.json": 216_456.0,
    "example-2.json": 376_122.0,
    "example-2-changed.json": 435_062.0,
    "example-3.json": 157_904.0,
    "example-3-changed.json": 181_494.0,
}
EXAMPLE_PARTS = {
    "example-1.json": (8_000, 90, 546, 4_000, 185_000, 0),
    "example-2.json": (193_000, 6_390, 1_132, 5_600, 170_000, 0),
    "example-3.json": (103_000, 5_550, 854, 18_500, 30_000, 0),
}

T0 = datetime(2027, 3, 1, tzinfo=UTC)  # a Monday, 00:00 UTC


def shared_examples_dir() -> Path:
    """Where the shared examples live outside the repo (``RENTALOPS_SHARED_DIR`` overrides)."""
    override = os.environ.get("RENTALOPS_SHARED_DIR")
    if override:
        return Path(override) / "scenarios"
    return Path(__file__).resolve().parents[2].parent / "shared" / "scenarios"


def at(hours: float) -> str:
    """An ISO time ``hours`` after Monday 2027-03-01 00:00 UTC."""
    return format_time(T0 + timedelta(hours=hours))


def scenario_data(**sections: Any) -> dict[str, Any]:
    """One job, two wash products, a vendor and two riggers; keyword sections replace parts."""
    data: dict[str, Any] = {
        "name": "tiny",
        "products": [
            {"id": "wash-a", "owned": 4, "turnaround_hours": 0},
            {"id": "wash-b", "owned": 4, "turnaround_hours": 0},
        ],
        "capabilities": [
            {
                "id": "wash",
                "providers": [{"product": "wash-a", "quality": 1.0}, {"product": "wash-b", "quality": 0.8}],
            }
        ],
        "vendors": [
            {
                "id": "acme",
                "offers": [
                    {
                        "capability": "wash",
                        "unit_cost_per_day": 45.0,
                        "max_quantity": 3,
                        "lead_time_hours": 48,
                    }
                ],
            }
        ],
        "jobs": [job("J1", gear=[gear("J1/g1", 3, 8, 18)], shifts=[shift("J1/s1", 8, 18)])],
        "crew": [
            {"id": "anna", "kind": "staff", "skills": {"rigger": 3}, "day_rate": 300.0},
            {"id": "bob", "kind": "freelancer", "skills": {"rigger": 2}, "day_rate": 200.0},
        ],
    }
    data.update(copy.deepcopy(sections))
    return data


def job(
    job_id: str,
    *,
    priority: int = 2,
    booked_at: float | None = -100,
    gear: list[dict[str, Any]] | None = None,
    shifts: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A job booked ``booked_at`` hours after T0 (None: undated)."""
    return {
        "id": job_id,
        "priority": priority,
        "booked_at": None if booked_at is None else at(booked_at),
        "gear": gear or [],
        "shifts": shifts or [],
    }


def gear(
    requirement_id: str, quantity: int, start: float, end: float, capability: str = "wash"
) -> dict[str, Any]:
    """A gear requirement over hours ``[start, end)`` after T0."""
    return {
        "id": requirement_id,
        "capability": capability,
        "quantity": quantity,
        "start": at(start),
        "end": at(end),
    }


def shift(
    shift_id: str, start: float, end: float, *, role: str = "rigger", min_level: int = 2, count: int = 1
) -> dict[str, Any]:
    """A crew shift over hours ``[start, end)`` after T0."""
    return {
        "id": shift_id,
        "role": role,
        "min_level": min_level,
        "count": count,
        "start": at(start),
        "end": at(end),
    }


def rigger(
    person_id: str, day_rate: float, *, kind: str = "staff", away: tuple[float, float] | None = None
) -> dict[str, Any]:
    """A level-3 rigger, unavailable over hours ``away`` after T0 when given."""
    person: dict[str, Any] = {"id": person_id, "kind": kind, "skills": {"rigger": 3}, "day_rate": day_rate}
    if away is not None:
        person["unavailable"] = [{"start": at(away[0]), "end": at(away[1])}]
    return person


def build(**sections: Any) -> Scenario:
    """Load ``scenario_data(**sections)``."""
    return load_scenario(scenario_data(**sections))


def plan(
    *,
    gear_rows: Sequence[tuple[str, str, int]] = (),
    subrentals: Sequence[tuple[str, str, int]] = (),
    shortages: Sequence[tuple[str, int]] = (),
    crew: Sequence[tuple[str, str]] = (),
    unfilled: Sequence[tuple[str, int]] = (),
    status: str = "feasible",
) -> Plan:
    """A plan from plain tuples."""
    return Plan(
        status=status,
        gear=[GearAllocation(*row) for row in gear_rows],
        subrentals=[SubRental(*row) for row in subrentals],
        shortages=[Shortage(*row) for row in shortages],
        crew=[CrewAssignment(*row) for row in crew],
        unfilled=[Unfilled(*row) for row in unfilled],
    )


def priced(scenario: Scenario, the_plan: Plan) -> Plan:
    """State the checker's own costs on the plan, so that a test sees only the rule it breaks."""
    the_plan.costs = check.plan_costs(scenario, the_plan)
    the_plan.objective = sum(the_plan.costs.values())
    return the_plan


def violations(scenario: Scenario, the_plan: Plan) -> list[str]:
    """The checker's violations for the plan, its costs stated as the checker computes them."""
    return check.validate(scenario, priced(scenario, the_plan)).violations
