"""Parley settings: one file, safe development defaults, everything else from the environment.

Environment variables:
    DJANGO_DEBUG          "true"/"false" (default: true, for a local checkout)
    DJANGO_SECRET_KEY     required when DEBUG is off (SECRET_KEY is accepted too)
    DJANGO_ALLOWED_HOSTS  comma-separated (default: localhost names when DEBUG is on)
    DATABASE_URL          e.g. postgres://user@127.0.0.1:5432/parley (default: SQLite file)
    REDIS_URL             e.g. redis://127.0.0.1:6379/0 (default: in-process memory cache)
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
SEEDS_DIR = BASE_DIR / "seeds"
FIXTURES_DIR = BASE_DIR / "fixtures"


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


DEBUG = env_bool("DJANGO_DEBUG", env_bool("DEBUG", True))

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or os.environ.get("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "django-insecure-parley-development-only"  # noqa: S105 (development default)

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS",
    env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else []),
)

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
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "events",
    "statements",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # an ETag from the content for what has none of its own (the schema, the docs pages)
    "django.middleware.http.ConditionalGetMiddleware",
    "config.middleware.JSONClientErrorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.DatasetVersionMiddleware",
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

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'parley.sqlite3'}",
        # persistent connections in production; none in development and tests, where threads
        # (runserver, the live test server) come and go
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "0" if DEBUG else "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "parley",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Seconds to keep whole API answers in the cache, keyed by the dataset version (so any write
# makes them stale at once); 0 keeps none. On by default without DEBUG.
PARLEY_RESPONSE_CACHE_SECONDS = int(
    os.environ.get("PARLEY_RESPONSE_CACHE_SECONDS", "0" if DEBUG else "3600")
)

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
STATIC_ROOT = BASE_DIR / "staticfiles"
# Serve app static files (the Swagger UI and ReDoc assets) straight from the installed packages,
# so that neither `runserver` nor the tests need `collectstatic`; production runs it anyway.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

if not DEBUG:
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# --------------------------------------------------------------------------------------------
# CORS: any origin may read the API; nothing else is opened (no credentials, no writes, and
# nothing outside /api/)
# --------------------------------------------------------------------------------------------
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "if-none-match", "if-modified-since"]
CORS_EXPOSE_HEADERS = ["ETag", "Link"]

# --------------------------------------------------------------------------------------------
# Django REST framework
# --------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": [
        "config.renderers.JSONRenderer",  # first: the default, and the format of every error
        "rest_framework.renderers.BrowsableAPIRenderer",
        "config.renderers.CSVRenderer",
        "config.renderers.NDJSONRenderer",
        "config.renderers.JSONLDRenderer",
    ],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "config.negotiation.ParleyContentNegotiation",
    "COERCE_DECIMAL_TO_STRING": False,  # figures and coordinates are JSON numbers
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_FILTER_BACKENDS": ["config.filters.StrictDjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "config.pagination.ParleyPagination",
    "DEFAULT_SCHEMA_CLASS": "config.schema.ParleyAutoSchema",
    "EXCEPTION_HANDLER": "config.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "PAGE_SIZE": 20,
}

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
        "the interval they cover (`date_earliest`..`date_latest`); date filters select records "
        "whose interval overlaps the range asked for."
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
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
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
    },
}
