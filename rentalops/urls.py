"""The project's URLs: pages per app, the API under /api/v1/, its schema and docs, health."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from rentalops import views
from rentalops.api import api_urlpatterns

urlpatterns = [
    path("", views.home, name="home"),
    path("no-role/", views.no_role, name="no-role"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("jobs/", include("jobs.urls")),
    path("labor/", include("labor.urls")),
    path("offers/", include("labor.offer_urls")),
    path("sales/", include("sales.urls")),
    path("board/", include("allocation.urls")),
    path("api/v1/", include(api_urlpatterns)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

handler500 = "rentalops.views.server_error"
