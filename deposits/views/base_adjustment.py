"""Pages for base adjustment (调基): the unit hall's yearly upload and the window's, and one member's change.

The unit hall and the staff workspace share the templates; each view says which portal it renders in and
hands the template its URLs.
"""

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import content_disposition_header

from fund.audit.services import audit_log, person_viewed
from fund.dates import add_months
from fund.exports import XLSX
from fund.money import format_money
from fund.people.selectors import get_or_404, scoped
from fund.policy.selectors import PolicyMissing
from fund.portals.decorators import portal_required
from fund.views import apply_errors, form_submit

from ..models import BaseAdjustmentBatch, MemberAccount, UnitAccount
from ..selectors import operator_unit_account, unit_account_get_for_user
from ..services.base_adjustment import (
    ADJUSTMENT_MONTH,
    MAX_ROWS,
    adjustable_members,
    base_adjust,
    base_batch_report,
    base_template,
    base_upload,
    current_ratios,
    default_year,
    next_adjustable_month,
)
from ..services.contribution import base_bounds

MONTH_INPUT = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


class YearForm(forms.Form):
    year = forms.IntegerField(label="调整年度", min_value=2000, max_value=2100)


class BaseUploadForm(forms.Form):
    year = forms.IntegerField(label="调整年度", min_value=2000, max_value=2100)
    effective_month = forms.DateField(
        label="生效年月", required=False, input_formats=["%Y-%m"], widget=MONTH_INPUT,
        help_text=f"不填则为调整年度的{ADJUSTMENT_MONTH}月",
    )
    # Empty files reach the service, which answers with the same report as for any other bad file.
    file = forms.FileField(
        label="调基名单（.xlsx）", allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
        help_text=f"使用本页下载的模板填写；最多 {MAX_ROWS} 行。任何一行有误，整份文件不生效。",
    )


class MemberBaseForm(forms.Form):
    new_base = forms.DecimalField(label="新缴存基数（元）", max_digits=12, decimal_places=2, min_value=0)
    effective_month = forms.DateField(label="生效年月", input_formats=["%Y-%m"], widget=MONTH_INPUT)


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response




def _may_write(request: HttpRequest, unit: UnitAccount) -> bool:
    """受理 staff (or a director) in scope, or the unit's own operator; 稽核 and other posts read only."""
    roles = request.roles
    return roles.can_accept or any(e.pk == unit.employer_id for e in roles.employers)


def _adjustable_accounts(user: Any) -> Any:
    """Member accounts a user may adjust: staff by branch, operators by employer. A member's own login
    does not reach here (members read their base, they do not set it)."""
    queryset = MemberAccount.objects.select_related("person", "unit__employer", "sub_account")
    return scoped(queryset, user, branch="unit__employer__branch", employer="unit__employer")


class Portal:
    """Where a page renders: its base layout and how its URLs are named."""

    def __init__(self, name: str, unit: UnitAccount) -> None:
        self.name, self.unit = name, unit
        self.layout = f"{name}/base.html"

    def url(self, what: str, *args: Any) -> str:
        if self.name == "staff":
            return reverse(f"staff:unit_base{what}", args=[self.unit.pk, *args])
        return reverse(f"unit:base{what}", args=list(args))

    def member_url(self, account: MemberAccount) -> str:
        return reverse(f"{self.name}:member_base", args=[account.pk])

    def back_url(self) -> str:
        return self.url("")


def _decorate(portal: Portal, batches: Any) -> list[BaseAdjustmentBatch]:
    out = list(batches)
    for batch in out:
        batch.detail_url = portal.url("_batch", batch.pk)
        batch.report_url = portal.url("_report", batch.pk)
        batch.error_count = len(batch.errors)
    return out


def _policy_note(year: int) -> dict[str, Any]:
    on = date(year, ADJUSTMENT_MONTH, 1)
    try:
        floor, cap = base_bounds(on)
    except PolicyMissing:  # a year without policy rows: the page still renders
        return {}
    return {"on": on, "floor": floor, "cap": cap}


def _handle_upload(request: HttpRequest, portal: Portal, form: BaseUploadForm) -> HttpResponse | None:
    if not form.is_valid():
        return None
    try:
        batch = base_upload(
            actor=request.user, unit=portal.unit, year=form.cleaned_data["year"],
            file=form.cleaned_data["file"], effective_month=form.cleaned_data["effective_month"],
        )
    except ValidationError as exc:
        apply_errors(form, exc)
        return None
    # The batch's page says where it stands (queued with progress, applied, or rejected with its report); a
    # flash message would only repeat it.
    return redirect(portal.url("_batch", batch.pk))


def _base_page(request: HttpRequest, portal: Portal) -> HttpResponse:
    unit = portal.unit
    may_write = _may_write(request, unit)
    year = default_year()
    form = BaseUploadForm(initial={"year": year})
    if request.method == "POST":
        if not may_write:
            raise PermissionDenied("您的岗位不能办理此业务")
        form = BaseUploadForm(request.POST, request.FILES)
        response = _handle_upload(request, portal, form)
        if response is not None:
            return response
    batches = _decorate(portal, BaseAdjustmentBatch.objects.filter(unit=unit).select_related("uploaded_by")[:20])
    members = Paginator(adjustable_members(unit), 20).get_page(request.GET.get("page"))
    for account in members:
        account.adjust_url = portal.member_url(account)
    return render(request, "deposits/base_adjustment/unit_base.html", {
        "layout": portal.layout, "portal": portal.name, "unit": unit, "form": form, "may_write": may_write,
        "year_form": YearForm(initial={"year": year}), "template_url": portal.url("_template"),
        "batches": batches, "page_obj": members, "policy": _policy_note(year),
    })


def _template_download(request: HttpRequest, portal: Portal) -> HttpResponse:
    form = YearForm(request.GET or {"year": default_year()})
    if not form.is_valid():
        messages.error(request, "调整年度：请填写四位年份")
        return redirect(portal.back_url())
    try:
        content = base_template(unit=portal.unit, year=form.cleaned_data["year"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(portal.back_url())
    audit_log(actor=request.user, action="deposits.base_template.downloaded", target=portal.unit,
              new={"year": form.cleaned_data["year"]})
    return _xlsx(content, f"{portal.unit.number}-{form.cleaned_data['year']}年度缴存基数调整表.xlsx")


def _batch_page(request: HttpRequest, portal: Portal, batch_pk: int) -> HttpResponse:
    batch = get_or_404(BaseAdjustmentBatch.objects.filter(unit=portal.unit).select_related("uploaded_by"), pk=batch_pk)
    _decorate(portal, [batch])
    may_write = _may_write(request, portal.unit)
    errors = Paginator(batch.errors, 50).get_page(request.GET.get("page"))
    adjustments = Paginator(
        batch.adjustments.select_related("account__person").order_by("account__number"), 50
    ).get_page(request.GET.get("page"))
    form = BaseUploadForm(initial={"year": batch.year})
    return render(request, "deposits/base_adjustment/batch.html", {
        "layout": portal.layout, "portal": portal.name, "unit": portal.unit, "batch": batch,
        "errors_page": errors, "adjustments": adjustments, "form": form, "may_write": may_write,
        "upload_url": portal.back_url(), "back_url": portal.back_url(),
        "progress_url": portal.url("_progress", batch.pk),
    })


def _batch_progress(request: HttpRequest, portal: Portal, batch_pk: int) -> HttpResponse:
    """The progress fragment the batch page polls (htmx, every 2 s while the batch is queued or checking);
    once the check has finished, htmx is told to reload the page, which then shows the result."""
    batch = get_or_404(BaseAdjustmentBatch.objects.filter(unit=portal.unit), pk=batch_pk)
    response = render(request, "deposits/base_adjustment/_progress.html",
                      {"batch": batch, "progress_url": portal.url("_progress", batch.pk)})
    if not batch.live:
        response["HX-Refresh"] = "true"
    return response


def _batch_report(request: HttpRequest, portal: Portal, batch_pk: int) -> HttpResponse:
    """The error report stored when the batch's check finished (built once, fetched as stored)."""
    batch = get_or_404(BaseAdjustmentBatch.objects.filter(unit=portal.unit), pk=batch_pk)
    content = base_batch_report(batch)
    if content is None:
        raise Http404("该批次没有错误说明")
    return _xlsx(content, f"{portal.unit.number}-{batch.year}年度调基-错误说明-{batch.pk}.xlsx")


def _member_page(request: HttpRequest, portal_name: str, account: MemberAccount) -> HttpResponse:
    portal = Portal(portal_name, account.unit)
    if portal_name == "staff" and request.method == "GET":
        person_viewed(actor=request.user, person=account.person, context=f"综合窗口查看缴存基数 {account.number}")
    may_write = _may_write(request, account.unit)
    form = MemberBaseForm(initial={"effective_month": next_adjustable_month(account), "new_base": account.base})
    if request.method == "POST":
        if not may_write:
            raise PermissionDenied("您的岗位不能办理此业务")
        form = MemberBaseForm(request.POST)
        if response := form_submit(
            request, form, lambda data: base_adjust(actor=request.user, account=account, **data),
            done=lambda adjustment: (
                f"{account.person.name} 的缴存基数自 {adjustment.effective_month:%Y年%m月} 起调整为 "
                f"{format_money(adjustment.new_base)} 元，月缴存额 {format_money(adjustment.unit_monthly + adjustment.member_monthly)} 元"
            ),
            then=lambda _: redirect(portal.member_url(account)),
        ):
            return response
    unit_ratio, member_ratio = current_ratios(account)
    history = account.base_adjustments.select_related("actor", "batch").order_by("-id")[:20]
    return render(request, "deposits/base_adjustment/member_base.html", {
        "layout": portal.layout, "portal": portal_name, "account": account, "form": form, "may_write": may_write,
        "history": history, "unit_ratio": unit_ratio, "member_ratio": member_ratio,
        "back_url": portal.back_url(), "latest_month": add_months(next_adjustable_month(account), 12),
    })


# 综合窗口 ---------------------------------------------------------------------------------------------

@portal_required("staff")
def staff_unit_base(request: HttpRequest, pk: int) -> HttpResponse:
    return _base_page(request, Portal("staff", unit_account_get_for_user(user=request.user, pk=pk)))


@portal_required("staff")
def staff_unit_base_template(request: HttpRequest, pk: int) -> HttpResponse:
    return _template_download(request, Portal("staff", unit_account_get_for_user(user=request.user, pk=pk)))


@portal_required("staff")
def staff_unit_base_batch(request: HttpRequest, pk: int, batch: int) -> HttpResponse:
    return _batch_page(request, Portal("staff", unit_account_get_for_user(user=request.user, pk=pk)), batch)


@portal_required("staff")
def staff_unit_base_progress(request: HttpRequest, pk: int, batch: int) -> HttpResponse:
    return _batch_progress(request, Portal("staff", unit_account_get_for_user(user=request.user, pk=pk)), batch)


@portal_required("staff")
def staff_unit_base_report(request: HttpRequest, pk: int, batch: int) -> HttpResponse:
    return _batch_report(request, Portal("staff", unit_account_get_for_user(user=request.user, pk=pk)), batch)


@portal_required("staff")
def staff_member_base(request: HttpRequest, pk: int) -> HttpResponse:
    return _member_page(request, "staff", get_or_404(_adjustable_accounts(request.user), pk=pk))


# 单位网厅 ---------------------------------------------------------------------------------------------

@portal_required("unit")
def unit_base(request: HttpRequest) -> HttpResponse:
    return _base_page(request, Portal("unit", operator_unit_account(request.user)))


@portal_required("unit")
def unit_base_template(request: HttpRequest) -> HttpResponse:
    return _template_download(request, Portal("unit", operator_unit_account(request.user)))


@portal_required("unit")
def unit_base_batch(request: HttpRequest, batch: int) -> HttpResponse:
    return _batch_page(request, Portal("unit", operator_unit_account(request.user)), batch)


@portal_required("unit")
def unit_base_progress(request: HttpRequest, batch: int) -> HttpResponse:
    return _batch_progress(request, Portal("unit", operator_unit_account(request.user)), batch)


@portal_required("unit")
def unit_base_report(request: HttpRequest, batch: int) -> HttpResponse:
    return _batch_report(request, Portal("unit", operator_unit_account(request.user)), batch)


@portal_required("unit")
def unit_member_base(request: HttpRequest, pk: int) -> HttpResponse:
    unit = operator_unit_account(request.user)
    return _member_page(request, "unit", get_or_404(_adjustable_accounts(request.user).filter(unit=unit), pk=pk))


staff_patterns = [
    path("units/<int:pk>/base/", staff_unit_base, name="unit_base"),
    path("units/<int:pk>/base/template/", staff_unit_base_template, name="unit_base_template"),
    path("units/<int:pk>/base/batches/<int:batch>/", staff_unit_base_batch, name="unit_base_batch"),
    path("units/<int:pk>/base/batches/<int:batch>/progress/", staff_unit_base_progress, name="unit_base_progress"),
    path("units/<int:pk>/base/batches/<int:batch>/report/", staff_unit_base_report, name="unit_base_report"),
    path("members/<int:pk>/base/", staff_member_base, name="member_base"),
]
unit_patterns = [
    path("base/", unit_base, name="base"),
    path("base/template/", unit_base_template, name="base_template"),
    path("base/batches/<int:batch>/", unit_base_batch, name="base_batch"),
    path("base/batches/<int:batch>/progress/", unit_base_progress, name="base_progress"),
    path("base/batches/<int:batch>/report/", unit_base_report, name="base_report"),
    path("base/members/<int:pk>/", unit_member_base, name="member_base"),
]
