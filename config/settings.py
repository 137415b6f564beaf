"""Parley settings: one file, safe development defaults, everything else from the environment.

Debug is off unless asked for (`make run` asks); with it off, the secret key and the allowed
hosts must be given. The README's Configuration and Production sections list every variable.
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
SEEDS_DIR = BASE_DIR / "seeds"
FIXTURES_DIR = BASE_DIR / "fixtures"
# words that mean the same in this field, for search (config.db.search.synonyms; the codebook)
SEARCH_SYNONYMS_FILE = FIXTURES_DIR / "synonyms.txt"


def env_str(name: str, default: str) -> str:
    """Read a text; unset or empty means the default."""
    return os.environ.get(name) or default


def env_choice(name: str, default: str, choices: list[str]) -> str:
    """Read one of `choices` (in any case), as the choice is spelled there."""
    raw = env_str(name, default)
    for choice in choices:
        if raw.upper() == choice.upper():
            return choice
    raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {raw!r}")


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean; refuse anything that is not clearly true or false."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated list; an empty item is a typo, not a wish."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    items = [item.strip() for item in raw.split(",")]
    if any(not item for item in items):
        raise ImproperlyConfigured(f"{name} has an empty item: {raw!r}")
    return items


def env_int(name: str, default: int) -> int:
    """Read a whole number of zero or more."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    if not re.fullmatch(r"[0-9]{1,10}", raw.strip()):
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}")
    return int(raw)


def env_rate(name: str, default: str) -> str | None:
    """Read a rate, `requests/period` (`600/minute`), or `off` (None: no limit)."""
    raw = os.environ.get(name) or default
    if raw == "off":
        return None
    if not re.fullmatch(r"[1-9][0-9]{0,8}/(s|m|h|d|second|minute|hour|day)", raw):
        raise ImproperlyConfigured(
            f"{name} must be a count per period, e.g. {default}, or off; not {raw!r}"
        )
    return raw


# fail closed: debug (tracebacks and settings in error pages) only when asked for
DEBUG = env_bool("DJANGO_DEBUG", env_bool("DEBUG", False))

SECRET_KEY = env_str("DJANGO_SECRET_KEY", env_str("SECRET_KEY", ""))
# what to do about a missing production setting: say it in the error itself
development_hint = "For development, set DJANGO_DEBUG=true instead (README, Configuration)."
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DEBUG is off (the default). In production set it "
            "to a long random value: export DJANGO_SECRET_KEY=\"$(python3 -c 'import secrets; "
            f"print(secrets.token_urlsafe(50))')\". {development_hint}"
        )
    SECRET_KEY = "django-insecure-parley-development-only"  # noqa: S105 (development default)

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS",
    env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else []),
)
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS must be set when DEBUG is off (the default): the host names this "
        "server answers to, comma-separated, e.g. DJANGO_ALLOWED_HOSTS=api.example.org. "
        + development_hint
    )

# the admin's address: a deployment can move it off the well-known /admin/
ADMIN_PATH = env_str("PARLEY_ADMIN_PATH", "admin/")
if not re.fullmatch(r"([-a-z0-9_]+/)+", ADMIN_PATH) or ADMIN_PATH.startswith("api/"):
    raise ImproperlyConfigured(
        f"PARLEY_ADMIN_PATH must be path segments ending in '/', outside api/: {ADMIN_PATH!r}"
    )

# seconds the server (`make serve`) gives a connection to send each request head in full, and
# then its body in full; past either, a 408 and the connection closed (config.workers)
REQUEST_HEAD_TIMEOUT = env_int("PARLEY_REQUEST_HEAD_TIMEOUT", 10)
REQUEST_BODY_TIMEOUT = env_int("PARLEY_REQUEST_BODY_TIMEOUT", 10)
# open connections one client (an address, an IPv6 /64) may hold in each process; 0: no limit
CONNECTIONS_PER_CLIENT = env_int("PARLEY_CONNECTIONS_PER_CLIENT", 100)
# PostgreSQL keeps the ranked search of the words held by at least this many statements
# (`manage.py refresh_search_top`, config.db.search.top); below it, ranking every match is quick
SEARCH_TOP_DOCUMENTS = env_int("PARLEY_SEARCH_TOP_DOCUMENTS", 50_000)
if REQUEST_HEAD_TIMEOUT < 1 or REQUEST_BODY_TIMEOUT < 1:
    raise ImproperlyConfigured(
        "PARLEY_REQUEST_HEAD_TIMEOUT and PARLEY_REQUEST_BODY_TIMEOUT must be 1 or more"
    )

# the largest article (its UTF-8 text or saved HTML) `ingest_article` and POST /api/v1/ingest/
# take: a long news page is a few hundred kilobytes; it stays under the request body limit
INGEST_MAX_BYTES = env_int("PARLEY_INGEST_MAX_BYTES", 2_000_000)

# the time a facets answer may spend counting, in milliseconds: a count that cannot finish in
# its share is left out and named in the answer's `timed_out` (config.api.facets)
FACETS_TIME_LIMIT_MS = env_int("PARLEY_FACETS_TIME_LIMIT_MS", 350)
if FACETS_TIME_LIMIT_MS < 10:
    raise ImproperlyConfigured("PARLEY_FACETS_TIME_LIMIT_MS must be 10 or more")
# an answer with counts left out is counted again after it, in the background, with this much
# time, and kept for the next request asking the same at the same dataset version; at most
# PARLEY_FACETS_BACKGROUND_QUEUE answers wait or are counted at once in a process, 0: none
# (config.api.completion)
FACETS_BACKGROUND_LIMIT_MS = env_int("PARLEY_FACETS_BACKGROUND_LIMIT_MS", 60_000)
FACETS_BACKGROUND_QUEUE = env_int("PARLEY_FACETS_BACKGROUND_QUEUE", 4)
if FACETS_BACKGROUND_LIMIT_MS < FACETS_TIME_LIMIT_MS:
    raise ImproperlyConfigured(
        "PARLEY_FACETS_BACKGROUND_LIMIT_MS must be at least PARLEY_FACETS_TIME_LIMIT_MS"
    )
# the model whose `current()` names the dataset's version, read by name by the API framework,
# which imports no app (as AUTH_USER_MODEL)
DATASET_VERSION_MODEL = "events.DatasetVersion"

# the articles' texts belong to their publishers: a deployment may serve only the excerpts
EXCERPTS_ONLY = env_bool("PARLEY_EXCERPTS_ONLY", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "config.db.search",
    "events",
    "statements",
]

MIDDLEWARE = [
    # first, so that every answer (a refused host, a redirect, a static file) is logged with its id
    "config.request_log.RequestLogMiddleware",
    # each request reads from the replica until it writes (config.db.router)
    "config.db.router.PrimaryAfterWriteMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # django-csp's, its policy built once (config.middleware)
    "config.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # an ETag from the content for what has none of its own (the schema, the docs pages):
    # Django's, without its comparison for a request that is not conditional (config.middleware)
    "config.middleware.ConditionalGetMiddleware",
    "config.middleware.JSONClientErrorsMiddleware",
    # a Content-Type on every answer with a body, an empty one too
    "config.middleware.ContentTypeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Django's, outside /api/ only (config.middleware)
    "config.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # a 304 or a kept answer from the dataset version, before any view runs
    "config.middleware.DatasetVersionMiddleware",
    # records the signed-in user as the author of every change a request makes
    "simple_history.middleware.HistoryRequestMiddleware",
    # admin logins per client across usernames, before axes and the password hash
    "config.middleware.LoginRateMiddleware",
    # last, as django-axes asks: it answers a locked-out login before the password is hashed
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "config" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

# A pool of PostgreSQL connections per process (gunicorn.conf.py sets 4) instead of none kept:
# requests borrow one, checked before it is lent (config.postgresql replaces every dropped
# connection at once). A request waits at most 2 s for one: longer only delays the answer when
# the database is down (a 500, and /readyz its 503, within the time a probe waits), and a
# request holds a connection for milliseconds
DB_POOL_SIZE = env_int("PARLEY_DB_POOL_SIZE", 0)
# Requests served at once by each process (`make serve`): Django runs each in a thread of its
# own, so without a bound a burst starts as many threads as requests, and all but the pool's few
# wait for a connection and fail. The rest wait their turn in the event loop, for at most
# PARLEY_QUEUE_TIMEOUT seconds, then get a 503 with Retry-After (config.asgi). By default as many
# as the pool has connections (4 without a pool).
CONCURRENT_REQUESTS = env_int("PARLEY_CONCURRENT_REQUESTS", DB_POOL_SIZE or 4)
QUEUE_TIMEOUT = env_int("PARLEY_QUEUE_TIMEOUT", 10)
if CONCURRENT_REQUESTS < 1 or QUEUE_TIMEOUT < 1:
    raise ImproperlyConfigured(
        "PARLEY_CONCURRENT_REQUESTS and PARLEY_QUEUE_TIMEOUT must be 1 or more"
    )
# Prepared statements on PostgreSQL: parameters bound by the server, and a query run five times
# on a connection is prepared there, so its plan is made once per connection, not once a
# request (parsing and planning a page's query with its nested lists took longer than running
# it: docs/benchmarks.md). Off with PARLEY_DB_PREPARE=false behind a pooler that moves sessions
# between connections (PgBouncer in transaction mode), as Django has it by default.
POSTGRESQL_ENGINES = {"django.db.backends.postgresql", "config.postgresql"}


def database(url: str) -> dict:
    """One entry of DATABASES from its URL, with the pool and prepared statements above."""
    entry = dj_database_url.parse(
        url,
        # none kept by default: under ASGI (`make serve`) each request runs in a thread of its
        # own, and a kept connection per thread would pile up past the server's limit
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
    # every PostgreSQL database through config.postgresql: Django's backend, with the pool's
    # check and a flush that empties the search's kept rankings with the records they rank
    if entry["ENGINE"] == "django.db.backends.postgresql":
        entry["ENGINE"] = "config.postgresql"
    if DB_POOL_SIZE and entry["ENGINE"] == "config.postgresql":
        entry["CONN_MAX_AGE"] = 0  # Django refuses a pool with kept connections
        entry.setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            # one more for the background counts (config.api.completion), which would otherwise
            # take one from the requests for up to a minute
            "max_size": DB_POOL_SIZE + (1 if FACETS_BACKGROUND_QUEUE else 0),
            "timeout": 2,
        }
    if entry["ENGINE"] in POSTGRESQL_ENGINES and env_bool("PARLEY_DB_PREPARE", True):
        entry.setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
    # On SQLite (`make run`, whose server answers each request in a thread) a write transaction
    # takes the write lock when it begins: begun as a read and then writing, it would fail at
    # once with "database is locked" whenever another write was under way, rather than wait its
    # turn (up to 20 s)
    if entry["ENGINE"] == "django.db.backends.sqlite3":
        entry.setdefault("OPTIONS", {}).update(transaction_mode="IMMEDIATE", timeout=20)
        # Django's, with the connections a request closes kept for the next (config.sqlite)
        entry["ENGINE"] = "config.sqlite"
    return entry


DATABASES = {
    "default": database(env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'parley.sqlite3'}"))
}
# A read replica of the primary (README, "Running on several machines"): reads go there, writes
# and every read after a write in the same request to the primary (config.db.router)
if env_str("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = database(env_str("DATABASE_REPLICA_URL", ""))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # the test suite has one database
DATABASE_ROUTERS = ["config.db.router.PrimaryReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def redis_cache(url: str) -> dict:
    """The cache on Redis, failing open: with Redis gone the API keeps answering, uncached and
    unthrottled, and each ignored error is logged (DJANGO_REDIS_* below); short timeouts keep
    a dead Redis from stalling requests."""
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": "parley",
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 0.5,
        },
    }


REDIS_URL = env_str("REDIS_URL", "")
CACHES = {
    "default": redis_cache(REDIS_URL)
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "parley.cache"

# Seconds to keep whole API answers in the cache, keyed by the dataset version (so any write
# makes them stale at once); 0 keeps none. On by default without DEBUG.
PARLEY_RESPONSE_CACHE_SECONDS = env_int("PARLEY_RESPONSE_CACHE_SECONDS", 0 if DEBUG else 3600)
# an answer longer than this many bytes is not kept (a page of 100 statements is ~150 KB); with
# Redis's own memory limit (README, Production) the cache stays bounded whatever clients ask
RESPONSE_CACHE_MAX_BYTES = env_int("PARLEY_RESPONSE_CACHE_MAX_BYTES", 512 * 1024)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# With debug on, `runserver` serves app static files straight from the installed packages; without
# it, `collectstatic` has written them with a hash in their names (the tests do it once a session),
# and WhiteNoise serves those with a year's caching (`immutable`).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --------------------------------------------------------------------------------------------
# HTTPS and the proxy in front
# --------------------------------------------------------------------------------------------
# The client address and scheme come from X-Forwarded-For / X-Forwarded-Proto only when the
# connection comes from a trusted proxy: gunicorn.conf.py hands PARLEY_TRUSTED_PROXIES to the
# server, which rewrites them before Django runs, so Django and its libraries read REMOTE_ADDR.
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # probes from the proxy's side speak HTTP
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SILENCED_SYSTEM_CHECKS = [
    # HSTS preloading commits the whole domain to HTTPS for good: the domain's owner decides
    # (DJANGO_SECURE_HSTS_PRELOAD), and check --deploy does not insist
    "security.W021",
]

# --------------------------------------------------------------------------------------------
# Content-Security-Policy (django-csp): every page loads only Parley's own assets
# --------------------------------------------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        # inline scripts only with the page's nonce (ReDoc's start-up script)
        "script-src": [SELF, NONCE],
        # Swagger UI, ReDoc and the admin set styles from their scripts and attributes
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "worker-src": [SELF, "blob:"],  # ReDoc's search runs in a worker made from a blob
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --------------------------------------------------------------------------------------------
# Admin login lockout (django-axes)
# --------------------------------------------------------------------------------------------
# After PARLEY_LOGIN_FAILURES wrong passwords for one username from one address, that pair is
# refused (even with the right password) for PARLEY_LOCKOUT_MINUTES; `manage.py axes_reset`
# (or axes_reset_username / axes_reset_ip) lifts it. Locked attempts are answered before the
# password is hashed, so they cost no CPU.
AXES_FAILURE_LIMIT = env_int("PARLEY_LOGIN_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("PARLEY_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]  # the server already trusted or not
AXES_VERBOSE = False  # no start-up banner; a lockout is still logged, as a warning...
AXES_SENSITIVE_PARAMETERS = []  # ...naming the username and address, which lifting it needs
# Login attempts per client address (an IPv6 client by its /64) across every username, counted
# on the cache before the password is hashed (config.middleware.LoginRateMiddleware): a flood
# with a new username each time costs at most this many password hashes per address; and views
# of the login page, each a page render
LOGIN_RATE = env_rate("PARLEY_LOGIN_RATE", "10/hour")
LOGIN_PAGE_RATE = env_rate("PARLEY_LOGIN_PAGE_RATE", "60/hour")

# --------------------------------------------------------------------------------------------
# Logging: JSON lines on stdout, each with the request's id
# --------------------------------------------------------------------------------------------
LOG_LEVEL = env_choice(
    "PARLEY_LOG_LEVEL", "INFO", ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
)
# an error that repeats (Redis gone: every request's cache calls fail) is logged once in this
# many seconds, with the count of its repeats (config.request_log.RepeatedErrorFilter)
LOG_REPEAT_SECONDS = env_int("PARLEY_LOG_REPEAT_SECONDS", 60)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "config.request_log.RequestIdFilter"},
        "repeated": {"()": "config.request_log.RepeatedErrorFilter"},
    },
    "formatters": {"json": {"()": "config.request_log.JsonFormatter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own handlers print plain text (debug) or mail admins there are none of: its
        # records, unhandled errors with their tracebacks among them, go to the JSON handler
        "django": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        # the cache's ignored errors (django-redis: DJANGO_REDIS_LOGGER) and the probes' repeat
        # for as long as Redis is gone
        "parley.cache": {"filters": ["repeated"]},
        "parley.health": {"filters": ["repeated"]},
    },
}

# --------------------------------------------------------------------------------------------
# CORS: any origin may read the API; nothing else is opened (no credentials, no writes, and
# nothing outside /api/)
# --------------------------------------------------------------------------------------------
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "if-none-match", "if-modified-since"]
CORS_EXPOSE_HEADERS = ["ETag", "Link", "Content-Disposition"]  # a download's file name

# --------------------------------------------------------------------------------------------
# Django REST framework
# --------------------------------------------------------------------------------------------
# requests/period per client address, or "off" (a proxy in front limits, or the test suite)
ANON_RATE = env_rate("PARLEY_ANON_RATE", "600/minute")
# writes/period per API token, or "off"
WRITE_RATE = env_rate("PARLEY_WRITE_RATE", "60/minute")
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": [
        "config.api.renderers.JSONRenderer",  # first: the default, and the format of every error
        "rest_framework.renderers.BrowsableAPIRenderer",
        "config.api.renderers.CSVRenderer",
        "config.api.renderers.NDJSONRenderer",
        "config.api.renderers.JSONLDRenderer",
    ],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "config.api.negotiation.ParleyContentNegotiation",
    "COERCE_DECIMAL_TO_STRING": False,  # figures and coordinates are JSON numbers
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # a write's body is JSON, as every answer is: one way to give lists and nulls
    "DEFAULT_PARSER_CLASSES": ["config.api.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["config.api.filters.StrictDjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "config.api.pagination.ParleyPagination",
    "DEFAULT_SCHEMA_CLASS": "config.api.schema.ParleyAutoSchema",
    "EXCEPTION_HANDLER": "config.api.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": None,
    # reads authenticate nobody; writes authenticate by token (config.api.permissions)
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "PAGE_SIZE": 20,
    # every request counted per address, and writes per token, on the cache (Redis in production)
    "DEFAULT_THROTTLE_CLASSES": [
        "config.api.throttling.AnonRateThrottle",
        "config.api.throttling.WriteRateThrottle",
    ],
    # REMOTE_ADDR only, never X-Forwarded-For: the server put the client's address there when the
    # proxy is trusted, and anyone can write the header
    "NUM_PROXIES": 0,
}

# API tokens (django-rest-knox): only a digest is stored; a token lives until it is revoked
# unless `create_api_token --expires-in DAYS` gives it an end
REST_KNOX = {"TOKEN_TTL": None, "AUTO_REFRESH": False}

# --------------------------------------------------------------------------------------------
# drf-spectacular (OpenAPI schema, Swagger UI and ReDoc served from local assets)
# --------------------------------------------------------------------------------------------
SPECTACULAR_SETTINGS = {
    "TITLE": "Parley API",
    "DESCRIPTION": (
        "A curated, verifiable dataset of the events and statements of the Russia-Ukraine "
        "ceasefire diplomacy. Every statement, event and figure is cited: each citation holds "
        "the verbatim excerpt and its character offsets in the source article's reference text."
        "\n\nDates are partial ISO dates (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`) with a precision and "
        "the interval they cover (`date_earliest`..`date_latest`). The interval may be narrower "
        'than the prefix ("last week" across two months); with basis `before_report` (said '
        "before the report, no telling how long before) it may start earlier, bounded by what "
        "it refers to (the invasion of 2022 for words about it), or be open (`date_earliest` "
        "null). `date_from` and `date_to` keep, by default, the records that certainly fall in "
        "the range, their whole interval inside it (`?date_from=2020&date_to=2020` finds "
        "nothing); `date_match=overlaps` adds those that may, their interval overlapping it (an "
        "open start overlaps every earlier date). Lists, counts, CSV, facets and the timeline "
        "agree."
        '\n\n`q` is a ranked full-text search (websearch syntax: words, `"phrases"`, `OR`, '
        "`-word`); each hit then carries a `highlight`: its text as escaped HTML with the matched "
        "words between `<mark>` and `</mark>`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "TAGS": [
        {"name": "statements", "description": "Who said what, when, where and to whom."},
        {"name": "events", "description": "Calls, meetings, talks, strikes, proposals, deals."},
        {"name": "people", "description": "Speakers and participants, anonymous ones included."},
        {"name": "sources", "description": "The articles, with their reference texts."},
        {"name": "figures", "description": "Numbers the articles assert, comparable by measure."},
        {"name": "citations", "description": "Every excerpt with its offsets in its source."},
        {"name": "topics", "description": "Subjects of the negotiations."},
        {"name": "places", "description": "Countries, regions, cities, sites and seas."},
        {"name": "search", "description": "One ranked search across every kind of record."},
        {"name": "timeline", "description": "Events and statements merged in date order."},
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.api.schema.link_writes",  # a record's writes linked from the answers naming it
        "config.api.schema_hooks.format_operations",  # the other formats at addresses of their own
        "config.api.schema_hooks.name_enums",  # enum values' names in generated clients
    ],
    "ENUM_NAME_OVERRIDES": {
        "DatePrecisionEnum": "events.models.DatePrecision",
        "DateBasisEnum": "events.models.DateBasis",
        "PersonKindEnum": "events.models.Person.Kind",
        "PlaceKindEnum": "events.models.Place.Kind",
        "EventKindEnum": "events.models.Event.Kind",
        "EventStatusEnum": "events.models.Event.Status",
        "StatementKindEnum": "statements.models.Statement.Kind",
        "FigureUnitEnum": "statements.models.Figure.Unit",
        "FigureQualifierEnum": "statements.models.Figure.Qualifier",
        "CandidateKindEnum": "statements.ingest.models.Candidate.Kind",
        "CandidateReviewStatusEnum": "statements.ingest.models.Candidate.ReviewStatus",
    },
}

# The schema's example for each parameter: real values of the dataset, per record type, from
# the apps (config.api.schema); a test requests every one of them and expects records back
SCHEMA_EXAMPLES = ["events.api.examples.EXAMPLES", "statements.api.examples.EXAMPLES"]
