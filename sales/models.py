"""Outcome templates with their parameters and rules, and the outcome-based orders sales reps sell."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from rentalops.models import TimeStampedModel


class OutcomeTemplate(TimeStampedModel):
    """An outcome a rep can sell ("General session", "Concert PA"), expanded by rules into requirements."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TemplateParameter(TimeStampedModel):
    """A typed input of a template that a rep fills in (attendees, screens, stream yes/no)."""

    class Kind(models.TextChoices):
        INTEGER = "integer", "Whole number"
        DECIMAL = "decimal", "Number"
        BOOLEAN = "boolean", "Yes / no"

    template = models.ForeignKey(OutcomeTemplate, on_delete=models.CASCADE, related_name="parameters")
    name = models.SlugField(
        max_length=40, help_text="Identifier used in rule expressions: lower case letters, digits and _."
    )
    label = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.INTEGER)
    default = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    minimum = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    maximum = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    required = models.BooleanField(default=True)
    help_text = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["template", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "name"],
                name="%(app_label)s_%(class)s_unique_name_per_template",
                violation_error_message="This template already has a parameter with this name.",
            ),
            models.CheckConstraint(
                condition=Q(minimum__isnull=True) | Q(maximum__isnull=True) | Q(maximum__gte=F("minimum")),
                name="%(app_label)s_%(class)s_maximum_not_below_minimum",
                violation_error_message="The maximum cannot be below the minimum.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template.slug}.{self.name}"


class Anchor(models.TextChoices):
    """A moment of the order's timeline that rule windows are relative to."""

    LOAD_IN = "load_in", "Load-in"
    SHOW_START = "show_start", "Show start"
    SHOW_END = "show_end", "Show end"
    LOAD_OUT = "load_out", "Load-out"


class TemplateRule(TimeStampedModel):
    """One line of a template's expansion: gear (capability x quantity) or crew (skill, level, count).

    ``quantity`` and ``condition`` are expressions in the restricted language of ``sales.expressions`` over
    the template's parameters (and ``show_days`` / ``show_hours``), validated when saved.
    """

    class Kind(models.TextChoices):
        GEAR = "gear", "Gear"
        CREW = "crew", "Crew"

    class Repeat(models.TextChoices):
        ONCE = "once", "Once for the job"
        PER_SHOW_DAY = "per_show_day", "Once per show day"

    template = models.ForeignKey(OutcomeTemplate, on_delete=models.CASCADE, related_name="rules")
    key = models.SlugField(max_length=40, help_text="Stable name of the rule within the template.")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    capability = models.ForeignKey(
        "jobs.Capability", on_delete=models.PROTECT, null=True, blank=True, related_name="template_rules"
    )
    skill = models.ForeignKey(
        "labor.Skill", on_delete=models.PROTECT, null=True, blank=True, related_name="template_rules"
    )
    min_level = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    quantity = models.CharField(
        max_length=300, help_text="Units (gear) or people (crew), e.g. 4 + ceil(attendees / 150) * 2."
    )
    condition = models.CharField(
        max_length=300,
        blank=True,
        help_text="Optional: the rule applies only when this is true, e.g. stream.",
    )
    start_anchor = models.CharField(max_length=20, choices=Anchor.choices, default=Anchor.LOAD_IN)
    start_offset_hours = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal("0"))
    end_anchor = models.CharField(max_length=20, choices=Anchor.choices, default=Anchor.LOAD_OUT)
    end_offset_hours = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal("0"))
    repeat = models.CharField(max_length=20, choices=Repeat.choices, default=Repeat.ONCE)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["template", "position", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "key"],
                name="%(app_label)s_%(class)s_unique_key_per_template",
                violation_error_message="This template already has a rule with this key.",
            ),
            models.CheckConstraint(
                condition=(Q(kind="gear") & Q(capability__isnull=False) & Q(skill__isnull=True))
                | (
                    Q(kind="crew")
                    & Q(skill__isnull=False)
                    & Q(min_level__isnull=False)
                    & Q(capability__isnull=True)
                ),
                name="%(app_label)s_%(class)s_gear_names_capability_crew_names_skill",
                violation_error_message="A gear rule names a capability; a crew rule a skill and a level.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template.slug}:{self.key}"

    def clean(self) -> None:
        from sales.expressions import validate_rule

        validate_rule(self)


class Order(TimeStampedModel):
    """An outcome-based order: client, venue, dates, price and the outcomes sold. Never blocked by stock."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        CONFIRMED = "confirmed", "Confirmed"
        CHANGED = "changed", "Changed"
        CANCELLED = "cancelled", "Cancelled"

    code = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=200)
    client = models.ForeignKey("jobs.Client", on_delete=models.PROTECT, related_name="orders")
    venue = models.ForeignKey("jobs.Venue", on_delete=models.PROTECT, related_name="orders")
    job = models.OneToOneField("jobs.Job", on_delete=models.PROTECT, related_name="order")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    version = models.PositiveIntegerField(default=1)
    price = models.DecimalField(max_digits=12, decimal_places=2)
    priority = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    load_in = models.DateTimeField()
    show_start = models.DateTimeField()
    show_end = models.DateTimeField()
    load_out = models.DateTimeField()
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(price__gte=0),
                name="%(app_label)s_%(class)s_price_not_negative",
                violation_error_message="The price cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(show_start__gte=F("load_in"))
                & Q(show_end__gt=F("show_start"))
                & Q(load_out__gte=F("show_end")),
                name="%(app_label)s_%(class)s_timeline_in_order",
                violation_error_message="Load-in, show start, show end and load-out must come in that order.",
            ),
            models.CheckConstraint(
                condition=Q(priority__gte=1) & Q(priority__lte=5),
                name="%(app_label)s_%(class)s_priority_1_to_5",
                violation_error_message="Priority runs from 1 (low) to 5 (high).",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CANCELLED


class OrderOutcome(TimeStampedModel):
    """One outcome sold on an order: a template and the parameters the rep filled in."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="outcomes")
    template = models.ForeignKey(OutcomeTemplate, on_delete=models.PROTECT, related_name="order_outcomes")
    parameters = models.JSONField(default=dict)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "position"]

    def __str__(self) -> str:
        return f"{self.order.code}: {self.template.name}"


class OrderVersion(models.Model):
    """A snapshot of an order as saved at one version: the history, and what a conflict page compares."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    snapshot = models.JSONField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "version"],
                name="%(app_label)s_%(class)s_one_snapshot_per_version",
                violation_error_message="This version of the order is already recorded.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order.code} v{self.version}"
