"""The editor's desk in a real Chromium on a 1366x768 screen, against a real HTTP server: an
ingested article reviewed with the keyboard (accept one, reject one), and the statement list
and form fitting the screen. The editor is only in the `editors` group: that lets them in."""

import os

import pytest
from django.contrib.auth.models import User

from statements.ingest.models import Candidate
from statements.ingest.service import ingest
from statements.models import Statement
from tests.conftest import CHROMIUM, editors_group
from tests.factories import CitationFactory, PersonFactory, SourceFactory, StatementFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not CHROMIUM and not os.environ.get("CI"),
        reason="no Chromium on this machine (apt-get install chromium)",
    ),
]

SCREEN = {"width": 1366, "height": 768}
PASSWORD = "a long passphrase 51d0"
TEXT = (
    "Kremlin open to talks, Peskov says\n"
    "Kremlin spokesman Dmitry Peskov said on Tuesday that Moscow was open to talks.\n"
    "“We want peace,” Peskov told reporters in Moscow, “but not at any price.”\n"
    'A senior European diplomat said the plan was "dead on arrival".\n'
    "The two leaders are due to meet in Geneva next month.\n"
)


def log_in_as_editor(page, live_server) -> User:
    editor = User.objects.create_user("desk", password=PASSWORD)
    editor.groups.add(editors_group())
    page.set_viewport_size(SCREEN)
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "desk")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")
    return editor


def sideways_overflow(page, selector: str = "html") -> int:
    """How many pixels the element is wider than what shows of it (0: no sideways scroll)."""
    return page.eval_on_selector(selector, "element => element.scrollWidth - element.clientWidth")


def test_editor_reviews_an_article_with_the_keyboard(page, live_server):
    source = ingest(
        url="https://example.org/talks", outlet="Example News", published="2025-05-15", text=TEXT
    ).source
    quote = source.candidates.get(kind="quote")
    event = source.candidates.filter(kind="event").order_by("start").first()
    editor = log_in_as_editor(page, live_server)

    page.goto(f"{live_server.url}/admin/statements/candidate/review/{source.slug}/")
    marks = page.locator("#review-text mark").count()
    cards = page.locator(".review-card").count()
    first_focused = page.evaluate("document.activeElement.id")
    panes = page.eval_on_selector_all(
        ".review-text, .review-cards", "panes => panes.map(pane => pane.getBoundingClientRect())"
    )
    overflow = sideways_overflow(page)
    page.focus(f"#candidate-{quote.pk}")
    current_marks = page.locator("#review-text mark.current").all_inner_texts()
    with page.expect_navigation():
        page.keyboard.press("a")
    accepted_message = page.locator(".messagelist .success").inner_text()
    page.focus(f"#candidate-{event.pk}")
    page.keyboard.press("r")
    page.keyboard.type("A plan, not yet an event")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    rejected_message = page.locator(".messagelist .success").inner_text()
    badges = page.locator(".review-card .review-badge").all_inner_texts()

    assert cards == source.candidates.count() >= 4
    assert marks >= 4
    assert first_focused == f"candidate-{source.candidates.order_by('start', 'id')[0].pk}"
    assert overflow == 0
    # the text and the candidates side by side, both on the screen
    assert [round(pane["top"]) for pane in panes][0] == round(panes[1]["top"])
    assert all(pane["bottom"] <= SCREEN["height"] and pane["height"] >= 280 for pane in panes)
    assert "".join(current_marks) == quote.excerpt
    assert accepted_message.startswith(f"Accepted #{quote.pk}: person dmitry-peskov, statement ")
    assert rejected_message == f"Rejected #{event.pk}: A plan, not yet an event"
    assert sorted(badges) == sorted(["Accepted", "Rejected"] + ["Pending review"] * (cards - 2))
    quote.refresh_from_db()
    event.refresh_from_db()
    assert (quote.review_status, quote.reviewed_by) == ("accepted", editor)
    assert (event.review_status, event.reject_reason) == ("rejected", "A plan, not yet an event")
    statements = Statement.objects.order_by("id")
    assert [s.text for s in statements] == ["We want peace,", "but not at any price."]
    for statement in statements:
        citation = statement.citations.get()
        assert source.text[citation.start : citation.end] == quote.excerpt
        assert statement.history.get().history_user == editor
    assert Candidate.objects.filter(review_status="pending").count() == cards - 2
    assert page.console_errors == []


def test_statement_list_and_form_fit_the_screen(page, live_server):
    source = SourceFactory(slug="reuters-2024-11-20-putin-ceasefire-terms-long-slug")
    speaker = PersonFactory(
        slug="a-senior-official",
        name="A senior official with insight into high-level Kremlin discussions (Reuters)",
        kind="anonymous",
    )
    statement = StatementFactory(
        slug="senior-official-2024-11-20-putin-could-agree-to-a-ceasefire-along-the-front",
        speaker=speaker,
        kind="fragment",
    )
    CitationFactory(statement=statement, source=source, excerpt="“We will see,”")
    log_in_as_editor(page, live_server)

    page.goto(f"{live_server.url}/admin/statements/statement/")
    list_overflow = sideways_overflow(page), sideways_overflow(page, ".results")
    visible_columns = page.eval_on_selector_all(
        "#result_list thead th",
        f"cells => cells.filter(cell => cell.getBoundingClientRect().right <= {SCREEN['width']})"
        ".map(cell => cell.innerText.trim())",
    )
    page.goto(f"{live_server.url}/admin/statements/statement/{statement.pk}/change/")
    form_overflow = sideways_overflow(page)
    top = {
        name: page.locator(f"#id_{name}").bounding_box()["y"]
        for name in ("text", "speaker_label", "date")
    }
    interval_hidden = not page.locator("#id_date_earliest").is_visible()
    page.click("text=Date interval and basis")
    interval_shown = page.locator("#id_date_earliest").is_visible()

    assert list_overflow == (0, 0)
    assert visible_columns[1:] == ["TEXT", "SPEAKER", "KIND", "DATE", "SOURCES", "SLUG"]
    assert form_overflow == 0
    assert top["text"] < top["speaker_label"] < top["date"]
    assert top["text"] < SCREEN["height"]
    assert (interval_hidden, interval_shown) == (True, True)
    assert page.console_errors == []
