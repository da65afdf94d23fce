"""The loan application pages of every channel, on the one intake (`loans.services.applications`):

- 个人网厅: apply online (prefilled from the member's own account; materials are brought to the window once),
  confirm or decline what a developer entered, and "my applications" with each one's steps up to 已放款;
- 开发企业: enter a buyer's application in one of its admitted projects, and list its own entries;
- 受托银行网点 (/bank/): accept an application at the counter (materials ticked), and list the outlet's own;
- 综合窗口: one screen for a new application (the borrower found by ID number, home, loan, co-borrowers and the
  catalogue's checklist), accepted on submission, then the application's page.

Every fetch is scoped (someone else's application is a 404); the services decide and name each bad field."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from deposits.models import MemberState
from deposits.selectors import member_accounts_for_holder_or_staff
from deposits.selectors.accounts import member_own_account
from fund.people.selectors import scoped
from fund.portals.decorators import accept_post_required, portal_required
from fund.validation import clean_resident_id
from fund.views import apply_errors, attempt

from ..channel_forms import ApplicationForm, kind_of
from ..models import ApplicationState, Channel, HomeKind, Loan
from ..selectors.applications import application_get_for_user, applications_for_user
from ..selectors.projects import projects_public
from ..services.applications import application_confirm, application_submit, application_withdraw

KINDS = [(k, label) for k, label in HomeKind.choices]


# ---- the steps a borrower follows ------------------------------------------------------------------------

def borrower_steps(application: Any, loan: Loan | None = None) -> list[dict[str, Any]]:
    """From 待购房人确认 (a developer's entry) to 已放款, in the shape of includes/steps.html; each step done,
    current or to do, with when it was done; an application that ended (未通过, 已撤回) ends on a failed step."""
    a = application
    S = ApplicationState
    steps: list[tuple[str, Any, tuple[str, ...]]] = []
    if a.channel == Channel.DEVELOPER:
        steps.append(("购房人确认", a.confirmed_at, (S.DRAFT,)))
    steps += [
        ("受理", a.accepted_at, (S.SUBMITTED,)),
        ("审核审批", a.decided_at, (S.REVIEWING,)),
        ("合同面签", getattr(loan, "signed_at", None), (S.APPROVED,)),
        ("抵押登记", getattr(loan, "mortgage_registered_at", None), (S.SIGNED,)),
        ("放款", a.disbursed_at, (S.MORTGAGED, S.DISBURSING)),
    ]
    ended = a.state in (S.REJECTED, S.WITHDRAWN)
    out: list[dict[str, Any]] = []
    reached_current = False
    for label, when, current_in in steps:
        if a.state in current_in:
            state, reached_current = "current", True
        elif reached_current or (ended and when is None):
            state = "todo"
        else:
            state = "done" if (when is not None or a.state == S.DISBURSED) else "todo"
        out.append({"label": label, "state": state, "when": when if state == "done" else None})
    if ended:
        out.append({"label": a.get_state_display(), "state": "failed", "when": a.ended_at or a.decided_at})
    return out


def _with_steps(rows: Any) -> list[dict[str, Any]]:
    rows = list(rows)
    loans = {loan.application_id: loan for loan in Loan.objects.filter(application__in=[a.pk for a in rows])}
    return [{"a": a, "loan": loans.get(a.pk), "steps": borrower_steps(a, loans.get(a.pk))} for a in rows]


# ---- one submission, whichever page ----------------------------------------------------------------------

def _submit(request: HttpRequest, form: ApplicationForm, *, channel: str, **who: Any) -> Any:
    """Run the intake with the form's values; a refusal goes onto the form's fields (None comes back). The
    form's token makes a double click one application."""
    if not form.is_valid():
        return None
    try:
        return application_submit(
            actor=request.user, channel=channel, fields=form.service_fields(), co_borrowers=form.co_borrowers(),
            materials=form.materials(), client_token=request.POST.get("client_token", ""), **who)
    except ValidationError as exc:
        apply_errors(form, exc)
        return None


def _token(request: HttpRequest) -> str:
    return request.POST.get("client_token") or uuid.uuid4().hex


def _admitted() -> Any:
    return projects_public()


# ---- 个人网厅 ----------------------------------------------------------------------------------------------

@portal_required("member")
def member_apply(request: HttpRequest) -> HttpResponse:
    account = member_own_account(request.user)
    if account is None:
        raise Http404("您尚无公积金账户")
    kind = kind_of(request.GET.get("kind") or request.POST.get("kind"))
    initial = {"monthly_income": f"{account.base:.2f}"} if account.base else {}
    form = ApplicationForm(request.POST or None, kind=kind, projects=_admitted() if kind == HomeKind.NEW else None,
                           initial=initial)
    if request.method == "POST":
        application = _submit(request, form, channel=Channel.ONLINE, account=account.pk)
        if application is not None:
            messages.success(request, f"贷款申请 {application.number} 已提交，请携带材料到综合窗口办理受理（只需一次）。")
            return redirect("member:loan-applications")
    current = applications_for_user(request.user).filter(
        borrower_id=request.user.person_id, state__in=[s for s in ApplicationState.values
                                                       if s not in (ApplicationState.REJECTED,
                                                                    ApplicationState.WITHDRAWN,
                                                                    ApplicationState.DISBURSED)]).first()
    return render(request, "loans/member/apply.html", {
        "form": form, "account": account, "kind": kind, "kinds": KINDS, "token": _token(request),
        "current": current, "normal": account.state == MemberState.NORMAL,
    })


@portal_required("member")
def member_applications(request: HttpRequest) -> HttpResponse:
    rows = applications_for_user(request.user).select_related("project").order_by("-id")[:30]
    return render(request, "loans/member/applications.html", {"items": _with_steps(rows)})


def _own_draft(request: HttpRequest, pk: int) -> Any:
    application = application_get_for_user(user=request.user, pk=pk)
    if application.borrower_id != request.user.person_id:  # a co-borrower sees it, only the borrower decides
        raise Http404("未找到，或您无权访问")
    return application


@require_POST
@portal_required("member")
def member_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own_draft(request, pk)
    attempt(request, lambda: application_confirm(actor=request.user, application=application),
            f"已确认贷款申请 {application.number}，请携带材料到综合窗口办理受理。")
    return redirect("member:loan-applications")


@require_POST
@portal_required("member")
def member_decline(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own_draft(request, pk)
    if application.state != ApplicationState.DRAFT:
        messages.error(request, f"贷款申请状态为“{application.get_state_display()}”，不能在此拒绝")
        return redirect("member:loan-applications")
    attempt(request, lambda: application_withdraw(actor=request.user, application=application,
                                                  reason="购房人不同意开发企业录入的申请"),
            f"已拒绝贷款申请 {application.number}。")
    return redirect("member:loan-applications")


# ---- 开发企业 and 受托银行网点 -------------------------------------------------------------------------------

@portal_required("developer")
def developer_applications(request: HttpRequest) -> HttpResponse:
    rows = applications_for_user(request.user).select_related("project").order_by("-id")[:100]
    return render(request, "loans/partner/applications.html", {
        "base": "developer/base.html", "items": _with_steps(rows), "new": "developer:loan-application-new",
        "title": "购房人贷款申请"})


@portal_required("developer")
def developer_new(request: HttpRequest) -> HttpResponse:
    projects = scoped(_admitted(), request.user, developer="developer")
    form = ApplicationForm(request.POST or None, kind=HomeKind.NEW, borrower=True, projects=projects,
                           project_required=True)
    if request.method == "POST":
        data = request.POST
        application = _submit(request, form, channel=Channel.DEVELOPER, id_number=data.get("id_number", ""),
                              borrower_name=data.get("borrower_name", ""))
        if application is not None:
            messages.success(request, f"已录入贷款申请 {application.number}，请购房人登录个人网厅确认。")
            return redirect("developer:loan-applications")
    return render(request, "loans/partner/new.html", {
        "base": "developer/base.html", "form": form, "token": _token(request), "kind": HomeKind.NEW,
        "title": "录入购房人贷款申请", "back": "developer:loan-applications", "no_projects": not projects.exists(),
        "note": "购房人确认后，携带材料到综合窗口受理一次即可。"})


@portal_required("bank")
def bank_applications(request: HttpRequest) -> HttpResponse:
    rows = applications_for_user(request.user).order_by("-id")[:100]
    return render(request, "loans/partner/applications.html", {
        "base": "bank/base.html", "items": _with_steps(rows), "new": "bank:loan-application-new",
        "title": "网点受理的贷款申请"})


@portal_required("bank")
def bank_new(request: HttpRequest) -> HttpResponse:
    kind = kind_of(request.GET.get("kind") or request.POST.get("kind"))
    form = ApplicationForm(request.POST or None, kind=kind, borrower=True, checklist=True,
                           projects=_admitted() if kind == HomeKind.NEW else None)
    if request.method == "POST":
        data = request.POST
        application = _submit(request, form, channel=Channel.BANK, id_number=data.get("id_number", ""),
                              borrower_name=data.get("borrower_name", ""))
        if application is not None:
            messages.success(request, f"贷款申请 {application.number} 已当场受理，转中心初审。")
            return redirect("bank:loan-applications")
    return render(request, "loans/partner/new.html", {
        "base": "bank/base.html", "form": form, "token": _token(request), "kind": kind, "kinds": KINDS,
        "title": "网点受理贷款申请", "back": "bank:loan-applications",
        "note": "材料当场收齐勾选，提交即受理，申请人无需再到中心。"})


# ---- 综合窗口 ----------------------------------------------------------------------------------------------

def _window_account(user: Any, raw: str) -> tuple[Any, str]:
    """The borrower's account a clerk may handle, found by ID number; or the reason there is none."""
    try:
        number = clean_resident_id(raw or "").number
    except ValidationError as exc:
        return None, "借款人身份证号码：" + "；".join(exc.messages)
    account = (member_accounts_for_holder_or_staff(user).filter(person__id_number=number)
               .select_related("person", "sub_account", "unit").order_by("-opened_on", "-id").first())
    if account is None:
        return None, "没有该身份证号码的个人账户，或不是您可以办理的账户"
    return account, ""


@portal_required("staff")
@accept_post_required
def window_new(request: HttpRequest) -> HttpResponse:
    kind = kind_of(request.GET.get("kind") or request.POST.get("kind"), (HomeKind.SECOND_HAND, HomeKind.NEW,
                                                                         HomeKind.SELF_BUILD))
    raw_id = (request.POST.get("id_number") or request.GET.get("id_number") or "").strip()
    account, problem = _window_account(request.user, raw_id) if raw_id else (None, "")
    form = ApplicationForm(request.POST or None, kind=kind, borrower=True, checklist=True,
                           projects=_admitted() if kind == HomeKind.NEW else None,
                           initial={"id_number": raw_id, "borrower_name": account.person.name if account else "",
                                    "monthly_income": f"{account.base:.2f}" if account and account.base else ""})
    if request.method == "POST" and form.is_valid():
        if account is None:
            form.add_error("id_number", problem or "请填写借款人身份证号码")
        elif form.cleaned_data["borrower_name"] != account.person.name:
            form.add_error("borrower_name", "借款人姓名与身份证号码不符")
        else:
            application = _submit(request, form, channel=Channel.WINDOW, account=account.pk)
            if application is not None:
                messages.success(request, f"贷款申请 {application.number} 已受理，转初审。")
                return redirect(application.get_staff_url())
    return render(request, "loans/staff/window_new.html", {
        "form": form, "token": _token(request), "kind": kind, "kinds": [k for k in KINDS if k[0] != HomeKind.NEW]
        + [k for k in KINDS if k[0] == HomeKind.NEW], "account": account, "problem": problem, "raw_id": raw_id,
    })


member_patterns = [
    path("loans/applications/", member_applications, name="loan-applications"),
    path("loans/applications/new/", member_apply, name="loan-apply"),
    path("loans/applications/<int:pk>/confirm/", member_confirm, name="loan-application-confirm"),
    path("loans/applications/<int:pk>/decline/", member_decline, name="loan-application-decline"),
]
developer_patterns = [
    path("loans/applications/", developer_applications, name="loan-applications"),
    path("loans/applications/new/", developer_new, name="loan-application-new"),
]
bank_patterns = [
    path("loans/applications/", bank_applications, name="loan-applications"),
    path("loans/applications/new/", bank_new, name="loan-application-new"),
]
staff_patterns = [path("loans/applications/new/", window_new, name="loan-application-new")]
