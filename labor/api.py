"""Crew endpoints."""

from django.db.models import Prefetch
from django_filters import rest_framework as filters
from rest_framework import viewsets
from rest_framework.routers import BaseRouter

from labor import serializers
from labor.models import Certification, CrewMember, CrewSkill


class CrewFilter(filters.FilterSet):
    skill = filters.CharFilter(field_name="crew_skills__skill__slug", label="Skill slug")
    min_level = filters.NumberFilter(field_name="crew_skills__level", lookup_expr="gte")

    class Meta:
        model = CrewMember
        fields = ["kind", "active"]


class CrewViewSet(viewsets.ModelViewSet):
    """Staff and freelancers with their skills, certifications and time off."""

    queryset = CrewMember.objects.prefetch_related(
        Prefetch("crew_skills", queryset=CrewSkill.objects.select_related("skill")),
        Prefetch("certifications", queryset=Certification.objects.select_related("certification_type")),
        "unavailability",
    ).distinct()
    serializer_class = serializers.CrewMemberSerializer
    filterset_class = CrewFilter
    search_fields = ["code", "first_name", "last_name", "email"]
    ordering_fields = ["last_name", "day_rate", "reliability", "code"]


def register(router: BaseRouter) -> None:
    router.register("crew", CrewViewSet)
