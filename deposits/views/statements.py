"""Pages: member statements with filters and Excel export, the deposit certificate, the unit's roster and
bill history exports, and the staff arrears list. Every fetch goes through the selectors (404 outside scope).
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from fund.audit.services import audit_log, person_viewed
from fund.exports import export_name, xlsx_response
from fund.people.selectors import get_or_404
from fund.portals.decorators import portal_required
from fund.printing.models import Document
from fund.views import apply_errors

from ..exports import bills_workbook, roster_workbook, statement_workbook
from ..models import MemberAccount, UnitAccount
from ..pdf import DEPOSIT_CERTIFICATE, PURPOSE_MAX_LENGTH, deposit_certificate_request
from ..selectors import (
    member_account_get_for_user,
    member_accounts_for_user,
    member_own_account,
    operator_unit_account,
    unit_account_get_for_user,
    unit_accounts_for_user,
)
from ..selectors.arrears import arrears_list, last_reminders
from ..selectors.statements import (
    STATEMENT_TYPES,
    StatementFilter,
    member_statement_rows,
    statement_filter_parse,
    unit_bill_history,
    unit_roster,
)

# The query names are the API's (from, to, type), so a page's filter and its export link share them.
StatementFilterForm = type(
    "StatementFilterForm",
    (forms.Form,),
    {
        "from": forms.CharField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})),
        "to": forms.CharField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"})),
        "type": forms.ChoiceField(label="业务类型", required=False, choices=[("", "全部")] + STATEMENT_TYPES),
    },
)


class CertificateForm(forms.Form):
    purpose = forms.CharField(
        label="用途", required=False, max_length=PURPOSE_MAX_LENGTH,
        help_text="如：办理住房贷款、申请公积金贷款；不填则写“证明该职工住房公积金缴存情况”",
    )


def _filters(request: HttpRequest) -> tuple[forms.Form, StatementFilter | None]:
    """The filter form bound to the query string, and the parsed filter (None when any value is bad)."""
    form = StatementFilterForm(request.GET or None)
    try:
        filters = statement_filter_parse(
            date_from=request.GET.get("from"), date_to=request.GET.get("to"), business_type=request.GET.get("type")
        )
    except ValidationError as exc:
        form.is_valid()  # binds cleaned_data so add_error may be used
        apply_errors(form, exc)
        return form, None
    return form, filters


def _statement_page(
    request: HttpRequest, account: MemberAccount, *, base: str, export_url: str, extra: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    form, filters = _filters(request)
    rows = None
    if filters is not None:
        rows = Paginator(member_statement_rows(account=account, filters=filters), 20).get_page(request.GET.get("page"))
    elif status == 200:
        status = 400
    context = {
        "base_template": base, "account": account, "form": form, "statement": rows, "export_url": export_url,
        "query": request.GET.urlencode(), **(extra or {}),
    }
    return render(request, "deposits/statements/statement.html", context, status=status)


def _statement_export(request: HttpRequest, account: MemberAccount, *, page: Any) -> HttpResponse:
    """The .xlsx of the filtered statement; bad filter values show the page with the errors (400)."""
    _, filters = _filters(request)
    if filters is None:
        return page(status=400)
    rows = member_statement_rows(account=account, filters=filters, newest_first=False)
    content = statement_workbook(account=account, rows=rows.iterator(chunk_size=2000), filters=filters)
    return xlsx_response(content, export_name(f"个人明细-{account.number}"))


def _documents_for(account: MemberAccount, user: Any, *, mine_only: bool) -> Any:
    documents = Document.objects.filter(subject=account.person, kind=DEPOSIT_CERTIFICATE)
    if mine_only:
        documents = documents.filter(requested_by=user)
    return documents.order_by("-id")[:10]


def _certificate_post(request: HttpRequest, account: MemberAccount) -> forms.Form | None:
    """Issue the certificate from a POST; the form with its errors when the input is bad, else None."""
    form = CertificateForm(request.POST)
    if form.is_valid():
        try:
            deposit_certificate_request(account=account, requested_by=request.user, purpose=form.cleaned_data["purpose"])
        except ValidationError as exc:
            apply_errors(form, exc)
            return form
        messages.info(request, "缴存证明正在生成，稍后刷新本页即可下载。")
        return None
    return form


# 综合窗口 ---------------------------------------------------------------------------------------------

@portal_required("staff")
def staff_member_statement(request: HttpRequest, pk: int, status: int = 200) -> HttpResponse:
    account = member_account_get_for_user(user=request.user, pk=pk)
    if status == 200:
        person_viewed(actor=request.user, person=account.person, context=f"综合窗口查询个人明细 {account.number}")
    return _statement_page(
        request, account, base="staff/base.html",
        export_url=reverse("staff:member_statement_export", args=[account.pk]),
        extra={"back_url": reverse("staff:member_detail", args=[account.pk]),
               "certificate_url": reverse("staff:member_certificate", args=[account.pk]),
               "certificate_form": CertificateForm(),
               "documents": _documents_for(account, request.user, mine_only=False)},
        status=status,
    )


@portal_required("staff")
def staff_member_statement_export(request: HttpRequest, pk: int) -> HttpResponse:
    account = member_account_get_for_user(user=request.user, pk=pk)
    person_viewed(actor=request.user, person=account.person, context=f"综合窗口导出个人明细 {account.number}")
    return _statement_export(request, account, page=lambda status: staff_member_statement(request, pk, status=status))


@require_POST
@portal_required("staff")
def staff_member_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    account = member_account_get_for_user(user=request.user, pk=pk)
    form = _certificate_post(request, account)
    if form is not None:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"用途：{error}")
    return redirect("staff:member_statement", pk=account.pk)


def _unit_export_allowed(request: HttpRequest, pk: int) -> UnitAccount:
    return unit_account_get_for_user(user=request.user, pk=pk)


def _roster_response(request: HttpRequest, unit: UnitAccount) -> HttpResponse:
    members = unit_roster(unit=unit, members=member_accounts_for_user(request.user))
    audit_log(actor=request.user, action="deposits.roster.exported", target=unit, new={"rows": members.count()})
    return xlsx_response(roster_workbook(unit=unit, members=members.iterator(chunk_size=2000)), export_name(f"职工名册-{unit.number}"))


def _bills_response(unit: UnitAccount) -> HttpResponse:
    return xlsx_response(bills_workbook(unit=unit, bills=unit_bill_history(unit=unit)), export_name(f"汇补缴记录-{unit.number}"))


@portal_required("staff")
def staff_unit_roster_export(request: HttpRequest, pk: int) -> HttpResponse:
    return _roster_response(request, _unit_export_allowed(request, pk))


@portal_required("staff")
def staff_unit_bills_export(request: HttpRequest, pk: int) -> HttpResponse:
    return _bills_response(_unit_export_allowed(request, pk))


@portal_required("staff")
def staff_arrears(request: HttpRequest) -> HttpResponse:
    """催建催缴: units in the user's scope behind on remittance, with a chart of the worst."""
    on = timezone.localdate()
    rows = arrears_list(on=on, units=unit_accounts_for_user(request.user))
    reminders = last_reminders([r.unit.pk for r in rows])
    for row in rows:
        row.reminder = reminders.get(row.unit.pk)
    worst = max((r.months_owed for r in rows), default=0)
    chart = [
        {"label": r.unit.employer.name, "value": r.months_owed, "percent": round(100 * r.months_owed / worst)}
        for r in rows[:12]
    ]
    totals = {
        "units": len(rows),
        "members": sum(r.members_affected for r in rows),
        "amount": sum((r.amount_owed for r in rows), start=0),
    }
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(
        request, "deposits/statements/arrears.html",
        {"page_obj": page, "chart": chart, "totals": totals, "on": on, "month": on.replace(day=1)},
    )


# 单位网厅 ---------------------------------------------------------------------------------------------



def _unit_member(request: HttpRequest, pk: int) -> MemberAccount:
    """A member of this operator's unit; anyone else's account (even one the user holds as a member) is 404."""
    unit = operator_unit_account(request.user)
    return get_or_404(member_accounts_for_user(request.user).filter(unit=unit), pk=pk)


@portal_required("unit")
def unit_member_statement(request: HttpRequest, pk: int, status: int = 200) -> HttpResponse:
    account = _unit_member(request, pk)
    if status == 200:
        person_viewed(actor=request.user, person=account.person, context=f"单位网厅查询个人明细 {account.number}")
    return _statement_page(
        request, account, base="unit/base.html",
        export_url=reverse("unit:member_statement_export", args=[account.pk]),
        extra={"back_url": reverse("unit:members"),
               "certificate_url": reverse("unit:member_certificate", args=[account.pk]),
               "certificate_form": CertificateForm(),
               "documents": _documents_for(account, request.user, mine_only=True)},
        status=status,
    )


@portal_required("unit")
def unit_member_statement_export(request: HttpRequest, pk: int) -> HttpResponse:
    account = _unit_member(request, pk)
    person_viewed(actor=request.user, person=account.person, context=f"单位网厅导出个人明细 {account.number}")
    return _statement_export(request, account, page=lambda status: unit_member_statement(request, pk, status=status))


@require_POST
@portal_required("unit")
def unit_member_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    account = _unit_member(request, pk)
    form = _certificate_post(request, account)
    if form is not None:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"用途：{error}")
    return redirect("unit:member_statement", pk=account.pk)


@portal_required("unit")
def unit_exports(request: HttpRequest) -> HttpResponse:
    unit = operator_unit_account(request.user)
    bills = unit_bill_history(unit=unit)
    members = unit_roster(unit=unit, members=member_accounts_for_user(request.user))
    page = Paginator(bills, 20).get_page(request.GET.get("page"))
    return render(
        request, "deposits/statements/unit_exports.html",
        {"unit": unit, "page_obj": page, "member_count": members.count(),
         "paid_total": bills.filter(state="paid").aggregate(total=Sum("total"))["total"] or 0},
    )


@portal_required("unit")
def unit_roster_export(request: HttpRequest) -> HttpResponse:
    return _roster_response(request, operator_unit_account(request.user))


@portal_required("unit")
def unit_bills_export(request: HttpRequest) -> HttpResponse:
    return _bills_response(operator_unit_account(request.user))


# 个人网厅 ---------------------------------------------------------------------------------------------



@portal_required("member")
def member_statement_search(request: HttpRequest, status: int = 200) -> HttpResponse:
    account = member_own_account(request.user)
    if account is None:
        return render(request, "deposits/statements/statement.html", {"base_template": "member/base.html"})
    return _statement_page(
        request, account, base="member/base.html", export_url=reverse("member:statement_export"),
        extra={"certificate_url": reverse("member:deposit_certificate")}, status=status,
    )


@portal_required("member")
def member_statement_export(request: HttpRequest) -> HttpResponse:
    account = member_own_account(request.user)
    if account is None:
        return redirect("member:statement_search")
    return _statement_export(request, account, page=lambda status: member_statement_search(request, status=status))


@portal_required("member")
def member_deposit_certificate(request: HttpRequest) -> HttpResponse:
    account = member_own_account(request.user)
    form = CertificateForm()
    if request.method == "POST" and account is not None:
        bound = _certificate_post(request, account)
        if bound is None:
            return redirect("member:deposit_certificate")
        form = bound
    documents = _documents_for(account, request.user, mine_only=False) if account else []
    return render(
        request, "deposits/statements/member_certificate.html",
        {"account": account, "form": form, "documents": documents},
        status=400 if form.errors else 200,
    )


staff_patterns = [
    path("members/<int:pk>/statement/", staff_member_statement, name="member_statement"),
    path("members/<int:pk>/statement/export/", staff_member_statement_export, name="member_statement_export"),
    path("members/<int:pk>/certificate/", staff_member_certificate, name="member_certificate"),
    path("units/<int:pk>/roster/export/", staff_unit_roster_export, name="unit_roster_export"),
    path("units/<int:pk>/bills/export/", staff_unit_bills_export, name="unit_bills_export"),
    path("arrears/", staff_arrears, name="arrears"),
]
unit_patterns = [
    path("members/<int:pk>/statement/", unit_member_statement, name="member_statement"),
    path("members/<int:pk>/statement/export/", unit_member_statement_export, name="member_statement_export"),
    path("members/<int:pk>/certificate/", unit_member_certificate, name="member_certificate"),
    path("exports/", unit_exports, name="exports"),
    path("exports/roster/", unit_roster_export, name="roster_export"),
    path("exports/bills/", unit_bills_export, name="bills_export"),
]
member_patterns = [
    path("statement/", member_statement_search, name="statement"),
    path("statement/search/", member_statement_search, name="statement_search"),
    path("statement/export/", member_statement_export, name="statement_export"),
    path("certificates/deposit/", member_deposit_certificate, name="deposit_certificate"),
]
