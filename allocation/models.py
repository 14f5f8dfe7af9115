"""Solve requests, plan runs and their lines, and the lease that keeps two solvers from running at once."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from rentalops.models import TimeStampedModel


class SolveRequest(models.Model):
    """A change that asks for a re-plan, written in the change's transaction; the solve task drains it."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        RUNNING = "running", "Being solved"
        DONE = "done", "Done"

    reason = models.CharField(max_length=200)
    order = models.ForeignKey(
        "sales.Order", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    plan = models.ForeignKey(
        "PlanRun", on_delete=models.SET_NULL, null=True, blank=True, related_name="requests"
    )

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.reason} ({self.state})"


class SolverLease(models.Model):
    """The one row whose holder may solve; a lease expires so a killed worker never blocks re-planning."""

    holder = models.CharField(max_length=120, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"solver lease held by {self.holder or 'nobody'}"


class PlanRun(TimeStampedModel):
    """One solve across all open jobs: its outcome, the exact scenario it saw and the plan it proposed."""

    class State(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        PUBLISHED = "published", "Published"
        SUPERSEDED = "superseded", "Superseded"
        DISCARDED = "discarded", "Discarded"
        RETIRED = "retired", "Previously published"
        FAILED = "failed", "No plan"

    trigger = models.CharField(max_length=300)
    state = models.CharField(max_length=12, choices=State.choices, db_index=True)
    status = models.CharField(max_length=24, help_text="The solver's status, or 'error'.")
    message = models.TextField(blank=True)
    solver = models.CharField(max_length=20, default="cpsat")
    objective = models.FloatField(null=True, blank=True)
    bound = models.FloatField(null=True, blank=True)
    gap = models.FloatField(null=True, blank=True)
    solve_seconds = models.FloatField(default=0)
    costs = models.JSONField(default=dict)
    conflicts = models.JSONField(default=list, blank=True)
    scenario = models.JSONField(help_text="The exact scenario solved, in the format of SCENARIO.md.")
    plan = models.JSONField(default=dict, help_text="The plan, in the format of SCENARIO.md.")
    order_versions = models.JSONField(default=dict, help_text="Order id -> the version this solve saw.")
    job_count = models.PositiveIntegerField(default=0)
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The published plan this solve started from.",
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = "created_at"
        constraints = [
            models.UniqueConstraint(
                fields=["state"],
                condition=Q(state="published"),
                name="%(app_label)s_%(class)s_one_published",
                violation_error_message="Only one plan can be published at a time.",
            ),
        ]

    def __str__(self) -> str:
        return f"Plan #{self.pk} ({self.get_state_display()}, {self.status})"

    @property
    def has_solution(self) -> bool:
        return self.status in ("optimal", "feasible")


class PlanGear(models.Model):
    """Units of an owned product a plan places on a requirement."""

    plan = models.ForeignKey(PlanRun, on_delete=models.CASCADE, related_name="gear")
    requirement = models.ForeignKey("jobs.GearRequirement", on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey("jobs.Product", on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.quantity} x product {self.product_id} on requirement {self.requirement_id}"


class PlanSubRental(models.Model):
    """Units a plan sub-rents from a vendor for a requirement."""

    plan = models.ForeignKey(PlanRun, on_delete=models.CASCADE, related_name="subrentals")
    requirement = models.ForeignKey("jobs.GearRequirement", on_delete=models.CASCADE, related_name="+")
    vendor = models.ForeignKey("jobs.Vendor", on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.quantity} from vendor {self.vendor_id} for requirement {self.requirement_id}"


class PlanShortage(models.Model):
    """Units of a requirement that a plan leaves uncovered."""

    plan = models.ForeignKey(PlanRun, on_delete=models.CASCADE, related_name="shortages")
    requirement = models.ForeignKey("jobs.GearRequirement", on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.quantity} short on requirement {self.requirement_id}"


class PlanCrew(models.Model):
    """A person a plan places on a shift (a freelancer here is a proposal until an offer is accepted)."""

    plan = models.ForeignKey(PlanRun, on_delete=models.CASCADE, related_name="crew")
    shift = models.ForeignKey("labor.Shift", on_delete=models.CASCADE, related_name="+")
    crew = models.ForeignKey("labor.CrewMember", on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"crew {self.crew_id} on shift {self.shift_id}"


class PlanUnfilled(models.Model):
    """People a plan still misses on a shift: an over-hire need."""

    plan = models.ForeignKey(PlanRun, on_delete=models.CASCADE, related_name="unfilled")
    shift = models.ForeignKey("labor.Shift", on_delete=models.CASCADE, related_name="+")
    missing = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.missing} missing on shift {self.shift_id}"


class Pin(TimeStampedModel):
    """A planner's decision every plan keeps: units of a product on a requirement, or a person on a shift."""

    requirement = models.ForeignKey(
        "jobs.GearRequirement", on_delete=models.CASCADE, null=True, blank=True, related_name="pins"
    )
    product = models.ForeignKey(
        "jobs.Product", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    quantity = models.IntegerField(null=True, blank=True)
    shift = models.ForeignKey(
        "labor.Shift", on_delete=models.CASCADE, null=True, blank=True, related_name="pins"
    )
    crew = models.ForeignKey(
        "labor.CrewMember", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(requirement__isnull=False, product__isnull=False, quantity__isnull=False)
                    & Q(shift__isnull=True, crew__isnull=True)
                )
                | (
                    Q(shift__isnull=False, crew__isnull=False)
                    & Q(requirement__isnull=True, product__isnull=True, quantity__isnull=True)
                ),
                name="%(app_label)s_%(class)s_exactly_one_kind",
                violation_error_message="A pin is either a product on a requirement or a person on a shift.",
            ),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gte=0),
                name="%(app_label)s_%(class)s_quantity_not_negative",
                violation_error_message="A pinned quantity cannot be negative.",
            ),
            models.UniqueConstraint(
                fields=["requirement", "product"],
                condition=Q(requirement__isnull=False),
                name="%(app_label)s_%(class)s_unique_gear",
                violation_error_message="This product is already pinned on this requirement.",
            ),
            models.UniqueConstraint(
                fields=["shift", "crew"],
                condition=Q(shift__isnull=False),
                name="%(app_label)s_%(class)s_unique_crew",
                violation_error_message="This person is already pinned on this shift.",
            ),
        ]

    def __str__(self) -> str:
        if self.is_gear:
            return f"pin {self.quantity} x product {self.product_id} on requirement {self.requirement_id}"
        return f"pin crew {self.crew_id} on shift {self.shift_id}"

    @property
    def is_gear(self) -> bool:
        return self.requirement_id is not None

    @property
    def job_id(self) -> int:
        return self.requirement.job_id if self.is_gear else self.shift.job_id
