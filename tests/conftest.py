"""Fixtures shared by the whole suite: roles, the API client, the real Celery worker, a real Chromium.

Service tests need PostgreSQL, Redis and Chromium. Where they are missing the tests skip with the reason,
except with ``RENTALOPS_REQUIRE_SERVICES=1`` (CI), where a missing service fails the test instead.
"""

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.servers.basehttp import WSGIRequestHandler
from django.db import transaction
from rest_framework.test import APIClient

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "artifacts"
DEMO_PASSWORD = "rentalops-demo"
CHROMIUM = os.environ.get("RENTALOPS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Playwright's sync API runs an event loop in the test thread; the ORM calls our fixtures make there are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# The live server writes a response's headers and body in separate small packets; on a kept-alive connection
# the second waits for the client's delayed acknowledgement, 40 ms a request (the API fuzz test's thousand
# requests took 44 ms each instead of 2). Sending at once is what any production server does.
WSGIRequestHandler.disable_nagle_algorithm = True


def services_required() -> bool:
    return os.environ.get("RENTALOPS_REQUIRE_SERVICES") == "1"


def missing_service(reason: str) -> None:
    """Skip with the reason, or fail when CI requires the services."""
    if services_required():
        pytest.fail(f"required service missing: {reason}", pytrace=False)
    pytest.skip(reason)


def written_once(django_db_blocker, write: Callable[[], object]) -> Iterator[None]:
    """For a module- or class-scoped fixture (``yield from``): rows that ``write`` makes once for all its
    tests, rolled back after the last of them.

    The rows are written in a transaction left open around the tests; each test's own (the ``db`` fixture's)
    is a savepoint inside it, so a test's changes are undone after it, as Django's ``setUpTestData`` does.
    Only for tests on the ``db`` fixture: a transactional test would flush the tables under it.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        write()
        try:
            with django_db_blocker.block():
                yield
        finally:
            transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _fresh_throttles() -> Iterator[None]:
    """API throttles count in the process's cache: every test starts with none spent."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def make_user(db) -> Callable[..., User]:
    """Create a user holding a role (a group name), with the demo password."""

    def make(username: str, role: str | None = None, **extra) -> User:
        user = User.objects.create_user(username=username, password=DEMO_PASSWORD, **extra)
        if role:
            user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def client_as(client, make_user) -> Callable[[str], object]:
    """A Django test client logged in as a new user of the given role."""

    def login(role: str):
        client.force_login(make_user(f"{role}-{uuid.uuid4().hex[:6]}", role))
        return client

    return login


# --- the real Celery worker on the real Redis ---------------------------------------------------------------


@pytest.fixture(scope="session")
def redis_url() -> str:
    url = os.environ.get("RENTALOPS_TEST_REDIS_URL", "")
    if not url:
        missing_service("no Redis: set RENTALOPS_TEST_REDIS_URL (make test does when Redis answers on 6379)")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        missing_service(f"Redis at {url} does not answer: {error}")
    return url


def _database_url_for_worker() -> str:
    from django.db import connection

    params = connection.settings_dict
    if connection.vendor != "postgresql":
        missing_service("a Celery worker process needs PostgreSQL (the SQLite test database lives in memory)")
    user = params.get("USER") or "postgres"
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    host, port = params.get("HOST") or "127.0.0.1", params.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{params['NAME']}"


def _reset_connections(app) -> None:
    """Drop pooled broker connections so the next send uses the broker now configured."""
    from kombu import pools

    # kombu keeps one pool per broker URL for the process; clear them all, not only the app's reference.
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def start_worker(transactional_db, settings) -> Iterator[Callable[..., dict]]:
    """Start real ``celery worker`` processes on a Redis and the test database; our tasks go to them."""
    from rentalops.celery import app

    previous = {
        key: app.conf[key]
        for key in ("broker_url", "result_backend", "task_always_eager", "task_default_queue")
    }
    started: list[dict] = []

    def start(
        broker_url: str, *, beat: bool = False, env: dict[str, str] | None = None, pool: str = "solo"
    ) -> dict:
        queue = f"test-{uuid.uuid4().hex[:8]}"
        worker_env = {
            **os.environ,
            "DATABASE_URL": _database_url_for_worker(),
            "REDIS_URL": broker_url,
            "CELERY_RESULT_BACKEND": broker_url,
            "CELERY_QUEUE": queue,
            "DEBUG": "1",
            **(env or {}),
        }
        ARTIFACTS.mkdir(exist_ok=True)
        log_path = ARTIFACTS / f"celery-{queue}.log"
        log = log_path.open("w")
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "rentalops",
            "worker",
            f"--pool={pool}",
            "--concurrency=1",
            "--loglevel=info",
            "--without-mingle",
            "--without-gossip",
            "-n",
            f"{queue}@%h",
            "-Q",
            queue,
        ]
        if beat:
            command += ["--beat", "--schedule", str(ARTIFACTS / f"beat-{queue}")]
        process = subprocess.Popen(command, cwd=REPO, env=worker_env, stdout=log, stderr=subprocess.STDOUT)
        worker = {"process": process, "queue": queue, "log": log_path, "env": worker_env, "logfile": log}
        started.append(worker)
        app.conf.update(
            broker_url=broker_url,
            result_backend=broker_url,
            task_always_eager=False,
            task_default_queue=queue,
        )
        settings.BROKER_CONFIGURED = True
        settings.CELERY_BROKER_URL = broker_url
        _reset_connections(app)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"the Celery worker exited with {process.returncode}: see {log_path}")
            if app.control.ping(destination=[f"{queue}@{os.uname().nodename}"], timeout=0.5):
                return worker
        pytest.fail(f"the Celery worker did not answer within 60 s: see {log_path}")

    yield start
    for worker in started:
        worker["process"].terminate()
        try:
            worker["process"].wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker["process"].kill()
        worker["logfile"].close()
    app.conf.update(previous)
    _reset_connections(app)


@pytest.fixture
def celery_worker(start_worker, redis_url) -> dict:
    """One real worker on the shared test Redis."""
    return start_worker(redis_url)


@pytest.fixture
def private_redis() -> Iterator[dict]:
    """A Redis server of this test's own, on a free port, that the test may stop and start again."""
    if not shutil.which("redis-server"):
        missing_service("no redis-server binary to start a private Redis")
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    state: dict = {"url": f"redis://127.0.0.1:{port}/0", "process": None}

    def start() -> None:
        import redis

        state["process"] = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis(port=port, socket_connect_timeout=0.5)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.RedisError:
                time.sleep(0.1)
        pytest.fail(f"the private Redis on port {port} did not start")

    def stop() -> None:
        state["process"].terminate()
        state["process"].wait(timeout=10)

    state.update(start=start, stop=stop)
    start()
    yield state
    if state["process"].poll() is None:
        stop()


# --- a real headless Chromium ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        missing_service(f"no Chromium at {CHROMIUM} (apt-get install chromium chromium-driver)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context and page; ``page.base_url`` is the live server's address."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1400, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def browser_login(page, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def screenshot(page, name: str) -> Path:
    """Save a screenshot under artifacts/ (kept by CI as evidence of what the user saw)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
