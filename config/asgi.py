"""ASGI entry point (`make serve`), with the number of requests each process serves at once
bounded.

Django runs a request's sync code (middleware, views) in a thread of its own, started as soon as
the request has arrived: a burst of 100 requests is 100 threads asking the pool for one of its
few database connections, and those that wait longer than the pool's timeout fail. Here at most
settings.CONCURRENT_REQUESTS requests are served at once; the others wait their turn in the event
loop, in arrival order, for up to settings.QUEUE_TIMEOUT seconds, and past that get a 503 with
`Retry-After` instead of a 500. `/healthz` never waits: it says the process is alive. A
streamed answer (the bulk downloads) gives its place back once its view has returned, before its
rows are sent.
"""

import asyncio
import logging
import math
import os

import django
from django.conf import settings
from django.core.handlers.asgi import ASGIHandler
from django.http import JsonResponse

logger = logging.getLogger("parley.server")
UNQUEUED = {"/healthz"}


class QueueingASGIHandler(ASGIHandler):
    """Django's ASGI handler, serving at most settings.CONCURRENT_REQUESTS requests at once per
    event loop (one per process under gunicorn)."""

    def __init__(self):
        super().__init__()
        self.slots: dict[asyncio.AbstractEventLoop, asyncio.Semaphore] = {}

    async def get_response_async(self, request):
        if request.path in UNQUEUED:
            return await super().get_response_async(request)
        loop = asyncio.get_running_loop()
        slots = self.slots.get(loop)
        if slots is None:
            slots = self.slots[loop] = asyncio.Semaphore(settings.CONCURRENT_REQUESTS)
        try:
            async with asyncio.timeout(settings.QUEUE_TIMEOUT):
                await slots.acquire()
        except TimeoutError:
            return queue_timed_out(request)
        try:
            # held until the view's thread has finished, even when the client has gone: asgiref
            # waits for the thread before passing the cancellation on
            return await super().get_response_async(request)
        finally:
            slots.release()


def queue_timed_out(request) -> JsonResponse:
    """The answer to a request that waited settings.QUEUE_TIMEOUT seconds for its turn."""
    wait = settings.QUEUE_TIMEOUT
    logger.warning(
        "request waited %s s for its turn: answered 503",
        wait,
        extra={"method": request.method, "path": request.path[:200]},
    )
    response = JsonResponse(
        {"detail": f"The server is busy: the request waited {wait} s for its turn. Try again."},
        status=503,
    )
    response["Retry-After"] = str(math.ceil(wait / 2))
    if "X-Request-ID" in request.headers:  # the server gives every request one
        response["X-Request-ID"] = request.headers["X-Request-ID"]
    return response


os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup(set_prefix=False)
application = QueueingASGIHandler()
