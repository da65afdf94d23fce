import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fund.settings.local")
application = get_wsgi_application()

# Import every view now, while the process starts, rather than during the first request it serves (about
# 0.4 s of CPU per process, which the first callers after a restart would otherwise wait for).
from django.urls import get_resolver  # noqa: E402

get_resolver()._populate()
