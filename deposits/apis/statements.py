"""API: statement export, the deposit certificate, a unit's roster and bill history exports, arrears.

The same services as the pages, scoped by the same selectors: a member sees their own account, a unit's
operator its members, staff their branch (or the city); anything else answers 404.
"""

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from fund.api import MonthField, XlsxRenderer, validated
from fund.audit.services import audit_log, person_viewed
from fund.exports import XLSX, export_name, xlsx_response

from ..exports import bills_workbook, roster_workbook, statement_workbook
from ..pdf import PURPOSE_MAX_LENGTH, deposit_certificate_request
from ..selectors import (
    member_account_get_for_user,
    member_accounts_for_user,
    unit_account_get_for_user,
    unit_accounts_for_user,
)
from ..selectors.arrears import arrears_list
from ..selectors.statements import (
    member_statement_rows,
    statement_filter_parse,
    unit_bill_history,
    unit_roster,
)

XLSX_RESPONSE = {(200, XLSX): bytes}
FILTER_PARAMETERS = [
    OpenApiParameter("from", str, description="起始记账日期，YYYY-MM-DD"),
    OpenApiParameter("to", str, description="截止记账日期，YYYY-MM-DD"),
    OpenApiParameter("type", str, description="业务类型代码，如 GJ01 或 01（汇缴）、GJ09（年终结息）、CZ（冲账）"),
]


class MemberStatementExportApi(APIView):
    renderer_classes = [JSONRenderer, XlsxRenderer]

    @extend_schema(
        operation_id="deposits_members_statement_xlsx", parameters=FILTER_PARAMETERS, responses=XLSX_RESPONSE,
        summary="导出个人明细（Excel，可按日期和业务类型筛选）")
    def get(self, request, pk: int):
        account = member_account_get_for_user(user=request.user, pk=pk)
        filters = statement_filter_parse(
            date_from=request.query_params.get("from"), date_to=request.query_params.get("to"),
            business_type=request.query_params.get("type"),
        )
        if account.person_id != request.user.person_id:
            person_viewed(actor=request.user, person=account.person, context=f"API 导出个人明细 {account.number}")
        rows = member_statement_rows(account=account, filters=filters, newest_first=False).iterator(chunk_size=2000)
        content = statement_workbook(account=account, rows=rows, filters=filters)
        return xlsx_response(content, export_name(f"个人明细-{account.number}"))


class MemberDepositCertificateApi(APIView):
    class InputSerializer(serializers.Serializer):
        purpose = serializers.CharField(
            label="用途", max_length=PURPOSE_MAX_LENGTH, required=False, allow_blank=True,
            help_text="印在证明上，如“办理住房贷款”；不填则为“证明该职工住房公积金缴存情况”",
        )

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField(help_text="用 /api/documents/{id}/ 查询状态与下载地址")
        status = serializers.CharField()
        verification_code = serializers.CharField(source="code_display")

    @extend_schema(request=InputSerializer, responses={202: OutputSerializer}, summary="打印个人缴存证明（异步生成PDF）")
    def post(self, request, pk: int):
        account = member_account_get_for_user(user=request.user, pk=pk)
        values = validated(self.InputSerializer, request)
        document = deposit_certificate_request(
            account=account, requested_by=request.user, purpose=values.get("purpose", "")
        )
        return Response(self.OutputSerializer(document).data, status=status.HTTP_202_ACCEPTED)


class UnitRosterExportApi(APIView):
    renderer_classes = [JSONRenderer, XlsxRenderer]

    @extend_schema(operation_id="deposits_units_roster_xlsx", responses=XLSX_RESPONSE, summary="导出职工名册（Excel，身份证号码脱敏）")
    def get(self, request, pk: int):
        unit = unit_account_get_for_user(user=request.user, pk=pk)
        members = unit_roster(unit=unit, members=member_accounts_for_user(request.user))
        audit_log(actor=request.user, action="deposits.roster.exported", target=unit, new={"rows": members.count()})
        return xlsx_response(
            roster_workbook(unit=unit, members=members.iterator(chunk_size=2000)), export_name(f"职工名册-{unit.number}")
        )


class UnitBillsExportApi(APIView):
    renderer_classes = [JSONRenderer, XlsxRenderer]

    @extend_schema(operation_id="deposits_units_bills_xlsx", responses=XLSX_RESPONSE, summary="导出汇补缴记录（Excel）")
    def get(self, request, pk: int):
        unit = unit_account_get_for_user(user=request.user, pk=pk)
        return xlsx_response(bills_workbook(unit=unit, bills=unit_bill_history(unit=unit)), export_name(f"汇补缴记录-{unit.number}"))


class ArrearsListApi(APIView):
    class OutputSerializer(serializers.Serializer):
        unit_id = serializers.IntegerField(source="unit.pk")
        unit_number = serializers.CharField(source="unit.number", label="单位账号")
        unit_name = serializers.CharField(source="unit.employer.name", label="单位名称")
        months_owed = serializers.IntegerField(label="欠缴月数")
        oldest_paid_to = MonthField(label="最早缴至年月")
        members_affected = serializers.IntegerField(label="涉及人数")
        active_members = serializers.IntegerField(label="正常缴存人数")
        amount_owed = serializers.DecimalField(max_digits=18, decimal_places=2, label="估算欠缴金额")

    @extend_schema(responses=OutputSerializer(many=True), summary="欠缴单位（按权限范围，截至今日，按上月应缴计）")
    def get(self, request):
        rows = arrears_list(on=timezone.localdate(), units=unit_accounts_for_user(request.user))
        return Response(self.OutputSerializer(rows, many=True).data)


api_patterns = [
    path("members/<int:pk>/statement.xlsx", MemberStatementExportApi.as_view(), name="api-member-statement-xlsx"),
    path("members/<int:pk>/deposit-certificate/", MemberDepositCertificateApi.as_view(), name="api-member-certificate"),
    path("units/<int:pk>/roster.xlsx", UnitRosterExportApi.as_view(), name="api-unit-roster-xlsx"),
    path("units/<int:pk>/bills.xlsx", UnitBillsExportApi.as_view(), name="api-unit-bills-xlsx"),
    path("arrears/", ArrearsListApi.as_view(), name="api-arrears"),
]
