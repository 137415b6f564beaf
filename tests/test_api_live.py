"""Schemathesis against a live server: every operation, reads and writes, with every check and in
every phase (examples, coverage, fuzzing, and stateful sequences of calls), sent over HTTP with
an editor's token to `manage.py runserver` (as `make run` serves) on the test's own database,
holding the real dataset.

The checks: no server error; only documented status codes, headers, content types and bodies;
schema-valid requests accepted and schema-invalid ones refused (`schemathesis.toml` lists the
answers the API gives on purpose: a documented 400 to a list, a 409 or 412 to a write, 428 to a
write without If-Match); writes refused without a token or with a wrong one; an undeclared
method answered 405; and the project's own check (`tests/schemathesis_hooks.py`), which holds
each 400 a valid list request may get to the reasons listed there.

It runs in the suite on each database within a time budget: at most `PARLEY_FUZZ_EXAMPLES`
(default 5) generated cases per operation in the fuzzing and stateful phases, from the same seed
on every run (`PARLEY_FUZZ_SEED`), and at most `PARLEY_FUZZ_SECONDS` (default 150) for the whole
run, which schemathesis shares out among the phases. On an idle machine every phase runs to its
end within it; on a busy one the coverage phase may stop short. Raise both to explore further
(`PARLEY_FUZZ_EXAMPLES=100 PARLEY_FUZZ_SECONDS=3600`).
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from tests.conftest import editors_group

# the mark also makes pytest-django create the test database when this module runs alone
pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
EXAMPLES = int(os.environ.get("PARLEY_FUZZ_EXAMPLES", "5"))
SEED = int(os.environ.get("PARLEY_FUZZ_SEED", "1"))
SECONDS = int(os.environ.get("PARLEY_FUZZ_SECONDS", "150"))
PHASES = "examples,coverage,fuzzing,stateful"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url(folder: Path) -> str:
    """Where a server in another process finds the test database. SQLite's is in memory, out
    of another process's reach: it is copied whole into a file in `folder` (VACUUM INTO)."""
    if connection.vendor == "sqlite":
        copy = folder / "live.sqlite3"
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(copy)])
        return f"sqlite:///{copy}"
    params = connection.settings_dict
    user = quote(params["USER"] or "", safe="")
    password = quote(params["PASSWORD"] or "", safe="")
    return f"postgres://{user}:{password}@{params['HOST']}:{params['PORT']}/{params['NAME']}"


@pytest.fixture(scope="module")
def live_dataset(django_db_setup, django_db_blocker, tmp_path_factory):
    """The real dataset and an editor's token, committed in the test database (a server in
    another process sees only what is committed), and removed after the module's tests."""
    from django.contrib.auth.models import User
    from knox.models import AuthToken

    with django_db_blocker.unblock():
        call_command("load_dataset", verbosity=0)
        user = User.objects.create_user("fuzzing-editor", password="never-used-in-tests-4b1e")
        user.groups.add(editors_group())
        _token, key = AuthToken.objects.create(user=user, expiry=None)
        url = database_url(tmp_path_factory.mktemp("live"))
    yield url, key
    with django_db_blocker.unblock():
        # with CASCADE: on PostgreSQL the kept rankings (config.db.search.top) refer to the records
        call_command("flush", interactive=False, verbosity=0, allow_cascade=True)


@pytest.fixture(scope="module")
def api_server(live_dataset, tmp_path_factory):
    """`manage.py runserver` on a free port, on the test database, debug on as `make run` has
    it; no rate limits, which the fuzzing's thousands of requests would reach. Its address,
    and the file it logs its warnings and errors to."""
    url, _key = live_dataset
    port = free_port()
    log = tmp_path_factory.mktemp("live") / "server.log"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "true",
        "PARLEY_ANON_RATE": "off",
        "PARLEY_WRITE_RATE": "off",
        "PARLEY_LOG_LEVEL": "WARNING",
    }
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("runserver did not start:\n" + log.read_text())
            time.sleep(0.3)
    yield base, log
    process.terminate()
    process.wait(timeout=30)


def test_schemathesis_finds_nothing_against_a_live_server(api_server, live_dataset):
    base, log = api_server
    _url, key = live_dataset
    command = [
        str(Path(sys.executable).with_name("st")),
        "run",
        f"{base}/api/schema/",
        "--checks=all",
        f"--phases={PHASES}",
        f"--max-examples={EXAMPLES}",
        f"--seed={SEED}",
        f"--max-time={SECONDS}",
        # one worker: Python 3.11.7's ast.parse is not safe in threads (hypothesis describes its
        # filters with it), and two workers made schemathesis itself fail now and then
        "--workers=1",
        "--request-timeout=60",
        "--header",
        f"Authorization: Token {key}",
    ]
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "tests.schemathesis_hooks", "NO_COLOR": "1"}

    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)

    report = result.stdout + result.stderr
    # what schemathesis found (each failure, and how to reproduce it) and the server's errors
    # (or, when it found none, what stopped it: its errors, at the end of its report)
    found = report[report.find("FAILURES") :][:20_000] if "FAILURES" in report else report[-8_000:]
    errors = [line[:3_000] for line in log.read_text().splitlines() if '"ERROR"' in line]
    assert result.returncode == 0, found + "\n".join(errors[:5])
    assert "Test cases:" in report, report[-5_000:]
