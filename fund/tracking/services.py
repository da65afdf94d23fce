"""Keeping the register: `track` brings one application's row and step history up to what its line says."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from fund.numbers import number_format, sequence_next

from .models import Application, ApplicationStep
from .registry import Tracked, TrackedKind, tracked_kind_for, tracked_kinds

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
        "lookup_suffix": tracked.lookup_suffix[-4:].upper(), "channel": tracked.channel, "instant": tracked.instant,
        "submitted_at": tracked.submitted_at, "accepted_at": tracked.accepted_at, "finished_at": tracked.finished_at,
        "outcome": tracked.outcome, "step_code": tracked.step_code[:40], "step_label": tracked.step_label[:40],
        "step_deadline": tracked.step_deadline, "handled_by_id": tracked.handled_by_id, "visits": tracked.visits,
        "pages": tracked.pages, "on_the_spot": tracked.on_the_spot,
    }


def track(obj: models.Model, *, actor: Any = None, backfill: bool = False) -> Application | None:
    """Bring `obj`'s application row up to date (None if its model is not registered, or its line says it is
    not an application). A changed step closes the open step (done by `actor`) and opens the new one; step
    listeners (the SMS) run after commit. Runs in the caller's transaction, so the register never shows what
    the line rolled back.

    `backfill`: registering an application its line made before the register heard of it — its one step is
    dated by what the line knows (`Tracked.step_since`, else when it finished, was accepted or submitted), and
    nobody is texted about it."""
    kind = tracked_kind_for(type(obj))
    if kind is None or obj.pk is None:
        return None
    tracked = kind.describe(obj)
    if tracked is None:
        return None
    now = timezone.now()
    entered = (tracked.step_since or tracked.finished_at or tracked.accepted_at or tracked.submitted_at) if backfill else now
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    subject_type = ContentType.objects.get_for_model(obj)
    fields = _fields(tracked)
    step: ApplicationStep | None = None
    with transaction.atomic():
        app = Application.objects.select_for_update().filter(subject_type=subject_type, subject_id=obj.pk).first()
        if app is None:
            try:
                with transaction.atomic():  # a concurrent first sight of the same application wins; we update it
                    app = Application.objects.create(
                        number=application_number(tracked.submitted_at), kind=kind.key, subject_type=subject_type,
                        subject_id=obj.pk, step_since=entered, returns=int(tracked.returned), **fields,
                    )
            except IntegrityError:
                app = Application.objects.select_for_update().get(subject_type=subject_type, subject_id=obj.pk)
            else:
                step = ApplicationStep.objects.create(
                    application=app, code=fields["step_code"], label=fields["step_label"], entered_at=entered,
                    deadline=tracked.step_deadline, actor_id=actor_id or tracked.handled_by_id,
                    returned=tracked.returned, texted_by_line=tracked.texted_by_line,
                )
                _announce(app, step, backfill)
                return app
        changed = app.step_code != fields["step_code"]
        for name, value in fields.items():
            setattr(app, name, value)
        if changed:
            ApplicationStep.objects.filter(application=app, left_at__isnull=True).update(left_at=now, done_by_id=actor_id)
            step = ApplicationStep.objects.create(
                application=app, code=fields["step_code"], label=fields["step_label"], entered_at=now,
                deadline=tracked.step_deadline, actor_id=actor_id, returned=tracked.returned,
                texted_by_line=tracked.texted_by_line,
            )
            app.step_since = now
            app.returns += int(tracked.returned)
        else:
            # The same step with a deadline only now known (the line opened its work item after moving).
            ApplicationStep.objects.filter(application=app, left_at__isnull=True).exclude(
                deadline=tracked.step_deadline).update(deadline=tracked.step_deadline)
        app.save()
        if step is not None:
            _announce(app, step, backfill)
    return app


def _announce(app: Application, step: ApplicationStep, backfill: bool) -> None:
    if backfill:
        return
    for listener in _STEP_LISTENERS:
        transaction.on_commit(_step_callback(listener, app.pk, step.pk), robust=True)


def track_again(model: type[models.Model], pk: Any, *, actor: Any = None) -> Application | None:
    """Track the row `pk` of `model` as it now stands in the database: for a line that changed it with a plain
    UPDATE (no post_save, no status move), e.g. a platform status written in place."""
    obj = model._default_manager.filter(pk=pk).first()
    return track(obj, actor=actor) if obj is not None else None


def _step_callback(fn: StepListener, application_id: int, step_id: int) -> Callable[[], None]:
    return lambda: fn(application_id, step_id)


def register_step_listener(fn: StepListener) -> None:
    """`fn(application_id, step_id)` after commit whenever an application enters a step (the SMS to the
    applicant); registered once."""
    if fn not in _STEP_LISTENERS:
        _STEP_LISTENERS.append(fn)


def tracking_backfill(*, kinds: Iterable[TrackedKind] | None = None, chunk: int = 500) -> dict[str, int]:
    """Register every existing application of the registered lines that the register does not hold yet (rows
    made before it existed, or by a bulk write no hook saw). Safe to run again: registered rows are skipped,
    and an application registered meanwhile by its line is updated, never doubled. Returns {kind: added}."""
    added: dict[str, int] = {}
    for kind in kinds if kinds is not None else tracked_kinds():
        subject_type = ContentType.objects.get_for_model(kind.model)
        known = Application.objects.filter(subject_type=subject_type).values("subject_id")
        rows = kind.model._default_manager.exclude(pk__in=known).order_by("pk")
        count = 0
        last = 0
        while True:
            batch = list(rows.filter(pk__gt=last)[:chunk])
            if not batch:
                break
            for obj in batch:
                with transaction.atomic():
                    if track(obj, backfill=True) is not None:
                        count += 1
            last = batch[-1].pk
        added[kind.key] = count
    return added
