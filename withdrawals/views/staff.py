"""综合窗口 · 提取: window acceptance (find the account, choose the reason, fill the form and tick the paper
materials), the list with filters, and a withdrawal's whole record with the review form on its open step,
the payouts, a forced retry after a failed payout, and the receipt.

Pages call the services; every fetch goes through the selectors (another branch's withdrawal is a 404)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from deposits.selectors import member_account_get_for_holder_or_staff, member_accounts_for_user
from fund.audit.actions import key_label, value_label
from fund.audit.masking import mask_bank_card, mask_data, mask_id_number
from fund.audit.services import person_viewed
from fund.filters import page_filtered
from fund.integrations.base import IntegrationError
from fund.people.roles import roles_of
from fund.portals.decorators import accept_post_required, portal_required
from fund.views import apply_errors, attempt
from fund.workflow.services import work_history, work_items_for_user, work_open_item

from ..filters import WithdrawalFilter
from ..forms import AccountLookupForm, ReviewForm, WithdrawalApplyForm
from ..loans import household_loans
from ..models import Channel, WithdrawalState
from ..pdf import ACCEPTANCE, acceptance_request, receipt_request
from ..reasons import REASONS
from ..selectors import withdrawal_get_for_user, withdrawals_for_user
from ..services import payout_retry, withdrawal_cancel, withdrawal_review, withdrawal_submit
from ..services.application import in_flight_for
from ..services.decision import REVIEW_FLOW
from ..status import withdrawal_progress, withdrawal_status
from .member import guide_url, receipts_of

CALL_PAGE = "staff:call_detail"
EVIDENCE_NAMES = {
    "call_id": "核验记录", "call_ids": "核验记录", "credit_call_id": "征信查询记录", "marriage_call_id": "婚姻登记查询记录",
    "property_call_id": "不动产登记查询记录", "tax_call_id": "税务发票查询记录",
    "social_insurance_call_id": "社保查询记录", "report_number": "征信报告编号",
    "property_call_ids": "不动产登记查询记录",
}
TONES = {"submitted": "primary", "review": "warning", "approved": "accent", "payout_failed": "danger", "paid": "success"}


def _split_errors(exc: ValidationError) -> tuple[ValidationError | None, list[str]]:
    """The service's errors without the materials ones (shown by the checklist), and the materials ones."""
    errors = dict(exc.message_dict) if hasattr(exc, "error_dict") else {"__all__": list(exc.messages)}
    materials = errors.pop("materials", [])
    return (ValidationError(errors) if errors else None), materials


@portal_required("staff")
@accept_post_required
def staff_new(request: HttpRequest) -> HttpResponse:
    """One page, three steps: a POSTed ID number (or account number) finds the account, ?account= chooses it
    and shows the reasons, &reason= shows the form."""
    looking_up = request.method == "POST" and "id_number" in request.POST  # by POST: no ID numbers in URLs/logs
    lookup = AccountLookupForm(request.POST if looking_up else None)
    query = request.POST.get("id_number", "").strip().upper() if looking_up else ""
    found = []
    if query:
        found = list(member_accounts_for_user(request.user).filter(Q(person__id_number=query) | Q(number=query))
                     .select_related("person", "unit__employer", "sub_account").order_by("-opened_on")[:10])
        for account in found:
            account.masked_id = mask_id_number(account.person.id_number)
    account = reason = form = None
    materials_error: list[str] = []
    checked: list[str] = request.POST.getlist("materials")
    if request.GET.get("account"):
        account = member_account_get_for_holder_or_staff(user=request.user, pk=request.GET["account"])
        account.masked_id = mask_id_number(account.person.id_number)
        account.masked_card = mask_bank_card(account.bank_card)
    if account is not None and request.GET.get("reason") and not looking_up:
        reason = REASONS.get(request.GET["reason"])
        if reason is None:
            raise Http404("没有这个提取原因")
        loans = None
        if any(spec.name == "loan" for spec in reason.inputs):
            try:
                loans = household_loans(account.person.id_number)
            except IntegrationError:
                loans = None
        form = WithdrawalApplyForm(request.POST or None, reason=reason, account=account, window=True, loans=loans)
        if request.method == "POST" and form.is_valid():
            try:
                withdrawal = withdrawal_submit(actor=request.user, account=account, channel=Channel.WINDOW,
                                               materials=checked, **form.service_kwargs())
            except ValidationError as exc:
                rest, materials_error = _split_errors(exc)
                if rest is not None:
                    apply_errors(form, rest)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                # The decision may already have run (and paid): say only what was done; the page shows the state.
                messages.success(request, f"提取申请 {withdrawal.number} 已受理。")
                # the applicant leaves the window with the number on paper (受理回执), printed from the detail page
                attempt(request, lambda: acceptance_request(withdrawal=withdrawal, requested_by=request.user),
                        "受理回执正在生成，请打印后交申请人。", level=messages.INFO)
                return redirect("staff:withdrawal", pk=withdrawal.pk)
    if account is not None and request.method == "GET":
        person_viewed(actor=request.user, person=account.person, context=f"提取受理 {account.number}")
    return render(request, "withdrawals/staff/new.html", {
        "lookup": lookup, "query": query, "found": found, "looking_up": looking_up, "account": account, "reason": reason, "form": form,
        "reasons": [{"reason": r, "guide": guide_url(r)} for r in REASONS.values()],
        "checked": checked, "materials_error": materials_error,
        "notice_url": reverse("staff:guide-notice", args=[reason.item.code]) if reason else "",
        "in_flight": in_flight_for(account) if account is not None else None,
        "terms": reason.terms(account, timezone.localdate()) if reason is not None and account is not None else [],
    })


@portal_required("staff")
def staff_list(request: HttpRequest) -> HttpResponse:
    base = withdrawals_for_user(request.user)
    filters, rows = page_filtered(request, WithdrawalFilter, base)
    counts = dict(base.values_list("state").annotate(n=Count("id")).order_by())
    stats = [{"state": key, "label": label, "count": counts.get(key, 0), "tone": TONES.get(key, ""),
              "href": f"?state={key}"} for key, label in WithdrawalState.choices if key != WithdrawalState.CANCELLED]
    page = Paginator(rows.order_by("-id"), 30).get_page(request.GET.get("page"))
    for w in page:
        w.masked_id = mask_id_number(w.account.person.id_number)
        w.reason_label = REASONS[w.reason].label
    return render(request, "withdrawals/staff/list.html", {"form": filters.form, "page_obj": page, "stats": stats})


def _evidence(check: Any) -> list[dict[str, Any]]:
    """Each evidence value under its Chinese name, with links to the staff page of the outside calls it names
    and identifying numbers masked."""
    out = []
    for key, value in (check.evidence or {}).items():
        ids = value if isinstance(value, list) else [value]
        label = EVIDENCE_NAMES.get(key, key_label(key))
        if key.endswith(("call_id", "call_ids")):
            links = [{"id": i, "url": reverse(CALL_PAGE, args=[i])} for i in ids if isinstance(i, int)]
            out.append({"key": label, "links": links, "value": "" if links else mask_data(value)})
        else:
            out.append({"key": label, "links": [], "value": value_label(key, mask_data(value))})
    return out


def _may_review(user: Any, item: Any, history: list[Any]) -> bool:
    """Whether to offer the review form: the open step is in the user's inbox and they decided no earlier
    step of this withdrawal. The service checks again; this only decides what the page shows."""
    if item is None or not work_items_for_user(user).filter(pk=item.pk).exists():
        return False
    return not any(h.acted_by_id == user.pk for h in history if h.pk != item.pk)


def _detail(request: HttpRequest, withdrawal: Any, review_form: ReviewForm | None = None) -> HttpResponse:
    roles = roles_of(request.user)
    history = list(work_history(withdrawal))
    item = work_open_item(withdrawal)
    last_step = item is not None and item.step == REVIEW_FLOW.steps[-1].code
    with_amount = last_step and not withdrawal.closes_account
    may_review = _may_review(request.user, item, history)
    if may_review and review_form is None:
        review_form = ReviewForm(with_amount=with_amount, proposed=withdrawal.amount)
    checks = list(withdrawal.checks.all())
    for check in checks:
        check.evidence_items = _evidence(check)
    rounds = sorted({c.round for c in checks}, reverse=True)
    payouts = list(withdrawal.payouts.select_related("hold_entry", "settle_entry"))
    for payout in payouts:
        payout.masked_card = mask_bank_card(payout.payee_account)
    person_viewed(actor=request.user, person=withdrawal.account.person, context=f"查看提取 {withdrawal.number}")
    return render(request, "withdrawals/staff/detail.html", {
        "w": withdrawal, "reason": REASONS[withdrawal.reason], "steps": withdrawal_progress(withdrawal, items=history),
        "st": withdrawal_status(withdrawal, items=history),
        "rounds": [(n, [c for c in checks if c.round == n]) for n in rounds],
        "history": history, "open_item": item, "may_review": may_review, "review_form": review_form,
        "payouts": payouts, "receipts": receipts_of(withdrawal)[:5],
        "acceptances": receipts_of(withdrawal, kind=ACCEPTANCE)[:5],
        "may_print_acceptance": withdrawal.channel == Channel.WINDOW and roles.can_accept,
        "masked_id": mask_id_number(withdrawal.account.person.id_number),
        "masked_other": mask_id_number(withdrawal.other_id_number) if withdrawal.other_id_number else "",
        "masked_card": mask_bank_card(withdrawal.payee_card),
        "may_retry": withdrawal.state == WithdrawalState.PAYOUT_FAILED and roles.can_accept,
        "may_cancel": withdrawal.state in (WithdrawalState.SUBMITTED, WithdrawalState.REVIEW) and roles.can_accept,
        "details": _details(REASONS[withdrawal.reason], withdrawal.details or {}),
        "materials": [withdrawal_material(REASONS[withdrawal.reason], code) for code in withdrawal.materials],
    })


def _details(reason: Any, details: dict[str, Any]) -> list[tuple[str, Any]]:
    """The reason's inputs by label (a grouped one, such as the medical record's parts, read from its group),
    then anything else the details hold."""
    shown = [(spec.label, spec.stored(details)) for spec in reason.inputs if spec.stored(details) not in (None, "")]
    known = {spec.group or spec.name for spec in reason.inputs}
    return shown + [(key, value) for key, value in details.items() if key not in known]


def withdrawal_material(reason: Any, code: str) -> str:
    try:
        return reason.item.material(code).name
    except KeyError:
        return code


@portal_required("staff")
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, withdrawal_get_for_user(user=request.user, pk=pk))


@require_POST
@portal_required("staff")
def staff_review(request: HttpRequest, pk: int) -> HttpResponse:
    withdrawal = withdrawal_get_for_user(user=request.user, pk=pk)
    item = work_open_item(withdrawal)
    with_amount = (item is not None and item.step == REVIEW_FLOW.steps[-1].code and not withdrawal.closes_account)
    form = ReviewForm(request.POST, with_amount=with_amount, proposed=withdrawal.amount)
    approve = request.POST.get("decision") == "approve"
    if form.is_valid():
        try:
            withdrawal = withdrawal_review(actor=request.user, withdrawal=withdrawal, approve=approve,
                                           opinion=form.cleaned_data["opinion"], amount=form.cleaned_data.get("amount"))
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:  # not this user's step: no form to show it on
            messages.error(request, str(exc))
            return redirect("staff:withdrawal", pk=withdrawal.pk)
        else:
            step = item.step_label if item else "审核"
            # No state in the message: the bank may pay before the page shows, and the page's badge says it.
            messages.success(request, f"{step}：已{'同意' if approve else '不同意'}。")
            return redirect("staff:withdrawal", pk=withdrawal.pk)
    withdrawal.refresh_from_db()
    return _detail(request, withdrawal, review_form=form)


@require_POST
@portal_required("staff")
@accept_post_required
def staff_retry(request: HttpRequest, pk: int) -> HttpResponse:
    withdrawal = withdrawal_get_for_user(user=request.user, pk=pk)
    try:
        withdrawal = payout_retry(withdrawal_id=withdrawal.pk, actor=request.user, force=True,
                                  payee_card=request.POST.get("payee_card", "")[:40])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if withdrawal.state == WithdrawalState.APPROVED:
            messages.success(request, "已重新发起付款，银行处理后状态自动更新。")
        else:
            messages.warning(request, f"未重新付款：当前状态为“{withdrawal_status(withdrawal, items=[]).label}”。")
    return redirect("staff:withdrawal", pk=withdrawal.pk)


@require_POST
@portal_required("staff")
@accept_post_required
def staff_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    withdrawal = withdrawal_get_for_user(user=request.user, pk=pk)
    reason = request.POST.get("reason", "窗口撤回")
    attempt(request, lambda: withdrawal_cancel(actor=request.user, withdrawal=withdrawal, reason=reason),
            f"提取申请 {withdrawal.number} 已撤回。")
    return redirect("staff:withdrawal", pk=withdrawal.pk)


@require_POST
@portal_required("staff")
@accept_post_required
def staff_acceptance(request: HttpRequest, pk: int) -> HttpResponse:
    withdrawal = withdrawal_get_for_user(user=request.user, pk=pk)
    attempt(request, lambda: acceptance_request(withdrawal=withdrawal, requested_by=request.user),
            "受理回执正在生成，稍后刷新本页即可下载。", level=messages.INFO)
    return redirect("staff:withdrawal", pk=withdrawal.pk)


@require_POST
@portal_required("staff")
def staff_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    withdrawal = withdrawal_get_for_user(user=request.user, pk=pk)
    attempt(request, lambda: receipt_request(withdrawal=withdrawal, requested_by=request.user),
            "提取凭证正在生成，稍后刷新本页即可下载。", level=messages.INFO)
    return redirect("staff:withdrawal", pk=withdrawal.pk)


staff_patterns = [
    path("withdrawals/", staff_list, name="withdrawals"),
    path("withdrawals/new/", staff_new, name="withdrawal_new"),
    path("withdrawals/<int:pk>/", staff_detail, name="withdrawal"),
    path("withdrawals/<int:pk>/review/", staff_review, name="withdrawal_review"),
    path("withdrawals/<int:pk>/retry/", staff_retry, name="withdrawal_retry"),
    path("withdrawals/<int:pk>/cancel/", staff_cancel, name="withdrawal_cancel"),
    path("withdrawals/<int:pk>/receipt/", staff_receipt, name="withdrawal_receipt"),
    path("withdrawals/<int:pk>/acceptance/", staff_acceptance, name="withdrawal_acceptance"),
]
