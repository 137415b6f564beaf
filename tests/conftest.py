import importlib
import os
import shutil
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import connections
from django.test import override_settings
from rest_framework.test import APIClient

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
