"""Settings for the Cluster Policy Toolkit, read from the environment.

Development works with nothing set (``DEBUG=true`` gives a throwaway key and SQLite);
production (``DEBUG`` unset or false) refuses to start without ``SECRET_KEY``,
``ALLOWED_HOSTS`` and ``DATABASE_URL``. See ``.env.example``.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from toolkit.env import env_bool, env_int, env_json, env_list

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=true for local development).")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set ALLOWED_HOSTS, e.g. ALLOWED_HOSTS=toolkit.example.eu")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

if not DEBUG and not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured("Set DATABASE_URL, e.g. postgres://user@host:5432/toolkit")
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while a curator saves; the timeout waits out short write locks.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "timeout": 20}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# No statement of a web request may hold a worker for long (a pathological search, a lock
# held by a long import, a sick database): PostgreSQL cancels it and the visitor gets the
# friendly 503 (toolkit.middleware). Exports and imports run under longer limits of their own
# (practices.db); management commands under none.
STATEMENT_TIMEOUT_MS = env_int("STATEMENT_TIMEOUT_MS", 5000)
EXPORT_STATEMENT_TIMEOUT_MS = env_int("EXPORT_STATEMENT_TIMEOUT_MS", 120_000)
IMPORT_STATEMENT_TIMEOUT_MS = env_int("IMPORT_STATEMENT_TIMEOUT_MS", 300_000)
if (
    DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    and env_bool("TOOLKIT_SERVES_WEB_REQUESTS", False)
    and STATEMENT_TIMEOUT_MS
):
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c statement_timeout={STATEMENT_TIMEOUT_MS}"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

INSTALLED_APPS = [
    "toolkit.apps.ToolkitAdminConfig",  # the admin, with a second factor for staff
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django.contrib.postgres",
    "axes",
    "simple_history",
    "django_filters",
    "django_countries",
    "corsheaders",
    "rest_framework",
    "drf_spectacular",
    "practices",
    "curation",
    "factsheets",
    "explore",
    "opendata",
]

MIDDLEWARE = [
    "toolkit.middleware.RequestLogMiddleware",
    "toolkit.middleware.LongApiQueryMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "toolkit.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files, compressed ahead of time
    "toolkit.middleware.CompressionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # after the session, before CommonMiddleware (Django's documented order): the language
    # comes from the address's prefix (/fr/...); an unprefixed address is English
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "toolkit.middleware.DatabaseUnavailableMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out clients
    "django.contrib.auth.backends.ModelBackend",
]
# Admin login throttling: after AXES_FAILURE_LIMIT failures for a username from one address,
# that pair is locked out for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"

ROOT_URLCONF = "toolkit.urls"
WSGI_APPLICATION = "toolkit.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "toolkit.context_processors.language_alternates",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
# The interface's nine languages, each named in itself (as a language switcher shows them), and
# whether its catalogue (locale/<code>/LC_MESSAGES/django.po) is complete. Only complete ones are
# switched on: a half-translated page mixing two languages is worse than an English one. A
# language is switched on by setting its flag once its catalogue is translated and compiled
# (docs/languages.md); with English alone, no prefix, switcher or hreflang appears anywhere.
INTERFACE_LANGUAGES = [
    ("en", "English", True),
    ("de", "Deutsch", False),
    ("fr", "Français", False),
    ("it", "Italiano", False),
    ("es", "Español", False),
    ("pl", "Polski", False),
    ("ro", "Română", False),
    ("nl", "Nederlands", False),
    ("pt", "Português", False),
]
LANGUAGES = [(code, name) for code, name, complete in INTERFACE_LANGUAGES if complete]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True
# "7 Dec 2026" and "7 Dec 2026, 14:05" wherever a date is shown in Django's formats (the admin)
FORMAT_MODULE_PATH = ["toolkit.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files the toolkit writes itself (the tag suggester's trained model): never served.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed names need collectstatic; development serves the sources.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
    # Uploads waiting between their preview and a curator's confirmation
    # (practices.intake.pending). A local folder by default; where several servers share the
    # work, object storage through a maintained backend, e.g. django-storages:
    # IMPORTS_STORAGE_BACKEND=storages.backends.s3.S3Storage
    # IMPORTS_STORAGE_OPTIONS='{"bucket_name": "toolkit", "location": "pending-imports"}'
    "imports": {
        "BACKEND": os.environ.get(
            "IMPORTS_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"
        ),
        "OPTIONS": env_json(
            "IMPORTS_STORAGE_OPTIONS", {"location": str(BASE_DIR / "var" / "pending-imports")}
        ),
    },
}
# Staff sign in with a password and a code from an authenticator app (toolkit.staff_auth):
# required in production, off in development unless asked for.
STAFF_2FA_REQUIRED = env_bool("STAFF_2FA_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = "Cluster Policy Toolkit"
# How long a previewed import may wait for its confirmation.
PENDING_IMPORT_HOURS = env_int("PENDING_IMPORT_HOURS", 6)
# Development and tests serve static files straight from static/ (decided at start-up:
# the test runner switches DEBUG off later, which would otherwise make whitenoise look for
# collected files).
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG

# Security: production defaults are strict; each can be relaxed behind a trusted proxy.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # probes from inside the container speak plain HTTP
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    *([] if DEBUG else ["upgrade-insecure-requests"]),
]
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)

# Caches: local memory by default; Redis in production (REDIS_URL), shared by every worker,
# so request limits hold across processes.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {
            # Redis may fail: the cache then works from memory, per process (toolkit.cache).
            "BACKEND": "toolkit.cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            # a Redis that does not answer must not hold a request for long
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Requests per client for the expensive public endpoints, and suggestions accepted per client
# ("N/second|minute|hour|day").
RATE_LIMITS = {
    "api": os.environ.get("RATE_LIMIT_API", "120/minute"),
    "export": os.environ.get("RATE_LIMIT_EXPORT", "20/minute"),
    "suggest": os.environ.get("RATE_LIMIT_SUGGEST", "5/hour"),
}

# Curators are told of each suggestion by email: printed to the console in development, sent
# through SMTP when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "toolkit@localhost")
CURATOR_EMAILS = env_list("CURATOR_EMAILS", [])

# Off only while restoring a backup, so that loading it does not record new versions.
SIMPLE_HISTORY_ENABLED = env_bool("SIMPLE_HISTORY_ENABLED", True)

COUNTRIES_FIRST_BREAK = None
# The European Union itself holds practices of its own (STIP Compass: "EU").
COUNTRIES_OVERRIDE = {"XK": "Kosovo", "EU": "European Union"}

# Where the JSON API lives: its URLs, and the answers that speak JSON under it (404, 414, 503).
API_PREFIX = "/api/"

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PAGINATION_CLASS": "practices.api.pagination.PracticePagination",
    "DEFAULT_THROTTLE_CLASSES": ["practices.throttles.ApiRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cluster Policy Toolkit API",
    "DESCRIPTION": "Read-only access to published cluster-policy practices and their taxonomies.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "OAS_VERSION": "3.1.0",
    # The description reads the taxonomies (its enums), so it cannot be made by `check
    # --deploy` without a database; the contract tests check it against the API instead.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "practices.api.schema.exact_description",
    ],
}

# Anyone's page or notebook may read the public, read-only data from a browser. Never the
# admin or a page that uses cookies: no credentials are allowed, and only these paths.
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_URLS_REGEX = r"^/(api/|data/catalog\.jsonld$|practices/export\.(csv|xlsx)$|practices/feed/$)"
CORS_EXPOSE_HEADERS = ["Content-Disposition", "Retry-After"]

# Everything to stderr, one line per event; errors carry their stack trace.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": os.environ.get("LOG_LEVEL", "INFO").upper()},
    "loggers": {
        "django.server": {"level": "WARNING"},
        # The request log says it already, once, with the duration.
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
    },
}
