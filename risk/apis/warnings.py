"""The warnings as JSON: credit-bureau notices given and the 贷后停缴 lists. Staff only (their branch unless
centre-wide); anyone else 404."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.views import APIView

from fund.api import MonthField, Pagination, paginated
from fund.filters import api_filtered

from ..filters_rates import CreditNoticeFilter, StoppedFilter
from ..selectors.warnings import credit_notices_for_user, stopped_deposits_for_user
from .rates import require_staff


class CreditNoticeOutput(serializers.Serializer):
    id = serializers.IntegerField()
    loan = serializers.IntegerField(source="loan_id", label="贷款编号")
    contract_number = serializers.CharField(source="loan.contract_number", label="借款合同编号")
    borrower = serializers.CharField(source="borrower.name", label="借款人")
    branch = serializers.CharField(source="branch.name", label="管理部")
    episode_since = serializers.DateField(label="本次逾期起始应还日")
    noticed_on = serializers.DateField(label="告知日期")
    days_overdue = serializers.IntegerField(label="告知时逾期天数")
    periods_overdue = serializers.IntegerField(label="告知时逾期期数")
    texted = serializers.SerializerMethodField(label="已发短信")
    cleared_on = serializers.DateField(label="逾期结清日期", allow_null=True)

    def get_texted(self, obj) -> bool:
        return bool(obj.phone)


class CreditNoticeListApi(APIView):
    pagination_class = Pagination

    @extend_schema(responses=CreditNoticeOutput(many=True), summary="征信不良信息告知记录",
                   parameters=[OpenApiParameter("open", OpenApiTypes.BOOL, description="true：逾期尚未结清的")])
    def get(self, request):
        require_staff(request.user)
        rows = api_filtered(CreditNoticeFilter, request, credit_notices_for_user(request.user))
        return paginated(self, rows, CreditNoticeOutput)


class StoppedDepositOutput(serializers.Serializer):
    id = serializers.IntegerField()
    month = MonthField(label="排查月份")
    kind = serializers.CharField(label="类型代码", help_text="unit 单位停缴 / self_employed 灵活就业停缴")
    kind_label = serializers.CharField(source="get_kind_display", label="类型")
    loan = serializers.IntegerField(source="loan_id", label="贷款编号")
    contract_number = serializers.CharField(source="loan.contract_number", label="借款合同编号")
    borrower = serializers.CharField(source="borrower.name", label="借款人")
    branch = serializers.CharField(source="branch.name", label="管理部")
    employer = serializers.CharField(source="employer.name", label="单位")
    credit_code = serializers.CharField(source="employer.credit_code", label="单位统一社会信用代码")
    last_month = MonthField(label="最后缴存年月", allow_null=True)
    loan_balance = serializers.DecimalField(label="贷款余额", max_digits=18, decimal_places=2)


class StoppedDepositListApi(APIView):
    pagination_class = Pagination

    @extend_schema(responses=StoppedDepositOutput(many=True), summary="贷后停缴名单（每月排查）",
                   parameters=[OpenApiParameter("month", OpenApiTypes.STR, description="排查月份，如 2026-06；不填为全部"),
                               OpenApiParameter("kind", OpenApiTypes.STR, description="unit 单位停缴 / self_employed 灵活就业停缴")])
    def get(self, request):
        require_staff(request.user)
        rows = api_filtered(StoppedFilter, request, stopped_deposits_for_user(request.user))
        return paginated(self, rows, StoppedDepositOutput)
