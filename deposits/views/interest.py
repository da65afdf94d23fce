"""Pages: the annual interest settlement (年终结息) — runs by year, live progress, start for 财务/director."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from fund.portals.decorators import portal_required

from ..models import InterestRun, InterestRunState
from ..services.interest import (
    interest_can_start,
    interest_period,
    interest_run_start,
    interest_run_totals,
    interest_year_to_settle,
)


def _last_ended_year() -> int:
    today = timezone.localdate()
    return today.year if (today.month, today.day) > (6, 30) else today.year - 1


def _run_context(run: InterestRun) -> dict:
    return {
        "run": run,
        "live": run.state in (InterestRunState.PENDING, InterestRunState.RUNNING),
        "totals": interest_run_totals(run) if run.state == InterestRunState.DONE else None,
    }


@portal_required("staff")
def staff_interest(request: HttpRequest) -> HttpResponse:
    runs = list(InterestRun.objects.select_related("started_by").order_by("-year"))
    last_ended = _last_ended_year()
    # Years are settled in order: while an earlier year is still owed to accounts, that is the one offered.
    year = interest_year_to_settle(last_ended)
    start, end = interest_period(year)
    return render(request, "deposits/interest/runs.html", {
        "runs": [_run_context(r) for r in runs],
        "can_start": interest_can_start(request.user),
        "next_year": year, "next_start": start, "next_end": end, "last_ended": last_ended,
        "next_run": next((r for r in runs if r.year == year), None),
    })


@portal_required("staff")
def staff_interest_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment the runs page polls (htmx, every 2 s while a run is going)."""
    run = get_object_or_404(InterestRun, pk=pk)
    return render(request, "deposits/interest/_run.html", _run_context(run))


@require_POST
@portal_required("staff")
def staff_interest_start(request: HttpRequest) -> HttpResponse:
    if not interest_can_start(request.user):
        raise PermissionDenied("只有全中心范围的财务或主任岗位可以结息")
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        messages.error(request, "结息年度：请填写年份")
        return redirect("staff:interest")
    try:
        run = interest_run_start(year=year, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, f"结息年度：{message}")
    else:
        messages.success(request, f"{run.year}年度结息已{'完成' if run.state == InterestRunState.DONE else '开始'}")
    return redirect("staff:interest")


staff_patterns = [
    path("interest/", staff_interest, name="interest"),
    path("interest/start/", staff_interest_start, name="interest_start"),
    path("interest/<int:pk>/progress/", staff_interest_progress, name="interest_progress"),
]
