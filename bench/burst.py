"""Burst drill: N clients at once against `make serve`'s server (gunicorn.conf.py, 2 workers) on
PostgreSQL and a Redis of its own; every answer's status counted. No answer may be a 500: a
request waits its turn (config.asgi) and past PARLEY_QUEUE_TIMEOUT gets a 503 with Retry-After.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parley_drill \\
        .venv/bin/python bench/burst.py --clients 200
    # as before the queue: every request its own thread, all asking a pool of 4 connections
    ... bench/burst.py --clients 200 --unqueued

The requests are uncached searches and facet counts (the response cache off, each search a
different word), the heaviest the API serves. Loopback only; the Redis server is started and
stopped here.
"""

import argparse
import asyncio
import collections
import os
import statistics
import sys
import time

from drill import start_redis
from serverkit import environment, prepare, start_gunicorn, stop

# words of the dataset, each a different search (nothing answered from a cache)
WORDS = [
    "ceasefire", "territory", "sanctions", "negotiations", "security", "guarantees", "peace",
    "troops", "energy", "prisoners", "exchange", "Crimea", "Donbas", "NATO", "referendum",
    "elections", "withdrawal", "occupation", "minerals", "talks", "summit", "envoy", "weapons",
    "missiles", "drones", "aid", "Europe", "Kremlin", "Zaporizhzhia", "nuclear",
]  # fmt: skip


def targets(clients: int) -> list[str]:
    out = []
    for n in range(clients):
        word = WORDS[n % len(WORDS)]
        if n % 4 == 3:
            out.append(f"/api/v1/statements/facets/?q={word}&page_size={n % 7 + 1}")
        else:
            out.append(f"/api/v1/statements/?q={word}&page_size={n % 50 + 1}")
    return out


def client_address(n: int) -> str:
    """The n-th client's own loopback address (127.0.0.2, ...): two hundred clients, not one
    client with two hundred connections (the server limits each client's share)."""
    return f"127.0.{n // 250}.{n % 250 + 2}"


async def request(
    port: int, n: int, target: str, start: asyncio.Event
) -> tuple[int | None, float, str]:
    reader, writer = await asyncio.open_connection(
        "127.0.0.1", port, local_addr=(client_address(n), 0)
    )
    await start.wait()  # every client connected: now all at once
    began = time.monotonic()
    try:
        writer.write(
            f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
        )
        status_line = await asyncio.wait_for(reader.readline(), 60)
        head = (await reader.read()).split(b"\r\n\r\n")[0].decode("latin-1").lower()
        retry = "retry-after" in head
        status = int(status_line.split()[1]) if status_line else None
        return status, time.monotonic() - began, "retry-after" if retry else ""
    except (OSError, TimeoutError):
        return None, time.monotonic() - began, ""
    finally:
        writer.close()


async def burst(port: int, clients: int) -> list[tuple[int | None, float, str]]:
    start = asyncio.Event()
    tasks = [
        asyncio.create_task(request(port, n, target, start))
        for n, target in enumerate(targets(clients))
    ]
    await asyncio.sleep(1)
    start.set()
    return await asyncio.gather(*tasks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--unqueued", action="store_true", help="no queue (as before)")
    parser.add_argument("--port", type=int, default=8130, help="the server's; Redis's is next")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL database (it is filled with the dataset)")

    redis_port = args.port + 1
    redis = start_redis(redis_port)
    extra = {"PARLEY_CONCURRENT_REQUESTS": "100000"} if args.unqueued else {}
    env = environment(REDIS_URL=f"redis://127.0.0.1:{redis_port}/0", WEB_CONCURRENCY="2", **extra)
    prepare(env)
    port = args.port
    server = start_gunicorn(env, port)
    try:
        results = asyncio.run(burst(port, args.clients))
    finally:
        stop(server)
        redis.terminate()

    statuses = collections.Counter(status for status, _, _ in results)
    with_retry = sum(1 for status, _, retry in results if status == 503 and retry)
    seconds = sorted(duration for _, duration, _ in results)
    print(f"{args.clients} clients at once, 2 workers, {'no queue' if args.unqueued else 'queued'}")
    print("statuses:", dict(sorted(statuses.items(), key=lambda kv: str(kv[0]))))
    print(f"503 with Retry-After: {with_retry}")
    print(
        f"latency s: median {statistics.median(seconds):.2f}, "
        f"p95 {seconds[int(len(seconds) * 0.95) - 1]:.2f}, max {seconds[-1]:.2f}"
    )


if __name__ == "__main__":
    main()
