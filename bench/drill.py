"""Load and fault drill: `make serve`'s server (gunicorn.conf.py, 2 workers) on PostgreSQL and a
Redis of its own, under a fixed open-loop load; optionally, during it, a worker is killed, every
database connection is terminated and Redis is stopped.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parley_drill \
        .venv/bin/python bench/drill.py --rate 40 --seconds 60 --faults [--port 8000]

The mix is the same on any database (the seed dataset, or bench/dataset.py's million
statements): lists, filters, a ranked search, the facets of a filtered list, the details of a
statement, an event and a person, a bulk CSV download of one speaker's week, and `/healthz`.
The records whose details are asked for are the first of their lists, found before the run.

Open loop: requests start on a fixed schedule whatever the server's speed, so a stall shows as
latency and errors instead of slowing the client down. Each fault should cost at most the
requests in flight at that moment. Loopback only; the Redis server is started and stopped here.
"""

import argparse
import asyncio
import json
import math
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request

import psycopg
from serverkit import environment, free_port, get, prepare, start_gunicorn, stop, worker_pids

# what a reader of the API asks for: lists, filters, a search, facets, details, a download;
# {statement} and {event} are the first record of their lists (see `resolve`)
TARGETS = [
    "/api/v1/statements/",
    "/api/v1/statements/?speaker=vladimir-putin",
    "/api/v1/statements/?date_from=2024-11&date_to=2025-02&ordering=-date",
    "/api/v1/statements/?q=ceasefire",
    "/api/v1/statements/facets/?topic=territory&date_from=2025",
    "/api/v1/statements/{statement}/",
    "/api/v1/events/?status=planned",
    "/api/v1/events/{event}/",
    "/api/v1/figures/",
    "/api/v1/people/vladimir-putin/",
    "/api/v1/citations/?page=3",
    "/api/v1/statements/?format=csv&speaker=vladimir-putin&date_from=2025-03-01&date_to=2025-03-07",
    "/api/v1/topics/",
    "/healthz",
]


def resolve(port: int) -> None:
    """Put the slugs of the first statement and event of this database into TARGETS."""
    slugs = {}
    for name, prefix in (("statement", "statements"), ("event", "events")):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/{prefix}/?page_size=1") as r:
            slugs[name] = json.load(r)["results"][0]["slug"]
    TARGETS[:] = [target.format(**slugs) for target in TARGETS]


def start_redis(port: int) -> subprocess.Popen:
    if not shutil.which("redis-server"):
        sys.exit("redis-server is needed (apt-get install redis-server)")
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            # as the README asks of production: bounded, evicting the least recently used
            "--maxmemory",
            "256mb",
            "--maxmemory-policy",
            "allkeys-lru",
        ],
        stdout=subprocess.DEVNULL,
    )
    time.sleep(0.5)
    return process


def terminate_connections(database_url: str) -> int:
    with psycopg.connect(database_url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return len(rows)


async def load(port: int, rate: float, seconds: float, faults: dict) -> list[tuple]:
    """(start offset, latency or None, status or error name, target) for every request sent."""
    results: list[tuple] = []

    async def one(offset: float, target: str) -> None:
        started = time.monotonic()
        try:
            status = await get(port, target, timeout=10)
            results.append((offset, time.monotonic() - started, status, target))
        except Exception as error:  # every failure is a result to count
            results.append((offset, None, type(error).__name__, target))

    begin = time.monotonic()
    tasks, n = [], 0
    pending_faults = sorted(faults.items())
    while (offset := n / rate) < seconds:
        if pending_faults and offset >= pending_faults[0][0]:
            at, fault = pending_faults.pop(0)
            print(f"{at:5.1f} s  {fault()}", flush=True)
        delay = begin + offset - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(offset, TARGETS[n % len(TARGETS)])))
        n += 1
    await asyncio.gather(*tasks)
    return results


def percentile(ms: list[float], share: float) -> float:
    """The nearest-rank percentile of sorted latencies."""
    return ms[max(math.ceil(len(ms) * share) - 1, 0)]


def report(results: list[tuple], rate: float, seconds: float, faults: dict) -> None:
    ok = [latency for _, latency, status, _ in results if status == 200]
    failed = [(offset, status) for offset, _, status, _ in results if status != 200]
    print(f"\n{'target':<72} {'n':>4} {'req/s':>5} {'other':>5} {'p50 ms':>7} {'p99 ms':>7}")
    for target in TARGETS:
        sent = [status for _, _, status, t in results if t == target]
        ms = sorted(lat * 1000 for _, lat, status, t in results if t == target and status == 200)
        if ms:
            print(
                f"{target[:72]:<72} {len(sent):>4} {len(sent) / seconds:>5.2f} "
                f"{len(sent) - len(ms):>5} {statistics.median(ms):>7.1f} "
                f"{percentile(ms, 0.99):>7.1f}"
            )
    slowest = sorted((r for r in results if r[2] == 200), key=lambda r: r[1])[-5:]
    print(
        "slowest: "
        + ", ".join(f"{lat * 1000:.0f} ms at {at:.1f} s {t}" for at, lat, _, t in slowest)
    )
    ms = sorted(latency * 1000 for latency in ok)
    p50, p99 = statistics.median(ms), percentile(ms, 0.99)
    print(
        f"\nrequests: {len(results)} at {rate:g}/s; answered 200: {len(ok)}; other: {len(failed)}"
    )
    print(
        f"latency ms: p50 {p50:.1f}, p90 {percentile(ms, 0.9):.1f}, p99 {p99:.1f}, "
        f"max {ms[-1]:.1f}; p99/p50 {p99 / p50:.1f}"
    )
    # a request sent up to 10 s before a fault may still be in flight when it strikes
    for at in sorted(faults):
        near = [f for f in failed if at - 10 <= f[0] < at + 5]
        print(f"  failures sent in [-10 s, +5 s] of the fault at {at:g} s: {len(near)} {near[:5]}")
    others = [f for f in failed if not any(at - 10 <= f[0] < at + 5 for at in faults)]
    print(f"  failures away from any fault: {len(others)} {others[:5]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=40, help="requests a second")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--faults",
        action="store_true",
        help="kill a worker, the database connections and Redis at 1/4, 1/2 and 3/4 of the run",
    )
    parser.add_argument("--port", type=int, help="the server's port (default: a free one)")
    parser.add_argument("--redis-port", type=int, help="its Redis's port (default: a free one)")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        sys.exit("set DATABASE_URL to a PostgreSQL database of your own")

    redis_port, port = args.redis_port or free_port(), args.port or free_port()
    redis = start_redis(redis_port)
    env = environment(REDIS_URL=f"redis://127.0.0.1:{redis_port}/0", WEB_CONCURRENCY="2")
    prepare(env)
    server = start_gunicorn(env, port)
    resolve(port)
    print(f"load average {os.getloadavg()[0]:.1f} at the start", flush=True)
    faults = {}
    if args.faults:

        def kill_worker() -> str:
            victim = worker_pids(server.pid)[0]
            os.kill(victim, signal.SIGKILL)
            return f"killed worker {victim} (SIGKILL)"

        def kill_database_connections() -> str:
            return f"terminated {terminate_connections(database_url)} database connections"

        def stop_redis() -> str:
            redis.terminate()
            return "stopped Redis"

        quarter = args.seconds / 4
        faults = {
            quarter: kill_worker,
            2 * quarter: kill_database_connections,
            3 * quarter: stop_redis,
        }
    try:
        results = asyncio.run(load(port, args.rate, args.seconds, faults))
    finally:
        stop(server)
        redis.terminate()
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    report(results, args.rate, args.seconds, faults)


if __name__ == "__main__":
    main()
