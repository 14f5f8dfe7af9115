"""Crew, over-hire needs, offers and bookings endpoints.

Needs, offers and bookings: crew coordinators write, planners read, other roles get 403. A need is a shift of
the published plan that needs freelancers, with its ranked candidates and the reasons for their rank.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from jobs.api import CsvImportMixin
from labor import selectors, serializers, services
from labor.candidates import attach_candidates
from labor.imports import CrewResource
from labor.models import Booking, Certification, CrewMember, CrewSkill, Offer
from rentalops.concurrency import ConditionalWriteMixin
from rentalops.permissions import RolePermission
from rentalops.roles import COORDINATOR, PLANNER


class CrewFilter(filters.FilterSet):
    skill = filters.CharFilter(field_name="crew_skills__skill__slug", label="Skill slug")
    min_level = filters.NumberFilter(field_name="crew_skills__level", lookup_expr="gte")

    class Meta:
        model = CrewMember
        fields = ["kind", "active"]


class CrewViewSet(CsvImportMixin, ConditionalWriteMixin, viewsets.ModelViewSet):
    """Staff and freelancers with their skills, certifications and time off."""

    import_resource = CrewResource

    queryset = CrewMember.objects.prefetch_related(
        Prefetch("crew_skills", queryset=CrewSkill.objects.select_related("skill")),
        Prefetch("certifications", queryset=Certification.objects.select_related("certification_type")),
        "unavailability",
    ).distinct()
    serializer_class = serializers.CrewMemberSerializer
    filterset_class = CrewFilter
    search_fields = ["code", "first_name", "last_name", "email"]
    ordering_fields = ["last_name", "day_rate", "reliability", "code"]


def _field_errors(error: DjangoValidationError) -> ValidationError:
    if hasattr(error, "error_dict"):
        return ValidationError({key: list(messages) for key, messages in error.message_dict.items()})
    return ValidationError({"detail": error.messages})


class OverHireAccess:
    permission_classes = [RolePermission]
    read_roles = (PLANNER, COORDINATOR)
    write_roles = (COORDINATOR,)


def _date(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError({name: ["Use a date as YYYY-MM-DD."]}) from None


class NeedViewSet(OverHireAccess, viewsets.GenericViewSet):
    """The published plan's over-hire needs by call time, each with ranked candidates and their reasons."""

    serializer_class = serializers.NeedSerializer
    filter_backends: list = []

    @extend_schema(
        parameters=[
            OpenApiParameter("skill", str, description="Only this skill (slug)."),
            OpenApiParameter("job", str, description="Only this job (code)."),
            OpenApiParameter("date_from", date, description="Shifts starting on or after this day."),
            OpenApiParameter("date_to", date, description="Shifts starting on or before this day."),
            OpenApiParameter(
                "include_filled", bool, description="Also needs whose places are all booked (default false)."
            ),
        ]
    )
    def list(self, request: Request) -> Response:
        params = request.query_params
        needs = selectors.needs_list(
            skill=params.get("skill", ""),
            job=params.get("job", ""),
            date_from=_date(params.get("date_from"), "date_from"),
            date_to=_date(params.get("date_to"), "date_to"),
            include_filled=params.get("include_filled", "").lower() in ("1", "true", "yes"),
        )
        page = self.paginate_queryset(needs)
        attach_candidates(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class OfferViewSet(OverHireAccess, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Offers of shifts to freelancers: send to one or several (each gets a signed link), list, withdraw."""

    queryset = Offer.objects.select_related("crew", "sent_by").order_by("-sent_at", "-id")
    serializer_class = serializers.OfferSerializer
    filterset_fields = ["status", "shift", "crew"]
    ordering_fields = ["sent_at", "expires_at", "id"]

    @extend_schema(
        request=serializers.OfferCreateSerializer, responses={201: serializers.OfferSerializer(many=True)}
    )
    def create(self, request: Request) -> Response:
        incoming = serializers.OfferCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            offers = services.offer_send(
                shift=incoming.validated_data["shift"],
                crew=incoming.validated_data["crew"],
                user=request.user,
                site_url=request.build_absolute_uri("/"),
            )
        except DjangoValidationError as error:
            raise _field_errors(error) from None
        return Response(serializers.OfferSerializer(offers, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: serializers.OfferSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        try:
            offer = services.offer_withdraw(offer=self.get_object(), user=request.user)
        except DjangoValidationError as error:
            return Response({"detail": " ".join(error.messages)}, status=status.HTTP_409_CONFLICT)
        return Response(serializers.OfferSerializer(offer).data)


class BookingViewSet(OverHireAccess, viewsets.ReadOnlyModelViewSet):
    """Confirmed and cancelled freelancer bookings; cancel one with a reason (a re-plan follows)."""

    queryset = Booking.objects.select_related("shift__job", "shift__skill", "crew", "cancelled_by").order_by(
        "start", "id"
    )
    serializer_class = serializers.BookingSerializer
    filterset_fields = ["status", "shift", "crew", "shift__job"]
    ordering_fields = ["start", "created_at", "id"]

    @extend_schema(
        request=serializers.BookingCancelSerializer, responses={200: serializers.BookingSerializer}
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        incoming = serializers.BookingCancelSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            booking = services.booking_cancel(
                booking=self.get_object(),
                reason=incoming.validated_data["reason"],
                side=incoming.validated_data["side"],
                user=request.user,
            )
        except DjangoValidationError as error:
            raise _field_errors(error) from None
        return Response(serializers.BookingSerializer(booking).data)


def register(router: BaseRouter) -> None:
    router.register("crew", CrewViewSet)
    router.register("needs", NeedViewSet, basename="need")
    router.register("offers", OfferViewSet)
    router.register("bookings", BookingViewSet)
