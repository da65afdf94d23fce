"""Pages for the lives of accounts: sealing, transfer in, freezing, changes; unit changes, sealing, closing;
deferral and ratio-reduction applications and their two-step approval. Every fetch goes through the scoped
selectors (404 outside scope); the services decide who may act (403)."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from fund.money import format_money
from fund.people.models import Branch, Post
from fund.people.selectors import get_or_404
from fund.portals.decorators import accept_post_required, portal_required
from fund.views import apply_errors, form_submit

from ..forms import PercentField
from ..models import ApplicationKind, ApplicationState, MemberState, UnitAccount, UnitState
from ..selectors import (
    member_account_get_for_user,
    member_own_account,
    operator_unit_account,
    unit_account_get_for_user,
    unit_accounts_for_user,
)
from ..services import lifecycle as svc

MONTH = {"input_formats": ["%Y-%m"], "widget": forms.DateInput(attrs={"type": "month"}), "help_text": "格式：2026-12"}


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=200, widget=forms.TextInput(attrs={"placeholder": "请填写办理原因及依据文书"}))


class MemberChangeForm(forms.Form):
    phone = forms.CharField(label="新手机号码", max_length=20, required=False, help_text="不变更请留空")
    bank_card = forms.CharField(label="新银行卡号", max_length=23, required=False, help_text="不变更请留空")


class TransferInForm(forms.Form):
    id_number = forms.CharField(label="身份证号码", max_length=18, min_length=18,
                                help_text="凭身份证号码即可办理转入，无需其他材料")
    base = forms.DecimalField(label="缴存基数（元）", max_digits=12, decimal_places=2, min_value=0)


class StaffTransferInForm(TransferInForm):
    unit = forms.ModelChoiceField(label="转入单位", queryset=UnitAccount.objects.none(), empty_label="请选择单位")
    field_order = ["unit", "id_number", "base"]

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else UnitAccount.objects.none()
        self.fields["unit"].label_from_instance = lambda u: f"{u.number} {u.employer.name}"


class UnitChangeForm(forms.Form):
    contact_name = forms.CharField(label="经办人", max_length=60, required=False)
    contact_phone = forms.CharField(label="联系电话", max_length=30, required=False)
    address = forms.CharField(label="单位地址", max_length=200, required=False)
    bank_name = forms.CharField(label="缴存银行", max_length=60)
    bank_account = forms.CharField(label="单位银行账号", max_length=32)
    pay_day = forms.IntegerField(label="每月缴存日", min_value=1, max_value=28)

    @classmethod
    def for_unit(cls, unit: UnitAccount, data: Any = None) -> "UnitChangeForm":
        e = unit.employer
        return cls(data, initial={"contact_name": e.contact_name, "contact_phone": e.contact_phone, "address": e.address,
                                  "bank_name": unit.bank_name, "bank_account": unit.bank_account, "pay_day": unit.pay_day})


class ApplicationForm(forms.Form):
    kind = forms.ChoiceField(label="申请类型", choices=ApplicationKind.choices)
    start_month = forms.DateField(label="起始年月", **MONTH)
    end_month = forms.DateField(label="截止年月（含）", **MONTH)
    unit_ratio = PercentField(label="申请单位缴存比例（%）", required=False)
    member_ratio = PercentField(label="申请个人缴存比例（%）", required=False)
    reason = forms.CharField(label="申请理由", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label="结论", choices=[("pass", "通过"), ("reject", "驳回")], widget=forms.RadioSelect, initial="pass")
    opinion = forms.CharField(label="意见", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class VoluntaryOpenForm(forms.Form):
    branch = forms.ModelChoiceField(label="管理部", queryset=Branch.objects.all(), empty_label=None)
    id_number = forms.CharField(label="身份证号码", max_length=18, min_length=18)
    name = forms.CharField(label="姓名", max_length=60)
    phone = forms.CharField(label="手机号码", max_length=20, required=False)
    base = forms.DecimalField(label="缴存基数（元）", max_digits=12, decimal_places=2, min_value=0)
    bank_card = forms.CharField(label="代扣银行卡号", max_length=23)


def _non_field_errors(bound: dict[str, Any]) -> list[str]:
    """A refused move (wrong state) may concern a form the page no longer shows; say it at the top."""
    return [e for form in bound.values() for e in form.non_field_errors()]


def _fail(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# 综合窗口：个人账户 -------------------------------------------------------------------------------------

def _member_hub(request: HttpRequest, account: Any, **bound: Any) -> HttpResponse:
    roles = request.roles
    context = {
        "account": account,
        "can_write": roles.can_accept,
        "events": svc.member_events(account)[:50],
        "seal_form": bound.get("seal_form") or ReasonForm(prefix="seal"),
        "freeze_form": bound.get("freeze_form") or ReasonForm(prefix="freeze"),
        "unfreeze_form": bound.get("unfreeze_form") or ReasonForm(prefix="unfreeze"),
        "change_form": bound.get("change_form") or MemberChangeForm(prefix="change"),
        "State": MemberState,
        "bound_errors": _non_field_errors(bound),
    }
    return render(request, "deposits/lifecycle/staff_member.html", context, status=400 if bound else 200)


@portal_required("staff")
def staff_member_manage(request: HttpRequest, pk: int) -> HttpResponse:
    return _member_hub(request, member_account_get_for_user(user=request.user, pk=pk))


def _reason_action(subject: str, action: str, service: Any, done: str):
    """A staff action on a member or unit account that takes only a reason: the form, the service, the hub page."""
    fetch, hub = (member_account_get_for_user, _member_hub) if subject == "member" else (unit_account_get_for_user, _unit_hub)

    @require_POST
    @portal_required("staff")
    @accept_post_required
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        target = fetch(user=request.user, pk=pk)
        form = ReasonForm(request.POST, prefix=action)
        if response := form_submit(
            request, form,
            lambda data: service(actor=request.user, reason=data["reason"], **{"account" if subject == "member" else "unit": target}),
            done=done, then=lambda _: redirect(f"staff:{subject}_manage", pk=target.pk),
        ):
            return response
        return hub(request, target, **{f"{action}_form": form})

    view.__name__ = f"staff_{subject}_{action}"
    return view


staff_member_seal = _reason_action("member", "seal", svc.member_account_seal, "个人账户已封存")
staff_member_freeze = _reason_action("member", "freeze", svc.member_account_freeze, "个人账户已冻结")
staff_member_unfreeze = _reason_action("member", "unfreeze", svc.member_account_unfreeze, "个人账户已解冻")


@require_POST
@portal_required("staff")
@accept_post_required
def staff_member_change(request: HttpRequest, pk: int) -> HttpResponse:
    account = member_account_get_for_user(user=request.user, pk=pk)
    form = MemberChangeForm(request.POST, prefix="change")
    if response := form_submit(
        request, form, lambda data: svc.member_account_change(actor=request.user, account=account, **data),
        done="个人信息已变更", then=lambda _: redirect("staff:member_manage", pk=account.pk),
    ):
        return response
    return _member_hub(request, account, change_form=form)


@portal_required("staff")
@accept_post_required
def staff_transfer_in(request: HttpRequest) -> HttpResponse:
    units = unit_accounts_for_user(request.user).filter(state=UnitState.NORMAL).order_by("number")
    form = StaffTransferInForm(request.POST or None, units=units, initial={"unit": request.GET.get("unit")})
    if response := form_submit(request, form, lambda data: svc.member_transfer_in(actor=request.user, **data),
                               done=lambda account: f"已转入 {account.unit.employer.name}，个人账号 {account.number} 不变",
                               then=lambda account: redirect("staff:member_manage", pk=account.pk)):
        return response
    return render(request, "deposits/lifecycle/transfer_in.html", {"form": form, "base_template": "staff/base.html"})


@portal_required("staff")
@accept_post_required
def staff_voluntary_open(request: HttpRequest) -> HttpResponse:
    roles = request.roles
    form = VoluntaryOpenForm(request.POST or None, initial={"branch": roles.staff.branch})
    if not roles.staff.centre_wide:
        form.fields["branch"].queryset = Branch.objects.filter(pk=roles.staff.branch_id)
    if response := form_submit(
        request, form, lambda data: svc.voluntary_account_open(actor=request.user, **data),
        done=lambda account: f"灵活就业人员开户成功，个人账号 {account.number}，自 {account.first_month:%Y年%m月} 起缴",
        then=lambda account: redirect("staff:member_manage", pk=account.pk),
    ):
        return response
    return render(request, "deposits/lifecycle/voluntary_open.html", {"form": form})


# 综合窗口：单位账户 -------------------------------------------------------------------------------------

def _unit_hub(request: HttpRequest, unit: UnitAccount, **bound: Any) -> HttpResponse:
    roles = request.roles
    applications = unit.applications.select_related("applicant").order_by("-id")
    context = {
        "unit": unit,
        "can_write": roles.can_accept,
        "change_form": bound.get("change_form") or UnitChangeForm.for_unit(unit),
        "seal_form": bound.get("seal_form") or ReasonForm(prefix="seal"),
        "unseal_form": bound.get("unseal_form") or ReasonForm(prefix="unseal"),
        "close_form": bound.get("close_form") or ReasonForm(prefix="close"),
        "obstacles": svc.unit_close_obstacles(unit) if unit.state != UnitState.CLOSED else [],
        "applications": applications,
        "owed": [(a, svc.backpay_months(a)) for a in applications if a.backpay_state == "owed"],
        "events": svc.unit_events(unit)[:50],
        "counts": {s.label: unit.members.filter(state=s).count() for s in (MemberState.NORMAL, MemberState.SEALED, MemberState.FROZEN)},
        "State": UnitState,
        "bound_errors": _non_field_errors(bound),
    }
    return render(request, "deposits/lifecycle/staff_unit.html", context, status=400 if bound else 200)


@portal_required("staff")
def staff_unit_manage(request: HttpRequest, pk: int) -> HttpResponse:
    return _unit_hub(request, unit_account_get_for_user(user=request.user, pk=pk))


@require_POST
@portal_required("staff")
@accept_post_required
def staff_unit_change(request: HttpRequest, pk: int) -> HttpResponse:
    unit = unit_account_get_for_user(user=request.user, pk=pk)
    form = UnitChangeForm.for_unit(unit, request.POST)
    if response := form_submit(
        request, form, lambda data: svc.unit_account_change(actor=request.user, unit=unit, **data),
        done="单位信息已变更", then=lambda _: redirect("staff:unit_manage", pk=unit.pk),
    ):
        return response
    return _unit_hub(request, unit, change_form=form)


staff_unit_seal = _reason_action("unit", "seal", svc.unit_account_seal, "单位账户已封存")
staff_unit_unseal = _reason_action("unit", "unseal", svc.unit_account_unseal, "单位账户已启封")
staff_unit_close = _reason_action("unit", "close", svc.unit_account_close, "单位账户已销户")


# 综合窗口：缓缴/降比例审批 ------------------------------------------------------------------------------

QUEUE_FILTERS = {
    "todo": ("待我处理", None),
    "submitted": ("待初审", [ApplicationState.SUBMITTED]),
    "reviewed": ("待审批", [ApplicationState.REVIEWED]),
    "in_effect": ("执行中", [ApplicationState.APPROVED, ApplicationState.IN_EFFECT]),
    "owed": ("待补缴", None),
    "all": ("全部", None),
}


@portal_required("staff")
def staff_applications(request: HttpRequest) -> HttpResponse:
    roles = request.roles
    show = request.GET.get("show", "todo")
    if show not in QUEUE_FILTERS:
        show = "todo"
    queryset = svc.unit_applications_for_user(request.user).order_by("-id")
    if show == "todo":
        states = []
        if roles.has_post(Post.REVIEW):
            states.append(ApplicationState.SUBMITTED)
        if roles.has_post(Post.APPROVE) or roles.has_post(Post.DIRECTOR):
            states.append(ApplicationState.REVIEWED)
        queryset = queryset.filter(state__in=states)
    elif show == "owed":
        queryset = queryset.filter(backpay_state="owed")
    elif QUEUE_FILTERS[show][1]:
        queryset = queryset.filter(state__in=QUEUE_FILTERS[show][1])
    page = Paginator(queryset, 20).get_page(request.GET.get("page"))
    return render(request, "deposits/lifecycle/staff_applications.html",
                  {"page_obj": page, "show": show, "filters": [(k, v[0]) for k, v in QUEUE_FILTERS.items()]})


def _application_get(request: HttpRequest, pk: int) -> Any:
    return get_or_404(svc.unit_applications_for_user(request.user), pk=pk)


def _application_page(request: HttpRequest, application: Any, form: Any = None) -> HttpResponse:
    roles = request.roles
    me = request.user.pk
    may_review = (application.state == ApplicationState.SUBMITTED and roles.has_post(Post.REVIEW)
                  and application.applicant_id != me)
    may_approve = (application.state == ApplicationState.REVIEWED
                   and (roles.has_post(Post.APPROVE) or roles.has_post(Post.DIRECTOR))
                   and me not in (application.applicant_id, application.reviewer_id))
    context = {
        "application": application, "steps": svc.application_steps(application),
        "form": form or DecisionForm(), "may_review": may_review, "may_approve": may_approve,
        "may_settle": roles.can_accept and application.backpay_state == "owed"
        and application.state in (ApplicationState.IN_EFFECT, ApplicationState.ENDED),
        "months": svc.backpay_months(application),
    }
    return render(request, "deposits/lifecycle/staff_application.html", context, status=400 if form is not None else 200)


@portal_required("staff")
def staff_application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _application_page(request, _application_get(request, pk))


def _decide(step: str):
    service = svc.unit_application_review if step == "review" else svc.unit_application_approve

    @require_POST
    @portal_required("staff")
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        application = _application_get(request, pk)
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                service(actor=request.user, application=application, approve=form.cleaned_data["decision"] == "pass",
                        opinion=form.cleaned_data["opinion"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "已提交" + ("初审" if step == "review" else "审批") + "意见")
                return redirect("staff:application_detail", pk=application.pk)
        return _application_page(request, application, form)

    view.__name__ = f"staff_application_{step}"
    return view


staff_application_review = _decide("review")
staff_application_approve = _decide("approve")


@require_POST
@portal_required("staff")
@accept_post_required
def staff_application_backpay(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application_get(request, pk)
    try:
        svc.unit_backpay_settle(actor=request.user, application=application, note=request.POST.get("note", ""))
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, "已登记补缴完成")
    return redirect("staff:application_detail", pk=application.pk)


# 单位网厅 ---------------------------------------------------------------------------------------------



def _own_member(request: HttpRequest, pk: int) -> Any:
    """A member of the operator's own unit; any other account is 404."""
    unit = operator_unit_account(request.user)
    account = member_account_get_for_user(user=request.user, pk=pk)
    if account.unit_id != unit.pk:
        from django.http import Http404

        raise Http404("未找到，或您无权访问")
    return account


@portal_required("unit")
def unit_member_seal(request: HttpRequest, pk: int) -> HttpResponse:
    account = _own_member(request, pk)
    form = ReasonForm(request.POST or None)
    if response := form_submit(
        request, form, lambda data: svc.member_account_seal(actor=request.user, account=account, reason=data["reason"]),
        done=f"{account.person.name} 的个人账户已封存", then="unit:members",
    ):
        return response
    return render(request, "deposits/lifecycle/unit_member_seal.html", {"account": account, "form": form})


@portal_required("unit")
def unit_transfer_in(request: HttpRequest) -> HttpResponse:
    unit = operator_unit_account(request.user)
    form = TransferInForm(request.POST or None)
    if response := form_submit(
        request, form, lambda data: svc.member_transfer_in(actor=request.user, unit=unit, **data),
        done=lambda account: f"{account.person.name} 已转入本单位，个人账号 {account.number}，"
                             f"月缴存额 {format_money(account.monthly_total)} 元",
        then="unit:members",
    ):
        return response
    return render(request, "deposits/lifecycle/transfer_in.html",
                  {"form": form, "unit": unit, "base_template": "unit/base.html"})


@portal_required("unit")
def unit_profile_change(request: HttpRequest) -> HttpResponse:
    unit = operator_unit_account(request.user)
    form = UnitChangeForm.for_unit(unit, request.POST or None)
    if response := form_submit(
        request, form, lambda data: svc.unit_account_change(actor=request.user, unit=unit, **data),
        done="单位信息已变更", then="unit:profile",
    ):
        return response
    return render(request, "deposits/lifecycle/unit_change.html", {"unit": unit, "form": form})


@portal_required("unit")
def unit_applications(request: HttpRequest) -> HttpResponse:
    unit = operator_unit_account(request.user)
    form = ApplicationForm(request.POST or None)
    if response := form_submit(
        request, form, lambda data: svc.unit_application_submit(actor=request.user, unit=unit, **data),
        done=lambda application: f"申请已提交，编号 {application.number}，请等待管理部审核", then="unit:applications",
    ):
        return response
    applications = unit.applications.select_related("applicant").order_by("-id")
    rows = [(a, svc.application_steps(a), svc.backpay_months(a)) for a in applications]
    return render(request, "deposits/lifecycle/unit_applications.html",
                  {"unit": unit, "form": form, "rows": rows}, status=400 if request.method == "POST" else 200)


@require_POST
@portal_required("unit")
def unit_application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    unit = operator_unit_account(request.user)
    application = get_or_404(unit.applications.all(), pk=pk)
    try:
        svc.unit_application_withdraw(actor=request.user, application=application)
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, "申请已撤回")
    return redirect("unit:applications")


# 个人网厅 ---------------------------------------------------------------------------------------------

@portal_required("member")
def member_account_change(request: HttpRequest) -> HttpResponse:

    account = member_own_account(request.user)
    form = MemberChangeForm(request.POST or None)
    if request.method == "POST" and account is not None and form.is_valid():
        try:
            svc.member_account_change(actor=request.user, account=account, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "手机号码/银行卡号已变更")
            return redirect("member:account_change")
    return render(request, "deposits/lifecycle/member_change.html", {"account": account, "form": form})


staff_patterns = [
    path("members/internal-transfer/", staff_transfer_in, name="member_internal_transfer"),
    path("members/voluntary/", staff_voluntary_open, name="voluntary_open"),
    path("members/<int:pk>/manage/", staff_member_manage, name="member_manage"),
    path("members/<int:pk>/seal/", staff_member_seal, name="member_seal"),
    path("members/<int:pk>/freeze/", staff_member_freeze, name="member_freeze"),
    path("members/<int:pk>/unfreeze/", staff_member_unfreeze, name="member_unfreeze"),
    path("members/<int:pk>/change/", staff_member_change, name="member_change"),
    path("units/<int:pk>/manage/", staff_unit_manage, name="unit_manage"),
    path("units/<int:pk>/change/", staff_unit_change, name="unit_change"),
    path("units/<int:pk>/seal/", staff_unit_seal, name="unit_seal"),
    path("units/<int:pk>/unseal/", staff_unit_unseal, name="unit_unseal"),
    path("units/<int:pk>/close/", staff_unit_close, name="unit_close"),
    path("applications/", staff_applications, name="applications"),
    path("applications/<int:pk>/", staff_application_detail, name="application_detail"),
    path("applications/<int:pk>/review/", staff_application_review, name="application_review"),
    path("applications/<int:pk>/approve/", staff_application_approve, name="application_approve"),
    path("applications/<int:pk>/backpay/", staff_application_backpay, name="application_backpay"),
]
unit_patterns = [
    path("members/<int:pk>/seal/", unit_member_seal, name="member_seal"),
    path("transfer-in/", unit_transfer_in, name="transfer_in"),
    path("profile/change/", unit_profile_change, name="profile_change"),
    path("applications/", unit_applications, name="applications"),
    path("applications/<int:pk>/withdraw/", unit_application_withdraw, name="application_withdraw"),
]
member_patterns = [
    path("account/change/", member_account_change, name="account_change"),
]
