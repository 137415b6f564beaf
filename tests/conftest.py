import os
import shutil
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

# the system's Chromium (Debian's package), driven by Playwright in the browser tests
CHROMIUM = os.environ.get("PARLEY_CHROMIUM") or shutil.which("chromium")


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def dataset(db) -> None:
    """The real dataset from fixtures/, loaded as `make run` loads it."""
    call_command("load_dataset", verbosity=0)


@pytest.fixture
def page(live_server, monkeypatch):
    from playwright.sync_api import sync_playwright

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
        yield page
        browser.close()
