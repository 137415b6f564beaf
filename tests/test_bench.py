"""The benchmark still measures what it says: at a small size, on a database of its own, every
raw limit (bench/raw_limit.py) and every served limit gives the API's answer, or the run fails.
"""

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
STATEMENTS = 2_000


def run_bench(database_url: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DATABASE_URL": database_url, "DJANGO_DEBUG": "false"}
    for name in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE"):
        environment.pop(name, None)  # the benchmark sets its own
    return subprocess.run(
        [sys.executable, "bench/api_bench.py", f"--statements={STATEMENTS}", "--repeat=1",
         "--warmup=0"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def assert_every_request_timed(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    # the report's lines; the JSON ones are the log (a migration that rebuilds a table's search
    # triggers on SQLite says so there)
    lines = [line for line in result.stdout.splitlines() if not line.startswith("{")]
    assert f"{STATEMENTS:,} statements" in lines[0]
    requests = (
        "statements,", "?", "statement by", "events", "timeline", "history", "changes", "/search/",
    )  # fmt: skip
    timed = [line for line in lines if line.startswith(requests)]
    # the common word has a deep page of its own; then the timeline (3), history, the change feed
    # (2) and /search/
    assert len(timed) == 19, result.stdout
    # each line has its limit, served limit and ratios: a "-" stands for a missing one
    assert not [line for line in timed if " - " in line], result.stdout


def test_bench_limits_match_the_api_on_sqlite(tmp_path):
    assert_every_request_timed(run_bench(f"sqlite:///{tmp_path / 'bench.sqlite3'}"))


@pytest.mark.django_db
def test_bench_limits_match_the_api_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the suite runs on SQLite: the PostgreSQL run covers this")
    server = connection.settings_dict
    name = f"{server['NAME']}_bench"
    address = f"postgres://{server['USER']}@{server['HOST']}:{server['PORT'] or 5432}"
    with psycopg.connect(f"{address}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        assert_every_request_timed(run_bench(f"{address}/{name}"))
    finally:
        with psycopg.connect(f"{address}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
