"""Schemathesis generates requests from the OpenAPI schema and checks every answer against it:
no server error, only documented status codes, headers and content types, and bodies that match
their documented schemas. It runs over the real dataset, in-process, on the configured database,
every operation, reads and writes, with an editor's token (and, for writes, without one and with
a wrong one, which must be refused)."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from config.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


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
    # the same examples on every run, so CI is repeatable; PARLEY_FUZZ_EXAMPLES=500 explores more
    # 10 each keeps the run near a minute and a half over every operation, reads and writes
    max_examples=int(os.environ.get("PARLEY_FUZZ_EXAMPLES", "10")),
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_generated_requests_as_documented(
    case, request, editor_client, connection_kept_across_requests
):
    if case.method == "GET":
        # reads run over the real dataset; a write's generated slugs name none of its records,
        # so writes run on an empty one, which is quicker to set up
        request.getfixturevalue("dataset")
    # A slug that matches the schema's `string` may still name nothing: Parley answers such a
    # request with a documented 400, which this one check would count as a rejection of
    # valid data. Every other check runs.
    token = editor_client._credentials["HTTP_AUTHORIZATION"]
    case.call_and_validate(
        headers={"Authorization": token}, excluded_checks=[positive_data_acceptance]
    )
