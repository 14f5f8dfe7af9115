"""Settings come from the environment; the production path passes Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from rentalops.env import envbool, envfloat, envint, envlist

REPO = Path(__file__).resolve().parents[2]
SECRET = "k3Zp8s-Qw2vLx9_Tn4mYb7RcJd0FhGe6UaWiXoPq1StVz5NyMr"  # 50 characters, test only


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    base = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    base.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "raw, expected", [("1", True), ("true", True), ("Yes", True), ("0", False), ("off", False)]
)
def test_envbool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("FLAG", raw)
    assert envbool("FLAG", not expected) is expected


def test_envbool_uses_the_default_when_unset_or_empty(monkeypatch):
    monkeypatch.delenv("FLAG", raising=False)
    assert envbool("FLAG", True) is True
    monkeypatch.setenv("FLAG", "")
    assert envbool("FLAG", False) is False


def test_envbool_rejects_nonsense_with_the_variable_named(monkeypatch):
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ValueError, match="FLAG must be a boolean"):
        envbool("FLAG", True)


def test_envint_and_envfloat_parse_numbers_and_name_the_variable_on_error(monkeypatch):
    monkeypatch.setenv("COUNT", "12")
    monkeypatch.setenv("LIMIT", "2.5")
    assert envint("COUNT", 0) == 12
    assert envfloat("LIMIT", 0.0) == 2.5
    monkeypatch.setenv("COUNT", "twelve")
    with pytest.raises(ValueError, match="COUNT must be a whole number"):
        envint("COUNT", 0)


def test_envlist_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("HOSTS", "ops.example.com, ,api.example.com")
    assert envlist("HOSTS", []) == ["ops.example.com", "api.example.com"]


def test_production_settings_pass_the_deploy_checks():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="ops.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DEBUG="0", ALLOWED_HOSTS="ops.example.com")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_a_database_url_selects_the_database(settings):
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; import django; django.setup();"
            "d = settings.DATABASES['default']; print(d['ENGINE'], d['NAME'], d['HOST'], d['PORT'])",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "rentalops.settings",
            "DATABASE_URL": "postgres://ops@db.internal:6543/season",
        },
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "season", "db.internal", "6543"]


def test_without_a_broker_the_solve_runs_in_process():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; import django; django.setup();"
            "print(settings.BROKER_CONFIGURED, settings.CELERY_TASK_ALWAYS_EAGER)",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **{k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "CELERY_BROKER_URL"}},
            "DJANGO_SETTINGS_MODULE": "rentalops.settings",
        },
    )
    assert result.stdout.split() == ["False", "True"]
