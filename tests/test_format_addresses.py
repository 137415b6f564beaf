"""A format's own address (`topics.csv`, `topics/<slug>.jsonld`), which the schema declares as
an operation of its own so that generated clients read each format as what it is: the same
answer as `?format=`, reads only, and OPTIONS told in JSON whatever the format."""

import json

import pytest

from tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


def body(response) -> bytes:
    """A list in CSV, NDJSON or JSON-LD is streamed (and read once)."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.parametrize("format_", ["csv", "ndjson", "jsonld"])
def test_format_address_answers_as_the_format_parameter(api_client, format_):
    TopicFactory(slug="territory", name="Territory")

    by_address = api_client.get(f"/api/v1/topics.{format_}")
    by_parameter = api_client.get(f"/api/v1/topics/?format={format_}")
    one_by_address = api_client.get(f"/api/v1/topics/territory.{format_}")
    one_by_parameter = api_client.get(f"/api/v1/topics/territory/?format={format_}")

    assert by_address.status_code == one_by_address.status_code == 200
    assert by_address["Content-Type"] == by_parameter["Content-Type"]
    if format_ == "jsonld":  # a list's @id is the address it was asked at
        listed, asked = json.loads(body(by_address)), json.loads(body(by_parameter))
        assert listed["@id"].endswith("/api/v1/topics.jsonld")
        assert asked["@id"].endswith("/api/v1/topics/?format=jsonld")
        assert {**listed, "@id": ""} == {**asked, "@id": ""}
    else:
        assert body(by_address) == body(by_parameter)
    assert one_by_address.content == one_by_parameter.content
    assert one_by_address["ETag"] == one_by_parameter["ETag"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v1/topics.csv"),
        ("put", "/api/v1/topics/territory.csv"),
        ("patch", "/api/v1/topics/territory.jsonld"),
        ("delete", "/api/v1/topics/territory.ndjson"),
    ],
)
def test_format_address_refuses_writes_even_with_a_token(editor_client, method, path):
    TopicFactory(slug="territory", name="Territory")

    response = getattr(editor_client, method)(path, {"name": "Land"}, format="json")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert response.json() == {"detail": f'Method "{method.upper()}" not allowed.'}
    assert editor_client.get("/api/v1/topics/territory/").json()["name"] == "Territory"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/statements/?format=jsonld",
        "/api/v1/statements.jsonld",
        "/api/v1/topics/territory.jsonld",
        "/api/v1/topics.csv",
    ],
)
def test_options_is_answered_in_json_whatever_the_format(api_client, path):
    TopicFactory(slug="territory", name="Territory")

    response = api_client.options(path)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "name" in response.json()


def test_record_address_still_takes_writes(api_client):
    response = api_client.options("/api/v1/topics/")

    assert response["Allow"] == "GET, POST, HEAD, OPTIONS"


def test_browsable_api_indents_the_json(api_client):
    TopicFactory(slug="territory", name="Territory")

    page = api_client.get("/api/v1/topics/", HTTP_ACCEPT="text/html").content.decode()
    indented = api_client.get("/api/v1/topics/", HTTP_ACCEPT="application/json; indent=2")
    plain = api_client.get("/api/v1/topics/")

    assert "{\n  &quot;count&quot;: 1,\n  &quot;count_exact&quot;: true," in page
    assert indented.content.startswith(b'{\n  "count": 1,\n')
    assert plain.content.startswith(b'{"count":1,')
