"""投诉与12329工单 pages: the staff's 投诉台账 (list, register, one ticket with what the user may do, the rates by
branch and month), the member's and unit's 我的诉求, and the public form and rating link."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST
from rest_framework.throttling import AnonRateThrottle

from fund.dates import add_months, first_of_month
from fund.exports import export_name, xlsx_response
from fund.filters import page_filtered
from fund.people.roles import roles_of
from fund.portals.decorators import portal_required
from fund.views import apply_errors, form_submit
from fund.workflow.moves import status_history

from .chart import rates_chart
from .exports import ledger_workbook, rates_workbook
from .forms import (
    TicketAssignForm,
    TicketCallbackForm,
    TicketCloseForm,
    TicketFilter,
    TicketOnlineForm,
    TicketRateForm,
    TicketRatesForm,
    TicketReplyForm,
    TicketStaffForm,
)
from .models import TICKET_MOVES, Channel, Ticket, TicketState
from .selectors import (
    responsible_choices,
    ticket_get_for_user,
    ticket_may_call_back,
    ticket_may_dispatch,
    ticket_may_register,
    ticket_may_reply,
    ticket_rates,
    tickets_for_user,
)
from .services import (
    rate_token_read,
    ticket_assign,
    ticket_close,
    ticket_rate,
    ticket_register,
    ticket_reminders_read,
    ticket_reply,
)

EXPORT_LIMIT = 20000


class PublicTicketThrottle(AnonRateThrottle):
    """Ten tickets an hour from one address through the public form or API (the rate lives here)."""

    scope = "tickets_public"
    rate = "10/hour"


def _scope_label(user: Any) -> str:
    staff = roles_of(user).staff
    return "全中心" if staff is None or staff.centre_wide else staff.branch.name


# ------------------------------------------------------------------ staff


@portal_required("staff")
def staff_tickets(request: HttpRequest) -> HttpResponse:
    tickets = tickets_for_user(request.user).order_by("-registered_at", "-id")
    filters, tickets = page_filtered(request, TicketFilter, tickets)
    if request.GET.get("format") == "xlsx":
        content = ledger_workbook(tickets[:EXPORT_LIMIT], scope=_scope_label(request.user))
        return xlsx_response(content, export_name("投诉台账"))
    page = Paginator(tickets, 30).get_page(request.GET.get("page"))
    return render(request, "tickets/staff/list.html", {
        "page_obj": page, "filter_form": filters.form, "may_register": ticket_may_register(request.user),
        "today": timezone.localdate(), "query": request.GET.urlencode(),
    })


@require_http_methods(["GET", "POST"])
@portal_required("staff")
def staff_ticket_new(request: HttpRequest) -> HttpResponse:
    if not ticket_may_register(request.user):
        raise PermissionDenied("只有受理岗或分管领导可以登记热线、来信工单")
    form = TicketStaffForm(request.POST or None)
    if response := form_submit(
        request, form, lambda data: ticket_register(actor=request.user, **data),
        done=lambda t: f"已登记工单 {t.number}，答复期限 {t.due_on:%Y-%m-%d}",
        then=lambda t: redirect("staff:tickets_detail", pk=t.pk),
    ):
        return response
    return render(request, "tickets/staff/new.html", {"form": form}, status=400 if form.is_bound else 200)


def _detail(request: HttpRequest, ticket: Ticket, *, forms: dict[str, Any] | None = None, status: int = 200) -> HttpResponse:
    user = request.user
    forms = forms or {}
    may = {
        "assign": ticket_may_dispatch(user) and ticket.state in (TicketState.REGISTERED, TicketState.ASSIGNED),
        "reply": ticket.state == TicketState.ASSIGNED and ticket_may_reply(user, ticket),
        "callback": ticket.state == TicketState.REPLIED and ticket_may_call_back(user, ticket),
        "close": ticket.state == TicketState.REPLIED and ticket_may_dispatch(user),
    }
    return render(request, "tickets/staff/detail.html", {
        "ticket": ticket, "may": may,
        "history": [(move, TICKET_MOVES.label(move.new)) for move in status_history(ticket)], "today": timezone.localdate(),
        "assign_form": forms.get("assign") or TicketAssignForm(choices=responsible_choices(user),
                                                              initial={"responsible": ticket.responsible_id}),
        "reply_form": forms.get("reply") or TicketReplyForm(),
        "callback_form": forms.get("callback") or TicketCallbackForm(),
        "close_form": forms.get("close") or TicketCloseForm(),
    }, status=status)


@portal_required("staff")
def staff_ticket(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = ticket_get_for_user(request.user, pk)
    ticket_reminders_read(user=request.user, ticket=ticket)
    return _detail(request, ticket)


def _act(request: HttpRequest, pk: int, key: str, form: Any, run: Any, done: Any) -> HttpResponse:
    ticket = ticket_get_for_user(request.user, pk)
    if response := form_submit(request, form, lambda data: run(ticket, data), done=done,
                               then=lambda t: redirect("staff:tickets_detail", pk=t.pk)):
        return response
    return _detail(request, ticket, forms={key: form}, status=400)


@require_POST
@portal_required("staff")
def staff_ticket_assign(request: HttpRequest, pk: int) -> HttpResponse:
    form = TicketAssignForm(request.POST, choices=responsible_choices(request.user))
    return _act(request, pk, "assign", form,
                lambda t, data: ticket_assign(actor=request.user, ticket=t, responsible=data["responsible"]),
                lambda t: f"已转办给{t.branch}{t.responsible}，答复期限 {t.due_on:%Y-%m-%d}")


@require_POST
@portal_required("staff")
def staff_ticket_reply(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "reply", TicketReplyForm(request.POST),
                lambda t, data: ticket_reply(actor=request.user, ticket=t, reply=data["reply"]),
                lambda t: "已答复，诉求人将收到短信和评价链接" if t.phone else "已答复")


@require_POST
@portal_required("staff")
def staff_ticket_callback(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "callback", TicketCallbackForm(request.POST),
                lambda t, data: ticket_rate(ticket=t, by="callback", actor=request.user, **data),
                lambda t: f"已登记回访：{t.get_satisfaction_display()}，工单{t.get_state_display()}")


@require_POST
@portal_required("staff")
def staff_ticket_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "close", TicketCloseForm(request.POST),
                lambda t, data: ticket_close(actor=request.user, ticket=t, note=data["note"]),
                lambda t: "工单已办结")


def rates_period(data: dict[str, Any], today: date) -> tuple[date, date]:
    """The period asked for, or the last six months to today."""
    end = data.get("end") or today
    start = data.get("start") or add_months(first_of_month(end), -5)
    return start, end


@portal_required("staff")
def staff_ticket_rates(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = TicketRatesForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    start, end = rates_period(data, today)
    rates = ticket_rates(request.user, start=start, end=end, today=today)
    if request.GET.get("format") == "xlsx":
        content = rates_workbook(rates, start=start, end=end, scope=_scope_label(request.user))
        return xlsx_response(content, export_name("投诉台账答复率"))
    return render(request, "tickets/staff/rates.html", {
        "form": form, "start": start, "end": end, "rates": rates, "chart": rates_chart(rates["months"]),
        "query": request.GET.urlencode(),
    }, status=400 if form.is_bound and form.errors else 200)


# ------------------------------------------------------------------ member and unit halls


def _hall_new(request: HttpRequest, portal: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The form's starting values and who files: the member themself, or the operator's unit."""
    user: Any = request.user
    if portal == "member":
        person = user.person
        return {"name": person.name, "phone": person.phone}, {"channel": Channel.MEMBER, "person": person}
    return ({"name": user.get_full_name(), "phone": user.phone},
            {"channel": Channel.UNIT, "employer": roles_of(user).employer})


def _hall(request: HttpRequest, portal: str) -> HttpResponse:
    initial, extra = _hall_new(request, portal)
    form = TicketOnlineForm(request.POST or None, initial=initial)
    if request.method == "POST" and (response := form_submit(
        request, form, lambda data: ticket_register(actor=request.user, **extra, **data),
        done=lambda t: f"已提交，工单编号 {t.number}，我们将在 {t.due_on:%Y-%m-%d} 前答复",
        then=lambda t: redirect(f"{portal}:tickets_detail", pk=t.pk),
    )):
        return response
    tickets = Paginator(tickets_for_user(request.user).order_by("-registered_at", "-id"), 20).get_page(request.GET.get("page"))
    return render(request, "tickets/hall/list.html", {"portal": portal, "form": form, "page_obj": tickets},
                  status=400 if form.is_bound else 200)


def _hall_ticket(request: HttpRequest, portal: str, pk: int) -> HttpResponse:
    ticket = ticket_get_for_user(request.user, pk)
    form = TicketRateForm(request.POST or None)
    if request.method == "POST" and (response := form_submit(
        request, form, lambda data: ticket_rate(ticket=ticket, by="hall", actor=request.user,
                                                satisfaction=data["satisfaction"], rounds=ticket.rounds),
        done="感谢您的评价", then=lambda t: redirect(f"{portal}:tickets_detail", pk=t.pk),
    )):
        return response
    return render(request, "tickets/hall/detail.html", {"portal": portal, "ticket": ticket, "form": form},
                  status=400 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
@portal_required("member")
def member_tickets(request: HttpRequest) -> HttpResponse:
    return _hall(request, "member")


@require_http_methods(["GET", "POST"])
@portal_required("member")
def member_ticket(request: HttpRequest, pk: int) -> HttpResponse:
    return _hall_ticket(request, "member", pk)


@require_http_methods(["GET", "POST"])
@portal_required("unit")
def unit_tickets(request: HttpRequest) -> HttpResponse:
    return _hall(request, "unit")


@require_http_methods(["GET", "POST"])
@portal_required("unit")
def unit_ticket(request: HttpRequest, pk: int) -> HttpResponse:
    return _hall_ticket(request, "unit", pk)


# ------------------------------------------------------------------ public


@require_http_methods(["GET", "POST"])
def public_ticket_new(request: HttpRequest) -> HttpResponse:
    form = TicketOnlineForm(request.POST or None)
    done: Ticket | None = None
    if request.method == "POST":
        if not PublicTicketThrottle().allow_request(request, None):  # type: ignore[arg-type]
            return render(request, "tickets/public/new.html", {"form": form, "throttled": True}, status=429)
        if form.is_valid():
            try:
                done = ticket_register(actor=None, channel=Channel.PUBLIC, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
    status = 200 if request.method == "GET" or done is not None else 400
    return render(request, "tickets/public/new.html", {"form": form if done is None else TicketOnlineForm(),
                                                         "done": done}, status=status)


@require_http_methods(["GET", "POST"])
def public_ticket_rate(request: HttpRequest, token: str) -> HttpResponse:
    """The SMS link: anyone holding it rates that reply once; a forged or stale link is 404."""
    try:
        pk, rounds = rate_token_read(token)
        ticket = Ticket.objects.get(pk=pk)
    except (ValidationError, Ticket.DoesNotExist):
        raise Http404("评价链接无效或已过期") from None
    form = TicketRateForm(request.POST or None)
    rated = False
    if request.method == "POST" and form.is_valid():
        try:
            ticket = ticket_rate(ticket=ticket, satisfaction=form.cleaned_data["satisfaction"], by="link", rounds=rounds)
            rated = True
        except ValidationError as exc:
            apply_errors(form, exc)
    waiting = ticket.state == TicketState.REPLIED and ticket.rounds == rounds
    return render(request, "tickets/public/rate.html", {"ticket": ticket, "form": form, "rated": rated,
                                                          "waiting": waiting},
                  status=400 if form.is_bound and not rated else 200)
