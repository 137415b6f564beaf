"""Wrong-login flood drill: the API's throughput while one address tries the admin login with a
new username each time, 8 attempts a second, against `make serve`'s server (2 workers) on
PostgreSQL and a Redis of its own, the response cache on as in production.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parley_drill \\
        .venv/bin/python bench/login_flood.py                      # PARLEY_LOGIN_RATE as set
    ... bench/login_flood.py --login-rate off                       # no per-address limit

django-axes locks a (username, address) pair, never reached with a new username each time; each
attempt that gets to the password check costs a password hash (~0.25 s of CPU). The API load
comes from 127.0.0.1 (8 clients in a closed loop over drill.py's targets), the flood from
127.0.0.2. Loopback only.
"""

import argparse
import asyncio
import collections
import itertools
import os
import re
import statistics
import sys
import time
from urllib.parse import urlencode

from drill import TARGETS, start_redis
from serverkit import environment, prepare, start_gunicorn, stop

ATTACKER = "127.0.0.2"


async def exchange(port: int, raw: bytes, source: str = "127.0.0.1") -> tuple[int, str, bytes]:
    """One request on a fresh connection: status, head, body."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0))
    try:
        writer.write(raw)
        answer = await asyncio.wait_for(reader.read(), 30)
    finally:
        writer.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), head.decode("latin-1"), body


async def load(port: int, seconds: float, clients: int = 8) -> list[float]:
    """Closed loop: each client asks for the next target as soon as it has its answer."""
    stop_at = time.monotonic() + seconds
    timings: list[float] = []

    async def client(n: int) -> None:
        i = n
        while time.monotonic() < stop_at:
            target = TARGETS[i % len(TARGETS)]
            i += clients
            began = time.monotonic()
            raw = f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
            status, _, _ = await exchange(port, raw.encode())
            if status == 200:
                timings.append(time.monotonic() - began)

    await asyncio.gather(*(client(n) for n in range(clients)))
    return timings


async def csrf_pair(port: int) -> tuple[str, str]:
    """The login page's CSRF cookie and form token, fetched once: an attacker reuses them."""
    _, head, body = await exchange(
        port,
        b"GET /admin/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
        ATTACKER,
    )
    cookie = re.search(r"csrftoken=([A-Za-z0-9]+)", head).group(1)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    return cookie, token


# every attempt a new username, across rounds and runs (django-axes remembers earlier failures)
USERNAMES = (f"guess-{int(time.time())}-{n}" for n in itertools.count())


async def login_attempt(port: int, cookie: str, token: str) -> int:
    """A wrong password for a new username."""
    form = urlencode(
        {
            "csrfmiddlewaretoken": token,
            "username": next(USERNAMES),
            "password": "wrong",
            "next": "/admin/",
        }
    )
    raw = (
        "POST /admin/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        f"Cookie: csrftoken={cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(form)}\r\n\r\n{form}"
    )
    status, _, _ = await exchange(port, raw.encode(), ATTACKER)
    return status


async def flood(port: int, seconds: float, rate: float) -> collections.Counter:
    """Open loop: an attempt every 1/rate seconds, whatever the server's speed."""
    cookie, token = await csrf_pair(port)
    tasks = []
    began = time.monotonic()
    n = 0
    while time.monotonic() - began < seconds:
        tasks.append(asyncio.create_task(login_attempt(port, cookie, token)))
        n += 1
        await asyncio.sleep(max(0, began + n / rate - time.monotonic()))
    results = await asyncio.gather(*tasks, return_exceptions=True)
    return collections.Counter(r if isinstance(r, int) else type(r).__name__ for r in results)


async def phases(port: int, seconds: float, rate: float, blocks: int) -> tuple:
    """`blocks` rounds of the API alone, then the API with the flood, `seconds` each: the
    machine's other load, which drifts, weighs on both sides alike. Every attempt is a new
    username, so what holds the flood is the limit per address, spent in the first round."""
    await load(port, 3)  # warm: every worker has served each target
    quiet, loud, attempts = [], [], collections.Counter()
    for _ in range(blocks):
        quiet.append(await load(port, seconds))
        timings, answers = await asyncio.gather(load(port, seconds), flood(port, seconds, rate))
        loud.append(timings)
        attempts += answers
    return quiet, loud, attempts


def summary(timings: list[float], seconds: float) -> str:
    return (
        f"{len(timings) / seconds:.0f} requests/s, "
        f"p50 {statistics.median(timings) * 1000:.1f} ms, "
        f"p95 {sorted(timings)[int(len(timings) * 0.95)] * 1000:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10, help="each phase's length")
    parser.add_argument("--blocks", type=int, default=4, help="rounds of quiet, then flood")
    parser.add_argument("--rate", type=float, default=8, help="login attempts a second")
    parser.add_argument("--login-rate", help="PARLEY_LOGIN_RATE for the server (e.g. off)")
    parser.add_argument("--port", type=int, default=8132, help="the server's; Redis's is next")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL database (it is filled with the dataset)")

    redis = start_redis(args.port + 1)
    extra = {"PARLEY_LOGIN_RATE": args.login_rate} if args.login_rate else {}
    if args.login_rate == "off":
        extra["PARLEY_LOGIN_PAGE_RATE"] = "off"
    env = environment(
        REDIS_URL=f"redis://127.0.0.1:{args.port + 1}/0",
        WEB_CONCURRENCY="2",
        PARLEY_RESPONSE_CACHE_SECONDS="3600",
        DJANGO_SECURE_COOKIES="false",
        **extra,
    )
    prepare(env)
    server = start_gunicorn(env, args.port)
    try:
        quiet, loud, attempts = asyncio.run(phases(args.port, args.seconds, args.rate, args.blocks))
    finally:
        stop(server)
        redis.terminate()

    limit = args.login_rate or env.get("PARLEY_LOGIN_RATE") or "default (10/hour)"
    print(f"login limit per address: {limit}; {args.rate:g} wrong logins a second")
    every = args.seconds * args.blocks
    alone, flooded = sum(quiet, []), sum(loud, [])
    print(f"API alone:      {summary(alone, every)}")
    print(f"API with flood: {summary(flooded, every)}")
    print(f"throughput kept: {len(flooded) / len(alone):.0%}")
    print(
        "each round, alone / with flood (requests/s):",
        ", ".join(
            f"{len(q) / args.seconds:.0f} / {len(f) / args.seconds:.0f}"
            for q, f in zip(quiet, loud, strict=True)
        ),
    )
    print("login answers:", dict(attempts))


if __name__ == "__main__":
    main()
