"""How the register hears of applications without the lines calling it: a save of a registered model, every
status move (`fund.workflow.moves.register_move_listener`) of one or of a record about one (its payment), and
every work item a review opens — a review's next step (初审 → 审批) moves no status of the line's own, only its
work item."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_save

from fund.workflow.models import ItemState, WorkItem
from fund.workflow.moves import register_move_listener

from .registry import tracked_kind_for
from .services import track, track_again


def _saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw or tracked_kind_for(sender) is None:
        return
    track(instance)


def _moved(obj: Any, old: str, new: str, actor: Any) -> None:
    if tracked_kind_for(type(obj)) is not None:
        track(obj, actor=actor)
        return
    # A record about an application moved (its payment refused or retried): the application may read it.
    subject_type_id, subject_id = getattr(obj, "subject_type_id", None), getattr(obj, "subject_id", None)
    if subject_type_id and subject_id:
        model = ContentType.objects.get_for_id(subject_type_id).model_class()
        if model is not None and tracked_kind_for(model) is not None:
            track_again(model, subject_id, actor=actor)


def _work_item_saved(sender: Any, instance: WorkItem, created: bool = False, raw: bool = False, **kwargs: Any) -> None:
    """A step of a review opened: track its subject, the step moved on by whoever decided the step before it."""
    if raw or not created or instance.state != ItemState.OPEN:
        return
    model = instance.subject_type.model_class()
    if model is None or tracked_kind_for(model) is None:
        return
    subject = model._default_manager.filter(pk=instance.subject_id).first()
    if subject is None:
        return
    if _first_step(instance):
        track(subject)  # the line that opened the review moves its own status, with its actor, beside it
        return
    before = (WorkItem.objects.filter(subject_type_id=instance.subject_type_id, subject_id=instance.subject_id,
                                      state=ItemState.DONE, acted_by__isnull=False)
              .select_related("acted_by").order_by("-acted_at", "-id").first())
    track(subject, actor=before.acted_by if before is not None else None)


def _first_step(item: WorkItem) -> bool:
    from fund.workflow.flows import flow

    try:
        return flow(item.flow).steps[0].code == item.step
    except KeyError:
        return True


def connect_hooks() -> None:
    post_save.connect(_saved, dispatch_uid="fund.tracking.saved")
    post_save.connect(_work_item_saved, sender=WorkItem, dispatch_uid="fund.tracking.work_item_saved")
    register_move_listener("fund.tracking", _moved)
