"""The staff inbox (待办): every open step the signed-in staff member may decide, soonest deadline first."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from fund.portals.decorators import portal_required

from .services import work_items_for_user


@portal_required("staff")
def inbox(request: HttpRequest) -> HttpResponse:
    items = work_items_for_user(request.user).order_by("due_on", "id")
    page = Paginator(items, 30).get_page(request.GET.get("page"))
    rows = []
    for item in page:
        subject = item.subject
        url = subject.get_staff_url() if subject is not None and hasattr(subject, "get_staff_url") else ""
        rows.append({"item": item, "url": url})
    return render(request, "workflow/inbox.html", {
        "page_obj": page, "rows": rows, "today": timezone.localdate(), "total": items.count(),
        "overdue": items.filter(due_on__lt=timezone.localdate()).count(),
    })


staff_patterns = [path("tasks/", inbox, name="tasks")]
