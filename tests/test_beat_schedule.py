"""Every periodic job in the beat schedule names a task a worker knows: a typo would silently never run."""

from django.conf import settings

from fund.celery import app


def test_every_beat_entry_names_a_registered_task() -> None:
    app.loader.import_default_modules()
    missing = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values() if entry["task"] not in app.tasks]
    assert settings.CELERY_BEAT_SCHEDULE and missing == []
