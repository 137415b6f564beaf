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
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

# the mark also makes pytest-django create the test database when this module runs alone
pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("PARLEY_FUZZ_EXAMPLES", "5"))
SEED = int(os.environ.get("PARLEY_FUZZ_SEED", "1"))
SECONDS = int(os.environ.get("PARLEY_FUZZ_SECONDS", "150"))
PHASES = "examples,coverage,fuzzing,stateful"


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
