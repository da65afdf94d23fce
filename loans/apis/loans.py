"""Reading loans through the API (under /api/loans/): the list (a member's own and co-borrowed loans; staff their
branch's), one loan with its summary and what is due, and its schedule (stored instalments, then the projected
rest flagged `projected`). Fetches go through `loan_get_for_viewer`: anyone else — another member, staff of
another branch, a bank operator, a developer — gets 404."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from fund.api import Pagination, paginated
from fund.audit.masking import mask_bank_card

from ..models import Loan, LoanStatus
from ..selectors.loans import loan_due_summary, loan_get_for_viewer, loans_viewable_by
from ..services.schedule_store import schedule_rows
from .signing import LoanOutput, loan_output

MONEY: dict[str, Any] = {"max_digits": 18, "decimal_places": 2}


class LoanListOutput(serializers.Serializer):
    id = serializers.IntegerField()
    contract_number = serializers.CharField(label="借款合同编号")
    borrower = serializers.CharField(source="borrower.name", label="借款人")
    principal = serializers.DecimalField(label="贷款金额", **MONEY)
    balance = serializers.DecimalField(source="sub_account.balance", label="本金余额", **MONEY)
    rate = serializers.DecimalField(label="年利率（%）", max_digits=6, decimal_places=3)
    term_months = serializers.IntegerField(label="贷款期限（月）")
    method = serializers.CharField(label="还款方式")
    status = serializers.CharField(label="状态")
    status_label = serializers.CharField(source="get_status_display", label="状态名称")
    disbursed_on = serializers.DateField(label="放款日期", allow_null=True)
    maturity_on = serializers.DateField(label="到期日", allow_null=True)


class DueOutput(serializers.Serializer):
    on = serializers.DateField(label="计算日")
    overdue_count = serializers.IntegerField(label="逾期期数")
    overdue_principal = serializers.DecimalField(label="逾期本金", **MONEY)
    overdue_interest = serializers.DecimalField(label="逾期利息", **MONEY)
    penalty = serializers.DecimalField(label="罚息（计至计算日）", **MONEY)
    overdue_total = serializers.DecimalField(label="逾期合计", **MONEY)
    next_number = serializers.IntegerField(label="下期期次", allow_null=True)
    next_due_on = serializers.DateField(label="下期应还日期", allow_null=True)
    next_principal = serializers.DecimalField(label="下期应还本金", **MONEY)
    next_interest = serializers.DecimalField(label="下期应还利息", **MONEY)
    next_amount = serializers.DecimalField(label="下期应还合计", **MONEY)
    due_now = serializers.DecimalField(label="当前应还（逾期加今日到期）", **MONEY)


class LoanSummaryOutput(LoanOutput):
    borrower = serializers.CharField(label="借款人")
    is_borrower = serializers.BooleanField(label="本人为借款人（否则为共同借款人或经办人员）")
    repayment_card = serializers.CharField(label="还款账号（脱敏）")
    disbursed_on = serializers.DateField(label="放款日期", allow_null=True)
    closed_on = serializers.DateField(label="结清日期", allow_null=True)
    periods_overdue = serializers.IntegerField(label="当前逾期期数")
    days_overdue = serializers.IntegerField(label="逾期天数")
    periods_overdue_total = serializers.IntegerField(label="累计逾期期数")
    due = DueOutput(label="应还情况（还款中的贷款）", allow_null=True)


class ScheduleRowOutput(serializers.Serializer):
    number = serializers.IntegerField(label="期次")
    due_on = serializers.DateField(label="应还日期")
    principal = serializers.DecimalField(label="应还本金", **MONEY)
    interest = serializers.DecimalField(label="应还利息", **MONEY)
    payment = serializers.DecimalField(label="应还合计", **MONEY)
    balance_after = serializers.DecimalField(label="计划剩余本金", **MONEY)
    principal_paid = serializers.DecimalField(label="已还本金", **MONEY)
    interest_paid = serializers.DecimalField(label="已还利息", **MONEY)
    penalty = serializers.DecimalField(label="罚息", **MONEY)
    penalty_paid = serializers.DecimalField(label="已还罚息", **MONEY)
    state = serializers.CharField(label="状态：pending 未到期 / overdue 逾期 / paid 已还清（预计的期次为 pending）")
    state_label = serializers.CharField(label="状态名称（预计的期次为“预计”）")
    paid_on = serializers.DateField(label="还清日期", allow_null=True)
    projected = serializers.BooleanField(label="预计：尚未生成，按现行利率测算")


class ScheduleOutput(serializers.Serializer):
    id = serializers.IntegerField(label="贷款ID")
    contract_number = serializers.CharField(label="借款合同编号")
    rate = serializers.DecimalField(label="现行年利率（%）", max_digits=6, decimal_places=3)
    periods = serializers.IntegerField(label="总期数")
    stored_through = serializers.IntegerField(label="已生成至期次", allow_null=True)
    rows = ScheduleRowOutput(many=True, label="还款计划")


class LoanListApi(APIView):
    pagination_class = Pagination

    @extend_schema(responses=LoanListOutput(many=True),
                   summary="贷款列表（职工：本人及作为共同借款人的贷款；经办人员：本管理部）")
    def get(self, request):
        rows = loans_viewable_by(request.user).select_related("borrower", "sub_account").order_by("-id")
        return paginated(self, rows, LoanListOutput)


def loan_summary_output(request: Any, loan: Loan) -> dict[str, Any]:
    is_borrower = loan.borrower_id == getattr(request.user, "person_id", None)
    out = loan_output(request, loan)
    if not is_borrower and getattr(request.user, "person_id", None) is not None:
        out["documents"] = []  # a co-borrower reads the loan, not the borrower's file (credit report, IOU)
    if loan.segment_id:
        # Disbursed: the figures of the schedule in force (stored, then projected), which after a broken first
        # period, a prepayment or a re-pricing differ from the contract's plan that signing reckons.
        rows = schedule_rows(loan)
        out["instalments"] = [{"number": r.number, "due_on": r.due_on, "principal": r.principal,
                               "interest": r.interest, "balance_after": r.balance_after} for r in rows[:12]]
        out["first_payment"] = rows[0].payment
        out["total_interest"] = sum((r.interest for r in rows), Decimal(0))
    due = loan_due_summary(loan, timezone.localdate()) if loan.status == LoanStatus.ACTIVE else None
    return {
        **out, "borrower": loan.borrower.name, "is_borrower": is_borrower,
        "repayment_card": mask_bank_card(loan.repayment_card), "disbursed_on": loan.disbursed_on,
        "closed_on": loan.closed_on, "periods_overdue": loan.periods_overdue, "days_overdue": loan.days_overdue,
        "periods_overdue_total": loan.periods_overdue_total,
        "due": None if due is None else {
            **{f: getattr(due, f) for f in DueOutput().fields}},
    }


class LoanDetailApi(APIView):
    @extend_schema(responses=LoanSummaryOutput,
                   summary="贷款账户详情（本金、余额、利率、期限、应还与逾期、还款计划摘要、档案、抵押）")
    def get(self, request, pk: int):
        loan = loan_get_for_viewer(user=request.user, pk=pk)
        return Response(LoanSummaryOutput(loan_summary_output(request, loan)).data)


class LoanScheduleApi(APIView):
    @extend_schema(responses=ScheduleOutput, summary="还款计划（已生成的期次及按现行利率预计的其余期次）")
    def get(self, request, pk: int):
        loan = loan_get_for_viewer(user=request.user, pk=pk)
        rows = schedule_rows(loan) if loan.segment_id else []
        stored = [r.number for r in rows if not r.projected]
        return Response(ScheduleOutput({
            "id": loan.pk, "contract_number": loan.contract_number, "rate": loan.rate, "periods": loan.term_months,
            "stored_through": stored[-1] if stored else None,
            "rows": [{**{f: getattr(r, f) for f in ScheduleRowOutput().fields}} for r in rows],
        }).data)


api_patterns = [
    path("", LoanListApi.as_view(), name="api-loans"),
    path("<int:pk>/", LoanDetailApi.as_view(), name="api-loan-detail"),
    path("<int:pk>/schedule/", LoanScheduleApi.as_view(), name="api-loan-schedule"),
]
