"""The dataset commands, a server start and the bulk downloads on a large database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parley_bench \\
        .venv/bin/python bench/big_dataset.py [--statements 200000] [--port 8180] [--commands]
        [--downloads csv,ndjson,citations,jsonld-small,jsonld,citations-jsonld] [--max-mb 300]
        [--slow-seconds 60] [--slow csv] [--check-parts]

Builds the synthetic dataset (bench/dataset.py) when the database is empty (a database that
already holds statements is measured as it is), then measures:

- a start: `manage.py migrate`, `load_dataset --if-empty` (what `make serve` and `make run`
  run before their server), then gunicorn with gunicorn.conf.py (one worker) until `/healthz`
  answers, and `manage.py runserver` (`make run`'s server) until it answers too;
- downloads under gunicorn (uvicorn workers, ASGI): seconds to the first byte and to the
  last (or to the `--max-mb`th MB), bytes, and the worker's peak RSS during each download (its
  peak is reset before each, through /proc/<pid>/clear_refs), a small download first;
- a client that reads a large download (`--slow`) at 64 KiB a second for `--slow-seconds`:
  the worker's resident memory at its start and end, and its peak meanwhile;
- with `--check-parts`: each part of `check_dataset` (statements/checks.py) in turn, in one
  process: seconds, lines reported, peak RSS so far;
- with `--commands`: `check_dataset`, `load_dataset --dry-run` (a merge's whole reading and
  comparing, nothing written) and `export_dataset`, each in a process of its own: seconds and
  peak RSS. The synthetic dataset breaks rules a curated one keeps (its quotes are drawn apart
  from its excerpts), so check_dataset reports them and export_dataset refuses it after its
  check; the export's own part is then timed: `write_release()`, what it runs after the check.
"""

import argparse
import os
import resource
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
EXPORT = (
    "import django, sys; django.setup(); from pathlib import Path; "
    "from statements.release import write_release; write_release(Path(sys.argv[1]))"
)

# check_dataset's parts one at a time, in one process: seconds, lines reported, peak RSS so far
CHECK_PARTS = (
    "import django, resource, time; django.setup(); from statements import checks\n"
    "for name in ['_person_problems', '_slug_problems', '_source_problems', "
    "'_citation_problems', '_evidence_problems', '_date_problems', '_after_report_problems', "
    "'_wording_problems', '_position_problems', '_vague_figure_problems']:\n"
    "    started = time.monotonic(); found = getattr(checks, name)()\n"
    "    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024\n"
    "    print(f'{name:26} {time.monotonic() - started:8.1f} s  {len(found):8} lines  '\n"
    "          f'peak RSS {peak} MiB', flush=True)\n"
)


def run(label: str, command: list[str], env: dict) -> None:
    """Run `command`, print its seconds, peak RSS and last line of output."""
    started = time.monotonic()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    output = (result.stdout + result.stderr).strip().splitlines()
    last = output[-1][:100] if output else ""
    rss = f"{peak / 1024:,.0f} MiB" if peak > before else "(below an earlier one)"
    print(f"{label:34} {seconds:8.1f} s  peak RSS {rss:>12}  exit {result.returncode}  {last}")


def memory(pid: int, field: str = "VmHWM") -> float:
    """A process's peak (VmHWM) or current (VmRSS) resident memory, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def reset_peak(pid: int) -> None:
    """Start the process's peak resident memory again from its current size (Linux 4.0+)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def slow_download(port: int, target: str, worker: int, seconds: float) -> None:
    """Read `target` at 64 KiB a second for `seconds`: the worker's memory meanwhile, and the
    bytes sent to the client but not yet read by it (what the socket buffers hold)."""
    with socket.create_connection(("127.0.0.1", port), timeout=600) as conn:
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 16)
        conn.sendall(
            f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
        )
        started, received = time.monotonic(), 0
        conn.settimeout(600)
        received += len(conn.recv(1 << 16))
        at_start = memory(worker, "VmRSS")
        reset_peak(worker)
        while (elapsed := time.monotonic() - started) < seconds:
            time.sleep(max(0.0, received / (1 << 16) - elapsed))
            received += len(conn.recv(1 << 16))
        at_end, peak = memory(worker, "VmRSS"), memory(worker)
    print(
        f"slow client, {received / 1e6:.1f} MB read in {seconds:.0f} s: worker RSS "
        f"{at_start:,.0f} MiB at its start, {at_end:,.0f} MiB at its end (peak {peak:,.0f} MiB)"
    )


def runserver(env: dict, port: int) -> None:
    """`make run`'s server (after its migrate and load): seconds until /healthz answers."""
    started = time.monotonic()
    server = subprocess.Popen(
        [PYTHON, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT, env={**env, "DJANGO_DEBUG": "true"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        healthy(port)
        print(f"{'runserver up (/healthz answers)':34} {time.monotonic() - started:8.1f} s")
    finally:
        server.terminate()
        server.wait(timeout=60)


def healthy(port: int) -> None:
    """Wait until /healthz answers 200 on `port`."""
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
                conn.sendall(
                    b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                )
                if conn.recv(100).startswith(b"HTTP/1.1 200"):
                    return
        except OSError:
            time.sleep(0.1)


def download(port: int, target: str, limit: float = 0) -> tuple[float, float, int]:
    """Seconds to the first byte of the body, seconds to the end (or to the `limit`th byte,
    then the connection is closed), bytes received."""
    with socket.create_connection(("127.0.0.1", port), timeout=600) as conn:
        started = time.monotonic()
        conn.sendall(
            f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
        )
        received, first, head = 0, None, b""
        while (chunk := conn.recv(1 << 16)) and not (limit and received >= limit):
            received += len(chunk)
            if first is None:
                head += chunk
                if b"\r\n\r\n" in head and head.partition(b"\r\n\r\n")[2]:
                    first = time.monotonic() - started
        return first or 0.0, time.monotonic() - started, received


def serve(env: dict, port: int) -> subprocess.Popen:
    started = time.monotonic()
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "--config", "gunicorn.conf.py", "--workers", "1"],
        cwd=ROOT, env={**env, "PORT": str(port)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    healthy(port)
    print(f"{'gunicorn up (/healthz answers)':34} {time.monotonic() - started:8.1f} s")
    return server


DOWNLOADS = {
    "csv": "/api/v1/statements/?format=csv",
    "ndjson": "/api/v1/statements/?format=ndjson",
    "citations": "/api/v1/citations/?format=ndjson",
    "jsonld": "/api/v1/statements/?format=jsonld",
    "jsonld-small": "/api/v1/statements/?format=jsonld&speaker=official-0100",
    "citations-jsonld": "/api/v1/citations/?format=jsonld",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--statements", type=int, default=200_000)
    parser.add_argument("--port", type=int, default=8180)
    parser.add_argument("--commands", action="store_true", help="Time the dataset commands too.")
    parser.add_argument(
        "--downloads", default=",".join(DOWNLOADS), help="Which: " + ", ".join(DOWNLOADS)
    )
    parser.add_argument(
        "--check-parts", action="store_true", help="Time check_dataset's parts one at a time."
    )
    parser.add_argument("--slow-seconds", type=float, default=60)
    parser.add_argument(
        "--slow", default="csv", choices=DOWNLOADS, help="Which download the slow client reads."
    )
    parser.add_argument(
        "--max-mb", type=float, default=0, help="Read each download up to this many MB only."
    )
    args = parser.parse_args()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-" + "k" * 50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "PARLEY_RESPONSE_CACHE_SECONDS": "0",
        "PARLEY_ANON_RATE": "off",
    }
    build = (
        "import django, sys; django.setup(); from django.core.management import call_command; "
        "call_command('migrate', verbosity=0); from statements.models import Statement; "
        "from bench import dataset; "
        "Statement.objects.exists() or dataset.build(int(sys.argv[1]), log=print)"
    )
    subprocess.run([PYTHON, "-c", build, str(args.statements)], cwd=ROOT, env=env, check=True)
    print(f"load average {os.getloadavg()[0]:.1f}")

    manage = [PYTHON, "manage.py"]
    run("migrate (nothing to apply)", [*manage, "migrate", "--noinput", "-v0"], env)
    run("load_dataset --if-empty", [*manage, "load_dataset", "--if-empty"], env)
    runserver(env, args.port)
    server = serve(env, args.port)
    try:
        worker = int(
            subprocess.run(
                ["pgrep", "-P", str(server.pid)], capture_output=True, text=True
            ).stdout.split()[0]
        )
        print(f"{'worker after start':34} {'':10}  RSS {memory(worker, 'VmRSS'):8,.0f} MiB")
        targets = ["/api/v1/statements/?format=csv&speaker=official-0100"]
        targets += [DOWNLOADS[name] for name in args.downloads.split(",") if name]
        for target in targets:
            reset_peak(worker)
            first, total, size = download(args.port, target, args.max_mb * 1e6)
            print(
                f"{target:52} first byte {first:6.2f} s, all {total:7.1f} s, "
                f"{size / 1e6:7.1f} MB, worker peak RSS {memory(worker):6,.0f} MiB, "
                f"load average {os.getloadavg()[0]:.1f}"
            )
        if args.slow_seconds:
            slow_download(args.port, DOWNLOADS[args.slow], worker, args.slow_seconds)
    finally:
        server.terminate()
        server.wait(timeout=60)
    if args.check_parts:
        subprocess.run([PYTHON, "-c", CHECK_PARTS], cwd=ROOT, env=env, check=True)
    if args.commands:
        run("check_dataset", [*manage, "check_dataset"], env)
        run("load_dataset --dry-run (a merge)", [*manage, "load_dataset", "--dry-run"], env)
        run("export (snapshot, layout, write)", [PYTHON, "-c", EXPORT, "/tmp/parley-export"], env)


if __name__ == "__main__":
    main()
