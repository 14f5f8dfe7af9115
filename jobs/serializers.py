"""API representations of jobs, inventory and vendors."""

from rest_framework import serializers

from jobs.models import (
    Capability,
    CapabilityProvider,
    Client,
    Job,
    OutOfService,
    Product,
    ProductCategory,
    Vendor,
    VendorOffer,
    Venue,
)


class ClientSerializer(serializers.ModelSerializer):
    class Meta:
        model = Client
        fields = ["id", "code", "name", "contact_name", "email", "phone", "notes"]


class VenueSerializer(serializers.ModelSerializer):
    class Meta:
        model = Venue
        fields = ["id", "code", "name", "city", "address", "capacity", "loading_notes"]


class JobSerializer(serializers.ModelSerializer):
    client_name = serializers.CharField(source="client.name", read_only=True)
    venue_name = serializers.CharField(source="venue.name", read_only=True)

    class Meta:
        model = Job
        fields = [
            "id",
            "code",
            "title",
            "client",
            "client_name",
            "venue",
            "venue_name",
            "status",
            "priority",
            "load_in",
            "show_start",
            "show_end",
            "load_out",
            "booked_at",
            "notes",
        ]

    def validate(self, attrs):
        instance = self.instance
        times = {
            key: attrs.get(key, getattr(instance, key, None))
            for key in ("load_in", "show_start", "show_end", "load_out")
        }
        errors = {}
        if times["load_in"] and times["show_start"] and times["show_start"] < times["load_in"]:
            errors["show_start"] = "The show cannot start before load-in."
        if times["show_start"] and times["show_end"] and times["show_end"] <= times["show_start"]:
            errors["show_end"] = "The show must end after it starts."
        if times["show_end"] and times["load_out"] and times["load_out"] < times["show_end"]:
            errors["load_out"] = "Load-out cannot be before the show ends."
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class ProductCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = ProductCategory
        fields = ["id", "slug", "name", "department"]


class OutOfServiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = OutOfService
        fields = ["id", "quantity", "start", "end", "reason"]


class ProductCapabilitySerializer(serializers.ModelSerializer):
    capability = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = CapabilityProvider
        fields = ["capability", "quality"]


class ProductSerializer(serializers.ModelSerializer):
    category_name = serializers.CharField(source="category.name", read_only=True)
    capabilities = ProductCapabilitySerializer(source="provides", many=True, read_only=True)
    out_of_service = OutOfServiceSerializer(many=True, read_only=True)

    class Meta:
        model = Product
        fields = [
            "id",
            "sku",
            "name",
            "manufacturer",
            "category",
            "category_name",
            "owned_quantity",
            "turnaround_hours",
            "replacement_value",
            "day_rate",
            "active",
            "capabilities",
            "out_of_service",
        ]
        extra_kwargs = {
            "owned_quantity": {"min_value": 0},
            "turnaround_hours": {"min_value": 0},
            "replacement_value": {"min_value": 0},
            "day_rate": {"min_value": 0},
        }


class ProviderSerializer(serializers.ModelSerializer):
    product_sku = serializers.CharField(source="product.sku", read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True)

    class Meta:
        model = CapabilityProvider
        fields = ["product", "product_sku", "product_name", "quality"]


class CapabilitySerializer(serializers.ModelSerializer):
    providers = ProviderSerializer(many=True, read_only=True)

    class Meta:
        model = Capability
        fields = ["id", "slug", "name", "description", "unit", "providers"]


class VendorOfferSerializer(serializers.ModelSerializer):
    capability_slug = serializers.CharField(source="capability.slug", read_only=True)

    class Meta:
        model = VendorOffer
        fields = [
            "id",
            "capability",
            "capability_slug",
            "unit_cost_per_day",
            "lead_time_hours",
            "max_quantity",
        ]
        extra_kwargs = {"unit_cost_per_day": {"min_value": 0}, "max_quantity": {"min_value": 0}}


class VendorSerializer(serializers.ModelSerializer):
    offers = VendorOfferSerializer(many=True, read_only=True)

    class Meta:
        model = Vendor
        fields = ["id", "code", "name", "contact_name", "email", "phone", "active", "offers"]
