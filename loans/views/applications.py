"""The staff pages of loan applications: the list (filters), and the detail `staff:loan-application` with its
progress, verdicts, quota and binding limit, materials, the workflow history and the actions (受理, 审核)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path

from fund.people.roles import roles_of
from fund.portals.decorators import portal_required
from fund.views import form_submit
from fund.workflow.moves import status_history
from fund.workflow.services import work_history, work_open_item, work_refusal

from ..catalogue import item_for
from ..models import ApplicationState, Channel
from ..selectors.applications import application_get_for_user, applications_for_user
from ..services.applications import application_accept
from ..services.approval import application_decide

STEPS = [(ApplicationState.SUBMITTED, "提交"), (ApplicationState.REVIEWING, "受理审核"),
         (ApplicationState.APPROVED, "审批通过"), (ApplicationState.SIGNED, "合同面签"),
         (ApplicationState.MORTGAGED, "抵押登记"), (ApplicationState.DISBURSED, "放款")]
ORDER = [ApplicationState.DRAFT, ApplicationState.SUBMITTED, ApplicationState.REVIEWING, ApplicationState.APPROVED,
         ApplicationState.SIGNED, ApplicationState.MORTGAGED, ApplicationState.DISBURSING, ApplicationState.DISBURSED]


def progress(application: Any) -> list[dict[str, str]]:
    """The steps the borrower and the staff follow, each done, current, to do (or failed when it ended there)."""
    ended = application.state in (ApplicationState.REJECTED, ApplicationState.WITHDRAWN)
    at = ORDER.index(application.state) if application.state in ORDER else None
    out = []
    for state, label in STEPS:
        index = ORDER.index(state)
        if at is None:
            reached = index <= ORDER.index(ApplicationState.REVIEWING) and application.accepted_at is not None \
                or state == ApplicationState.SUBMITTED
            status = "done" if reached else "todo"
        else:
            status = "done" if index < at else "current" if index == at else "todo"
        out.append({"label": label, "state": status})
    if ended:
        out.append({"label": application.get_state_display(), "state": "failed"})
    return out


def next_steps(application: Any, roles: Any) -> list[dict[str, Any]]:
    """The staff flow as one path: the page of the step that follows the application's state, offered only to the
    post that does it (签约 and 抵押 the 受理 post, 放款通知 委贷管理, 放款 财务); the loan's own page to anyone."""
    from django.urls import reverse

    from fund.people.models import Post

    from ..models import Loan

    S = ApplicationState
    loan = Loan.objects.filter(application=application).select_related("disbursement").first() \
        if application.state in (S.SIGNED, S.MORTGAGED, S.DISBURSING, S.DISBURSED) else None
    out: list[dict[str, Any]] = []
    if application.state == S.APPROVED and roles.can_accept:
        out.append({"label": "合同面签", "url": reverse("staff:loan-sign", args=[application.pk])})
    if loan is not None:
        if application.state == S.SIGNED and roles.can_accept:
            out.append({"label": "抵押登记", "url": reverse("staff:loan-mortgage", args=[loan.pk])})
        noticed = getattr(loan, "disbursement", None) is not None
        if application.state == S.MORTGAGED and not noticed and roles.has_post(Post.LOAN_ADMIN):
            out.append({"label": "出具放款通知", "post": reverse("staff:loan-disbursement-notice",
                                                              args=[application.pk])})
        if noticed and application.state in (S.MORTGAGED, S.DISBURSING) and roles.has_post(Post.FINANCE):
            out.append({"label": "财务放款", "url": reverse("staff:loan-disbursements") + "?tab=noticed"})
        out.append({"label": "贷款账户", "url": reverse("staff:loan", args=[loan.pk]), "secondary": True})
    return out


class FilterForm(forms.Form):
    state = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *ApplicationState.choices])
    channel = forms.ChoiceField(label="渠道", required=False, choices=[("", "全部"), *Channel.choices])
    q = forms.CharField(label="编号/姓名", required=False, max_length=40)


@portal_required("staff")
def application_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    rows = applications_for_user(request.user).order_by("-id")
    if form.is_valid():
        data = form.cleaned_data
        if data["state"]:
            rows = rows.filter(state=data["state"])
        if data["channel"]:
            rows = rows.filter(channel=data["channel"])
        if data["q"]:
            rows = rows.filter(number__icontains=data["q"]) | rows.filter(borrower__name__icontains=data["q"])
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(request, "loans/staff/application_list.html", {"form": form, "page_obj": page})


class DecideForm(forms.Form):
    approve = forms.TypedChoiceField(label="意见", choices=[("1", "同意"), ("0", "不同意")], coerce=lambda v: v == "1")
    opinion = forms.CharField(label="审批意见", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    amount = forms.CharField(label="核准金额（元，最后环节可调低）", required=False, max_length=30)


@portal_required("staff")
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_get_for_user(user=request.user, pk=pk)
    item = work_open_item(application)
    may_decide = item is not None and work_refusal(actor=request.user, item=item) is None
    decide_form = DecideForm(request.POST if request.method == "POST" and "decide" in request.POST else None)
    if request.method == "POST" and "decide" in request.POST:
        if not may_decide:
            raise PermissionDenied
        done = form_submit(request, decide_form, lambda d: application_decide(
            actor=request.user, application=application, approve=d["approve"], opinion=d["opinion"],
            amount=d["amount"] or None), done="已提交审核意见", then=lambda a: redirect(a.get_staff_url()))
        if done is not None:
            return done
    if request.method == "POST" and "print_opinion" in request.POST:
        from django.contrib import messages

        from ..pdf import opinion_request

        document = opinion_request(application=application, requested_by=request.user)
        messages.success(request, f"审批意见已开具，验证码 {document.code_display}，可在“我的文件”下载")
        return redirect(application.get_staff_url())
    item_spec = item_for(application.home_kind)
    accept_error = ""
    if request.method == "POST" and "accept" in request.POST:
        if not roles_of(request.user).can_accept:
            raise PermissionDenied
        from django.contrib import messages
        from django.core.exceptions import ValidationError

        try:
            application_accept(actor=request.user, application=application, materials=request.POST.getlist("materials"))
        except ValidationError as exc:
            accept_error = "；".join(exc.messages)
        else:
            messages.success(request, "已受理，转初审")
            return redirect(application.get_staff_url())
    limits = application.quota_detail.get("limits", []) if isinstance(application.quota_detail, dict) else []
    return render(request, "loans/staff/application_detail.html", {
        "a": application, "steps": progress(application), "limits": limits, "item": item,
        "may_decide": may_decide, "decide_form": decide_form, "history": work_history(application),
        "moves": status_history(application), "co_borrowers": application.co_borrowers.select_related("person"),
        "materials": [(m, m.code in application.materials) for m in item_spec.materials],
        "may_accept": application.state == ApplicationState.SUBMITTED and roles_of(request.user).can_accept,
        "accept_error": accept_error, "next_steps": next_steps(application, roles_of(request.user)),
    })


staff_patterns = [
    path("loans/applications/", application_list, name="loan-applications"),
    path("loans/applications/<int:pk>/", application_detail, name="loan-application"),
]
