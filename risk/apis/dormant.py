"""The dormant account campaign's API: the same selectors and services as the staff pages. Staff who work the
campaign (风控, 受理, the director) see their branch's accounts; anyone else gets 404."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from fund.api import Pagination, choices_help, paginated, validated
from fund.audit.masking import mask_id_number
from fund.filters import api_filtered

from ..dormant_forms import DormantAccountFilter
from ..models import MANUAL_OUTCOMES, DormantOutcome
from ..selectors.dormant import (
    dormant_account_get_for_user,
    dormant_accounts_for_user,
    dormant_campaign_get_for_user,
    dormant_campaigns_for_user,
    dormant_may_work,
    dormant_progress,
)
from ..services.dormant import dormant_campaign_start, dormant_outcome_record

OUTCOME_HELP = choices_help(DormantOutcome.choices)


class OutcomeCountOutput(serializers.Serializer):
    outcome = serializers.CharField(label="清理结果代码", help_text=OUTCOME_HELP)
    label = serializers.CharField(label="清理结果")
    count = serializers.IntegerField(label="户数")


class GroupProgressOutput(serializers.Serializer):
    total = serializers.IntegerField(label="列入户数")
    settled = serializers.IntegerField(label="已办结户数", help_text="已提取 + 已转移")
    contacted = serializers.IntegerField(label="已联系或已办结户数", help_text="清理结果不是待联系的户数")
    settled_percent = serializers.IntegerField(label="办结率（%）")
    contacted_percent = serializers.IntegerField(label="联系率（%）")
    outcomes = serializers.DictField(child=serializers.IntegerField(), label="各清理结果户数", help_text=OUTCOME_HELP)


class BranchProgressOutput(GroupProgressOutput):
    branch = serializers.CharField(label="管理部")


class UnitProgressOutput(GroupProgressOutput):
    unit = serializers.CharField(label="单位名称")
    unit_number = serializers.CharField(label="单位账号")


class ProgressOutput(GroupProgressOutput):
    balance = serializers.DecimalField(max_digits=18, decimal_places=2, label="列入余额（元）")
    settled_balance = serializers.DecimalField(max_digits=18, decimal_places=2, label="已办结余额（元）")
    notified = serializers.IntegerField(label="已短信通知户数")
    no_phone = serializers.IntegerField(label="无联系方式户数")
    by_outcome = OutcomeCountOutput(many=True, label="按清理结果")
    by_branch = BranchProgressOutput(many=True, label="按管理部")
    by_unit = UnitProgressOutput(many=True, label="按最后所在单位（户数最多的20家）")


class CampaignOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(label="行动名称")
    started_on = serializers.DateField(label="开始日期")
    ends_on = serializers.DateField(label="结束日期")
    cutoff = serializers.DateField(label="认定基准日", help_text="封存且无资金变动在此日（含）之前的账户")
    years = serializers.IntegerField(label="封存年限")
    started_by = serializers.CharField(label="发起人")


class CampaignProgressOutput(CampaignOutput):
    progress = ProgressOutput(label="清理进度（本人可见范围内）")


class DormantAccountOutput(serializers.Serializer):
    id = serializers.IntegerField()
    campaign = serializers.IntegerField(source="campaign_id", label="清理行动编号")
    name = serializers.CharField(source="account.person.name", label="姓名")
    id_number = serializers.SerializerMethodField(label="身份证号码（脱敏）")
    account_number = serializers.CharField(source="account.number", label="个人账号")
    balance = serializers.DecimalField(max_digits=18, decimal_places=2, label="认定时余额（元）")
    sealed_on = serializers.DateField(label="封存日期", allow_null=True)
    last_movement_on = serializers.DateField(label="最后资金变动日期（不含结息）", allow_null=True)
    phone = serializers.CharField(source="account.person.phone", label="手机号码", help_text="空为无联系方式")
    unit = serializers.CharField(source="unit.employer.name", label="最后所在单位")
    unit_number = serializers.CharField(source="unit.number", label="单位账号")
    unit_address = serializers.CharField(source="unit.employer.address", label="单位地址")
    unit_phone = serializers.CharField(source="unit.employer.contact_phone", label="单位联系电话")
    branch = serializers.CharField(source="branch.name", label="管理部")
    outcome = serializers.CharField(label="清理结果代码", help_text=OUTCOME_HELP)
    outcome_label = serializers.CharField(source="get_outcome_display", label="清理结果")
    outcome_on = serializers.DateField(label="结果日期", allow_null=True)
    outcome_by = serializers.CharField(label="登记人", allow_null=True, help_text="空为日终自动识别")
    outcome_note = serializers.CharField(label="联系情况")
    notified_at = serializers.DateTimeField(label="短信通知时间", allow_null=True)

    def get_id_number(self, obj) -> str:
        return mask_id_number(obj.account.person.id_number)


def _require_worker(user) -> None:
    if not dormant_may_work(user):
        raise Http404


class DormantCampaignListApi(APIView):
    pagination_class = Pagination

    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(label="行动名称", max_length=60)
        ends_on = serializers.DateField(label="结束日期", required=False, allow_null=True, help_text="默认开始后 90 天")

    @extend_schema(responses=CampaignOutput(many=True), summary="呆滞账户清理行动列表")
    def get(self, request):
        _require_worker(request.user)
        return paginated(self, dormant_campaigns_for_user(request.user), CampaignOutput)

    @extend_schema(request=InputSerializer, responses={201: CampaignProgressOutput},
                   summary="发起呆滞账户清理（全中心范围的风控岗、分管领导）：认定、列出并短信通知")
    def post(self, request):
        _require_worker(request.user)
        values = validated(self.InputSerializer, request)
        campaign = dormant_campaign_start(actor=request.user, **values)
        data = {**CampaignOutput(campaign).data, "progress": dormant_progress(request.user, campaign)}
        return Response(CampaignProgressOutput(data).data, status=status.HTTP_201_CREATED)


class DormantCampaignDetailApi(APIView):
    @extend_schema(responses=CampaignProgressOutput, summary="呆滞账户清理行动及进度（按结果、管理部、单位）")
    def get(self, request, pk: int):
        campaign = dormant_campaign_get_for_user(request.user, pk)
        data = {**CampaignOutput(campaign).data, "progress": dormant_progress(request.user, campaign)}
        return Response(CampaignProgressOutput(data).data)


class DormantCampaignAccountsApi(APIView):
    pagination_class = Pagination

    @extend_schema(
        responses=DormantAccountOutput(many=True), summary="清理行动列入的呆滞账户（本管理部；全中心范围的看全部）",
        parameters=[
            OpenApiParameter("outcome", OpenApiTypes.STR, description=OUTCOME_HELP),
            OpenApiParameter("branch", OpenApiTypes.INT, description="管理部编号"),
            OpenApiParameter("contact", OpenApiTypes.STR, description="phone 有手机号码 / none 无联系方式"),
            OpenApiParameter("q", OpenApiTypes.STR, description="姓名（部分）、个人账号、单位名称（部分）或单位账号"),
        ],
    )
    def get(self, request, pk: int):
        campaign = dormant_campaign_get_for_user(request.user, pk)
        items = dormant_accounts_for_user(request.user).filter(campaign=campaign).order_by("branch__code", "unit__number", "id")
        return paginated(self, api_filtered(DormantAccountFilter, request, items), DormantAccountOutput)


class DormantAccountOutcomeApi(APIView):
    class InputSerializer(serializers.Serializer):
        outcome = serializers.CharField(label="清理结果", max_length=12,
                                        help_text=choices_help((c, DormantOutcome(c).label) for c in MANUAL_OUTCOMES))
        note = serializers.CharField(label="联系情况", max_length=200, required=False, allow_blank=True, default="")

    @extend_schema(request=InputSerializer, responses=DormantAccountOutput,
                   summary="登记呆滞账户清理结果（已联系、查无此人；已提取、已转移由日终识别）")
    def post(self, request, pk: int):
        item = dormant_account_get_for_user(request.user, pk)
        values = validated(self.InputSerializer, request)
        item = dormant_outcome_record(actor=request.user, item=item, **values)
        return Response(DormantAccountOutput(dormant_account_get_for_user(request.user, item.pk)).data)
