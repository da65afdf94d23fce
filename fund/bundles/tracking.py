"""A bundle run and a 跨省通办 request are applications too: each is one row on fund.tracking's register."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from fund.catalogue.registry import Channel
from fund.tracking.registry import Tracked, TrackedKind, register_tracked

from .models import BundleRun, CrossProvinceRequest, CrossState


def describe_run(run: BundleRun) -> Tracked:
    """A run exists only once every part ran: it is finished when it is made; its parts' own applications go on
    (a withdrawal to its payout) on their own rows."""
    window = run.channel == Channel.WINDOW
    return Tracked(
        item_code=run.bundle, title=run.title, source_number=run.number, branch_id=run.branch_id,
        person_id=run.person_id, employer_id=run.employer_id, lookup_suffix=run.lookup_suffix, channel=run.channel,
        submitted_at=run.created_at, accepted_at=run.created_at, finished_at=run.created_at, outcome="done",
        step_code="done", step_label="已办结", handled_by_id=run.submitted_by_id if window else None,
        visits=1 if window else 0, on_the_spot=window,
    )


_OUTCOME = {CrossState.WAITING: "open", CrossState.TAKEN: "open", CrossState.DONE: "done",
            CrossState.REFUSED: "refused"}


def describe_cross(request: CrossProvinceRequest) -> Tracked:
    finished = request.state in (CrossState.DONE, CrossState.REFUSED)
    return Tracked(
        item_code=request.item_code, title=f"跨省通办 · {request.item_name}", source_number=request.number,
        branch_id=request.branch_id, person_id=request.person_id, lookup_suffix=request.person.id_number[-4:],
        channel=str(Channel.CROSS_PROVINCE), submitted_at=request.created_at, accepted_at=request.taken_at,
        finished_at=request.finished_at if finished else None, outcome=_OUTCOME[CrossState(request.state)],
        step_code=request.state, step_label=request.get_state_display(), handled_by_id=request.taken_by_id,
    )


def _run_url(portal: str) -> Callable[[BundleRun], str]:
    return lambda run: reverse(f"{portal}:bundles_run_detail", args=[run.number])


def register_tracked_kinds() -> None:
    register_tracked(TrackedKind(key="bundles.run", model=BundleRun, noun="一件事", describe=describe_run,
                                 staff_url=_run_url("staff"), member_url=_run_url("member"), unit_url=_run_url("unit")))
    register_tracked(TrackedKind(
        key="bundles.cross", model=CrossProvinceRequest, noun="跨省通办申请", describe=describe_cross,
        staff_url=lambda request: reverse("staff:bundles_cross_detail", args=[request.pk])))
