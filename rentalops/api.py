"""The API's root: token login and every app's endpoints under /api/v1/."""

from django.urls import include, path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny
from rest_framework.routers import DefaultRouter

from allocation.api import register as register_allocation
from jobs.api import register as register_jobs
from labor.api import register as register_labor
from sales.api import register as register_sales


class TokenLoginView(ObtainAuthToken):
    """Exchange a username and password for an API token."""

    permission_classes = [AllowAny]

    @extend_schema(
        request=inline_serializer(
            "TokenRequest", {"username": serializers.CharField(), "password": serializers.CharField()}
        ),
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()})},
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


router = DefaultRouter()
register_jobs(router)
register_labor(router)
register_sales(router)
register_allocation(router)

api_urlpatterns = [
    path("auth/token/", TokenLoginView.as_view(), name="api-token"),
    path("", include(router.urls)),
]
