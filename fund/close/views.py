"""Pages: 日终处理 — the business date, the runs with each step's state, counts and time, live progress, and
the director's button that queues a catch-up of every date whose close is due."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from fund.portals.decorators import portal_required

from .models import CloseRun, CloseRunState
from .selectors import (
    business_date_current,
    close_date_due,
    close_dates_pending,
    close_may_start,
    close_may_view,
    close_run_live,
    close_runs,
)
from .services import close_catch_up_queue

# After the button, the status card polls until a run shows up or this many seconds pass (a worker may be busy).
WAIT_SECONDS = 600


def _viewer(request: HttpRequest) -> None:
    if not close_may_view(request.user):
        raise Http404("未找到，或您无权访问")


def _progress(run: CloseRun) -> int:
    steps = list(run.steps.all())
    if not steps:
        return 100 if run.state == CloseRunState.DONE else 0
    return int(100 * sum(1 for s in steps if s.state == "done") / len(steps))


def _waiting_since(request: HttpRequest) -> datetime | None:
    """The moment the director queued a catch-up (?since=epoch seconds), while it is recent."""
    try:
        since = datetime.fromtimestamp(int(request.GET.get("since", "")), tz=UTC)
    except (ValueError, OverflowError, OSError):
        return None
    return since if 0 <= (timezone.now() - since).total_seconds() < WAIT_SECONDS else None


def _status_context(request: HttpRequest) -> dict[str, Any]:
    live = close_run_live()
    since = _waiting_since(request)
    # A run created or resumed since then has touched its heartbeat.
    started = since is not None and CloseRun.objects.filter(heartbeat_at__gte=since).exists()
    due = close_date_due()
    return {
        "business_date": business_date_current(), "due_through": due, "close_hour": settings.FUND_CLOSE_HOUR, "pending": close_dates_pending(due),
        "live": live, "live_percent": _progress(live) if live else 0,
        # Polling goes on while a run is going, or until the queued one starts.
        "poll": live is not None or (since is not None and not started),
        "since": request.GET.get("since", "") if since else "",
    }


@portal_required("staff")
def staff_close(request: HttpRequest) -> HttpResponse:
    _viewer(request)
    page = Paginator(close_runs(), 20).get_page(request.GET.get("page"))
    runs = [{"run": run, "percent": _progress(run)} for run in page]
    return render(request, "close/runs.html", {
        **_status_context(request), "page_obj": page, "runs": runs, "can_start": close_may_start(request.user),
    })


@portal_required("staff")
def staff_close_status(request: HttpRequest) -> HttpResponse:
    """The status card the page polls (htmx, every 2 s while a close is going)."""
    _viewer(request)
    return render(request, "close/_status.html", _status_context(request))


@require_POST
@portal_required("staff")
def staff_close_start(request: HttpRequest) -> HttpResponse:
    _viewer(request)
    if not close_may_start(request.user):
        raise PermissionDenied("只有全中心范围的主任岗位可以发起日终处理")
    try:
        dates = close_catch_up_queue(actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, f"日终处理：{message}")
        return redirect("staff:close")
    if not dates:
        messages.info(request, f"日终已处理至 {close_date_due():%Y-%m-%d}，无需执行")
        return redirect("staff:close")
    span = f"{dates[0]:%Y-%m-%d}" if len(dates) == 1 else f"{dates[0]:%Y-%m-%d} 至 {dates[-1]:%Y-%m-%d}（{len(dates)} 个营业日）"
    messages.success(request, f"已提交日终处理：{span}，按日期依次执行")
    return redirect(f"{reverse('staff:close')}?since={int(timezone.now().timestamp()) - 1}")


staff_patterns = [
    path("close/", staff_close, name="close"),
    path("close/status/", staff_close_status, name="close_status"),
    path("close/start/", staff_close_start, name="close_start"),
]
