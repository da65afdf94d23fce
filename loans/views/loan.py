"""A loan as its borrower, co-borrowers and staff read it: the account's summary, what is due, the stored schedule
with the projected rest (预计), a chart, the segments' history (staff), print (fund.printing) and Excel export.

Read-only pages: every fetch goes through `loan_get_for_viewer` (borrower, co-borrower, staff of the branch;
anyone else a 404). Buttons for acting on the loan (立即还款, 提前还款 ...) show for the borrower only, and only
when their route is installed (`loan_links.url_if`)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from fund.audit.masking import mask_bank_card
from fund.exports import export_name, xlsx_response
from fund.portals.decorators import portal_required
from fund.views import attempt

from ..exports import schedule_workbook
from ..models import InstalmentState, Loan, LoanStatus
from ..models.applications import IN_FLIGHT
from ..schedule_chart import schedule_chart
from ..schedule_pdf import schedule_documents, schedule_print
from ..selectors.applications import applications_for_user
from ..selectors.loans import loan_due_summary, loan_get_for_viewer, loans_viewable_by
from ..services.schedule_store import schedule_rows


def loan_card(loan: Loan, user: Any) -> dict[str, Any]:
    """The summary a loan's reader sees first (the hall's list and the top of the loan page)."""
    rows = schedule_rows(loan) if loan.segment_id else []
    repaid = loan.principal - loan.balance
    return {
        "loan": loan, "balance": loan.balance, "card": mask_bank_card(loan.repayment_card),
        "is_borrower": loan.borrower_id == getattr(user, "person_id", None),
        "due": loan_due_summary(loan, timezone.localdate()) if loan.status == LoanStatus.ACTIVE else None,
        "upcoming": [r for r in rows if r.state in (InstalmentState.PENDING, InstalmentState.OVERDUE)][:6],
        "periods": loan.term_months, "repaid": repaid,
        "percent": int(repaid * 100 / loan.principal) if loan.principal else 0,
    }


def loan_schedule_context(loan: Loan, user: Any, *, superseded: bool = False) -> dict[str, Any]:
    """Everything the loan page shows about the schedule (member and staff share it)."""
    rows = schedule_rows(loan) if loan.segment_id else []
    segments = list(loan.segments.select_related("actor").order_by("id"))
    context: dict[str, Any] = {
        **loan_card(loan, user), "rows": rows, "chart": schedule_chart(rows), "segments": segments,
        "has_projected": any(r.projected for r in rows), "stored_count": sum(1 for r in rows if not r.projected),
        "schedule_docs": schedule_documents(loan, user), "show_superseded": superseded,
    }
    if superseded:
        context["superseded_rows"] = list(loan.instalments.filter(state=InstalmentState.SUPERSEDED)
                                          .select_related("segment").order_by("segment_id", "number"))
    return context


# 个人网厅 ---------------------------------------------------------------------------------------------------

@portal_required("member")
def member_loans(request: HttpRequest) -> HttpResponse:
    """我的贷款: the applications in flight and every loan the member borrows or co-borrows."""
    loans = loans_viewable_by(request.user).select_related("sub_account", "bank", "application").order_by("-id")
    applications = (applications_for_user(request.user).filter(state__in=IN_FLIGHT, loan__isnull=True)
                    .select_related("project")
                    .order_by("-id"))
    return render(request, "loans/member/loans.html", {
        "items": [loan_card(loan, request.user) for loan in loans], "pending": LoanStatus.PENDING,
        "applications": applications,
    })


@portal_required("member")
def member_loan(request: HttpRequest, pk: int) -> HttpResponse:
    loan = loan_get_for_viewer(user=request.user, pk=pk)
    return render(request, "loans/member/loan.html", loan_schedule_context(loan, request.user))


@portal_required("member")
def member_schedule_export(request: HttpRequest, pk: int) -> HttpResponse:
    return _export(loan_get_for_viewer(user=request.user, pk=pk))


@require_POST
@portal_required("member")
def member_schedule_print(request: HttpRequest, pk: int) -> HttpResponse:
    loan = loan_get_for_viewer(user=request.user, pk=pk)
    _print(request, loan)
    return redirect("member:loan-detail", pk=loan.pk)


# 综合窗口 ---------------------------------------------------------------------------------------------------

@portal_required("staff")
def staff_schedule_export(request: HttpRequest, pk: int) -> HttpResponse:
    return _export(loan_get_for_viewer(user=request.user, pk=pk))


@require_POST
@portal_required("staff")
def staff_schedule_print(request: HttpRequest, pk: int) -> HttpResponse:
    loan = loan_get_for_viewer(user=request.user, pk=pk)
    _print(request, loan)
    return redirect("staff:loan", pk=loan.pk)


def _export(loan: Loan) -> HttpResponse:
    content = schedule_workbook(loan, schedule_rows(loan) if loan.segment_id else [])
    return xlsx_response(content, export_name(f"还款计划-{loan.contract_number}"))


def _print(request: HttpRequest, loan: Loan) -> None:
    attempt(request, lambda: schedule_print(loan=loan, requested_by=request.user),
            "还款计划表正在生成，稍后刷新本页即可下载。")


member_patterns = [
    path("loans/", member_loans, name="loan-loans"),
    path("loans/<int:pk>/", member_loan, name="loan-detail"),
    path("loans/<int:pk>/schedule.xlsx", member_schedule_export, name="loan-schedule-export"),
    path("loans/<int:pk>/schedule/print/", member_schedule_print, name="loan-schedule-print"),
]
staff_patterns = [
    path("loans/<int:pk>/schedule.xlsx", staff_schedule_export, name="loan-schedule-export"),
    path("loans/<int:pk>/schedule/print/", staff_schedule_print, name="loan-schedule-print"),
]
