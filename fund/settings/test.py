from .base import *  # noqa: F403
from .base import env

DEBUG = False
# Fast hashing: tests create many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Unit tests run tasks in-process; the worker tests override this and use the real broker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# One folder per test database and per pytest-xdist process (each has a database of its own, so file names
# made from row ids would collide); a test's Celery worker is handed its process's folder (FUND_MEDIA_ROOT).
MEDIA_ROOT = Path(env("FUND_MEDIA_ROOT", str(  # noqa: F405
    BASE_DIR / ".local" / "test-media" / env("DATABASE_NAME", "fund") / env("PYTEST_XDIST_WORKER", "main")  # noqa: F405
)))
FUND_LOGIN_MAX_FAILURES = 5
# Each test process keeps its rate limits to itself (tests clear the cache; two processes must not see each
# other's counts); the shared Redis cache of base.py is for the running system.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests serve static files straight from the app and project folders; nothing is collected.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
