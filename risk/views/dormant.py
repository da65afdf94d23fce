"""Pages of the dormant account campaign (呆滞账户清理): the campaigns with the start form, one campaign's progress
and its accounts by branch and unit, and recording an outcome on one account."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from fund.filters import page_filtered
from fund.portals.decorators import portal_required
from fund.views import form_submit

from ..dormant_forms import DormantAccountFilter, DormantOutcomeForm, DormantStartForm
from ..selectors.dormant import (
    dormant_account_get_for_user,
    dormant_accounts_for_user,
    dormant_campaign_get_for_user,
    dormant_campaigns_for_user,
    dormant_cutoff_preview,
    dormant_may_start,
    dormant_may_work,
    dormant_progress,
)
from ..services.dormant import dormant_campaign_start, dormant_outcome_record


def _require_worker(request: HttpRequest) -> None:
    """Staff of another post: the campaign does not exist for them (404), as for a missing one."""
    if not dormant_may_work(request.user):
        raise Http404("未找到，或您无权访问")


@require_http_methods(["GET", "POST"])
@portal_required("staff")
def staff_dormant(request: HttpRequest) -> HttpResponse:
    _require_worker(request)
    may_start = dormant_may_start(request.user)
    form = DormantStartForm(request.POST or None)
    if request.method == "POST":
        if not may_start:
            raise PermissionDenied("只有全中心范围的风控岗或分管领导可以发起呆滞账户清理")
        if response := form_submit(
            request, form, lambda data: dormant_campaign_start(actor=request.user, **data),
            done=lambda c: f"已发起“{c.name}”，列入呆滞账户 {c.accounts.count()} 户，已向有手机号码的职工发送通知",
            then=lambda c: redirect("staff:risk-dormant-campaign", pk=c.pk),
        ):
            return response
    campaigns = [(c, dormant_progress(request.user, c, units=0)) for c in dormant_campaigns_for_user(request.user)[:20]]
    return render(request, "risk/staff/dormant_list.html", {
        "campaigns": campaigns, "form": form, "may_start": may_start, "preview": dormant_cutoff_preview(),
    }, status=400 if form.is_bound else 200)


@portal_required("staff")
def staff_dormant_campaign(request: HttpRequest, pk: int) -> HttpResponse:
    _require_worker(request)
    return _campaign_page(request, dormant_campaign_get_for_user(request.user, pk))


def _campaign_page(request: HttpRequest, campaign: Any, *, failed: Any = None, form: Any = None) -> HttpResponse:
    """The campaign's progress and accounts; after a refused outcome, with that account's form and its errors (400)."""
    items = dormant_accounts_for_user(request.user).filter(campaign=campaign).order_by("branch__code", "unit__number", "id")
    filters, items = page_filtered(request, DormantAccountFilter, items)
    page = Paginator(items, 30).get_page(request.GET.get("page"))
    return render(request, "risk/staff/dormant_campaign.html", {
        "campaign": campaign, "progress": _with_bars(dormant_progress(request.user, campaign)), "page_obj": page,
        "filter_form": filters.form, "outcome_form": DormantOutcomeForm(), "failed": failed, "failed_form": form,
    }, status=400 if failed is not None else 200)


def _with_bars(progress: dict[str, Any]) -> dict[str, Any]:
    """The branch and unit rows as includes/bar_chart.html items: the share settled (已提取 + 已转移)."""
    for key, label in (("branch_bars", "branch"), ("unit_bars", "unit")):
        rows = progress["by_branch" if label == "branch" else "by_unit"]
        progress[key] = [{"label": row[label], "value": f"{row['settled']}/{row['total']}",
                          "percent": row["settled_percent"]} for row in rows]
    return progress


@require_POST
@portal_required("staff")
def staff_dormant_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    _require_worker(request)
    item = dormant_account_get_for_user(request.user, pk)
    form = DormantOutcomeForm(request.POST)
    if response := form_submit(
        request, form, lambda data: dormant_outcome_record(actor=request.user, item=item, **data),
        done=lambda i: f"已登记 {i.account.person.name}：{i.get_outcome_display()}",
        then=lambda i: redirect("staff:risk-dormant-campaign", pk=i.campaign_id),
    ):
        return response
    return _campaign_page(request, item.campaign, failed=item, form=form)
