"""Settings of the Sozialplanungsplattform.

Everything that differs between the embedded default (``make run``: SQLite, in-memory
channel layer, console email) and production (PostgreSQL, Redis, SMTP) is read from the
environment here and nowhere else.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# "production" switches every secure default on; anything else is the embedded default.
PORTAL_ENV = env.str("PORTAL_ENV", default="development")
PRODUCTION = PORTAL_ENV == "production"

DEBUG = env.bool("DEBUG", default=not PRODUCTION)
SECRET_KEY = env.str(
    "SECRET_KEY",
    default="" if PRODUCTION else "embedded-default-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
# Full origins (scheme://host:port) from which browsers may open websockets and post forms.
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "channels",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    # The portal's own apps. accounts, forums and documents live at the top level,
    # the core apps inside platform/.
    "accounts",
    "pages",
    "workspaces",
    "documents",
    "forums",
    "notifications",
    "events",
    "search",
    # Benchmark commands (seed_bench, bench_plan, bench_extra); no models, no URLs.
    "bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "pages.read_ahead.ReadAheadMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "accounts.middleware.MemberGateMiddleware",
    "pages.middleware.SecurityHeadersMiddleware",
    "pages.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "portal.urls"
ASGI_APPLICATION = "portal.asgi.application"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "django.template.context_processors.i18n",
                "pages.context_processors.portal",
                "notifications.context_processors.unread_notifications",
            ],
            "builtins": ["pages.templatetags.engine"],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# SQLite in WAL mode with IMMEDIATE transactions: Django's defaults give "database is
# locked" under concurrent ASGI requests and halve read throughput.
DATABASES = {
    "default": env.db(
        "DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}",
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
            "transaction_mode": "IMMEDIATE",
        }
    )
    # A file, not memory: the browser tests' server process must see the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test-db.sqlite3")}
else:
    # A pool per process, no persistent connections: under ASGI every request runs in a thread
    # of its own, and a connection kept per thread piled up (28 idle ones per worker after a
    # minute of 50 members) until PostgreSQL refused clients with "too many clients already";
    # a new connection per request cost about 8 ms. The pool checks a connection that is new or
    # was idle for more than a second before handing it out (portal.postgresql, portal.dbpool;
    # not every checkout, as Django's CONN_HEALTH_CHECKS would), so a restarted server costs no
    # failed request; while the server is down a request waits at most DB_POOL_TIMEOUT
    # seconds, then answers 503.
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["ENGINE"] = "portal.postgresql"
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 2,
        "max_size": env.int("DB_POOL_MAX_SIZE", default=20),
        "timeout": env.float("DB_POOL_TIMEOUT", default=1.0),
    }
    # Prepared statements: a statement a pooled connection runs the second time is prepared,
    # and PostgreSQL plans it once instead of on every request (planning the thread page's
    # query of nine joined tables took 1.9 ms, executing it 0.4 ms). Queries whose best plan
    # depends on the values (the search) ask for custom plans (search.selectors.custom_plans).
    # Off (DB_PREPARED_STATEMENTS=false) behind a pooler in transaction mode such as PgBouncer.
    if env.bool("DB_PREPARED_STATEMENTS", default=True):
        DATABASES["default"]["OPTIONS"]["server_side_binding"] = True
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = 2
# HTTP requests one server process works on at once; the rest wait their turn in order
# (portal/concurrency.py). Below the pool's size, so requests never queue on the pool itself
# and its short timeout only fires when the database is down; websockets' database calls
# (a handful of executor threads) keep the remaining connections. 0 turns the limit off.
HTTP_CONCURRENCY = env.int("HTTP_CONCURRENCY", default=8)
# Of those, how many run Django's code at once (portal/handlers.py): the rest read their body,
# send their response or wait their turn. Python runs one thread at a time: more requests side
# by side cost more CPU each; one at a time lets a single slow request hold up the process
# (measured both ways in docs/operations.md). 0 turns the limit off.
HTTP_WORKING_LIMIT = env.int("HTTP_WORKING_LIMIT", default=2)
HTTP_QUEUE_WAIT_SECONDS = env.float("HTTP_QUEUE_WAIT_SECONDS", default=20.0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USES_POSTGRES = DATABASES["default"]["ENGINE"] == "portal.postgresql"

# --- Redis: channel layer and cache ---------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # An idle websocket waits in a blocking pop (BZPOPMIN) of 5 s (channels_redis's
    # brpop_timeout). redis-py 8 made 5 s the default socket timeout too, so the read timed
    # out first and every idle socket was torn down after about 5 s (channels_redis issue
    # 422). Longer than the pop, still finite so a dead Redis connection is noticed.
    CHANNEL_LAYERS = {
        "default": {
            # channels_redis's RedisChannelLayer plus a bulk send for fan-outs.
            "BACKEND": "notifications.layers.PortalRedisChannelLayer",
            # All websockets of one worker process share one Redis queue, and channels_redis
            # drops what exceeds its capacity (100 by default) without an error: a reply in a
            # thread with 500 watchers lost 16 % of its live pushes.
            "CONFIG": {
                "hosts": [{"address": REDIS_URL, "socket_timeout": 15}],
                "prefix": "portal",
                "capacity": 10_000,
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.PortalRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Authentication (allauth) ---------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/accounts/login/"
ACCOUNT_ADAPTER = "accounts.adapter.PortalAccountAdapter"
ACCOUNT_FORMS = {"signup": "accounts.forms.PortalSignupForm"}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Sozialplanungsplattform] "
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}
USERSESSIONS_TRACK_ACTIVITY = False  # reading a page must not write
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Sozialplanungsplattform"
# Staff and workspace moderators must set up TOTP before they can use the portal.
PORTAL_REQUIRE_MFA_FOR_STAFF = env.bool("PORTAL_REQUIRE_MFA_FOR_STAFF", default=PRODUCTION)
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=14)

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=14 * 24 * 3600)
# With Redis: Django's cached_db sessions, read together with what a request reads ahead from
# the cache (pages.sessions, pages.read_ahead).
SESSION_ENGINE = "pages.sessions" if REDIS_URL else "django.contrib.sessions.backends.db"
# Flash messages ride in the session: the default would set a "messages" cookie, and the portal
# sets only strictly necessary cookies (session, CSRF, language).
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# DSGVO retention (manage.py apply_retention): warn inactive members, later deactivate them.
PRIVACY_WARN_INACTIVE_MONTHS = env.int("PRIVACY_WARN_INACTIVE_MONTHS", default=18)
PRIVACY_DEACTIVATE_INACTIVE_MONTHS = env.int("PRIVACY_DEACTIVATE_INACTIVE_MONTHS", default=24)

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "portal_language"
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static and media files -----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
# Request bodies and uploads beyond 64 KB spool to temporary files on disk. Not 0: Django's
# ASGI handler uses this as the SpooledTemporaryFile limit for the whole body, and a limit of
# 0 means "never roll over to disk" (a 50 MB upload was held in memory: +48.7 MB RSS).
FILE_UPLOAD_MAX_MEMORY_SIZE = 65_536
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_TEMP_DIR = env.str("FILE_UPLOAD_TEMP_DIR", default=None)

# --- Email ----------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Sozialplanungsplattform <noreply@sozialplanung.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Forms ----------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
FORM_RENDERER = "pages.renderers.PortalFormRenderer"

# --- Security -------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = False
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "single_line": {
            "()": "pages.logging.SingleLineFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "single_line"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}

# Modules with a ``seed()`` function, called in this order by ``manage.py seed_demo``.
DEMO_SEEDERS = [
    "accounts.demo",
    "workspaces.demo",
    "documents.demo",
    "forums.demo",
    "notifications.demo",
    "events.demo",
    "search.demo",
]

# --- Documents ------------------------------------------------------------------------
# Per-file upload limit, enforced while the body streams in (413 beyond it).
DOCUMENTS_MAX_UPLOAD_SIZE = env.int("DOCUMENTS_MAX_UPLOAD_SIZE", default=50 * 1024 * 1024)
# Production: nginx's internal location for MEDIA_ROOT (e.g. "/internal-media/"), so nginx
# sends the bytes after the portal checked permission (see docs/documents.md). Empty: Django sends them.
DOCUMENTS_X_ACCEL_REDIRECT = env.str("DOCUMENTS_X_ACCEL_REDIRECT", default="")
# Days a deleted document (and its files) is kept before purge_deleted_documents removes it.
DOCUMENTS_DELETED_RETENTION_DAYS = env.int("DOCUMENTS_DELETED_RETENTION_DAYS", default=30)
