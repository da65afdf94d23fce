"""Read helpers of the link graph's suspected rings.

Who sees a ring: centre-wide staff (风控, the director) and auditors see every ring; staff bound to a branch see
the rings with at least one application of their branch; anyone else sees none (and a ring page answers 404).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet, Sum

from fund.people.models import Post
from fund.people.roles import roles_of
from fund.people.selectors import get_or_404, staff_scope

from ..models import LinkGraphRun, Ring, RingMember, RingState


def rings_for_user(user: Any) -> QuerySet[Ring]:
    if not getattr(user, "is_authenticated", False):
        return Ring.objects.none()
    is_staff, branch_id = staff_scope(user)
    if not is_staff:
        return Ring.objects.none()
    rings = Ring.objects.select_related("first_run", "last_run")
    if branch_id is None or roles_of(user).is_auditor:
        return rings
    return rings.filter(Exists(RingMember.objects.filter(ring=OuterRef("pk"), branch_id=branch_id)))


def ring_get_for_user(user: Any, pk: Any) -> Ring:
    return get_or_404(rings_for_user(user), pk=pk)


def link_graph_can_run(user: Any) -> bool:
    """Only centre-wide 风控 may start a run out of the nightly close (it reads the whole centre)."""
    is_staff, branch_id = staff_scope(user)
    return is_staff and branch_id is None and roles_of(user).has_post(Post.RISK)


def link_graph_runs_for_user(user: Any) -> QuerySet[LinkGraphRun]:
    """Runs say how many applications and rings the centre has: centre-wide staff and auditors only."""
    is_staff, branch_id = staff_scope(user) if getattr(user, "is_authenticated", False) else (False, None)
    if not is_staff or (branch_id is not None and not roles_of(user).is_auditor):
        return LinkGraphRun.objects.none()
    return LinkGraphRun.objects.select_related("requested_by")


def link_graph_run_get_for_user(user: Any, pk: Any) -> LinkGraphRun:
    return get_or_404(link_graph_runs_for_user(user), pk=pk)


def link_graph_latest_run() -> LinkGraphRun | None:
    return LinkGraphRun.objects.filter(state="done").order_by("-finished_at", "-id").first()


def rings_summary(user: Any, *, on: date) -> dict[str, Any]:
    """{"rings": int (open suspected rings), "applications": int (applications in them),
    "computed_at": datetime | None (the latest graph run)}"""
    rings = rings_for_user(user).filter(state=RingState.OPEN)
    latest = link_graph_latest_run()
    return {"rings": rings.count(), "applications": rings.aggregate(n=Sum("applications"))["n"] or 0,
            "computed_at": latest.finished_at if latest is not None else None}
