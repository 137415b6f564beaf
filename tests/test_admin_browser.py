"""An editor's round in the admin, in a real Chromium against a real HTTP server: log in, edit a
statement, add a citation by pasting its excerpt, open the history, revert."""

import os

import pytest
from django.contrib.auth.models import User

from statements.models import Statement
from tests.conftest import CHROMIUM
from tests.factories import CitationFactory, SourceFactory, StatementFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not CHROMIUM and not os.environ.get("CI"),
        reason="no Chromium on this machine (apt-get install chromium)",
    ),
]


def test_editor_edits_cites_reads_history_and_reverts_in_the_admin(page, live_server):
    User.objects.create_superuser("editor", "editor@example.org", "a long passphrase")
    source = SourceFactory(title="Peskov on talks")
    statement = StatementFactory(slug="peskov-we-will-see", venue="Kremlin")
    CitationFactory(statement=statement, source=source, excerpt="“We will see,” he told reporters")
    change_url = f"{live_server.url}/admin/statements/statement/{statement.pk}/change/"

    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a long passphrase")
    page.click("input[type=submit]")
    page.goto(change_url)
    page.fill("#id_venue", "Sochi")
    page.click("input[name=_continue]")
    saved = page.locator(".messagelist .success").inner_text()

    page.click("text=Add another Citation")
    page.select_option("select[name=citations-1-source]", label=source.title)
    page.fill("textarea[name=citations-1-excerpt]", 'Moscow was "ready for talks".')
    page.click("input[name=_continue]")
    page.locator(".parley-context mark").nth(1).wait_for()  # the saved page, both citations
    highlighted = page.locator(".parley-context mark").all_inner_texts()

    page.click("a.historylink")
    page.locator("#change-history").wait_for()
    history = page.locator("#change-history").inner_text()
    page.click("#change-history tbody tr:last-child a")  # the first version
    with page.expect_navigation():
        page.click("input[name=_save]")

    assert "was changed successfully" in saved
    assert highlighted == ["Moscow was “ready for talks”.", "“We will see,” he told reporters"]
    assert "Sochi" in history
    statement.refresh_from_db()
    assert statement.venue == "Kremlin"
    assert statement.citations.count() == 2
    versions = list(Statement.history.filter(slug=statement.slug).values_list("version", "venue"))
    # adding a citation inline changes the citation, not the statement: no statement version
    assert versions == [(3, "Kremlin"), (2, "Sochi"), (1, "Kremlin")]
