"""额度试算 pages: the public estimator (anonymous, everything typed), the member's (prefilled from the centre's
data) and the developer's (for a buyer the developer's operator types in). No page writes anything."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from deposits.selectors.accounts import member_own_account
from fund.integrations.base import IntegrationError
from fund.money import ZERO
from fund.people.selectors import scoped
from fund.portals.decorators import portal_required
from fund.views import apply_errors

from ..forms import EstimateForm, MemberEstimateForm
from ..models import Project
from ..services.estimator import estimate_input_clean, member_estimate, member_input_clean, typed_result
from ..services.quota import QuotaResult


def bars(result: QuotaResult) -> list[dict[str, Any]]:
    """Each limit with its bar: its length against the largest limit, the binding one marked."""
    top = max((x.amount for x in result.limits), default=ZERO)
    return [{"limit": x, "percent": int(x.amount * 100 / top) if top > 0 else 0} for x in result.limits]


def _typed_page(request: HttpRequest, template: str, extra: dict[str, Any] | None = None) -> HttpResponse:
    form = EstimateForm(request.POST or None)
    context: dict[str, Any] = {"form": form, **(extra or {})}
    if form.is_bound and form.is_valid():
        try:
            typed = estimate_input_clean(form.raw(), on=timezone.localdate())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            result = typed_result(typed)
            context.update(result=result, bars=bars(result), product=typed.product,
                           combination=result.combination())
    return render(request, template, context)


def public_estimate(request: HttpRequest) -> HttpResponse:
    return _typed_page(request, "loans/public/estimate.html")


@portal_required("developer")
def developer_estimate(request: HttpRequest) -> HttpResponse:
    projects = scoped(Project.objects.all(), request.user, developer="developer").order_by("name")
    return _typed_page(request, "loans/developer/estimate.html", {"projects": projects})


@portal_required("member")
def member_estimate_page(request: HttpRequest) -> HttpResponse:
    account = member_own_account(request.user)
    form = MemberEstimateForm(request.POST or None)
    context: dict[str, Any] = {"form": form, "account": account}
    if account is not None and form.is_bound and form.is_valid():
        today = timezone.localdate()
        try:
            typed = member_input_clean(form.raw(), on=today)
            found = member_estimate(person=account.person, account=account, typed=typed, on=today)
        except ValidationError as exc:
            apply_errors(form, exc)
        except IntegrationError as exc:
            form.add_error(None, f"暂时无法查询共享数据（{exc.message}），请稍后再试")
        else:
            context.update(found=found, result=found.result, bars=bars(found.result), product=typed["product"],
                           combination=found.result.combination())
    return render(request, "loans/member/estimate.html", context)


public_patterns = [path("estimate/", public_estimate, name="estimate")]
member_patterns = [path("loans/estimate/", member_estimate_page, name="loan-estimate")]
developer_patterns = [path("loans/estimate/", developer_estimate, name="loan-estimate")]
