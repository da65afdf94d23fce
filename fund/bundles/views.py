"""Pages of 一件事 (window, unit hall, personal hall) and 跨省通办 (the public entry, the window's 通办 queue)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from fund.people.auth import client_ip
from fund.portals.decorators import portal_required
from fund.views import apply_errors, attempt, form_submit

from .forms import CrossFilterForm, CrossFinishForm, CrossProvinceForm, bundle_form_class
from .models import CrossState
from .registry import (
    Bundle,
    bundle_get,
    bundle_materials,
    bundle_missing_parts,
    bundles,
)
from .selectors import (
    bundle_run_get_for_user,
    bundle_run_parts,
    bundle_runs_for_user,
    cross_may_work,
    cross_request_get_for_user,
    cross_requests_for_user,
    cross_sign_in_url,
)
from .services import (
    TooManyChecks,
    bundle_run,
    cross_identity_verify,
    cross_item_online,
    cross_province_items,
    cross_request_finish,
    cross_request_submit,
    cross_request_take,
)

BASES = {"staff": "staff/base.html", "unit": "unit/base.html", "member": "member/base.html"}


def _bundle_for(portal: str, code: str) -> Bundle:
    bundle = bundle_get(code)
    if bundle is None or portal not in bundle.portals:
        raise Http404("未找到，或您无权访问")
    return bundle


def _index(portal: str) -> Callable[..., HttpResponse]:
    @portal_required(portal)
    def view(request: HttpRequest) -> HttpResponse:
        offered = [{"bundle": b, "materials": bundle_materials(b), "missing": bundle_missing_parts(b)}
                   for b in bundles(portal)]
        runs = bundle_runs_for_user(request.user)[:20]
        return render(request, "bundles/index.html", {"base": BASES[portal], "portal": portal, "offered": offered,
                                                      "runs": runs})
    return view


def _run(portal: str) -> Callable[..., HttpResponse]:
    @require_http_methods(["GET", "POST"])
    @portal_required(portal)
    def view(request: HttpRequest, code: str) -> HttpResponse:
        bundle = _bundle_for(portal, code)
        form = bundle_form_class(bundle, portal)(request.POST or None, initial={"client_token": uuid.uuid4().hex})
        missing = bundle_missing_parts(bundle)
        if request.method == "POST" and not missing:
            def run(data: dict[str, Any]) -> Any:
                token = data.pop("client_token", "")
                return bundle_run(actor=request.user, code=bundle.code, inputs=data, client_token=token)

            if response := form_submit(request, form, run, done=lambda r: f"“{bundle.name}”已办结，办件编号 {r.number}",
                                       then=lambda r: redirect(f"{portal}:bundles_run_detail", number=r.number)):
                return response
        return render(request, "bundles/run.html", {
            "base": BASES[portal], "portal": portal, "bundle": bundle, "form": form, "missing": missing,
            "materials": bundle_materials(bundle),
        }, status=400 if form.is_bound else 200)
    return view


def _detail(portal: str) -> Callable[..., HttpResponse]:
    @portal_required(portal)
    def view(request: HttpRequest, number: str) -> HttpResponse:
        run = bundle_run_get_for_user(request.user, number)
        return render(request, "bundles/detail.html", {
            "base": BASES[portal], "portal": portal, "run": run, "bundle": bundle_get(run.bundle),
            "parts": bundle_run_parts(run),
        })
    return view


# 跨省通办 ---------------------------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def cross_province(request: HttpRequest) -> HttpResponse:
    """The public 跨省通办 entry: the items, and identity at the public security register for a member of this
    centre living elsewhere; then the personal hall (after signing in) or the 通办 window's call-back."""
    items = cross_province_items()
    form = CrossProvinceForm(request.POST or None, items=[(i.code, i.name) for i in items],
                             initial={"item": request.GET.get("item", "")})
    verified = submitted = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            item = next(i for i in items if i.code == data["item"])
            try:
                if data["way"] == "online" and cross_item_online(item):
                    verified = cross_identity_verify(item_code=item.code, name=data["name"],
                                                     id_number=data["id_number"], ip=client_ip(request))
                    status = 200
                else:
                    submitted = cross_request_submit(
                        item_code=item.code, name=data["name"], id_number=data["id_number"], phone=data["phone"],
                        province=data["province"], note=data["note"], ip=client_ip(request))
                    status = 200
            except TooManyChecks as exc:
                form.add_error("id_number", exc.messages)
                status = 429
            except ValidationError as exc:
                apply_errors(form, exc)
    return render(request, "bundles/cross.html", {
        "form": form, "items": [(i, cross_item_online(i)) for i in items], "verified": verified,
        "hall_url": cross_sign_in_url(verified.item.code) if verified else "", "submitted": submitted,
    }, status=status)


@portal_required("staff")
def staff_cross_queue(request: HttpRequest) -> HttpResponse:
    if not cross_may_work(request.user):
        raise Http404("未找到，或您无权访问")
    requests = cross_requests_for_user(request.user)
    filters = CrossFilterForm(request.GET or None)
    if filters.is_valid() and filters.cleaned_data["state"]:
        requests = requests.filter(state=filters.cleaned_data["state"])
    page = Paginator(requests.order_by("state", "-created_at", "-id"), 30).get_page(request.GET.get("page"))
    return render(request, "bundles/cross_queue.html", {"page_obj": page, "filter_form": filters})


@require_http_methods(["GET", "POST"])
@portal_required("staff")
def staff_cross_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = cross_request_get_for_user(request.user, pk)
    form = CrossFinishForm(request.POST or None)
    if request.method == "POST":
        if response := form_submit(
            request, form, lambda d: cross_request_finish(actor=request.user, request=item, done=d["outcome"] == "done",
                                                          result=d["result"]),
            done="已记录办理结果并短信告知申请人", then=lambda r: redirect("staff:bundles_cross_detail", pk=r.pk),
        ):
            return response
    return render(request, "bundles/cross_detail.html", {
        "item": item, "form": form, "open": item.state in (CrossState.WAITING, CrossState.TAKEN),
    }, status=400 if form.is_bound else 200)


@require_POST
@portal_required("staff")
def staff_cross_take(request: HttpRequest, pk: int) -> HttpResponse:
    item = cross_request_get_for_user(request.user, pk)
    attempt(request, lambda: cross_request_take(actor=request.user, request=item), "已受理，请电话联系申请人")
    return redirect("staff:bundles_cross_detail", pk=item.pk)


staff_index, unit_index, member_index = _index("staff"), _index("unit"), _index("member")
staff_run, unit_run, member_run = _run("staff"), _run("unit"), _run("member")
staff_detail, unit_detail, member_detail = _detail("staff"), _detail("unit"), _detail("member")
