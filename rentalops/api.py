"""The API's root: token login and every app's endpoints under /api/v1/."""

from django.urls import include, path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.throttling import ScopedRateThrottle

from allocation.api import register as register_allocation
from jobs.api import register as register_jobs
from labor.api import register as register_labor
from rentalops.audit_api import register as register_audit
from sales.api import register as register_sales

LOCKED_OUT = "Too many failed logins for this user from your address; try again later."


class TokenLoginView(ObtainAuthToken):
    """Exchange a username and password for an API token."""

    permission_classes = [AllowAny]
    # Password guessing: a few tries a minute per address, on top of django-axes' lockout per user.
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(
        request=inline_serializer(
            "TokenRequest", {"username": serializers.CharField(), "password": serializers.CharField()}
        ),
        responses={
            200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
            400: inline_serializer(
                "TokenRefused",
                {
                    "username": serializers.ListField(child=serializers.CharField(), required=False),
                    "password": serializers.ListField(child=serializers.CharField(), required=False),
                    "non_field_errors": serializers.ListField(child=serializers.CharField(), required=False),
                },
            ),
            429: inline_serializer("TokenThrottled", {"detail": serializers.CharField()}),
        },
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except ValidationError:
            # django-axes marks the request when this username is locked out from this address
            if getattr(request, "axes_locked_out", False):
                return Response({"detail": LOCKED_OUT}, status=status.HTTP_429_TOO_MANY_REQUESTS)
            raise


router = DefaultRouter()
register_jobs(router)
register_labor(router)
register_sales(router)
register_allocation(router)
register_audit(router)

api_urlpatterns = [
    path("auth/token/", TokenLoginView.as_view(), name="api-token"),
    path("", include(router.urls)),
]
