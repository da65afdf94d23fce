"""Cross-region transfer pages: the staff window (in and out) and the member's own transfer-in request."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path

from fund.integrations.base import IntegrationError
from fund.people.selectors import get_or_404, scoped
from fund.portals.decorators import accept_post_required, portal_required
from fund.views import form_submit

from ..models import CrossRegionTransfer
from ..selectors import (
    member_account_get_for_holder_or_staff,
    member_accounts_for_user,
    pending_letters_for_user,
)
from ..services.transfer import (
    letter_blockers,
    transfer_in_apply,
    transfer_out_blockers,
    transfer_out_execute,
    transfer_out_letter_execute,
    transfer_out_letter_refuse,
    transfer_out_letters_fetch,
    transfer_out_payout_retry,
)


class TransferInForm(forms.Form):
    from_centre = forms.CharField(label="转出地公积金中心", max_length=120)
    from_account_number = forms.CharField(label="原个人账号", max_length=40, required=False)


class TransferOutForm(forms.Form):
    letter_number = forms.CharField(label="联系函编号", max_length=40)
    to_centre = forms.CharField(label="转入地公积金中心", max_length=120)
    to_account_number = forms.CharField(label="转入地个人账号", max_length=40, required=False)


def transfers_for_user(user):
    queryset = CrossRegionTransfer.objects.select_related("account__person", "account__unit__employer")
    return scoped(queryset, user, branch="account__unit__employer__branch", person="account__person")


@portal_required("staff")
def staff_transfers(request: HttpRequest) -> HttpResponse:
    transfers = transfers_for_user(request.user)[:100]
    return render(request, "deposits/transfer/staff_list.html", {"transfers": transfers})


@portal_required("staff")
@accept_post_required
def staff_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    account = member_account_get_for_holder_or_staff(user=request.user, pk=pk)
    in_form = TransferInForm(request.POST if request.POST.get("direction") == "in" else None)
    out_form = TransferOutForm(request.POST if request.POST.get("direction") == "out" else None)
    if request.method == "POST":
        if request.POST.get("direction") == "in":
            response = form_submit(
                request, in_form, lambda data: transfer_in_apply(actor=request.user, account=account, **data),
                done="转入申请已提交，联系函将通过全国转移接续平台发出。", then="staff:transfers",
            )
        else:
            response = form_submit(
                request, out_form, lambda data: transfer_out_execute(actor=request.user, account=account, **data),
                done="转出已办理：余额已转出待划款，账户已销户。", then="staff:transfers",
            )
        if response:
            return response
    letters = list(pending_letters_for_user(request.user).filter(account=account))
    context = {
        "account": account, "in_form": in_form, "out_form": out_form,
        "blockers": transfer_out_blockers(account, letter=letters[0] if letters else None),
        "transfers": account.transfers.all()[:10], "letters": letters,
    }
    return render(request, "deposits/transfer/staff_account.html", context)


@portal_required("member")
def member_transfer(request: HttpRequest) -> HttpResponse:
    account = (
        scoped(member_accounts_for_user(request.user), request.user, person="person").order_by("-opened_on", "-id").first()
    )
    form = TransferInForm(request.POST or None)
    if account is not None and (response := form_submit(
        request, form, lambda data: transfer_in_apply(actor=request.user, account=account, **data),
        done="转入申请已提交，可在本页查看办理进度。", then="member:transfer",
    )):
        return response
    transfers = account.transfers.all()[:10] if account else []
    return render(request, "deposits/transfer/member.html", {"account": account, "form": form, "transfers": transfers})


class RefuseForm(forms.Form):
    reason = forms.CharField(label="不予转出原因", max_length=200)


def letter_stage(transfer: CrossRegionTransfer) -> tuple[str, str]:
    """(status for the badge, what happens next) of a platform letter, for the clerk."""
    if transfer.refuse_reason:
        return ("rejected", "已答复不予转出" if transfer.replied_at else "不予转出，待答复平台")
    if transfer.entry_id is None:
        return ("pending", "待办理")
    if transfer.replied_at is None:
        return ("processing", "已转出至暂收款，待答复平台")
    if transfer.payout_failure:
        return ("failed", "划款失败")
    if transfer.funds_entry_id is None:
        return ("processing", "待划款")
    if transfer.funds_reported_at is None:
        return ("processing", "已划款，待报平台")
    return ("processing", "已划款，待转入地确认")


@portal_required("staff")
def staff_transfer_letters(request: HttpRequest) -> HttpResponse:
    """待办转出联系函: letters other centres sent through the platform, with the preconditions of each."""
    if request.method == "POST":
        if not request.roles.can_accept:
            raise PermissionDenied("您的岗位不能办理此业务")
        try:
            report = transfer_out_letters_fetch()
        except IntegrationError as exc:
            messages.error(request, f"转移接续平台暂不可用：{exc}")
        else:
            messages.success(request, f"已从平台获取：新来函 {len(report.created)} 件，状态更新 {len(report.updated)} 件，"
                                      f"自动答复不予转出 {len(report.refused)} 件。")
        return redirect("staff:transfer_letters")
    letters = []
    for t in pending_letters_for_user(request.user)[:200]:
        status, stage = letter_stage(t)
        letters.append({"t": t, "blockers": letter_blockers(t), "stage": stage, "stage_status": status})
    return render(request, "deposits/transfer/staff_letters.html", {
        "letters": letters, "refuse_form": RefuseForm(), "can_accept": request.roles.can_accept,
    })


@portal_required("staff")
def staff_transfer_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """Execute, refuse, or retry the payout of one letter (POST only)."""
    transfer = get_or_404(pending_letters_for_user(request.user), pk=pk)
    if request.method != "POST":
        return redirect("staff:transfer_letters")
    action = request.POST.get("action")
    try:
        if action == "execute":
            transfer_out_letter_execute(actor=request.user, transfer=transfer)
            messages.success(request, f"联系函 {transfer.letter_number} 已办理转出：余额转入暂收款，账户已销户，正在答复平台并划款。")
        elif action == "refuse":
            form = RefuseForm(request.POST)
            reason = form.data.get("reason", "")
            transfer_out_letter_refuse(actor=request.user, transfer=transfer, reason=reason)
            messages.success(request, f"联系函 {transfer.letter_number} 已答复不予转出。")
        elif action == "retry":
            transfer_out_payout_retry(actor=request.user, transfer=transfer)
            messages.success(request, "已重新发起划款。")
        else:
            messages.error(request, "未知的操作")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("staff:transfer_letters")


staff_patterns = [
    path("transfer-letters/", staff_transfer_letters, name="transfer_letters"),
    path("transfer-letters/<int:pk>/", staff_transfer_letter, name="transfer_letter"),
    path("transfers/", staff_transfers, name="transfers"),
    path("members/<int:pk>/transfer/", staff_transfer, name="member_transfer"),
]
member_patterns = [path("transfer/", member_transfer, name="transfer")]
