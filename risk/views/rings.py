"""Pages: the suspected rings (疑似团伙) list with the run-now button and its progress, and a ring's page with
the drawn graph and every link's evidence."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from fund.filters import page_filtered
from fund.portals.decorators import portal_required
from fund.views import attempt, form_submit

from ..models import RingState
from ..rings_filters import RingFilter, RingNoteForm
from ..selectors.rings import (
    link_graph_can_run,
    link_graph_latest_run,
    link_graph_run_get_for_user,
    link_graph_runs_for_user,
    ring_evidence,
    ring_get_for_user,
    ring_may_note,
    rings_for_user,
)
from ..services import rings as services
from ..services.rings import KIND_LABELS


@portal_required("staff")
def staff_rings(request: HttpRequest) -> HttpResponse:
    data = request.GET.copy()
    if "state" not in data:  # open rings first; 全部状态 (an empty state) shows the closed ones too
        data["state"] = RingState.OPEN
    filters, rings = page_filtered(request, RingFilter, rings_for_user(request.user), data=data)
    page = Paginator(rings, 20).get_page(request.GET.get("page"))
    live = link_graph_runs_for_user(request.user).filter(state__in=("queued", "running")).first()
    return render(request, "risk/staff/rings.html", {
        "page_obj": page, "filter_form": filters.form, "can_run": link_graph_can_run(request.user),
        "live_run": live, "latest": link_graph_latest_run(),
    })


@require_POST
@portal_required("staff")
def staff_rings_run(request: HttpRequest) -> HttpResponse:
    attempt(request, lambda: services.link_graph_run_request(actor=request.user), "已开始计算关联图谱，完成后列表自动更新")
    return redirect("staff:risk-rings")


@portal_required("staff")
def staff_rings_run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    run = link_graph_run_get_for_user(request.user, pk)
    return render(request, "risk/staff/_rings_run.html", {"run": run})


@require_http_methods(["GET", "POST"])
@portal_required("staff")
def staff_ring(request: HttpRequest, pk: int) -> HttpResponse:
    ring = ring_get_for_user(request.user, pk)
    form = RingNoteForm(request.POST or None, initial={"note": ring.note})
    if response := form_submit(request, form, lambda data: services.ring_note_set(actor=request.user, ring=ring, **data),
                               done="核查备注已保存", then=lambda saved: redirect("staff:risk-ring", pk=saved.pk)):
        return response
    return render(request, "risk/staff/ring_detail.html", {
        "ring": ring, "form": form, "may_note": ring_may_note(request.user), "kinds": KIND_LABELS,
        **ring_evidence(ring),
    })
