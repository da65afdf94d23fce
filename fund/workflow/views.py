"""The staff inbox (待办): every open step the signed-in staff member may decide, soonest deadline first."""

from collections import defaultdict
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from fund.portals.decorators import portal_required

from .models import WorkItem
from .services import work_items_for_user


def _subjects(items: list[WorkItem]) -> dict[tuple[int, int], Any]:
    """The subjects of a page of items, one query per kind. A subject model may name in `inbox_related` what
    its `inbox_facts()` (name, amount, reason shown in the list) reads, so that is fetched with it."""
    by_type: dict[int, list[int]] = defaultdict(list)
    for item in items:
        by_type[item.subject_type_id].append(item.subject_id)
    out: dict[tuple[int, int], Any] = {}
    for type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        qs = model._default_manager.filter(pk__in=ids)
        related = getattr(model, "inbox_related", ())
        if related:
            qs = qs.select_related(*related)
        out.update({(type_id, obj.pk): obj for obj in qs})
    return out


@portal_required("staff")
def inbox(request: HttpRequest) -> HttpResponse:
    items = work_items_for_user(request.user).order_by("due_on", "id")
    page = Paginator(items, 30).get_page(request.GET.get("page"))
    subjects = _subjects(list(page))
    rows = []
    for item in page:
        subject = subjects.get((item.subject_type_id, item.subject_id))
        url = subject.get_staff_url() if subject is not None and hasattr(subject, "get_staff_url") else ""
        facts = subject.inbox_facts() if subject is not None and hasattr(subject, "inbox_facts") else {}
        rows.append({"item": item, "url": url, "facts": facts})
    return render(request, "workflow/inbox.html", {
        "page_obj": page, "rows": rows, "today": timezone.localdate(), "total": items.count(),
        "overdue": items.filter(due_on__lt=timezone.localdate()).count(),
    })


staff_patterns = [path("tasks/", inbox, name="tasks")]
