"""The gunicorn worker `make serve` runs: uvicorn's event loop in front of Django (ASGI).

A sync or threaded worker gives a process or a thread to a connection as soon as it is accepted,
so clients that send their request slowly hold them all and starve everyone else. Here one event
loop per process reads every connection's request with h11 and only a complete request reaches
Django; a slow client costs a socket and a few kilobytes, not a worker. docs/benchmarks.md has the
measurements (50 slow clients against gthread, sync and this worker).
"""

import json

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn_worker import UvicornWorker

# the request line may take 8 KB (long but legal filter combinations) and the headers as much again
MAX_REQUEST_HEAD = 16 * 1024


class JsonErrorH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, answering a request it cannot read (malformed, or a request line
    and headers over MAX_REQUEST_HEAD) in the API's JSON error shape instead of plain text."""

    def send_400_response(self, msg: str) -> None:
        body = json.dumps(
            {
                "detail": f"{msg} The request line and headers may take up to "
                f"{MAX_REQUEST_HEAD // 1024} KB in all."
            }
        ).encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]
        self.transport.write(
            self.conn.send(h11.Response(status_code=400, headers=headers, reason=b"Bad Request"))
        )
        self.transport.write(self.conn.send(h11.Data(data=body)))
        self.transport.write(self.conn.send(h11.EndOfMessage()))
        self.transport.close()


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
