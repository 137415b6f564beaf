"""Reads from a replica, writes to the primary (settings.DATABASE_REPLICA_URL).

With a `replica` database configured, `PrimaryReplicaRouter` sends every read there and every
write to the primary (`default`); once a request has written, its later reads go to the primary
too, so that it reads back what it wrote rather than a replica that has not caught up. What a
request wrote is tracked per request (`PrimaryAfterWriteMiddleware` starts each one afresh) and
per management command (a process that has written reads from the primary for the rest of its
run). Migrations run on the primary only: a replica follows it by the database's own
replication. Without a replica every query goes to the primary, as with no router at all.
"""

from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, router

REPLICA = "replica"

# whether the request (or command) in this context has written to the primary
_wrote: ContextVar[bool] = ContextVar("parley_wrote_to_primary", default=False)


def has_written() -> bool:
    """Whether the current request has written: its reads then go to the primary."""
    return _wrote.get()


class PrimaryReplicaRouter:
    """Django's database router (settings.DATABASE_ROUTERS)."""

    def db_for_read(self, model, **hints) -> str:
        if REPLICA not in settings.DATABASES or _wrote.get():
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model, **hints) -> str:
        _wrote.set(True)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # the replica holds the primary's rows: a record read from one may refer to the other's
        return True

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS


class PrimaryAfterWriteMiddleware:
    """Each request starts reading from the replica, whatever the one before on this thread
    wrote; it reads from the primary after its first write (PrimaryReplicaRouter)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _wrote.set(False)
        try:
            return self.get_response(request)
        finally:
            _wrote.reset(token)


def read_connection():
    """The connection a raw read goes through: where the ORM's reads go at this moment (the
    replica, or the primary after a write), so that raw and ORM reads of a request agree."""
    return connections[router.db_for_read(None)]
