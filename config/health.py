"""Probes for the process manager and the proxy: /healthz (the process answers) and /readyz
(it can serve: database reachable, migrations applied, cache reachable).

Plain Django views, outside the API: not throttled, not cached, never redirected to HTTPS.
"""

import logging

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger("parley.health")
PROBE_KEY = "parley:readyz"


@never_cache
@require_safe
def healthz(request):
    return JsonResponse({"status": "ok"})


def _check_database() -> str:
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return "migrations not applied"
    return "ok"


def _check_cache() -> str:
    client = getattr(cache, "client", None)
    if client is not None and hasattr(client, "get_client"):
        # django-redis ignores its errors (the cache fails open); ask the server itself
        client.get_client(write=True).ping()
        return "ok"
    cache.set(PROBE_KEY, "ok", timeout=5)
    return "ok" if cache.get(PROBE_KEY) == "ok" else "cache does not keep values"


@never_cache
@require_safe
def readyz(request):
    checks = {}
    for name, check in {"database": _check_database, "cache": _check_cache}.items():
        try:
            checks[name] = check()
        except Exception as error:  # any failure means not ready; the reason is the answer
            logger.exception("readiness check failed: %s", name)
            checks[name] = f"unreachable: {type(error).__name__}"
    ready = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503
    )
