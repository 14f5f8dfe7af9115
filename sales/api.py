"""Order and outcome-template endpoints.

A rep creates orders and sees and edits only their own; planners and admins read every order. A stale
update, by the ``version`` field (409) or an ``If-Match`` header (412), gets the current version back and
changes nothing.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from rentalops.permissions import RolePermission
from rentalops.roles import ADMIN, COORDINATOR, PLANNER, SALES, has_role
from sales import selectors, services
from sales.models import Order, OrderOutcome, OutcomeTemplate
from sales.serializers import OrderSerializer, OutcomeTemplateSerializer
from sales.services import OrderConflict, OutcomeInput

ORDER_FIELDS = (
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
)

ConflictSerializer = inline_serializer(
    "OrderConflict", {"detail": serializers.CharField(), "current_version": serializers.IntegerField()}
)


class TemplateViewSet(viewsets.ReadOnlyModelViewSet):
    """Outcome templates a rep can sell, with their parameters and expansion rules."""

    queryset = OutcomeTemplate.objects.filter(active=True).prefetch_related(
        "parameters", "rules__capability", "rules__skill"
    )
    serializer_class = OutcomeTemplateSerializer
    lookup_field = "slug"
    search_fields = ["slug", "name"]
    ordering_fields = ["name", "slug"]
    permission_classes = [RolePermission]
    read_roles = (SALES, PLANNER, COORDINATOR)


def _raise_field_errors(error: DjangoValidationError) -> None:
    raise ValidationError({key: list(messages) for key, messages in error.message_dict.items()})


class OrderViewSet(
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """Outcome-based orders: create, read, update (with the version you edited), submit, confirm, cancel."""

    serializer_class = OrderSerializer
    permission_classes = [RolePermission]
    read_roles = (SALES, PLANNER)
    write_roles = (SALES,)
    filterset_fields = ["status", "client", "venue", "priority"]
    search_fields = ["code", "title", "client__name"]
    ordering_fields = ["created_at", "show_start", "price", "code"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Order.objects.none()
        outcomes = OrderOutcome.objects.select_related("template").order_by("position")
        return selectors.visible_orders(self.request.user).prefetch_related(
            Prefetch("outcomes", queryset=outcomes), *selectors.requirements_prefetch()
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.action == "list" and hasattr(self, "_page"):
            context["standings"] = selectors.order_standings(self._page)
        return context

    def list(self, request: Request, *args, **kwargs) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        self._page = list(self.paginate_queryset(queryset))
        return self.get_paginated_response(self.get_serializer(self._page, many=True).data)

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        order = self.get_object()
        response = Response(self.get_serializer(order).data)
        response["ETag"] = f'"{order.version}"'
        return response

    def _check_may_write(self, order: Order) -> None:
        if not (has_role(self.request.user, ADMIN) or order.created_by_id == self.request.user.pk):
            self.permission_denied(self.request, message="A rep changes only their own orders.")

    @staticmethod
    def _outcomes(data: dict) -> list[OutcomeInput] | None:
        if "outcomes" not in data:
            return None
        return [OutcomeInput(item["template"], item.get("parameters") or {}) for item in data["outcomes"]]

    @extend_schema(responses={201: OrderSerializer, 400: dict})
    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            order = services.order_create(
                user=request.user,
                outcomes=self._outcomes(data),
                status=data.get("status", Order.Status.SUBMITTED),
                **{name: data[name] for name in ORDER_FIELDS if name in data},
            )
        except DjangoValidationError as error:
            _raise_field_errors(error)
        order = self.get_queryset().get(pk=order.pk)
        response = Response(self.get_serializer(order).data, status=status.HTTP_201_CREATED)
        response["ETag"] = f'"{order.version}"'
        return response

    def _expected_version(self, request: Request) -> tuple[int | None, int]:
        """The version the client edited, and the status to answer with when it is stale."""
        if_match = request.headers.get("If-Match", "").strip().removeprefix("W/").strip('"')
        if if_match:
            if not if_match.isdigit():
                raise ValidationError({"If-Match": ['Send the order\'s version as the ETag, e.g. "3".']})
            return int(if_match), status.HTTP_412_PRECONDITION_FAILED
        version = request.data.get("version")
        if version is None:
            raise ValidationError({"version": ["Send the version you edited (or an If-Match header)."]})
        try:
            return int(version), status.HTTP_409_CONFLICT
        except (TypeError, ValueError):
            raise ValidationError({"version": ["A whole number."]}) from None

    @staticmethod
    def _conflict(conflict: OrderConflict, code: int) -> Response:
        body = {"detail": str(conflict), "current_version": conflict.order.version}
        response = Response(body, status=code)
        response["ETag"] = f'"{conflict.order.version}"'
        return response

    @extend_schema(
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=False)],
        responses={200: OrderSerializer, 400: dict, 409: ConflictSerializer, 412: ConflictSerializer},
    )
    def update(self, request: Request, *args, **kwargs) -> Response:
        order = self.get_object()
        self._check_may_write(order)
        expected, stale_status = self._expected_version(request)
        serializer = self.get_serializer(order, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            order = services.order_update(
                order=order,
                user=request.user,
                expected_version=expected,
                outcomes=self._outcomes(data),
                **{name: data[name] for name in ORDER_FIELDS if name in data},
            )
        except OrderConflict as conflict:
            return self._conflict(conflict, stale_status)
        except DjangoValidationError as error:
            _raise_field_errors(error)
        order = self.get_queryset().get(pk=order.pk)
        response = Response(self.get_serializer(order).data)
        response["ETag"] = f'"{order.version}"'
        return response

    def _transition(self, request: Request, service) -> Response:
        order = self.get_object()
        self._check_may_write(order)
        expected, stale_status = (None, status.HTTP_409_CONFLICT)
        if request.headers.get("If-Match") or request.data.get("version") is not None:
            expected, stale_status = self._expected_version(request)
        try:
            order = service(order=order, user=request.user, expected_version=expected)
        except OrderConflict as conflict:
            return self._conflict(conflict, stale_status)
        except DjangoValidationError as error:
            _raise_field_errors(error)
        return Response(self.get_serializer(self.get_queryset().get(pk=order.pk)).data)

    @extend_schema(request=None, responses={200: OrderSerializer, 400: dict, 409: ConflictSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk=None) -> Response:
        """Submit a draft so the plan covers it."""
        return self._transition(request, services.order_submit)

    @extend_schema(request=None, responses={200: OrderSerializer, 400: dict, 409: ConflictSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk=None) -> Response:
        """The client confirmed."""
        return self._transition(request, services.order_confirm)

    @extend_schema(request=None, responses={200: OrderSerializer, 400: dict, 409: ConflictSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk=None) -> Response:
        """Cancel: the job leaves the plan."""
        return self._transition(request, services.order_cancel)


def register(router: BaseRouter) -> None:
    router.register("templates", TemplateViewSet, basename="template")
    router.register("orders", OrderViewSet, basename="order")
