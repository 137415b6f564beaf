"""Conditional GET from the dataset version, and CORS for reads."""

import pytest
from django.core.management import call_command
from django.db import transaction

from events.models import DatasetVersion
from statements.models import Statement
from tests.factories import StatementFactory, TopicFactory

pytestmark = pytest.mark.django_db


def version() -> int:
    # no row yet (a flushed database): the first write creates it
    row = DatasetVersion.objects.filter(pk=DatasetVersion.ROW)
    return row.values_list("version", flat=True).first() or 0


def test_every_api_get_has_an_etag_and_last_modified(api_client):
    StatementFactory(slug="s-1")

    responses = [
        api_client.get(path)
        for path in ("/api/v1/", "/api/v1/statements/", "/api/v1/statements/s-1/")
    ]

    assert all(r.status_code == 200 and r["ETag"] and r["Last-Modified"] for r in responses)


def test_conditional_get_is_answered_304_by_the_version_query_alone(
    api_client, django_assert_num_queries
):
    StatementFactory(slug="s-1")
    etag = api_client.get("/api/v1/statements/")["ETag"]

    # the dataset version; no count, no list
    with django_assert_num_queries(1):
        response = api_client.get("/api/v1/statements/", HTTP_IF_NONE_MATCH=etag)

    assert (response.status_code, response.content, response["ETag"]) == (304, b"", etag)


def test_if_modified_since_is_answered_304(api_client):
    StatementFactory(slug="s-1")
    last_modified = api_client.get("/api/v1/statements/s-1/")["Last-Modified"]

    response = api_client.get("/api/v1/statements/s-1/", HTTP_IF_MODIFIED_SINCE=last_modified)

    assert response.status_code == 304


def test_etag_differs_by_format(api_client):
    StatementFactory(slug="s-1")

    etags = {
        api_client.get("/api/v1/statements/s-1/", HTTP_ACCEPT=accept)["ETag"]
        for accept in ("application/json", "text/csv", "application/ld+json")
    }

    assert len(etags) == 3


def test_loading_a_release_in_bulk_changes_the_etag(api_client):
    etag = api_client.get("/api/v1/statements/")["ETag"]
    before = version()

    call_command("load_dataset", verbosity=0)  # an empty database is filled in bulk
    response = api_client.get("/api/v1/statements/", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response.json()["count"] == Statement.objects.count() > 0
    assert version() > before


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda s: s.save(), id="save"),
        pytest.param(lambda s: s.topics.add(TopicFactory()), id="many-to-many"),
        pytest.param(lambda s: s.delete(), id="delete"),
    ],
)
def test_every_write_changes_the_etag(api_client, write):
    statement = StatementFactory(slug="s-1")
    etag = api_client.get("/api/v1/statements/")["ETag"]
    before = version()

    write(statement)
    response = api_client.get("/api/v1/statements/", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag
    assert version() > before


def test_a_write_rolled_back_leaves_the_version(api_client):
    StatementFactory(slug="s-1")
    before = version()

    def failing_write():
        with transaction.atomic():
            StatementFactory(slug="s-2")
            raise RuntimeError("the write fails")

    with pytest.raises(RuntimeError):
        failing_write()

    assert version() == before


def test_error_answer_is_never_304(api_client):
    first = api_client.get("/api/v1/statements/?page=0")

    again = api_client.get("/api/v1/statements/?page=0", HTTP_IF_NONE_MATCH=first["ETag"])

    assert (first.status_code, again.status_code) == (400, 400)


def test_reads_are_open_to_any_origin(api_client):
    response = api_client.get("/api/v1/statements/", HTTP_ORIGIN="https://app.example")

    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Expose-Headers"] == "ETag, Link, Content-Disposition"
    assert "Access-Control-Allow-Credentials" not in response


def test_cors_preflight_opens_reads_only(api_client):
    response = api_client.options(
        "/api/v1/statements/",
        HTTP_ORIGIN="https://app.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="DELETE",
    )

    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert response["Access-Control-Allow-Headers"] == "accept, if-none-match, if-modified-since"


def test_nothing_outside_the_api_is_opened_to_other_origins(client):
    response = client.get("/admin/login/", HTTP_ORIGIN="https://app.example")

    assert "Access-Control-Allow-Origin" not in response


def test_cached_answer_costs_the_version_query_alone(
    api_client, settings, django_assert_num_queries
):
    settings.PARLEY_RESPONSE_CACHE_SECONDS = 60
    StatementFactory(slug="s-1")
    first = api_client.get("/api/v1/statements/?page_size=1")

    # the dataset version; the answer comes from the cache
    with django_assert_num_queries(1):
        again = api_client.get("/api/v1/statements/?page_size=1")

    assert (again.status_code, again.content, again["ETag"], again["Content-Type"]) == (
        200,
        first.content,
        first["ETag"],
        "application/json",
    )


def test_cached_answer_is_not_served_after_a_write(api_client, settings):
    settings.PARLEY_RESPONSE_CACHE_SECONDS = 60
    StatementFactory(slug="s-1")
    api_client.get("/api/v1/statements/")

    StatementFactory(slug="s-2")
    response = api_client.get("/api/v1/statements/")

    assert [item["slug"] for item in response.json()["results"]] == ["s-1", "s-2"]


def test_cached_answer_is_kept_apart_per_scheme_and_host(api_client, settings):
    settings.PARLEY_RESPONSE_CACHE_SECONDS = 60
    settings.ALLOWED_HOSTS = ["testserver", "mirror.example"]
    TopicFactory(slug="territory")

    answers = [
        api_client.get("/api/v1/topics/", HTTP_HOST=host, secure=secure).json()["results"][0]["url"]
        for host, secure in [("testserver", False), ("mirror.example", False), ("testserver", True)]
    ]

    # each answer's links name the address it was asked at, never one kept from another
    assert answers == [
        "http://testserver/api/v1/topics/territory/",
        "http://mirror.example/api/v1/topics/territory/",
        "https://testserver/api/v1/topics/territory/",
    ]


def test_schema_etag_from_its_content_answers_a_conditional_get(api_client):
    first = api_client.get("/api/schema/")
    again = api_client.get("/api/schema/")
    matched = api_client.get("/api/schema/", HTTP_IF_NONE_MATCH=first["ETag"])
    other = api_client.get("/api/schema/", HTTP_IF_NONE_MATCH='"another"')

    assert (first.status_code, first["ETag"]) == (200, again["ETag"])
    assert (matched.status_code, matched.content, matched["ETag"]) == (304, b"", first["ETag"])
    assert (other.status_code, other.content) == (200, first.content)
