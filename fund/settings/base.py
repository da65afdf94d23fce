"""Settings shared by every environment. Everything that differs between machines comes from the environment."""

import os
from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from fund.close.config import close_hour, close_start
from fund.integrations import configuration_problems

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


SECRET_KEY = env("DJANGO_SECRET_KEY", "insecure-local-only-key")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = [h for h in env("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
# A refused form is told in Chinese what happened and what to do (fund/errors.py), not Django's English page.
CSRF_FAILURE_VIEW = "fund.errors.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "guardian",
    "django_celery_beat",
    # the core
    "fund.people",
    "fund.audit",
    "fund.ledger",
    "fund.policy",
    "fund.integrations",
    "fund.catalogue",
    "fund.workflow",
    "fund.payments",
    "fund.printing",
    "fund.portals",
    "fund.close",
    "fund.holidays",
    "fund.tracking",
    "fund.appointments",
    "fund.tickets",
    "fund.ratings",
    "fund.assessment",
    "fund.measures",
    "fund.bundles",
    "fund.whatif",
    # business lines
    "deposits",
    "withdrawals",
    "loans",
    "risk",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # gunicorn serves no static files; WhiteNoise does, here and in the compose deployment.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session: a NUL in any input is a 400 here, never a 500 from the database (fund/middleware.py).
    "fund.middleware.ControlCharacterMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "fund.portals.middleware.ChineseByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "fund.audit.middleware.RequestContextMiddleware",
    "fund.printing.address.PublicAddressMiddleware",
    "fund.errors.MethodNotAllowedPageMiddleware",
]

ROOT_URLCONF = "fund.urls"
WSGI_APPLICATION = "fund.wsgi.application"

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
                "fund.portals.context.portal",
            ],
        },
    },
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": env("DATABASE_HOST", "127.0.0.1"),
        "PORT": env("DATABASE_PORT", "55432"),
        "NAME": env("DATABASE_NAME", "fund"),
        "USER": env("DATABASE_USER", "postgres"),
        "PASSWORD": env("DATABASE_PASSWORD", ""),
        "CONN_MAX_AGE": 60,
        "OPTIONS": {"options": "-c lock_timeout=10000 -c statement_timeout=600000"},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "fund.people.auth.ThrottledBackend",
    "guardian.backends.ObjectPermissionBackend",
    "fund.people.auth.AuditorReadOnlyBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portals:home"
LOGOUT_REDIRECT_URL = "public:home"

# A government system: at least 10 characters, not all digits, not common, not like the user's data.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "fund.people.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "fund.people.passwords.CharacterClassValidator"},
]
# Idle sessions end after 30 minutes; every request renews the window.
SESSION_COOKIE_AGE = int(env("FUND_SESSION_SECONDS", "1800"))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
# Login throttling: this many failures per account or per address within the window lock it for the window.
FUND_LOGIN_MAX_FAILURES = int(env("FUND_LOGIN_MAX_FAILURES", "5"))
FUND_LOGIN_WINDOW = timedelta(minutes=int(env("FUND_LOGIN_WINDOW_MINUTES", "15")))
# API tokens (one per device or client) expire this many hours after sign-in; a user holds at most this many
# at once (signing in beyond it revokes the least recently used).
FUND_API_TOKEN_HOURS = int(env("FUND_API_TOKEN_HOURS", "12"))
FUND_API_TOKENS_PER_USER = int(env("FUND_API_TOKENS_PER_USER", "10"))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["fund.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT: Path | None = Path(env("FUND_STATIC_ROOT", str(BASE_DIR / ".local" / "static")))
# Uploaded and generated files hold names and ID numbers: no URL serves this folder (there is no MEDIA_URL);
# views that check who asks stream them (fund.storage).
MEDIA_ROOT = Path(env("FUND_MEDIA_ROOT", str(BASE_DIR / ".local" / "media")))
STORAGES = {
    "default": {"BACKEND": "fund.storage.PrivateFileStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

REST_FRAMEWORK = {
    # Token first: DRF answers an unauthenticated request with the first class's challenge, so a missing,
    # wrong or expired token is a 401 with `WWW-Authenticate: Token` (sessions have no challenge: 403).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "fund.people.auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "fund.api.FundAutoSchema",
    "EXCEPTION_HANDLER": "fund.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"login": "10/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "住房公积金管理中心 API",
    "DESCRIPTION": "综合窗口、单位网厅、个人网厅与开发企业所用的同一组服务。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from our own static files: no CDN is reachable from a centre's network.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

REDIS_URL = env("REDIS_URL", "redis://127.0.0.1:56379/0")


def _redis_database(url: str, number: int) -> str:
    """The same Redis server, another database: "redis://h:p/0" → "redis://h:p/1"."""
    base, _, last = url.rpartition("/")
    return f"{base}/{number}" if base.count("/") >= 2 and last.isdigit() else f"{url.rstrip('/')}/{number}"


# One cache for every web and worker process: the rate limits kept in it (sign-in failures, the public progress
# lookup, printing, online opening) are per address or user, not per process — with a cache in each process a
# client would get the limit once per gunicorn worker. Redis is already there for Celery; FUND_CACHE_URL may point
# elsewhere (its own database number by default, so flushing one never empties the other).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("FUND_CACHE_URL", _redis_database(REDIS_URL, 1)),
        "KEY_PREFIX": "fund",
    }
}
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# A task is acknowledged when it has run, not when it is taken: a worker killed mid-task leaves its message
# to be delivered again (every task is safe to run twice), and so does a pool process that dies (instead of
# the task being dropped with WorkerLostError). Redis hands back an unacknowledged message after the
# visibility timeout (an hour by default): minutes here. No task may wait longer than it (a countdown, a
# retry's back-off) or run longer in one go (batches go in slices), or a second copy would be delivered.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
FUND_TASK_VISIBILITY_MINUTES = int(env("FUND_TASK_VISIBILITY_MINUTES", "10"))
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": FUND_TASK_VISIBILITY_MINUTES * 60}
# A resumable batch's run that has not moved for this long while running is queued again (fund.batches).
FUND_BATCH_STALLED_MINUTES = int(env("FUND_BATCH_STALLED_MINUTES", "5"))
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's Django fixup closes every connection after each task unless a reuse count is set; `fund.celery`
# closes them as Django does after a request instead (CONN_MAX_AGE, or when broken), so the count is only a
# backstop: every 2 × this many tasks.
CELERY_DB_REUSE_MAX = 10_000
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# The nightly close (日终, fund.close) of each business date runs at this local time that evening ("HH:MM"); its
# beat entry catches up every date missed since the last close. The first date ever closed is FUND_CLOSE_START
# ("YYYY-MM-DD"; empty: the day the close first runs).
FUND_CLOSE_HOUR = close_hour(env("FUND_CLOSE_HOUR", "22:30"))
FUND_CLOSE_START = close_start(env("FUND_CLOSE_START", ""))
# Periodic work; django-celery-beat copies this into its tables, where staff may adjust it in the admin.
CELERY_BEAT_SCHEDULE = {
    "printing-requeue-stale": {"task": "printing.requeue_stale", "schedule": 120.0},
    # Runs of resumable batches (the interest settlement …) that a lost worker left standing are queued again.
    "fund-resume-stalled-batches": {"task": "fund.resume_stalled_batches", "schedule": 60.0},
    "people-prune-sign-in-records": {"task": "people.prune_sign_in_records", "schedule": 86400.0},
    "deposits-match-incoming-transfers": {"task": "deposits.match_incoming_transfers", "schedule": 300.0},
    "deposits-poll-transfers": {"task": "deposits.poll_transfers", "schedule": 600.0},
    # Contact letters other centres sent for our members, and the transfers-out under way.
    "deposits-transfer-out-sync": {"task": "deposits.transfer_out_sync", "schedule": 600.0},
    # From the 专户's pay day to month end; a failed debit is retried once a day, a paid month never again.
    "deposits-voluntary-debit": {"task": "deposits.voluntary_debit", "schedule": crontab(minute=0, hour=8)},
    "deposits-unit-applications-due": {"task": "deposits.unit_applications_due", "schedule": crontab(minute=10, hour=0)},
    # A unit is texted at most once a month whatever runs, so a daily run only catches late payers sooner.
    "deposits-arrears-reminders": {"task": "deposits.send_arrears_reminders", "schedule": crontab(minute=30, hour=9, day_of_month="5")},
    # Outgoing payments the bank has not settled a minute on are asked about again (the reference makes a
    # resend harmless); refused ones whose back-off has passed get their next attempt.
    "payments-poll": {"task": "payments.poll", "schedule": 60.0},
    "payments-retry-due": {"task": "payments.retry_due", "schedule": 300.0},
    # A submitted withdrawal whose decide task was lost (broker down, worker killed) is queued again.
    "withdrawals-decide-stale": {"task": "withdrawals.decide_stale", "schedule": 60.0},
    "withdrawals-standing-run": {"task": "withdrawals.standing_run", "schedule": crontab(minute=0, hour=7)},
    # Loans waiting in 轮候 are paid in order of approval as money arrives in the fund's bank account.
    "loans-disbursement-queue-drain": {"task": "loans.disbursement_queue_drain", "schedule": 300.0},
    # The nightly close of today, and of every date missed before it, each once and in order (fund.close).
    "fund-close-catch-up": {"task": "fund.close.catch_up",
                            "schedule": crontab(minute=FUND_CLOSE_HOUR.minute, hour=FUND_CLOSE_HOUR.hour)},
}

# Which implementation talks to the outside systems: "sandbox" (tables in our own database) or "http".
FUND_INTEGRATIONS = env("FUND_INTEGRATIONS", "sandbox")
FUND_INTEGRATIONS_HTTP_BASE = env("FUND_INTEGRATIONS_HTTP_BASE", "")
FUND_INTEGRATIONS_HTTP_TIMEOUT = float(env("FUND_INTEGRATIONS_HTTP_TIMEOUT", "10"))
# Refuse to start (web, worker, beat, manage.py) rather than fail every outside call later.
if _integration_problems := configuration_problems(
    backend=FUND_INTEGRATIONS, overrides={}, http_base=FUND_INTEGRATIONS_HTTP_BASE
):
    raise ImproperlyConfigured("；".join(_integration_problems))
# The city's administrative code: decides which hukou and homes count as local.
FUND_CITY_CODE = env("FUND_CITY_CODE", "370800")
# The name the centre prints on documents and pages.
FUND_CENTRE_NAME = env("FUND_CENTRE_NAME", "示范市住房公积金管理中心")
# The address printed on documents for verification (e.g. https://gjj.example.gov.cn); empty: the address the
# request asking for the document came in on (fund/printing/address.py).
FUND_PUBLIC_BASE_URL = env("FUND_PUBLIC_BASE_URL", "").strip().rstrip("/")
if FUND_PUBLIC_BASE_URL and not FUND_PUBLIC_BASE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured("FUND_PUBLIC_BASE_URL 应以 http:// 或 https:// 开头，如 https://gjj.example.gov.cn")

# New documents (PDFs) one user, and one person, may have printed in the last hour and today; 0 = no limit.
# A reprint of the same document the same day is the one already printed and does not count.
FUND_PRINT_PER_USER_HOUR = int(env("FUND_PRINT_PER_USER_HOUR", "60"))
FUND_PRINT_PER_USER_DAY = int(env("FUND_PRINT_PER_USER_DAY", "300"))
FUND_PRINT_PER_SUBJECT_HOUR = int(env("FUND_PRINT_PER_SUBJECT_HOUR", "10"))
FUND_PRINT_PER_SUBJECT_DAY = int(env("FUND_PRINT_PER_SUBJECT_DAY", "30"))
# 我的办件's public lookup (number + last four of the ID): tries per client address (DRF rate syntax).
FUND_TRACKING_LOOKUP_RATE = env("FUND_TRACKING_LOOKUP_RATE", "10/min")

# What one upload may cost before anything parses it (fund/uploads.py). A real 10,000-row base list is
# about 0.5 MB zipped, 4 MB of sheet XML and 1.5 MB of shared strings; openpyxl reads ~6 MB/s of them.
FUND_UPLOAD_MAX_BYTES = int(env("FUND_UPLOAD_MAX_BYTES", str(5 * 1024 * 1024)))
FUND_XLSX_MAX_UNPACKED_BYTES = int(env("FUND_XLSX_MAX_UNPACKED_BYTES", str(32 * 1024 * 1024)))
FUND_XLSX_MAX_PART_BYTES = int(env("FUND_XLSX_MAX_PART_BYTES", str(16 * 1024 * 1024)))
FUND_XLSX_MAX_SHARED_STRINGS_BYTES = int(env("FUND_XLSX_MAX_SHARED_STRINGS_BYTES", str(4 * 1024 * 1024)))
FUND_XLSX_MAX_RATIO = int(env("FUND_XLSX_MAX_RATIO", "100"))
FUND_XLSX_MAX_PARTS = int(env("FUND_XLSX_MAX_PARTS", "200"))
# A base list may hold this many rows beyond the unit's adjustable members (titles, people to be told apart).
FUND_BASE_UPLOAD_EXTRA_ROWS = int(env("FUND_BASE_UPLOAD_EXTRA_ROWS", "500"))
# The first handler keeps at most FUND_UPLOAD_MAX_BYTES + 1 of any uploaded file; the rest is dropped unread.
FILE_UPLOAD_HANDLERS = [
    "fund.uploads.UploadCapHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
}
