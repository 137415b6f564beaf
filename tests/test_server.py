"""The production server itself: gunicorn started with gunicorn.conf.py on a free loopback port.

One server for the module (one worker, an empty SQLite database, the collected static files);
each test speaks raw HTTP to it and reads the JSON lines it logs. bench/slow_clients.py measures
the slow-client defence at full size (50 clients, several worker classes); this checks it holds.
"""

import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def http_get(
    port: int, target: str, headers: str = "", timeout: float = 5
) -> tuple[int, dict, bytes]:
    """One request on a fresh connection: (status, headers, body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as conn:
        head = f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}Connection: close\r\n\r\n"
        conn.sendall(head.encode())
        raw = b""
        while chunk := conn.recv(65536):
            raw += chunk
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    fields = {name.lower(): value.strip() for name, value in (ln.split(":", 1) for ln in lines)}
    if fields.get("transfer-encoding") == "chunked":
        body = dechunk(body)
    return int(status_line.split()[1]), fields, body


def dechunk(body: bytes) -> bytes:
    out = b""
    while body:
        size_line, _, rest = body.partition(b"\r\n")
        size = int(size_line, 16)
        if size == 0:
            break
        out, body = out + rest[:size], rest[size + 2 :]
    return out


class Server:
    def __init__(self, process: subprocess.Popen, port: int):
        self.process, self.port, self.lines = process, port, []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)

    def logged(self, **fields) -> list[dict]:
        """The JSON log records holding all these fields, waiting a little for them."""
        for _ in range(50):
            records = [json.loads(line) for line in self.lines if line.startswith("{")]
            found = [r for r in records if all(r.get(k) == v for k, v in fields.items())]
            if found:
                return found
            time.sleep(0.1)
        return []


@pytest.fixture(scope="module")
def server(tmp_path_factory, collected_static):
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SECRET_KEY": "server-test-" + "k" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('db') / 'empty.sqlite3'}",
        "DJANGO_STATIC_ROOT": str(collected_static),
        "REDIS_URL": "",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "DJANGO_DEBUG": "true",  # gunicorn.conf.py turns it off whatever this says
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    running = Server(process, port)
    deadline = time.monotonic() + 30
    while True:
        try:
            http_get(port, "/healthz", timeout=1)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("gunicorn did not start:\n" + "".join(running.lines))
            time.sleep(0.2)
    yield running
    process.terminate()
    process.wait(timeout=30)


def test_server_answers_health_with_the_request_id_and_logs_it(server):
    status, headers, body = http_get(server.port, "/healthz", "X-Request-ID: probe-1\r\n")

    assert (status, json.loads(body), headers["x-request-id"]) == (200, {"status": "ok"}, "probe-1")
    [line] = server.logged(logger="parley.access", request_id="probe-1")
    assert {k: line[k] for k in ("level", "method", "path", "status", "client")} == {
        "level": "INFO",
        "method": "GET",
        "path": "/healthz",
        "status": 200,
        "client": "127.0.0.1",
    }
    assert isinstance(line["duration_ms"], float)


def test_server_readiness_names_the_failing_part(server):
    status, _, body = http_get(server.port, "/readyz")

    # the database is reachable but empty: its migrations have not been applied
    assert (status, json.loads(body)) == (
        503,
        {"status": "unavailable", "checks": {"database": "migrations not applied", "cache": "ok"}},
    )


def test_server_error_is_json_and_logged_with_its_traceback(server):
    status, headers, body = http_get(server.port, "/api/v1/topics/", "X-Request-ID: boom-1\r\n")

    # no tables: the query fails, a 500 the client sees only as JSON
    assert (status, headers["content-type"], json.loads(body)) == (
        500,
        "application/json",
        {"detail": "Internal server error. It has been logged; please try again later."},
    )
    [error] = server.logged(logger="django.request", request_id="boom-1", level="ERROR")
    assert error["message"] == "Internal Server Error: /api/v1/topics/"
    assert "sqlite3.OperationalError: no such table: events_" in error["exc_info"]


def test_server_ignores_forwarded_for_from_an_untrusted_client(server):
    http_get(server.port, "/healthz", "X-Request-ID: xff-1\r\nX-Forwarded-For: 203.0.113.9\r\n")

    [line] = server.logged(logger="parley.access", request_id="xff-1")
    assert line["client"] == "127.0.0.1"


def test_server_accepts_an_8_kb_request_line_and_refuses_a_longer_head_as_json(server):
    long_target = "/healthz?" + "x" * (8 * 1024 - len("GET /healthz? HTTP/1.1"))

    accepted = http_get(server.port, long_target)
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as conn:
        # 20 KB of a request line, unfinished: more than the server holds while waiting for a head
        conn.sendall(b"GET /healthz?" + b"x" * (20 * 1024))
        refused = conn.makefile("rb").read()

    assert accepted[0] == 200
    head, _, body = refused.partition(b"\r\n\r\n")
    assert head.split(b"\r\n")[0] == b"HTTP/1.1 400 Bad Request"
    assert b"content-type: application/json" in head.lower()
    assert json.loads(body) == {
        "detail": "Invalid HTTP request received. The request line and headers may take up to "
        "16 KB in all."
    }


def test_server_serves_hashed_static_files_for_a_year(server):
    from django.contrib.staticfiles.storage import staticfiles_storage

    url = staticfiles_storage.url("rest_framework/js/default.js")

    status, headers, _ = http_get(server.port, url)

    assert url != "/static/rest_framework/js/default.js"  # the name carries the content's hash
    assert (status, headers["cache-control"]) == (200, "max-age=315360000, public, immutable")


def test_server_serves_others_while_slow_clients_trickle_their_headers(server):
    slow = []
    for _ in range(20):  # bench/slow_clients.py drives 50; 20 keep this test short
        conn = socket.create_connection(("127.0.0.1", server.port), timeout=5)
        conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        slow.append(conn)
    try:
        timings = []
        for _ in range(5):
            started = time.monotonic()
            status, _, _ = http_get(server.port, "/healthz", timeout=3)
            timings.append((status, time.monotonic() - started < 1))
            for conn in slow:
                conn.sendall(b"x")  # a byte at a time, the request never finished
            time.sleep(0.2)
    finally:
        for conn in slow:
            conn.close()

    assert timings == [(200, True)] * 5
