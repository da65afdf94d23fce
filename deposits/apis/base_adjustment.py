"""Base adjustment API (调基): the yearly template and upload, and one member's adjustment.

An upload answers 202 with the batch and its `status_url` (also the Location header): a worker reads and
checks every row, and the batch's `state` moves from `queued`/`checking` to `applied`, or to `rejected` with
the per-row report in `rows` and the stored Excel report at `report_url`. A file refused before it is read
(too large, not an .xlsx, more rows or unpacked bytes than allowed) answers 400 at once with the same shape
`{"rows": [{"row": null, "field": "file", "message": "文件：…"}], "batch": {...}}`; whatever bytes arrive,
the answer is never a 500.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from fund.api import MonthField, Pagination, XlsxRenderer, paginated, validated
from fund.audit.services import audit_log
from fund.exports import XLSX
from fund.people.roles import roles_of
from fund.people.selectors import get_or_404, scoped

from ..models import BaseAdjustmentBatch, BatchState, MemberAccount, UnitAccount
from ..selectors import unit_account_get_for_user
from ..services.base_adjustment import (
    base_adjust,
    base_batch_report,
    base_template,
    base_upload,
    batch_rows,
    default_year,
)

MONEY = {"max_digits": 18, "decimal_places": 2}


def _require_writer(user: Any, unit: UnitAccount) -> None:
    """受理 staff (or a director) in scope, or the unit's own operator; 稽核 and the other posts read only."""
    roles = roles_of(user)
    if not (roles.can_accept or any(e.pk == unit.employer_id for e in roles.employers)):
        raise PermissionDenied


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


class BaseRowErrorOutput(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True, label="Excel 行号（文件整体问题为 null）")
    field = serializers.CharField(label="字段")
    message = serializers.CharField(label="错误说明")


class BaseBatchOutput(serializers.Serializer):
    id = serializers.IntegerField()
    unit_number = serializers.CharField(source="unit.number", label="单位账号")
    year = serializers.IntegerField(label="调整年度")
    effective_month = MonthField(allow_null=True, label="生效年月（2027-07）")
    file_name = serializers.CharField(label="文件名")
    state = serializers.ChoiceField(
        choices=BatchState.choices,
        label="状态代码：queued 排队中 / checking 校验中 / applied 已生效 / rejected 校验未通过 / failed 处理失败",
    )
    state_label = serializers.CharField(source="get_state_display", label="状态")
    row_count = serializers.IntegerField(label="数据行数（校验完成后）")
    rows_total = serializers.IntegerField(label="工作表行数（上传时清点，含表头和空行）")
    rows_read = serializers.IntegerField(label="已读取行数")
    percent = serializers.IntegerField(label="校验进度（0–100）")
    uploaded_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True, label="校验完成时间")
    rows = serializers.SerializerMethodField(label="逐行错误报告")
    status_url = serializers.SerializerMethodField(label="本批次状态查询地址")
    report_url = serializers.SerializerMethodField(label="带“错误说明”列的 Excel 下载地址（校验未通过时）")

    @extend_schema_field(BaseRowErrorOutput(many=True))
    def get_rows(self, obj: BaseAdjustmentBatch) -> list[dict[str, Any]]:
        return batch_rows(obj)

    def get_status_url(self, obj: BaseAdjustmentBatch) -> str:
        return reverse("api-unit-base-batch", args=[obj.unit_id, obj.pk])

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_report_url(self, obj: BaseAdjustmentBatch) -> str | None:
        if obj.state not in (BatchState.REJECTED, BatchState.FAILED):
            return None
        return reverse("api-unit-base-report", args=[obj.unit_id, obj.pk])


class BaseYearInput(serializers.Serializer):
    year = serializers.IntegerField(
        label="调整年度", min_value=2000, max_value=2100, required=False,
        error_messages={"invalid": "调整年度应为四位年份"},
    )


class BaseTemplateApi(APIView):
    renderer_classes = [JSONRenderer, XlsxRenderer]  # a client asking for the spreadsheet is not refused (406)

    @extend_schema(
        parameters=[OpenApiParameter("year", int, description="调整年度，默认下一个7月所在年度")],
        responses={(200, XLSX): OpenApiTypes.BINARY}, summary="下载年度调基名单模板（Excel）",
    )
    def get(self, request, pk: int):
        unit = unit_account_get_for_user(user=request.user, pk=pk)
        data = BaseYearInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        year = data.validated_data.get("year") or default_year()
        content = base_template(unit=unit, year=year)
        audit_log(actor=request.user, action="deposits.base_template.downloaded", target=unit, new={"year": year})
        return _xlsx(content, f"{unit.number}-{year}年度缴存基数调整表.xlsx")


class BaseBatchListApi(APIView):
    parser_classes = [MultiPartParser, FormParser]
    pagination_class = Pagination

    class InputSerializer(serializers.Serializer):
        year = serializers.IntegerField(
            label="调整年度", min_value=2000, max_value=2100,
            error_messages={"required": "请填写调整年度", "invalid": "调整年度应为四位年份"},
        )
        effective_month = MonthField(
            label="生效年月", required=False, allow_null=True,
            help_text="格式：2027-07；不填则为调整年度的7月", error_messages={"invalid": "生效年月格式应为 2027-07"},
        )
        file = serializers.FileField(
            label="调基名单（.xlsx）", allow_empty_file=True, use_url=False,
            error_messages={"required": "请上传调基名单文件", "invalid": "请以 multipart/form-data 上传文件",
                            "no_name": "无法识别上传的文件名", "empty": "文件为空"},
        )

    @extend_schema(responses=BaseBatchOutput(many=True), summary="调基名单上传记录")
    def get(self, request, pk: int):
        unit = unit_account_get_for_user(user=request.user, pk=pk)
        return paginated(self, BaseAdjustmentBatch.objects.filter(unit=unit).select_related("unit").order_by("-id"),
                         BaseBatchOutput)

    @extend_schema(
        request={"multipart/form-data": InputSerializer},
        responses={
            202: BaseBatchOutput,
            400: inline_serializer("BaseBatchRejected", {
                "rows": BaseRowErrorOutput(many=True), "batch": BaseBatchOutput(),
            }),
        },
        summary="上传年度调基名单：文件收下后由后台逐行校验（202，按 status_url 查询进度与结果：全部行通过则生效，"
                "任何一行有误则整份不生效并给出逐行报告）；文件过大、不是 .xlsx 等在读取前即拒绝（400）",
    )
    def post(self, request, pk: int):
        unit = unit_account_get_for_user(user=request.user, pk=pk)
        _require_writer(request.user, unit)
        values = validated(self.InputSerializer, request)
        batch = base_upload(actor=request.user, unit=unit, **values)
        if batch.state == BatchState.REJECTED:
            return Response({"rows": batch_rows(batch), "batch": BaseBatchOutput(batch).data},
                            status=status.HTTP_400_BAD_REQUEST)
        output = BaseBatchOutput(batch).data
        return Response(output, status=status.HTTP_202_ACCEPTED, headers={"Location": output["status_url"]})


def _batch(user: Any, pk: int, batch: int) -> BaseAdjustmentBatch:
    unit = unit_account_get_for_user(user=user, pk=pk)
    return get_or_404(BaseAdjustmentBatch.objects.filter(unit=unit).select_related("unit"), pk=batch)


class BaseBatchDetailApi(APIView):
    @extend_schema(responses=BaseBatchOutput, summary="一次调基名单上传的进度、结果与逐行报告")
    def get(self, request, pk: int, batch: int):
        return Response(BaseBatchOutput(_batch(request.user, pk, batch)).data)


class BaseBatchReportApi(APIView):
    renderer_classes = [JSONRenderer, XlsxRenderer]

    @extend_schema(
        responses={(200, XLSX): OpenApiTypes.BINARY},
        summary="下载带“错误说明”列的调基名单（Excel，校验完成时生成一次；尚在校验或已生效的批次为 404）",
    )
    def get(self, request, pk: int, batch: int):
        found = _batch(request.user, pk, batch)
        content = base_batch_report(found)
        if content is None:
            raise Http404
        return _xlsx(content, f"{found.unit.number}-{found.year}年度调基-错误说明-{found.pk}.xlsx")


class BaseAdjustmentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    account_number = serializers.CharField(source="account.number", label="个人账号")
    batch = serializers.IntegerField(source="batch_id", allow_null=True, label="调基名单批次（逐人调整为 null）")
    effective_month = MonthField(label="生效年月")
    old_base = serializers.DecimalField(**MONEY, label="原缴存基数")
    new_base = serializers.DecimalField(**MONEY, label="新缴存基数")
    unit_ratio = serializers.DecimalField(max_digits=5, decimal_places=4, label="单位缴存比例（小数）")
    member_ratio = serializers.DecimalField(max_digits=5, decimal_places=4, label="个人缴存比例（小数）")
    unit_monthly = serializers.DecimalField(**MONEY, label="单位月缴存额")
    member_monthly = serializers.DecimalField(**MONEY, label="个人月缴存额")
    created_at = serializers.DateTimeField()


def _adjustable_account(user: Any, pk: int) -> MemberAccount:
    """Staff by branch, operators by employer; a member's own login is not let in (404)."""
    queryset = MemberAccount.objects.select_related("person", "unit__employer")
    return get_or_404(scoped(queryset, user, branch="unit__employer__branch", employer="unit__employer"), pk=pk)


class MemberBaseApi(APIView):
    class InputSerializer(serializers.Serializer):
        new_base = serializers.DecimalField(
            label="新缴存基数", max_digits=12, decimal_places=2, min_value=0,
            error_messages={"invalid": "新缴存基数应为数字", "max_decimal_places": "新缴存基数最多保留两位小数"},
        )
        effective_month = MonthField(
            label="生效年月", help_text="格式：2027-07",
            error_messages={"invalid": "生效年月格式应为 2027-07", "required": "请填写生效年月"},
        )
        unit_ratio = serializers.DecimalField(label="单位缴存比例（小数，如0.12）", max_digits=5, decimal_places=4,
                                              min_value=0, max_value=1, required=False)
        member_ratio = serializers.DecimalField(label="个人缴存比例（小数，如0.12）", max_digits=5, decimal_places=4,
                                                min_value=0, max_value=1, required=False)

    @extend_schema(responses=BaseAdjustmentOutput(many=True), summary="个人缴存基数调整记录")
    def get(self, request, pk: int):
        account = _adjustable_account(request.user, pk)
        rows = account.base_adjustments.select_related("account").order_by("-id")[:100]
        return Response(BaseAdjustmentOutput(rows, many=True).data)

    @extend_schema(request=InputSerializer, responses={201: BaseAdjustmentOutput}, summary="逐人调整缴存基数")
    def post(self, request, pk: int):
        account = _adjustable_account(request.user, pk)
        _require_writer(request.user, account.unit)
        values = validated(self.InputSerializer, request)
        adjustment = base_adjust(actor=request.user, account=account, **values)
        return Response(BaseAdjustmentOutput(adjustment).data, status=status.HTTP_201_CREATED)


api_patterns = [
    path("units/<int:pk>/base-template/", BaseTemplateApi.as_view(), name="api-unit-base-template"),
    path("units/<int:pk>/base-batches/", BaseBatchListApi.as_view(), name="api-unit-base-batches"),
    path("units/<int:pk>/base-batches/<int:batch>/", BaseBatchDetailApi.as_view(), name="api-unit-base-batch"),
    path("units/<int:pk>/base-batches/<int:batch>/report/", BaseBatchReportApi.as_view(), name="api-unit-base-report"),
    path("members/<int:pk>/base/", MemberBaseApi.as_view(), name="api-member-base"),
]
