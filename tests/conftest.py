import importlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.test import override_settings
from rest_framework.test import APIClient

ROOT = Path(settings.BASE_DIR)

# the system's Chromium (Debian's package), driven by Playwright in the browser tests
CHROMIUM = os.environ.get("PARLEY_CHROMIUM") or shutil.which("chromium")


@pytest.fixture(scope="session", autouse=True)
def collected_static(tmp_path_factory):
    """The static files, collected once as `make serve` collects them: with debug off, pages name
    their assets by the hashed names in the manifest, and WhiteNoise serves the collected files."""
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root):
        call_command("collectstatic", "--noinput", verbosity=0)
        yield root


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: no answer kept, no request counted, by another;
    nor a readiness answer kept by the process (config.health keeps one for a second)."""
    from django.core.cache import cache

    from config import health

    cache.clear()
    health.forget()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def dataset(db) -> None:
    """The real dataset from fixtures/, loaded as `make run` loads it."""
    call_command("load_dataset", verbosity=0)


@pytest.fixture
def page(live_server, monkeypatch, settings, collected_static):
    from playwright.sync_api import sync_playwright

    # pytest-django's live server answers /static/ itself, through the staticfiles finders, which
    # know files by their source names: the collected folder gives them the hashed names too
    settings.STATICFILES_DIRS = [collected_static]

    # Playwright's sync API runs an event loop in this thread; the database is only used by the
    # live server's own thread meanwhile.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        page = browser.new_page()
        page.requested_hosts = set()  # hosts that answered the page (blob: and data: have none)
        page.on("response", lambda reply: page.requested_hosts.add(urlsplit(reply.url).netloc))
        page.csp_violations = []  # what the Content-Security-Policy blocked, as Chromium reports it
        page.on(
            "console",
            lambda message: (
                "Content Security Policy" in message.text
                and page.csp_violations.append(message.text)
            ),
        )
        page.console_errors = []  # what the page's console would show a reader as errors
        page.on(
            "console",
            lambda message: message.type == "error" and page.console_errors.append(message.text),
        )
        page.on("pageerror", lambda error: page.console_errors.append(str(error)))
        page.on("requestfailed", lambda request: page.console_errors.append(request.url))
        yield page
        browser.close()
        # the test's own database connection, closed here: left open past the browser, it kept
        # the PostgreSQL test database from being dropped at the end of the run
        connections.close_all()


def editors_group():
    """The `editors` group the migrations make, made again after a transactional test has
    emptied the database (pytest-django runs those after the others)."""
    from django.contrib.auth.models import Group, Permission

    migration = importlib.import_module("statements.migrations.0007_editors_group")
    group, created = Group.objects.get_or_create(name="editors")
    if created:
        codenames = [f"{action}_{model}" for _app, model in migration.DATASET_MODELS
                     for action in migration.ACTIONS]  # fmt: skip
        review = importlib.import_module("statements.migrations.0011_editors_review_candidates")
        codenames += review.CODENAMES
        group.permissions.add(*Permission.objects.filter(codename__in=codenames))
    return group


@pytest.fixture
def editor(db):
    """A user in the `editors` group."""
    from django.contrib.auth.models import User

    user = User.objects.create_user("ed", password="never-used-in-tests-9f2c")
    user.groups.add(editors_group())
    return user


@pytest.fixture
def editor_client(editor) -> APIClient:
    """An API client that sends the editor's token with every request."""
    from knox.models import AuthToken

    _token, key = AuthToken.objects.create(user=editor, expiry=None)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


# A live server in a process of its own, on the real dataset: the schemathesis run
# (tests/test_api_live.py) and the generated clients (tests/test_clients.py) call it over HTTP.


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url(folder: Path) -> str:
    """Where a server in another process finds the test database. SQLite's is in memory, out
    of another process's reach: it is copied whole into a file in `folder` (VACUUM INTO)."""
    if connection.vendor == "sqlite":
        copy = folder / "live.sqlite3"
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(copy)])
        return f"sqlite:///{copy}"
    params = connection.settings_dict
    user = quote(params["USER"] or "", safe="")
    password = quote(params["PASSWORD"] or "", safe="")
    return f"postgres://{user}:{password}@{params['HOST']}:{params['PORT']}/{params['NAME']}"


@pytest.fixture(scope="module")
def live_dataset(django_db_setup, django_db_blocker, tmp_path_factory):
    """The real dataset and an editor's token, committed in the test database (a server in
    another process sees only what is committed), and removed after the module's tests."""
    from django.contrib.auth.models import User
    from knox.models import AuthToken

    with django_db_blocker.unblock():
        call_command("load_dataset", verbosity=0)
        user = User.objects.create_user("fuzzing-editor", password="never-used-in-tests-4b1e")
        user.groups.add(editors_group())
        _token, key = AuthToken.objects.create(user=user, expiry=None)
        url = database_url(tmp_path_factory.mktemp("live"))
    yield url, key
    with django_db_blocker.unblock():
        # with CASCADE: on PostgreSQL the kept rankings (config.db.search.top) refer to the records
        call_command("flush", interactive=False, verbosity=0, allow_cascade=True)


@pytest.fixture(scope="module")
def api_server(live_dataset, tmp_path_factory):
    """`manage.py runserver` on a free port, on the test database, debug on as `make run` has
    it; no rate limits, which the fuzzing's thousands of requests would reach. Its address,
    and the file it logs its warnings and errors to."""
    url, _key = live_dataset
    port = free_port()
    log = tmp_path_factory.mktemp("live") / "server.log"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "true",
        "PARLEY_ANON_RATE": "off",
        "PARLEY_WRITE_RATE": "off",
        "PARLEY_LOG_LEVEL": "WARNING",
    }
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("runserver did not start:\n" + log.read_text())
            time.sleep(0.3)
    yield base, log
    process.terminate()
    process.wait(timeout=30)
