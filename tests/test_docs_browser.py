"""The documentation pages, rendered by a real Chromium against a real HTTP server.

Playwright drives the system's Chromium (Debian's `chromium` package). Without it the tests are
skipped, except under CI, where .ci/run installs it and a missing browser is a failure.
"""

import os
import re
from urllib.parse import urlsplit
from urllib.request import urlopen

import pytest
import yaml
from django.core.management import call_command
from django.test import Client
from knox.models import AuthToken

from tests.conftest import CHROMIUM
from tests.factories import TopicFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not CHROMIUM and not os.environ.get("CI"),
        reason="no Chromium on this machine (apt-get install chromium)",
    ),
]


def test_swagger_ui_renders_every_operation_from_local_assets(page, live_server):
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".opblock-summary-path", timeout=20_000)

    paths = page.locator(".opblock-summary-path").all_inner_texts()

    # list, detail and history of 10 types, the feed, 2 facets, the search and the timeline;
    # the list and a record of 10 types in another format (CSV, NDJSON, JSON-LD); the writes of
    # 8 types: POST, PUT, PATCH and DELETE; and the editors' ingest and candidates (ingest,
    # list, detail, accept, reject)
    assert len(paths) == 35 + 2 * 10 + 4 * 8 + 5
    assert "/api/v1/statements.{format}" in paths
    assert "/api/v1/statements/" in paths
    assert page.requested_hosts - {""} == {urlsplit(live_server.url).netloc}
    assert page.console_errors == []


@pytest.fixture
def topic():
    # created before the browser starts: the database is not touched from inside Playwright's
    # event loop, whose context would hold a connection of its own
    return TopicFactory(slug="territory", name="Territory")


def test_swagger_ui_try_it_out_with_the_examples_returns_a_page(topic, page, live_server):
    # Swagger UI fills every parameter with its example: together they must still be accepted
    page.goto(f"{live_server.url}/api/docs/")
    operation = page.locator("#operations-topics-topics_list")
    operation.wait_for(timeout=20_000)
    operation.locator(".opblock-summary").click()

    operation.locator(".try-out__btn").click()
    operation.locator(".execute").click()
    status_cell = operation.locator(".live-responses-table tr.response .response-col_status").first
    status_cell.wait_for()

    status = status_cell.inner_text()
    body = operation.locator(".live-responses-table .microlight").first.inner_text()
    assert status == "200"
    assert '"slug": "territory"' in body


@pytest.fixture
def public_lists(transactional_db) -> list[tuple[str, str, str | None]]:
    """The real dataset, and (tag, operationId, its `ordering` example) of every public read of
    no one record: the lists, facets, the change feed, the search and the timeline. Made before
    the browser starts, as the topic above."""
    call_command("load_dataset", verbosity=0)
    schema = yaml.safe_load(Client().get("/api/schema/").content)
    return [
        (
            operation["tags"][0],
            operation["operationId"],
            next(
                (p["example"] for p in operation.get("parameters", []) if p["name"] == "ordering"),
                None,
            ),
        )
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        if method == "get" and "{" not in path and "security" not in operation
    ]


def test_swagger_ui_try_it_out_on_every_list_answers_records(public_lists, page, live_server):
    # "Try it out" fills in every example the schema gives and sends them together: on each
    # list, facets, feed, search and timeline the answer must hold records, not `count: 0`
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".opblock-summary-path", timeout=20_000)
    answers = {}

    for tag, operation_id, ordering in public_lists:
        operation = page.locator(f"#operations-{tag}-{operation_id}")
        operation.locator(".opblock-summary").click()
        operation.locator(".try-out__btn").click()
        with page.expect_response(lambda r: "/api/v1/" in r.url, timeout=60_000) as sent:
            operation.locator(".execute").click()
        status = operation.locator(".live-responses-table tr.response .response-col_status")
        status.first.wait_for()
        body = sent.value.json()
        records = body.get("results", body.get("speaker", body.get("kind")))
        # the ordering example went too (the timeline's included), as one value
        sent_ordering = f"ordering={ordering}" in sent.value.url if ordering else None
        answers[operation_id] = (status.first.inner_text(), bool(records), sent_ordering)
        operation.locator(".opblock-summary").click()  # folded again: the page stays short

    assert len(answers) == 15
    assert answers == {
        operation_id: ("200", True, True if ordering else None)
        for _tag, operation_id, ordering in public_lists
    }


def test_redoc_renders_the_api_from_local_assets(page, live_server):
    page.goto(f"{live_server.url}/api/redoc/")
    page.wait_for_selector("text=Parley API", timeout=20_000)

    menu = page.locator("[role=menuitem], li[data-item-id]").all_inner_texts()

    assert any("statements" in item.lower() for item in menu)
    assert page.requested_hosts - {""} == {urlsplit(live_server.url).netloc}
    assert page.console_errors == []


def test_front_door_leads_a_browser_to_the_api_root(page, live_server):
    page.goto(f"{live_server.url}/")
    page.wait_for_selector("text=Api Root", timeout=20_000)

    links = page.locator("a").evaluate_all("links => links.map(link => link.href)")

    assert page.url == f"{live_server.url}/api/v1/"
    assert f"{live_server.url}/api/docs/" in links
    assert page.requested_hosts - {""} == {urlsplit(live_server.url).netloc}
    assert page.console_errors == []


def test_html_pages_work_under_their_content_security_policy(page, live_server):
    # one browser for the four pages: (page, what shows it rendered, what the policy blocked)
    pages = [
        ("/api/docs/", ".opblock-summary-path", []),
        # the page gives ReDoc's footer logo a local image before it can ask a CDN for it
        ("/api/redoc/", "text=Parley API", []),
        ("/admin/login/", "#id_username", []),
        ("/api/v1/", "text=Api Root", []),
    ]
    seen = []
    for path, ready, _ in pages:
        page.csp_violations.clear()
        page.goto(f"{live_server.url}{path}")
        page.wait_for_selector(ready, timeout=20_000)
        page.wait_for_load_state("networkidle")
        seen.append([re.search(r"'([^']+)'", text)[1] for text in page.csp_violations])

    assert seen == [blocked for _, _, blocked in pages]


@pytest.fixture
def token(editor) -> str:
    # made before the browser starts, as the statement above
    _token, key = AuthToken.objects.create(user=editor, expiry=None)
    TopicFactory(slug="territory", name="Territory")
    return key


def test_swagger_ui_authorises_with_a_token_and_patches_a_record(token, page, live_server):
    page.goto(f"{live_server.url}/api/docs/")
    page.locator(".btn.authorize").first.click()
    page.locator(".auth-container input").fill(f"Token {token}")
    page.locator(".auth-btn-wrapper .authorize").click()
    page.locator(".auth-btn-wrapper .btn-done").click()
    operation = page.locator("#operations-topics-topics_partial_update")
    operation.locator(".opblock-summary").click()
    operation.locator(".try-out__btn").click()
    operation.locator("tr[data-param-name='slug'] input").fill("territory")
    with urlopen(f"{live_server.url}/api/v1/topics/territory/") as reply:
        tag = reply.headers["ETag"]
    operation.locator("tr[data-param-name='If-Match'] input").fill(tag)
    operation.locator("textarea.body-param__text").fill('{"name": "Land"}')
    operation.locator(".execute").click()
    status_cell = operation.locator(".live-responses-table tr.response .response-col_status").first
    status_cell.wait_for()

    assert status_cell.inner_text() == "200"
    assert (
        '"name": "Land"'
        in operation.locator(".live-responses-table .microlight").first.inner_text()
    )
