"""What the drills share: preparing a database, starting gunicorn on loopback, one HTTP request.

Only 127.0.0.1 is ever contacted. Nothing here is part of the test suite.
"""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

DRILL_ENV = {
    "DJANGO_SECRET_KEY": "bench-only-" + "s3cr3t" * 10,
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    "DJANGO_STATIC_ROOT": str(ROOT / "bench" / "static"),
    # one client sends everything from one address: the drills measure capacity, not the limit
    "PARLEY_ANON_RATE": "off",
    # every request does its work: the drills measure the server, not the response cache (a
    # run with it on: PARLEY_RESPONSE_CACHE_SECONDS=3600, as production has it)
    "PARLEY_RESPONSE_CACHE_SECONDS": os.environ.get("PARLEY_RESPONSE_CACHE_SECONDS", "0"),
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(**extra: str) -> dict:
    return {**os.environ, **DRILL_ENV, **extra}


def prepare(env: dict) -> None:
    """Migrate, load the dataset into an empty database and collect the static files, as
    `make serve` does (a database that holds records is served as it is)."""
    for step in (
        ["migrate", "--noinput", "-v0"],
        ["load_dataset", "--if-empty", "-v0"],
        ["collectstatic", "--noinput", "-v0"],
    ):
        subprocess.run([PYTHON, "manage.py", *step], cwd=ROOT, env=env, check=True)


def start_gunicorn(env: dict, port: int, *extra: str) -> subprocess.Popen:
    """gunicorn with gunicorn.conf.py (extra command-line options override it), stdout to a log."""
    log = open(ROOT / "bench" / f"gunicorn-{port}.log", "w")  # noqa: SIM115 (lives with the server)
    process = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "--config", "gunicorn.conf.py", *extra],
        cwd=ROOT,
        env={**env, "PORT": str(port)},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        # the socket accepts as soon as gunicorn listens; a worker answers once it has warmed up
        try:
            if asyncio.run(get(port, "/healthz", timeout=5)) == 200:
                time.sleep(1)  # let every worker finish booting
                return process
        except (OSError, TimeoutError):
            pass
        if process.poll() is not None:
            break
        time.sleep(0.2)
    stop(process)
    sys.exit(f"gunicorn did not start; see bench/gunicorn-{port}.log")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


async def get(port: int, target: str, timeout: float = 10) -> int:
    """One GET on a fresh connection; the status code, or raises."""

    async def exchange() -> int:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            writer.write(
                f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
            )
            status_line = await reader.readline()
            await reader.read()  # the whole answer, to the close
            if not status_line:
                raise ConnectionResetError("closed without an answer")
            return int(status_line.split()[1])
        finally:
            writer.close()

    return await asyncio.wait_for(exchange(), timeout)
