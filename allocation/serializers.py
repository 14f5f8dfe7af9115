"""Plans in the shape of SCENARIO.md, their diff, and pins."""

from typing import Any

from rest_framework import serializers

from allocation.models import Pin, PlanRun
from allocation.solver.scenario import COST_PARTS
from jobs.models import GearRequirement, Product
from labor.models import CrewMember, Shift


class PlanSummarySerializer(serializers.ModelSerializer):
    """A plan run without its lines: state, solver status, objective and its parts, trigger, who published."""

    published_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = PlanRun
        fields = [
            "id",
            "state",
            "status",
            "trigger",
            "message",
            "solver",
            "objective",
            "bound",
            "gap",
            "solve_seconds",
            "costs",
            "conflicts",
            "job_count",
            "previous",
            "created_at",
            "published_at",
            "published_by",
        ]
        read_only_fields = fields


class GearLineSerializer(serializers.Serializer):
    requirement = serializers.CharField()
    product = serializers.CharField()
    quantity = serializers.IntegerField()


class SubRentalLineSerializer(serializers.Serializer):
    requirement = serializers.CharField()
    vendor = serializers.CharField()
    quantity = serializers.IntegerField()


class ShortageLineSerializer(serializers.Serializer):
    requirement = serializers.CharField()
    quantity = serializers.IntegerField()


class CrewLineSerializer(serializers.Serializer):
    shift = serializers.CharField()
    crew = serializers.CharField()


class UnfilledLineSerializer(serializers.Serializer):
    shift = serializers.CharField()
    missing = serializers.IntegerField()


class CostsSerializer(serializers.Serializer):
    shortage = serializers.FloatField()
    subrental = serializers.FloatField()
    substitution = serializers.FloatField()
    crew = serializers.FloatField()
    unfilled = serializers.FloatField()
    churn = serializers.FloatField()


class PlanDocumentSerializer(serializers.Serializer):
    """The stored plan exactly as SCENARIO.md shapes it, with the run's id, state and metadata beside it."""

    id = serializers.IntegerField()
    state = serializers.CharField()
    trigger = serializers.CharField()
    created_at = serializers.DateTimeField()
    published_at = serializers.DateTimeField(allow_null=True)
    status = serializers.CharField()
    objective = serializers.FloatField(allow_null=True)
    bound = serializers.FloatField(allow_null=True)
    gap = serializers.FloatField(allow_null=True)
    solve_seconds = serializers.FloatField()
    solver = serializers.CharField()
    gear = GearLineSerializer(many=True)
    subrentals = SubRentalLineSerializer(many=True)
    shortages = ShortageLineSerializer(many=True)
    crew = CrewLineSerializer(many=True)
    unfilled = UnfilledLineSerializer(many=True)
    costs = CostsSerializer()
    conflicts = serializers.ListField(child=serializers.DictField())


def plan_document(plan: PlanRun) -> dict[str, Any]:
    """The plan's JSON (or, for a failed run, what it said) with the run's metadata."""
    stored = plan.plan or {}
    document = {
        "status": plan.status,
        "objective": plan.objective,
        "bound": plan.bound,
        "gap": plan.gap,
        "solve_seconds": plan.solve_seconds,
        "solver": plan.solver,
        "gear": [],
        "subrentals": [],
        "shortages": [],
        "crew": [],
        "unfilled": [],
        "costs": {part: (plan.costs or {}).get(part, 0.0) for part in COST_PARTS},
        "conflicts": plan.conflicts or [],
        **stored,
    }
    return {
        "id": plan.pk,
        "state": plan.state,
        "trigger": plan.trigger,
        "created_at": plan.created_at,
        "published_at": plan.published_at,
        **document,
    }


class ChangeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    before = serializers.IntegerField()
    after = serializers.IntegerField()
    delta = serializers.IntegerField()


class CrewMoveSerializer(serializers.Serializer):
    shift = serializers.CharField()
    job = serializers.CharField()
    role = serializers.CharField()
    start = serializers.CharField()
    removed = serializers.ListField(child=serializers.CharField())
    added = serializers.ListField(child=serializers.CharField())


class JobChangeSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    priority = serializers.IntegerField()
    gear = ChangeSerializer(many=True)
    subrentals = ChangeSerializer(many=True)
    shortages = ChangeSerializer(many=True)
    overhire = ChangeSerializer(many=True)
    crew = CrewMoveSerializer(many=True)


class CostChangeSerializer(serializers.Serializer):
    part = serializers.CharField()
    before = serializers.FloatField()
    after = serializers.FloatField()
    delta = serializers.FloatField()


class PlanDiffSerializer(serializers.Serializer):
    """What a plan changes against the published plan (``base_id``; null: against an empty plan)."""

    plan_id = serializers.IntegerField()
    base_id = serializers.IntegerField(allow_null=True)
    jobs = JobChangeSerializer(many=True)
    costs = CostChangeSerializer(many=True)
    total = CostChangeSerializer()


class PinSerializer(serializers.ModelSerializer):
    """A gear pin (requirement, product, quantity) or a crew pin (shift, crew), by database ids."""

    kind = serializers.SerializerMethodField()
    target = serializers.SerializerMethodField(
        help_text="The scenario ids it pins, e.g. 'SO-00001/o1-a1-d1'."
    )
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    requirement = serializers.PrimaryKeyRelatedField(
        queryset=GearRequirement.objects.select_related("job"), required=False, allow_null=True
    )
    product = serializers.PrimaryKeyRelatedField(
        queryset=Product.objects.all(), required=False, allow_null=True
    )
    shift = serializers.PrimaryKeyRelatedField(
        queryset=Shift.objects.select_related("job"), required=False, allow_null=True
    )
    crew = serializers.PrimaryKeyRelatedField(
        queryset=CrewMember.objects.all(), required=False, allow_null=True
    )
    quantity = serializers.IntegerField(min_value=0, required=False, allow_null=True)

    class Meta:
        model = Pin
        fields = [
            "id",
            "kind",
            "target",
            "requirement",
            "product",
            "quantity",
            "shift",
            "crew",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["id", "kind", "target", "created_by", "created_at"]
        # The service replaces a gear pin of the same pair and refuses a repeated crew pin by name.
        validators: list = []

    def get_kind(self, pin: Pin) -> str:
        return "gear" if pin.is_gear else "crew"

    def get_target(self, pin: Pin) -> str:
        if pin.is_gear:
            return f"{pin.quantity} x {pin.product.sku} on {pin.requirement.scenario_id}"
        return f"{pin.crew.code} on {pin.shift.scenario_id}"

    def validate(self, data: dict) -> dict:
        gear = any(data.get(name) is not None for name in ("requirement", "product", "quantity"))
        crew = any(data.get(name) is not None for name in ("shift", "crew"))
        if gear == crew:
            raise serializers.ValidationError(
                "Send either requirement, product and quantity (a gear pin) or shift and crew (a crew pin)."
            )
        missing = [
            name
            for name in (("requirement", "product", "quantity") if gear else ("shift", "crew"))
            if data.get(name) is None
        ]
        if missing:
            raise serializers.ValidationError({name: ["This field is required."] for name in missing})
        return data


class PinConflictSerializer(serializers.Serializer):
    # A clash names its conflicts; a bad field gets DRF's field errors instead (the same 400).
    detail = serializers.CharField(required=False)
    conflicts = serializers.ListField(child=serializers.DictField(), required=False)
