"""Writes of statements, figures, events and citations: the admin's rules, from the same code,
each refusal a 400 naming the field, and a refused write changing nothing."""

import json
import re

import pytest
from django.conf import settings
from django.utils.html import escape

from events.models import Event, Person
from statements.models import Citation, Statement
from tests.factories import (
    ARTICLE,
    CitationFactory,
    EventFactory,
    PersonFactory,
    SourceFactory,
    StatementFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

QUOTED = "“We will see,” he told reporters in Moscow."


@pytest.fixture
def source():
    # published after everything the tests write from it, as an article reports the past
    return SourceFactory(slug="tass", date="2025-02-28")


@pytest.fixture
def peskov():
    return PersonFactory(slug="dmitry-peskov", name="Dmitry Peskov")


def statement_body(**changes) -> dict:
    body = {
        "slug": "peskov-2025-02-04-we-will-see",
        "speaker": "dmitry-peskov",
        "speaker_label": "he",
        "kind": "quote",
        "text": "We will see,",
        "date": "2025-02-04",
        "date_basis": "resolved",
        "citations": [{"source": "tass", "excerpt": '"We will see," he told reporters in Moscow.'}],
    }
    return body | changes


def admin_statement_form(source, peskov, **changes) -> dict:
    """The admin's add form of the statement `statement_body` sends, with its citation inline."""
    form = {
        "slug": "peskov-2025-02-04-we-will-see",
        "speaker": peskov.pk,
        "speaker_label": "he",
        "kind": "quote",
        "text": "We will see,",
        "date": "2025-02-04",
        "date_basis": "resolved",
        "citations-TOTAL_FORMS": "1",
        "citations-INITIAL_FORMS": "0",
        "citations-0-source": source.pk,
        "citations-0-excerpt": QUOTED,
        **{
            f"{inline}-{count}_FORMS": "0"
            for inline in ("wordings", "positions")
            for count in ("TOTAL", "INITIAL")
        },
    }
    return form | changes


def errors(response) -> dict:
    assert response.status_code == 400, response.json()
    return response.json()["errors"]


def nothing_written() -> bool:
    return not Statement.objects.exists() and not Citation.objects.exists()


def test_statement_is_created_with_its_citation_found_from_the_excerpt(
    editor, editor_client, source, peskov
):
    TopicFactory(slug="talks")

    response = editor_client.post(
        "/api/v1/statements/", statement_body(topics=["talks"]), format="json"
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    start = ARTICLE.index(QUOTED)
    assert [
        (c["source"]["slug"], c["excerpt"], c["start"], c["end"]) for c in body["citations"]
    ] == [("tass", QUOTED, start, start + len(QUOTED))]
    assert (body["speaker"]["slug"], body["date_precision"], body["topics"][0]["slug"]) == (
        "dmitry-peskov",
        "day",
        "talks",
    )
    assert (
        response["Location"] == "http://testserver/api/v1/statements/peskov-2025-02-04-we-will-see/"
    )
    statement = Statement.objects.get()
    assert re.fullmatch(rf'"{statement.pk}\.1\.[0-9a-f]{{10}}"', response["ETag"])
    versions = [
        (row.version, row.history_user)
        for row in [*statement.history.all(), *Citation.history.all()]
    ]
    assert versions == [(1, editor), (1, editor)]
    assert [row.topic.slug for row in statement.history.get().topics.all()] == ["talks"]


def test_citation_not_at_its_offsets_is_refused_naming_the_excerpt(editor_client, source, peskov):
    cited = {"source": "tass", "excerpt": QUOTED, "start": 0, "end": len(QUOTED)}

    response = editor_client.post(
        "/api/v1/statements/", statement_body(citations=[cited]), format="json"
    )

    assert list(errors(response)) == ["citations[0].excerpt"]
    assert errors(response)["citations[0].excerpt"][0].startswith(
        "The excerpt is not at offsets 0..43 of source 'tass'"
    )
    assert nothing_written()


def test_excerpt_not_in_the_source_is_refused_with_the_nearest_passage(
    editor_client, source, peskov
):
    cited = {"source": "tass", "excerpt": "We will see, he told journalists in Moscow."}

    response = editor_client.post(
        "/api/v1/statements/", statement_body(citations=[cited]), format="json"
    )

    message = errors(response)["citations[0].excerpt"][0]
    assert message.startswith("In source 'tass' (Article")
    assert "The nearest passage reads:" in message
    assert nothing_written()


def test_quote_not_verbatim_is_refused_naming_the_text(editor_client, source, peskov):
    response = editor_client.post(
        "/api/v1/statements/", statement_body(text="We shall see,"), format="json"
    )

    assert errors(response) == {
        "text": [
            "A quote must stand character for character in one of its excerpts; "
            "'We shall see,' is in none of them."
        ]
    }
    assert nothing_written()


def test_api_and_admin_refuse_a_quote_with_the_same_message(
    admin_client, editor_client, source, peskov
):
    api = editor_client.post(
        "/api/v1/statements/", statement_body(text="We shall see,"), format="json"
    )
    admin = admin_client.post(
        "/admin/statements/statement/add/",
        admin_statement_form(source, peskov, text="We shall see,"),
    )

    assert admin.status_code == 200  # the form again, with the refusal
    assert escape(errors(api)["text"][0]) in admin.content.decode()
    assert nothing_written()


def test_api_and_admin_refuse_a_statement_ending_after_its_report_with_the_same_message(
    admin_client, editor_client, source, peskov
):
    api = editor_client.post("/api/v1/statements/", statement_body(date="2025-03"), format="json")
    admin = admin_client.post(
        "/admin/statements/statement/add/",
        admin_statement_form(source, peskov, date="2025-03", date_basis="inferred"),
    )

    assert admin.status_code == 200  # the form again, with the refusal
    assert escape(errors(api)["date"][0]) in admin.content.decode()
    assert nothing_written()


def test_date_and_precision_that_disagree_are_refused_naming_the_precision(
    editor_client, source, peskov
):
    response = editor_client.post(
        "/api/v1/statements/", statement_body(date="2025-02", date_precision="day"), format="json"
    )

    assert errors(response) == {
        "date_precision": [
            "'2025-02' is precise to the month, not the day: a date's length is its precision "
            "(YYYY, YYYY-MM or YYYY-MM-DD)."
        ]
    }
    assert nothing_written()


def test_slug_that_exists_is_refused_naming_the_slug(editor_client, source, peskov):
    StatementFactory(slug="peskov-2025-02-04-we-will-see")

    response = editor_client.post("/api/v1/statements/", statement_body(), format="json")

    assert errors(response) == {"slug": ["statement with this slug already exists."]}
    assert not Citation.objects.exists()


def test_statement_without_a_citation_is_refused(editor_client, source, peskov):
    response = editor_client.post(
        "/api/v1/statements/", statement_body(citations=[]), format="json"
    )

    assert list(errors(response)) == ["citations"]
    assert nothing_written()


def test_one_bad_citation_of_two_refuses_the_whole_write(editor_client, source, peskov):
    good = {"source": "tass", "excerpt": QUOTED}
    bad = {"source": "no-such-source", "excerpt": QUOTED}

    response = editor_client.post(
        "/api/v1/statements/", statement_body(citations=[good, bad]), format="json"
    )

    assert errors(response) == {"citations[1].source": ["No record with slug no-such-source."]}
    assert nothing_written()
    assert not Statement.history.exists()
    assert not Citation.history.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"speaker": "nobody"}, "speaker"),
        ({"speaker": "Not A Slug"}, "speaker"),
        ({"kind": "rumour"}, "kind"),
        ({"date": "2025-02-30"}, "date"),
        ({"text": "We will\x00 see,"}, "text"),
        ({"venue": "x" * 201}, "venue"),
        ({"url": "http://example.org/"}, "url"),
        ({"slug": "Peskov_Said"}, "slug"),
    ],
)
def test_bad_fields_are_refused_naming_them(editor_client, source, peskov, change, field):
    response = editor_client.post("/api/v1/statements/", statement_body(**change), format="json")

    assert list(errors(response)) == [field]
    assert nothing_written()


@pytest.fixture
def statement(source, peskov):
    return CitationFactory(
        source=source,
        statement=StatementFactory(slug="peskov-we-will-see", speaker=peskov, date="2025-02"),
        excerpt=QUOTED,
    ).statement


def tag(client, path: str) -> str:
    return client.get(path)["ETag"]


def test_date_is_fixed_with_if_match(editor, editor_client, statement):
    path = "/api/v1/statements/peskov-we-will-see/"

    response = editor_client.patch(
        path, {"date": "2025-02-04"}, format="json", HTTP_IF_MATCH=tag(editor_client, path)
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["date"], body["date_precision"], body["date_earliest"], body["date_latest"]) == (
        "2025-02-04",
        "day",
        "2025-02-04",
        "2025-02-04",
    )
    latest = statement.history.first()
    assert (latest.version, latest.date, latest.history_user) == (2, "2025-02-04", editor)


def test_an_interval_is_given_only_when_explicit(editor_client, statement):
    path = "/api/v1/statements/peskov-we-will-see/"
    derived = {"date_earliest": "2025-02-03", "date_latest": "2025-02-09"}

    refused = editor_client.patch(
        path, derived, format="json", HTTP_IF_MATCH=tag(editor_client, path)
    )
    outside = editor_client.patch(
        path,
        {**derived, "date_latest": "2025-03-02", "date_interval_explicit": True},
        format="json",
        HTTP_IF_MATCH=tag(editor_client, path),
    )
    taken = editor_client.patch(
        path,
        {**derived, "date_interval_explicit": True},
        format="json",
        HTTP_IF_MATCH=tag(editor_client, path),
    )

    assert list(errors(refused)) == ["date_earliest"]
    assert errors(outside) == {
        "date_earliest": ["the interval 2025-02-03..2025-03-02 does not lie inside '2025-02'"]
    }
    assert taken.status_code == 200, taken.json()
    assert (taken.json()["date_earliest"], taken.json()["date_latest"]) == (
        "2025-02-03",
        "2025-02-09",
    )


def test_change_of_a_quote_that_leaves_its_excerpts_is_refused(editor_client, statement):
    path = "/api/v1/statements/peskov-we-will-see/"

    response = editor_client.patch(
        path, {"text": "We shall see,"}, format="json", HTTP_IF_MATCH=tag(editor_client, path)
    )

    assert list(errors(response)) == ["text"]
    assert Statement.objects.get().text == "We will see,"
    assert statement.history.count() == 1


def test_slug_never_changes_and_citations_are_not_replaced_by_a_patch(editor_client, statement):
    path = "/api/v1/statements/peskov-we-will-see/"
    current = tag(editor_client, path)

    renamed = editor_client.patch(path, {"slug": "other"}, format="json", HTTP_IF_MATCH=current)
    recited = editor_client.patch(
        path,
        {"citations": [{"source": "tass", "excerpt": QUOTED}]},
        format="json",
        HTTP_IF_MATCH=current,
    )

    assert list(errors(renamed)) == ["slug"]
    assert list(errors(recited)) == ["citations"]


def test_put_replaces_the_record_and_needs_every_required_field(editor_client, statement):
    path = "/api/v1/statements/peskov-we-will-see/"
    body = statement_body(slug="peskov-we-will-see", kind="paraphrase", text="Peskov was unsure.")
    del body["citations"]

    missing = editor_client.put(
        path, {"slug": "peskov-we-will-see"}, format="json", HTTP_IF_MATCH=tag(editor_client, path)
    )
    replaced = editor_client.put(path, body, format="json", HTTP_IF_MATCH=tag(editor_client, path))

    assert set(errors(missing)) == {"speaker", "speaker_label", "kind", "text", "date"}
    assert replaced.status_code == 200, replaced.json()
    assert (replaced.json()["kind"], replaced.json()["text"]) == (
        "paraphrase",
        "Peskov was unsure.",
    )


def test_citation_is_added_to_a_statement_and_found_from_its_excerpt(editor_client, statement):
    response = editor_client.post(
        "/api/v1/citations/",
        {
            "source": "tass",
            "statement": "peskov-we-will-see",
            "excerpt": "Moscow was “ready for talks”",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["slug"].startswith("cit-")
    assert ARTICLE[body["start"] : body["end"]] == body["excerpt"] == "Moscow was “ready for talks”"
    assert statement.citations.count() == 2


def test_citation_moved_by_a_new_excerpt_keeps_its_slug(editor_client, statement):
    citation = statement.citations.get()
    CitationFactory(source=citation.source, statement=statement, excerpt="The talks could begin")
    path = f"/api/v1/citations/{citation.slug}/"

    response = editor_client.patch(
        path,
        {"excerpt": "“We will see,” he told reporters"},
        format="json",
        HTTP_IF_MATCH=tag(editor_client, path),
    )

    assert response.status_code == 200, response.json()
    assert (response.json()["slug"], response.json()["end"]) == (
        citation.slug,
        ARTICLE.index(" in Moscow."),
    )


def test_citation_that_would_break_its_quote_is_refused_naming_the_excerpt(
    editor_client, statement
):
    citation = statement.citations.get()
    path = f"/api/v1/citations/{citation.slug}/"

    response = editor_client.patch(
        path,
        {"excerpt": "The talks could begin in March."},
        format="json",
        HTTP_IF_MATCH=tag(editor_client, path),
    )

    assert list(errors(response)) == ["excerpt"]
    assert Citation.objects.get().excerpt == QUOTED


def test_citation_of_two_records_is_refused(editor_client, statement):
    EventFactory(slug="talks")

    response = editor_client.post(
        "/api/v1/citations/",
        {"source": "tass", "statement": "peskov-we-will-see", "event": "talks", "excerpt": QUOTED},
        format="json",
    )

    assert errors(response) == {
        "non_field_errors": [
            "A citation cites exactly one of statement, event and figure; 2 given."
        ]
    }


def test_last_citation_of_a_record_is_not_deleted(editor_client, statement):
    citation = statement.citations.get()
    path = f"/api/v1/citations/{citation.slug}/"

    response = editor_client.delete(path, HTTP_IF_MATCH=tag(editor_client, path))

    assert list(errors(response)) == ["statement"]
    assert Citation.objects.count() == 1


def test_statement_is_deleted_with_its_citations(editor, editor_client, statement):
    path = "/api/v1/statements/peskov-we-will-see/"

    response = editor_client.delete(path, HTTP_IF_MATCH=tag(editor_client, path))

    assert response.status_code == 204
    assert nothing_written()
    assert [row.history_user for row in Citation.history.filter(history_type="-")] == [editor]


def test_speaker_of_a_statement_is_not_deleted(editor_client, statement):
    path = "/api/v1/people/dmitry-peskov/"

    response = editor_client.delete(path, HTTP_IF_MATCH=tag(editor_client, path))

    assert response.status_code == 409
    assert response.json() == {
        "detail": "Other records refer to this one: statement peskov-we-will-see. Change or "
        "delete them first; nothing was changed."
    }
    assert Person.objects.filter(slug="dmitry-peskov").exists()


def test_event_is_created_with_its_participants_and_citation(editor_client, source, peskov):
    body = {
        "slug": "talks-in-march",
        "title": "Talks could begin",
        "kind": "talks",
        "status": "planned",
        "date": "2025-03",
        "participants": ["dmitry-peskov"],
        "citations": [{"source": "tass", "excerpt": "The talks could begin in March."}],
    }

    response = editor_client.post("/api/v1/events/", body, format="json")

    assert response.status_code == 201, response.json()
    assert [p["slug"] for p in response.json()["participants"]] == ["dmitry-peskov"]
    assert Event.objects.get().citations.get().excerpt == "The talks could begin in March."


def test_vague_figure_with_a_number_is_refused(editor_client, source):
    body = {
        "slug": "talks-share",
        "measure": "share",
        "label": "Share",
        "value": 20,
        "unit": "percent",
        "qualifier": "vague",
        "words": "some",
        "date": "2025-02-06",
        "citations": [{"source": "tass", "excerpt": "The talks could begin in March."}],
    }

    response = editor_client.post("/api/v1/figures/", body, format="json")

    assert list(errors(response)) == ["non_field_errors"]
    assert "figure_vague_has_no_number" in errors(response)["non_field_errors"][0]


def test_readme_example_creates_a_statement_with_its_citation(editor_client, dataset):
    readme = (settings.BASE_DIR / "README.md").read_text("utf-8")
    example = re.search(
        r"curl -X POST 127\.0\.0\.1:8000/api/v1/statements/.*?-d '(.*?)'", readme, re.S
    )

    response = editor_client.post("/api/v1/statements/", json.loads(example[1]), format="json")

    assert response.status_code == 201, response.json()
    citation = response.json()["citations"][0]
    assert citation["excerpt"].startswith("The Kremlin said it is ready for direct talks")
    assert "“illegitimate president”" in citation["excerpt"]  # the source's own quotes


def test_huge_offsets_are_refused_naming_them(editor_client, source, peskov):
    cited = {"source": "tass", "excerpt": QUOTED, "start": 10**12, "end": 10**12 + 43}

    response = editor_client.post(
        "/api/v1/statements/", statement_body(citations=[cited]), format="json"
    )

    assert set(errors(response)) == {"citations[0].start", "citations[0].end"}
    assert nothing_written()


def event_body(**changes) -> dict:
    body = {
        "slug": "a-us-proposal",
        "title": "A US proposal",
        "kind": "proposal",
        "status": "proposed",
        "date": "2025",
        "citations": [{"source": "tass", "excerpt": "The talks could begin in March."}],
    }
    return body | changes


def test_proposal_already_made_ending_after_its_report_is_refused_naming_the_date(
    editor_client, source
):
    # the source is of 2025-02-28: a proposal it reports was made by then
    response = editor_client.post("/api/v1/events/", event_body(), format="json")

    assert errors(response) == {
        "date": [
            "a proposal already made but ends 2025-12-31, after the last article that reports "
            "it (published by 2025-02-28): only what is still to come (planned, or proposed "
            "and not yet made) may end later"
        ]
    }
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"kind": "talks"},  # proposed talks, not yet held
        {"status": "planned"},  # a proposal still to be presented
        {"date": "2025-02"},  # made by the report
    ],
)
def test_what_is_still_to_come_may_end_after_its_report(editor_client, source, changes):
    response = editor_client.post("/api/v1/events/", event_body(**changes), format="json")

    assert response.status_code == 201, response.json()


def test_statement_ending_after_its_report_is_refused_naming_the_date(
    editor_client, source, peskov
):
    response = editor_client.post(
        "/api/v1/statements/", statement_body(date="2025-03"), format="json"
    )

    assert errors(response) == {
        "date": ["ends 2025-03-31, after tass that reports it (published by 2025-02-28)"]
    }
    assert nothing_written()


def test_citation_from_an_earlier_article_than_the_record_ends_is_refused(editor_client, statement):
    earlier = SourceFactory(slug="earlier", date="2025-01")

    response = editor_client.post(
        "/api/v1/citations/",
        {"source": "earlier", "statement": statement.slug, "excerpt": QUOTED},
        format="json",
    )

    assert errors(response) == {
        "source": [
            f"The statement {statement.slug!r} ends 2025-02-28, after earlier that reports it "
            "(published by 2025-01-31)."
        ]
    }
    assert not earlier.citations.exists()
