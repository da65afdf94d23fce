"""Keeping the register: `track` brings one application's row and step history up to what its line says."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from fund.numbers import number_format, sequence_next

from .models import Application, ApplicationStep
from .registry import Tracked, tracked_kind_for

NUMBER_SEQUENCE = "tracking_application_number"

StepListener = Callable[[int, int], None]
_STEP_LISTENERS: list[StepListener] = []


def application_number(at: datetime) -> str:
    """办件编号, one format for every line: BJ, the day it was made (Shanghai) and an eight-digit counter."""
    return number_format(f"BJ{timezone.localtime(at):%Y%m%d}", sequence_next(NUMBER_SEQUENCE), 8)


def _fields(tracked: Tracked) -> dict[str, Any]:
    return {
        "item_code": tracked.item_code, "title": tracked.title[:200], "source_number": tracked.source_number,
        "branch_id": tracked.branch_id, "person_id": tracked.person_id, "employer_id": tracked.employer_id,
        "lookup_suffix": tracked.lookup_suffix[-4:], "channel": tracked.channel, "instant": tracked.instant,
        "submitted_at": tracked.submitted_at, "accepted_at": tracked.accepted_at, "finished_at": tracked.finished_at,
        "outcome": tracked.outcome, "step_code": tracked.step_code, "step_label": tracked.step_label,
        "step_deadline": tracked.step_deadline, "handled_by_id": tracked.handled_by_id, "visits": tracked.visits,
        "pages": tracked.pages, "on_the_spot": tracked.on_the_spot,
    }


def track(obj: models.Model, *, actor: Any = None) -> Application | None:
    """Bring `obj`'s application row up to date (None if its model is not registered). A changed step closes
    the open step (done by `actor`) and opens the new one; step listeners (the SMS) run after commit. Runs in
    the caller's transaction, so the register never shows what the line rolled back."""
    kind = tracked_kind_for(type(obj))
    if kind is None or obj.pk is None:
        return None
    tracked = kind.describe(obj)
    now = timezone.now()
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    subject_type = ContentType.objects.get_for_model(obj)
    with transaction.atomic():
        app = Application.objects.select_for_update().filter(subject_type=subject_type, subject_id=obj.pk).first()
        fields = _fields(tracked)
        if app is None:
            app = Application.objects.create(
                number=application_number(now), kind=kind.key, subject_type=subject_type, subject_id=obj.pk,
                step_since=now, returns=int(tracked.returned), **fields,
            )
            step = ApplicationStep.objects.create(
                application=app, code=tracked.step_code, label=tracked.step_label, entered_at=now,
                deadline=tracked.step_deadline, actor_id=actor_id or tracked.handled_by_id, returned=tracked.returned,
            )
        else:
            changed = app.step_code != tracked.step_code
            for name, value in fields.items():
                setattr(app, name, value)
            step = None
            if changed:
                ApplicationStep.objects.filter(application=app, left_at__isnull=True).update(left_at=now, done_by_id=actor_id)
                step = ApplicationStep.objects.create(
                    application=app, code=tracked.step_code, label=tracked.step_label, entered_at=now,
                    deadline=tracked.step_deadline, actor_id=actor_id, returned=tracked.returned,
                )
                app.step_since = now
                app.returns += int(tracked.returned)
            app.save()
        if step is not None:
            for listener in _STEP_LISTENERS:
                transaction.on_commit(_step_callback(listener, app.pk, step.pk), robust=True)
    return app


def _step_callback(fn: StepListener, application_id: int, step_id: int) -> Callable[[], None]:
    return lambda: fn(application_id, step_id)


def register_step_listener(fn: StepListener) -> None:
    """`fn(application_id, step_id)` after commit whenever an application enters a step (the SMS to the
    applicant); registered once."""
    if fn not in _STEP_LISTENERS:
        _STEP_LISTENERS.append(fn)
