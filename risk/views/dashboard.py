"""The risk dashboard page (风险驾驶舱) for 风控 and the director."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from fund.portals.decorators import portal_required

from ..rate_chart import rate_chart, rate_text
from ..selectors.dashboard import dashboard_figures, dashboard_may_view


def _bars(rows: list[dict[str, Any]], label: str) -> list[dict[str, Any]]:
    """Rows with a "count" as includes/bar_chart.html items, the longest bar the largest count."""
    most = max((row["count"] for row in rows), default=0)
    return [{"label": row[label], "value": row["count"], "percent": round(row["count"] * 100 / most) if most else 0}
            for row in rows]


@portal_required("staff")
def staff_risk_dashboard(request: HttpRequest) -> HttpResponse:
    if not dashboard_may_view(request.user):
        raise PermissionDenied("风险驾驶舱仅供风控岗和中心领导查看")
    figures = dashboard_figures(request.user, on=timezone.localdate())
    return render(request, "risk/staff/dashboard.html", {
        "f": figures,
        "rate_text": rate_text(figures["rate"]["rate"]) if figures["rate"] else "—",
        "chart": rate_chart(figures["series"]),
        "ledger_sub": f"今日销号 {figures['ledger']['cleared']} 笔",
        "queue_sub": f"其中骗提骗贷 {figures['queue']['fraud_open']} 条",
        "stage_bars": _bars(figures["ledger"]["by_stage"], "label"),
        "collector_bars": _bars(figures["ledger"]["by_collector"], "collector"),
        "level_bars": _bars(figures["queue"]["by_level"], "label"),
        "age_bars": _bars(figures["queue"]["by_age"], "label"),
    })
