"""Pages: the staff window's deposit work, the unit hall's roster, the member hall's account."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from fund.audit.services import person_viewed
from fund.money import format_money
from fund.portals.decorators import accept_post_required, portal_required
from fund.printing.models import Document
from fund.views import attempt, form_submit

from .. import services
from ..forms import MemberOpenForm, MonthlyDepositForm, UnitOpenForm
from ..pdf import account_sheet_request
from ..selectors import (
    member_account_get_for_user,
    member_accounts_for_user,
    member_accounts_search,
    member_own_account,
    member_statement,
    operator_unit_account,
    unit_account_get_for_user,
    unit_accounts_for_user,
)

# 综合窗口 ---------------------------------------------------------------------------------------------

@portal_required("staff")
@accept_post_required
def staff_unit_open(request: HttpRequest) -> HttpResponse:
    roles = request.roles
    form = UnitOpenForm(request.POST or None, initial={"branch": roles.staff.branch})
    if not roles.staff.centre_wide:
        form.fields["branch"].queryset = form.fields["branch"].queryset.filter(pk=roles.staff.branch_id)
    if response := form_submit(
        request, form, lambda data: services.unit_account_open(actor=request.user, **data),
        done=lambda unit: f"单位开户成功，单位账号 {unit.number}",
        then=lambda unit: redirect("staff:unit_detail", pk=unit.pk),
    ):
        return response
    return render(request, "deposits/staff/unit_open.html", {"form": form})


@portal_required("staff")
def staff_units(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    units = unit_accounts_for_user(request.user).order_by("number")
    if query:
        units = units.filter(Q(number__icontains=query) | Q(employer__name__icontains=query) | Q(employer__credit_code=query))
    page = Paginator(units, 20).get_page(request.GET.get("page"))
    return render(request, "deposits/staff/units.html", {"page_obj": page, "q": query})


@portal_required("staff")
def staff_unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = unit_account_get_for_user(user=request.user, pk=pk)
    members = unit.members.select_related("person", "sub_account").order_by("number")
    totals = members.aggregate(balance=Sum("sub_account__balance"), monthly=Sum("unit_monthly") + Sum("member_monthly"))
    return render(request, "deposits/staff/unit_detail.html", {"unit": unit, "members": members, "totals": totals})


@portal_required("staff")
@accept_post_required
def staff_member_open(request: HttpRequest) -> HttpResponse:
    units = unit_accounts_for_user(request.user).order_by("number")
    form = MemberOpenForm(request.POST or None, units=units, initial={"unit": request.GET.get("unit")})
    if response := form_submit(
        request, form, lambda data: services.member_account_open(actor=request.user, **data),
        done=lambda account: f"个人开户成功，个人账号 {account.number}，自 {account.first_month:%Y年%m月} 起缴",
        then=lambda account: redirect("staff:member_detail", pk=account.pk),
    ):
        return response
    return render(request, "deposits/staff/member_open.html", {"form": form})


@portal_required("staff")
def staff_members(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    accounts = member_accounts_search(member_accounts_for_user(request.user).order_by("number"), query)
    page = Paginator(accounts, 20).get_page(request.GET.get("page"))
    return render(request, "deposits/staff/members.html", {"page_obj": page, "q": query})


@portal_required("staff")
def staff_member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = member_account_get_for_user(user=request.user, pk=pk)
    person_viewed(actor=request.user, person=account.person, context=f"综合窗口查看个人账户 {account.number}")
    statement = Paginator(member_statement(account), 12).get_page(request.GET.get("page"))
    documents = Document.objects.filter(subject=account.person).order_by("-id")[:5]
    return render(
        request, "deposits/staff/member_detail.html",
        {"account": account, "statement": statement, "deposit_form": MonthlyDepositForm(), "documents": documents},
    )


@require_POST
@portal_required("staff")
@accept_post_required
def staff_member_deposit(request: HttpRequest, pk: int) -> HttpResponse:
    account = member_account_get_for_user(user=request.user, pk=pk)
    form = MonthlyDepositForm(request.POST)
    if form.is_valid():
        try:
            deposit, created = services.monthly_deposit_post(
                actor=request.user, account=account, month=form.cleaned_data["month"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            amount = deposit.unit_amount + deposit.member_amount
            if created:
                messages.success(request, f"{deposit.month:%Y年%m月} 缴存 {format_money(amount)} 元已入账")
            else:
                messages.warning(request, f"{deposit.month:%Y年%m月} 已于此前入账 {format_money(amount)} 元，本次未重复入账")
    else:
        messages.error(request, "缴存年月：请按“年-月”选择月份")
    return redirect("staff:member_detail", pk=account.pk)


@require_POST
@portal_required("staff")
def staff_member_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    account = member_account_get_for_user(user=request.user, pk=pk)
    _request_sheet(request, account)
    return redirect("staff:member_detail", pk=account.pk)


def _request_sheet(request: HttpRequest, account: Any) -> None:
    """Print the account sheet and say so; a refusal (a printing limit) is said the same way."""
    attempt(request, lambda: account_sheet_request(account=account, requested_by=request.user),
            "个人账户信息表正在生成，稍后刷新本页即可下载。", level=messages.INFO)


# 单位网厅 ---------------------------------------------------------------------------------------------



@portal_required("unit")
def unit_members(request: HttpRequest) -> HttpResponse:
    unit = operator_unit_account(request.user)
    query = request.GET.get("q", "").strip()
    # Newest first: the member just opened is on the first page, not at the end of the roster.
    members = member_accounts_for_user(request.user).filter(unit=unit).order_by("-opened_on", "-id")
    members = member_accounts_search(members, query)
    page = Paginator(members, 20).get_page(request.GET.get("page"))
    return render(request, "deposits/unit/members.html", {"unit": unit, "page_obj": page, "q": query})


@portal_required("unit")
def unit_profile(request: HttpRequest) -> HttpResponse:
    unit = operator_unit_account(request.user)
    return render(request, "deposits/unit/profile.html", {"unit": unit})


# 个人网厅 ---------------------------------------------------------------------------------------------



@portal_required("member")
def member_certificates(request: HttpRequest) -> HttpResponse:
    account = member_own_account(request.user)
    if request.method == "POST" and account is not None:
        _request_sheet(request, account)
        return redirect("member:certificates")
    documents = Document.objects.filter(subject=request.user.person).order_by("-id")[:20]
    return render(request, "deposits/member/certificates.html", {"account": account, "documents": documents})


staff_patterns = [
    path("units/", staff_units, name="units"),
    path("units/open/", staff_unit_open, name="open_unit"),
    path("units/<int:pk>/", staff_unit_detail, name="unit_detail"),
    path("members/", staff_members, name="members"),
    path("members/open/", staff_member_open, name="open_member"),
    path("members/<int:pk>/", staff_member_detail, name="member_detail"),
    path("members/<int:pk>/deposit/", staff_member_deposit, name="member_deposit"),
    path("members/<int:pk>/sheet/", staff_member_sheet, name="member_sheet"),
]
unit_patterns = [
    path("members/", unit_members, name="members"),
    path("profile/", unit_profile, name="profile"),
]
member_patterns = [
    path("certificates/", member_certificates, name="certificates"),
]
