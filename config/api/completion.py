"""Facets completed in the background: the counts an answer could not finish in its time budget
are counted again after it, with a larger one (PARLEY_FACETS_BACKGROUND_LIMIT_MS, a minute by
default), and the complete answer is kept in the cache for the next request that asks the same.

The cache key is the facets' address, the query (its parameters sorted, empty ones dropped) and
the dataset version the request read: a write changes the version, so a kept answer is never
served for data it did not count. The job reads the version before and after counting and keeps
its answer only if no write came in between.

Bounded in each process: one worker thread, started with the first job, counts one answer at a
time, and at most PARLEY_FACETS_BACKGROUND_QUEUE answers wait or are counted (a key already
there is not added twice); past that nothing is added and the answer just names its left-out
counts. The thread is a daemon, so a process that stops does not wait for it. A job reads on
the thread's own database connections, closed when it ends, and its error is logged.

Once across processes: a job claims its key in the cache first (`cache.add`, atomic in Redis,
which the workers share in production), and a key another process is counting is not counted
again here. The claim is released when the job ends, and lapses on its own a minute after the
background budget, should its process stop half-way.
"""

import hashlib
import logging
import queue
import threading
from collections.abc import Callable
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connections

logger = logging.getLogger("parley.api")
CACHE_PREFIX = "facets:"
# the key names the dataset version: a write leaves a kept answer unreachable, never wrong
KEEP_SECONDS = 24 * 3600


def dataset_version() -> int:
    """The dataset's version now (settings.DATASET_VERSION_MODEL)."""
    return apps.get_model(settings.DATASET_VERSION_MODEL).current()[0]


def completion_key(path: str, params, version: int) -> str:
    """Where the complete answer to the facets at `path` with `params` (a QueryDict of the
    parameters given) at `version` is kept."""
    query = urlencode(sorted(params.lists()), doseq=True)  # one spelling of the same question
    text = "\n".join((path, query, str(version)))
    return CACHE_PREFIX + hashlib.sha256(text.encode()).hexdigest()


class Completions:
    """The process's background counts: a queue of jobs and the one thread that runs them."""

    def __init__(self):
        self.jobs: queue.SimpleQueue = queue.SimpleQueue()
        self.pending: set[str] = set()  # keys waiting or being counted
        self.changed = threading.Condition()
        self.thread: threading.Thread | None = None

    def add(self, key: str, version: int, count: Callable[[], dict]) -> bool:
        """Count `count()` in the background and keep it under `key` if the dataset is still
        at `version` then. Whether the answer will be completed: False when the queue is full."""
        with self.changed:
            if key in self.pending:
                return True
            if len(self.pending) >= settings.FACETS_BACKGROUND_QUEUE:
                return False
            self.pending.add(key)  # its place held while the claim goes to the cache
        # claimed without the lock: a slow cache delays this request only, not every other
        # request's answer that would add a job meanwhile
        try:
            claimed = claim(key)
        except BaseException:
            self.done(key)  # its place given back, as before it was held
            raise
        if not claimed:
            self.done(key)  # another process is counting it: it will be kept all the same
            return True
        with self.changed:
            if self.thread is None:
                self.thread = threading.Thread(
                    target=self.work, name="facets-completion", daemon=True
                )
                self.thread.start()
        self.jobs.put((key, version, count))
        return True

    def work(self) -> None:
        while True:
            key, version, count = self.jobs.get()
            try:
                complete(key, version, count)
            except Exception:
                logger.exception("facets not completed in the background (key %s)", key)
            finally:
                connections.close_all()  # the thread's own; a pooled one goes back to its pool
                cache.delete(claim_key(key))
                self.done(key)

    def done(self, key: str) -> None:
        """`key` no longer waits nor runs: its place in the queue is free."""
        with self.changed:
            self.pending.discard(key)
            self.changed.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """Wait until no job waits or runs (tests); False if `timeout` seconds passed first."""
        with self.changed:
            return self.changed.wait_for(lambda: not self.pending, timeout)


def claim_key(key: str) -> str:
    return f"{key}:counting"


def claim(key: str) -> bool:
    """Whether this process may count `key`: no other process is counting it."""
    lapse = settings.FACETS_BACKGROUND_LIMIT_MS / 1000 + 60
    return cache.add(claim_key(key), 1, lapse)


def complete(key: str, version: int, count: Callable[[], dict]) -> None:
    if dataset_version() != version:
        return  # a write came first: no request asks for this version any more
    answer = count()
    if dataset_version() != version:
        return  # a write came while counting: the counts may hold some of it
    cache.set(key, answer | {"complete_later": False}, KEEP_SECONDS)


completions = Completions()
