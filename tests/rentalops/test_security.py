"""Security: login lockout, API throttles, CSRF on every form, production cookies and headers, no secrets."""

import json
import re
import subprocess
from pathlib import Path

import pytest
from axes.models import AccessAttempt

from tests.rentalops.test_settings import SECRET, run_manage

REPO = Path(__file__).resolve().parents[2]
LOGIN = "/accounts/login/"


def post_login(client, password: str, username: str = "rep"):
    return client.post(LOGIN, {"username": username, "password": password})


@pytest.mark.django_db
def test_five_wrong_passwords_are_answered_as_wrong(client, make_user):
    make_user("rep", "sales")
    for _ in range(4):
        response = post_login(client, "wrong")
        assert response.status_code == 200
        assert b"Please enter a correct username and password" in response.content


@pytest.mark.django_db
def test_the_fifth_wrong_password_locks_the_login_with_a_message(client, make_user):
    make_user("rep", "sales")
    for _ in range(4):
        post_login(client, "wrong")
    response = post_login(client, "wrong")
    assert response.status_code == 429
    assert b"Too many failed logins" in response.content
    assert b"Try again in 15 minutes" in response.content
    assert AccessAttempt.objects.get(username="rep").failures_since_start == 5


@pytest.mark.django_db
def test_the_right_password_is_refused_during_the_lock(client, make_user):
    make_user("rep", "sales")
    for _ in range(5):
        post_login(client, "wrong")
    response = post_login(client, "rentalops-demo")
    assert response.status_code == 429
    assert b"Too many failed logins" in response.content
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_lock_is_per_user_and_address(client, make_user):
    make_user("rep", "sales")
    make_user("other", "sales")
    for _ in range(5):
        post_login(client, "wrong")
    assert post_login(client, "rentalops-demo", username="other").status_code == 302
    assert (
        client.post(
            LOGIN, {"username": "rep", "password": "rentalops-demo"}, REMOTE_ADDR="10.9.9.9"
        ).status_code
        == 302
    )


@pytest.mark.django_db
def test_the_lock_ends_after_the_cool_off(client, make_user):
    make_user("rep", "sales")
    for _ in range(5):
        post_login(client, "wrong")
    AccessAttempt.objects.update(attempt_time="2000-01-01T00:00:00Z")
    assert post_login(client, "rentalops-demo").status_code == 302


@pytest.mark.django_db
def test_a_good_login_forgets_earlier_failures(client, make_user):
    make_user("rep", "sales")
    for _ in range(4):
        post_login(client, "wrong")
    assert post_login(client, "rentalops-demo").status_code == 302
    client.logout()
    for _ in range(4):
        assert post_login(client, "wrong").status_code == 200


@pytest.mark.django_db
def test_the_token_endpoint_refuses_a_locked_user(api_client, make_user):
    make_user("rep", "sales")
    for _ in range(5):
        api_client.post("/api/v1/auth/token/", {"username": "rep", "password": "wrong"})
    response = api_client.post("/api/v1/auth/token/", {"username": "rep", "password": "rentalops-demo"})
    assert response.status_code == 429
    assert response.json() == {
        "detail": "Too many failed logins for this user from your address; try again later."
    }


@pytest.mark.django_db
def test_the_token_endpoint_throttles_after_ten_tries_a_minute(api_client, make_user):
    for number in range(10):
        make_user(f"user{number}", "sales")
        response = api_client.post(
            "/api/v1/auth/token/", {"username": f"user{number}", "password": "rentalops-demo"}
        )
        assert response.status_code == 200
    response = api_client.post("/api/v1/auth/token/", {"username": "user0", "password": "rentalops-demo"})
    assert response.status_code == 429
    assert "Retry-After" in response.headers
    assert "throttled" in response.json()["detail"].lower()


@pytest.mark.django_db
def test_api_users_are_throttled_at_their_rate(api_client, make_user, monkeypatch):
    from rest_framework.throttling import UserRateThrottle

    monkeypatch.setitem(UserRateThrottle.THROTTLE_RATES, "user", "3/minute")
    api_client.force_authenticate(make_user("pat", "planner"))
    statuses = [api_client.get("/api/v1/jobs/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_the_api_throttle_rates_are_sensible(settings):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert rates == {"anon": "120/minute", "user": "3000/minute", "token": "10/minute"}


# --- CSRF on every form ------------------------------------------------------------------------------------

FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.S | re.I)
POST = re.compile(r"""method\s*=\s*["']?post""", re.I)
HTMX_POST = re.compile(r"""\bhx-post\s*=""", re.I)


APPS = ("jobs", "sales", "allocation", "labor", "rentalops")


def template_files() -> list[Path]:
    found = sorted((REPO / "templates").rglob("*.html"))
    for app in APPS:
        found += sorted((REPO / app / "templates").rglob("*.html"))
    return found


INCLUDE = re.compile(r"""{%\s*include\s+["']([^"']+)["'][^%]*%}""")


def with_includes(text: str) -> str:
    """The template's text with its ``{% include %}`` partials written in (they may hold the token)."""

    def expand(match: re.Match) -> str:
        name = match.group(1)
        for root in [REPO / "templates"] + [REPO / app / "templates" for app in APPS]:
            if (root / name).exists():
                return with_includes((root / name).read_text())
        return match.group(0)

    return INCLUDE.sub(expand, text)


def test_every_post_form_in_the_templates_carries_the_csrf_token():
    checked, missing = 0, []
    for path in template_files():
        for form in FORM.findall(with_includes(path.read_text())):
            opening = form.split(">", 1)[0]
            if not POST.search(opening):
                continue
            checked += 1
            # an htmx form sends the X-CSRFToken header of base.html; a plain form needs the hidden field
            if "{% csrf_token %}" not in form and not HTMX_POST.search(opening):
                missing.append(f"{path.relative_to(REPO)}: {opening[:80]}")
    assert checked >= 5
    assert not missing, "POST forms without {% csrf_token %}:\n" + "\n".join(missing)


def test_htmx_requests_carry_the_csrf_header():
    base = (REPO / "templates" / "base.html").read_text()
    assert """hx-headers='{"X-CSRFToken": "{{ csrf_token }}"}'""" in base


@pytest.mark.django_db
def test_a_post_without_the_csrf_token_is_refused(make_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    make_user("rep", "sales")
    response = client.post(LOGIN, {"username": "rep", "password": "rentalops-demo"})
    assert response.status_code == 403


# --- production settings -----------------------------------------------------------------------------------

PRODUCTION_VALUES = """
from django.conf import settings; import django, json; django.setup()
print(json.dumps({name: getattr(settings, name) for name in (
    "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_HTTPONLY",
    "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY", "SESSION_COOKIE_AGE", "X_FRAME_OPTIONS", "DEBUG")}))
"""


def test_production_settings_turn_on_the_secure_flags():
    result = run_manage(
        "shell", "-c", PRODUCTION_VALUES, DEBUG="0", SECRET_KEY=SECRET, ALLOWED_HOSTS="ops.example.com"
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "SECURE_CROSS_ORIGIN_OPENER_POLICY": "same-origin",
        "SESSION_COOKIE_AGE": 43_200,
        "X_FRAME_OPTIONS": "DENY",
        "DEBUG": False,
    }


@pytest.mark.django_db
def test_pages_carry_the_security_headers(client):
    response = client.get(LOGIN)
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy
    assert "form-action 'self'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_the_api_docs_load_nothing_from_another_origin(client, make_user):
    client.force_login(make_user("pat", "planner"))
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert not re.findall(r"""(?:src|href)=["']https?://""", response.content.decode())


# --- no secret in the repository ---------------------------------------------------------------------------

SECRET_PATTERNS = [
    re.compile(r"""SECRET_KEY\s*=\s*["'][^"']{20,}["']"""),
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    re.compile(r"(?i)(aws_secret_access_key|api[_-]?key|password)\s*[:=]\s*[\"'][A-Za-z0-9/+_\-]{24,}[\"']"),
    re.compile(r"postgres(?:ql)?://[^:/@\s]+:[^@\s]{6,}@(?!db\b|localhost|127\.0\.0\.1)"),
]


def test_no_secret_is_committed():
    files = subprocess.run(
        ["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    assert not [name for name in files if name.startswith("var/") or name.endswith((".pem", ".key"))]
    leaks = []
    for name in files:
        path = REPO / name
        if path.suffix not in {".py", ".html", ".md", ".toml", ".yml", ".yaml", ".txt", ".cfg", ".json", ""}:
            continue
        try:
            text = path.read_text()
        except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
            continue
        leaks += [f"{name}: {m.group(0)[:60]}" for pattern in SECRET_PATTERNS for m in pattern.finditer(text)]
    assert not leaks, "\n".join(leaks)


def test_the_development_key_lives_under_var_and_is_ignored():
    ignored = subprocess.run(["git", "check-ignore", "var/secret_key"], cwd=REPO, capture_output=True)
    assert ignored.returncode == 0
