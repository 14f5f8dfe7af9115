"""Master-data endpoints: clients, venues, jobs, products, capabilities, vendors."""

from django.db.models import Prefetch
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers as rest_serializers
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from jobs import serializers
from jobs.imports import ClientResource, ImportRefused, ProductResource, VenueResource, import_csv, read_csv
from jobs.models import Capability, CapabilityProvider, Client, Job, Product, Vendor, VendorOffer, Venue
from rentalops.concurrency import ConditionalWriteMixin


class JobFilter(filters.FilterSet):
    starts_after = filters.IsoDateTimeFilter(field_name="load_out", lookup_expr="gte")
    starts_before = filters.IsoDateTimeFilter(field_name="load_in", lookup_expr="lt")

    class Meta:
        model = Job
        fields = ["status", "priority", "client", "venue"]


class ImportRequestSerializer(rest_serializers.Serializer):
    file = rest_serializers.FileField(help_text="CSV, UTF-8, the first line naming the columns.")
    dry_run = rest_serializers.BooleanField(default=False, help_text="Validate and count only; save nothing.")


ImportResult = inline_serializer(
    "ImportResult",
    {
        "saved": rest_serializers.BooleanField(),
        "new": rest_serializers.IntegerField(),
        "updated": rest_serializers.IntegerField(),
        "unchanged": rest_serializers.IntegerField(),
    },
)
ImportRefusedResponse = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="Nothing was saved. Either field errors by name (`file`, `dry_run`: the file is not the CSV "
    "expected), or `detail` with `errors`: one entry per bad row, `{row, errors: {field: [messages]}}`.",
)


class CsvImportMixin:
    """``POST <list>/import/``: create and update rows from a CSV file, all or nothing (admins)."""

    import_resource: type

    @extend_schema(
        request={"multipart/form-data": ImportRequestSerializer},
        responses={200: ImportResult, 400: ImportRefusedResponse},
        description="Rows whose key exists are updated, new keys created; one bad row and nothing is saved.",
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_csv(self, request: Request) -> Response:
        form = ImportRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        resource = self.import_resource()
        try:
            dataset = read_csv(form.validated_data["file"].read(), resource)
        except ImportRefused as refused:
            raise ValidationError({"file": [str(refused)]}) from None
        outcome = import_csv(resource, dataset, dry_run=form.validated_data["dry_run"])
        if outcome.errors:
            return Response(
                {
                    "detail": "Nothing was saved: fix these rows and send the file again.",
                    "errors": outcome.errors,
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(
            {
                "saved": outcome.saved,
                "new": outcome.new,
                "updated": outcome.updated,
                "unchanged": outcome.unchanged,
            }
        )


class ClientViewSet(CsvImportMixin, ConditionalWriteMixin, viewsets.ModelViewSet):
    """Clients who book jobs."""

    import_resource = ClientResource
    queryset = Client.objects.all()
    serializer_class = serializers.ClientSerializer
    search_fields = ["name", "code", "contact_name"]
    ordering_fields = ["name", "code", "created_at"]


class VenueViewSet(CsvImportMixin, ConditionalWriteMixin, viewsets.ModelViewSet):
    """Venues where shows happen."""

    import_resource = VenueResource
    queryset = Venue.objects.all()
    serializer_class = serializers.VenueSerializer
    filterset_fields = ["city"]
    search_fields = ["name", "code", "city"]
    ordering_fields = ["name", "city", "capacity"]


class JobViewSet(ConditionalWriteMixin, viewsets.ModelViewSet):
    """Jobs with their status, priority and load-in / show / load-out times."""

    queryset = Job.objects.select_related("client", "venue")
    serializer_class = serializers.JobSerializer
    filterset_class = JobFilter
    search_fields = ["code", "title", "client__name", "venue__name"]
    ordering_fields = ["load_in", "show_start", "priority", "code", "booked_at"]


class ProductViewSet(CsvImportMixin, ConditionalWriteMixin, viewsets.ModelViewSet):
    """Owned gear: quantities, turnaround, value, and the capabilities each product provides."""

    import_resource = ProductResource
    queryset = Product.objects.select_related("category").prefetch_related(
        Prefetch("provides", queryset=CapabilityProvider.objects.select_related("capability")),
        "out_of_service",
    )
    serializer_class = serializers.ProductSerializer
    filterset_fields = ["category", "active", "category__department"]
    search_fields = ["sku", "name", "manufacturer"]
    ordering_fields = ["name", "sku", "owned_quantity", "day_rate"]


class CapabilityViewSet(ConditionalWriteMixin, viewsets.ModelViewSet):
    """What requirements ask for, with the products that provide each and their quality."""

    queryset = Capability.objects.prefetch_related(
        Prefetch("providers", queryset=CapabilityProvider.objects.select_related("product"))
    )
    serializer_class = serializers.CapabilitySerializer
    search_fields = ["slug", "name"]
    ordering_fields = ["name", "slug"]


class VendorViewSet(ConditionalWriteMixin, viewsets.ModelViewSet):
    """Partner vendors and their sub-rental offers."""

    queryset = Vendor.objects.prefetch_related(
        Prefetch("offers", queryset=VendorOffer.objects.select_related("capability"))
    )
    serializer_class = serializers.VendorSerializer
    filterset_fields = ["active"]
    search_fields = ["code", "name"]
    ordering_fields = ["name", "code"]


def register(router: BaseRouter) -> None:
    router.register("clients", ClientViewSet)
    router.register("venues", VenueViewSet)
    router.register("jobs", JobViewSet)
    router.register("products", ProductViewSet)
    router.register("capabilities", CapabilityViewSet)
    router.register("vendors", VendorViewSet)
