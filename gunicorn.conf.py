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
# each process is replaced after this many requests (bounds any leak), at staggered moments so
# they never all restart at once: at the ~2,000 cached answers a second a process can give, that
# is every minute or more, not every few seconds (a restart costs a warm-up)
max_requests = 100_000
max_requests_jitter = 10_000

# gunicorn's control socket (gunicornc) sits at one path per user by default, so a second
# instance on the machine would take the first's: off unless PARLEY_CONTROL_SOCKET names a path
# of this instance's own
control_socket_disable = not os.environ.get("PARLEY_CONTROL_SOCKET")
if not control_socket_disable:
    control_socket = os.environ["PARLEY_CONTROL_SOCKET"]

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

    from config.health import redis_memory_warning

    try:
        warning = redis_memory_warning()
    except Exception as error:  # Redis down: the API fails open, and /readyz says so
        warning = f"Redis unreachable at start: {type(error).__name__}"
    if warning:
        server.log.warning("%s (README, Production: the cache)", warning)


def post_worker_init(worker):
    """Each worker serves a few requests to itself before its first client (config.workers)."""
    from config.workers import warm_up

    warm_up(worker.wsgi)
