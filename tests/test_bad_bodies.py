"""Inputs that once answered 500: deep or huge JSON bodies, lone surrogates, forged cursors, an
empty NDJSON page, and a method an endpoint does not have. Each is a 4xx naming what was wrong,
and a refused write changes nothing."""

import base64
import json

import pytest
from django.conf import settings

from config.api.parsers import MAX_JSON_DEPTH
from events.models import Topic
from tests.factories import SourceFactory, StatementFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 100, 2_000, 100_000])
def test_write_refuses_json_nested_past_the_limit(editor_client, depth):
    body = '{"slug": "deep", "name": "Deep", "description": ' + "[" * depth + "]" * depth + "}"

    response = editor_client.post("/api/v1/topics/", body, content_type="application/json")

    assert (response.status_code, response.json()) == (
        400,
        {"detail": f"JSON nested deeper than {MAX_JSON_DEPTH} levels."},
    )
    assert not Topic.objects.exists()


def test_write_reads_json_nested_to_the_limit_as_a_body_like_any_other(editor_client):
    depth = MAX_JSON_DEPTH - 1  # the body's object is the first level
    body = '{"slug": "deep", "name": "Deep", "description": ' + "[" * depth + "]" * depth + "}"

    response = editor_client.post("/api/v1/topics/", body, content_type="application/json")

    assert (response.status_code, response.json()["errors"]) == (
        400,
        {"description": ["Must be a string."]},
    )


def test_write_refuses_a_body_past_the_size_limit_with_a_413(editor_client):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    body = json.dumps({"slug": "big", "name": "Big", "description": "x" * limit})

    response = editor_client.post("/api/v1/topics/", body, content_type="application/json")

    assert (response.status_code, response.json()) == (
        413,
        {"detail": f"The request body is larger than {limit:,} bytes."},
    )
    assert not Topic.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        '{"\\ud800": 1}',  # a lone surrogate as an unknown key: its error could not be encoded
        '{"slug": "s", "name": "\\udfff"}',
        '{"slug": "s", "name": ["\\ud83d"]}',
    ],
)
def test_write_refuses_a_lone_surrogate_anywhere_in_the_body(editor_client, body):
    response = editor_client.post("/api/v1/topics/", body, content_type="application/json")

    assert (response.status_code, response.json()) == (
        400,
        {
            "detail": "JSON parse error - a string holds a lone surrogate (\\ud800-\\udfff), "
            "which is not a character."
        },
    )


def test_write_takes_a_character_outside_the_basic_plane_spelt_as_a_surrogate_pair(
    editor_client,
):
    body = '{"slug": "peace", "name": "Peace \\ud83d\\udd4a"}'

    response = editor_client.post("/api/v1/topics/", body, content_type="application/json")

    assert (response.status_code, response.json()["name"]) == (201, "Peace \N{DOVE OF PEACE}")


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_write_refuses_numbers_that_json_does_not_have(editor_client, constant):
    body = '{"slug": "s", "name": ' + constant + "}"

    response = editor_client.post("/api/v1/topics/", body, content_type="application/json")

    assert (response.status_code, response.json()) == (
        400,
        {"detail": f"JSON parse error - {constant} is not a JSON value"},
    )


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("delete", "/api/v1/statements/"),
        ("put", "/api/v1/topics/"),
        ("patch", "/api/v1/people/"),
        ("post", "/api/v1/topics/nato/"),
    ],
)
def test_a_method_an_endpoint_does_not_have_is_a_405_before_credentials(api_client, method, path):
    TopicFactory(slug="nato")

    response = getattr(api_client, method)(path)

    assert (response.status_code, response.json()["detail"]) == (
        405,
        f'Method "{method.upper()}" not allowed.',
    )


def test_a_method_an_endpoint_has_still_needs_a_token(api_client):
    response = api_client.post("/api/v1/topics/", {"slug": "x", "name": "X"}, format="json")

    assert response.status_code == 401


@pytest.mark.parametrize("query", ["format=ndjson&page=1", "format=ndjson&paging=cursor"])
def test_an_empty_ndjson_page_says_it_is_ndjson(api_client, query):
    response = api_client.get(f"/api/v1/statements/?{query}")

    assert (response.status_code, response.content, response["Content-Type"]) == (
        200,
        b"",
        "application/x-ndjson",
    )


def _unsigned(payload) -> str:
    """A cursor as the change feed once issued them: base64 JSON anyone could write."""
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        _unsigned('["Infinity", 0, 1]'),
        _unsigned("[Infinity, 0, 1]"),
        _unsigned("[" * 5_000 + "]" * 5_000)[:990],
        _unsigned('["2025-01-01T00:00:00+00:00", 0, 1]'),
    ],
)
@pytest.mark.parametrize("list_url", ["/api/v1/changes/?", "/api/v1/statements/?paging=cursor&"])
def test_a_cursor_the_api_did_not_sign_is_refused_by_every_list(api_client, cursor, list_url):
    response = api_client.get(f"{list_url}cursor={cursor}")

    assert (response.status_code, response.json()["errors"]) == (
        400,
        {"cursor": ["Not a cursor of this API: use the next or previous link as given."]},
    )


def test_a_list_cursor_is_refused_by_the_change_feed(api_client):
    StatementFactory.create_batch(3)
    next_url = api_client.get("/api/v1/statements/?paging=cursor&page_size=1").json()["next"]
    cursor = next_url.split("cursor=")[1].split("&")[0]

    response = api_client.get(f"/api/v1/changes/?cursor={cursor}")

    assert (response.status_code, response.json()["errors"]) == (
        400,
        {"cursor": ["This cursor belongs to another ordering: start again without it."]},
    )


def test_cursor_walk_of_a_search_visits_every_match_once(api_client):
    # ranks that differ, and a real (PostgreSQL's ts_rank) that psycopg reads as its shortest
    # decimal: a walk comparing with that decimal stayed on the same page for ever
    for n in range(7):
        SourceFactory(slug=f"src-{n}", title="Talks " + "ceasefire " * (n % 4 + 1))
    pages, url = [], "/api/v1/sources/?q=ceasefire&paging=cursor&page_size=2"
    while url and len(pages) < 10:
        body = api_client.get(url).json()
        pages.append([item["slug"] for item in body["results"]])
        url = body["next"]

    by_number = [
        item["slug"]
        for item in api_client.get("/api/v1/sources/?q=ceasefire&page_size=10").json()["results"]
    ]

    assert [slug for page in pages for slug in page] == by_number
    assert len(by_number) == 7


@pytest.mark.parametrize(
    "path", ["/api/v1/people/?format=csv", "/api/v1/search/?q=x", "/api/v1/changes/"]
)
def test_an_undeclared_method_is_a_405_before_the_format_is_read(api_client, path):
    response = api_client.generic("TRACE", path)

    assert (response.status_code, response.json()["detail"]) == (
        405,
        'Method "TRACE" not allowed.',
    )


@pytest.mark.parametrize("path", ["/api/v1/statements/", "/api/v1/changes/"])
def test_many_unknown_parameters_are_named_up_to_ten_in_a_short_error(api_client, path):
    query = "&".join(f"unknown{n:03}=x" for n in range(300))

    response = api_client.get(f"{path}?{query}")

    errors = response.json()["errors"]
    assert response.status_code == 400
    assert set(errors) == {*(f"unknown{n:03}" for n in range(10)), "non_field_errors"}
    assert errors["non_field_errors"] == ["290 more unknown parameters are not named here."]
    assert len(response.content) < 5_000
