"""综合窗口 · 服务效能: the centre's own measures for a chosen period, with monthly trends, the tables by item and
by branch, and the Excel of the same figures. Centre-wide staff and branch heads (fund.measures.selectors);
anyone else 404."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from fund.catalogue.registry import catalogue_items
from fund.exports import export_name, xlsx_response
from fund.portals.decorators import portal_required

from .exports import measures_workbook
from .forms import MeasuresForm, Period, form_errors, period_from
from .presenting import report_context
from .selectors import Report, item_name, measures_report, measures_scope_or_404


def _report(request: HttpRequest) -> tuple[MeasuresForm, Period, Report]:
    measures_scope_or_404(request.user)
    form = MeasuresForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        for errors in form_errors(form).values():
            for error in errors:
                messages.error(request, error)
    period = period_from(form, timezone.localdate())
    report = measures_report(user=request.user, start=period.start, end=period.end, branch_id=period.branch_id,
                             item_code=period.item_code)
    return form, period, report


@portal_required("staff")
def staff_measures(request: HttpRequest) -> HttpResponse:
    form, period, report = _report(request)
    return render(request, "measures/staff/dashboard.html", {
        **report_context(report), "form": form, "period": period, "query": request.GET.urlencode(),
        "catalogue": catalogue_items(), "item_label": item_name(period.item_code) if period.item_code else "全部事项",
        "branch_label": report.branch.name if report.branch else report.scope.label,
    })


@portal_required("staff")
def staff_measures_export(request: HttpRequest) -> HttpResponse:
    _form, period, report = _report(request)
    content = measures_workbook(report, branch_label=report.branch.name if report.branch else report.scope.label,
                                item_label=item_name(period.item_code) if period.item_code else "全部事项")
    return xlsx_response(content, export_name(f"服务效能-{report.start:%Y%m}-{report.end:%Y%m}"))
