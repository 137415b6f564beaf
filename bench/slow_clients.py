"""Can slow clients starve the server? 50 connections trickle their headers a byte a second while
a probe asks for a page every 0.25 s; each probe should be answered within a second.

    .venv/bin/python bench/slow_clients.py                  # the worker of gunicorn.conf.py
    .venv/bin/python bench/slow_clients.py --worker gthread # gunicorn's threaded worker, to compare
    .venv/bin/python bench/slow_clients.py --worker sync

Runs on its own SQLite database (bench/slow.sqlite3), two workers, loopback only.
"""

import argparse
import asyncio
import statistics
import time

from serverkit import ROOT, environment, free_port, get, prepare, start_gunicorn, stop

WORKERS = {
    "uvicorn": [],  # gunicorn.conf.py as it is
    "gthread": ["--worker-class", "gthread", "--threads", "4", "config.wsgi:application"],
    "sync": ["--worker-class", "sync", "config.wsgi:application"],
}


async def trickle(port: int, stop_at: float) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET /api/v1/topics/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
    try:
        while time.monotonic() < stop_at:
            await asyncio.sleep(1)
            writer.write(b"x")
            await writer.drain()
    except OSError:
        pass  # the server gave up on this client: fine
    finally:
        writer.close()


async def probe(port: int, stop_at: float) -> list[float | None]:
    timings = []
    while time.monotonic() < stop_at:
        started = time.monotonic()
        try:
            status = await get(port, "/api/v1/topics/", timeout=5)
            timings.append(time.monotonic() - started if status == 200 else None)
        except (OSError, TimeoutError):
            timings.append(None)
        await asyncio.sleep(0.25)
    return timings


async def drill(port: int, slow: int, seconds: float) -> list[float | None]:
    for _ in range(8):
        await get(port, "/api/v1/topics/")  # warm: both workers have served before the drill
    stop_at = time.monotonic() + seconds
    slow_tasks = [asyncio.create_task(trickle(port, stop_at)) for _ in range(slow)]
    await asyncio.sleep(1)  # every slow client connected and trickling
    timings = await probe(port, stop_at)
    await asyncio.gather(*slow_tasks, return_exceptions=True)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--worker", choices=WORKERS, default="uvicorn")
    parser.add_argument("--slow", type=int, default=50, help="slow connections")
    parser.add_argument("--seconds", type=float, default=15)
    args = parser.parse_args()

    env = environment(
        DATABASE_URL=f"sqlite:///{ROOT / 'bench' / 'slow.sqlite3'}", WEB_CONCURRENCY="2"
    )
    prepare(env)
    port = free_port()
    server = start_gunicorn(env, port, *WORKERS[args.worker])
    try:
        timings = asyncio.run(drill(port, args.slow, args.seconds))
    finally:
        stop(server)

    answered = [t for t in timings if t is not None]
    within = sum(t < 1 for t in answered)
    print(f"worker: {args.worker}, {args.slow} slow clients, {args.seconds:.0f} s")
    failed = len(timings) - len(answered)
    print(f"probes: {len(timings)}, answered within 1 s: {within}, failed: {failed}")
    print(
        "slow probes (s):",
        [round(t, 2) if t is not None else None for t in timings if t is None or t >= 1],
    )
    if answered:
        print(
            f"probe latency ms: median {statistics.median(answered) * 1000:.1f}, "
            f"max {max(answered) * 1000:.1f}"
        )


if __name__ == "__main__":
    main()
