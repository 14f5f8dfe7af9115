"""Admin pages for outcome templates (parameters and rules edited inline) and a read-mostly view of orders."""

from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.forms import BaseInlineFormSet
from django.http import HttpRequest

from sales.models import Order, OrderOutcome, OrderVersion, OutcomeTemplate, TemplateParameter, TemplateRule

TIMESTAMPS = ("created_at", "updated_at")


class TemplateParameterInline(admin.TabularInline):
    """The typed inputs a rep fills in."""

    model = TemplateParameter
    extra = 0
    fields = ("position", "name", "label", "kind", "required", "default", "minimum", "maximum", "help_text")


class TemplateRuleFormSet(BaseInlineFormSet):
    """Rules checked against the parameters submitted on the same page, not only those already saved.

    ``parameter_formset`` is set by OutcomeTemplateAdmin; each rule then carries ``pending_parameters``, which
    ``sales.expressions.validate_rule`` (via ``TemplateRule.clean()``) reads instead of the database.
    """

    parameter_formset: BaseInlineFormSet | None = None

    def _construct_form(self, i: int, **kwargs: Any):
        form = super()._construct_form(i, **kwargs)
        if self.parameter_formset is not None:
            form.instance.pending_parameters = self._pending_parameters()
        return form

    def _pending_parameters(self) -> list[TemplateParameter]:
        formset = self.parameter_formset
        formset.is_valid()  # cached: builds every form's cleaned instance once
        pending = []
        for form in formset.forms:
            cleaned = getattr(form, "cleaned_data", None) or {}
            if not cleaned.get("name") or cleaned.get("DELETE"):
                continue
            if form.instance.pk is None and not form.has_changed():
                continue
            pending.append(form.instance)
        return pending


class TemplateRuleInline(admin.StackedInline):
    """What the template expands into; quantity and condition are expressions over the parameters."""

    model = TemplateRule
    formset = TemplateRuleFormSet
    extra = 0
    autocomplete_fields = ("capability", "skill")
    fieldsets = (
        (None, {"fields": (("position", "key", "kind"), ("capability", "skill", "min_level"))}),
        ("Quantity", {"fields": ("quantity", "condition")}),
        (
            "Window (hours relative to the order's moments)",
            {
                "fields": (
                    ("start_anchor", "start_offset_hours"),
                    ("end_anchor", "end_offset_hours"),
                    "repeat",
                )
            },
        ),
    )


@admin.register(OutcomeTemplate)
class OutcomeTemplateAdmin(admin.ModelAdmin):
    """An outcome a rep sells, with its parameters and expansion rules on one page."""

    list_display = ("name", "slug", "active", "parameter_count", "rule_count", "updated_at")
    list_filter = ("active",)
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = TIMESTAMPS
    inlines = (TemplateParameterInline, TemplateRuleInline)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .annotate(
                parameter_count=Count("parameters", distinct=True), rule_count=Count("rules", distinct=True)
            )
        )

    @admin.display(description="parameters", ordering="parameter_count")
    def parameter_count(self, template: OutcomeTemplate) -> int:
        return template.parameter_count

    @admin.display(description="rules", ordering="rule_count")
    def rule_count(self, template: OutcomeTemplate) -> int:
        return template.rule_count

    def _create_formsets(self, request: HttpRequest, obj: Any, change: bool) -> tuple[list, list]:
        # Rules name parameters added on the same page; hand the rule formset the parameter formset to read.
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        parameters = next((f for f in formsets if f.model is TemplateParameter), None)
        for formset in formsets:
            if isinstance(formset, TemplateRuleFormSet):
                formset.parameter_formset = parameters
        return formsets, inline_instances


class OrderOutcomeInline(admin.TabularInline):
    """The outcomes sold on the order and the parameters the rep filled in."""

    model = OrderOutcome
    extra = 0
    fields = ("position", "template", "parameters")
    readonly_fields = ("position", "template", "parameters")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class OrderVersionInline(admin.TabularInline):
    """The order's saved versions, newest first; history is never edited."""

    model = OrderVersion
    extra = 0
    fields = ("version", "changed_by", "created_at", "snapshot")
    readonly_fields = fields
    can_delete = False
    ordering = ("-version",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    """Orders for support and audit; reps create and change them on the sales pages, which re-plan."""

    list_display = (
        "code",
        "title",
        "client",
        "venue",
        "status",
        "show_start",
        "show_end",
        "version",
        "price",
    )
    list_filter = ("status", "show_start", "client")
    search_fields = ("code", "title", "client__name", "venue__name", "created_by__username")
    date_hierarchy = "show_start"
    list_select_related = ("client", "venue")
    inlines = (OrderOutcomeInline, OrderVersionInline)
    # Edits here would skip expansion and the re-plan, so only the notes stay editable.
    readonly_fields = (
        "code",
        "title",
        "client",
        "venue",
        "job",
        "status",
        "version",
        "price",
        "priority",
        "load_in",
        "show_start",
        "show_end",
        "load_out",
        "created_by",
        *TIMESTAMPS,
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
