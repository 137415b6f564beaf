"""Probes for the process manager and the proxy: /healthz (the process answers) and /readyz
(it can serve: database reachable, migrations applied, cache reachable).

Plain Django views, outside the API: not throttled, not cached by the API's cache, never
redirected to HTTPS. /readyz is cheap instead: each process answers it from its last check for
READY_SECONDS, so a flood of probes costs one database query a second; the migration graph is
read only until it has once been found applied (the code cannot change under a running process).
"""

import logging
import threading
import time

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger("parley.health")
PROBE_KEY = "parley:readyz"
READY_SECONDS = 1.0
# the eviction policies that keep Redis within its limit by dropping keys (every key Parley
# writes has an expiry, so the volatile ones do too); `noeviction` refuses writes instead
EVICTING_POLICIES = {
    "allkeys-lru",
    "allkeys-lfu",
    "allkeys-random",
    "volatile-lru",
    "volatile-lfu",
    "volatile-random",
    "volatile-ttl",
}

_lock = threading.Lock()
_last: dict = {"at": -READY_SECONDS, "answer": None, "migrated": False}


@never_cache
@require_safe
def healthz(request):
    return JsonResponse({"status": "ok"})


def _check_database() -> str:
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    if not _last["migrated"]:
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            return "migrations not applied"
        _last["migrated"] = True
    return "ok"


def _check_cache() -> str:
    client = getattr(cache, "client", None)
    if client is not None and hasattr(client, "get_client"):
        # django-redis ignores its errors (the cache fails open); ask the server itself
        client.get_client(write=True).ping()
        return "ok"
    cache.set(PROBE_KEY, "ok", timeout=5)
    return "ok" if cache.get(PROBE_KEY) == "ok" else "cache does not keep values"


def redis_memory_warning() -> str | None:
    """What is wrong with Redis's memory policy for Parley's cache, or None.

    The response cache and the throttles' counts live in Redis: without a memory limit that
    evicts, clients asking for ever new answers grow it until the machine runs out of memory.
    The README (Production) gives the settings `make serve` expects: a `maxmemory` and an
    evicting `maxmemory-policy` such as `allkeys-lru`. Read with INFO, which managed Redis
    services allow where they refuse CONFIG.
    """
    client = getattr(cache, "client", None)
    if client is None or not hasattr(client, "get_client"):
        return None  # the in-process cache: Django bounds it (MAX_ENTRIES)
    memory = client.get_client(write=True).info("memory")
    limit, policy = int(memory.get("maxmemory", 0)), memory.get("maxmemory_policy", "")
    if not limit:
        return "Redis has no memory limit: set maxmemory and maxmemory-policy allkeys-lru"
    if policy not in EVICTING_POLICIES:
        return f"Redis's maxmemory-policy is {policy}: set allkeys-lru, so a full cache evicts"
    return None


def readiness() -> tuple[dict, int]:
    checks = {}
    for name, check in {"database": _check_database, "cache": _check_cache}.items():
        try:
            checks[name] = check()
        except Exception as error:  # any failure means not ready; the reason is the answer
            logger.exception("readiness check failed: %s", name)
            checks[name] = f"unreachable: {type(error).__name__}"
    ready = all(state == "ok" for state in checks.values())
    answer = {"status": "ok" if ready else "unavailable", "checks": checks}
    if checks["cache"] == "ok":
        warning = redis_memory_warning()
        if warning:
            logger.warning("readiness: %s", warning)
            answer["warnings"] = [warning]
    return answer, 200 if ready else 503


def forget() -> None:
    """Drop the kept answer: the next probe checks again (a test changes what it would find)."""
    with _lock:
        _last.update(at=-READY_SECONDS, answer=None, migrated=False)


@never_cache
@require_safe
def readyz(request):
    with _lock:  # one check at a time per process; the others take its answer
        now = time.monotonic()
        if now - _last["at"] >= READY_SECONDS:
            _last["answer"] = readiness()
            _last["at"] = time.monotonic()
        answer, status = _last["answer"]
    return JsonResponse(answer, status=status)
