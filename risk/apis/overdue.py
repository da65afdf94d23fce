"""The overdue ledger API: the same selectors and services as the staff pages. 风控/清收 and directors, scoped to
their branch unless centre-wide; anyone else gets 404."""

from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from fund.api import Pagination, paginated, validated
from fund.audit.masking import mask_id_number
from fund.filters import api_filtered

from ..filters_overdue import OverdueCaseFilter
from ..selectors.overdue import (
    case_instalments,
    overdue_can_view,
    overdue_case_get_for_user,
    overdue_cleared_for_user,
)
from ..services import overdue as services
from ..views.overdue import cleared_date, ledger_rows

STAGE_HELP = "1 电话短信催收 / 2 上门及书面催收 / 3 法律诉讼移交"
CHANNEL_HELP = "phone 电话 / sms 短信 / visit 上门 / employer 单位 / letter 信函 / legal 法律"


def _require_view(user: Any) -> None:
    if not overdue_can_view(user):
        raise Http404


class CaseOutput(serializers.Serializer):
    id = serializers.IntegerField()
    loan = serializers.IntegerField(source="loan_id", label="贷款编号")
    contract_number = serializers.CharField(source="loan.contract_number", label="借款合同编号")
    borrower = serializers.CharField(source="loan.borrower.name", label="借款人")
    borrower_id_number = serializers.SerializerMethodField(label="身份证号码（脱敏）")
    branch = serializers.CharField(label="管理部")
    bank = serializers.CharField(label="受托银行")
    collector = serializers.CharField(allow_null=True, label="清收责任人")
    state = serializers.CharField(label="状态代码", help_text="open 逾期中 / cleared 已销号")
    state_label = serializers.CharField(source="get_state_display", label="状态")
    stage = serializers.IntegerField(label="催收阶段代码", help_text=STAGE_HELP)
    stage_label = serializers.CharField(source="get_stage_display", label="催收阶段")
    stage_since = serializers.DateField(label="进入本阶段日期")
    periods_overdue = serializers.IntegerField(label="逾期期数")
    days_overdue = serializers.IntegerField(label="逾期天数")
    overdue_since = serializers.DateField(allow_null=True, label="最早逾期应还日")
    overdue_principal = serializers.DecimalField(max_digits=18, decimal_places=2, label="逾期本金")
    overdue_interest = serializers.DecimalField(max_digits=18, decimal_places=2, label="逾期利息")
    overdue_penalty = serializers.DecimalField(max_digits=18, decimal_places=2, label="罚息")
    overdue_total = serializers.DecimalField(max_digits=18, decimal_places=2, label="逾期合计")
    figures_on = serializers.DateField(label="数据日期")
    opened_on = serializers.DateField(label="列入台账日期")
    cleared_on = serializers.DateField(allow_null=True, label="销号日期")

    def get_borrower_id_number(self, obj: Any) -> str:
        return mask_id_number(obj.loan.borrower.id_number)


class TaskOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(label="任务代码")
    kind_label = serializers.CharField(source="get_kind_display", label="任务")
    stage = serializers.IntegerField(label="催收阶段代码")
    opened_on = serializers.DateField(label="下达日期")
    due_on = serializers.DateField(label="完成时限")
    done_at = serializers.DateTimeField(allow_null=True, label="完成时间")
    done_by = serializers.CharField(allow_null=True, label="完成人")


class ContactOutput(serializers.Serializer):
    id = serializers.IntegerField()
    channel = serializers.CharField(label="方式代码", help_text=CHANNEL_HELP)
    channel_label = serializers.CharField(source="get_channel_display", label="方式")
    contacted_on = serializers.DateField(label="联系日期")
    by = serializers.CharField(allow_null=True, label="催收人（空为系统）")
    result = serializers.CharField(label="催收结果")
    promise_on = serializers.DateField(allow_null=True, label="承诺还款日期")
    promise_kept = serializers.BooleanField(allow_null=True, label="承诺已履行（空为待跟进）")


class OverdueInstalmentOutput(serializers.Serializer):
    number = serializers.IntegerField(label="期次")
    due_on = serializers.DateField(label="应还日期")
    principal = serializers.DecimalField(max_digits=18, decimal_places=2, label="应还本金")
    interest = serializers.DecimalField(max_digits=18, decimal_places=2, label="应还利息")
    principal_paid = serializers.DecimalField(max_digits=18, decimal_places=2, label="已还本金")
    interest_paid = serializers.DecimalField(max_digits=18, decimal_places=2, label="已还利息")
    penalty = serializers.DecimalField(max_digits=18, decimal_places=2, label="罚息")


class CaseDetailOutput(CaseOutput):
    instalments = serializers.SerializerMethodField(label="逾期期次")
    tasks = TaskOutput(many=True, label="催收任务")
    contacts = ContactOutput(many=True, label="催收记录")

    @extend_schema_field(OverdueInstalmentOutput(many=True))
    def get_instalments(self, obj: Any) -> Any:
        return OverdueInstalmentOutput(case_instalments(obj), many=True).data


def _detail(case: Any) -> Any:
    case = overdue_case_fresh(case)
    return CaseDetailOutput(case).data


def overdue_case_fresh(case: Any) -> Any:
    from ..models import OverdueCase

    return OverdueCase.objects.select_related("loan__borrower", "branch", "bank", "collector").prefetch_related(
        "tasks__done_by", "contacts__by").get(pk=case.pk)


LIST_PARAMETERS = [
    OpenApiParameter("stage", OpenApiTypes.INT, description=STAGE_HELP),
    OpenApiParameter("collector", OpenApiTypes.INT, description="清收责任人（用户编号）"),
    OpenApiParameter("branch", OpenApiTypes.INT, description="管理部编号"),
    OpenApiParameter("bank", OpenApiTypes.INT, description="受托银行编号"),
    OpenApiParameter("state", OpenApiTypes.STR, description="open 逾期中 / cleared 已销号；不填为在册（逾期中）"),
]


class OverdueListApi(APIView):
    pagination_class = Pagination

    @extend_schema(responses=CaseOutput(many=True), parameters=LIST_PARAMETERS,
                   summary="逾期台账（风控/清收岗、分管领导；本管理部或全中心）")
    def get(self, request: Any) -> Response:
        _require_view(request.user)
        cases = api_filtered(OverdueCaseFilter, request, ledger_rows(request.user, request.query_params))
        return paginated(self, cases, CaseOutput)


class OverdueClearedApi(APIView):
    pagination_class = Pagination

    @extend_schema(responses=CaseOutput(many=True), summary="销号清单（某日日终还清逾期款项销号的贷款）",
                   parameters=[OpenApiParameter("on", OpenApiTypes.DATE, description="销号日期，默认今天")])
    def get(self, request: Any) -> Response:
        _require_view(request.user)
        on = cleared_date(request.query_params.get("on"))
        return paginated(self, overdue_cleared_for_user(request.user, on), CaseOutput)


class OverdueCaseApi(APIView):
    @extend_schema(responses=CaseDetailOutput, summary="逾期台账详情：逾期期次、催收任务、催收记录")
    def get(self, request: Any, pk: int) -> Response:
        return Response(_detail(overdue_case_get_for_user(request.user, pk)))


class OverdueContactApi(APIView):
    class InputSerializer(serializers.Serializer):
        channel = serializers.CharField(label="联系方式", max_length=10, help_text=CHANNEL_HELP)
        result = serializers.CharField(label="催收结果", max_length=500)
        contacted_on = serializers.DateField(label="联系日期", required=False, allow_null=True, help_text="默认今天")
        promise_on = serializers.DateField(label="承诺还款日期", required=False, allow_null=True)

    @extend_schema(request=InputSerializer, responses={201: ContactOutput},
                   summary="登记催收记录（风控/清收岗）；承诺还款日期到期未还款的，日终生成跟进任务")
    def post(self, request: Any, pk: int) -> Response:
        case = overdue_case_get_for_user(request.user, pk)
        values = validated(self.InputSerializer, request)
        contact = services.contact_record(actor=request.user, case=case, **values)
        return Response(ContactOutput(contact).data, status=status.HTTP_201_CREATED)


class OverdueReassignApi(APIView):
    class InputSerializer(serializers.Serializer):
        collector = serializers.IntegerField(label="清收责任人（用户编号）", help_text="贷款所属管理部的清收岗")
        reason = serializers.CharField(label="调整原因", max_length=500)

    @extend_schema(request=InputSerializer, responses=CaseDetailOutput,
                   summary="调整清收责任人（全中心范围的风控岗、分管领导）")
    def post(self, request: Any, pk: int) -> Response:
        case = overdue_case_get_for_user(request.user, pk)
        values = validated(self.InputSerializer, request)
        case = services.collector_reassign(actor=request.user, case=case, **values)
        return Response(_detail(case))


class NoticeOutput(serializers.Serializer):
    id = serializers.IntegerField(label="文件编号")
    status = serializers.CharField(label="状态", help_text="pending 生成中 / ready 可下载 / failed 失败")
    verification_code = serializers.CharField(source="code_display", label="验证码")


class OverdueNoticeApi(APIView):
    @extend_schema(request=None, responses={202: NoticeOutput},
                   summary="打印《逾期贷款通知单》（PDF 异步生成，登记一条信函催收记录；当日重复请求返回同一份）")
    def post(self, request: Any, pk: int) -> Response:
        case = overdue_case_get_for_user(request.user, pk)
        document = services.overdue_notice_print(actor=request.user, case=case)
        return Response(NoticeOutput(document).data, status=status.HTTP_202_ACCEPTED)
