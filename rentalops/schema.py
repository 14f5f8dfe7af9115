"""The OpenAPI schema's error responses: every operation documents the errors DRF can answer with.

drf-spectacular describes what a view returns when it succeeds and what ``extend_schema`` adds; the errors
that come from the framework itself (authentication, permissions, throttling, a missing row, a bad filter or
body) are added here for every operation that can meet them, so that a generated client knows them all.
"""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny

Detail = inline_serializer("ErrorDetail", {"detail": serializers.CharField()})
PreconditionFailed = inline_serializer(
    "PreconditionFailed",
    {"detail": serializers.CharField(), "etag": serializers.CharField(), "current": serializers.JSONField()},
)


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, with the framework's error responses added where a view does not say."""

    def _framework_errors(self) -> dict[str, object]:
        errors: dict[str, object] = {}
        method = self.method.upper()
        if method in ("POST", "PUT", "PATCH") or self.get_filter_backends():
            errors["400"] = OpenApiTypes.OBJECT  # field errors by name, or a filter value refused
        if not all(isinstance(permission, AllowAny) for permission in self.view.get_permissions()):
            errors["401"] = Detail
            errors["403"] = Detail
        if "{" in self.path or (self._is_list_view() and getattr(self.view, "pagination_class", None)):
            errors["404"] = Detail  # no such row, or no such page of a list
        if method == "DELETE":
            errors["409"] = Detail  # other rows still use it
        if method not in ("GET", "HEAD", "OPTIONS") and "{" not in self.path:
            errors["405"] = Detail
        if self.view.get_throttles():
            errors["429"] = Detail
        if self._conditional_write():
            errors["412"] = PreconditionFailed  # the row changed since the ETag was read
            errors["428"] = Detail  # no If-Match sent
        return errors

    def _conditional_write(self) -> bool:
        return getattr(self.view, "conditional_writes", False) and self.method.upper() in (
            "PUT",
            "PATCH",
            "DELETE",
        )

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self._conditional_write():
            parameters = [
                *parameters,
                OpenApiParameter(
                    "If-Match",
                    str,
                    OpenApiParameter.HEADER,
                    required=True,
                    description="The ETag of the version you edited, as a read answered it (or * for any).",
                ),
            ]
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, body in self._framework_errors().items():
            responses.setdefault(code, self._get_response_for_code(body, code, direction=direction))
        return responses
