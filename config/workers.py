"""The gunicorn worker `make serve` runs: uvicorn's event loop in front of Django (ASGI).

A sync or threaded worker gives a process or a thread to a connection as soon as it is accepted,
so clients that send their request slowly hold them all and starve everyone else. Here one event
loop per process reads every connection's request with h11 and only a complete request reaches
Django; a slow client costs a socket and a few kilobytes, not a worker. docs/benchmarks.md has the
measurements (50 slow clients against gthread, sync and this worker).
"""

import asyncio
import collections
import functools
import gc
import json
import logging
import time
import uuid
from urllib.parse import unquote, urlsplit

import h11
from uvicorn.middleware.proxy_headers import _TrustedHosts
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn_worker import UvicornWorker

from config.api.throttling import client_key
from config.request_log import REQUEST_ID_RE, request_id

logger = logging.getLogger("parley.server")

# a full collection is due after this many collections of the middle generation (Python's
# default); Python itself never starts one (NEVER), collect_garbage does
FULL_COLLECTION_DUE = 10
NEVER = 1_000_000_000

# the request line may take 8 KB (long but legal filter combinations) and the headers as much again
MAX_REQUEST_HEAD = 16 * 1024


def json_error(detail: str, *extra: tuple[bytes, bytes]) -> tuple[list, bytes]:
    """The headers and body of an error the server answers itself, in the API's shape."""
    body = json.dumps({"detail": detail}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
        *extra,
    ]
    return headers, body


def origin_form(scope: dict) -> dict | None:
    """A request for `http://host/path` (the absolute form, as sent to a proxy) as one for `/path`
    with that host, whatever its Host header said (RFC 9112, 3.2.2); None for any other form.
    uvicorn passes the whole target on as the path, which no route would match."""
    target = urlsplit(scope["raw_path"].decode("ascii"))
    if target.scheme not in ("http", "https") or not target.netloc:
        return None
    headers = [(name, value) for name, value in scope["headers"] if name != b"host"]
    return {
        **scope,
        "path": unquote(target.path) or "/",
        "raw_path": target.path.encode("ascii") or b"/",
        "headers": [*headers, (b"host", target.netloc.encode("ascii"))],
    }


@functools.cache
def trusted_proxies(allowed: str) -> _TrustedHosts:
    """The proxies whose connections carry many clients (PARLEY_TRUSTED_PROXIES), as uvicorn
    reads them to believe their X-Forwarded-For."""
    return _TrustedHosts(allowed)


class JsonErrorH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, with the answers uvicorn gives on its own in the API's JSON error
    shape instead of plain text: a request it cannot read (malformed, or a request line and
    headers over MAX_REQUEST_HEAD) is a 400, one past the connection limit a 503, and an
    application that fails without answering a 500. A target in absolute form reaches Django as
    a path, with its host checked like any other.

    One client (an address, an IPv6 /64) holds at most settings.CONNECTIONS_PER_CLIENT of the
    process's connections at once; past that its new ones get a 429 and are closed, so a flood
    of slow requests from one client leaves the other clients their connections. A trusted
    proxy (PARLEY_TRUSTED_PROXIES) carries everyone's requests and is not counted.
    """

    # open connections per client in this process, shared by every connection's protocol
    per_client: collections.Counter = collections.Counter()
    reported: set[str] = set()  # clients whose refusal has been logged

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # uvicorn refuses a request past its limit inside handle_events, with a plain-text app
        # of its own; the same test runs here instead, in front of the application
        self.connection_limit, self.limit_concurrency = self.limit_concurrency, None
        self.application, self.app = self.app, self.guarded_app
        self.head_deadline: asyncio.TimerHandle | None = None
        self.body_deadline: asyncio.TimerHandle | None = None

    # uvicorn waits for a request head, and then for its body, as long as the client likes: a
    # connection that sends nothing, or a byte now and then, is held for good, and past the
    # connection limit everyone gets a 503. Each head must arrive in full within
    # settings.REQUEST_HEAD_TIMEOUT seconds of the connection or of the previous answer, and its
    # body within settings.REQUEST_BODY_TIMEOUT seconds of the head, or the connection is
    # answered 408 and closed.
    def connection_made(self, transport) -> None:
        from django.conf import settings

        super().connection_made(transport)
        self.refused = False
        self.client_key = self.counted_client()
        if self.client_key is not None:
            limit = settings.CONNECTIONS_PER_CLIENT
            if self.per_client[self.client_key] >= limit:
                if self.client_key not in self.reported:  # once while it stays over
                    self.reported.add(self.client_key)
                    logger.warning(
                        "client over %s open connections: refused with 429 until it closes some",
                        limit,
                        extra={"client": self.client_key},
                    )
                self.client_key = None
                self.refuse(
                    f"More than {limit} open connections from one client. Close some first."
                )
                return
            self.per_client[self.client_key] += 1
        self.arm_head_deadline()

    def counted_client(self) -> str | None:
        """The client this connection counts against, or None: no limit, or a trusted proxy."""
        from django.conf import settings

        host = self.client[0] if self.client else None
        allowed = self.config.forwarded_allow_ips
        if isinstance(allowed, list):
            allowed = ",".join(allowed)
        if not settings.CONNECTIONS_PER_CLIENT or not host or host in trusted_proxies(allowed):
            return None
        return client_key(host)

    def handle_events(self) -> None:
        super().handle_events()
        if self.conn.their_state is h11.SEND_BODY and self.body_deadline is None:
            from django.conf import settings

            self.body_deadline = self.loop.call_later(
                settings.REQUEST_BODY_TIMEOUT, self.body_deadline_passed
            )

    def on_response_complete(self) -> None:
        self.cancel_body_deadline()
        super().on_response_complete()
        self.arm_head_deadline()

    def refuse(self, detail: str) -> None:
        """A 429 before the request is read, then the connection half-closed: what the client
        sends meanwhile is read and dropped (closing on unread data would reset the connection,
        and the client could lose the answer), and a second later it is closed."""
        self.refused = True
        headers, body = json_error(detail, (b"retry-after", b"1"))
        head = b"HTTP/1.1 429 Too Many Requests\r\n"
        head += b"".join(name + b": " + value + b"\r\n" for name, value in headers)
        self.transport.write(head + b"\r\n" + body)
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self.loop.call_later(1, self.transport.close)

    def data_received(self, data: bytes) -> None:
        if not self.refused:
            super().data_received(data)

    def connection_lost(self, exc) -> None:
        super().connection_lost(exc)
        if self.head_deadline is not None:
            self.head_deadline.cancel()
        self.cancel_body_deadline()
        if self.client_key is not None:
            self.per_client[self.client_key] -= 1
            if not self.per_client[self.client_key]:
                del self.per_client[self.client_key]
                self.reported.discard(self.client_key)
            self.client_key = None

    def arm_head_deadline(self) -> None:
        from django.conf import settings

        if self.head_deadline is not None:
            self.head_deadline.cancel()
        self.head_deadline = self.loop.call_later(
            settings.REQUEST_HEAD_TIMEOUT, self.head_deadline_passed
        )

    def cancel_body_deadline(self) -> None:
        if self.body_deadline is not None:
            self.body_deadline.cancel()
            self.body_deadline = None

    def head_deadline_passed(self) -> None:
        from django.conf import settings

        if self.conn.their_state is not h11.IDLE or self.transport.is_closing():
            return  # a request is in progress, or the connection is going anyway
        self.time_out(
            f"No complete request within {settings.REQUEST_HEAD_TIMEOUT} s of the connection "
            "or of the previous answer."
        )

    def body_deadline_passed(self) -> None:
        from django.conf import settings

        self.body_deadline = None
        if self.conn.their_state is not h11.SEND_BODY or self.transport.is_closing():
            return  # the body has arrived, or the connection is going anyway
        logger.info(
            "request body not received within %s s: answered 408",
            settings.REQUEST_BODY_TIMEOUT,
            extra={"client": self.client[0] if self.client else ""},
        )
        if self.cycle is not None and self.cycle.response_started:
            self.transport.close()  # the application answered without reading it all
            return
        self.time_out(
            f"The request body did not arrive in full within {settings.REQUEST_BODY_TIMEOUT} s "
            "of its head."
        )

    def time_out(self, detail: str) -> None:
        """A 408 written past h11 (which has no answer to give before a whole request), then
        the connection closed; an application waiting for the body sees the client leave."""
        headers, body = json_error(detail)
        head = b"HTTP/1.1 408 Request Timeout\r\n"
        head += b"".join(name + b": " + value + b"\r\n" for name, value in headers)
        self.transport.write(head + b"\r\n" + body)
        self.transport.close()

    def send_400_response(self, msg: str) -> None:
        headers, body = json_error(
            f"{msg} The request line and headers may take up to "
            f"{MAX_REQUEST_HEAD // 1024} KB in all.",
        )
        self.transport.write(
            self.conn.send(h11.Response(status_code=400, headers=headers, reason=b"Bad Request"))
        )
        self.transport.write(self.conn.send(h11.Data(data=body)))
        self.transport.write(self.conn.send(h11.EndOfMessage()))
        self.transport.close()

    async def guarded_app(self, scope, receive, send) -> None:
        limit = self.connection_limit
        # as uvicorn counts: every open connection, and the requests in progress besides this one
        if limit is not None and (len(self.connections) >= limit or len(self.tasks) > limit):
            self.logger.warning("Exceeded concurrency limit.")
            await self.answer(
                send,
                503,
                "The server has too many open connections. Try again in a moment.",
                (b"retry-after", b"1"),
            )
            return
        if not scope["path"].startswith("/"):
            scope = origin_form(scope)
            if scope is None:
                await self.answer(send, 400, "The request target must be a path, e.g. /api/v1/.")
                return
        scope, current = with_request_id(scope)
        token = request_id.set(current)  # on every line logged while it is served
        started = gone = False
        this_request = asyncio.current_task()  # Django sends from a task of its own

        async def tracked(message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)
            if message.get("more_body"):
                # a streamed answer (a bulk download) runs for minutes and leaves its garbage
                # block after block: it is collected between blocks, not only at the end
                collect_garbage(self.tasks - {this_request})

        async def watched() -> dict:
            nonlocal gone
            message = await receive()
            gone = gone or message["type"] == "http.disconnect"
            return message

        try:
            await self.application(scope, watched, tracked)
        except Exception:
            if started:
                raise  # too late for an answer of its own: uvicorn closes the connection
            self.logger.exception("Exception in ASGI application")
        else:
            if started:
                # soon, not now: after the loop has closed the connection the answer went on
                self.loop.call_soon(collect_garbage, self.tasks)
                return
            if gone:
                # the client left (or its body timed out) before the answer: nobody to answer
                logger.info(
                    "client disconnected before the answer",
                    extra={"method": scope["method"], "path": scope["path"][:200]},
                )
                return
            self.logger.error("ASGI callable returned without starting response.")
        finally:
            request_id.reset(token)
        await self.answer(
            send, 500, "Internal server error. It has been logged; please try again later."
        )

    @staticmethod
    async def answer(send, status: int, detail: str, *extra: tuple[bytes, bytes]) -> None:
        headers, body = json_error(detail, *extra)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body, "more_body": False})


def with_request_id(scope: dict) -> tuple[dict, str]:
    """The scope with a sane `X-Request-ID` (the client's, or a new one) and that id: the server's
    own lines about the request and Django's (config.request_log) then carry the same."""
    given = next((value for name, value in scope["headers"] if name == b"x-request-id"), b"")
    current = given.decode("latin-1")
    if REQUEST_ID_RE.match(current):
        return scope, current
    current = uuid.uuid4().hex
    headers = [(name, value) for name, value in scope["headers"] if name != b"x-request-id"]
    return {**scope, "headers": [*headers, (b"x-request-id", current.encode())]}, current


class ParleyUvicornWorker(UvicornWorker):
    CONFIG_KWARGS = {
        "loop": "asyncio",
        "http": JsonErrorH11Protocol,
        "h11_max_incomplete_event_size": MAX_REQUEST_HEAD,
        "lifespan": "off",  # Django has no startup or shutdown events
        "access_log": False,  # config.request_log logs each request as JSON, with its id
        "server_header": False,
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # past this many open connections a new one gets an immediate 503, not a slow death
        self.config.limit_concurrency = self.cfg.worker_connections


def warm_up(application) -> None:
    """Serve a few requests inside the process before it takes a connection, then freeze what
    is left in memory out of the garbage collector's reach, and leave full collections to
    collect_garbage.

    A fresh process pays on its first requests for everything Django and its libraries build
    lazily (URL patterns, serializer and filter classes, the database pool, imports): a few
    hundred milliseconds that would otherwise land on the first clients. And every full garbage
    collection walks all of the ~125,000 objects that boot leaves behind, 90-195 ms on these
    machines, every twenty-odd requests; frozen (gc.freeze), they are skipped.
    docs/benchmarks.md has the measurements.
    """
    from django.conf import settings

    from config.api_router import router

    host = next((h.lstrip(".") for h in settings.ALLOWED_HOSTS if h != "*"), "localhost")
    started = time.perf_counter()
    status, _ = asyncio.run(_head(application, host, "/readyz"))
    if status == 200:
        for prefix, viewset, _ in router.registry:
            # each list, and the detail of its first record (the search needs words to search for)
            query = "q=ceasefire" if prefix == "search" else ""
            status, body = asyncio.run(_head(application, host, f"/api/v1/{prefix}/", query))
            first = json.loads(body).get("results") if status == 200 else None
            if first and "slug" in first[0] and hasattr(viewset, "retrieve"):
                asyncio.run(_head(application, host, f"/api/v1/{prefix}/{first[0]['slug']}/"))
    else:
        logger.warning("not warmed up: /readyz answered %s", status)
    gc.collect()
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, NEVER)
    logger.info(
        "warmed up in %.2f s; %d objects frozen",
        time.perf_counter() - started,
        gc.get_freeze_count(),
    )


def collect_garbage(tasks: set[asyncio.Task]) -> None:
    """A full garbage collection, when one is due, after a response has gone out.

    Each request leaves cyclic garbage (serializers and their fields, querysets...) that lives
    long enough to reach the oldest generation: ~30,000 objects, whose collection takes 20-60 ms.
    Python starts one when the younger generations have been collected ten times, in the middle
    of whichever request is running; here it runs once the response is sent and no other request
    is in progress, or regardless when the process is never idle, so memory stays bounded.
    """
    due = gc.get_count()[2]
    idle = all(task.done() for task in tasks)
    if due >= FULL_COLLECTION_DUE and (idle or due >= 10 * FULL_COLLECTION_DUE):
        gc.collect()


async def _head(application, host: str, path: str, query: str = "") -> tuple[int | None, bytes]:
    """One HEAD through the ASGI application, as the server would pass it: status and body
    (Django sends one; the server would drop it). A HEAD runs the whole view, as a GET does, but
    never comes from nor goes into the response cache, which a GET might: the view would not
    run, and the answer kept would carry this host's links."""
    status, body = None, b""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "HEAD",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", host.encode()), (b"x-request-id", b"warm-up")],
        "client": None,
        "server": None,
    }
    received = False

    async def receive() -> dict:
        nonlocal received
        if not received:
            received = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Future()  # the client never goes away
        return {}

    async def send(message: dict) -> None:
        nonlocal status, body
        if message["type"] == "http.response.start":
            status = message["status"]
        else:
            body += message.get("body", b"")

    await application(scope, receive, send)
    return status, body
