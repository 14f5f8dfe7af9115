"""Plan and pin endpoints: plans in the shape of SCENARIO.md with their scenario and diff, publish, pins.

Planners and crew coordinators read plans; planners publish and pin. A stale proposal gets 409; a pin that
cannot hold with the other pins and bookings gets 400 with the conflicting ones named.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from allocation import services
from allocation.diff import plan_diff
from allocation.models import Pin, PlanRun
from allocation.serializers import (
    PinConflictSerializer,
    PinSerializer,
    PlanDiffSerializer,
    PlanDocumentSerializer,
    PlanSummarySerializer,
    plan_document,
)
from allocation.services import PinConflict, StaleProposal
from rentalops.permissions import RolePermission
from rentalops.roles import COORDINATOR, PLANNER

StaleSerializer = inline_serializer("StaleProposal", {"detail": serializers.CharField()})


@extend_schema(
    parameters=[
        OpenApiParameter(
            "state",
            str,
            enum=[choice for choice, _ in PlanRun.State.choices],
            description="Only plans in this state.",
        )
    ]
)
class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Plan runs, newest first; ``plans/<id>/`` is the plan in the shape of SCENARIO.md."""

    permission_classes = [RolePermission]
    read_roles = (PLANNER, COORDINATOR)
    write_roles = (PLANNER,)
    filterset_fields = ["state", "status"]
    ordering_fields = ["created_at", "id", "objective"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        plans = PlanRun.objects.select_related("published_by")
        if self.action == "list":
            plans = plans.defer("scenario", "plan")
        return plans

    def get_serializer_class(self):
        return PlanSummarySerializer if self.action == "list" else PlanDocumentSerializer

    @extend_schema(responses=PlanDocumentSerializer)
    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return Response(PlanDocumentSerializer(plan_document(self.get_object())).data)

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT}, description="The exact scenario the plan was solved from."
    )
    @action(detail=True, methods=["get"])
    def scenario(self, request: Request, pk: str | None = None) -> Response:
        return Response(self.get_object().scenario)

    @extend_schema(
        responses=PlanDiffSerializer, description="What this plan changes against the published plan."
    )
    @action(detail=True, methods=["get"])
    def diff(self, request: Request, pk: str | None = None) -> Response:
        plan = self.get_object()
        published = PlanRun.objects.filter(state=PlanRun.State.PUBLISHED).first()
        base = plan.previous if plan.state == PlanRun.State.PUBLISHED else published
        return Response(PlanDiffSerializer(plan_diff(plan, base).as_dict()).data)

    @extend_schema(request=None, responses={200: PlanSummarySerializer, 409: StaleSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        plan = self.get_object()
        try:
            services.plan_publish(plan=plan, user=request.user)
        except StaleProposal as error:
            return Response({"detail": str(error)}, status=status.HTTP_409_CONFLICT)
        plan.refresh_from_db()
        return Response(PlanSummarySerializer(plan).data)


class PinViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Planners' pins; creating or deleting one re-plans. A pin that cannot hold is refused (400, named)."""

    serializer_class = PinSerializer
    permission_classes = [RolePermission]
    read_roles = (PLANNER, COORDINATOR)
    write_roles = (PLANNER,)
    queryset = Pin.objects.select_related("requirement__job", "product", "shift__job", "crew", "created_by")
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]

    @extend_schema(responses={201: PinSerializer, 400: PinConflictSerializer})
    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            pin = services.pin_create(user=request.user, **serializer.validated_data)
        except PinConflict as conflict:
            return Response(
                {"detail": conflict.message, "conflicts": conflict.conflicts},
                status=status.HTTP_400_BAD_REQUEST,
            )
        except DjangoValidationError as error:
            if hasattr(error, "error_dict"):
                raise ValidationError(
                    {key: list(messages) for key, messages in error.message_dict.items()}
                ) from None
            raise ValidationError({"non_field_errors": error.messages}) from None
        return Response(
            self.get_serializer(self.get_queryset().get(pk=pin.pk)).data, status=status.HTTP_201_CREATED
        )

    def perform_destroy(self, instance: Pin) -> None:
        services.pin_delete(pin=instance, user=self.request.user)


def register(router: BaseRouter) -> None:
    router.register("plans", PlanViewSet, basename="plan")
    router.register("pins", PinViewSet, basename="pin")
