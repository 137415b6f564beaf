"""The clients people generate from the schema, used as generated, against a live server holding
the real dataset: openapi-python-client's, and openapi-typescript's types with openapi-fetch
(tests/clients/typescript/, installed by `npm ci` from its lock file into a folder git ignores).

Each is made from the schema the server serves, with no hand edit: the Python client must come
out whole (no operation or model skipped) and the TypeScript one must type-check under `tsc
--strict`. Then each calls the API: one ordering or a comma list of them, named enum values
(`DATE_DESC`), a record, CSV, NDJSON and JSON-LD read as text (never parsed as JSON), the
timeline with its own ordering, the search, and a refusal read as the API's error.

The TypeScript test needs Node.js and npm (and the npm registry, for `npm ci`): it is skipped,
saying so, where `node` or `npm` is missing, except under CI, where that is a failure.
"""

import csv
import importlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.django_db

TYPESCRIPT = ROOT / "tests" / "clients" / "typescript"
NODE_MISSING = [tool for tool in ("node", "npm") if shutil.which(tool) is None]


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=60) as answer:
        return json.load(answer)


def get_text(url: str) -> str:
    with urllib.request.urlopen(url, timeout=60) as answer:
        return answer.read().decode()


@pytest.fixture(scope="module")
def schema_file(api_server, tmp_path_factory) -> Path:
    """The schema as the live server serves it."""
    base, _log = api_server
    path = tmp_path_factory.mktemp("schema") / "schema.yml"
    path.write_text(get_text(f"{base}/api/schema/"))
    return path


@pytest.fixture(scope="module")
def python_client(schema_file, tmp_path_factory):
    folder = tmp_path_factory.mktemp("python-client")
    bin_folder = Path(sys.executable).parent
    # the generator formats what it writes with ruff, found on the PATH
    env = {**os.environ, "PATH": f"{bin_folder}{os.pathsep}{os.environ.get('PATH', '')}"}
    command = [
        str(bin_folder / "openapi-python-client"),
        "generate",
        "--path",
        str(schema_file),
        "--meta",
        "none",
        "--output-path",
        str(folder / "parley_client"),
    ]

    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    # the generator warns of every operation or model it could not make, and leaves it out
    assert "Warning" not in output, output
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module("parley_client")
    finally:
        sys.path.remove(str(folder))
        for name in [name for name in sys.modules if name.split(".")[0] == "parley_client"]:
            del sys.modules[name]


def module(name: str):
    return importlib.import_module(f"parley_client.{name}")


def test_python_client_names_every_enum_value(python_client):
    models = Path(python_client.__file__).parent / "models"
    ordering = module("models").StatementsOrderingEnum

    unnamed = [
        f"{path.name}: {line.strip()}"
        for path in models.glob("*.py")
        for line in path.read_text().splitlines()
        if re.match(r"\s+VALUE_\d+ = ", line)
    ]

    assert unnamed == []
    assert {member.name: member.value for member in ordering} == {
        "DATE": "date",
        "DATE_DESC": "-date",
        "SLUG": "slug",
        "SLUG_DESC": "-slug",
    }


def test_python_client_lists_with_one_ordering_or_several(python_client, api_server):
    base, _log = api_server
    client = python_client.Client(base_url=base)
    statements_list = module("api.statements.statements_list")
    models = module("models")
    expected = get_json(f"{base}/api/v1/statements/?topic=territory&ordering=-date&page_size=100")
    expected_two = get_json(f"{base}/api/v1/statements/?ordering=-date,slug&page_size=5")

    latest = statements_list.sync(
        client=client,
        topic=["territory"],
        ordering=models.StatementsOrderingEnum.DATE_DESC,
        page_size=100,
    )
    two = statements_list.sync(client=client, ordering="-date,slug", page_size=5)

    assert isinstance(latest, models.PaginatedStatementList)
    assert latest.count == expected["count"] > 0
    assert [s.slug for s in latest.results] == [s["slug"] for s in expected["results"]]
    assert [s.slug for s in two.results] == [s["slug"] for s in expected_two["results"]]


def test_python_client_reads_the_other_formats_as_text(python_client, api_server):
    base, _log = api_server
    client = python_client.Client(base_url=base)
    as_file = module("api.statements.statements_list_as_file")
    one_as_file = module("api.statements.statements_retrieve_as_file")
    formats = module("models").StatementsListAsFileFormat
    expected = get_json(f"{base}/api/v1/statements/?speaker=vladimir-putin&page_size=100")
    slugs = [s["slug"] for s in expected["results"]]

    table = as_file.sync(format_=formats.CSV, client=client, speaker=["vladimir-putin"])
    lines = as_file.sync(format_=formats.NDJSON, client=client, speaker=["vladimir-putin"])
    document = one_as_file.sync(
        format_=module("models").StatementsRetrieveAsFileFormat.JSONLD,
        slug=slugs[0],
        client=client,
    )

    assert expected["count"] == len(slugs) > 0
    assert [row["slug"] for row in csv.DictReader(io.StringIO(table))] == slugs
    assert [json.loads(line)["slug"] for line in lines.splitlines()] == slugs
    assert json.loads(document)["@id"] == expected["results"][0]["url"]


def test_python_client_timeline_takes_its_own_ordering(python_client, api_server):
    base, _log = api_server
    client = python_client.Client(base_url=base)
    timeline_list = module("api.timeline.timeline_list")
    latest_first = module("models").TimelineOrderingEnum.DATE_DESC
    expected = get_json(f"{base}/api/v1/timeline/?ordering=-date")

    page = timeline_list.sync(client=client, ordering=latest_first)

    assert page.count == expected["count"] > 0
    assert [item.slug for item in page.results] == [item["slug"] for item in expected["results"]]


def test_python_client_reads_a_refusal_as_the_apis_error(python_client, api_server):
    base, _log = api_server
    client = python_client.Client(base_url=base)
    statements_list = module("api.statements.statements_list")

    answer = statements_list.sync_detailed(client=client, ordering="-date,nonsense")

    assert answer.status_code == 400
    assert isinstance(answer.parsed, module("models").Error)
    assert list(answer.parsed.errors.additional_properties) == ["ordering"]


@pytest.mark.skipif(
    bool(NODE_MISSING) and not os.environ.get("CI"),
    reason=f"no {' or '.join(NODE_MISSING)} on this machine: the TypeScript client needs Node.js "
    "and npm (apt-get install nodejs npm)",
)
def test_typescript_client_type_checks_and_reads_the_api(schema_file, api_server):
    base, _log = api_server
    env = {**os.environ, "NO_COLOR": "1"}

    def run(*command: str, timeout: int = 300) -> str:
        result = subprocess.run(
            command, cwd=TYPESCRIPT, env=env, capture_output=True, text=True, timeout=timeout
        )
        assert result.returncode == 0, f"{' '.join(command)}:\n{result.stdout}{result.stderr}"
        return result.stdout

    run("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error", timeout=600)
    run("node_modules/.bin/openapi-typescript", str(schema_file), "-o", "generated/schema.d.ts")
    run("node_modules/.bin/tsc", "-p", ".")
    answers = json.loads(run("node", "dist/client.js", base))

    territory = get_json(f"{base}/api/v1/statements/?topic=territory&ordering=-date&page_size=100")
    two = get_json(f"{base}/api/v1/statements/?ordering=-date,slug&page_size=5")
    first = territory["results"][0]
    timeline = get_json(f"{base}/api/v1/timeline/?ordering=-date")
    search = get_json(f"{base}/api/v1/search/?q=ceasefire&type=event")
    slugs = [s["slug"] for s in territory["results"]]
    assert answers["territory"] == {"count": territory["count"], "slugs": slugs}
    assert answers["twoOrderings"] == [s["slug"] for s in two["results"]]
    assert answers["detail"] == {"slug": first["slug"], "speaker": first["speaker"]["slug"]}
    assert [row["slug"] for row in csv.DictReader(io.StringIO(answers["csv"]))] == slugs
    assert answers["ndjsonSlugs"] == slugs
    assert answers["jsonldId"] == first["url"]
    assert answers["timeline"] == [[item["type"], item["slug"]] for item in timeline["results"]]
    assert answers["search"] == {"count": search["count"], "types": ["event"]}
    assert answers["refused"]["status"] == 400
    assert list(answers["refused"]["errors"]) == ["ordering"]
