"""综合窗口 · 贷款办理时效: the median time from acceptance to disbursement and the visits per loan, overall,
by channel and by branch, over a period the user picks (the last twelve months by default)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from fund.dates import months_ago
from fund.portals.decorators import portal_required

from ..selectors.timing import TimingRow, loan_timing


class PeriodForm(forms.Form):
    start = forms.DateField(label="放款日期自", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="至", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", "截止日期不能早于起始日期")
        return data


def _bars(rows: list[TimingRow]) -> list[dict[str, Any]]:
    longest = max((r.median_minutes or 0 for r in rows), default=0) or 1
    return [{"label": f"{r.label}（{r.loans}笔）", "value": r.median_text,
             "percent": round(100 * (r.median_minutes or 0) / longest)} for r in rows]


@portal_required("staff")
def staff_loan_timing(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = PeriodForm(request.GET or None)
    start: date = months_ago(today, 12)
    end: date = today
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    timing = loan_timing(user=request.user, start=start, end=end)
    return render(request, "loans/staff/timing.html", {
        "form": form, "timing": timing, "channel_bars": _bars(timing.by_channel), "branch_bars": _bars(timing.by_branch),
    })


staff_patterns = [path("loans/timing/", staff_loan_timing, name="loan-timing")]
