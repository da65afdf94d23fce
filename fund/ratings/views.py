"""Pages of 好差评: the staff page (rates by item, branch and staff member with a chart and filters), the
follow-ups (差评整改), the member's and unit's 待评价 and rating form, and the SMS link's form (no sign-in)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from fund.filters import page_filtered
from fund.people.models import User
from fund.portals.decorators import portal_required
from fund.tracking.models import Application
from fund.views import apply_errors, form_submit

from .chart import bar_chart
from .filters import FollowUpFilter, RatingFilter
from .forms import AssignForm, CloseForm, RatingForm
from .models import FollowUp, Rating, RatingChannel
from .selectors import (
    BY_LABELS,
    application_for_rating,
    follow_up_get_for_user,
    follow_ups_for_user,
    item_name,
    pending_for_user,
    rated_for_user,
    rating_rates,
    rating_summary,
    ratings_for_user,
)
from .services import (
    follow_up_assign,
    follow_up_close,
    follow_up_may_assign,
    follow_up_may_close,
    rating_by_token,
    rating_open,
    rating_submit,
)


def stars_chart(summary: dict[str, Any]) -> Any:
    rows = [(f"{'★' * r['stars']}", r["count"], f"{r['count']} 条", "good" if r["stars"] >= 4 else
             ("bad" if r["stars"] <= 2 else "")) for r in summary["stars"]]
    return bar_chart(rows, caption="各星级评价条数") if summary["count"] else None


# ---- staff -----------------------------------------------------------------------------------------------------------

@portal_required("staff")
def staff_ratings(request: HttpRequest) -> HttpResponse:
    data = request.GET.copy()
    data.setdefault("month", f"{timezone.localdate():%Y-%m}")  # this month unless asked ("" is every month)
    filters, rows = page_filtered(request, RatingFilter, ratings_for_user(request.user), data=data)
    summary = rating_summary(rows)
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    return render(request, "ratings/staff/ratings.html", {
        "filter_form": filters.form, "summary": summary, "chart": stars_chart(summary), "page_obj": page,
        "rates": [(BY_LABELS[by], by, rating_rates(rows, by=by)) for by in ("staff", "item", "branch")],
        "open_follow_ups": follow_ups_for_user(request.user).exclude(state="done").count(),
    })


@portal_required("staff")
def staff_follow_ups(request: HttpRequest) -> HttpResponse:
    filters, rows = page_filtered(request, FollowUpFilter, follow_ups_for_user(request.user))
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    return render(request, "ratings/staff/follow_ups.html", {
        "filter_form": filters.form, "page_obj": page, "today": timezone.localdate()})


def _assignable(follow_up: FollowUp) -> Any:
    """Staff of the follow-up's branch and centre-wide staff, but not the person the rating was about."""
    staff = User.objects.filter(Q(staff_profile__branch_id=follow_up.branch_id) | Q(staff_profile__centre_wide=True))
    handled_by = follow_up.rating.application.handled_by_id
    if handled_by is not None:
        staff = staff.exclude(pk=handled_by)
    return staff.order_by("staff_profile__employee_number")


def _follow_up_page(request: HttpRequest, follow_up: FollowUp, *, assign: AssignForm | None = None,
                    close: CloseForm | None = None) -> HttpResponse:
    may_assign = follow_up_may_assign(request.user, follow_up) and follow_up.state != "done"
    may_close = follow_up_may_close(request.user, follow_up)
    return render(request, "ratings/staff/follow_up.html", {
        "follow_up": follow_up, "rating": follow_up.rating, "application": follow_up.rating.application,
        "item_name": item_name(follow_up.rating.application.item_code), "today": timezone.localdate(),
        "assign_form": (assign or AssignForm(staff=_assignable(follow_up))) if may_assign else None,
        "close_form": (close or CloseForm()) if may_close else None,
    })


@portal_required("staff")
def staff_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    return _follow_up_page(request, follow_up_get_for_user(request.user, pk))


@require_POST
@portal_required("staff")
def staff_follow_up_assign(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = follow_up_get_for_user(request.user, pk)
    form = AssignForm(request.POST, staff=_assignable(follow_up))
    done = form_submit(request, form, lambda d: follow_up_assign(actor=request.user, follow_up=follow_up,
                                                                   assignee=d["assignee"]),
                       done="已分派整改责任人", then=lambda f: redirect("staff:ratings_followup", f.pk))
    return done or _follow_up_page(request, follow_up, assign=form)


@require_POST
@portal_required("staff")
def staff_follow_up_close(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = follow_up_get_for_user(request.user, pk)
    form = CloseForm(request.POST)
    done = form_submit(request, form, lambda d: follow_up_close(actor=request.user, follow_up=follow_up,
                                                                  outcome=d["outcome"], note=d["outcome_note"]),
                       done="差评整改已办结", then=lambda f: redirect("staff:ratings_followup", f.pk))
    return done or _follow_up_page(request, follow_up, close=form)


# ---- member and unit: 待评价 and the form --------------------------------------------------------------------------

def _pending(request: HttpRequest, portal: str) -> HttpResponse:
    return render(request, "ratings/member/pending.html", {
        "portal": portal, "base": f"{portal}/base.html", "pending": pending_for_user(request.user, portal=portal)[:50],
        "rated": rated_for_user(request.user, portal=portal)[:20]})


def _rate(request: HttpRequest, portal: str, number: str) -> HttpResponse:
    application = application_for_rating(request.user, portal=portal, number=number)
    form = RatingForm(request.POST or None)
    done = form_submit(request, form, lambda d: rating_submit(application=application, stars=d["stars"],
                                                              comment=d["comment"], channel=RatingChannel.ONLINE,
                                                              actor=request.user),
                       done="感谢您的评价", then=f"{portal}:ratings_pending")
    if done:
        return done
    return render(request, "ratings/member/rate.html", {
        "portal": portal, "base": f"{portal}/base.html", "application": application, "form": form,
        "item_name": item_name(application.item_code), "rating": Rating.objects.filter(application=application).first(),
        "open": rating_open(application)})


@portal_required("member")
def member_pending(request: HttpRequest) -> HttpResponse:
    return _pending(request, "member")


@portal_required("member")
def member_rate(request: HttpRequest, number: str) -> HttpResponse:
    return _rate(request, "member", number)


@portal_required("unit")
def unit_pending(request: HttpRequest) -> HttpResponse:
    return _pending(request, "unit")


@portal_required("unit")
def unit_rate(request: HttpRequest, number: str) -> HttpResponse:
    return _rate(request, "unit", number)


# ---- the SMS link (no sign-in) -----------------------------------------------------------------------------------

def link_rate(request: HttpRequest, token: str) -> HttpResponse:
    """The link's page: a forged or altered token is a page that does not exist (404); an expired one says so;
    a used one (the application is rated) thanks and takes nothing more."""
    try:
        application = rating_by_token(token)
    except ValidationError as exc:
        return render(request, "ratings/public/link.html", {"refusal": exc.messages[0]}, status=404)
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rating_submit(application=application, stars=form.cleaned_data["stars"],
                          comment=form.cleaned_data["comment"], channel=RatingChannel.SMS)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "感谢您的评价")
            return redirect(reverse("service:ratings_link", args=[token]))
    return render(request, "ratings/public/link.html", {
        "application": application, "form": form, "item_name": item_name(application.item_code),
        "rating": Rating.objects.filter(application=application).first(), "open": rating_open(application),
        "masked_title": _public_title(application)})


def _public_title(application: Application) -> str:
    """What the link's page says about the application: the item and the branch, never the applicant's name
    (whoever holds the phone may open the link)."""
    return f"{item_name(application.item_code)} · {application.branch.name}"
