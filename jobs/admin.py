"""Admin pages for clients, venues, jobs, the gear inventory, capabilities and sub-rental vendors."""

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from import_export.admin import ImportMixin

from jobs.imports import ClientResource, ProductResource, VenueResource
from jobs.models import (
    Capability,
    CapabilityProvider,
    Client,
    GearRequirement,
    Job,
    OutOfService,
    Product,
    ProductCategory,
    Vendor,
    VendorOffer,
    Venue,
)
from labor.models import Shift

TIMESTAMPS = ("created_at", "updated_at")


class CapabilityProviderForProductInline(admin.TabularInline):
    """The capabilities a product provides, edited on the product."""

    model = CapabilityProvider
    fk_name = "product"
    extra = 0
    autocomplete_fields = ("capability",)
    fields = ("capability", "quality")


class OutOfServiceInline(admin.TabularInline):
    """Units of the product away for repair or maintenance."""

    model = OutOfService
    extra = 0
    fields = ("quantity", "start", "end", "reason")


class CapabilityProviderForCapabilityInline(admin.TabularInline):
    """The products that provide a capability, best fit first."""

    model = CapabilityProvider
    fk_name = "capability"
    extra = 0
    autocomplete_fields = ("product",)
    fields = ("product", "quality")
    ordering = ("-quality", "product__name")


class VendorOfferForCapabilityInline(admin.TabularInline):
    """The vendors that sub-rent a capability, cheapest first."""

    model = VendorOffer
    fk_name = "capability"
    extra = 0
    autocomplete_fields = ("vendor",)
    fields = ("vendor", "unit_cost_per_day", "lead_time_hours", "max_quantity")


class VendorOfferForVendorInline(admin.TabularInline):
    """A vendor's standing sub-rental offers."""

    model = VendorOffer
    fk_name = "vendor"
    extra = 0
    autocomplete_fields = ("capability",)
    fields = ("capability", "unit_cost_per_day", "lead_time_hours", "max_quantity")


class DerivedFromOrderInline(admin.TabularInline):
    """Read-only rows expanded from the job's order: edit the order, or re-expansion undoes the change."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class GearRequirementInline(DerivedFromOrderInline):
    """The gear a job needs, as expanded from its order."""

    model = GearRequirement
    fields = ("key", "capability", "quantity", "start", "end", "label")
    readonly_fields = fields


class ShiftInline(DerivedFromOrderInline):
    """The crew a job needs, as expanded from its order."""

    model = Shift
    fields = ("key", "skill", "min_level", "count", "start", "end", "label")
    readonly_fields = fields


@admin.register(Client)
class ClientAdmin(ImportMixin, admin.ModelAdmin):
    resource_classes = [ClientResource]
    """Clients, with how many jobs each has booked."""

    list_display = ("name", "code", "contact_name", "email", "phone", "job_count")
    search_fields = ("name", "code", "contact_name", "email")
    prepopulated_fields = {"code": ("name",)}
    readonly_fields = TIMESTAMPS
    fieldsets = (
        (None, {"fields": ("name", "code")}),
        ("Contact", {"fields": ("contact_name", "email", "phone")}),
        ("Notes", {"fields": ("notes",)}),
        ("History", {"fields": TIMESTAMPS, "classes": ("collapse",)}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Client]:
        return super().get_queryset(request).annotate(job_count=Count("jobs"))

    @admin.display(description="jobs", ordering="job_count")
    def job_count(self, obj: Client) -> int:
        return obj.job_count


@admin.register(Venue)
class VenueAdmin(ImportMixin, admin.ModelAdmin):
    resource_classes = [VenueResource]
    """Venues, searchable by name and city."""

    list_display = ("name", "city", "capacity", "code", "job_count")
    list_filter = ("city",)
    search_fields = ("name", "code", "city", "address")
    prepopulated_fields = {"code": ("name",)}
    readonly_fields = TIMESTAMPS
    fieldsets = (
        (None, {"fields": ("name", "code", "city", "address", "capacity")}),
        ("Load-in", {"fields": ("loading_notes",)}),
        ("History", {"fields": TIMESTAMPS, "classes": ("collapse",)}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Venue]:
        return super().get_queryset(request).annotate(job_count=Count("jobs"))

    @admin.display(description="jobs", ordering="job_count")
    def job_count(self, obj: Venue) -> int:
        return obj.job_count


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Jobs on a timeline: filter by status and priority, drill down by show date."""

    list_display = (
        "code",
        "title",
        "client",
        "venue",
        "status",
        "priority",
        "load_in",
        "show_start",
        "show_end",
        "load_out",
        "booked_at",
    )
    list_display_links = ("code", "title")
    list_filter = ("status", "priority", ("show_start", admin.DateFieldListFilter), "venue__city")
    list_select_related = ("client", "venue")
    search_fields = ("code", "title", "client__name", "client__code", "venue__name", "venue__city")
    autocomplete_fields = ("client", "venue")
    date_hierarchy = "show_start"
    ordering = ("load_in", "code")
    readonly_fields = TIMESTAMPS
    list_per_page = 50
    inlines = (GearRequirementInline, ShiftInline)
    fieldsets = (
        (None, {"fields": ("code", "title", "client", "venue")}),
        ("Planning", {"fields": ("status", "priority", "booked_at")}),
        ("Schedule", {"fields": ("load_in", "show_start", "show_end", "load_out")}),
        ("Notes", {"fields": ("notes",)}),
        ("History", {"fields": TIMESTAMPS, "classes": ("collapse",)}),
    )


@admin.register(ProductCategory)
class ProductCategoryAdmin(admin.ModelAdmin):
    """A department's shelves, with how many products each holds."""

    list_display = ("name", "department", "slug", "product_count")
    list_filter = ("department",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = TIMESTAMPS

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProductCategory]:
        return super().get_queryset(request).annotate(product_count=Count("products"))

    @admin.display(description="products", ordering="product_count")
    def product_count(self, obj: ProductCategory) -> int:
        return obj.product_count


@admin.register(Product)
class ProductAdmin(ImportMixin, admin.ModelAdmin):
    resource_classes = [ProductResource]
    """Owned gear: stock, turnaround, money, and what each product can stand in for."""

    list_display = (
        "sku",
        "name",
        "manufacturer",
        "category",
        "department",
        "owned_quantity",
        "turnaround_hours",
        "day_rate",
        "replacement_value",
        "active",
    )
    list_display_links = ("sku", "name")
    list_filter = ("active", "category__department", "category")
    list_select_related = ("category",)
    search_fields = ("sku", "name", "manufacturer", "category__name")
    autocomplete_fields = ("category",)
    readonly_fields = TIMESTAMPS
    inlines = (CapabilityProviderForProductInline, OutOfServiceInline)
    list_per_page = 50
    fieldsets = (
        (None, {"fields": ("sku", "name", "manufacturer", "category", "active")}),
        ("Stock", {"fields": ("owned_quantity", "turnaround_hours")}),
        ("Money", {"fields": ("day_rate", "replacement_value")}),
        ("History", {"fields": TIMESTAMPS, "classes": ("collapse",)}),
    )

    @admin.display(description="department", ordering="category__department")
    def department(self, obj: Product) -> str:
        return obj.category.get_department_display()


@admin.register(OutOfService)
class OutOfServiceAdmin(admin.ModelAdmin):
    """Repair and maintenance windows across the inventory."""

    list_display = ("product", "quantity", "start", "end", "reason")
    list_filter = (("start", admin.DateFieldListFilter), "product__category__department")
    list_select_related = ("product",)
    search_fields = ("product__name", "product__sku", "reason")
    autocomplete_fields = ("product",)
    date_hierarchy = "start"
    readonly_fields = TIMESTAMPS


@admin.register(Capability)
class CapabilityAdmin(admin.ModelAdmin):
    """What requirements ask for, with the products that provide it and the vendors that sub-rent it."""

    list_display = ("name", "slug", "unit", "provider_count", "offer_count")
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = TIMESTAMPS
    inlines = (CapabilityProviderForCapabilityInline, VendorOfferForCapabilityInline)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Capability]:
        # distinct: two joined reverse relations would otherwise multiply each other's counts.
        return (
            super()
            .get_queryset(request)
            .annotate(
                provider_count=Count("providers", distinct=True),
                offer_count=Count("vendor_offers", distinct=True),
            )
        )

    @admin.display(description="products", ordering="provider_count")
    def provider_count(self, obj: Capability) -> int:
        return obj.provider_count

    @admin.display(description="vendor offers", ordering="offer_count")
    def offer_count(self, obj: Capability) -> int:
        return obj.offer_count


@admin.register(CapabilityProvider)
class CapabilityProviderAdmin(admin.ModelAdmin):
    """Every product-capability pair with its quality score, to review substitutes across the catalogue."""

    list_display = ("capability", "product", "quality")
    list_filter = ("capability", "product__category__department")
    list_select_related = ("capability", "product")
    search_fields = ("capability__name", "capability__slug", "product__name", "product__sku")
    autocomplete_fields = ("capability", "product")
    readonly_fields = TIMESTAMPS


@admin.register(Vendor)
class VendorAdmin(admin.ModelAdmin):
    """Partner rental houses and their sub-rental offers."""

    list_display = ("name", "code", "contact_name", "email", "phone", "offer_count", "active")
    list_filter = ("active",)
    search_fields = ("name", "code", "contact_name", "email")
    prepopulated_fields = {"code": ("name",)}
    readonly_fields = TIMESTAMPS
    inlines = (VendorOfferForVendorInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Vendor]:
        return super().get_queryset(request).annotate(offer_count=Count("offers"))

    @admin.display(description="offers", ordering="offer_count")
    def offer_count(self, obj: Vendor) -> int:
        return obj.offer_count


@admin.register(VendorOffer)
class VendorOfferAdmin(admin.ModelAdmin):
    """Every sub-rental offer, to compare vendors on one capability."""

    list_display = ("capability", "vendor", "unit_cost_per_day", "lead_time_hours", "max_quantity")
    list_filter = ("vendor", "capability", "lead_time_hours")
    list_select_related = ("vendor", "capability")
    search_fields = ("vendor__name", "capability__name", "capability__slug")
    autocomplete_fields = ("vendor", "capability")
    readonly_fields = TIMESTAMPS


@admin.register(GearRequirement)
class GearRequirementAdmin(admin.ModelAdmin):
    """Every job's gear requirements across the calendar, to see demand per capability."""

    list_display = ("job", "key", "capability", "quantity", "start", "end", "label")
    list_filter = ("capability", ("start", admin.DateFieldListFilter), "job__status")
    list_select_related = ("job", "capability")
    search_fields = ("job__code", "job__title", "key", "capability__name", "capability__slug", "label")
    autocomplete_fields = ("job", "capability")
    date_hierarchy = "start"
    readonly_fields = TIMESTAMPS
