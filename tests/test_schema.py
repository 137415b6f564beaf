import re

import pytest
import yaml
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker) -> dict:
    with django_db_blocker.unblock():
        response = Client().get("/api/schema/")
    return yaml.safe_load(response.content)


def test_schema_validates_with_no_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))

    assert (tmp_path / "s.yml").read_text().startswith("openapi: 3")


def test_schema_describes_every_operation_and_parameter(schema):
    undescribed = [
        f"{method.upper()} {path} {parameter['name']}"
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        for parameter in operation.get("parameters", [])
        if not parameter.get("description")
    ]
    undescribed += [
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if not operation.get("description")
    ]

    assert undescribed == []


def test_schema_describes_every_field(schema):
    undescribed = [
        f"{name}.{field}"
        for name, component in schema["components"]["schemas"].items()
        for field, spec in component.get("properties", {}).items()
        if not spec.get("description")
    ]

    assert undescribed == []


def test_schema_lists_the_statement_filters(schema):
    parameters = {p["name"] for p in schema["paths"]["/api/v1/statements/"]["get"]["parameters"]}

    assert parameters == {
        "about",
        "cursor",
        "date_from",
        "date_match",
        "date_to",
        "event",
        "issue",
        "kind",
        "occasion",
        "ordering",
        "page",
        "page_size",
        "paging",
        "place",
        "q",
        "source",
        "speaker",
        "speaker_kind",
        "stance",
        "updated_since",
        "topic",
    }


@pytest.mark.parametrize(
    ("page", "asset"),
    [
        ("/api/docs/", "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"),
        ("/api/redoc/", "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"),
    ],
)
def test_docs_pages_load_their_assets_locally(client, page, asset):
    html = client.get(page).content.decode()
    asset = staticfiles_storage.url(asset)  # its hashed name, from the collected manifest
    asset_response = client.get(asset)

    external = [
        link
        for link in re.findall(r'(?:src|href)="([^"]*)"', html)
        if link.startswith(("http:", "https:", "//"))
    ]
    assert asset in html
    assert external == []
    assert asset_response.status_code == 200


WRITE_TYPES = ["statements", "events", "figures", "citations", "people", "sources", "topics",
               "places"]  # fmt: skip


def test_schema_documents_every_write_with_its_token_body_and_answers(schema):
    writes = {
        (method.upper(), path): operation
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if method in {"post", "put", "patch", "delete"}
    }

    expected = {
        *(("POST", f"/api/v1/{name}/") for name in WRITE_TYPES),
        # an editor's actions on candidates, and ingesting an article
        *(("POST", f"/api/v1/candidates/{{id}}/{name}/") for name in ("accept", "reject")),
        ("POST", "/api/v1/ingest/"),
        *((method, f"/api/v1/{name}/{{slug}}/") for name in WRITE_TYPES
          for method in ("PUT", "PATCH", "DELETE")),
    }  # fmt: skip
    assert set(writes) == expected
    for (method, path), operation in writes.items():
        codes = {"400", "401", "403", "409", "429"}
        if method != "POST":
            codes |= {"404", "412", "428"}
        assert operation["security"] == [{"token": []}], (method, path)
        assert codes <= set(operation["responses"]), (method, path)
        assert (method == "DELETE") == ("requestBody" not in operation), (method, path)
        headers = {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "header"}
        if method != "POST":
            assert headers["If-Match"]["required"] is True


def test_schema_declares_reads_public(schema):
    secured = [
        path
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if method == "get" and "security" in operation
    ]

    # but candidates: proposals an editor reviews, not published records
    assert secured == ["/api/v1/candidates/", "/api/v1/candidates/{id}/"]
    assert "security" not in schema


def test_schema_offers_the_token_scheme_for_swagger_ui_to_authorise_with(schema):
    assert schema["components"]["securitySchemes"] == {
        "token": {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "An editor's token from `manage.py create_api_token USERNAME`, sent "
            "as `Authorization: Token <key>` (in Swagger UI, type `Token ` and the key).",
        }
    }


def test_schema_documents_the_etag_of_a_detail_and_the_body_of_a_write(schema):
    detail = schema["paths"]["/api/v1/statements/{slug}/"]
    body = schema["components"]["schemas"]["StatementWriteRequest"]

    assert "ETag" in detail["get"]["responses"]["200"]["headers"]
    assert "ETag" in detail["patch"]["responses"]["200"]["headers"]
    assert detail["patch"]["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Statement"
    }
    assert body["properties"]["speaker"]["type"] == "string"
    assert set(body["required"]) == {"slug", "speaker", "speaker_label", "kind", "text", "date"}


def operations(schema) -> list[tuple[str, str, dict]]:
    return [
        (method.upper(), path, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]


def test_schema_gives_every_operation_its_own_summary_and_id(schema):
    summaries = [operation["summary"] for _, _, operation in operations(schema)]
    ids = [operation["operationId"] for _, _, operation in operations(schema)]

    assert sorted(s for s in summaries if summaries.count(s) > 1) == []
    assert sorted(i for i in ids if ids.count(i) > 1) == []
    assert schema["paths"]["/api/v1/search/"]["get"]["summary"] == "Search every kind of record"
    assert schema["paths"]["/api/v1/timeline/"]["get"]["summary"] == (
        "Events and statements in date order"
    )
    assert schema["paths"]["/api/v1/events/"]["post"]["summary"] == "Create an event"


def test_schema_declares_ordering_as_one_value_or_a_comma_list(schema):
    parameter = next(
        p for p in schema["paths"]["/api/v1/statements/"]["get"]["parameters"]
        if p["name"] == "ordering"
    )  # fmt: skip
    timeline = next(
        p for p in schema["paths"]["/api/v1/timeline/"]["get"]["parameters"]
        if p["name"] == "ordering"
    )  # fmt: skip
    pattern = re.compile(parameter["schema"]["anyOf"][1]["pattern"])

    assert parameter["schema"]["anyOf"][0] == {
        "$ref": "#/components/schemas/StatementsOrderingEnum"
    }
    assert schema["components"]["schemas"]["StatementsOrderingEnum"] == {
        "type": "string",
        "enum": ["-date", "date", "-slug", "slug"],
        "x-enum-varnames": ["DATE_DESC", "DATE", "SLUG_DESC", "SLUG"],
    }
    assert [bool(pattern.match(v)) for v in ("-date,slug", "slug", "date,", "-date,,slug")] == [
        True,
        True,
        False,
        False,
    ]
    assert parameter["example"] == "-date"
    assert "explode" not in parameter
    assert timeline["schema"] == {"$ref": "#/components/schemas/TimelineOrderingEnum"}
    assert timeline["example"] == "-date"
    ordering_arrays = [
        f"{method} {path}"
        for method, path, operation in operations(schema)
        for p in operation.get("parameters", [])
        if p["name"] == "ordering" and p["schema"].get("type") == "array"
    ]
    assert ordering_arrays == []


def test_schema_names_every_enum_value_for_generated_clients(schema):
    unnamed = []

    def walk(node, where):
        if isinstance(node, dict):
            values = node.get("enum")
            if values and None not in values and "x-enum-varnames" not in node:
                unnamed.append(where)
            for key, child in node.items():
                walk(child, f"{where}/{key}")
        elif isinstance(node, list):
            for index, child in enumerate(node):
                walk(child, f"{where}/{index}")

    walk(schema, "")

    assert unnamed == []
    assert schema["components"]["schemas"]["FiguresOrderingEnum"]["x-enum-varnames"] == [
        "DATE_DESC", "DATE", "MEASURE_DESC", "MEASURE", "VALUE_DESC", "VALUE"
    ]  # fmt: skip


def test_schema_gives_each_format_its_own_operation(schema):
    json_only = {
        f"{method} {path}": sorted(operation["responses"]["200"]["content"])
        for method, path, operation in operations(schema)
        if method == "GET" and ".{format}" not in path
        and len(operation["responses"]["200"].get("content", {})) > 1
    }  # fmt: skip
    as_file = schema["paths"]["/api/v1/statements.{format}"]["get"]
    one_as_file = schema["paths"]["/api/v1/wordings/{slug}.{format}"]["get"]
    path_formats = {
        p["name"]: p["schema"]["enum"] for p in as_file["parameters"] if p["in"] == "path"
    }

    assert json_only == {}
    assert sorted(as_file["responses"]["200"]["content"]) == [
        "application/ld+json",
        "application/x-ndjson",
        "text/csv",
    ]
    assert path_formats == {"format": ["csv", "ndjson", "jsonld"]}
    assert as_file["operationId"] == "statements_list_as_file"
    assert as_file["summary"] == "List statements as CSV, NDJSON or JSON-LD"
    assert sorted(one_as_file["responses"]["200"]["content"]) == [
        "application/x-ndjson",
        "text/csv",
    ]
    assert "ETag" in one_as_file["responses"]["200"]["headers"]
    assert {"format"} & {
        p["name"] for p in schema["paths"]["/api/v1/statements/"]["get"]["parameters"]
    } == set()


def test_schema_list_examples_can_all_be_sent_at_once(schema):
    # Swagger UI's "Try it out" sends every example: on a list, only those that change how the
    # answer is shown, and those a request must have
    sent_together = {
        f"{path} {p['name']}"
        for method, path, operation in operations(schema)
        if method == "GET" and "{slug}" not in path and "{id}" not in path
        for p in operation.get("parameters", [])
        if "example" in p and not p.get("required")
        and p["name"] not in {"page", "page_size", "paging", "date_match", "ordering", "format"}
    }  # fmt: skip
    topic = next(
        p for p in schema["paths"]["/api/v1/statements/"]["get"]["parameters"]
        if p["name"] == "topic"
    )  # fmt: skip

    assert sent_together == set()
    assert topic["description"].endswith("\n\nExample: `territory`.")
