"""The order form: the order's own fields, plus outcome rows whose parameter fields follow their template."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.http import QueryDict

from jobs.models import Client, Venue
from sales.models import OutcomeTemplate, TemplateParameter

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
MAX_OUTCOMES = 12


class OrderForm(forms.Form):
    """The order's own fields; ``version`` carries the version the rep started editing from."""

    title = forms.CharField(max_length=200)
    client = forms.ModelChoiceField(queryset=Client.objects.order_by("name"))
    venue = forms.ModelChoiceField(queryset=Venue.objects.order_by("name"))
    price = forms.DecimalField(min_value=Decimal("0"), max_digits=12, decimal_places=2)
    priority = forms.TypedChoiceField(
        coerce=int,
        initial=3,
        choices=[(n, f"{n}{' (low)' if n == 1 else ' (high)' if n == 5 else ''}") for n in range(1, 6)],
    )
    load_in = forms.DateTimeField(widget=DATETIME_WIDGET)
    show_start = forms.DateTimeField(widget=DATETIME_WIDGET)
    show_end = forms.DateTimeField(widget=DATETIME_WIDGET)
    load_out = forms.DateTimeField(widget=DATETIME_WIDGET)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


@dataclass
class OutcomeRow:
    """One outcome row of the form as entered: the template, raw parameter values and their errors."""

    index: int
    template: OutcomeTemplate | None
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    template_error: str = ""

    @property
    def parameters(self) -> list[dict[str, Any]]:
        """The template's parameters with this row's values and errors, for the template."""
        if self.template is None:
            return []
        rows = []
        for parameter in self.template.parameters.all():
            rows.append(
                {
                    "parameter": parameter,
                    "name": f"outcome-{self.index}-{parameter.name}",
                    "value": self.values.get(parameter.name, _default_text(parameter)),
                    "error": self.errors.get(parameter.name, ""),
                    "is_boolean": parameter.kind == TemplateParameter.Kind.BOOLEAN,
                }
            )
        return rows


def _default_text(parameter: TemplateParameter) -> str:
    if parameter.default is None:
        return ""
    if parameter.kind == TemplateParameter.Kind.BOOLEAN:
        return "on" if parameter.default else ""
    if parameter.kind == TemplateParameter.Kind.INTEGER:
        return str(int(parameter.default))
    return str(parameter.default.normalize())


def outcome_rows_from_post(data: QueryDict, templates: dict[str, OutcomeTemplate]) -> list[OutcomeRow]:
    """Read ``outcome-N-template`` and ``outcome-N-<parameter>`` fields; empty rows are ignored."""
    indices = sorted(
        {
            int(key.split("-")[1])
            for key in data
            if key.startswith("outcome-") and key.endswith("-template") and key.split("-")[1].isdigit()
        }
    )[:MAX_OUTCOMES]
    rows = []
    for index in indices:
        slug = data.get(f"outcome-{index}-template", "")
        if not slug:
            continue
        template = templates.get(slug)
        row = OutcomeRow(index=index, template=template)
        if template is None:
            row.template_error = "Pick an outcome from the list."
        else:
            for parameter in template.parameters.all():
                row.values[parameter.name] = data.get(f"outcome-{index}-{parameter.name}", "").strip()
        rows.append(row)
    return rows


def row_parameters(row: OutcomeRow) -> dict[str, Any]:
    """The raw values to hand to the template's parameter check: blanks left out, booleans as booleans."""
    assert row.template is not None
    values: dict[str, Any] = {}
    for parameter in row.template.parameters.all():
        raw = row.values.get(parameter.name, "")
        if parameter.kind == TemplateParameter.Kind.BOOLEAN:
            values[parameter.name] = raw in ("on", "true", "1", "yes")
        elif raw != "":
            values[parameter.name] = raw
    return values


def outcome_rows_from_order(order: Any) -> list[OutcomeRow]:
    """The rows of an existing order, for its edit form."""
    rows = []
    for index, outcome in enumerate(order.outcomes.all()):
        values = {}
        for parameter in outcome.template.parameters.all():
            value = outcome.parameters.get(parameter.name)
            if parameter.kind == TemplateParameter.Kind.BOOLEAN:
                values[parameter.name] = "on" if value else ""
            elif value is None:
                values[parameter.name] = ""
            elif parameter.kind == TemplateParameter.Kind.INTEGER:
                values[parameter.name] = str(int(value))
            else:
                values[parameter.name] = str(value)
        rows.append(OutcomeRow(index=index, template=outcome.template, values=values))
    return rows
