"""Settings for Seller Center.

Everything that differs between a laptop and production comes from the environment:
DATABASE_URL (SQLite file when unset), SECRET_KEY, DEBUG, ALLOWED_HOSTS.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SELLERCENTER_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me-in-production-0123456789")
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]

INSTALLED_APPS = [
    "sellercenter.apps.SellerCenterAdminConfig",  # Django admin behind two-factor sign-in
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "leases",  # before django_tasks_db: its db_worker command (with the lease reaper) replaces the library's
    "django_tasks",
    "django_tasks_db",
    "accounts",
    "orders",
    "exports",
    "partner_api",
    "analytics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.AuditContextMiddleware",
    "accounts.middleware.SessionLimitsMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "sellercenter.urls"
WSGI_APPLICATION = "sellercenter.wsgi.application"

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
                "accounts.context_processors.navigation",
            ],
        },
    },
]

CONN_MAX_AGE = int(os.environ.get("CONN_MAX_AGE", "0"))  # production: 60 (see README); runserver: a thread per request
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}", conn_max_age=CONN_MAX_AGE, conn_health_checks=CONN_MAX_AGE > 0
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers (a long export, the list page) and one writer work side by side;
    # IMMEDIATE transactions take the write lock up front instead of failing on upgrade.
    # A connection kept across requests keeps its page cache: 64 MiB (SQLite's default is 2) holds the
    # index pages that a list page over a million orders reads, instead of reading them from the file again.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
        + (" PRAGMA cache_size=-65536;" if CONN_MAX_AGE else ""),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests too run on a WAL file, not Django's default shared-cache in-memory database, whose table
    # locks would make a reader block writers on other connections (a job reads on one of its own).
    # One file per test process (the pid), so that two test sessions at once do not share one.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-db-{os.getpid()}.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Short queries, many of them: no JIT compilation (a list page's capped counts cross its cost
    # threshold at a million orders and spent more compiling than running) and no parallel workers
    # (starting one took longer than the 0.2 ms query it served). POSTGRES_SESSION_OPTIONS overrides.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = os.environ.get(
        "POSTGRES_SESSION_OPTIONS", "-c jit=off -c max_parallel_workers_per_gather=0"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's cache holds what every web process and task worker must see alike: the Partner API rate
# limit, the sign-in throttle per IP, cached aggregates. Redis when REDIS_URL is set; otherwise a table
# of the database above (made by `migrate`). Never the local-memory cache: it is per process.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "sellercenter",
        }
    }
else:
    # An atomic incr (Django's own reads and writes back); culling starts far above what counters need.
    CACHES = {
        "default": {
            "BACKEND": "sellercenter.cache.DatabaseCache",
            "LOCATION": "sellercenter_cache",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out username+IP before any password check
    "accounts.backends.SellerCenterBackend",  # ModelBackend, loading the security profile in the same query
    "guardian.backends.ObjectPermissionBackend",
]
# No guardian "AnonymousUser" row: anonymous visitors hold no shop permissions at all.
ANONYMOUS_USER_NAME = None

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
CSRF_FAILURE_VIEW = "accounts.views.errors.csrf_failure"

# Brute force (django-axes): 5 failures for one username from one IP lock that pair for 15 minutes.
# Locking the pair, not the username alone, keeps an attacker from locking a user out everywhere;
# wrong two-factor codes count as failures too. A complete sign-in (with the second factor where the
# user has one) clears that pair's count: accounts.services.lockout, not axes' own reset, which would
# fire at the password step and let wrong codes be retried for ever.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "accounts.client_ip.client_ip"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"  # counts in the database: shared by every process
# Password spraying (OWASP ASVS 2.2.1): besides the pair lock above, this many failed sign-ins from one
# address (an IPv6 /64), whatever the usernames, within the window pause every sign-in from it for the
# cool-off (a 429 page; accounts.services.ip_throttle, counted in the shared cache).
SIGN_IN_IP_FAILURE_LIMIT = int(os.environ.get("SIGN_IN_IP_FAILURE_LIMIT", "20"))
SIGN_IN_IP_WINDOW = timedelta(minutes=15)
SIGN_IN_IP_COOLOFF = timedelta(minutes=15)
# Reverse proxies in front of the app that append to X-Forwarded-For (0: the app is reached directly).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Sessions: signed out after 30 minutes without a request (idle) and 12 hours after sign-in whatever
# happens (absolute). Both are enforced by accounts.middleware.SessionLimitsMiddleware; the cookie
# itself lives no longer than the absolute limit.
SESSION_ENGINE = "django.contrib.sessions.backends.db"  # shared by every process: sign-in state, reveal windows
SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
SESSION_ABSOLUTE_LIFETIME = timedelta(hours=12)
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_LIFETIME.total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Two-factor authentication (django-otp, TOTP + single-use recovery codes).
OTP_TOTP_ISSUER = "Seller Center"
RECOVERY_CODE_COUNT = 10

# Content-Security-Policy: scripts and styles from this site only, never inline; no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise looks there at start-up; `collectstatic` fills it in production
MEDIA_ROOT = VAR_DIR / "media"

DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Background tasks (Django's Tasks API through the django-tasks backport). The default keeps jobs in
# this database and runs them with `manage.py db_worker`; TASKS_BACKEND=rq with REDIS_URL hands them
# to Redis and RQ workers on as many machines as needed (django-tasks-rq).
if os.environ.get("TASKS_BACKEND", "database") == "rq":
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0"}}
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]  # workers: manage.py rqworker --job-class django_tasks_rq.Job
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Exports: up to this many rows download at once; more become a background job. Files are kept
# EXPORT_FILE_DAYS days. A date range on the Exports page spans at most EXPORT_MAX_RANGE_DAYS.
EXPORT_IMMEDIATE_ROWS = int(os.environ.get("EXPORT_IMMEDIATE_ROWS", "5000"))  # bench/load_test.py --smoke: 0
EXPORT_FILE_DAYS = 7
EXPORT_MAX_RANGE_DAYS = 366
EXPORT_WORKER_NICENESS = 10  # the export worker yields the CPU to the web server
# Seconds a job pauses after each batch of rows it writes (0: none): a throttle for a busy database, and
# what the fault tests use to keep a small export running long enough to kill its worker.
EXPORT_BATCH_PAUSE = float(os.environ.get("EXPORT_BATCH_PAUSE", "0"))

# Background jobs hold a lease renewed by a heartbeat (every third of it). A job whose worker stopped
# beating for JOB_LEASE_SECONDS (killed, out of memory, machine lost) is retried from the start up to
# JOB_LEASE_RETRIES times, then failed with the reason shown to its owner.
JOB_LEASE_SECONDS = float(os.environ.get("JOB_LEASE_SECONDS", "60"))
JOB_LEASE_RETRIES = int(os.environ.get("JOB_LEASE_RETRIES", "2"))

# Partner API (TikTok Shop-compatible): requests per app per minute (counted in the shared cache),
# token lifetimes, and the webhook retry schedule (seconds before retries 1..4: five attempts in all).
PARTNER_API_RATE_LIMIT_PER_MINUTE = int(os.environ.get("PARTNER_API_RATE_LIMIT_PER_MINUTE", "600"))
PARTNER_API_ACCESS_TOKEN_LIFETIME = timedelta(days=7)
PARTNER_API_REFRESH_TOKEN_LIFETIME = timedelta(days=365)
PARTNER_API_WEBHOOK_BACKOFF = [60, 300, 1500, 7500]
PARTNER_API_WEBHOOK_TIMEOUT = 10

# Webhooks may reach loopback and private addresses only in development and tests (production.py: off).
PARTNER_API_WEBHOOK_ALLOW_PRIVATE = env_bool("PARTNER_API_WEBHOOK_ALLOW_PRIVATE", DEBUG)
