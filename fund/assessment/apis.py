"""窗口考核 as JSON and Excel: the same selectors as the page (scoped the same way), and the weights with their
history (the director posts a new set)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fund.api import MonthField, XlsxRenderer, validated
from fund.exports import XLSX, export_name, xlsx_response

from .exports import assessment_workbook
from .selectors import (
    Assessment,
    assessment_month,
    assessment_scope,
    sort_codes,
    weights_for_api,
    weights_history,
)
from .services import weights_set


class AssessmentQuery(serializers.Serializer):
    month = MonthField(label="考核月份", required=False, help_text="如 2026-11；默认本月")
    branch = serializers.IntegerField(label="管理部编号", required=False, help_text="仅全中心权限可选；默认全部")
    sort = serializers.CharField(label="排序", required=False, default="-score", max_length=60)

    def validate_sort(self, value: str) -> str:
        if value.lstrip("-") not in sort_codes():
            raise serializers.ValidationError(f"应为以下之一（前加 - 为降序）：{'、'.join(sort_codes())}")
        return value


QUERY_PARAMETERS = [
    OpenApiParameter("month", OpenApiTypes.STR, description="考核月份，如 2026-11；默认本月"),
    OpenApiParameter("branch", OpenApiTypes.INT, description="管理部编号（仅全中心权限）"),
    OpenApiParameter("sort", OpenApiTypes.STR, description="排序列：name、branch、steps、median、on_time、late、returns、"
                                                          "ratings、rating_avg、good、bad、score 或 source:<来源代码>；"
                                                          "前加 - 为降序，默认 -score"),
]


def _load(request: Any) -> Assessment:
    assessment_scope(request.user)  # not staff: 404 before the query is read
    serializer = AssessmentQuery(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    params = serializer.validated_data
    return assessment_month(request.user, month=params.get("month") or timezone.localdate(),
                            branch_id=params.get("branch"), sort=params["sort"])


class TermOutput(serializers.Serializer):
    code = serializers.CharField(label="考核项代码")
    name = serializers.CharField(source="label", label="考核项")
    count = serializers.IntegerField(label="次数")
    per = serializers.DecimalField(label="每次分值", max_digits=6, decimal_places=2)
    points = serializers.DecimalField(label="得分", max_digits=10, decimal_places=2)


class StepCountOutput(serializers.Serializer):
    name = serializers.CharField(source="label", label="环节")
    count = serializers.IntegerField(label="次数")


class AssessmentRowOutput(serializers.Serializer):
    user_id = serializers.IntegerField(label="用户编号")
    name = serializers.CharField(label="姓名")
    branch = serializers.CharField(label="管理部")
    steps = serializers.IntegerField(label="办理环节数")
    steps_by_label = StepCountOutput(many=True, source="step_counts", label="按环节")
    median_minutes = serializers.DecimalField(label="处理时长中位数（分钟）", max_digits=12, decimal_places=1, allow_null=True)
    with_deadline = serializers.IntegerField(label="有时限的环节数")
    late = serializers.IntegerField(label="超时环节数")
    on_time = serializers.DecimalField(label="按时办结率", max_digits=6, decimal_places=4, allow_null=True,
                                       help_text="小数；无有时限的环节时为空")
    returns = serializers.IntegerField(label="补正退回次数")
    ratings = serializers.IntegerField(label="评价数")
    rating_avg = serializers.DecimalField(label="平均星级", max_digits=4, decimal_places=2, allow_null=True)
    good = serializers.IntegerField(label="好评数")
    bad = serializers.IntegerField(label="差评数")
    base = serializers.DecimalField(label="基础分", max_digits=6, decimal_places=2)
    terms = TermOutput(many=True, label="各考核项（含登记的来源）")
    score = serializers.DecimalField(label="得分", max_digits=10, decimal_places=2)
    explanation = serializers.CharField(label="得分构成")


class WeightOutput(serializers.Serializer):
    term = serializers.CharField(label="考核项代码")
    name = serializers.CharField(source="label", label="考核项")
    per = serializers.DecimalField(label="每次分值", max_digits=6, decimal_places=2)


class WeightSetOutput(serializers.Serializer):
    id = serializers.IntegerField()
    effective_from = MonthField(label="生效月份")
    base = serializers.DecimalField(label="基础分", max_digits=6, decimal_places=2)
    note = serializers.CharField(label="调整说明")
    created_by = serializers.CharField(label="设置人", allow_null=True)
    created_at = serializers.DateTimeField(label="设置时间")
    weights = WeightOutput(many=True, label="各项分值（未列出的计 0）")


class AssessmentOutput(serializers.Serializer):
    month = MonthField(label="考核月份")
    scope = serializers.CharField(source="scope.kind", label="可见范围", help_text="all 全中心 / branch 本管理部 / self 本人")
    branch = serializers.CharField(source="branch.name", label="管理部", allow_null=True, default=None)
    sort = serializers.CharField(label="排序")
    weights = serializers.SerializerMethodField(label="计分所用权重")
    rows = AssessmentRowOutput(many=True, label="每人一行")

    def get_weights(self, obj: Any) -> dict[str, Any]:
        return WeightSetOutput(weights_for_api(obj.weights)).data


class AssessmentApi(APIView):
    @extend_schema(responses=AssessmentOutput, parameters=QUERY_PARAMETERS,
                   summary="窗口考核（按月、每人一行；审批岗/分管领导看本管理部，全中心领导和稽核看全部，其他人员只看本人）")
    def get(self, request: Request) -> Response:
        return Response(AssessmentOutput(_load(request)).data)


class AssessmentExportApi(APIView):
    renderer_classes = [JSONRenderer, XlsxRenderer]

    @extend_schema(operation_id="service_assessment_xlsx", parameters=QUERY_PARAMETERS,
                   responses={(200, XLSX): bytes}, summary="导出窗口考核（Excel）")
    def get(self, request: Request) -> HttpResponse:
        assessment = _load(request)
        return xlsx_response(assessment_workbook(assessment), export_name(f"窗口考核-{assessment.month:%Y%m}"))


class WeightsApi(APIView):
    class InputSerializer(serializers.Serializer):
        effective_from = MonthField(label="生效月份", error_messages={"required": "请填写生效月份",
                                                                   "invalid": "生效月份格式应为 2026-12"})
        base = serializers.DecimalField(label="基础分", max_digits=6, decimal_places=2,
                                        error_messages={"required": "请填写基础分", "invalid": "基础分应为数字"})
        weights = serializers.DictField(child=serializers.DecimalField(max_digits=6, decimal_places=2), label="各项分值",
                                        help_text="考核项代码 → 每次分值，如 {\"late_steps\": \"-2\"}；未列出的计 0")
        note = serializers.CharField(label="调整说明", required=False, allow_blank=True, default="", max_length=200)

    @extend_schema(responses=WeightSetOutput(many=True), summary="考核权重及历史（由近及远）")
    def get(self, request: Request) -> Response:
        assessment_scope(request.user)
        return Response(WeightSetOutput([weights_for_api(w) for w in weights_history()], many=True).data)

    @extend_schema(request=InputSerializer, responses={201: WeightSetOutput}, summary="设置新的考核权重（分管副主任/主任）")
    def post(self, request: Request) -> Response:
        assessment_scope(request.user)
        values = validated(self.InputSerializer, request)
        created = weights_set(actor=request.user, effective_from=values["effective_from"], base=values["base"],
                              weights=values["weights"], note=values["note"])
        return Response(WeightSetOutput(weights_for_api(created)).data, status=status.HTTP_201_CREATED)
