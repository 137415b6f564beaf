"""Reads from a replica, writes to the primary (config.db.router), under the production server.

The test makes two PostgreSQL databases: a primary, migrated, and a copy of it standing in for
its replica. Each then gets a topic the other lacks, so that every answer says which database
it was read from.
"""

import json
import socket
import subprocess
import sys

import psycopg
import pytest
from django.db import connection

from tests.test_server import ROOT, dechunk, server_env, start_server

TOKEN_SCRIPT = """
import django; django.setup()
from django.contrib.auth.models import Group, User
from knox.models import AuthToken
user = User.objects.create_user("ed", password="never-used-in-tests-41c9")
user.groups.add(Group.objects.get(name="editors"))
print(AuthToken.objects.create(user=user)[1])
"""


def add_topic(url: str, slug: str) -> None:
    with psycopg.connect(url, autocommit=True) as database:
        database.execute(
            "INSERT INTO events_topic (slug, name, description, created_at, updated_at) "
            "VALUES (%s, %s, '', now(), now())",
            [slug, slug.replace("-", " ").capitalize()],
        )


def topic_slugs(url: str) -> set[str]:
    with psycopg.connect(url) as database:
        return {slug for (slug,) in database.execute("SELECT slug FROM events_topic")}


def request(port: int, method: str, target: str, token: str = "", body: dict | None = None):
    data = b"" if body is None else json.dumps(body).encode()
    head = (
        f"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n"
        + (f"Authorization: Token {token}\r\n" if token else "")
        + "\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        conn.sendall(head.encode() + data)
        raw = b""
        while chunk := conn.recv(65536):
            raw += chunk
    head, _, payload = raw.partition(b"\r\n\r\n")
    if b"transfer-encoding: chunked" in head.lower():
        payload = dechunk(payload)
    return int(head.split()[1]), json.loads(payload) if payload else None


@pytest.fixture
def primary_and_replica(collected_static, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("a replica is a PostgreSQL database: the PostgreSQL run covers this")
    server = connection.settings_dict
    address = f"postgres://{server['USER']}@{server['HOST']}:{server['PORT'] or 5432}"
    primary, replica = f"{server['NAME']}_primary", f"{server['NAME']}_replica"
    env = server_env(tmp_path / "unused.sqlite3", collected_static)
    env |= {"DATABASE_URL": f"{address}/{primary}", "DJANGO_SETTINGS_MODULE": "config.settings"}
    with psycopg.connect(f"{address}/postgres", autocommit=True) as admin:
        for name in (primary, replica):
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{primary}"')
    try:
        manage = [sys.executable, "manage.py", "migrate", "--noinput", "-v0"]
        subprocess.run(manage, cwd=ROOT, env=env, check=True)
        token = subprocess.run(
            [sys.executable, "-c", TOKEN_SCRIPT],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip
        with psycopg.connect(f"{address}/postgres", autocommit=True) as admin:
            # the replica starts as an exact copy: the schema, the editor and their token
            admin.execute(f'CREATE DATABASE "{replica}" TEMPLATE "{primary}"')
        add_topic(f"{address}/{primary}", "only-on-the-primary")
        add_topic(f"{address}/{replica}", "only-on-the-replica")
        env["DATABASE_REPLICA_URL"] = f"{address}/{replica}"
        running = start_server(env)
        yield running, token, f"{address}/{primary}", f"{address}/{replica}"
        running.process.terminate()
        running.process.wait(timeout=30)
    finally:
        with psycopg.connect(f"{address}/postgres", autocommit=True) as admin:
            for name in (primary, replica):
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_router_reads_from_the_replica_and_writes_and_reads_back_on_the_primary(
    primary_and_replica,
):
    server, token, primary, replica = primary_and_replica
    new_topic = {"slug": "prisoners", "name": "Prisoner exchange", "description": "Swaps."}

    listed = request(server.port, "GET", "/api/v1/topics/")
    # the write, then its answer read back in the same request: from the primary
    created = request(server.port, "POST", "/api/v1/topics/", token, new_topic)
    # a later request reads from the replica again, which has not received the write
    read_later = request(server.port, "GET", "/api/v1/topics/prisoners/")

    assert listed[0] == 200
    assert {topic["slug"] for topic in listed[1]["results"]} == {"only-on-the-replica"}
    assert created[0] == 201, created
    assert {name: created[1][name] for name in new_topic} == new_topic
    assert "prisoners" in topic_slugs(primary)
    assert "prisoners" not in topic_slugs(replica)
    assert read_later[0] == 404
