"""gunicorn settings for `make serve`: the production server.

    DJANGO_SECRET_KEY=... DJANGO_ALLOWED_HOSTS=api.example.org DATABASE_URL=... REDIS_URL=... \
        make serve PORT=8000

Debug is off whatever the environment says. One uvicorn event loop per process reads requests
before Django runs (config/workers.py says why: slow clients cannot take the workers).
"""

import multiprocessing
import os

os.environ["DJANGO_DEBUG"] = "false"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# PostgreSQL connections per process, shared by its requests (settings.DB_POOL_SIZE)
os.environ.setdefault("PARLEY_DB_POOL_SIZE", "4")

wsgi_app = "config.asgi:application"
worker_class = "config.workers.ParleyUvicornWorker"
bind = [f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"]

# Django's sync views run one at a time in each process: two per core keeps the CPU busy while
# one waits for the database
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * multiprocessing.cpu_count())
worker_connections = 1000  # open connections per process before new ones get a 503

timeout = 30  # a worker silent for this long (its event loop stuck) is killed and replaced
graceful_timeout = 30  # on SIGTERM or SIGHUP, requests in flight get this long to finish
keepalive = 5  # seconds an idle keep-alive connection is held
max_requests = 10_000  # each process is replaced after this many requests (bounds any leak)...
max_requests_jitter = 1_000  # ...at staggered moments, so they never all restart at once

# X-Forwarded-For / -Proto are believed only from these addresses (comma-separated, networks
# allowed); by default from nobody, so a client cannot choose the address it is throttled by
forwarded_allow_ips = os.environ.get("PARLEY_TRUSTED_PROXIES", "")

# gunicorn's own messages as JSON lines too; each request's line comes from config.request_log
accesslog = None
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "config.request_log.JsonFormatter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stdout",
        }
    },
    "root": {"handlers": ["stdout"], "level": "INFO"},
    "loggers": {
        "gunicorn.error": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "uvicorn.error": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
    },
}


def on_starting(server):
    """Read the settings once in the master: a missing secret key or host list, or a malformed
    variable, stops the start with its reason instead of failing in every worker."""
    import django

    django.setup(set_prefix=False)


def post_worker_init(worker):
    """Each worker serves a few requests to itself before its first client (config.workers)."""
    from config.workers import warm_up

    warm_up(worker.wsgi)
