"""Request ids and the access log: one JSON line per request, every log line tagged with its id.

The id is the client's (or the proxy's) `X-Request-ID` when it is a sane token, a new one
otherwise; it is returned in the response's `X-Request-ID` so that a user's report can be matched
to the server's lines.
"""

import logging
import re
import threading
import time
import uuid
from contextvars import ContextVar

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

REQUEST_ID_HEADER = "X-Request-ID"
# letters, digits and a few separators: a header value never smuggles a line or a quote into a log
REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")

request_id: ContextVar[str] = ContextVar("request_id", default="-")
access_log = logging.getLogger("parley.access")


class JsonFormatter(BaseJsonFormatter):
    """One JSON object a line: time, level, logger, message, the record's extra fields (the
    access line's method, path, status...) and the traceback of an error."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"}
        )
        # Django attaches the request object to its records: its repr is the whole URL, however
        # long; the request id and the access line say which request it was
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, "request"])
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s", *args, **kwargs)


class RequestIdFilter(logging.Filter):
    """Adds the current request's id to every record (`-` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        current = request_id.get()
        if current == "-":
            # Django logs a 4xx/5xx answer after the middleware has returned (under ASGI, in
            # another context): the request it attaches still carries its id
            current = getattr(getattr(record, "request", None), "request_id", "-")
        record.request_id = current
        return True


class RequestLogMiddleware:
    """Sets the request id, times the request and logs the answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(REQUEST_ID_HEADER, "")
        current = given if REQUEST_ID_RE.match(given) else uuid.uuid4().hex
        request.request_id = current
        token = request_id.set(current)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = current
            access_log.info(
                "request",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "client": request.META.get("REMOTE_ADDR", ""),
                },
            )
            return response
        finally:
            request_id.reset(token)


class RepeatedErrorFilter(logging.Filter):
    """An error that repeats is logged once every settings.LOG_REPEAT_SECONDS, with the number
    of its repeats left out since: with Redis gone, every request would otherwise log the same
    traceback several times (11,000 lines in 20 s under load).

    Records are the same error when their logger, message template and exception type are; other
    errors, and everything below ERROR, pass untouched.
    """

    def __init__(self):
        super().__init__()
        self.lock = threading.Lock()
        self.seen: dict[tuple, tuple[float, int]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        from django.conf import settings

        if record.levelno < logging.ERROR:
            return True
        error = record.exc_info[0].__name__ if record.exc_info and record.exc_info[0] else ""
        key = (record.name, str(record.msg), error)
        now = time.monotonic()
        with self.lock:
            last, left_out = self.seen.get(key, (None, 0))
            if last is not None and now - last < settings.LOG_REPEAT_SECONDS:
                self.seen[key] = (last, left_out + 1)
                return False
            self.seen[key] = (now, 0)
        if left_out:
            record.repeated = left_out
            record.msg = f"{record.msg} (and {left_out} more like it since the last line)"
        return True
