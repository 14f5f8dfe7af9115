"""Clients, venues and jobs; the gear inventory, its capabilities, and the vendors that sub-rent it."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from rentalops.models import TimeStampedModel


class Client(TimeStampedModel):
    """A company that books jobs."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    contact_name = models.CharField(max_length=120, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Venue(TimeStampedModel):
    """A place where a show happens."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    city = models.CharField(max_length=120)
    address = models.CharField(max_length=300, blank=True)
    capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text="Largest audience the venue holds."
    )
    loading_notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.city}"


class Job(TimeStampedModel):
    """A show for a client at a venue, from load-in to load-out."""

    class Status(models.TextChoices):
        INQUIRY = "inquiry", "Inquiry"
        CONFIRMED = "confirmed", "Confirmed"
        IN_PREP = "in_prep", "In prep"
        ON_SHOW = "on_show", "On show"
        RETURNED = "returned", "Returned"
        CLOSED = "closed", "Closed"
        CANCELLED = "cancelled", "Cancelled"

    # The statuses whose gear and crew still have to be planned.
    OPEN_STATUSES = (Status.INQUIRY, Status.CONFIRMED, Status.IN_PREP, Status.ON_SHOW)

    code = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=200)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="jobs")
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="jobs")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.INQUIRY, db_index=True)
    priority = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 (low) to 5 (high): how much a shortage on this job hurts.",
    )
    load_in = models.DateTimeField()
    show_start = models.DateTimeField()
    show_end = models.DateTimeField()
    load_out = models.DateTimeField()
    booked_at = models.DateTimeField(
        default=timezone.now, help_text="When the job was booked (first come, first served)."
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["load_in", "code"]
        indexes = [models.Index(fields=["status", "load_in"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(priority__gte=1) & Q(priority__lte=5),
                name="%(app_label)s_%(class)s_priority_1_to_5",
                violation_error_message="Priority runs from 1 (low) to 5 (high).",
            ),
            models.CheckConstraint(
                condition=Q(show_start__gte=F("load_in")),
                name="%(app_label)s_%(class)s_show_starts_after_load_in",
                violation_error_message="The show cannot start before load-in.",
            ),
            models.CheckConstraint(
                condition=Q(show_end__gt=F("show_start")),
                name="%(app_label)s_%(class)s_show_ends_after_start",
                violation_error_message="The show must end after it starts.",
            ),
            models.CheckConstraint(
                condition=Q(load_out__gte=F("show_end")),
                name="%(app_label)s_%(class)s_load_out_after_show",
                violation_error_message="Load-out cannot be before the show ends.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class ProductCategory(TimeStampedModel):
    """A department's shelf: consoles, moving lights, LED wall, trussing..."""

    class Department(models.TextChoices):
        AUDIO = "audio", "Audio"
        LIGHTING = "lighting", "Lighting"
        VIDEO = "video", "Video"
        STAGING = "staging", "Staging"
        RIGGING = "rigging", "Rigging"
        POWER = "power", "Power & distro"

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    department = models.CharField(max_length=20, choices=Department.choices)

    class Meta:
        ordering = ["department", "name"]
        verbose_name_plural = "product categories"

    def __str__(self) -> str:
        return self.name


class Product(TimeStampedModel):
    """An owned model of gear, with how many units the house has."""

    sku = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    manufacturer = models.CharField(max_length=120, blank=True)
    category = models.ForeignKey(ProductCategory, on_delete=models.PROTECT, related_name="products")
    owned_quantity = models.IntegerField(default=0)
    turnaround_hours = models.DecimalField(
        max_digits=6, decimal_places=1, default=Decimal("0"), help_text="Prep and check time after each use."
    )
    replacement_value = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    day_rate = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owned_quantity__gte=0),
                name="%(app_label)s_%(class)s_owned_quantity_not_negative",
                violation_error_message="Owned quantity cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(turnaround_hours__gte=0),
                name="%(app_label)s_%(class)s_turnaround_not_negative",
                violation_error_message="Turnaround hours cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(replacement_value__gte=0) & Q(day_rate__gte=0),
                name="%(app_label)s_%(class)s_money_not_negative",
                violation_error_message="Replacement value and day rate cannot be negative.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OutOfService(TimeStampedModel):
    """Units of a product away for repair, maintenance or loan over a window."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="out_of_service")
    quantity = models.IntegerField()
    start = models.DateTimeField()
    end = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["start"]
        verbose_name = "out-of-service window"
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="%(app_label)s_%(class)s_quantity_positive",
                violation_error_message="At least one unit must be out of service.",
            ),
            models.CheckConstraint(
                condition=Q(end__gt=F("start")),
                name="%(app_label)s_%(class)s_end_after_start",
                violation_error_message="The window must end after it starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.product} out {self.start:%Y-%m-%d}..{self.end:%Y-%m-%d}"


class Capability(TimeStampedModel):
    """What a requirement asks for ("wash light", "line array hang"), met by one or more products."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    unit = models.CharField(
        max_length=40, default="unit", help_text="What one counted item is (fixture, box, panel)."
    )
    products = models.ManyToManyField(Product, through="CapabilityProvider", related_name="capabilities")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "capabilities"

    def __str__(self) -> str:
        return self.name


class CapabilityProvider(TimeStampedModel):
    """A product that provides a capability, with how well (1.0 is the preferred fit)."""

    capability = models.ForeignKey(Capability, on_delete=models.CASCADE, related_name="providers")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="provides")
    quality = models.DecimalField(max_digits=4, decimal_places=3, default=Decimal("1.000"))

    class Meta:
        ordering = ["capability", "-quality"]
        constraints = [
            models.UniqueConstraint(
                fields=["capability", "product"],
                name="%(app_label)s_%(class)s_unique_product_per_capability",
                violation_error_message="This product already provides this capability.",
            ),
            models.CheckConstraint(
                condition=Q(quality__gte=0) & Q(quality__lte=1),
                name="%(app_label)s_%(class)s_quality_0_to_1",
                violation_error_message="Quality runs from 0 to 1.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} provides {self.capability} ({self.quality})"


class Vendor(TimeStampedModel):
    """A partner rental house that sub-rents gear to us."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    contact_name = models.CharField(max_length=120, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class VendorOffer(TimeStampedModel):
    """A vendor's standing offer to sub-rent a capability: price, lead time and how many at once."""

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="offers")
    capability = models.ForeignKey(Capability, on_delete=models.CASCADE, related_name="vendor_offers")
    unit_cost_per_day = models.DecimalField(max_digits=10, decimal_places=2)
    lead_time_hours = models.PositiveIntegerField(default=0)
    max_quantity = models.IntegerField()

    class Meta:
        ordering = ["capability", "unit_cost_per_day"]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "capability"],
                name="%(app_label)s_%(class)s_one_offer_per_capability",
                violation_error_message="This vendor already has an offer for this capability.",
            ),
            models.CheckConstraint(
                condition=Q(unit_cost_per_day__gte=0),
                name="%(app_label)s_%(class)s_cost_not_negative",
                violation_error_message="Cost per unit per day cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(max_quantity__gte=0),
                name="%(app_label)s_%(class)s_max_quantity_not_negative",
                violation_error_message="The limit cannot be negative.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vendor}: {self.capability} at {self.unit_cost_per_day}/day"


class GearRequirement(TimeStampedModel):
    """A quantity of a capability a job needs over a window, expanded from an order's outcomes.

    ``key`` is stable across re-expansions of the same outcome rule, so pins and the previous plan keep
    pointing at the same requirement when an order is edited.
    """

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="gear_requirements")
    key = models.CharField(max_length=80)
    capability = models.ForeignKey(Capability, on_delete=models.PROTECT, related_name="requirements")
    quantity = models.IntegerField()
    start = models.DateTimeField()
    end = models.DateTimeField()
    label = models.CharField(max_length=200, blank=True, help_text="Which outcome and rule asked for it.")

    class Meta:
        ordering = ["job", "start", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["job", "key"],
                name="%(app_label)s_%(class)s_unique_key_per_job",
                violation_error_message="This job already has a requirement with this key.",
            ),
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="%(app_label)s_%(class)s_quantity_positive",
                violation_error_message="A requirement asks for at least one unit.",
            ),
            models.CheckConstraint(
                condition=Q(end__gt=F("start")),
                name="%(app_label)s_%(class)s_end_after_start",
                violation_error_message="A requirement must end after it starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job.code}: {self.quantity} x {self.capability}"

    @property
    def scenario_id(self) -> str:
        return f"{self.job.code}/{self.key}"
