"""Master-data endpoints: clients, venues, jobs, products, capabilities, vendors."""

from django.db.models import Prefetch
from django_filters import rest_framework as filters
from rest_framework import viewsets
from rest_framework.routers import BaseRouter

from jobs import serializers
from jobs.models import Capability, CapabilityProvider, Client, Job, Product, Vendor, VendorOffer, Venue
from rentalops.concurrency import ConditionalWriteMixin


class JobFilter(filters.FilterSet):
    starts_after = filters.IsoDateTimeFilter(field_name="load_out", lookup_expr="gte")
    starts_before = filters.IsoDateTimeFilter(field_name="load_in", lookup_expr="lt")

    class Meta:
        model = Job
        fields = ["status", "priority", "client", "venue"]


class ClientViewSet(ConditionalWriteMixin, viewsets.ModelViewSet):
    """Clients who book jobs."""

    queryset = Client.objects.all()
    serializer_class = serializers.ClientSerializer
    search_fields = ["name", "code", "contact_name"]
    ordering_fields = ["name", "code", "created_at"]


class VenueViewSet(ConditionalWriteMixin, viewsets.ModelViewSet):
    """Venues where shows happen."""

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


class ProductViewSet(ConditionalWriteMixin, viewsets.ModelViewSet):
    """Owned gear: quantities, turnaround, value, and the capabilities each product provides."""

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
