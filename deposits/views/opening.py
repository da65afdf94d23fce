"""Pages: the public online application to open a unit account, the window's review of it, and the unit
hall's own member opening (职工开户)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from fund.filters import page_filtered
from fund.portals.decorators import accept_post_required, portal_required
from fund.views import apply_errors, form_submit

from .. import services
from ..filters import OpeningRequestFilter
from ..forms import MemberOpenForm, UnitOpenForm
from ..models import OpeningRequestState
from ..selectors import (
    operator_unit_account,
    unit_accounts_for_user,
    unit_opening_request_get_for_user,
    unit_opening_requests_for_user,
)
from ..services.opening import (
    unit_opening_request_approve,
    unit_opening_request_reject,
    unit_opening_request_submit,
)

SUBMITTED_KEY = "unit_opening_submitted"


class UnitOpeningApplyForm(UnitOpenForm):
    username = forms.CharField(label="登录用户名", max_length=150, help_text="审核通过后用此用户名登录单位网厅")
    operator_name = forms.CharField(label="经办人姓名", max_length=60)
    operator_phone = forms.CharField(label="经办人手机号码", max_length=20)
    password = forms.CharField(label="登录密码", strip=False, widget=forms.PasswordInput,
                               help_text="至少10位，含大写字母、小写字母、数字、符号中的至少三类，不能与用户名相近")
    password_again = forms.CharField(label="确认登录密码", strip=False, widget=forms.PasswordInput)


class ReviewForm(forms.Form):
    opinion = forms.CharField(label="审核意见", max_length=200, required=False, widget=forms.Textarea(attrs={"rows": 2}))


# 公开：单位网上开户申请 ----------------------------------------------------------------------------------

def unit_opening_apply(request: HttpRequest) -> HttpResponse:
    form = UnitOpeningApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            applied = unit_opening_request_submit(**form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            request.session[SUBMITTED_KEY] = applied.pk
            return redirect(f"{request.resolver_match.namespace}:unit_opening_done")
    return render(request, "deposits/opening/apply.html", {"form": form})


def unit_opening_done(request: HttpRequest) -> HttpResponse:
    from ..models import UnitOpeningRequest

    applied = UnitOpeningRequest.objects.filter(pk=request.session.get(SUBMITTED_KEY)).select_related("branch").first()
    if applied is None:
        raise Http404("未找到，或您无权访问")
    return render(request, "deposits/opening/done.html", {"applied": applied})


# 综合窗口：单位开户审核 ---------------------------------------------------------------------------------

@portal_required("staff")
def staff_unit_requests(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", OpeningRequestState.PENDING)
    # No state asked for: the ones waiting for review, as the page's first tab says.
    _, requests = page_filtered(request, OpeningRequestFilter,
                                unit_opening_requests_for_user(request.user).order_by("-id"), data={"state": state})
    page = Paginator(requests, 20).get_page(request.GET.get("page"))
    return render(request, "deposits/opening/requests.html",
                  {"page_obj": page, "state": state, "states": OpeningRequestState.choices})


@portal_required("staff")
def staff_unit_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    applied = unit_opening_request_get_for_user(user=request.user, pk=pk)
    return render(request, "deposits/opening/request_detail.html", {"applied": applied, "form": ReviewForm()})


def _review(request: HttpRequest, pk: int, approve: bool) -> HttpResponse:
    applied = unit_opening_request_get_for_user(user=request.user, pk=pk)
    form = ReviewForm(request.POST)
    opinion = form.cleaned_data["opinion"] if form.is_valid() else ""
    try:
        if approve:
            applied = unit_opening_request_approve(actor=request.user, request=applied, opinion=opinion)
        else:
            applied = unit_opening_request_reject(actor=request.user, request=applied, opinion=opinion)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if approve:
            messages.success(request, f"已开户：单位账号 {applied.unit.number}，经办人登录名 {applied.username}")
        else:
            messages.success(request, "已退回申请")
    return redirect("staff:unit_request_detail", pk=pk)


@require_POST
@portal_required("staff")
@accept_post_required
def staff_unit_request_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _review(request, pk, approve=True)


@require_POST
@portal_required("staff")
@accept_post_required
def staff_unit_request_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _review(request, pk, approve=False)


# 单位网厅：职工开户 ---------------------------------------------------------------------------------------

@portal_required("unit")
def unit_member_open(request: HttpRequest) -> HttpResponse:
    unit = operator_unit_account(request.user)
    units = unit_accounts_for_user(request.user).filter(pk=unit.pk)
    form = MemberOpenForm(request.POST or None, units=units, initial={"unit": unit.pk})
    form.fields["unit"].empty_label = None
    if response := form_submit(
        request, form, lambda data: services.member_account_open(actor=request.user, **dict(data, unit=unit)),
        done=lambda account: f"职工开户成功：{account.person.name}，个人账号 {account.number}，自 {account.first_month:%Y年%m月} 起缴",
        then="unit:members",
    ):
        return response
    return render(request, "deposits/opening/unit_member_open.html", {"form": form, "unit": unit})


public_patterns = [
    path("", unit_opening_apply, name="unit_opening_apply"),
    path("submitted/", unit_opening_done, name="unit_opening_done"),
]
staff_patterns = [
    path("unit-requests/", staff_unit_requests, name="unit_requests"),
    path("unit-requests/<int:pk>/", staff_unit_request_detail, name="unit_request_detail"),
    path("unit-requests/<int:pk>/approve/", staff_unit_request_approve, name="unit_request_approve"),
    path("unit-requests/<int:pk>/reject/", staff_unit_request_reject, name="unit_request_reject"),
]
unit_patterns = [
    path("members/open/", unit_member_open, name="open_member"),
]
