"""综合窗口 · 年度利率调整与贴息: what the first close of a year did — the loans re-priced on 1 January (old → new
rate) and the 贴息 refunds of the year before (list, totals, state). The roll's counts per close are on the
close's own page (step loans.year_roll)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from fund.portals.decorators import portal_required

from ..selectors.yearly import year_summary

FIRST_YEAR = 2000


@portal_required("staff")
def staff_loan_yearly(request: HttpRequest) -> HttpResponse:
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year") or this_year)
    except ValueError:
        year = this_year
    year = min(max(year, FIRST_YEAR), this_year + 1)  # any other number is this page's edge, never a 500
    return render(request, "loans/staff/yearly.html", {
        "summary": year_summary(user=request.user, year=year), "years": range(this_year + 1, this_year - 5, -1),
    })


staff_patterns = [path("loans/yearly/", staff_loan_yearly, name="loan-yearly")]
