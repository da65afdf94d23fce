"""Pages: the unit hall's bills (generate, confirm, pay by 委托收款) and the staff window's remittance work
(bills of the branch, bank receipts, unmatched transfers, 错缴更正)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from fund.dates import first_of_month
from fund.filters import page_filtered
from fund.integrations.base import IntegrationError
from fund.money import format_money
from fund.people.selectors import get_or_404
from fund.portals.decorators import accept_post_required, portal_required
from fund.views import form_submit

from ..filters import BillFilter
from ..forms_remittance import BillGenerateForm, ReceiptForm, ReverseForm
from ..models import BillState, RefundState
from ..selectors import (
    bill_get_for_user,
    bills_for_user,
    member_accounts_for_user,
    operator_unit_account,
)
from ..services import remittance as services
from ..tasks.remittance import match_incoming_transfers


def _flash(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _lines(bill):
    return (
        bill.lines.select_related("account__person", "deposit")
        .annotate(line_total=F("unit_amount") + F("member_amount"))
        .order_by("account__number")
    )


def _bills_page(request: HttpRequest, bills):
    _, bills = page_filtered(request, BillFilter, bills)
    state = request.GET.get("state", "")
    return Paginator(bills.order_by("-month", "-id"), 20).get_page(request.GET.get("page")), state


# 单位网厅 ---------------------------------------------------------------------------------------------

@portal_required("unit")
def unit_remittance(request: HttpRequest) -> HttpResponse:
    unit = operator_unit_account(request.user)
    form = BillGenerateForm(request.POST or None, initial={"month": first_of_month(timezone.localdate())})
    if response := form_submit(
        request, form, lambda data: services.bill_generate(actor=request.user, unit=unit, **data),
        done=lambda bill: f"已生成{bill.get_kind_display()}单 {bill.number}，共 {bill.member_count} 人，"
                          f"应缴 {format_money(bill.total)} 元。请核对后确认。",
        then=lambda bill: redirect("unit:bill_detail", pk=bill.pk),
    ):
        return response
    page, state = _bills_page(request, bills_for_user(request.user).filter(unit=unit))
    return render(request, "deposits/remittance/unit_bills.html",
                  {"unit": unit, "form": form, "page_obj": page, "state": state, "states": BillState.choices})


@portal_required("unit")
def unit_bill_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bill = bill_get_for_user(user=request.user, pk=pk)
    return render(request, "deposits/remittance/unit_bill_detail.html",
                  {"bill": bill, "lines": _lines(bill), "steps": services.bill_steps(bill)})


@require_POST
@portal_required("unit")
def unit_bill_pay(request: HttpRequest, pk: int) -> HttpResponse:
    bill = bill_get_for_user(user=request.user, pk=pk)
    try:
        bill, created = services.bill_pay_by_collection(actor=request.user, bill=bill)
    except ValidationError as exc:
        _flash(request, exc)
    except IntegrationError as exc:
        messages.error(request, f"委托收款未成功：{exc.message}")
    else:
        if created:
            messages.success(request, f"委托收款成功，{format_money(bill.total)} 元已入账到 {bill.member_count} 名职工的个人账户。")
        else:
            messages.info(request, "该缴款单此前已入账，本次未重复扣款。")
    return redirect("unit:bill_detail", pk=bill.pk)


# 综合窗口 ---------------------------------------------------------------------------------------------

@portal_required("staff")
def staff_remittance(request: HttpRequest) -> HttpResponse:
    page, state = _bills_page(request, bills_for_user(request.user))
    try:
        unmatched = services.unmatched_transfers()
        bank_error = ""
    except IntegrationError as exc:
        unmatched, bank_error = [], exc.message
    visible = set(bills_for_user(request.user).values_list("pk", flat=True)) if unmatched else set()
    unmatched = [t for t in unmatched if t.bill is None or t.bill.pk in visible]
    refunds = [
        {"c": c, "problem": services.may_refund(request.user, c)}
        for c in services.corrections_awaiting_refund_for_user(request.user)[:100]
    ]
    return render(request, "deposits/remittance/staff_bills.html", {
        "page_obj": page, "state": state, "states": BillState.choices, "unmatched": unmatched,
        "bank_error": bank_error, "refunds": refunds,
    })


@require_POST
@portal_required("staff")
def staff_correction_refund(request: HttpRequest, pk: int) -> HttpResponse:
    """退款 of one correction's money in 231 to the unit (财务岗 or director, not the corrector)."""
    correction = get_or_404(services.corrections_awaiting_refund_for_user(request.user), pk=pk)
    try:
        correction = services.correction_refund(actor=request.user, correction=correction)
    except ValidationError as exc:
        _flash(request, exc)
    else:
        if correction.refund_state == RefundState.REFUNDED:
            messages.success(request, f"已退款 {format_money(correction.amount)} 元至{correction.unit.employer.name}（银行流水 "
                                      f"{correction.refund_bank_serial}）。")
        else:
            messages.error(request, f"退款未成功：{correction.refund_failure}。款项仍在暂收款，可稍后重试。")
    return redirect("staff:remittance")


@require_POST
@portal_required("staff")
@accept_post_required
def staff_match_transfers(request: HttpRequest) -> HttpResponse:
    match_incoming_transfers.delay()
    messages.info(request, "已提交来账自动匹配，匹配成功的缴款单将自动入账；稍后刷新查看。")
    return redirect("staff:remittance")


@portal_required("staff")
def staff_bill_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bill = bill_get_for_user(user=request.user, pk=pk)
    return render(request, "deposits/remittance/staff_bill_detail.html", {
        "bill": bill, "lines": _lines(bill), "steps": services.bill_steps(bill),
        "receipt_form": ReceiptForm(), "reverse_form": ReverseForm(),
    })


@require_POST
@portal_required("staff")
@accept_post_required
def staff_bill_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    bill = bill_get_for_user(user=request.user, pk=pk)
    form = ReceiptForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}：{'；'.join(errors)}")
        return redirect("staff:bill_detail", pk=bill.pk)
    try:
        bill, created = services.bill_post(bill=bill, actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        _flash(request, exc)
    else:
        if created:
            messages.success(request, f"已入账：{format_money(bill.total)} 元分配到 {bill.member_count} 名职工，凭证 {bill.entry.number}。")
        else:
            messages.warning(request, f"该缴款单已于此前入账（流水 {bill.bank_reference}），本次未重复入账。")
    return redirect("staff:bill_detail", pk=bill.pk)


@require_POST
@portal_required("staff")
@accept_post_required
def staff_bill_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    bill = bill_get_for_user(user=request.user, pk=pk)
    form = ReverseForm(request.POST)
    ids = [int(v) for v in request.POST.getlist("accounts") if v.isdigit()]
    if not form.is_valid():
        messages.error(request, "更正原因：请填写")
        return redirect("staff:bill_detail", pk=bill.pk)
    if not ids:
        messages.error(request, "请勾选需要更正的职工")
        return redirect("staff:bill_detail", pk=bill.pk)
    accounts = list(member_accounts_for_user(request.user).filter(pk__in=ids))
    try:
        done = services.bill_reverse(actor=request.user, bill=bill, reason=form.cleaned_data["reason"],
                                     accounts=accounts)
    except ValidationError as exc:
        _flash(request, exc)
    else:
        amount = sum((d.unit_amount + d.member_amount for d in done), 0)
        messages.success(request, f"已更正 {len(done)} 笔，合计 {format_money(amount)} 元转入应退单位款。" if done else "所选缴存此前已更正。")
    return redirect("staff:bill_detail", pk=bill.pk)


def _bill_move(portal: str, service, done: str):
    """A POST that moves a bill one state on (confirm, cancel) from the unit hall or the staff window."""

    def view(request: HttpRequest, pk: int) -> HttpResponse:
        bill = bill_get_for_user(user=request.user, pk=pk)
        try:
            service(actor=request.user, bill=bill)
        except ValidationError as exc:
            _flash(request, exc)
        else:
            messages.success(request, done)
        return redirect(f"{portal}:bill_detail", pk=bill.pk)

    view.__name__ = f"{portal}_{service.__name__}"
    guarded = accept_post_required(view) if portal == "staff" else view
    return require_POST(portal_required(portal)(guarded))


unit_bill_confirm = _bill_move("unit", services.bill_confirm, "缴款单已确认，可以缴款。")
unit_bill_cancel = _bill_move("unit", services.bill_cancel, "缴款单已作废。")
staff_bill_confirm = _bill_move("staff", services.bill_confirm, "缴款单已确认。")
staff_bill_cancel = _bill_move("staff", services.bill_cancel, "缴款单已作废。")


unit_patterns = [
    path("remittance/", unit_remittance, name="remittance"),
    path("remittance/<int:pk>/", unit_bill_detail, name="bill_detail"),
    path("remittance/<int:pk>/confirm/", unit_bill_confirm, name="bill_confirm"),
    path("remittance/<int:pk>/pay/", unit_bill_pay, name="bill_pay"),
    path("remittance/<int:pk>/cancel/", unit_bill_cancel, name="bill_cancel"),
]
staff_patterns = [
    path("remittance/", staff_remittance, name="remittance"),
    path("remittance/match/", staff_match_transfers, name="remittance_match"),
    path("remittance/refunds/<int:pk>/", staff_correction_refund, name="correction_refund"),
    path("remittance/<int:pk>/", staff_bill_detail, name="bill_detail"),
    path("remittance/<int:pk>/confirm/", staff_bill_confirm, name="bill_confirm"),
    path("remittance/<int:pk>/receipt/", staff_bill_receipt, name="bill_receipt"),
    path("remittance/<int:pk>/reverse/", staff_bill_reverse, name="bill_reverse"),
    path("remittance/<int:pk>/cancel/", staff_bill_cancel, name="bill_cancel"),
]
