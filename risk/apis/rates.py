"""The overdue rate series and the five-tier classification as JSON: the same selectors as the staff pages.
Staff only (branch staff their branch's figures); anyone else 404."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from fund.api import Pagination, paginated
from fund.filters import api_filtered
from fund.people.selectors import staff_scope

from ..filters_rates import TierFilter
from ..selectors.rates import (
    classified_loans,
    rate_breakdown,
    rate_latest_date,
    rate_series,
    rate_view_for_user,
    tier_counts,
    tier_history_for_user,
)


def require_staff(user: Any) -> None:
    """Not staff: these figures do not exist for you (404), the same answer as a missing loan."""
    if not staff_scope(user)[0]:
        raise Http404


class SeriesQuery(serializers.Serializer):
    on = serializers.DateField(label="截至日期", required=False, help_text="默认：最近一个有数据的业务日")
    days = serializers.IntegerField(label="天数", required=False, default=90, min_value=1, max_value=366)


def query(serializer_class: type[serializers.Serializer], request: Any) -> dict[str, Any]:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class RatePoint(serializers.Serializer):
    date = serializers.DateField(label="业务日期")
    rate = serializers.DecimalField(label="个贷逾期率", max_digits=12, decimal_places=10, help_text="小数：0.0003 即 0.03%")
    loans = serializers.IntegerField(label="贷款笔数")
    loan_balance = serializers.DecimalField(label="贷款余额", max_digits=18, decimal_places=2)
    overdue_loans = serializers.IntegerField(label="逾期贷款笔数")
    overdue_balance = serializers.DecimalField(label="逾期贷款余额", max_digits=18, decimal_places=2,
                                               help_text="有逾期期次的贷款的全部本金余额")
    overdue_principal = serializers.DecimalField(label="逾期本金", max_digits=18, decimal_places=2)
    borrowers = serializers.IntegerField(label="逾期借款人数")


class RateSeriesOutput(serializers.Serializer):
    scope = serializers.CharField(label="口径", help_text="centre 全中心 / branch 本管理部")
    scope_name = serializers.CharField(label="口径名称")
    series = RatePoint(many=True, label="逐日数据（由远及近）")


class RateSeriesApi(APIView):
    @extend_schema(responses=RateSeriesOutput, summary="个贷逾期率逐日序列（全中心；管理部人员为本管理部）",
                   parameters=[OpenApiParameter("on", OpenApiTypes.DATE, description="截至日期，默认最近一个有数据的业务日"),
                               OpenApiParameter("days", OpenApiTypes.INT, description="天数（1–366，默认 90）")])
    def get(self, request):
        require_staff(request.user)
        params = query(SeriesQuery, request)
        on = params.get("on") or rate_latest_date(request.user, on=timezone.localdate())
        view = rate_view_for_user(request.user)
        series = rate_series(request.user, on=on, days=params["days"]) if on else []
        return Response(RateSeriesOutput({"scope": view.scope if view else "", "scope_name": view.label if view else "",
                                          "series": series}).data)


class RateScopeRow(RatePoint):
    scope_id = serializers.IntegerField(label="管理部/银行编号")
    name = serializers.CharField(label="管理部/银行名称")


class RateBreakdownOutput(serializers.Serializer):
    on = serializers.DateField(label="业务日期", allow_null=True)
    branches = RateScopeRow(many=True, label="按管理部（逾期率由高到低）")
    banks = RateScopeRow(many=True, label="按受托银行（仅全中心权限）")


class DayQuery(serializers.Serializer):
    on = serializers.DateField(label="业务日期", required=False, help_text="默认：最近一个有数据的业务日")


class RateBreakdownApi(APIView):
    @extend_schema(responses=RateBreakdownOutput, summary="某日个贷逾期率：按管理部、按受托银行",
                   parameters=[OpenApiParameter("on", OpenApiTypes.DATE, description="业务日期，默认最近一个有数据的业务日")])
    def get(self, request):
        require_staff(request.user)
        on = query(DayQuery, request).get("on") or rate_latest_date(request.user, on=timezone.localdate())
        rows = rate_breakdown(request.user, on=on) if on else {"branches": [], "banks": []}
        return Response(RateBreakdownOutput({"on": on, **rows}).data)


class TierCount(serializers.Serializer):
    tier = serializers.CharField(label="分类代码", help_text="normal 正常 / attention 关注 / substandard 次级 / doubtful 可疑 / loss 损失")
    label = serializers.CharField(label="分类")
    count = serializers.IntegerField(label="笔数")
    balance = serializers.DecimalField(label="贷款余额", max_digits=18, decimal_places=2)


class TierCountsApi(APIView):
    @extend_schema(responses=TierCount(many=True), summary="贷款五级分类：各类笔数与余额（还款中的贷款）")
    def get(self, request):
        require_staff(request.user)
        return Response(TierCount(tier_counts(request.user, on=timezone.localdate()), many=True).data)


class ClassifiedLoan(serializers.Serializer):
    loan = serializers.IntegerField(source="loan_id", label="贷款编号")
    contract_number = serializers.CharField(source="loan.contract_number", label="借款合同编号")
    borrower = serializers.CharField(source="loan.borrower.name", label="借款人")
    branch = serializers.CharField(source="loan.branch.name", label="管理部")
    bank = serializers.CharField(source="loan.bank.name", label="受托银行")
    tier = serializers.CharField(label="分类代码")
    tier_label = serializers.CharField(source="get_tier_display", label="分类")
    since = serializers.DateField(label="分类起始日")
    days_overdue = serializers.IntegerField(source="loan.days_overdue", label="逾期天数")
    balance = serializers.DecimalField(source="loan.sub_account.balance", label="本金余额", max_digits=18,
                                       decimal_places=2)


class ClassifiedLoansApi(APIView):
    pagination_class = Pagination

    @extend_schema(responses=ClassifiedLoan(many=True), summary="关注及不良贷款列表",
                   parameters=[OpenApiParameter("tier", OpenApiTypes.STR,
                                                description="attention 关注 / substandard 次级 / doubtful 可疑 / loss 损失")])
    def get(self, request):
        require_staff(request.user)
        return paginated(self, api_filtered(TierFilter, request, classified_loans(request.user)), ClassifiedLoan)


class TierChangeOutput(serializers.Serializer):
    on = serializers.DateField(label="业务日期")
    old_tier = serializers.CharField(label="原分类代码")
    new_tier = serializers.CharField(label="新分类代码")
    new_tier_label = serializers.CharField(source="get_new_tier_display", label="新分类")
    days_overdue = serializers.IntegerField(label="逾期天数")


class TierHistoryOutput(serializers.Serializer):
    loan = serializers.IntegerField(source="loan.pk", label="贷款编号")
    contract_number = serializers.CharField(source="loan.contract_number", label="借款合同编号")
    tier = serializers.CharField(label="当前分类代码")
    tier_label = serializers.CharField(label="当前分类")
    since = serializers.DateField(label="分类起始日", allow_null=True)
    changes = TierChangeOutput(many=True, label="分类变动（由近及远）")


class TierHistoryApi(APIView):
    @extend_schema(responses=TierHistoryOutput, summary="一笔贷款的五级分类及变动历史")
    def get(self, request, pk: int):
        return Response(TierHistoryOutput(tier_history_for_user(request.user, pk)).data)
