"""CSV import of master data (clients, venues, products), shared by the admin and the API.

django-import-export does the reading, matching and validating: a row whose key (code, or SKU) exists
updates that row, a new key creates one, and every row is validated like a form (``full_clean``, database
constraints included) before anything is written. The whole file is one transaction: a file with one bad
row saves nothing, and the answer names each bad row and field.
"""

from dataclasses import dataclass, field
from typing import Any

import tablib
from django.db import transaction
from import_export import fields, resources, widgets

from jobs.models import Client, Product, ProductCategory, Venue

MAX_IMPORT_BYTES = 5 * 1024 * 1024


class _ByKey(widgets.ForeignKeyWidget):
    """A related row named by its key; an unknown key is a field error that names it."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(f"No {self.model._meta.verbose_name} {self.field} {value!r}.") from None


class ClientResource(resources.ModelResource):
    class Meta:
        model = Client
        import_id_fields = ("code",)
        fields = ("code", "name", "contact_name", "email", "phone", "notes")
        clean_model_instances = True
        skip_unchanged = True


class VenueResource(resources.ModelResource):
    class Meta:
        model = Venue
        import_id_fields = ("code",)
        fields = ("code", "name", "city", "address", "capacity", "loading_notes")
        clean_model_instances = True
        skip_unchanged = True


class ProductResource(resources.ModelResource):
    category = fields.Field(
        attribute="category",
        column_name="category",
        widget=_ByKey(ProductCategory, field="slug"),
    )

    class Meta:
        model = Product
        import_id_fields = ("sku",)
        fields = (
            "sku",
            "name",
            "manufacturer",
            "category",
            "owned_quantity",
            "turnaround_hours",
            "replacement_value",
            "day_rate",
            "active",
        )
        clean_model_instances = True
        skip_unchanged = True


@dataclass
class ImportOutcome:
    """What an import did (or, on a dry run, would do), or why it saved nothing."""

    saved: bool
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)


class ImportRefused(ValueError):
    """The file cannot be read as CSV with the resource's columns; nothing was saved."""


def read_csv(content: bytes, resource: resources.ModelResource) -> tablib.Dataset:
    """The file as a dataset, or ``ImportRefused`` naming what is wrong with it."""
    if len(content) > MAX_IMPORT_BYTES:
        raise ImportRefused(f"The file is over {MAX_IMPORT_BYTES // (1024 * 1024)} MB.")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused("The file is not UTF-8 text.") from None
    if not text.strip():
        raise ImportRefused("The file is empty.")
    try:
        dataset = tablib.Dataset().load(text, format="csv")
    except Exception as error:  # tablib raises several kinds for a malformed file
        raise ImportRefused(f"Not a CSV file: {error}") from None
    headers = [header.strip() for header in dataset.headers or []]
    keys = list(resource._meta.import_id_fields)
    missing = [key for key in keys if key not in headers]
    if missing:
        raise ImportRefused(f"The first line must name the columns; missing: {', '.join(missing)}.")
    known = {f.column_name for f in resource.get_import_fields()} | set(
        getattr(resource, "extra_columns", ())
    )
    unknown = [header for header in headers if header not in known]
    if unknown:
        raise ImportRefused(f"Unknown columns: {', '.join(unknown)}. Known: {', '.join(sorted(known))}.")
    dataset.headers = headers
    return dataset


def import_csv(resource: resources.ModelResource, dataset: tablib.Dataset, *, dry_run: bool) -> ImportOutcome:
    """Validate every row, then (unless ``dry_run``) write them all in one transaction."""
    with transaction.atomic():
        result = resource.import_data(dataset, dry_run=dry_run, raise_errors=False, use_transactions=False)
        errors = _errors(result)
        if errors:
            transaction.set_rollback(True)
            return ImportOutcome(saved=False, errors=errors)
        if dry_run:
            transaction.set_rollback(True)
        totals = result.totals
        return ImportOutcome(
            saved=not dry_run,
            new=totals.get("new", 0),
            updated=totals.get("update", 0),
            unchanged=totals.get("skip", 0),
        )


def _errors(result: Any) -> list[dict[str, Any]]:
    errors = []
    for error in result.base_errors:
        errors.append({"row": None, "errors": {"__all__": [str(error.error)]}})
    for number, row_errors in result.row_errors():
        errors.append({"row": number, "errors": {"__all__": [str(e.error) for e in row_errors]}})
    for invalid in result.invalid_rows:
        messages = {name: [str(m) for m in value] for name, value in invalid.error_dict.items()}
        errors.append({"row": invalid.number, "errors": messages})
    return sorted(errors, key=lambda item: (item["row"] is None, item["row"] or 0))
