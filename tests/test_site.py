"""The site around the API: its front door, favicon, errors as JSON whatever DEBUG says, the
schema's promises (examples, summaries, no security), and `make run`'s address."""

import re
import subprocess
from pathlib import Path

import pytest
import yaml
from django.test import Client

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def schema(django_db_blocker) -> dict:
    with django_db_blocker.unblock():
        return yaml.safe_load(Client().get("/api/schema/").content)


def test_front_door_leads_to_the_api_root_which_links_the_docs(client):
    front = client.get("/")
    root = client.get(front["Location"], HTTP_ACCEPT="application/json")

    assert (front.status_code, front["Location"]) == (302, "/api/v1/")
    assert {name: root.json()[name] for name in ("docs", "redoc", "schema")} == {
        "docs": "http://testserver/api/docs/",
        "redoc": "http://testserver/api/redoc/",
        "schema": "http://testserver/api/schema/",
    }


def test_favicon_is_an_icon(client):
    response = client.get("/favicon.ico")

    assert (response.status_code, response["Content-Type"]) == (200, "image/x-icon")
    assert response.content[:4] == b"\x00\x00\x01\x00"  # the ICO header


@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize(
    "path", ["/api/v1/citations/null%2Cnull/", "/api/v1/nothing/", "/api/v1/statements/A/"]
)
def test_unrouted_api_path_is_a_json_404_whatever_debug_says(client, settings, debug, path):
    settings.DEBUG = debug

    response = client.get(path)

    assert (response.status_code, response["Content-Type"]) == (404, "application/json")
    assert response.json()["detail"].startswith("No API endpoint at '/api/v1/")


@pytest.mark.parametrize("debug", [True, False])
def test_request_django_refuses_is_a_json_400_whatever_debug_says(client, settings, debug):
    settings.DEBUG = debug
    too_many_fields = "&".join(f"f{n}=1" for n in range(1001))

    response = client.get(f"/api/v1/statements/?{too_many_fields}")

    assert (response.status_code, response.json()) == (
        400,
        {"detail": "Too many query parameters."},
    )


def test_method_not_allowed_is_json(client):
    response = client.post("/api/v1/wordings/")  # wordings are read-only

    assert (response.status_code, response.json()) == (
        405,
        {"detail": 'Method "POST" not allowed.'},
    )


def test_schema_declares_no_security_on_reads_and_a_summary_for_every_operation(schema):
    operations = [op for ops in schema["paths"].values() for op in ops.values()]
    reads = [
        op for ops in schema["paths"].values() for method, op in ops.items() if method == "get"
    ]

    # reads are public but an editor's candidates; writes declare the token (test_schema.py)
    secured = [op["operationId"] for op in reads if "security" in op]
    assert secured == ["candidates_list", "candidates_retrieve"]
    assert [op["operationId"] for op in operations if not op.get("summary")] == []
    assert schema["paths"]["/api/v1/statements/"]["get"]["summary"] == "List statements"


def example_of(parameter: dict):
    """The parameter's example: its own, or where Swagger UI would send it with every other
    (a list's filters), the one its description shows ("Example: `territory`.")."""
    if "example" in parameter:
        return parameter["example"]
    shown = re.search(r"\n\nExample: (`.*`)\.$", parameter.get("description", ""))
    return re.findall(r"`([^`]+)`", shown[1]) if shown else None


def test_schema_gives_every_parameter_an_example_and_allows_empty_query_values(schema):
    parameters = [
        (path, parameter)
        for path, ops in schema["paths"].items()
        for op in ops.values()
        for parameter in op.get("parameters", [])
    ]

    # a cursor is only ever taken from a link: no example can stand for one
    missing = [(path, p["name"]) for path, p in parameters if example_of(p) is None]
    assert [name for _, name in missing if name != "cursor"] == []
    assert [
        (path, p["name"])
        for path, p in parameters
        if p["in"] == "query" and not p.get("required") and not p.get("allowEmptyValue")
    ] == []


def test_schema_declares_page_minimum_and_numbers_for_figures(schema):
    page = next(
        p
        for p in schema["paths"]["/api/v1/statements/"]["get"]["parameters"]
        if p["name"] == "page"
    )

    assert page["schema"] == {"type": "integer", "minimum": 1, "maximum": 999999999}
    assert schema["components"]["schemas"]["Figure"]["properties"]["value"]["type"] == "number"


def test_every_schema_example_finds_records_in_the_dataset(schema, dataset):
    """Each example is a real value: used alone, it is accepted and finds something."""
    misses = []
    for template, ops in schema["paths"].items():
        if "get" not in ops or "security" in ops["get"]:
            continue  # an editor's candidates and actions: none in the dataset, none public
        parameters = ops["get"].get("parameters", [])
        path = template
        for parameter in parameters:
            if parameter["in"] == "path":
                example = parameter["example"]
                path = path.replace("{" + parameter["name"] + "}", str(example))
        # a required parameter (search's q) goes with every request
        required = "&".join(
            f"{p['name']}={p['example']}"
            for p in parameters
            if p["in"] == "query" and p.get("required")
        )
        urls = [f"{path}?{required}"]
        for parameter in parameters:
            name, example = parameter["name"], example_of(parameter)
            if parameter["in"] != "query" or name == "cursor" or parameter.get("required"):
                continue  # a cursor is taken from links, never from an example
            values = example if isinstance(example, list) else [example]
            query = "&".join([f"{name}={value}" for value in values] + [required] * bool(required))
            urls.append(f"{path}?{query}")
        for url in urls:
            response = Client().get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            text = body.decode()
            # an empty JSON page, or a CSV download that is only its header row
            empty = '"results":[]' in text or (
                response.get("Content-Type", "").startswith("text/csv") and text.count("\n") < 2
            )
            if response.status_code != 200 or empty:
                misses.append((url, response.status_code))

    assert misses == [], misses


def test_make_run_serves_on_the_host_and_port_given():
    dry_run = subprocess.run(
        ["make", "-n", "run", "HOST=0.0.0.0", "PORT=8123"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )

    assert "manage.py runserver 0.0.0.0:8123" in dry_run.stdout
    assert "Parley is serving on http://0.0.0.0:8123/" in dry_run.stdout
