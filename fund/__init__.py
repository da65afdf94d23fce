# The Celery app must be imported here, or .delay() from Django goes to the default AMQP broker.
from .celery import app as celery_app

__all__ = ("celery_app",)
