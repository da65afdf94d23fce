"""How the register hears of applications without the lines calling it: a save of a registered model and
every status move (`fund.workflow.moves.register_move_listener`)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save

from fund.workflow.moves import register_move_listener

from .registry import tracked_kind_for
from .services import track


def _saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw or tracked_kind_for(sender) is None:
        return
    track(instance)


def _moved(obj: Any, old: str, new: str, actor: Any) -> None:
    if tracked_kind_for(type(obj)) is not None:
        track(obj, actor=actor)


def connect_hooks() -> None:
    post_save.connect(_saved, dispatch_uid="fund.tracking.saved")
    register_move_listener("fund.tracking", _moved)
