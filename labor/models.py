"""Skills and levels, crew members (staff and freelancers), certifications and time off."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from rentalops.models import TimeStampedModel


class Level(models.IntegerChoices):
    """How far a person has come in a skill: the career path operations codifies."""

    TRAINEE = 1, "1 Trainee"
    TECHNICIAN = 2, "2 Technician"
    SENIOR = 3, "3 Senior technician"
    CHIEF = 4, "4 Crew chief"
    LEAD = 5, "5 Lead / designer"


class Skill(TimeStampedModel):
    """A crew role a shift asks for (A1 audio engineer, lighting director, rigger...)."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    department = models.CharField(max_length=40, blank=True)
    description = models.TextField(blank=True)
    required_certification = models.ForeignKey(
        "CertificationType",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="A certificate everyone on a shift of this skill must hold on the day (riggers: rigging).",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CrewMember(TimeStampedModel):
    """A person who works shifts: staff on payroll or a freelancer on the bench."""

    class Kind(models.TextChoices):
        STAFF = "staff", "Staff"
        FREELANCER = "freelancer", "Freelancer"

    code = models.SlugField(max_length=40, unique=True)
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    day_rate = models.DecimalField(max_digits=9, decimal_places=2, default=Decimal("0"))
    max_hours_per_week = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Most shift hours in one ISO week; empty for no limit."
    )
    reliability = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        default=Decimal("1.000"),
        help_text="Share of offers and bookings honoured (0 to 1).",
    )
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    home_base = models.CharField(max_length=120, blank=True)
    active = models.BooleanField(default=True)
    skills = models.ManyToManyField(Skill, through="CrewSkill", related_name="crew")

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = "crew member"
        constraints = [
            models.CheckConstraint(
                condition=Q(day_rate__gte=0),
                name="%(app_label)s_%(class)s_day_rate_not_negative",
                violation_error_message="Day rate cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(reliability__gte=0) & Q(reliability__lte=1),
                name="%(app_label)s_%(class)s_reliability_0_to_1",
                violation_error_message="Reliability runs from 0 to 1.",
            ),
            models.CheckConstraint(
                condition=Q(max_hours_per_week__isnull=True) | Q(max_hours_per_week__lte=168),
                name="%(app_label)s_%(class)s_weekly_hours_fit_a_week",
                violation_error_message="A week has 168 hours.",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class CrewSkill(TimeStampedModel):
    """A person's level in a skill."""

    crew = models.ForeignKey(CrewMember, on_delete=models.CASCADE, related_name="crew_skills")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="crew_skills")
    level = models.PositiveSmallIntegerField(
        choices=Level.choices, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        ordering = ["skill", "-level"]
        constraints = [
            models.UniqueConstraint(
                fields=["crew", "skill"],
                name="%(app_label)s_%(class)s_one_level_per_skill",
                violation_error_message="This person already has a level in this skill.",
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1) & Q(level__lte=5),
                name="%(app_label)s_%(class)s_level_1_to_5",
                violation_error_message="Levels run from 1 to 5.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.crew}: {self.skill} level {self.level}"


class CertificationType(TimeStampedModel):
    """A certificate some work requires (rigging, forklift, working at height, electrical)."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    validity_months = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Certification(TimeStampedModel):
    """A certificate held by a crew member, valid until it expires."""

    crew = models.ForeignKey(CrewMember, on_delete=models.CASCADE, related_name="certifications")
    certification_type = models.ForeignKey(CertificationType, on_delete=models.PROTECT, related_name="held")
    number = models.CharField(max_length=60, blank=True)
    issued_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["expires_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=F("issued_on")),
                name="%(app_label)s_%(class)s_expires_after_issue",
                violation_error_message="A certification must expire after it is issued.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.crew}: {self.certification_type}"


class Unavailability(TimeStampedModel):
    """Time a person cannot work: holiday, another client, sick leave."""

    crew = models.ForeignKey(CrewMember, on_delete=models.CASCADE, related_name="unavailability")
    start = models.DateTimeField()
    end = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["start"]
        verbose_name_plural = "unavailability"
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")),
                name="%(app_label)s_%(class)s_end_after_start",
                violation_error_message="Time off must end after it starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.crew} away {self.start:%Y-%m-%d}..{self.end:%Y-%m-%d}"


class Shift(TimeStampedModel):
    """``count`` people with a skill at ``min_level`` or above that a job needs during ``[start, end)``.

    ``key`` is stable across re-expansions of the same outcome rule, so bookings, pins and the previous plan
    keep pointing at the same shift when an order is edited.
    """

    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="shifts")
    key = models.CharField(max_length=80)
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="shifts")
    min_level = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.TECHNICIAN)
    count = models.PositiveSmallIntegerField(default=1)
    start = models.DateTimeField()
    end = models.DateTimeField()
    label = models.CharField(max_length=200, blank=True, help_text="Which outcome and rule asked for it.")

    class Meta:
        ordering = ["start", "job", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["job", "key"],
                name="%(app_label)s_%(class)s_unique_key_per_job",
                violation_error_message="This job already has a shift with this key.",
            ),
            models.CheckConstraint(
                condition=Q(count__gte=1),
                name="%(app_label)s_%(class)s_count_positive",
                violation_error_message="A shift needs at least one person.",
            ),
            models.CheckConstraint(
                condition=Q(min_level__gte=1) & Q(min_level__lte=5),
                name="%(app_label)s_%(class)s_level_1_to_5",
                violation_error_message="Levels run from 1 to 5.",
            ),
            models.CheckConstraint(
                condition=Q(end__gt=F("start")),
                name="%(app_label)s_%(class)s_end_after_start",
                violation_error_message="A shift must end after it starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job.code}: {self.count} x {self.skill} L{self.min_level}+"

    @property
    def scenario_id(self) -> str:
        return f"{self.job.code}/{self.key}"

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600


class Offer(TimeStampedModel):
    """A shift offered to one freelancer through a signed, expiring link; the first accepts win the places."""

    class Status(models.TextChoices):
        SENT = "sent", "Sent"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"
        EXPIRED = "expired", "Expired"

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="offers")
    crew = models.ForeignKey(CrewMember, on_delete=models.CASCADE, related_name="offers")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENT, db_index=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True, help_text="Why it was withdrawn or refused.")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "crew"],
                condition=Q(status="sent"),
                name="%(app_label)s_%(class)s_one_live_per_shift_and_crew",
                violation_error_message="This freelancer already has a live offer for this shift.",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("sent_at")),
                name="%(app_label)s_%(class)s_expires_after_sent",
                violation_error_message="An offer must expire after it is sent.",
            ),
        ]

    def __str__(self) -> str:
        return f"offer #{self.pk} of shift {self.shift_id} to crew {self.crew_id} ({self.status})"

    @property
    def effective_status(self) -> str:
        """The status, with a live offer past its expiry read as expired before the sweep marks it."""
        if self.status == self.Status.SENT and self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.status

    def get_effective_status_display(self) -> str:
        return self.Status(self.effective_status).label

    @property
    def link(self) -> str:
        """The path of the freelancer's signed page (coordinators only ever see it)."""
        from labor.tokens import offer_path

        return offer_path(self.pk, self.sent_at)


class Booking(TimeStampedModel):
    """A freelancer confirmed on a shift; every plan keeps it. Times are copied from the shift so that the
    database can refuse two confirmed bookings of one person that clash (``busy_until`` adds the rest gap):
    on PostgreSQL the exclusion constraint ``labor_booking_no_clash_per_crew`` (migration 0004)."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        CANCELLED = "cancelled", "Cancelled"
        NO_SHOW = "no_show", "No-show"

    class Side(models.TextChoices):
        COMPANY = "company", "The company"
        FREELANCER = "freelancer", "The freelancer"

    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="bookings")
    crew = models.ForeignKey(CrewMember, on_delete=models.PROTECT, related_name="bookings")
    offer = models.OneToOneField(
        Offer, on_delete=models.SET_NULL, null=True, blank=True, related_name="booking"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CONFIRMED, db_index=True)
    start = models.DateTimeField()
    end = models.DateTimeField()
    busy_until = models.DateTimeField(help_text="The end plus the rest gap before the next shift.")
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_side = models.CharField(max_length=12, choices=Side.choices, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "crew"],
                condition=Q(status="confirmed"),
                name="%(app_label)s_%(class)s_one_confirmed_per_shift_and_crew",
                violation_error_message="This freelancer is already booked on this shift.",
            ),
            models.CheckConstraint(
                condition=Q(end__gt=F("start")) & Q(busy_until__gte=F("end")),
                name="%(app_label)s_%(class)s_times_in_order",
                violation_error_message="A booking must end after it starts.",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | (Q(cancelled_at__isnull=False) & ~Q(cancel_reason="")),
                name="%(app_label)s_%(class)s_cancel_says_why",
                violation_error_message="A cancelled booking records when and why.",
            ),
        ]

    def __str__(self) -> str:
        return f"booking #{self.pk}: crew {self.crew_id} on shift {self.shift_id} ({self.status})"
