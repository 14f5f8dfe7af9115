"""Generate the demo rows from the tables in ``gear`` and ``people``: plain dicts, no database.

Each entity has its own function and its own random stream (``random.Random(f"{seed}:{entity}")``), so that a
change to how crew are drawn does not reshuffle the jobs. Foreign keys are given by natural key (a client's
code, a product's SKU); ``load`` turns them into ids. All times are UTC, counted from the Monday that starts
the current UTC week, so two runs in the same week produce the same gear, crew and time off; jobs fill the 90
days from tomorrow, so two runs on the same day produce the same jobs.
"""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from rentalops.demo import gear, people

Row = dict[str, Any]

JOB_COUNT = 120
JOB_HORIZON_DAYS = 90
BOOKING_HISTORY_DAYS = 60
STAFF_COUNT = 60
FREELANCER_COUNT = 80
OUT_OF_SERVICE_COUNT = 16

STAFF_LEVEL_WEIGHTS = {1: 5, 2: 25, 3: 35, 4: 25, 5: 10}
FREELANCE_LEVEL_WEIGHTS = {1: 12, 2: 25, 3: 33, 4: 20, 5: 10}
PRIORITY_WEIGHTS = {1: 8, 2: 20, 3: 38, 4: 24, 5: 10}


@dataclass(frozen=True)
class Calendar:
    """Where the demo's dates hang: the start of this UTC week, and today as a day of that week."""

    week_start: datetime
    today_offset: int

    @classmethod
    def for_day(cls, today: date) -> "Calendar":
        monday = today - timedelta(days=today.weekday())
        return cls(week_start=datetime.combine(monday, time.min, tzinfo=UTC), today_offset=today.weekday())

    def at(self, day: int, hour: float = 0.0) -> datetime:
        """The moment ``hour`` hours into day ``day`` counted from the week's Monday."""
        return self.week_start + timedelta(days=day, hours=hour)

    def day(self, day: int) -> date:
        return (self.week_start + timedelta(days=day)).date()


def stream(seed: int, entity: str) -> random.Random:
    """The random stream of one entity."""
    return random.Random(f"{seed}:{entity}")


def money(value: float, step: int = 1) -> Decimal:
    """A price rounded to ``step`` whole units, as the rate card would print it."""
    return Decimal(max(step, round(value / step) * step)).quantize(Decimal("0.01"))


def share(value: float) -> Decimal:
    """A 0..1 score with three decimals."""
    return Decimal(str(round(value, 3))).quantize(Decimal("0.001"))


def _minus_months(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    return day.replace(year=month_index // 12, month=month_index % 12 + 1, day=min(day.day, 28))


# --- clients, venues, users ---------------------------------------------------------------------------------


def clients() -> list[Row]:
    rows = []
    for index, (code, name, _short, _kind, contact) in enumerate(people.CLIENTS):
        first = contact.split(" (")[0].replace("Dr ", "").replace("Prof. ", "").split()[0].lower()
        rows.append(
            {
                "code": code,
                "name": name,
                "contact_name": contact,
                "email": f"{first}@{code}.example",
                "phone": f"+44 20 7946 {index:04d}",
                "notes": "",
            }
        )
    return rows


def venues() -> list[Row]:
    return [
        {
            "code": code,
            "name": name,
            "city": city,
            "capacity": capacity,
            "address": "",
            "loading_notes": _loading_notes(kind),
        }
        for code, name, city, capacity, kind in people.VENUES
    ]


def _loading_notes(kind: str) -> str:
    notes = {
        "convention": "Dock access from the service yard; forklift and operator on request.",
        "hotel": "Goods lift to ballroom level (2.5 m door); no deliveries 11:00 to 14:00.",
        "arena": "Trucks straight onto the arena floor; rigging points need the venue's sign-off.",
        "theatre": "Get-in via the scene dock; fly tower and house rig available.",
        "studio": "Ground-floor loading bay; studio grid with 500 kg points.",
    }
    return notes[kind]


def users() -> list[Row]:
    return [
        {
            "username": username,
            "first_name": first,
            "last_name": last,
            "email": f"{first.lower()}.{last.lower()}@rentalops.example",
            "role": role,
            "is_superuser": superuser,
            "is_staff": superuser,
        }
        for username, first, last, role, superuser in people.DEMO_USERS
    ]


# --- gear ---------------------------------------------------------------------------------------------------


def categories() -> list[Row]:
    return [{"slug": slug, "name": name, "department": dept} for slug, name, dept in gear.CATEGORIES]


def capabilities() -> list[Row]:
    return [
        {"slug": slug, "name": name, "unit": unit, "description": description}
        for slug, name, unit, description in gear.CAPABILITIES
    ]


def products() -> list[Row]:
    department = {slug: dept for slug, _name, dept in gear.CATEGORIES}
    rows = []
    for sku, name, maker, category, owned, turnaround, replacement, _provides in gear.PRODUCTS:
        day_rate = replacement * gear.DAY_RATE_SHARE[department[category]]
        rows.append(
            {
                "sku": sku,
                "name": name if name.startswith(maker) else f"{maker} {name}",
                "manufacturer": maker,
                "category": category,
                "owned_quantity": owned,
                "turnaround_hours": Decimal(str(turnaround)).quantize(Decimal("0.1")),
                "replacement_value": money(replacement),
                "day_rate": money(day_rate, step=5),
                "active": True,
            }
        )
    return rows


def providers() -> list[Row]:
    return [
        {"capability": capability, "product": sku, "quality": share(quality)}
        for sku, *_rest, provides in gear.PRODUCTS
        for capability, quality in provides.items()
    ]


def out_of_service(seed: int, calendar: Calendar) -> list[Row]:
    rng = stream(seed, "out-of-service")
    chosen = rng.sample(sorted(gear.PRODUCTS), OUT_OF_SERVICE_COUNT)
    rows = []
    for sku, _name, _maker, _category, owned, *_rest in chosen:
        start_day = rng.randint(-3, 75)
        rows.append(
            {
                "product": sku,
                "quantity": rng.randint(1, max(1, owned // 8)),
                "start": calendar.at(start_day, 8),
                "end": calendar.at(start_day + rng.randint(2, 21), 17),
                "reason": rng.choice(gear.OUT_OF_SERVICE_REASONS),
            }
        )
    return rows


def vendors() -> list[Row]:
    return [
        {
            "code": code,
            "name": name,
            "contact_name": contact,
            "email": f"subhire@{code}.example",
            "phone": phone,
            "active": True,
        }
        for code, name, contact, phone, *_terms in gear.VENDORS
    ]


def vendor_offers(seed: int) -> list[Row]:
    rng = stream(seed, "vendor-offers")
    department = {slug: dept for slug, _name, dept in gear.CATEGORIES}
    preferred_rate: dict[str, Decimal] = {}
    capability_department: dict[str, str] = {}
    stock: dict[str, int] = {}
    rates = {row["sku"]: row["day_rate"] for row in products()}
    for sku, _name, _maker, category, owned, _turnaround, _value, provides in gear.PRODUCTS:
        for capability, quality in provides.items():
            stock[capability] = stock.get(capability, 0) + owned
            if quality == 1.0:
                preferred_rate[capability] = rates[sku]
                capability_department[capability] = department[category]
    rows = []
    for code, _name, _contact, _phone, departments, lead_times, markup, limit_share in gear.VENDORS:
        # Specialists stock most of their department; a generalist only the common items.
        carry_chance = 0.8 if len(departments) == 1 else 0.5
        for capability, *_described in gear.CAPABILITIES:
            if capability_department[capability] not in departments or rng.random() > carry_chance:
                continue
            rows.append(
                {
                    "vendor": code,
                    "capability": capability,
                    "unit_cost_per_day": money(float(preferred_rate[capability]) * rng.uniform(*markup)),
                    "lead_time_hours": rng.choice(lead_times),
                    "max_quantity": max(1, round(stock[capability] * limit_share * rng.uniform(0.5, 1.0))),
                }
            )
    return rows


# --- crew ---------------------------------------------------------------------------------------------------


def skills() -> list[Row]:
    return [
        {"slug": slug, "name": name, "department": dept, "description": ""}
        for slug, name, dept, *_weights in people.SKILLS
    ]


def certification_types() -> list[Row]:
    return [
        {"slug": slug, "name": name, "validity_months": months}
        for slug, name, months, _prefix in people.CERTIFICATION_TYPES
    ]


def _unique_names(rng: random.Random, count: int) -> list[tuple[str, str]]:
    names: list[tuple[str, str]] = []
    seen = set()
    while len(names) < count:
        name = (rng.choice(people.FIRST_NAMES), rng.choice(people.LAST_NAMES))
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def _career(rng: random.Random, speciality: str, level: int) -> dict[str, int]:
    """One strong skill and one or two weaker ones along the same career path; many can also hump boxes."""
    related = {slug: path for slug, _name, _dept, path, *_weights in people.SKILLS}[speciality]
    levels = {speciality: level}
    side_count = rng.choices([0, 1, 2], weights=[15, 55, 30])[0]
    for side in rng.sample(related, min(side_count, len(related))):
        levels[side] = max(1, level - rng.choice([1, 1, 2]))
    if "stagehand" not in levels and rng.random() < 0.4:
        levels["stagehand"] = rng.choice([2, 3])
    return levels


def crew(seed: int) -> tuple[list[Row], list[Row]]:
    """Staff and freelancers, and their levels: (crew rows, crew-skill rows)."""
    rng = stream(seed, "crew")
    slugs = [slug for slug, *_rest in people.SKILLS]
    staff_weights = [entry[4] for entry in people.SKILLS]
    freelance_weights = [entry[5] for entry in people.SKILLS]
    people_rows: list[Row] = []
    level_rows: list[Row] = []
    for index, (first, last) in enumerate(_unique_names(rng, STAFF_COUNT + FREELANCER_COUNT)):
        is_staff = index < STAFF_COUNT
        number = index + 1 if is_staff else index - STAFF_COUNT + 1
        code = f"staff-{number:03d}" if is_staff else f"freelance-{number:03d}"
        level_weights = STAFF_LEVEL_WEIGHTS if is_staff else FREELANCE_LEVEL_WEIGHTS
        speciality = rng.choices(slugs, weights=staff_weights if is_staff else freelance_weights)[0]
        level = rng.choices(list(level_weights), weights=list(level_weights.values()))[0]
        base_rate = people.LEVEL_DAY_RATE[level] * people.SKILL_RATE_FACTOR.get(speciality, 1.0)
        handle = f"{first}.{last}".lower().replace("'", "")
        if is_staff:
            # Payroll cost per day: below a freelancer's rate at the same level, whatever the draw.
            day_rate = money(base_rate * 0.8 * rng.uniform(0.95, 1.05), step=5)
            hours = rng.choice([40, 45, 48, 48, 50])
            reliability = rng.uniform(0.95, 1.0)
            email = f"{handle}@crew.rentalops.example"
            home_base = rng.choice(people.STAFF_BASES)
        else:
            day_rate = money(base_rate * rng.uniform(1.0, 1.15), step=5)
            hours = rng.choice([None, 50, 60, 60, 72])
            reliability = 0.6 + 0.4 * rng.betavariate(4, 1.6)
            email = f"{handle}@freelance.example"
            home_base = rng.choice(people.FREELANCE_BASES)
        people_rows.append(
            {
                "code": code,
                "first_name": first,
                "last_name": last,
                "kind": "staff" if is_staff else "freelancer",
                "day_rate": day_rate,
                "max_hours_per_week": hours,
                "reliability": share(reliability),
                "email": email,
                "phone": f"+44 7700 900{index:03d}",
                "home_base": home_base,
                "active": True,
            }
        )
        for skill, skill_level in _career(rng, speciality, level).items():
            level_rows.append({"crew": code, "skill": skill, "level": skill_level})
    return people_rows, level_rows


def certifications(seed: int, calendar: Calendar, crew_skills: list[Row]) -> list[Row]:
    rng = stream(seed, "certifications")
    types = {slug: (months, prefix) for slug, _name, months, prefix in people.CERTIFICATION_TYPES}
    held_skills: dict[str, list[str]] = {}
    for row in crew_skills:
        held_skills.setdefault(row["crew"], []).append(row["skill"])
    monday = calendar.day(0)
    rows = []
    for code, skill_slugs in held_skills.items():
        held = set()
        for skill in skill_slugs:
            for certification_type, chance in people.CERTIFICATES_BY_SKILL.get(skill, []):
                if rng.random() < chance:
                    held.add(certification_type)
        if rng.random() < 0.25:
            held.add("first-aid")
        for certification_type in sorted(held):
            months, prefix = types[certification_type]
            draw = rng.random()
            # A few lapsed, a good handful due within a month (renewals to book), the rest spread out.
            if draw < 0.07:
                days_left = rng.randint(-60, -1)
            elif draw < 0.22:
                days_left = rng.randint(0, 30)
            else:
                days_left = rng.randint(31, months * 30 - 30)
            expires_on = monday + timedelta(days=days_left)
            rows.append(
                {
                    "crew": code,
                    "certification_type": certification_type,
                    "number": f"{prefix}-{rng.randint(100000, 999999)}",
                    "issued_on": _minus_months(expires_on, months),
                    "expires_on": expires_on,
                }
            )
    return rows


def unavailability(seed: int, calendar: Calendar, crew_rows: list[Row]) -> list[Row]:
    rng = stream(seed, "unavailability")
    rows = []
    for person in crew_rows:
        reasons = people.HOLIDAY_REASONS if person["kind"] == "staff" else people.FREELANCE_AWAY_REASONS
        next_free_day = -2
        for chance, shortest, longest in ((0.45, 3, 14), (0.15, 1, 4)):
            if rng.random() >= chance:
                continue
            start_day = next_free_day + rng.randint(0, 60)
            end_day = start_day + rng.randint(shortest, longest)
            if end_day > JOB_HORIZON_DAYS + 7:
                continue
            rows.append(
                {
                    "crew": person["code"],
                    "start": calendar.at(start_day),
                    "end": calendar.at(end_day),
                    "reason": rng.choice(reasons),
                }
            )
            next_free_day = end_day + 3
    return rows


# --- jobs ---------------------------------------------------------------------------------------------------


def jobs(seed: int, calendar: Calendar) -> list[Row]:
    """JOB_COUNT shows over the next JOB_HORIZON_DAYS, denser in the peak weeks, coded in booking order."""
    rng = stream(seed, "jobs")
    venues_by_kind: dict[str, list[tuple[str, str, str, int, str]]] = {}
    for venue in people.VENUES:
        venues_by_kind.setdefault(venue[4], []).append(venue)
    # The first show day leaves room for a load-in the day before, tomorrow at the earliest.
    first_day = calendar.today_offset + 2
    last_day = calendar.today_offset + JOB_HORIZON_DAYS
    titles: set[str] = set()
    rows = []
    for _ in range(JOB_COUNT):
        _code, _name, short, kind, _contact = client = rng.choice(people.CLIENTS)
        suffix, event_type = rng.choice(people.EVENTS[kind])
        start_hour, end_hour, fewest_days, most_days, venue_kinds, weekday_weights = people.EVENT_TYPES[
            event_type
        ]
        show_days = rng.randint(fewest_days, most_days)
        days = list(range(first_day, last_day - show_days + 2))
        weights = [people.PEAK_WEEKS.get(day // 7, 1.0) * weekday_weights[day % 7] for day in days]
        show_day = rng.choices(days, weights=weights)[0]
        venue = rng.choice([v for kind_ in venue_kinds for v in venues_by_kind.get(kind_, [])])
        show_start = calendar.at(show_day, start_hour)
        show_end = calendar.at(show_day + show_days - 1, end_hour)
        if start_hour >= 14 and show_days == 1 and rng.random() < 0.55:
            load_in = calendar.at(show_day, rng.choice([7, 8, 9]))
        else:
            load_in = calendar.at(show_day - 1, rng.choice([8, 10, 13, 16]))
        if rng.random() < 0.65:
            load_out = show_end + timedelta(hours=1)
        else:
            load_out = calendar.at(show_day + show_days, 8)
        rows.append(
            {
                "client": client[0],
                "venue": venue[0],
                "title": _job_title(short, suffix, kind, show_start, venue[2], titles),
                "status": _job_status(rng, show_day - calendar.today_offset),
                "priority": _job_priority(rng, kind),
                "load_in": load_in,
                "show_start": show_start,
                "show_end": show_end,
                "load_out": load_out,
                "booked_at": calendar.at(
                    calendar.today_offset - rng.randint(1, BOOKING_HISTORY_DAYS),
                    rng.randint(8, 18) + rng.choice([0, 0.25, 0.5, 0.75]),
                ),
                "notes": "",
                # Not a Job field: what the demo sells on the job's order (see rentalops.demo.orders).
                "_event": (event_type, venue[3], show_days),
            }
        )
    rows.sort(key=lambda row: (row["booked_at"], row["title"]))
    for number, row in enumerate(rows, start=1001):
        row["code"] = f"D-{number}"
    return rows


def _job_title(short: str, suffix: str, kind: str, show_start: datetime, city: str, taken: set[str]) -> str:
    if suffix == "Sales Kickoff":
        title = f"{short} Q{(show_start.month - 1) // 3 + 1} Sales Kickoff"
    elif suffix in ("Annual Congress", "Members' Conference"):
        title = f"{short} {suffix} {show_start.year}"
    elif kind == "touring":
        title = f"{short} {suffix}, {city}"
    else:
        title = f"{short} {suffix}"
    if title in taken:
        title = f"{title}, {city}"
    base, repeat = title, 2
    while title in taken:
        title, repeat = f"{base} ({repeat})", repeat + 1
    taken.add(title)
    return title


def _job_status(rng: random.Random, days_until_show: int) -> str:
    """Mostly inquiries far out and confirmations close in; the nearest confirmed jobs are already in prep."""
    if rng.random() < 0.03:
        return "cancelled"
    confirmed_chance = 0.85 if days_until_show <= 14 else 0.65 if days_until_show <= 45 else 0.35
    if rng.random() >= confirmed_chance:
        return "inquiry"
    if days_until_show <= 7 and rng.random() < 0.6:
        return "in_prep"
    return "confirmed"


def _job_priority(rng: random.Random, client_kind: str) -> int:
    priority = rng.choices(list(PRIORITY_WEIGHTS), weights=list(PRIORITY_WEIGHTS.values()))[0]
    # A tour date or a live broadcast cannot slip: their shortages hurt more.
    if client_kind in ("touring", "broadcast") and rng.random() < 0.5:
        priority = min(5, priority + 1)
    return priority
