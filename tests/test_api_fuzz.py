"""Schemathesis generates requests from the OpenAPI schema and checks every answer against it,
with every check it has: no server error, only documented status codes, content types and
bodies, schema-valid requests accepted (`positive_data_acceptance`) and schema-invalid ones
refused (`negative_data_rejection`). It runs over the real dataset, in-process, on the
configured database. `schemathesis.toml` lists the 400s a schema-valid list request may get;
`only_documented_rejections` below holds them to exactly that."""

import os

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from config.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
# The coverage phase walks every parameter's boundaries (hundreds of requests per list, several
# minutes): PARLEY_FUZZ_COVERAGE=1 runs it. By default the examples phase and the fuzzing phase
# run, in positive and negative modes, which keeps the test to about a minute per database.
schema.config.phases.coverage.enabled = os.environ.get("PARLEY_FUZZ_COVERAGE") == "1"

# The messages of the 400s that schemathesis.toml allows a schema-valid request, and nothing else.
DOCUMENTED_REJECTIONS = (
    "is not one of the available choices.",  # a well-formed slug that names no record
    "Not a cursor of this",  # a well-formed cursor this API did not issue (list or feed)
    "Nothing to search for",  # a search of common words only (`the`), which are not indexed
    "date_to is before date_from.",
    "Page numbers do not apply with paging=cursor.",
    "A cursor needs paging=cursor.",
)


def only_documented_rejections(ctx, response, case) -> None:
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return
    if response.status_code != 400:
        return
    messages = [message for errors in response.json()["errors"].values() for message in errors]
    undocumented = [m for m in messages if not any(r in m for r in DOCUMENTED_REJECTIONS)]
    assert undocumented == [], f"a valid request was refused: {undocumented}"


@pytest.fixture(scope="module")
def dataset_for_the_module(django_db_setup, django_db_blocker):
    """The real dataset, loaded once for every operation's test (each test's own transaction
    is rolled back as usual), and removed after them."""
    with django_db_blocker.unblock():
        call_command("load_dataset", verbosity=0)
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def connection_kept_across_requests():
    """Requests go straight to the WSGI application, whose end-of-request handler would close
    the test's database connection (and its transaction) on PostgreSQL; Django's own test
    client disconnects that handler in the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    # the same examples on every run, so CI is repeatable and bounded (about half a minute per
    # database); PARLEY_FUZZ_EXAMPLES=500 explores more
    max_examples=int(os.environ.get("PARLEY_FUZZ_EXAMPLES", "25")),
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_generated_requests_as_documented(
    case, dataset_for_the_module, db, connection_kept_across_requests
):
    case.call_and_validate(additional_checks=[only_documented_rejections])
