"""服务效能 through the API (mounted at /api/service/): the same report as the staff page, its item × branch ×
month rows a page at a time, and the Excel. Centre-wide staff and branch heads; anyone else 404, as is a branch
outside the caller's scope. Rates are fractions (0.4444 = 44.44 %), times in minutes."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fund.api import MonthField, Pagination, XlsxRenderer, paginated
from fund.exports import XLSX, export_name, xlsx_response

from .exports import measures_workbook
from .forms import MeasuresForm, form_errors, period_from
from .selectors import Report, item_name, measures_report, measures_scope_or_404

PARAMETERS = [
    OpenApiParameter("start", OpenApiTypes.STR, description="起始年月，如 2026-01；默认截止年月前 11 个月"),
    OpenApiParameter("end", OpenApiTypes.STR, description="截止年月，如 2026-12；默认上月（最长 36 个月）"),
    OpenApiParameter("branch", OpenApiTypes.INT, description="管理部编号；默认全中心（管理部负责人只能查本管理部）"),
    OpenApiParameter("item", OpenApiTypes.STR, description="事项编码，如 TQ-07；默认全部事项"),
]


def report_for(request: Request) -> Report:
    measures_scope_or_404(request.user)
    form = MeasuresForm(request.query_params, user=request.user)
    if not form.is_valid():
        raise serializers.ValidationError(form_errors(form))
    period = period_from(form, timezone.localdate())
    return measures_report(user=request.user, start=period.start, end=period.end, branch_id=period.branch_id,
                           item_code=period.item_code)


def _rate(label: str) -> serializers.DecimalField:
    return serializers.DecimalField(label=label, max_digits=5, decimal_places=4, allow_null=True,
                                    help_text="小数：0.4444 即 44.44%；分母为 0 时为 null")


class MeasuresFiguresOutput(serializers.Serializer):
    applications = serializers.IntegerField(label="申请件数")
    finished = serializers.IntegerField(label="办结件数")
    refused = serializers.IntegerField(label="不予办理件数")
    online = serializers.IntegerField(label="网上办理件数", help_text="含跨省通办")
    instant = serializers.IntegerField(label="秒批件数")
    window = serializers.IntegerField(label="窗口申请件数")
    on_the_spot = serializers.IntegerField(label="当场办结件数")
    visits = serializers.IntegerField(label="到窗口次数")
    pages = serializers.IntegerField(label="纸质材料页数")
    online_rate = _rate("网办率")
    instant_rate = _rate("秒批率")
    on_the_spot_rate = _rate("当场办结率")
    visits_per_application = serializers.DecimalField(label="跑动次数（次/件）", max_digits=8, decimal_places=2,
                                                      allow_null=True)
    pages_per_application = serializers.DecimalField(label="纸质材料（页/件）", max_digits=10, decimal_places=2,
                                                     allow_null=True)
    median_minutes = serializers.DecimalField(label="办结时长中位数（分钟）", max_digits=12, decimal_places=1,
                                              allow_null=True, help_text="已办结件自受理至办结")


SOURCE_VALUES = serializers.DictField(
    child=serializers.DecimalField(max_digits=12, decimal_places=10, allow_null=True), label="其他条线指标",
    help_text="指标代码 → 数值（如 overdue_rate 个贷逾期率，小数），无数据为 null")


class MeasuresMonthOutput(serializers.Serializer):
    month = MonthField(label="年月")
    figures = MeasuresFiguresOutput(label="指标")
    sources = SOURCE_VALUES


class MeasuresItemOutput(serializers.Serializer):
    code = serializers.CharField(label="事项编码")
    name = serializers.CharField(label="事项名称")
    figures = MeasuresFiguresOutput(label="指标")


class MeasuresBranchOutput(serializers.Serializer):
    branch_id = serializers.IntegerField(label="管理部编号")
    name = serializers.CharField(label="管理部")
    figures = MeasuresFiguresOutput(label="指标")
    sources = serializers.DictField(
        child=serializers.DecimalField(max_digits=12, decimal_places=10, allow_null=True), label="其他条线指标",
        help_text="截止年月的数值")


class MeasuresSourceOutput(serializers.Serializer):
    code = serializers.CharField(label="指标代码")
    name = serializers.CharField(source="label", label="指标")
    note = serializers.CharField(label="口径")


class MeasuresReportOutput(serializers.Serializer):
    start = MonthField(label="起始年月")
    end = MonthField(label="截止年月")
    scope = serializers.CharField(source="scope.label", label="查看范围", help_text="全中心，或管理部负责人的管理部")
    branch_id = serializers.IntegerField(source="branch.pk", label="管理部编号", allow_null=True, default=None)
    branch_name = serializers.CharField(source="branch.name", label="管理部", allow_null=True, default=None)
    item_code = serializers.CharField(label="事项编码", help_text="空：全部事项")
    overall = MeasuresFiguresOutput(label="期间合计")
    months = MeasuresMonthOutput(many=True, label="逐月（按申请提交时间，北京时间）")
    by_item = MeasuresItemOutput(many=True, label="按事项")
    by_branch = MeasuresBranchOutput(many=True, label="按管理部")
    sources = MeasuresSourceOutput(many=True, label="其他条线指标")


class MeasuresApi(APIView):
    @extend_schema(parameters=PARAMETERS, responses=MeasuresReportOutput,
                   summary="服务效能：网办率、秒批率、当场办结率、跑动次数、办结时长、纸质材料，逐月、按事项、按管理部")
    def get(self, request: Request) -> Response:
        return Response(MeasuresReportOutput(report_for(request)).data)


class MeasuresRowOutput(serializers.Serializer):
    month = MonthField(label="年月")
    item_code = serializers.CharField(label="事项编码")
    item_name = serializers.CharField(label="事项名称")
    branch_id = serializers.IntegerField(label="管理部编号")
    branch_name = serializers.CharField(label="管理部")
    figures = MeasuresFiguresOutput(label="指标")


class MeasureRowsApi(APIView):
    pagination_class = Pagination

    @extend_schema(parameters=PARAMETERS, responses=MeasuresRowOutput(many=True),
                   summary="服务效能明细：每个事项、管理部、月份一行")
    def get(self, request: Request) -> Response:
        return paginated(self, report_for(request).rows, MeasuresRowOutput)



class MeasuresExportApi(APIView):
    renderer_classes = [JSONRenderer, XlsxRenderer]

    @extend_schema(operation_id="service_measures_xlsx", parameters=PARAMETERS, responses={(200, XLSX): bytes},
                   summary="导出服务效能（Excel：按月、按事项、按管理部、明细）")
    def get(self, request: Request) -> Any:
        report = report_for(request)
        content = measures_workbook(
            report, branch_label=report.branch.name if report.branch else report.scope.label,
            item_label=item_name(report.item_code) if report.item_code else "全部事项")
        return xlsx_response(content, export_name(f"服务效能-{report.start:%Y%m}-{report.end:%Y%m}"))
