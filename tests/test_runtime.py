"""Worker and web processes freeze what start-up loaded (fund.runtime), so a collection walks only new objects."""

import gc

from celery.signals import worker_process_init

import fund.celery
import fund.gunicorn
from fund.runtime import freeze_startup_objects


def test_the_startup_objects_are_frozen_out_of_the_collectors_walk() -> None:
    try:
        freeze_startup_objects()
        assert gc.get_freeze_count() > 10_000  # Django, the apps and the settings
        assert gc.isenabled()  # collections go on, for what the work makes
    finally:
        gc.unfreeze()


def test_the_worker_and_the_web_processes_freeze_once_loaded() -> None:
    receivers = [ref() for _, ref in worker_process_init.receivers]
    assert fund.celery._freeze_startup_objects in receivers
    try:
        fund.gunicorn.post_worker_init(object())  # the hook gunicorn calls in each worker after loading the app
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
