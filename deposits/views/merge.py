"""合并销户 pages (综合窗口): find a person's accounts by ID number, choose the account to close and the one
to keep, confirm with the amounts computed to the day; and the list of 疑似重复账户 to work through.

Every staff member may look (within their branch); only 受理 staff or a director may merge.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path

from fund.audit.services import person_viewed
from fund.ledger.services import PostingError
from fund.money import format_money
from fund.people.selectors import get_or_404
from fund.portals.decorators import portal_required
from fund.views import apply_errors

from ..models import AccountMerge, MemberAccount
from ..selectors import (
    CLOSED_STATES,
    duplicate_accounts_for_user,
    member_account_get_for_user,
    member_accounts_for_user,
    merges_for_user,
    person_accounts_for_user,
)
from ..services.merge import (
    SOURCE_STATES,
    TARGET_STATES,
    member_account_merge,
    member_account_merge_preview,
)


class MergeForm(forms.Form):
    source = forms.TypedChoiceField(label="并出账户（合并后销户）", coerce=int, widget=forms.RadioSelect)
    target = forms.TypedChoiceField(label="并入账户（保留）", coerce=int, widget=forms.RadioSelect)
    reason = forms.CharField(label="合并原因", max_length=200, required=False,
                             help_text="如：历史数据重复开户、跨单位重复开户")

    def __init__(self, *args: Any, accounts: list[MemberAccount], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

        def label(a: MemberAccount) -> str:
            return f"{a.number} · {a.unit.employer.name} · {a.get_state_display()} · 余额 {format_money(a.sub_account.balance)} 元"

        self.fields["source"].choices = [(a.pk, label(a)) for a in accounts if a.state in SOURCE_STATES]
        self.fields["target"].choices = [(a.pk, label(a)) for a in accounts if a.state in TARGET_STATES]


def _can_merge(request: HttpRequest) -> bool:
    return bool(request.roles.can_accept)


@portal_required("staff")
def staff_merge(request: HttpRequest) -> HttpResponse:
    """Search by ID number; POST step=preview shows the amounts, step=confirm merges."""
    id_number = (request.POST.get("id_number") or request.GET.get("id_number") or "").strip().upper()
    person = request.GET.get("person") or ""
    if not id_number and person.isdigit():
        # Links name the person by key, so a whole ID number never lands in an address (history, logs).
        id_number = (member_accounts_for_user(request.user).filter(person_id=int(person))
                     .values_list("person__id_number", flat=True).first() or "")
    accounts = list(person_accounts_for_user(user=request.user, id_number=id_number)) if id_number else []
    context: dict[str, Any] = {"id_number": id_number, "accounts": accounts, "can_merge": _can_merge(request),
                               "closed_states": CLOSED_STATES}
    if accounts:
        person_viewed(actor=request.user, person=accounts[0].person, context="合并销户查询个人账户")
        context["person"] = accounts[0].person
    form = MergeForm(request.POST or None, accounts=accounts)
    if request.method == "POST":
        if not _can_merge(request):
            raise PermissionDenied("您的岗位不能办理此业务")
        chosen = {  # an account outside the user's scope is not found (404)
            name: member_account_get_for_user(user=request.user, pk=request.POST[name])
            for name in ("source", "target") if (request.POST.get(name) or "").isdigit()
        }
        confirm = request.POST.get("step") == "confirm"
        # The confirmation sent again after the merge: the source is closed now and no longer a choice, so
        # the form would refuse it; the service answers with the first merge and posts nothing.
        replay = confirm and len(chosen) == 2 and AccountMerge.objects.filter(source=chosen["source"]).exists()
        if replay or form.is_valid():
            source, target = chosen["source"], chosen["target"]
            if confirm:
                try:
                    merge, created = member_account_merge(
                        actor=request.user, source=source, target=target,
                        reason=form.cleaned_data["reason"] if not replay else request.POST.get("reason", ""),
                    )
                except (ValidationError, PostingError) as exc:
                    apply_errors(form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc)))
                else:
                    if created:
                        messages.success(
                            request, f"合并销户已办理：{format_money(merge.amount)} 元（含结息 {format_money(merge.interest)} 元）"
                            f"已并入个人账户 {target.number}，原账户 {source.number} 已销户。",
                        )
                    else:
                        messages.warning(request, "该合并已于此前办理，本次未重复记账。")
                    return redirect("staff:merge_detail", pk=merge.pk)
            else:
                preview = member_account_merge_preview(source=source, target=target)
                if preview.blockers:
                    apply_errors(form, ValidationError(preview.blockers))
                else:
                    context.update(preview=preview, source=source, target=target)
    context["form"] = form
    if not id_number:
        context["recent"] = merges_for_user(request.user)[:10]
    return render(request, "deposits/merge/staff_merge.html", context, status=400 if form.errors else 200)


@portal_required("staff")
def staff_merge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    merge = get_or_404(merges_for_user(request.user), pk=pk)
    return render(request, "deposits/merge/staff_merge_detail.html", {"merge": merge})


@portal_required("staff")
def staff_merge_duplicates(request: HttpRequest) -> HttpResponse:
    rows = duplicate_accounts_for_user(request.user)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(request, "deposits/merge/staff_duplicates.html", {"page_obj": page, "total": len(rows)})


staff_patterns = [
    path("merge/", staff_merge, name="merge"),
    path("merge/duplicates/", staff_merge_duplicates, name="merge_duplicates"),
    path("merge/<int:pk>/", staff_merge_detail, name="merge_detail"),
]
