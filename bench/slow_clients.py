"""Can slow clients starve the server? 50 connections trickle their headers a byte a second while
a probe asks for a page every 0.25 s; each probe should be answered within a second.

    .venv/bin/python bench/slow_clients.py                  # the worker of gunicorn.conf.py
    .venv/bin/python bench/slow_clients.py --worker gthread # gunicorn's threaded worker, to compare
    .venv/bin/python bench/slow_clients.py --worker sync
    # the slow-body flood: 2,100 POSTs whose bodies trickle, from 1 address or from 30
    .venv/bin/python bench/slow_clients.py --body --slow 2100 --seconds 30
    .venv/bin/python bench/slow_clients.py --body --slow 2100 --addresses 30 --seconds 30

The slow clients connect from 127.0.0.2 and up (`--addresses` of them), the probe from 127.0.0.1:
the server limits each client's share of its connections (PARLEY_CONNECTIONS_PER_CLIENT) and
times out each request head and body (PARLEY_REQUEST_HEAD_TIMEOUT, PARLEY_REQUEST_BODY_TIMEOUT).

Runs on its own SQLite database (bench/slow.sqlite3), two workers, loopback only.
"""

import argparse
import asyncio
import collections
import resource
import statistics
import time

from serverkit import ROOT, environment, get, prepare, start_gunicorn, stop

WORKERS = {
    "uvicorn": [],  # gunicorn.conf.py as it is
    "gthread": ["--worker-class", "gthread", "--threads", "4", "config.wsgi:application"],
    "sync": ["--worker-class", "sync", "config.wsgi:application"],
}


async def trickle(port: int, stop_at: float, source: str, body: bool) -> str:
    """One slow client: a head (or, with `body`, a POST's body) a byte a second, until the
    drill ends or the server answers; what the server answered, if anything."""
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0))
    except OSError:
        return "refused"
    if body:
        writer.write(
            b"POST /api/v1/topics/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"
        )
    else:
        writer.write(b"GET /api/v1/topics/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
    answer = asyncio.create_task(reader.readline())
    try:
        while time.monotonic() < stop_at and not answer.done():
            await asyncio.wait([answer], timeout=1)
            writer.write(b" " if body else b"x")
            await writer.drain()
    except OSError:
        pass  # the server gave up on this client: fine
    finally:
        writer.close()
    if answer.done() and not answer.exception() and answer.result():
        return answer.result().decode().split(" ", 1)[1].strip()
    answer.cancel()
    return "cut" if time.monotonic() < stop_at else "held to the end"


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


async def drill(
    port: int, slow: int, seconds: float, addresses: int, body: bool
) -> tuple[list[float | None], collections.Counter]:
    for _ in range(8):
        await get(port, "/api/v1/topics/")  # warm: both workers have served before the drill
    stop_at = time.monotonic() + seconds
    slow_tasks = [
        asyncio.create_task(
            trickle(port, stop_at, f"127.0.{n % addresses // 250}.{n % addresses % 250 + 2}", body)
        )
        for n in range(slow)
    ]
    await asyncio.sleep(1)  # every slow client connected and trickling
    timings = await probe(port, stop_at)
    outcomes = collections.Counter(await asyncio.gather(*slow_tasks))
    return timings, outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--worker", choices=WORKERS, default="uvicorn")
    parser.add_argument("--slow", type=int, default=50, help="slow connections")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--body", action="store_true", help="trickle POST bodies, not heads")
    parser.add_argument("--addresses", type=int, default=1, help="addresses they come from")
    parser.add_argument("--port", type=int, default=8134)
    args = parser.parse_args()
    _, most = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (most, most))  # thousands of sockets, here and in
    # the server this starts

    env = environment(
        DATABASE_URL=f"sqlite:///{ROOT / 'bench' / 'slow.sqlite3'}", WEB_CONCURRENCY="2"
    )
    prepare(env)
    port = args.port
    server = start_gunicorn(env, port, *WORKERS[args.worker])
    try:
        timings, outcomes = asyncio.run(
            drill(port, args.slow, args.seconds, args.addresses, args.body)
        )
    finally:
        stop(server)

    answered = [t for t in timings if t is not None]
    within = sum(t < 1 for t in answered)
    kind = "bodies" if args.body else "heads"
    print(
        f"worker: {args.worker}, {args.slow} slow {kind} from {args.addresses} address(es), "
        f"{args.seconds:.0f} s"
    )
    print("slow clients:", dict(outcomes))
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
