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


def ring_may_note(user: Any) -> bool:
    """风控 and the director write the check notes; others read them."""
    roles = roles_of(user)
    return roles.has_post(Post.RISK) or roles.has_post(Post.DIRECTOR)


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


# ------------------------------------------------------------------ the ring page


def _shown(kind: str, value: str, units: dict[str, str]) -> str:
    """A key as staff read it: identifying numbers masked, a unit by its name."""
    from fund.audit.masking import mask_bank_card, mask_id_number, mask_phone

    if kind == "person":
        return mask_id_number(value)
    if kind in ("card", "seller"):
        return mask_bank_card(value)
    if kind == "phone":
        return mask_phone(value)
    if kind == "unit":
        return units.get(value, value)
    return value


def ring_evidence(ring: Ring) -> dict[str, Any]:
    """The ring's applications, its links (each key with the applications sharing it) and the drawing."""
    from django.urls import reverse

    from deposits.models import UnitAccount

    from ..rings_drawing import DrawNode, layout
    from ..services.rings import KIND_LABELS

    members = list(ring.members.select_related("person", "branch"))
    by_ref = {f"{m.app_kind}:{m.app_id}": m for m in members}
    for m in members:
        route = "staff:withdrawal" if m.app_kind == "withdrawal" else "staff:loan-application"
        m.url = reverse(route, args=[m.app_id])  # type: ignore[attr-defined]
    links = list(ring.links.all())
    unit_ids = [link.value for link in links if link.kind == "unit"]
    units = {str(pk): name for pk, name in UnitAccount.objects.filter(pk__in=unit_ids).values_list("pk", "employer__name")}
    flagged_kinds = {reason["rule"] for reason in ring.reasons}
    rows: list[dict[str, Any]] = []
    for link in links:
        apps = [by_ref[ref] for ref in link.members if ref in by_ref]
        rows.append({"kind": link.kind, "kind_label": KIND_LABELS.get(link.kind, link.kind),
                     "value": _shown(link.kind, link.value, units), "applications": apps, "links": link.links,
                     "flagged": link.kind in flagged_kinds})

    # The picture: people — their applications — the keys the applications share. A person key that is an
    # applicant's own ID number is drawn as that person, not as a key.
    nodes: dict[str, DrawNode] = {}
    edges: list[tuple[str, str]] = []
    applicants = {m.person.id_number: m.person for m in members}
    for m in members:
        nodes.setdefault(f"p{m.person_id}", DrawNode(id=f"p{m.person_id}", kind="person", label=m.person.name))
        nodes[f"{m.app_kind}:{m.app_id}"] = DrawNode(
            id=f"{m.app_kind}:{m.app_id}", kind="application", label=m.number, sub=m.get_app_kind_display(),
            url=m.url)  # type: ignore[attr-defined]
        edges.append((f"p{m.person_id}", f"{m.app_kind}:{m.app_id}"))
    for i, row in enumerate(rows):
        link = links[i]
        if link.kind == "person" and link.value in applicants:
            target = f"p{applicants[link.value].pk}"
        else:
            target = f"k{link.pk}"
            nodes[target] = DrawNode(id=target, kind="key", label=row["kind_label"], sub=row["value"],
                                     flagged=row["flagged"])
        edges += [(target, ref) for ref in link.members if ref in nodes]
    drawn = list(nodes.values())
    edges = list(dict.fromkeys(edges))
    return {"members": members, "links": rows, "nodes": drawn, "edges": layout(drawn, edges)}
