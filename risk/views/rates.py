"""Pages: the overdue rate (个贷逾期率) by day, branch and bank; the five-tier classification with one loan's
history. Staff only (portal_required), each reading through risk.selectors.rates, scoped to the user's branch."""

from __future__ import annotations

from datetime import timedelta

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from fund.filters import page_filtered
from fund.money import ZERO
from fund.portals.decorators import portal_required

from ..filters_rates import TierFilter
from ..rate_chart import rate_bars, rate_chart, rate_text
from ..selectors.rates import (
    classified_loans,
    rate_breakdown,
    rate_latest_date,
    rate_series,
    rate_view_for_user,
    tier_counts,
    tier_history_for_user,
)
from ..selectors.tiers import tier_thresholds

PERIODS = {"30": 30, "90": 90, "365": 365}


@portal_required("staff")
def staff_rates(request: HttpRequest) -> HttpResponse:
    days = PERIODS.get(request.GET.get("days", ""), 90)
    today = timezone.localdate()
    latest = rate_latest_date(request.user, on=today)
    series = rate_series(request.user, on=latest, days=days) if latest else []
    breakdown = rate_breakdown(request.user, on=latest) if latest else {"branches": [], "banks": []}
    last = series[-1] if series else None
    view = rate_view_for_user(request.user)
    return render(request, "risk/staff/rates.html", {
        "latest": latest, "last": last, "last_rate": rate_text(last["rate"]) if last else "—",
        "chart": rate_chart(series),
        "series": [{**r, "rate_text": rate_text(r["rate"])} for r in reversed(series[-31:])], "days": days, "periods": PERIODS,
        "scope_label": view.label if view else "",
        "branches": [{**r, "rate_text": rate_text(r["rate"])} for r in breakdown["branches"]],
        "banks": [{**r, "rate_text": rate_text(r["rate"])} for r in breakdown["banks"]],
        "branch_bars": rate_bars(breakdown["branches"]), "bank_bars": rate_bars(breakdown["banks"]),
        "first_date": latest - timedelta(days=days - 1) if latest else None,
    })


@portal_required("staff")
def staff_tiers(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    counts = tier_counts(request.user, on=today)
    total = sum(r["count"] for r in counts)
    filters, rows = page_filtered(request, TierFilter, classified_loans(request.user))
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    bars = [{"label": r["label"], "value": r["count"], "percent": round(r["count"] * 100 / total, 1) if total else 0}
            for r in counts]
    return render(request, "risk/staff/tiers.html", {
        "counts": counts, "bars": bars, "total": total, "total_balance": sum((r["balance"] for r in counts), ZERO),
        "limits": tier_thresholds(today), "page_obj": page, "filter_form": filters.form, "today": today})


@portal_required("staff")
def staff_tier_history(request: HttpRequest, pk: int) -> HttpResponse:
    history = tier_history_for_user(request.user, pk)
    return render(request, "risk/staff/tier_history.html", {"history": history, "loan": history.loan})
