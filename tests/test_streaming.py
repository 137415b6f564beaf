"""Bulk downloads stream under the production server (gunicorn, uvicorn workers, ASGI).

Django's ASGI handler reads a streamed answer made by a sync iterator to its end before it sends
a byte (and warns "StreamingHttpResponse must consume synchronous iterators"); the downloads
hand it one block per chunk of records instead (config.api.export). Here, on 3,000 statements
(six chunks), the first bytes of a CSV and of a JSON-LD download arrive while most of it is
still to be made, and the server logs no such warning.
"""

import csv
import io
import json
import socket
import subprocess
import sys
import time

import pytest

from tests.test_server import ROOT, server_env, start_server

STATEMENTS = 3_000


@pytest.fixture(scope="module")
def full_server(tmp_path_factory, collected_static):
    env = server_env(tmp_path_factory.mktemp("db") / "statements.sqlite3", collected_static)
    build = (
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('migrate', verbosity=0); from bench import dataset; "
        f"dataset.build({STATEMENTS}, log=lambda line: None)"
    )
    subprocess.run(
        [sys.executable, "-c", build],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        check=True,
    )
    running = start_server(env)
    yield running
    running.process.terminate()
    running.process.wait(timeout=30)


def timed_download(port: int, target: str) -> tuple[float, float, bytes]:
    """Seconds to the first byte of the body, seconds to its end, and the raw response."""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as conn:
        started = time.monotonic()
        conn.sendall(
            f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
        )
        raw, first = b"", None
        while chunk := conn.recv(65536):
            raw += chunk
            if first is None and b"\r\n\r\n" in raw and raw.partition(b"\r\n\r\n")[2]:
                first = time.monotonic() - started
        return first, time.monotonic() - started, raw


def test_bulk_csv_streams_under_the_asgi_server(full_server):
    from tests.test_server import dechunk

    first, total, raw = timed_download(full_server.port, "/api/v1/statements/?format=csv")

    head, _, body = raw.partition(b"\r\n\r\n")
    rows = list(csv.reader(io.StringIO(dechunk(body).decode())))
    assert head.split(b"\r\n")[0] == b"HTTP/1.1 200 OK"
    assert b"transfer-encoding: chunked" in head.lower()
    assert len(rows) == 1 + STATEMENTS
    # sent as it is made: the first of six chunks arrives well before the last is written
    assert first < total / 2, (first, total)
    assert not [line for line in full_server.lines if "must consume" in line]


def test_bulk_jsonld_streams_under_the_asgi_server(full_server):
    from tests.test_server import dechunk

    first, total, raw = timed_download(full_server.port, "/api/v1/statements.jsonld")

    head, _, body = raw.partition(b"\r\n\r\n")
    document = json.loads(dechunk(body))
    assert head.split(b"\r\n")[0] == b"HTTP/1.1 200 OK"
    assert b"transfer-encoding: chunked" in head.lower()
    assert document["numberOfItems"] == len(document["itemListElement"]) == STATEMENTS
    assert first < total / 2, (first, total)
    assert not [line for line in full_server.lines if "must consume" in line]
