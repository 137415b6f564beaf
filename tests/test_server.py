"""The production server itself: gunicorn started with gunicorn.conf.py on a free loopback port.

One server for the module (one worker, an empty SQLite database, the collected static files);
each test speaks raw HTTP to it and reads the JSON lines it logs. bench/slow_clients.py measures
the slow-client defence at full size (50 clients, several worker classes); this checks it holds.
"""

import asyncio
import contextlib
import gc
import json
import os
import re
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


def start_server(env: dict, *options: str) -> Server:
    """gunicorn with gunicorn.conf.py (`options` override it) on a free port, once it answers."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", *options],
        cwd=ROOT,
        env={**env, "PORT": str(port)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    running = Server(process, port)
    deadline = time.monotonic() + 60
    while True:
        try:
            http_get(port, "/healthz", timeout=1)
            return running
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("gunicorn did not start:\n" + "".join(running.lines))
            time.sleep(0.2)


def server_env(database: Path, collected_static: Path) -> dict:
    return {
        **os.environ,
        "DJANGO_SECRET_KEY": "server-test-" + "k" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_STATIC_ROOT": str(collected_static),
        "REDIS_URL": "",
        "WEB_CONCURRENCY": "1",
        "DJANGO_DEBUG": "true",  # gunicorn.conf.py turns it off whatever this says
    }


@pytest.fixture(scope="module")
def server(tmp_path_factory, collected_static):
    """On an empty database: no tables, so the probes and the API have failures to report.
    One client may hold 30 connections at once."""
    env = server_env(tmp_path_factory.mktemp("db") / "empty.sqlite3", collected_static)
    env["PARLEY_CONNECTIONS_PER_CLIENT"] = "30"
    running = start_server(env)
    yield running
    running.process.terminate()
    running.process.wait(timeout=30)


@pytest.fixture(scope="module")
def small_server(tmp_path_factory, collected_static):
    """On a migrated database, behind a trusted proxy, with room for 2 open connections only,
    each given 1 s to send a request head and 1 s more for its body."""
    env = server_env(tmp_path_factory.mktemp("db") / "migrated.sqlite3", collected_static)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    env["PARLEY_TRUSTED_PROXIES"] = "127.0.0.1"  # as if a proxy on this host sent every request
    env["DJANGO_SECURE_HSTS_SECONDS"] = "31536000"  # sent over HTTPS only: the proxy's scheme
    env["PARLEY_REQUEST_HEAD_TIMEOUT"] = "1"
    env["PARLEY_REQUEST_BODY_TIMEOUT"] = "1"
    # where gunicorn would put its control socket: it must not
    env["XDG_RUNTIME_DIR"] = str(tmp_path_factory.mktemp("runtime"))
    running = start_server(env, "--worker-connections", "2")
    running.runtime = Path(env["XDG_RUNTIME_DIR"])
    yield running
    running.process.terminate()
    running.process.wait(timeout=30)


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


def test_server_takes_the_client_address_and_scheme_from_a_trusted_proxy(small_server):
    _, headers, _ = http_get(
        small_server.port,
        "/api/v1/topics/",
        "X-Request-ID: xff-2\r\nX-Forwarded-For: 203.0.113.9\r\nX-Forwarded-Proto: https\r\n",
    )

    [line] = small_server.logged(logger="parley.access", request_id="xff-2")
    assert line["client"] == "203.0.113.9"
    assert headers["strict-transport-security"] == "max-age=31536000"


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


def test_server_warms_up_each_worker_before_its_first_client(small_server):
    [line] = small_server.logged(logger="parley.server", level="INFO")

    # its first requests served to itself, and what they left in memory frozen
    assert re.fullmatch(r"warmed up in [0-9.]+ s; [0-9]+ objects frozen", line["message"])
    assert int(line["message"].split("; ")[1].split()[0]) > 10_000


def test_server_refuses_past_its_connection_limit_with_json(small_server):
    before = http_get(small_server.port, "/healthz")
    with socket.create_connection(("127.0.0.1", small_server.port), timeout=5):
        time.sleep(0.3)  # an idle connection, accepted: with this request, the limit of 2
        status, headers, body = http_get(small_server.port, "/api/v1/topics/")
    after = http_get(small_server.port, "/healthz")

    assert (before[0], after[0]) == (200, 200)
    assert (status, headers["content-type"], headers["retry-after"], json.loads(body)) == (
        503,
        "application/json",
        "1",
        {"detail": "The server has too many open connections. Try again in a moment."},
    )
    assert small_server.logged(logger="uvicorn.error", message="Exceeded concurrency limit.")


def test_server_reads_a_target_in_absolute_form_as_its_path_and_host(server):
    def request(line: bytes) -> tuple[int, dict]:
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as conn:
            conn.sendall(line + b"\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            head, _, body = conn.makefile("rb").read().partition(b"\r\n\r\n")
        return int(head.split()[1]), json.loads(dechunk(body) if b"chunked" in head else body)

    answers = [
        request(b"GET http://127.0.0.1/healthz HTTP/1.1"),
        request(b"GET http://evil.example/api/v1/topics/ HTTP/1.1"),
        request(b"OPTIONS * HTTP/1.1"),
    ]

    assert answers == [
        (200, {"status": "ok"}),
        (400, {"detail": "This server does not answer for the host named in the request."}),
        (400, {"detail": "The request target must be a path, e.g. /api/v1/."}),
    ]


def test_full_garbage_collection_waits_until_no_request_is_in_progress():
    from config.workers import FULL_COLLECTION_DUE, collect_garbage

    loop = asyncio.new_event_loop()
    finished, running = loop.create_future(), loop.create_future()
    finished.set_result(None)
    gc.disable()  # no collection but the ones below
    try:
        gc.collect()
        for _ in range(FULL_COLLECTION_DUE):
            gc.collect(1)  # each counts towards the next full collection
        collect_garbage({finished, running})
        due_while_busy = gc.get_count()[2]
        collect_garbage({finished})
        due_when_idle = gc.get_count()[2]
    finally:
        gc.enable()
        loop.close()

    assert (due_while_busy, due_when_idle) == (FULL_COLLECTION_DUE, 0)


def test_full_garbage_collection_runs_between_the_blocks_of_a_streamed_answer():
    """A bulk download is one request for minutes: its garbage is collected while it streams
    (at a million citations the worker otherwise grew by gigabytes). As under uvicorn and
    Django, the request runs in a task of the server's and the blocks are sent from another."""
    from config.workers import FULL_COLLECTION_DUE, JsonErrorH11Protocol

    due_after = []

    async def application(scope, receive, send):
        async def respond():
            await send({"type": "http.response.start", "status": 200, "headers": []})
            for block in range(2):
                for _ in range(FULL_COLLECTION_DUE):
                    gc.collect(1)  # the garbage of making a block
                more = block == 0
                await send({"type": "http.response.body", "body": b"x", "more_body": more})
                due_after.append(gc.get_count()[2])

        await asyncio.create_task(respond())

    async def serve():
        protocol = JsonErrorH11Protocol.__new__(JsonErrorH11Protocol)
        protocol.tasks, protocol.connection_limit, protocol.application = set(), None, application
        protocol.loop = asyncio.get_running_loop()

        async def send(message):
            pass

        scope = {"type": "http", "method": "GET", "path": "/", "headers": []}
        request = asyncio.create_task(protocol.guarded_app(scope, None, send))
        protocol.tasks.add(request)
        await request

    gc.disable()
    try:
        gc.collect()
        asyncio.run(serve())
    finally:
        gc.enable()

    # after the first block, collected; after the last, left to the end of the request
    assert due_after == [0, FULL_COLLECTION_DUE]


def test_server_closes_a_connection_that_trickles_its_head_past_the_deadline(small_server):
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", small_server.port), timeout=0.3) as conn:
        conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        answer = b""
        while time.monotonic() - started < 5:
            try:
                chunk = conn.recv(65536)
            except TimeoutError:
                with contextlib.suppress(OSError):  # closed meanwhile: the answer is read next
                    conn.sendall(b"x")  # a byte now and then, the head never finished
                continue
            if not chunk:
                break
            answer += chunk
        closed_after = time.monotonic() - started

    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.split(b"\r\n")[0] == b"HTTP/1.1 408 Request Timeout"
    assert json.loads(body) == {
        "detail": "No complete request within 1 s of the connection or of the previous answer."
    }
    assert 1 <= closed_after < 3


def test_server_answers_408_to_a_body_that_trickles_past_the_deadline(small_server):
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", small_server.port), timeout=0.3) as conn:
        conn.sendall(
            b"POST /api/v1/topics/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-ID: slow-body-1\r\n"
            b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
        )
        answer = b""
        while time.monotonic() - started < 5:
            try:
                chunk = conn.recv(65536)
            except TimeoutError:
                with contextlib.suppress(OSError):
                    conn.sendall(b" ")  # a byte now and then, the body never finished
                continue
            if not chunk:
                break
            answer += chunk
        closed_after = time.monotonic() - started

    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.split(b"\r\n")[0] == b"HTTP/1.1 408 Request Timeout"
    assert json.loads(body) == {
        "detail": "The request body did not arrive in full within 1 s of its head."
    }
    assert 1 <= closed_after < 3
    # the request never reached a view: the server says so, at INFO, with the request's id
    [gone] = small_server.logged(message="client disconnected before the answer")
    assert (gone["level"], gone["request_id"], gone["path"]) == (
        "INFO",
        "slow-body-1",
        "/api/v1/topics/",
    )


def test_server_serves_a_body_sent_in_time_whole(small_server):
    with socket.create_connection(("127.0.0.1", small_server.port), timeout=5) as conn:
        conn.sendall(
            b"POST /api/v1/topics/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            b"Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{"
        )
        time.sleep(0.5)  # slow, but within the second
        conn.sendall(b"}")
        answer = conn.makefile("rb").read()

    # read whole and answered by the API: a write without a token
    assert answer.split(b"\r\n")[0] == b"HTTP/1.1 401 Unauthorized"


def test_server_logs_a_client_that_leaves_early_at_info_with_its_request_id(small_server):
    with socket.create_connection(("127.0.0.1", small_server.port), timeout=5) as conn:
        conn.sendall(
            b"POST /api/v1/topics/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-ID: gone-early-1\r\n"
            b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
        )
        time.sleep(0.2)

    [gone] = small_server.logged(request_id="gone-early-1")
    assert (gone["level"], gone["logger"], gone["message"]) == (
        "INFO",
        "parley.server",
        "client disconnected before the answer",
    )
    assert not small_server.logged(level="ERROR", request_id="gone-early-1")


def test_server_opens_no_shared_control_socket(small_server):
    assert list(small_server.runtime.iterdir()) == []


def test_server_refuses_a_client_past_its_share_of_connections_and_serves_others(server):
    held = [socket.create_connection(("127.0.0.1", server.port), timeout=5) for _ in range(30)]
    try:
        time.sleep(0.3)  # every one accepted and counted
        status, headers, body = http_get(server.port, "/healthz")
        with socket.create_connection(
            ("127.0.0.1", server.port), timeout=5, source_address=("127.0.0.2", 0)
        ) as other:
            other.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            other_answer = other.makefile("rb").read()
    finally:
        for conn in held:
            conn.close()
    time.sleep(0.3)
    after = http_get(server.port, "/healthz")

    assert (status, headers["retry-after"], json.loads(body)) == (
        429,
        "1",
        {"detail": "More than 30 open connections from one client. Close some first."},
    )
    assert other_answer.split(b"\r\n")[0] == b"HTTP/1.1 200 OK"  # another client: served
    assert after[0] == 200
