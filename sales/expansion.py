"""Outcome -> requirements: the interface the order services use (implemented in this module)."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from statistics import median

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from jobs.models import CapabilityProvider, VendorOffer
from labor.models import CrewMember, CrewSkill
from sales.expressions import ExpressionError, compile_expression
from sales.models import OutcomeTemplate, TemplateParameter, TemplateRule

MIN_WINDOW = timedelta(hours=1)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Timeline:
    """The order's four moments; rule windows are relative to them."""

    load_in: datetime
    show_start: datetime
    show_end: datetime
    load_out: datetime


@dataclass(frozen=True)
class GearNeed:
    """A capability quantity over a window, to be stored as a jobs.GearRequirement."""

    key: str
    capability_id: int
    quantity: int
    start: datetime
    end: datetime
    label: str


@dataclass(frozen=True)
class CrewNeed:
    """A crew shift, to be stored as a labor.Shift."""

    key: str
    skill_id: int
    min_level: int
    count: int
    start: datetime
    end: datetime
    label: str


class ParameterError(ValueError):
    """Parameters that do not fit a template; ``errors`` maps each bad parameter name to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))


class ExpansionError(ParameterError):
    """A rule that cannot be evaluated for these parameters (division by zero, a negative quantity...)."""


# --- parameters -------------------------------------------------------------------------------------------

_TRUE_WORDS = {"true", "yes", "on", "1", "y"}
_FALSE_WORDS = {"false", "no", "off", "0", "n", ""}


def _number_text(value: Decimal, kind: str) -> str:
    if kind == TemplateParameter.Kind.INTEGER or value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.normalize():f}"


def _coerce(parameter: TemplateParameter, raw: object) -> int | float | bool:
    """One value in the parameter's kind; raises ValueError with the rep's message."""
    label = parameter.label or parameter.name.replace("_", " ").capitalize()
    if parameter.kind == TemplateParameter.Kind.BOOLEAN:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, int | float | Decimal) and raw in (0, 1):
            return bool(raw)
        if isinstance(raw, str) and raw.strip().lower() in _TRUE_WORDS | _FALSE_WORDS:
            return raw.strip().lower() in _TRUE_WORDS
        raise ValueError(f"{label} must be yes or no.")
    whole = parameter.kind == TemplateParameter.Kind.INTEGER
    wrong = f"{label} must be a whole number." if whole else f"{label} must be a number."
    if isinstance(raw, bool) or not isinstance(raw, int | float | Decimal | str):
        raise ValueError(wrong)
    try:
        value = Decimal(str(raw).strip().replace(",", "")) if isinstance(raw, str) else Decimal(str(raw))
    except InvalidOperation:
        raise ValueError(wrong) from None
    if not value.is_finite() or (whole and value != value.to_integral_value()):
        raise ValueError(wrong)
    if parameter.minimum is not None and value < parameter.minimum:
        raise ValueError(f"{label} must be at least {_number_text(parameter.minimum, parameter.kind)}.")
    if parameter.maximum is not None and value > parameter.maximum:
        raise ValueError(f"{label} must be at most {_number_text(parameter.maximum, parameter.kind)}.")
    return int(value) if whole else float(value)


def _blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def clean_parameters(template: OutcomeTemplate, raw: dict) -> dict[str, float | bool]:
    """The rep's input as typed values, defaults filled in; ParameterError names every bad parameter.

    Integers come back as ``int`` (JSON-friendly for OrderOutcome.parameters); a parameter that is neither
    given, required nor defaulted is 0 (or no).
    """
    if not isinstance(raw, dict):
        raise ParameterError({"parameters": "Parameters must be a set of names and values."})
    parameters = list(template.parameters.all())
    known = {parameter.name for parameter in parameters}
    errors: dict[str, str] = {}
    for name in raw:
        if name not in known:
            listed = ", ".join(sorted(known)) or "none"
            errors[str(name)] = f"{template.name} has no parameter '{name}' (its parameters: {listed})."
    cleaned: dict[str, float | bool] = {}
    for parameter in parameters:
        label = parameter.label or parameter.name.replace("_", " ").capitalize()
        value = raw.get(parameter.name)
        if _blank(value):
            if parameter.default is not None:
                value = parameter.default
            elif parameter.required:
                errors[parameter.name] = f"{label} is required."
                continue
            else:
                cleaned[parameter.name] = False if parameter.kind == TemplateParameter.Kind.BOOLEAN else 0
                continue
        try:
            cleaned[parameter.name] = _coerce(parameter, value)
        except ValueError as error:
            errors[parameter.name] = str(error)
    if errors:
        raise ParameterError(errors)
    return cleaned


# --- expansion --------------------------------------------------------------------------------------------


def show_days(timeline: Timeline) -> list[date]:
    """The show's calendar days in the project's time zone; a show ending at midnight ends the day before."""
    first = timezone.localtime(timeline.show_start).date()
    last = timezone.localtime(timeline.show_end - timedelta(microseconds=1)).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)] if last >= first else [first]


def _builtins(timeline: Timeline) -> dict[str, float]:
    hours = (timeline.show_end - timeline.show_start).total_seconds() / 3600
    return {"show_days": len(show_days(timeline)), "show_hours": round(hours, 4)}


def _anchor(timeline: Timeline, anchor: str) -> datetime:
    return getattr(timeline, anchor)


def _once_window(rule: TemplateRule, timeline: Timeline) -> tuple[datetime, datetime]:
    start = _anchor(timeline, rule.start_anchor) + timedelta(hours=float(rule.start_offset_hours))
    end = _anchor(timeline, rule.end_anchor) + timedelta(hours=float(rule.end_offset_hours))
    # An unusual timeline (load-in at show start) may fold a window that the sample day accepted; the order
    # must still save, so the window keeps at least an hour rather than failing.
    return start, max(end, start + MIN_WINDOW)


def _day_window(rule: TemplateRule, timeline: Timeline, day: date) -> tuple[datetime, datetime]:
    """The anchors' times of day placed on ``day``; an end before the start runs into the next morning."""

    def on_day(anchor: str, offset: Decimal) -> datetime:
        local = timezone.localtime(_anchor(timeline, anchor))
        moment = timezone.make_aware(datetime.combine(day, local.time().replace(tzinfo=None)))
        return moment + timedelta(hours=float(offset))

    start = on_day(rule.start_anchor, rule.start_offset_hours)
    end = on_day(rule.end_anchor, rule.end_offset_hours)
    while end <= start:
        if end == start:
            end = start + MIN_WINDOW
            break
        end += timedelta(days=1)
    return start, end


def _lower_first(name: str) -> str:
    """'Wash light' -> 'wash light', but 'LED wall panel' and 'A1 audio engineer' stay as they are."""
    first_word = name.split(" ", 1)[0]
    if len(first_word) > 1 and (
        first_word[1:].lower() != first_word[1:] or any(c.isdigit() for c in first_word)
    ):
        return name
    return name[:1].lower() + name[1:]


def _rule_subjects(rules: list[TemplateRule]) -> dict[int, str]:
    """Words for each rule: its capability or skill, with the key added where two rules share one."""
    subject = {
        rule.pk: _lower_first(
            rule.capability.name if rule.kind == TemplateRule.Kind.GEAR else rule.skill.name
        )
        for rule in rules
    }
    shared = Counter(subject.values())
    return {
        pk: f"{words} ({rule.key})" if shared[words] > 1 else words
        for pk, words, rule in ((r.pk, subject[r.pk], r) for r in rules)
    }


def _prepared(templates: list[OutcomeTemplate]) -> dict[int, tuple[list, dict[int, str]]]:
    """Per template: its rules with compiled expressions, and their words; two queries for all templates."""
    distinct = list({template.pk: template for template in templates}.values())
    missing = [
        t
        for t in distinct
        if not hasattr(t, "_prefetched_objects_cache") or "rules" not in t._prefetched_objects_cache
    ]
    if missing:
        prefetch_related_objects(
            missing, Prefetch("rules", queryset=TemplateRule.objects.select_related("capability", "skill"))
        )
    missing = [t for t in distinct if "parameters" not in getattr(t, "_prefetched_objects_cache", {})]
    if missing:
        prefetch_related_objects(missing, "parameters")
    prepared = {}
    for template in distinct:
        names = {parameter.name for parameter in template.parameters.all()}
        rules = sorted(template.rules.all(), key=lambda rule: (rule.position, rule.key))
        compiled = []
        for rule in rules:
            try:
                quantity = compile_expression(rule.quantity, names)
                condition = compile_expression(rule.condition, names) if rule.condition.strip() else None
            except ExpressionError as error:
                raise ExpansionError({"__all__": f"{template.name}, rule '{rule.key}': {error}."}) from None
            compiled.append((rule, quantity, condition))
        prepared[template.pk] = (compiled, _rule_subjects(rules))
    return prepared


def _quantity(template: OutcomeTemplate, rule: TemplateRule, quantity, condition, variables) -> int:
    """Whole units for the rule (0 when its condition does not hold)."""
    try:
        if condition is not None and not condition.holds(variables):
            return 0
        value = quantity.evaluate(variables)
    except ExpressionError as error:
        raise ExpansionError({"__all__": f"{template.name}, rule '{rule.key}': {error}."}) from None
    if value < 0:
        raise ExpansionError(
            {"__all__": f"{template.name}, rule '{rule.key}': the quantity comes out negative ({value:g})."}
        )
    # Round away float noise first (0.1 * 30 is 3.0000000000000004) so that it does not add a unit.
    return math.ceil(round(value, 6))


def expand_outcomes(
    outcomes: list[tuple[OutcomeTemplate, dict]], timeline: Timeline
) -> tuple[list[GearNeed], list[CrewNeed]]:
    """What the outcomes need; keys ``o{i}-{rule}`` (``-d{n}`` per show day) are stable."""
    prepared = _prepared([template for template, _ in outcomes])
    days = show_days(timeline)
    builtins = _builtins(timeline)
    gear: list[GearNeed] = []
    crew: list[CrewNeed] = []
    for number, (template, raw) in enumerate(outcomes, start=1):
        variables = {**builtins, **clean_parameters(template, raw)}
        compiled, subjects = prepared[template.pk]
        for rule, quantity_expression, condition in compiled:
            quantity = _quantity(template, rule, quantity_expression, condition, variables)
            if quantity == 0:
                continue
            label = f"{template.name}: {subjects[rule.pk]}"
            if rule.repeat == TemplateRule.Repeat.PER_SHOW_DAY:
                windows = [
                    (
                        f"o{number}-{rule.key}-d{n}",
                        f"{label}, day {n}" if len(days) > 1 else label,
                        _day_window(rule, timeline, day),
                    )
                    for n, day in enumerate(days, start=1)
                ]
            else:
                windows = [(f"o{number}-{rule.key}", label, _once_window(rule, timeline))]
            for key, words, (start, end) in windows:
                if rule.kind == TemplateRule.Kind.GEAR:
                    gear.append(GearNeed(key, rule.capability_id, quantity, start, end, words))
                else:
                    crew.append(CrewNeed(key, rule.skill_id, rule.min_level, quantity, start, end, words))
    return gear, crew


# --- estimates before the first plan ----------------------------------------------------------------------


def days_touched(start: datetime, end: datetime) -> int:
    """Calendar days (project time zone) a window touches: 22:00 to 02:00 touches two."""
    first = timezone.localtime(start).date()
    last = timezone.localtime(max(end - timedelta(microseconds=1), start)).date()
    return (last - first).days + 1


def gear_prices(capability_ids: set[int]) -> dict[int, Decimal]:
    """Each capability's day rate for an estimate: its best provider's (highest quality, then cheapest),
    or its cheapest vendor offer when no owned product provides it."""
    best: dict[int, Decimal] = {}
    providers = (
        CapabilityProvider.objects.filter(capability_id__in=capability_ids, product__active=True)
        .order_by("capability_id", "-quality", "product__day_rate")
        .values_list("capability_id", "product__day_rate")
    )
    for capability_id, day_rate in providers:
        best.setdefault(capability_id, day_rate)
    unpriced = capability_ids - set(best)
    if unpriced:
        offers = (
            VendorOffer.objects.filter(capability_id__in=unpriced, vendor__active=True)
            .order_by("capability_id", "unit_cost_per_day")
            .values_list("capability_id", "unit_cost_per_day")
        )
        for capability_id, cost in offers:
            best.setdefault(capability_id, cost)
    return best


def estimate_gear_cost(needs: list[GearNeed], prices: dict[int, Decimal] | None = None) -> Decimal:
    """Day rate of the best provider (highest quality, then cheapest) x quantity x days touched.

    A capability no owned product provides is priced at its cheapest vendor offer. ``prices`` (from
    ``gear_prices``) saves the queries when many orders are estimated at once.
    """
    if prices is None:
        prices = gear_prices({need.capability_id for need in needs})
    total = sum(
        (
            prices.get(need.capability_id, Decimal(0)) * need.quantity * days_touched(need.start, need.end)
            for need in needs
        ),
        Decimal(0),
    )
    return total.quantize(CENT)


def crew_rates(skill_ids: set[int]) -> dict[tuple[int, int, str], Decimal]:
    """The median day rate of active people by (skill, least level, kind), for crew estimates."""
    rows = CrewSkill.objects.filter(skill_id__in=skill_ids, crew__active=True).values_list(
        "skill_id", "level", "crew__kind", "crew__day_rate"
    )
    rates: dict[tuple[int, int, str], list[Decimal]] = {}
    for skill_id, level, kind, day_rate in rows:
        for min_level in range(1, level + 1):
            rates.setdefault((skill_id, min_level, kind), []).append(day_rate)
    return {key: Decimal(median(values)) for key, values in rates.items()}


def estimate_crew_cost(
    needs: list[CrewNeed], rates: dict[tuple[int, int, str], Decimal] | None = None
) -> Decimal:
    """Median day rate of active staff with the skill at the level or above (else freelancers) x count x days.

    A skill nobody holds adds nothing: the plan prices it as over-hire once it exists. ``rates`` (from
    ``crew_rates``) saves the query when many orders are estimated at once.
    """
    if rates is None:
        rates = crew_rates({need.skill_id for need in needs})
    total = Decimal(0)
    for need in needs:
        found = rates.get((need.skill_id, need.min_level, CrewMember.Kind.STAFF)) or rates.get(
            (need.skill_id, need.min_level, CrewMember.Kind.FREELANCER)
        )
        if found:
            total += found * need.count * days_touched(need.start, need.end)
    return total.quantize(CENT)
