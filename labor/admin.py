"""Admin pages for skills, crew members, their levels, certifications and time off."""

from datetime import date, timedelta

from django.contrib import admin
from django.db.models import Count, Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from import_export.admin import ImportMixin

from labor.imports import CrewResource
from labor.models import (
    Booking,
    Certification,
    CertificationType,
    CrewMember,
    CrewSkill,
    Offer,
    Shift,
    Skill,
    Unavailability,
)

TIMESTAMPS = ("created_at", "updated_at")
# How far ahead an expiry counts as "soon": long enough to book a refresher course.
EXPIRING_SOON_DAYS = 30


class ExpiryFilter(admin.SimpleListFilter):
    """Certifications by whether they are expired, expire soon, or are valid."""

    title = "expiry"
    parameter_name = "expiry"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [
            ("expired", "Expired"),
            ("soon", f"Expires within {EXPIRING_SOON_DAYS} days"),
            ("valid", "Valid"),
            ("never", "Does not expire"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        today = timezone.localdate()
        soon = today + timedelta(days=EXPIRING_SOON_DAYS)
        if self.value() == "expired":
            return queryset.filter(expires_on__lt=today)
        if self.value() == "soon":
            return queryset.filter(expires_on__gte=today, expires_on__lte=soon)
        if self.value() == "valid":
            return queryset.filter(expires_on__gte=today)
        if self.value() == "never":
            return queryset.filter(expires_on__isnull=True)
        return queryset


def expiry_status(expires_on: date | None) -> str:
    """A word for where an expiry date stands today."""
    if expires_on is None:
        return "no expiry"
    days_left = (expires_on - timezone.localdate()).days
    if days_left < 0:
        return "expired"
    if days_left <= EXPIRING_SOON_DAYS:
        return f"expires in {days_left} d"
    return "valid"


class CrewSkillInline(admin.TabularInline):
    """A person's levels, one row per skill."""

    model = CrewSkill
    extra = 0
    autocomplete_fields = ("skill",)
    fields = ("skill", "level")


class CertificationInline(admin.TabularInline):
    """A person's certificates and when they expire."""

    model = Certification
    extra = 0
    fields = ("certification_type", "number", "issued_on", "expires_on")


class UnavailabilityInline(admin.TabularInline):
    """A person's holidays and other time off."""

    model = Unavailability
    extra = 0
    fields = ("start", "end", "reason")


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    """Crew roles, with how deep the bench is for each."""

    list_display = ("name", "slug", "department", "required_certification", "crew_count")
    list_filter = ("department",)
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = TIMESTAMPS

    def get_queryset(self, request: HttpRequest) -> QuerySet[Skill]:
        return super().get_queryset(request).annotate(crew_count=Count("crew_skills"))

    @admin.display(description="crew", ordering="crew_count")
    def crew_count(self, obj: Skill) -> int:
        return obj.crew_count


@admin.register(CrewMember)
class CrewMemberAdmin(ImportMixin, admin.ModelAdmin):
    resource_classes = [CrewResource]
    """Staff and freelancers with their skills, rates, limits, certificates and time off."""

    list_display = (
        "full_name",
        "code",
        "kind",
        "skill_summary",
        "day_rate",
        "max_hours_per_week",
        "reliability",
        "home_base",
        "active",
    )
    list_display_links = ("full_name", "code")
    list_filter = ("kind", "active", "crew_skills__skill", "crew_skills__level", "home_base")
    search_fields = ("first_name", "last_name", "code", "email", "phone", "home_base")
    readonly_fields = TIMESTAMPS
    inlines = (CrewSkillInline, CertificationInline, UnavailabilityInline)
    ordering = ("last_name", "first_name")
    list_per_page = 50
    fieldsets = (
        (None, {"fields": ("first_name", "last_name", "code", "kind", "active")}),
        ("Terms", {"fields": ("day_rate", "max_hours_per_week", "reliability")}),
        ("Contact", {"fields": ("email", "phone", "home_base")}),
        ("History", {"fields": TIMESTAMPS, "classes": ("collapse",)}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[CrewMember]:
        # The skill column reads every person's levels: one prefetch instead of a query per row.
        skills = CrewSkill.objects.select_related("skill").order_by("-level", "skill__name")
        return super().get_queryset(request).prefetch_related(Prefetch("crew_skills", queryset=skills))

    @admin.display(description="name", ordering="last_name")
    def full_name(self, obj: CrewMember) -> str:
        return obj.full_name

    @admin.display(description="skills (level)")
    def skill_summary(self, obj: CrewMember) -> str:
        return ", ".join(f"{held.skill.name} {held.level}" for held in obj.crew_skills.all())


@admin.register(CrewSkill)
class CrewSkillAdmin(admin.ModelAdmin):
    """Everyone's levels, to see who can take a role at a level."""

    list_display = ("crew", "skill", "level", "crew_kind")
    list_filter = ("skill", "level", "crew__kind")
    list_select_related = ("crew", "skill")
    search_fields = ("crew__first_name", "crew__last_name", "crew__code", "skill__name", "skill__slug")
    autocomplete_fields = ("crew", "skill")
    ordering = ("skill__name", "-level", "crew__last_name")
    readonly_fields = TIMESTAMPS

    @admin.display(description="kind", ordering="crew__kind")
    def crew_kind(self, obj: CrewSkill) -> str:
        return obj.crew.get_kind_display()


@admin.register(CertificationType)
class CertificationTypeAdmin(admin.ModelAdmin):
    """Certificates some work requires, with how many people hold each."""

    list_display = ("name", "slug", "validity_months", "holder_count")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = TIMESTAMPS

    def get_queryset(self, request: HttpRequest) -> QuerySet[CertificationType]:
        return super().get_queryset(request).annotate(holder_count=Count("held"))

    @admin.display(description="held by", ordering="holder_count")
    def holder_count(self, obj: CertificationType) -> int:
        return obj.holder_count


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    """Certificates held, filterable by expiry so renewals can be booked in time."""

    list_display = ("crew", "certification_type", "number", "issued_on", "expires_on", "status")
    list_filter = (ExpiryFilter, "certification_type", "crew__kind")
    list_select_related = ("crew", "certification_type")
    search_fields = (
        "crew__first_name",
        "crew__last_name",
        "crew__code",
        "number",
        "certification_type__name",
    )
    autocomplete_fields = ("crew",)
    date_hierarchy = "expires_on"
    readonly_fields = TIMESTAMPS

    @admin.display(description="status", ordering="expires_on")
    def status(self, obj: Certification) -> str:
        return expiry_status(obj.expires_on)


@admin.register(Unavailability)
class UnavailabilityAdmin(admin.ModelAdmin):
    """Time off across the crew, by date."""

    list_display = ("crew", "start", "end", "reason", "crew_kind")
    list_filter = (("start", admin.DateFieldListFilter), "crew__kind")
    list_select_related = ("crew",)
    search_fields = ("crew__first_name", "crew__last_name", "crew__code", "reason")
    autocomplete_fields = ("crew",)
    date_hierarchy = "start"
    readonly_fields = TIMESTAMPS

    @admin.display(description="kind", ordering="crew__kind")
    def crew_kind(self, obj: Unavailability) -> str:
        return obj.crew.get_kind_display()


@admin.register(Shift)
class ShiftAdmin(admin.ModelAdmin):
    """Every job's crew shifts across the calendar, to see demand per role and level."""

    list_display = ("job", "key", "skill", "min_level", "count", "start", "end", "hours", "label")
    list_filter = ("skill", "min_level", ("start", admin.DateFieldListFilter), "job__status")
    list_select_related = ("job", "skill")
    search_fields = ("job__code", "job__title", "key", "skill__name", "skill__slug", "label")
    autocomplete_fields = ("job", "skill")
    date_hierarchy = "start"
    readonly_fields = TIMESTAMPS

    @admin.display(description="hours")
    def hours(self, obj: Shift) -> str:
        return f"{obj.hours:g}"


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    """Offers sent to freelancers; read here, written through the needs page (the services keep the rules)."""

    list_display = ("pk", "shift", "crew", "status", "sent_at", "expires_at", "responded_at", "sent_by")
    list_filter = ("status", ("sent_at", admin.DateFieldListFilter))
    list_select_related = ("shift__job", "shift__skill", "crew", "sent_by")
    search_fields = ("crew__code", "crew__last_name", "shift__job__code")
    date_hierarchy = "sent_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Offer | None = None) -> bool:
        return False


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    """Freelancer bookings, read-only (cancel from the bookings page, which re-plans); after a shift, an
    admin may mark a no-show, which lowers the freelancer's reliability."""

    list_display = ("pk", "shift", "crew", "status", "start", "end", "cancelled_side", "cancel_reason")
    list_filter = ("status", "cancelled_side", ("start", admin.DateFieldListFilter))
    list_select_related = ("shift__job", "shift__skill", "crew")
    search_fields = ("crew__code", "crew__last_name", "shift__job__code")
    date_hierarchy = "start"
    actions = ["mark_no_show"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Booking | None = None) -> bool:
        return False

    @admin.action(description="Mark as no-show (shifts already over)")
    def mark_no_show(self, request: HttpRequest, queryset: QuerySet[Booking]) -> None:
        marked = queryset.filter(status=Booking.Status.CONFIRMED, end__lte=timezone.now()).update(
            status=Booking.Status.NO_SHOW
        )
        self.message_user(request, f"{marked} booking(s) marked as no-show.")
