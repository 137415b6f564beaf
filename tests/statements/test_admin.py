import datetime

import pytest

from statements.models import Citation
from tests.factories import (
    ARTICLE,
    CitationFactory,
    FigureFactory,
    SourceFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["statement", "figure", "citation"])
def test_admin_changelist_add_and_change_pages_render(admin_client, model):
    citation = CitationFactory(statement=StatementFactory())
    figure = FigureFactory()
    record = {"statement": citation.statement, "figure": figure, "citation": citation}[model]

    pages = [
        admin_client.get(f"/admin/statements/{model}/"),
        admin_client.get(f"/admin/statements/{model}/?q=see"),
        admin_client.get(f"/admin/statements/{model}/add/"),
        admin_client.get(f"/admin/statements/{model}/{record.pk}/change/"),
    ]

    assert [page.status_code for page in pages] == [200, 200, 200, 200]


def citation_form(source, statement, excerpt: str, start="", end="") -> dict:
    return {
        "source": source.pk,
        "statement": statement.pk,
        "event": "",
        "figure": "",
        "excerpt": excerpt,
        "start": start,
        "end": end,
    }


def test_admin_citation_with_blank_offsets_is_located_in_the_source(admin_client):
    source, statement = SourceFactory(), StatementFactory()

    response = admin_client.post(
        "/admin/statements/citation/add/", citation_form(source, statement, "“We will see,”")
    )

    assert response.status_code == 302
    citation = Citation.objects.get()
    assert (citation.start, citation.end) == (ARTICLE.index("“We"), ARTICLE.index("“We") + 14)


def test_admin_citation_at_wrong_offsets_is_refused_with_the_reason(admin_client):
    source, statement = SourceFactory(), StatementFactory()

    response = admin_client.post(
        "/admin/statements/citation/add/",
        citation_form(source, statement, "We will see,", start=0, end=12),
    )

    assert response.status_code == 200
    assert "is not at offsets 0..12" in response.content.decode()
    assert Citation.objects.count() == 0


def test_admin_citation_not_in_the_source_is_refused(admin_client):
    source, statement = SourceFactory(), StatementFactory()

    response = admin_client.post(
        "/admin/statements/citation/add/",
        citation_form(source, statement, "words nobody wrote"),
    )

    assert (
        f"In source &#x27;{source.slug}&#x27; ({source.title}): the excerpt is not in the text."
        in response.content.decode()
    )
    assert Citation.objects.count() == 0


def test_admin_statement_saves_with_a_citation_inline(admin_client):
    source = SourceFactory()
    speaker = StatementFactory().speaker

    response = admin_client.post(
        "/admin/statements/statement/add/",
        {
            "slug": "peskov-2025-02-04-see",
            "speaker": speaker.pk,
            "speaker_label": "he",
            "kind": "quote",
            "text": "We will see,",
            "date": "2025-02-04",
            "date_basis": "resolved",
            "date_note": "",
            "venue": "",
            "via": "",
            "citations-TOTAL_FORMS": "1",
            "citations-INITIAL_FORMS": "0",
            "citations-0-source": source.pk,
            "citations-0-excerpt": "“We will see,” he told reporters",
            "citations-0-start": "",
            "citations-0-end": "",
            "wordings-TOTAL_FORMS": "1",
            "wordings-INITIAL_FORMS": "0",
            "wordings-0-source": source.pk,
            "wordings-0-text": "We will see,",
            "wordings-0-canonical": "on",
            "positions-TOTAL_FORMS": "1",
            "positions-INITIAL_FORMS": "0",
            "positions-0-issue": "talks",
            "positions-0-stance": "neutral",
            "positions-0-excerpt": "We will see",
        },
    )

    assert response.status_code == 302
    citation = Citation.objects.get(statement__slug="peskov-2025-02-04-see")
    assert source.text[citation.start : citation.end] == "“We will see,” he told reporters"
    statement = citation.statement
    assert (statement.date_earliest, statement.date_latest) == (
        datetime.date(2025, 2, 4),
        datetime.date(2025, 2, 4),
    )
    assert list(statement.wordings.values_list("text", "canonical")) == [("We will see,", True)]
    assert list(statement.positions.values_list("issue", "stance")) == [("talks", "neutral")]
