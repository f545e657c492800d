"""Settings for the CCHC Portal, read from the environment (django-environ).

With nothing set, the portal runs on embedded defaults: an SQLite file under var/,
a filesystem Celery broker and an in-process cache. DATABASE_URL and REDIS_URL switch
it to PostgreSQL and Redis.
"""
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Public links printed as QR codes must carry the real address of the portal.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "django_celery_beat",
    "core",
    "dossiers",
    "surveys",
    "feedback",
    "kpi",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.VietnameseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.middleware.NFCInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "core.auth.AuthenticationMiddleware",
    "core.replica.ReplicaPinMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cchc_portal.urls"
WSGI_APPLICATION = "cchc_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.portal",
            ],
        },
    },
    {
        # Public pages opened by many people at once (the tracking page): templates/jinja2/,
        # rendered with `using="jinja2"` (core/jinja2.py, docs/decisions/public-frame.md).
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "core.jinja2.environment"},
    },
]

# --- Database -----------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Persistent connections with a health check: a restarted PostgreSQL is
    # reconnected on the next request instead of failing every request after it.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Django's backend, the health check skipped for a connection that ended a request
    # without error under DATABASE_ALIVE_BYPASS_SECONDS ago (core/postgresql/base.py,
    # docs/decisions/connection-health-check.md).
    DATABASES["default"]["ENGINE"] = "core.postgresql"
else:
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
# Optional streaming replica for dashboards, the KPI API, reports and exports
# (core/replica.py, docs/decisions/read-replica.md).
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"].get("CONN_MAX_AGE", 0)
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["replica"]["ENGINE"].endswith("postgresql"):
        DATABASES["replica"]["ENGINE"] = "core.postgresql"
    DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = 2
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
# The few large constant statements of hot paths (the KPI rollup's upsert) are prepared
# once per PostgreSQL connection (core/db.py, docs/decisions/prepared-statements.md).
# Turn off behind PgBouncer's transaction pooling, whose server sessions do not keep them
# (a connection with DISABLE_SERVER_SIDE_CURSORS = True never gets them either).
DATABASE_PREPARED_STATEMENTS = env.bool("DATABASE_PREPARED_STATEMENTS", default=True)
DATABASE_ALIVE_BYPASS_SECONDS = env.float("DATABASE_ALIVE_BYPASS_SECONDS", default=0.5)
DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]
REPLICA_MAX_LAG_SECONDS = env.float("REPLICA_MAX_LAG_SECONDS", default=30.0)
REPLICA_CHECK_SECONDS = env.float("REPLICA_CHECK_SECONDS", default=5.0)
REPLICA_PIN_SECONDS = env.int("REPLICA_PIN_SECONDS", default=15)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: broker and cache ------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # Fail fast when Redis is down: callers fall back, the engine catches up later.
    # (kombu's default retry backoff made every enqueue block ~6 s while Redis was down.)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "socket_connect_timeout": 2, "socket_timeout": 5,
        "max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5,
    }
    CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",  # Django's, one client per pool (core/cache.py)
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            "KEY_PREFIX": "cchc",
        }
    }
else:
    # A broker that needs no server: messages are files under var/broker.
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Minutes between two runs of the deadline engine (seeded into django-celery-beat).
DEADLINE_ENGINE_EVERY_MINUTES = env.int("DEADLINE_ENGINE_EVERY_MINUTES", default=15)

# --- Auth -------------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend with the person, unit and office read in one prepared statement;
    # Django's own after it only for sessions signed in before (core/auth.py).
    "core.auth.Backend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Lock an account out after repeated failures, per username and address, so one
# guesser on the school's shared Wi-Fi does not lock out everybody behind it.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# The same client address as every other limit (TRUSTED_PROXY_COUNT, core/ratelimit.py).
AXES_CLIENT_IP_CALLABLE = "core.ratelimit.client_address"

DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="demo12345")

# --- Public pages ------------------------------------------------------------------
# Seconds a unit's public page (/u/<slug>/) is kept in the cache (core/public_page.py).
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=60)
# The principal's dashboard body is kept in the cache, exact (kpi/dashboard_cache.py): a
# change commits, the next read shows it; this is only the longest an entry lives (a change
# lost while the cache was down). 0 turns the cache off.
KPI_DASHBOARD_CACHE_SECONDS = env.int("KPI_DASHBOARD_CACHE_SECONDS", default=600)
# Reverse proxies in front of the portal that append the client's address to
# X-Forwarded-For: 0 trusts REMOTE_ADDR only; n takes the n-th address from the right
# (core/ratelimit.py). Any client can write the header: never trust more than your proxies.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Open-survey answers allowed from one address per unit: "window seconds:answers" pairs.
SURVEY_ADDRESS_LIMITS = tuple(
    tuple(int(n) for n in pair.split(":")) for pair in env.list("SURVEY_ADDRESS_LIMITS", default=["600:40", "86400:200"])
)
# KPI reports and register downloads with more register rows than this are written by the worker
# (kpi.services.export_job_run); the person watches the job's page and downloads the file there.
KPI_EXPORT_ASYNC_ROWS = env.int("KPI_EXPORT_ASYNC_ROWS", default=20000)

# --- Language and time ----------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Dates are typed day first (dd/mm/yyyy) as a Vietnamese office writes them. Django's Vietnamese
# locale has no input formats, so these apply (the default would read 05/01/2026 as 1 May).
# Not from the environment: a rule of the language, not of a deployment.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"]
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M",
                          "%Y-%m-%dT%H:%M", "%Y-%m-%d"]
# Large counts are grouped by thousands where a template asks for it (humanize's intcomma:
# "125.000 hồ sơ"). Django's Vietnamese locale names the separator but no grouping, which
# leaves 0 (none). Plain {{ number }} stays ungrouped (USE_THOUSAND_SEPARATOR is off), so
# numbers inside links, ids and form values are never split.
NUMBER_GROUPING = 3

# --- Static and media ---------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"  # never served directly: uploads go through permission-checked views
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "core.storage.StaticStorage"  # core/storage.py: url() worked out once per name
            if DEBUG
            else "core.storage.ManifestStaticStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Online dossier submissions (/u/<slug>/nop-ho-so/…): each uploaded document, and all of
# one submission together; electronic results attached by staff.
SUBMISSION_MAX_FILE_MB = env.int("SUBMISSION_MAX_FILE_MB", default=10)
SUBMISSION_MAX_TOTAL_MB = env.int("SUBMISSION_MAX_TOTAL_MB", default=30)
RESULT_MAX_FILE_MB = env.int("RESULT_MAX_FILE_MB", default=20)

# --- Signatures (core/signing.py, docs/signing.md) -----------------------------------
# "pkcs12": one encrypted .p12 file per signer in SIGNING_KEYS_DIR; "pkcs11": a token.
SIGNING_KEY_SOURCE = env.str("SIGNING_KEY_SOURCE", default="pkcs12")
# Outside MEDIA_ROOT: never served, never in scripts/backup.sh's archive.
SIGNING_KEYS_DIR = Path(env.str("SIGNING_KEYS_DIR", default=str(VAR_DIR / "keys")))
# Opens the .p12 files. The default only suits the demo keys of `seed_demo`.
SIGNING_PKCS12_PASSPHRASE = env.str("SIGNING_PKCS12_PASSPHRASE", default="demo-only-passphrase")
SIGNING_PKCS11_MODULE = env.str("SIGNING_PKCS11_MODULE", default="")
SIGNING_PKCS11_TOKEN_LABEL = env.str("SIGNING_PKCS11_TOKEN_LABEL", default="")
SIGNING_PKCS11_PIN = env.str("SIGNING_PKCS11_PIN", default="")
# Key id -> label on the token, e.g. "user-principal=HANH,unit-mn-tuoi-hong=SEAL".
SIGNING_PKCS11_KEYS = env.dict("SIGNING_PKCS11_KEYS", default={})
# PEM files of the roots signatures are verified against (default: SIGNING_KEYS_DIR/trust/*.pem).
SIGNING_TRUST_ROOTS = env.list("SIGNING_TRUST_ROOTS", default=[])
# A timestamp server (RFC 3161): signatures are PAdES B-T with it, B-B without.
SIGNING_TSA_URL = env.str("SIGNING_TSA_URL", default="")
SIGNING_TSA_TIMEOUT = env.int("SIGNING_TSA_TIMEOUT", default=10)
SIGNING_STAMP_FONT = env.str("SIGNING_STAMP_FONT", default="/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf")
# What /verify/ accepts: bytes, and seconds of work per file.
SIGNING_VERIFY_MAX_BYTES = env.int("SIGNING_VERIFY_MAX_BYTES", default=10 * 1024 * 1024)
SIGNING_VERIFY_TIMEOUT = env.float("SIGNING_VERIFY_TIMEOUT", default=4.0)

# --- E-mail -------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="CCHC Portal <no-reply@cchc.local>")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)  # seconds: a stuck mail server never holds a worker

# --- Notices to applicants and feedback senders (core/notify.py, docs/notices.md) ---------
# Each channel has a backend: "console" writes the message to the log (development),
# "off" sends nothing (no outbox row is made for that channel).
SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", default="")  # generic JSON POST {to, text, sender, reference}
SMS_GATEWAY_KEY = env.str("SMS_GATEWAY_KEY", default="")  # sent as "Authorization: Bearer <key>"
SMS_SENDER = env.str("SMS_SENDER", default="")  # brand name registered with the gateway
SMS_BACKEND = env.str("SMS_BACKEND", default="http" if SMS_GATEWAY_URL else ("console" if DEBUG else "off"))
ZALO_ZNS_URL = env.str("ZALO_ZNS_URL", default="https://business.openapi.zalo.me/message/template")
ZALO_OA_ACCESS_TOKEN = env.str("ZALO_OA_ACCESS_TOKEN", default="")
ZALO_ZNS_TEMPLATE_ID = env.str("ZALO_ZNS_TEMPLATE_ID", default="")
ZALO_BACKEND = env.str("ZALO_BACKEND", default="zns" if ZALO_OA_ACCESS_TOKEN and ZALO_ZNS_TEMPLATE_ID else "off")
EMAIL_NOTICE_BACKEND = env.str("EMAIL_NOTICE_BACKEND", default="smtp")  # "smtp" = Django's EMAIL_BACKEND
# Seconds any HTTP call to a gateway may take (connect and each read).
NOTIFY_HTTP_TIMEOUT = env.float("NOTIFY_HTTP_TIMEOUT", default=10.0)
# A message that fails for a passing reason (timeout, HTTP 5xx) is tried this many times,
# waiting NOTIFY_RETRY_SECONDS, then twice as long each time, before it is marked failed.
NOTIFY_MAX_ATTEMPTS = env.int("NOTIFY_MAX_ATTEMPTS", default=5)
NOTIFY_RETRY_SECONDS = env.int("NOTIFY_RETRY_SECONDS", default=60)

# --- Security -------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
# Django's database sessions, read with one prepared statement (core/sessions.py).
SESSION_ENGINE = "core.sessions"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Forms, API -------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["core.api_base.NFCJSONParser", "rest_framework.parsers.FormParser"],
    "DEFAULT_PAGINATION_CLASS": "core.api_base.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"anon": "120/min", "user": "1200/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CCHC Portal API",
    "DESCRIPTION": "REST API v1 of the CCHC Portal (dossiers, feedback, calendar, KPI).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Enum components named once for every serializer that uses them (docs/api.md).
    "ENUM_NAME_OVERRIDES": {
        # The channels of a notice (email, sms, zalo), apart from a dossier's channel (direct, online, postal).
        "NoticeChannelEnum": "core.models.OutboxMessage.Channel",
        "NoticeStatusEnum": "core.models.OutboxMessage.Status",
    },
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api_schema.add_error_responses",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint reports every rendering step, fontTools every glyph it subsets into a
    # signature stamp, at INFO: keep their warnings only.
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
