"""Seeded rental seasons that look like a real one and run out of capacity in the busy weeks.

``generate_season(jobs, seed)`` returns scenario JSON (SCENARIO.md). A season of 300 jobs has about 900 gear
requirements, 1,500 shifts, 150 staff, 250 freelancers and 400 products; one of 1,000 jobs about 3,000
requirements, 5,000 shifts and 600 crew. Owned stock is sized from the demand it will meet (a share of each
capability's peak), so busy weeks need sub-rentals, substitutes and freelancers.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from allocation.solver.scenario import format_time

SEASON_START = datetime(2027, 3, 1, tzinfo=UTC)  # a Monday

# Department -> (capability base names, typical quantity per job).
GEAR_FAMILIES: dict[str, list[tuple[str, int]]] = {
    "audio": [
        ("wireless-mic", 8),
        ("line-array", 12),
        ("monitor-wedge", 6),
        ("audio-console", 1),
        ("di-box", 6),
    ],
    "lighting": [
        ("wash-light", 16),
        ("spot-light", 10),
        ("beam-light", 12),
        ("lighting-console", 1),
        ("hazer", 2),
    ],
    "video": [("led-wall-panel", 36), ("projector", 2), ("camera", 3), ("video-switcher", 1), ("screen", 2)],
    "staging": [("stage-deck", 16), ("truss-3m", 12), ("chain-hoist", 6), ("power-distro", 3)],
}
CREW_ROLES: dict[str, list[str]] = {
    "audio": ["audio-a1", "audio-a2"],
    "lighting": ["lighting-ld"],
    "video": ["video-v1", "camera-op"],
    "rigging": ["rigger"],
    "general": ["stagehand"],
}
VENDOR_NAMES = [
    "acme",
    "bolt",
    "stagecraft",
    "luxrent",
    "pixelhire",
    "soundpool",
    "riggers-united",
    "eventline",
]


def _scale(jobs: int) -> int:
    """Products and crew grow with the season: 400 at 300 jobs, 600 at 1,000."""
    return round(jobs * 4 / 3) if jobs <= 300 else round(400 + (jobs - 300) * 2 / 7)


def _weeks(jobs: int) -> int:
    return max(1, -(-jobs // 30))


def generate_season(jobs: int, seed: int) -> dict[str, Any]:
    """A season of ``jobs`` jobs as scenario JSON; the same (jobs, seed) always gives the same season."""
    rng = random.Random(f"rentalops-season-{jobs}-{seed}")
    weeks = _weeks(jobs)
    capabilities = _capabilities(rng, max(8, _scale(jobs)))
    job_list = _jobs(rng, jobs, weeks, capabilities)
    products, capability_json = _products(rng, capabilities, job_list)
    return {
        "name": f"season-{jobs}-jobs-seed-{seed}",
        "now": format_time(SEASON_START - timedelta(days=2)),
        "products": products,
        "capabilities": capability_json,
        "vendors": _vendors(rng, capabilities),
        "jobs": job_list,
        "crew": _crew(rng, max(6, _scale(jobs)), weeks),
        "bookings": [],
        "pins": [],
        "settings": {"time_limit_seconds": 10},
    }


def _capabilities(rng: random.Random, products: int) -> list[dict[str, Any]]:
    """Capability variants (``wash-light-2``) with a popularity weight and a typical quantity."""
    count = max(6, round(products / 2.5))
    bases = [
        (department, name, quantity)
        for department, items in GEAR_FAMILIES.items()
        for name, quantity in items
    ]
    capabilities = []
    for index in range(count):
        department, name, quantity = bases[index % len(bases)]
        variant = index // len(bases)
        capabilities.append(
            {
                "id": name if variant == 0 else f"{name}-{variant + 1}",
                "department": department,
                "quantity": quantity,
                # Popular variants get most requests (Zipf-like), as in a real catalogue.
                "weight": 1.0 / (1 + variant) ** 1.3,
            }
        )
    return capabilities


def _job_window(rng: random.Random, weeks: int) -> tuple[datetime, int]:
    """Load-in day and show length; shows cluster on Thursday to Saturday and in the busy mid-season weeks."""
    while True:
        week = rng.randrange(weeks)
        busy = 1.0 + 0.8 * (1 - abs(week - weeks / 2) / max(1, weeks / 2))
        if rng.random() < busy / 1.8:
            break
    weekday = rng.choices(range(7), weights=[2, 2, 3, 5, 6, 6, 3])[0]
    return SEASON_START + timedelta(days=7 * week + weekday), rng.choices([1, 2, 3, 4], weights=[4, 3, 2, 1])[
        0
    ]


def _jobs(
    rng: random.Random, count: int, weeks: int, capabilities: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    weights = [capability["weight"] for capability in capabilities]
    jobs = []
    for index in range(count):
        job_id = f"J{index + 1:04d}"
        day, show_days = _job_window(rng, weeks)
        load_in = day + timedelta(hours=rng.choice([6, 7, 8]))
        load_out_end = day + timedelta(days=show_days, hours=rng.choice([2, 3, 4]))
        gear = []
        chosen: set[str] = set()
        for _ in range(rng.choices([1, 2, 3, 4, 5], weights=[1, 3, 4, 3, 1])[0]):
            capability = rng.choices(capabilities, weights=weights)[0]
            if capability["id"] in chosen:
                continue
            chosen.add(capability["id"])
            quantity = max(1, round(capability["quantity"] * rng.uniform(0.5, 1.6)))
            gear.append(
                {
                    "id": f"{job_id}/g{len(gear) + 1}",
                    "capability": capability["id"],
                    "quantity": quantity,
                    "start": format_time(load_in),
                    "end": format_time(load_out_end),
                }
            )
        jobs.append(
            {
                "id": job_id,
                "priority": rng.choices([1, 2, 3, 4, 5], weights=[2, 3, 4, 2, 1])[0],
                "booked_at": format_time(SEASON_START - timedelta(days=rng.uniform(3, 120))),
                "gear": gear,
                "shifts": _shifts(rng, job_id, day, show_days),
            }
        )
    return jobs


def _shifts(rng: random.Random, job_id: str, day: datetime, show_days: int) -> list[dict[str, Any]]:
    """Load-in, show and load-out calls: about five per job."""
    calls: list[tuple[str, int, int, float, float]] = []  # role, min level, count, start hour, end hour
    calls.append(("stagehand", 1, rng.randint(2, 4), 6, 14))
    if rng.random() < 0.6:
        calls.append(("rigger", rng.randint(2, 3), rng.randint(1, 2), 6, 14))
    show_day = 24 * rng.randrange(show_days)
    for role in rng.sample(
        ["audio-a1", "audio-a2", "lighting-ld", "video-v1", "camera-op"], k=rng.randint(2, 3)
    ):
        calls.append(
            (role, rng.choices([1, 2, 3, 4], weights=[1, 3, 3, 1])[0], 1, show_day + 12, show_day + 23)
        )
    last = 24 * (show_days - 1)
    calls.append(("stagehand", 1, rng.randint(2, 3), last + 22, last + 27))
    return [
        {
            "id": f"{job_id}/s{index + 1}",
            "role": role,
            "min_level": level,
            "count": count,
            "start": format_time(day + timedelta(hours=start)),
            "end": format_time(day + timedelta(hours=end)),
        }
        for index, (role, level, count, start, end) in enumerate(calls)
    ]


def _peak_demand(jobs: list[dict[str, Any]]) -> dict[str, int]:
    """The most units of each capability wanted at one moment (requirements' windows, no turnaround)."""
    events: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for job in jobs:
        for requirement in job["gear"]:
            events[requirement["capability"]].append((requirement["start"], requirement["quantity"]))
            events[requirement["capability"]].append((requirement["end"], -requirement["quantity"]))
    peaks = {}
    for capability, changes in events.items():
        level = peak = 0
        for _, change in sorted(changes, key=lambda item: (item[0], item[1])):
            level += change
            peak = max(peak, level)
        peaks[capability] = peak
    return peaks


def _products(
    rng: random.Random, capabilities: list[dict[str, Any]], jobs: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Two or three products per capability (the first the reference), owned at 55-90% of the peak."""
    peaks = _peak_demand(jobs)
    products, capability_json = [], []
    for capability in capabilities:
        peak = peaks.get(capability["id"], capability["quantity"])
        owned_total = max(1, round(peak * rng.uniform(0.55, 0.9)))
        providers = []
        shares = [0.6, 0.3, 0.1][: rng.randint(2, 3)]
        for rank, share in enumerate(shares):
            product_id = f"{capability['id']}-{'abc'[rank]}"
            out_of_service = []
            if rng.random() < 0.15:
                start = SEASON_START + timedelta(days=rng.randrange(7 * 4), hours=rng.choice([0, 8]))
                out_of_service.append(
                    {
                        "start": format_time(start),
                        "end": format_time(start + timedelta(days=rng.randint(2, 7))),
                        "quantity": rng.randint(1, 3),
                    }
                )
            products.append(
                {
                    "id": product_id,
                    "owned": max(1, round(owned_total * share / sum(shares))),
                    "turnaround_hours": rng.choice([0, 4, 12, 12, 24]),
                    "out_of_service": out_of_service,
                }
            )
            quality = 1.0 if rank == 0 else round(rng.uniform(0.6, 0.95), 2)
            providers.append({"product": product_id, "quality": quality})
        capability_json.append({"id": capability["id"], "providers": providers})
    # Some products stand in for a neighbouring capability of the same department at a lower quality.
    by_department: dict[str, list[int]] = defaultdict(list)
    for index, capability in enumerate(capabilities):
        by_department[capability["department"]].append(index)
    for index, capability in enumerate(capabilities):
        if rng.random() < 0.2:
            other = rng.choice(by_department[capability["department"]])
            product = capability_json[other]["providers"][0]["product"]
            if other != index and product not in {p["product"] for p in capability_json[index]["providers"]}:
                capability_json[index]["providers"].append({"product": product, "quality": 0.5})
    return products, capability_json


def _vendors(rng: random.Random, capabilities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Partners that sub-rent a third of the catalogue each, with lead times and limits."""
    vendors = []
    for name in VENDOR_NAMES[: max(2, min(len(VENDOR_NAMES), len(capabilities) // 20))]:
        offers = []
        for capability in capabilities:
            if rng.random() < 0.3:
                offers.append(
                    {
                        "capability": capability["id"],
                        "unit_cost_per_day": float(rng.choice([15, 20, 30, 45, 60, 90, 120, 180])),
                        "max_quantity": max(1, round(capability["quantity"] * rng.uniform(0.3, 1.0))),
                        "lead_time_hours": float(rng.choice([0, 24, 48, 72, 168])),
                    }
                )
        vendors.append({"id": name, "offers": offers})
    return vendors


def _crew(rng: random.Random, count: int, weeks: int) -> list[dict[str, Any]]:
    """Staff (cheaper, 40-50 h a week, some holidays) and freelancers (dearer, often busy elsewhere)."""
    crew = []
    staff_count = round(count * 150 / 400)
    departments = list(CREW_ROLES)
    for index in range(count):
        is_staff = index < staff_count
        department = rng.choices(departments, weights=[3, 3, 2, 2, 3])[0]
        skills = {
            role: rng.choices([1, 2, 3, 4, 5], weights=[2, 4, 4, 2, 1])[0] for role in CREW_ROLES[department]
        }
        if department != "general" and rng.random() < 0.7:
            skills["stagehand"] = rng.randint(1, 3)
        if rng.random() < 0.25:
            extra = rng.choice(departments)
            for role in CREW_ROLES[extra]:
                skills.setdefault(role, rng.randint(1, 2))
        unavailable = []
        for _ in range(rng.choices([0, 1, 2], weights=[6, 3, 1] if is_staff else [3, 4, 3])[0]):
            start = SEASON_START + timedelta(days=rng.randrange(max(1, 7 * weeks)))
            unavailable.append(
                {"start": format_time(start), "end": format_time(start + timedelta(days=rng.randint(1, 6)))}
            )
        member: dict[str, Any] = {
            "id": f"{'staff' if is_staff else 'free'}-{index + 1:04d}",
            "kind": "staff" if is_staff else "freelancer",
            "skills": skills,
            "day_rate": float(rng.randrange(250, 390, 10) if is_staff else rng.randrange(380, 660, 10)),
            "unavailable": unavailable,
        }
        if is_staff:
            member["max_hours_per_week"] = float(rng.choice([40, 45, 50]))
        elif rng.random() < 0.5:
            member["max_hours_per_week"] = 60.0
        crew.append(member)
    return crew
