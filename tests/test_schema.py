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
        "date_to",
        "event",
        "issue",
        "format",
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
