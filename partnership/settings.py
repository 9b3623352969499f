"""Settings for the partnership tracker.

Every value that differs between machines comes from the environment, with a default that is
safe in production: DEBUG is off unless asked for, and a missing SECRET_KEY is an error unless
DEBUG is on.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# Local settings from a .env file (written by `make run` for development; gitignored). Variables
# already in the environment win, so production and CI never depend on it.
ENV_FILE = Path(environ.Env().str("ENV_FILE", default=str(BASE_DIR / ".env")))
if ENV_FILE.is_file():
    environ.Env.read_env(ENV_FILE)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is not set. Set it in the environment, or set DEBUG=1 for local work.")
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # modeltranslation must come before the admin so that translated fields show in it.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "simple_history",
    "import_export",
    "csp",
    "axes",
    "partnership",
    "projects",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Work queued with partnership.after_response runs once the answer is sent.
    "partnership.after_response.AfterResponseMiddleware",
    # Permissions-Policy on every answer; an oversized body refused before anything reads it;
    # a database outage answered 503 (partnership/middleware.py).
    "partnership.middleware.PermissionsPolicyMiddleware",
    "partnership.middleware.RequestSizeLimitMiddleware",
    "partnership.middleware.DatabaseOutageMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Login lockout (django-axes): after the authentication middleware.
    "axes.middleware.AxesMiddleware",
    # ETag on every GET answer and 304 to a matching If-None-Match, cached or not.
    "django.middleware.http.ConditionalGetMiddleware",
    # Last, next to the view: it needs the user and the language, and a cached answer still
    # passes out through every middleware above (partnership/caching.py).
    "partnership.caching.PageCacheMiddleware",
]

ROOT_URLCONF = "partnership.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "partnership.wsgi.application"

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
# A persistent connection broken by a database restart is replaced at the next request, so the
# site recovers from an outage without a restart (until then every request answers 503).
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
# PostgreSQL's JIT compiler prices the reports' large aggregates (a rule inlined many times in one
# query) as worth compiling and then spends longer compiling than running them (measured: 90 ms per
# query, up to seconds with stale statistics). A web application's queries are short: it is off for
# this application's sessions (DATABASE_JIT=1 turns it back on).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env.bool("DATABASE_JIT", default=False):
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
# Seconds a client is told to wait (Retry-After) while the database does not answer.
OUTAGE_RETRY_AFTER = env.int("OUTAGE_RETRY_AFTER", default=30)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Local memory by default (one copy per process); in production a Redis shared by every worker
# and host, CACHE_URL=redis://127.0.0.1:6379/1, so that a write anywhere reaches every page.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
# Public pages and anonymous API answers are served from the cache until the content changes,
# and at most this many seconds (0 turns the page cache off).
# The content version lives in that cache: with a per-process cache (local memory) each worker
# would keep its own, and a worker that did not make a write would serve the old page. So the page
# cache is on by default only in one process (DEBUG, `make run`) or with a shared cache.
_PER_PROCESS_CACHE = CACHES["default"]["BACKEND"].endswith(("LocMemCache", "DummyCache"))
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=0 if _PER_PROCESS_CACHE and not DEBUG else 600)
# Report downloads (XLSX, PDF) are kept in the same cache under the same rules, for everyone
# (projects/report_delivery.py); by default as long as a page. 0: made afresh every time.
EXPORT_CACHE_SECONDS = env.int("EXPORT_CACHE_SECONDS", default=PAGE_CACHE_SECONDS)
# Report downloads made afresh for one anonymous client address ("30/hour"; s, m, h or d; empty: no limit).
# Signed-in users and files served from the cache do not count.
EXPORT_ANON_RATE = env.str("EXPORT_ANON_RATE", default="30/hour")

# Login lockout: AXES_FAILURE_LIMIT wrong passwords for one user name from one address lock that
# pair out for AXES_COOLOFF_MINUTES (failures older than that are forgotten). Each lockout is
# logged (logger "axes") and listed in the admin (Access attempts), where the secretariat lifts it.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "lockout.html"
AXES_RESET_ON_SUCCESS = True
# The client's address by the same rule as the API's rate limit (NUM_PROXIES below).
AXES_CLIENT_IP_CALLABLE = "partnership.middleware.client_ip"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages of the public site. Uzbek is written in the Latin script.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ru", _("Russian")),
    ("kk", _("Kazakh")),
    ("uz", _("Uzbek")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Almaty")
USE_TZ = True
# Kazakh and Uzbek date and number formats (Django has none for Kazakh); see partnership/formats/.
# Numbers in text are grouped only where a filter asks (money, intcomma), so years stay "2024".
FORMAT_MODULE_PATH = ["partnership.formats"]

# Translatable content falls back to English where staff have not translated a field yet.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG and env.bool("MANIFEST_STATIC", default=True)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Project documents' files: private, under generated names, served only by their view
# (projects/documents.py), which checks publication. Never inside MEDIA_ROOT or STATIC_ROOT.
DOCUMENT_ROOT = env.path("DOCUMENT_ROOT", default=BASE_DIR / "private")
# The largest file accepted; an upload past it stops being kept at once (UploadSizeLimit).
DOCUMENT_MAX_BYTES = env.int("DOCUMENT_MAX_BYTES", default=25 * 1024 * 1024)
# Behind nginx, e.g. "/protected/": the view answers with X-Accel-Redirect to that `internal`
# location (an alias of DOCUMENT_ROOT) and nginx sends the file. Empty: Django streams it.
DOCUMENT_ACCEL_REDIRECT = env.str("DOCUMENT_ACCEL_REDIRECT", default="")
FILE_UPLOAD_HANDLERS = [
    "projects.documents.UploadSizeLimit",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Uploads up to this size are held in memory, larger ones in a temporary file (Django's default).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2621440

LOGIN_URL = "admin:login"

# Security headers. With DEBUG off the site is HTTPS-only by default: secure cookies, a redirect
# from http:// and HSTS for a year. PLAIN_HTTP=1 turns those off for a plain-HTTP intranet (and
# for the test runs); each can also be set on its own.
PLAIN_HTTP = env.bool("PLAIN_HTTP", default=False)
_HTTPS = not DEBUG and not PLAIN_HTTP
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=_HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=_HTTPS)
# A load balancer's or monitor's health check may come over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600 if _HTTPS else 0)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_PROXY", default=False) else None
# Browser features no page of the site uses, refused for every answer.
PERMISSIONS_POLICY = "accelerometer=(), camera=(), geolocation=(), gyroscope=(), microphone=(), payment=(), usb=()"

# Request bodies other than file uploads (JSON, forms) are refused above this size with 413;
# uploaded files have their own limit. JSON nested deeper than API_MAX_JSON_DEPTH is a 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=1024 * 1024)
API_MAX_JSON_DEPTH = env.int("API_MAX_JSON_DEPTH", default=32)

# A strict Content-Security-Policy: nothing inline, nothing from another host.
# MAP_TILE_URL (below) is the one exception, allowed only when it is set.
MAP_TILE_URL = env.str("MAP_TILE_URL", default="")
_img_src = ["'self'", "data:"]
if MAP_TILE_URL:
    from urllib.parse import urlsplit

    _tiles = urlsplit(MAP_TILE_URL.replace("{", "").replace("}", ""))
    _img_src.append(f"{_tiles.scheme}://{_tiles.netloc}")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": _img_src,
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# A project is behind schedule when the share of its planned duration that has passed is more
# than this many percentage points ahead of its progress.
BEHIND_SCHEDULE_MARGIN = env.int("BEHIND_SCHEDULE_MARGIN", default=15)
# A project with no published progress update for this many days is flagged as stale.
STALE_UPDATE_DAYS = env.int("STALE_UPDATE_DAYS", default=90)
# The slug of the commission that /commission/, /trade/ and /reports/ show. Empty: the only
# commission, else the first one recorded (see CommissionQuerySet.default()).
DEFAULT_COMMISSION = env.str("DEFAULT_COMMISSION", default="")

# Open-data exports (/api/v1/iati/…, /api/v1/oc4ids/…; see projects/opendata/). The IATI
# organisation identifier is a placeholder until the publisher registers one (org-id.guide);
# the OC4IDS prefix likewise until it registers a project identifier prefix.
OPEN_DATA_PUBLISHER_NAME = env.str("OPEN_DATA_PUBLISHER_NAME", default="")  # empty: the default commission
OPEN_DATA_LICENSE = env.str("OPEN_DATA_LICENSE", default="https://creativecommons.org/licenses/by/4.0/")
IATI_REPORTING_ORG_REF = env.str("IATI_REPORTING_ORG_REF", default="XI-IATI-EXAMPLE")
IATI_REPORTING_ORG_TYPE = env.str("IATI_REPORTING_ORG_TYPE", default="15")  # 15: other public sector
OC4IDS_PROJECT_ID_PREFIX = env.str("OC4IDS_PROJECT_ID_PREFIX", default="oc4ids-example-")

# REST API (/api/v1/): reads for everyone over published content, writes for staff with a
# token or a session. Shared behaviour lives in partnership/rest/.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Filtering, pagination, throttling and permissions are set on the API's base viewset
    # (partnership/rest/viewsets.py); these defaults cover the schema and documentation views.
    # Token first, so that a client without credentials gets 401 with WWW-Authenticate: Token.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer", "partnership.rest.renderers.CSVRenderer"],
    "DEFAULT_PARSER_CLASSES": ["partnership.rest.parsers.LimitedJSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env.str("API_ANON_RATE", default="120/minute")},
    # The client's address is the connection's (REMOTE_ADDR) unless the site is behind this many
    # trusted proxies, each adding to X-Forwarded-For; then the address the nearest one saw.
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
    "EXCEPTION_HANDLER": "partnership.rest.errors.api_exception_handler",
    "DATETIME_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Partnership tracker API",
    "DESCRIPTION": "Public data on the joint projects of an intergovernmental commission: projects, "
    "tasks, progress updates, agreements, meetings, directives, trade figures and events. Anonymous "
    "clients read published content (rate-limited); staff write with a token "
    "(`Authorization: Token <key>`) within the same permissions as in the admin. Every list "
    "answers in JSON or CSV (`?format=csv` or `Accept: text/csv`), is filtered by the same filters "
    "as the site, and is paginated (`page`, `page_size` up to 500). Errors are JSON: "
    '`{"detail": …, "code": …, "errors": {parameter or field: [messages]}}`. Open data: the '
    "published portfolio as IATI 2.03 activity XML (`/api/v1/iati/activities.xml`) and as an OC4IDS "
    '0.9 project package (`/api/v1/oc4ids/projects.json`), tag "open data".',
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The same choices appear on several models; one named enum each.
    "ENUM_NAME_OVERRIDES": {
        "ConfidenceEnum": "projects.models.Confidence",
        "PublicationEnum": "projects.models.Publication",
        "ProjectStatusEnum": "projects.models.Project.Status",
        "TaskStatusEnum": "projects.models.Task.Status",
        "DirectiveStatusEnum": "partnership.models.Directive.Status",
        "AgreementStatusEnum": "partnership.models.Agreement.Status",
        "AgreementKindEnum": "partnership.models.Agreement.Kind",
        "MeetingKindEnum": "partnership.models.Meeting.Kind",
        "DatePrecisionEnum": "partnership.models.DatePrecision",
        "EventKindEnum": "partnership.models.Event.Kind",
        "OrganisationKindEnum": "projects.models.Organisation.Kind",
        "DocumentKindEnum": "projects.models.Document.Kind",
        "ParticipantRoleEnum": "projects.models.ProjectParticipant.Role",
        "CurrencyEnum": "partnership.currencies.CURRENCY_CHOICES",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "partnership.rest.schema.document_errors",
    ],
}

CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_ALLOW_ALL_ORIGINS = env.bool("CORS_ALLOW_ALL_ORIGINS", default=False)
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
# So that a page on another site can read the pagination and cache headers of the API.
CORS_EXPOSE_HEADERS = ["ETag", "Link", "X-Total-Count", "Retry-After"]

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Exports never write a cell a spreadsheet would run as a formula. The admin's own formats
# (partnership/resources.py) write CSV through the site's CSV writer and formula-like XLSX cells as
# text; this setting covers any stock format besides.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
