"""Pages: the public service guide (/guide/), its printable one-time notice, and the staff copy (/staff/guide/)
where a clerk issues the notice as a sealed PDF."""

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from fund.people.roles import roles_of
from fund.portals.decorators import portal_required
from fund.printing.models import Document, DocumentStatus
from fund.views import form_submit

from .pdf import APPLICANT_MAX_LENGTH, NOTICE_KIND, notice_context, notice_request
from .registry import (
    CATEGORY_ORDER,
    ServiceItem,
    catalogue_grouped,
    catalogue_item,
    catalogue_items,
    catalogue_search,
)

QUERY_MAX_LENGTH = 40


class NoticeForm(forms.Form):
    applicant_name = forms.CharField(
        label="申请人姓名（选填）", max_length=APPLICANT_MAX_LENGTH, required=False,
        help_text="填写后打印在告知单上，便于申请人留存。",
    )


def item_or_404(code: str) -> ServiceItem:
    try:
        return catalogue_item(code)
    except KeyError:
        raise Http404("未找到该事项") from None


def _index_context(request: HttpRequest) -> dict[str, Any]:
    query = request.GET.get("q", "").strip()[:QUERY_MAX_LENGTH]
    category = request.GET.get("category", "").strip()
    all_items = catalogue_items()
    counts = {c: 0 for c in CATEGORY_ORDER}
    for item in all_items:
        counts[item.category] = counts.get(item.category, 0) + 1
    if category not in counts:
        category = ""
    found = catalogue_search(query, category or None)
    return {
        "q": query,
        "category": category,
        "categories": list(counts.items()),
        "total": len(all_items),
        "groups": catalogue_grouped(found),
        "found": len(found),
    }


def _item_context(item: ServiceItem) -> dict[str, Any]:
    return {"item": item, "paper": item.paper_materials, "shared": item.shared_materials}


# Public ------------------------------------------------------------------------------------------------

@require_GET
def guide_index(request: HttpRequest) -> HttpResponse:
    context = _index_context(request)
    return render(request, "catalogue/index.html", {**context, "base": "public/base.html", "staff": False})


@require_GET
def guide_item(request: HttpRequest, code: str) -> HttpResponse:
    item = item_or_404(code)
    return render(request, "catalogue/item.html", {**_item_context(item), "base": "public/base.html", "staff": False})


@require_GET
def guide_notice(request: HttpRequest, code: str) -> HttpResponse:
    """The notice as a printable page for anyone: no document row, no verification code."""
    item = item_or_404(code)
    notice = notice_context(item, on=timezone.localdate())
    return render(request, "catalogue/notice_print.html", {**notice, "item": item})


# 综合窗口 ---------------------------------------------------------------------------------------------

@portal_required("staff")
@require_GET
def staff_guide(request: HttpRequest) -> HttpResponse:
    context = _index_context(request)
    return render(request, "catalogue/index.html", {**context, "base": "staff/base.html", "staff": True})


@portal_required("staff")
@require_GET
def staff_guide_item(request: HttpRequest, code: str) -> HttpResponse:
    item = item_or_404(code)
    return render(
        request, "catalogue/item.html",
        {**_item_context(item), "base": "staff/base.html", "staff": True, "form": NoticeForm()},
    )


def _my_notices(user: Any, item: ServiceItem) -> Any:
    return Document.objects.filter(kind=NOTICE_KIND, requested_by=user, context__item_code=item.code).order_by("-id")[:10]


@portal_required("staff")
def staff_guide_notice(request: HttpRequest, code: str) -> HttpResponse:
    """GET: the form and the notices this clerk issued for the item. POST: issue one (受理 post or director),
    then come back here, where the new notice is downloadable once rendered."""
    item = item_or_404(code)
    form = NoticeForm(request.POST or None)
    if request.method == "POST":
        if not roles_of(request.user).can_accept:
            raise PermissionDenied("您的岗位不能开具一次性告知单")
        if response := form_submit(
            request, form,
            lambda data: notice_request(item=item, requested_by=request.user, applicant_name=data["applicant_name"]),
            done=lambda document: f"一次性告知单已开具，验证码 {document.code_display}。",
            then=lambda document: redirect(reverse("staff:guide-notice", args=[item.code]) + f"?document={document.pk}"),
        ):
            return response
    elif request.method != "GET":
        return HttpResponse(status=405)
    notices = list(_my_notices(request.user, item))
    current = request.GET.get("document", "")
    return render(
        request, "catalogue/staff_notice.html",
        {
            "item": item, "form": form, "notices": notices, "current": current,
            "pending": any(d.status == DocumentStatus.PENDING for d in notices),
        },
        status=400 if form.errors else 200,
    )
