"""Cross-region transfer pages: the staff window (in and out) and the member's own transfer-in request."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path

from fund.people.selectors import scoped
from fund.people.views import apply_errors
from fund.portals.decorators import accept_post_required, portal_required

from ..models import CrossRegionTransfer
from ..selectors import member_account_get_for_user, member_accounts_for_user
from ..services.transfer import transfer_in_apply, transfer_out_blockers, transfer_out_execute


class TransferInForm(forms.Form):
    from_centre = forms.CharField(label="转出地公积金中心", max_length=120)
    from_account_number = forms.CharField(label="原个人账号", max_length=40, required=False)


class TransferOutForm(forms.Form):
    letter_number = forms.CharField(label="联系函编号", max_length=40)
    to_centre = forms.CharField(label="转入地公积金中心", max_length=120)
    to_account_number = forms.CharField(label="转入地个人账号", max_length=40, required=False)


def transfers_for_user(user):  # type: ignore[no-untyped-def]
    queryset = CrossRegionTransfer.objects.select_related("account__person", "account__unit__employer")
    return scoped(queryset, user, branch="account__unit__employer__branch", person="account__person")


@portal_required("staff")
def staff_transfers(request: HttpRequest) -> HttpResponse:
    transfers = transfers_for_user(request.user)[:100]
    return render(request, "deposits/transfer/staff_list.html", {"transfers": transfers})


@portal_required("staff")
@accept_post_required
def staff_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    account = member_account_get_for_user(user=request.user, pk=pk)
    in_form = TransferInForm(request.POST if request.POST.get("direction") == "in" else None)
    out_form = TransferOutForm(request.POST if request.POST.get("direction") == "out" else None)
    if request.method == "POST":
        form = in_form if request.POST.get("direction") == "in" else out_form
        if form.is_valid():
            try:
                if form is in_form:
                    transfer_in_apply(actor=request.user, account=account, **form.cleaned_data)
                    messages.success(request, "转入申请已提交，联系函将通过全国转移接续平台发出。")
                else:
                    transfer_out_execute(actor=request.user, account=account, **form.cleaned_data)
                    messages.success(request, "转出已办理：余额已转出待划款，账户已销户。")
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return redirect("staff:transfers")
    context = {
        "account": account, "in_form": in_form, "out_form": out_form,
        "blockers": transfer_out_blockers(account), "transfers": account.transfers.all()[:10],
    }
    return render(request, "deposits/transfer/staff_account.html", context)


@portal_required("member")
def member_transfer(request: HttpRequest) -> HttpResponse:
    account = (
        scoped(member_accounts_for_user(request.user), request.user, person="person").order_by("-opened_on", "-id").first()
    )
    form = TransferInForm(request.POST or None)
    if request.method == "POST" and account is not None and form.is_valid():
        try:
            transfer_in_apply(actor=request.user, account=account, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "转入申请已提交，可在本页查看办理进度。")
            return redirect("member:transfer")
    transfers = account.transfers.all()[:10] if account else []
    return render(request, "deposits/transfer/member.html", {"account": account, "form": form, "transfers": transfers})


staff_patterns = [
    path("transfers/", staff_transfers, name="transfers"),
    path("members/<int:pk>/transfer/", staff_transfer, name="member_transfer"),
]
member_patterns = [path("transfer/", member_transfer, name="transfer")]
