"""The board's filter form (GET) and the two pin forms."""

from django import forms

from allocation.board import DEFAULT_ZOOM, ZOOMS
from jobs.models import Client, GearRequirement, Job, Product, ProductCategory
from labor.models import CrewMember, Shift

OPEN_STATUS_CHOICES = [(value, label) for value, label in Job.Status.choices if value in Job.OPEN_STATUSES]


class BoardFilterForm(forms.Form):
    """What the board shows: the window, the plan, and which jobs."""

    zoom = forms.ChoiceField(choices=[(zoom, zoom.title()) for zoom in ZOOMS], required=False)
    date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    plan = forms.ChoiceField(
        choices=[("latest", "Latest proposal"), ("published", "Published")], required=False
    )
    status = forms.MultipleChoiceField(choices=OPEN_STATUS_CHOICES, required=False)
    priority = forms.TypedChoiceField(
        choices=[("", "Any priority"), *[(str(n), f"{n} and up") for n in range(2, 6)]],
        coerce=int,
        empty_value=None,
        required=False,
    )
    category = forms.ChoiceField(required=False)
    client = forms.TypedChoiceField(coerce=int, empty_value=None, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        categories = ProductCategory.objects.values_list("slug", "name")
        self.fields["category"].choices = [("", "All categories"), *categories]
        clients = [(str(pk), name) for pk, name in Client.objects.values_list("pk", "name")]
        self.fields["client"].choices = [("", "All clients"), *clients]

    def value(self, name: str, default=None):
        # A bad value in one field falls back to its default without dropping the other filters.
        self.is_valid()
        return getattr(self, "cleaned_data", {}).get(name) or default

    @property
    def zoom_value(self) -> str:
        return self.value("zoom", DEFAULT_ZOOM)


class GearPinForm(forms.Form):
    """Keep this many units of a product on a requirement in every plan."""

    requirement = forms.ModelChoiceField(queryset=GearRequirement.objects.all(), widget=forms.HiddenInput)
    product = forms.ModelChoiceField(queryset=Product.objects.filter(active=True), to_field_name="sku")
    quantity = forms.IntegerField(min_value=0)


class CrewPinForm(forms.Form):
    """Keep this person on this shift in every plan."""

    shift = forms.ModelChoiceField(queryset=Shift.objects.all(), widget=forms.HiddenInput)
    crew = forms.ModelChoiceField(queryset=CrewMember.objects.filter(active=True), to_field_name="code")
