"""Whole ID numbers on a deliberate click: pages show a person's ID masked, and a post whose work needs the
whole number (taking documents at the window, reviewing, approving, risk, audit) asks for it with a button.
The answer is the number alone, never cached, and each one is a PersonView row (SPEC §2.6)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from fund.people.models import Post
from fund.people.roles import roles_of
from fund.people.selectors import person_get_for_user
from fund.portals.decorators import portal_required

from .services import person_viewed

# The posts that compare the number with a document or another record; finance and loan administration work
# with account numbers and see IDs masked only.
REVEAL_POSTS = (Post.ACCEPT, Post.REVIEW, Post.APPROVE, Post.DIRECTOR, Post.RISK, Post.AUDIT)


def may_reveal_id(user: Any) -> bool:
    roles = roles_of(user)
    return roles.is_staff and any(roles.has_post(p) for p in REVEAL_POSTS)


@require_http_methods(["GET", "POST"])
@portal_required("staff")
def person_id_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """POST from a page's button (htmx): the number alone, swapped in place. GET from the admin's link: a page
    with the number and a way back. Either way one PersonView row."""
    person = person_get_for_user(user=request.user, pk=pk)  # outside the user's scope: 404
    if not may_reveal_id(request.user):
        raise PermissionDenied("您的岗位无需查看完整身份证号码")
    data = request.POST if request.method == "POST" else request.GET
    where = " ".join(data.get("where", "").split())[:60]
    person_viewed(actor=request.user, person=person, context=f"显示完整身份证号码{f'：{where}' if where else ''}")
    if request.method == "POST":
        response = HttpResponse(format_html('<span class="mono" data-full-id>{}</span>', person.id_number))
    else:
        back = request.GET.get("back", "")
        response = render(request, "audit/id_revealed.html", {
            "person": person, "back": back if url_has_allowed_host_and_scheme(back, None) else "",
            "page_title": "完整身份证号码",
        })
    response["Cache-Control"] = "no-store"
    return response


staff_patterns = [path("people/<int:pk>/id-number/", person_id_reveal, name="person_id_reveal")]
