"""Project-wide pages: the role's home, health."""

import sys
import time

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.views.decorators.cache import never_cache

from allocation.selectors import last_solve_summary
from rentalops.roles import home_url, user_roles


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each user to their role's home page."""
    return redirect(home_url(request.user))


@login_required
def no_role(request: HttpRequest) -> HttpResponse:
    """A signed-in user without a role: say so instead of failing."""
    if user_roles(request.user):
        return redirect("home")
    return render(request, "no_role.html", status=403)


def _check_database() -> dict:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any driver error means the database is down for us
        return {
            "ok": False,
            "error": str(error).strip().splitlines()[0] if str(error).strip() else repr(error),
        }
    return {"ok": True, "vendor": connection.vendor, "ms": round((time.perf_counter() - started) * 1000, 1)}


def _check_broker() -> dict:
    if not settings.BROKER_CONFIGURED:
        return {"ok": True, "mode": "in-process", "detail": "no broker configured: solves run in-process"}
    from kombu import Connection

    started = time.perf_counter()
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
    except Exception as error:  # kombu raises transport-specific errors
        return {"ok": False, "mode": "celery", "error": str(error) or repr(error)}
    return {"ok": True, "mode": "celery", "ms": round((time.perf_counter() - started) * 1000, 1)}


def _last_solve() -> dict | None:
    try:
        return last_solve_summary()
    except Exception:  # the database check reports the outage; health must still answer
        return None


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """JSON health of the database, the broker and the last solve: 200 when healthy, 503 when not."""
    database = _check_database()
    broker = _check_broker()
    healthy = database["ok"] and broker["ok"]
    body = {
        "status": "ok" if healthy else "unhealthy",
        "database": database,
        "broker": broker,
        "last_solve": _last_solve() if database["ok"] else None,
    }
    return JsonResponse(body, status=200 if healthy else 503)


class LoginView(auth_views.LoginView):
    """The login page; the embedded demo (DEBUG on) lists its demo users."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["debug_demo_users"] = settings.DEBUG
        return context


def login_locked(
    request: HttpRequest, response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """django-axes' lockout: the login page again, saying why and for how long, with status 429."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    context = {
        "form": form,
        "next": request.POST.get("next", ""),
        "locked_out": (
            f"Too many failed logins for this user from your address. "
            f"Try again in {minutes} minutes, or ask an admin to unlock the account."
        ),
        "debug_demo_users": settings.DEBUG,
    }
    return render(request, "registration/login.html", context, status=429)


def client_ip(request: HttpRequest) -> str:
    """The address django-axes counts failures for: behind the TLS proxy, the client the proxy names."""
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


# A lost database connection is an outage, not a bug: say so with a 503 the client may retry.
UNAVAILABLE_ERRORS = (OperationalError, InterfaceError)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 handler: 503 while the database is unreachable; JSON for the API; never a traceback."""
    error = sys.exc_info()[1]
    unavailable = isinstance(error, UNAVAILABLE_ERRORS) or (
        isinstance(error, DatabaseError) and "server closed the connection" in str(error)
    )
    status = 503 if unavailable else 500
    detail = (
        "The database is unavailable; try again in a moment."
        if unavailable
        else "The server failed to answer this request; it has been logged."
    )
    if request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", ""):
        response = JsonResponse({"detail": detail}, status=status)
    else:
        # No base.html: its navigation reads the user, and so the database, which may be what failed.
        response = HttpResponse(loader.get_template("500.html").render({"detail": detail}), status=status)
    if unavailable:
        response["Retry-After"] = "5"
    return response
