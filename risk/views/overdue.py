"""Pages of the overdue ledger (逾期台账): the list with filters and totals, a case (figures, overdue instalments,
tasks, contacts with the form to record one, reassignment, the notice), and 今日销号 (the day's cleared list)."""

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from fund.filters import page_filtered
from fund.portals.decorators import portal_required
from fund.views import form_submit
from fund.workflow.models import StatusChange

from ..filters_overdue import OverdueCaseFilter
from ..forms_overdue import ContactForm, ReassignForm
from ..models import CaseState, OverdueCase, Stage
from ..selectors.overdue import (
    case_collectors,
    case_instalments,
    overdue_can_reassign,
    overdue_can_view,
    overdue_can_work,
    overdue_case_get_for_user,
    overdue_cases_for_user,
    overdue_cleared_for_user,
    overdue_totals,
)
from ..services import overdue as services


def _require_view(request: HttpRequest) -> None:
    if not overdue_can_view(request.user):
        raise Http404("未找到，或您无权访问")


def ledger_rows(user: Any, params: Any) -> Any:
    """The cases a list shows before its filters: those on the ledger now, unless a state is asked for."""
    cases = overdue_cases_for_user(user)
    return cases if params.get("state") else cases.filter(state=CaseState.OPEN)


@portal_required("staff")
def staff_overdue(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    filters, cases = page_filtered(request, OverdueCaseFilter, ledger_rows(request.user, request.GET))
    page = Paginator(cases, 30).get_page(request.GET.get("page"))
    return render(request, "risk/staff/overdue_list.html", {
        "page_obj": page, "filter_form": filters.form, "totals": overdue_totals(cases),
        "rule": services.COLLECTOR_RULE, "stages": Stage,
    })


def _case_context(request: HttpRequest, case: OverdueCase, *, contact_form: ContactForm | None = None,
                  reassign_form: ReassignForm | None = None) -> dict[str, Any]:
    from fund.printing.models import Document

    collectors = case_collectors(case)
    notices = Document.objects.filter(pk__in=case.contacts.exclude(document=None).values("document")).order_by("-id")
    return {
        "case": case, "loan": case.loan, "instalments": case_instalments(case),
        "tasks": case.tasks.select_related("done_by").order_by("done_at", "due_on", "id"),
        "contacts": case.contacts.select_related("by"), "assignments": case.assignments.select_related("collector", "by"),
        "history": _history(case),
        "can_work": overdue_can_work(request.user) and case.state == CaseState.OPEN,
        "can_reassign": overdue_can_reassign(request.user) and case.state == CaseState.OPEN,
        "contact_form": contact_form or ContactForm(),
        "reassign_form": reassign_form or ReassignForm(collectors=collectors), "notices": notices,
        "stages": Stage, "rule": services.COLLECTOR_RULE,
    }


def _history(case: OverdueCase) -> list[tuple[Any, str]]:
    """The case's stage moves and its clearing, as the close recorded them (fund.workflow StatusChange rows)."""
    labels = dict(Stage.choices)
    rows = StatusChange.objects.filter(subject_type__app_label="risk", subject_type__model="overduecase",
                                       subject_id=case.pk).order_by("id")
    return [(row.at, f"催收阶段：{labels.get(int(row.old), row.old)} → {labels.get(int(row.new), row.new)}"
             if row.field == "stage" else "还清逾期款项，销号") for row in rows]


@portal_required("staff")
def staff_overdue_case(request: HttpRequest, pk: int) -> HttpResponse:
    case = overdue_case_get_for_user(request.user, pk)
    return render(request, "risk/staff/overdue_case.html", _case_context(request, case))


@require_POST
@portal_required("staff")
def staff_overdue_contact(request: HttpRequest, pk: int) -> HttpResponse:
    case = overdue_case_get_for_user(request.user, pk)
    if not overdue_can_work(request.user):
        raise PermissionDenied("只有风控/清收岗可以登记催收记录")
    form = ContactForm(request.POST)
    if response := form_submit(request, form, lambda data: services.contact_record(actor=request.user, case=case, **data),
                               done=lambda c: f"已登记{c.get_channel_display()}催收记录",
                               then=lambda _: redirect("staff:risk-overdue-case", pk=case.pk)):
        return response
    return render(request, "risk/staff/overdue_case.html", _case_context(request, case, contact_form=form), status=400)


@require_POST
@portal_required("staff")
def staff_overdue_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    case = overdue_case_get_for_user(request.user, pk)
    if not overdue_can_reassign(request.user):
        raise PermissionDenied("只有全中心范围的风控岗或分管领导可以调整清收责任人")
    form = ReassignForm(request.POST, collectors=case_collectors(case))
    if response := form_submit(
        request, form, lambda data: services.collector_reassign(actor=request.user, case=case, **data),
        done=lambda c: f"清收责任人已调整为 {c.collector}", then=lambda _: redirect("staff:risk-overdue-case", pk=case.pk),
    ):
        return response
    return render(request, "risk/staff/overdue_case.html", _case_context(request, case, reassign_form=form), status=400)


@require_POST
@portal_required("staff")
def staff_overdue_notice(request: HttpRequest, pk: int) -> HttpResponse:
    case = overdue_case_get_for_user(request.user, pk)
    try:
        document = services.overdue_notice_print(actor=request.user, case=case)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"《逾期贷款通知单》正在生成（验证码 {document.code_display}），稍后刷新本页即可下载")
    return redirect("staff:risk-overdue-case", pk=case.pk)


def cleared_date(raw: str | None) -> date:
    if not raw:
        return timezone.localdate()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationError({"on": ["销号日期格式应为 YYYY-MM-DD"]}) from None


@portal_required("staff")
def staff_overdue_cleared(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    try:
        on = cleared_date(request.GET.get("on"))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        on = timezone.localdate()
    cases = overdue_cleared_for_user(request.user, on)
    return render(request, "risk/staff/overdue_cleared.html", {"cases": cases, "on": on,
                                                               "totals": overdue_totals(cases)})
