"""政策调整模拟 pages: the runs with the start form (prefilled from a scheduled change), a run's result side by
side with its chart, its progress while it runs, and its Excel export. Centre-wide directors only (404 else)."""

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from fund.exports import export_name, xlsx_response
from fund.policy.definitions import BY_NAME
from fund.policy.models import PolicyValue
from fund.portals.decorators import portal_required
from fund.views import form_submit

from .chart import money_chart
from .export import whatif_workbook
from .forms import ROWS, WhatIfForm
from .registry import replayers
from .selectors import (
    draft_values,
    scheduled_changes,
    scheduled_draft,
    whatif_changes,
    whatif_run_get_for_user,
    whatif_runs_for_user,
    whatif_summary,
)
from .services import last_full_month, whatif_can_run, whatif_run_create


def _initial(request: HttpRequest) -> dict[str, Any]:
    period = last_full_month(timezone.localdate())
    initial: dict[str, Any] = {"period_start": period.start, "period_end": period.end,
                               "replayers": [r.code for r in replayers()]}
    source_id = request.GET.get("from", "")
    source = PolicyValue.objects.filter(pk=int(source_id)).first() if source_id.isdigit() else None
    if source is not None and source in scheduled_changes():
        initial["source"] = source.pk
        initial["title"] = f"{source.effective_from:%Y-%m-%d} 起生效的政策调整"
        for i, (name, stored) in enumerate(list(scheduled_draft(source).items())[:ROWS], start=1):
            definition = BY_NAME[name]
            initial[f"name_{i}"] = name
            initial[f"value_{i}"] = definition.display_input(definition.parse(stored))
    return initial


@require_http_methods(["GET", "POST"])
@portal_required("staff")
def whatif_runs(request: HttpRequest) -> HttpResponse:
    if not whatif_can_run(request.user):
        raise Http404("未找到，或您无权访问")
    form = WhatIfForm(request.POST or None, initial=_initial(request))

    def start(data: dict[str, Any]) -> Any:
        source = PolicyValue.objects.filter(pk=data["source"]).first() if data.get("source") else None
        return whatif_run_create(actor=request.user, values=form.draft(), replayers=data["replayers"],
                                 start=data["period_start"], end=data["period_end"], source=source, title=data["title"])

    if response := form_submit(request, form, start, done="已开始模拟，完成后显示结果",
                               then=lambda run: redirect("staff:whatif_run", pk=run.pk)):
        return response
    page = Paginator(whatif_runs_for_user(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "whatif/runs.html", {
        "form": form, "page_obj": page, "scheduled": scheduled_changes(),
    }, status=400 if request.method == "POST" else 200)


@portal_required("staff")
def whatif_run(request: HttpRequest, pk: int) -> HttpResponse:
    run = whatif_run_get_for_user(request.user, pk)
    summary = whatif_summary(run) if run.state == "done" else None
    changes = Paginator(whatif_changes(run), 50).get_page(request.GET.get("page")) if summary else None
    return render(request, "whatif/run.html", {
        "run": run, "values": draft_values(run), "summary": summary, "page_obj": changes,
        "chart": money_chart(summary.months) if summary else None,
    })


@portal_required("staff")
def whatif_run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    run = whatif_run_get_for_user(request.user, pk)
    response = render(request, "whatif/_progress.html", {"run": run})
    if not run.live:  # finished: the page reloads to show the result
        response["HX-Refresh"] = "true"
    return response


@portal_required("staff")
def whatif_run_export(request: HttpRequest, pk: int) -> HttpResponse:
    run = whatif_run_get_for_user(request.user, pk)
    if run.state != "done":
        raise Http404("模拟尚未完成")
    return xlsx_response(whatif_workbook(run), export_name(f"政策调整模拟-{run.number}"))
