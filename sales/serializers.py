"""API representations of outcome templates and orders."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jobs.models import Client, Venue
from sales.models import Order, OutcomeTemplate, TemplateParameter, TemplateRule


class TemplateParameterSerializer(serializers.ModelSerializer):
    class Meta:
        model = TemplateParameter
        fields = ["name", "label", "kind", "default", "minimum", "maximum", "required", "help_text"]


class TemplateRuleSerializer(serializers.ModelSerializer):
    capability = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    skill = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = TemplateRule
        fields = [
            "key",
            "kind",
            "capability",
            "skill",
            "min_level",
            "quantity",
            "condition",
            "start_anchor",
            "start_offset_hours",
            "end_anchor",
            "end_offset_hours",
            "repeat",
        ]


class OutcomeTemplateSerializer(serializers.ModelSerializer):
    parameters = TemplateParameterSerializer(many=True, read_only=True)
    rules = TemplateRuleSerializer(many=True, read_only=True)

    class Meta:
        model = OutcomeTemplate
        fields = ["id", "slug", "name", "description", "parameters", "rules"]


class OutcomeSerializer(serializers.Serializer):
    template = serializers.SlugRelatedField(
        slug_field="slug", queryset=OutcomeTemplate.objects.filter(active=True)
    )
    parameters = serializers.DictField(child=serializers.JSONField(), required=False, default=dict)


class GearRequirementOutSerializer(serializers.Serializer):
    id = serializers.CharField(source="scenario_id")
    capability = serializers.CharField(source="capability.slug")
    capability_name = serializers.CharField(source="capability.name")
    quantity = serializers.IntegerField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    label = serializers.CharField()


class ShiftOutSerializer(serializers.Serializer):
    id = serializers.CharField(source="scenario_id")
    role = serializers.CharField(source="skill.slug")
    role_name = serializers.CharField(source="skill.name")
    min_level = serializers.IntegerField()
    count = serializers.IntegerField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    label = serializers.CharField()


class RequirementsSerializer(serializers.Serializer):
    gear = GearRequirementOutSerializer(many=True)
    crew = ShiftOutSerializer(many=True)


class OrderSerializer(serializers.ModelSerializer):
    """Read: the order with its expanded requirements, cost, margin and risk. Write: the order's fields."""

    client = serializers.PrimaryKeyRelatedField(queryset=Client.objects.all())
    venue = serializers.PrimaryKeyRelatedField(queryset=Venue.objects.all())
    outcomes = OutcomeSerializer(many=True)
    version = serializers.IntegerField(
        required=False, help_text="On update: the version you edited (409 if stale)."
    )
    # Every status can be read (a cancelled order too); validate_status limits what a create may ask for.
    status = serializers.ChoiceField(
        choices=Order.Status.choices,
        required=False,
        help_text="On create: draft, submitted (default) or confirmed. Use the actions to change it later.",
    )
    priority = serializers.IntegerField(min_value=1, max_value=5, required=False, default=3)
    price = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    requirements = serializers.SerializerMethodField()
    estimated_cost = serializers.SerializerMethodField()
    margin = serializers.SerializerMethodField()
    risk = serializers.SerializerMethodField()
    plan = serializers.SerializerMethodField()

    class Meta:
        model = Order
        fields = [
            "id",
            "code",
            "version",
            "status",
            "title",
            "client",
            "venue",
            "price",
            "priority",
            "load_in",
            "show_start",
            "show_end",
            "load_out",
            "notes",
            "outcomes",
            "requirements",
            "estimated_cost",
            "margin",
            "risk",
            "plan",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["code", "created_by", "created_at", "updated_at"]

    def validate_status(self, value: str) -> str:
        if value == Order.Status.CANCELLED:
            raise serializers.ValidationError("An order is cancelled with its cancel action.")
        return value

    def _standing(self, order: Order):
        standings = self.context.setdefault("standings", {})
        if order.pk not in standings:
            from sales.selectors import order_standings

            standings.update(order_standings([order]))
        return standings[order.pk]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["outcomes"] = [
            {"template": outcome.template.slug, "parameters": outcome.parameters}
            for outcome in instance.outcomes.all()
        ]
        return data

    @extend_schema_field(RequirementsSerializer)
    def get_requirements(self, order: Order) -> dict:
        from sales.selectors import order_requirements

        gear, shifts = order_requirements(order)
        return RequirementsSerializer({"gear": gear, "crew": shifts}).data

    def get_estimated_cost(self, order: Order) -> str:
        return str(self._standing(order).estimated_cost)

    def get_margin(self, order: Order) -> str:
        return str(self._standing(order).margin)

    @extend_schema_field(
        serializers.ChoiceField(choices=["pending", "covered", "subrented", "short", "draft", "cancelled"])
    )
    def get_risk(self, order: Order) -> str:
        return self._standing(order).risk

    def get_plan(self, order: Order) -> int | None:
        return self._standing(order).plan_id
