"""``/api/v1/audit/``: the audit trail for admins, newest first, filterable by action, object and time."""

import django_filters
from rest_framework import serializers, viewsets

from rentalops.models import AuditEvent
from rentalops.permissions import RolePermission
from rentalops.roles import ADMIN


class AuditEventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "at",
            "actor",
            "actor_label",
            "action",
            "object_type",
            "object_id",
            "summary",
            "changes",
        ]


class AuditEventFilter(django_filters.FilterSet):
    after = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte")
    before = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="lt")
    actor = django_filters.CharFilter(field_name="actor__username")

    class Meta:
        model = AuditEvent
        fields = ["action", "object_type", "object_id", "actor", "after", "before"]


class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    """Who changed what and when (orders, pins, publishes, bookings). Admins only; nobody writes it here."""

    queryset = AuditEvent.objects.select_related("actor")
    serializer_class = AuditEventSerializer
    permission_classes = [RolePermission]
    read_roles = (ADMIN,)
    write_roles = ()
    filterset_class = AuditEventFilter
    search_fields = ["summary", "actor_label", "object_id"]
    ordering_fields = ["at", "action"]


def register(router) -> None:
    router.register("audit", AuditEventViewSet, basename="audit")
