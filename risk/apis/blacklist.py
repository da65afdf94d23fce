"""The blacklist API: the same selectors and services as the staff pages. Staff only; others get 404."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from fund.api import Pagination, paginated, validated
from fund.audit.masking import mask_id_number
from fund.filters import api_filtered
from fund.people.roles import roles_of

from .. import services
from ..filters import BlacklistFilter
from ..selectors import (
    blacklist_entries_for_user,
    blacklist_entry_get_for_user,
    blacklist_sees_full_ids,
)


def _require_staff(user) -> None:
    """Not staff: the blacklist does not exist for you (404), the same answer as a missing entry."""
    if not roles_of(user).is_staff:
        raise Http404


class BlacklistEntryOutput(serializers.Serializer):
    id = serializers.IntegerField()
    subject_kind = serializers.CharField(label="对象类型代码", help_text="person 个人 / unit 单位")
    subject_kind_label = serializers.CharField(source="get_subject_kind_display", label="对象类型")
    name = serializers.CharField(label="姓名/单位名称")
    id_number = serializers.SerializerMethodField(label="身份证号码", help_text="风控岗与分管领导看到完整号码，其他工作人员看到脱敏号码")
    credit_code = serializers.CharField(label="统一社会信用代码")
    category = serializers.CharField(label="失信类别代码")
    category_label = serializers.CharField(source="get_category_display", label="失信类别")
    reason = serializers.CharField(label="列入事由")
    bans_withdrawal = serializers.BooleanField(label="限制提取")
    bans_loan = serializers.BooleanField(label="限制贷款")
    listed_on = serializers.DateField(label="列入日期")
    until = serializers.DateField(label="限制截止日期（当日起不再限制）")
    state = serializers.CharField(label="状态代码", help_text="in_force 生效中 / expired 已到期 / lifted 已解除")
    state_label = serializers.CharField(label="状态")
    public = serializers.BooleanField(label="对外公示")
    listed_by = serializers.CharField(label="列入人")
    lifted_at = serializers.DateTimeField(label="解除时间", allow_null=True)
    lifted_by = serializers.CharField(label="解除人", allow_null=True)
    lift_reason = serializers.CharField(label="解除原因")
    created_at = serializers.DateTimeField(label="登记时间")

    def get_id_number(self, obj) -> str:
        return obj.id_number if self.context.get("full_ids") else mask_id_number(obj.id_number)


KIND_HELP = "person 个人 / unit 单位"
CATEGORY_HELP = "fraud_withdrawal 骗提 / fraud_loan 骗贷 / stopped_after_loan 贷后停缴 / malicious_overdue 恶意逾期 / other 其他"


class BlacklistListApi(APIView):
    pagination_class = Pagination

    class InputSerializer(serializers.Serializer):
        # Codes are plain strings here; the service checks them and answers in Chinese by field.
        subject_kind = serializers.CharField(label="对象类型", max_length=8, help_text=KIND_HELP)
        id_number = serializers.CharField(label="身份证号码", max_length=18, required=False, allow_blank=True)
        credit_code = serializers.CharField(label="统一社会信用代码", max_length=18, required=False, allow_blank=True)
        name = serializers.CharField(label="姓名/单位名称", max_length=120)
        category = serializers.CharField(label="失信类别", max_length=24, help_text=CATEGORY_HELP)
        reason = serializers.CharField(label="列入事由", max_length=1000)
        bans_withdrawal = serializers.BooleanField(label="限制提取", required=False, default=True)
        bans_loan = serializers.BooleanField(label="限制贷款", required=False, default=True)
        listed_on = serializers.DateField(label="列入日期", required=False, allow_null=True, help_text="默认今天")
        until = serializers.DateField(
            label="限制截止日期", required=False, allow_null=True, help_text="默认：列入日期 + 政策“失信黑名单期限”年"
        )

    @extend_schema(
        responses=BlacklistEntryOutput(many=True), summary="诚信黑名单列表（工作人员）",
        parameters=[
            OpenApiParameter("kind", OpenApiTypes.STR, description=KIND_HELP),
            OpenApiParameter("category", OpenApiTypes.STR, description=CATEGORY_HELP),
            OpenApiParameter("state", OpenApiTypes.STR, description="in_force 生效中 / lifted 已解除 / expired 已到期"),
            OpenApiParameter("q", OpenApiTypes.STR, description="姓名、单位名称，或完整的身份证号码/统一社会信用代码"),
        ],
    )
    def get(self, request):
        _require_staff(request.user)
        entries = api_filtered(BlacklistFilter, request, blacklist_entries_for_user(request.user))
        return paginated(self, entries, BlacklistEntryOutput, context={"full_ids": blacklist_sees_full_ids(request.user)})

    @extend_schema(request=InputSerializer, responses={201: BlacklistEntryOutput}, summary="列入诚信黑名单（风控岗、分管领导）")
    def post(self, request):
        _require_staff(request.user)
        values = validated(self.InputSerializer, request)
        entry = services.blacklist_add(actor=request.user, **values)
        context = {"full_ids": blacklist_sees_full_ids(request.user)}
        return Response(BlacklistEntryOutput(entry, context=context).data, status=status.HTTP_201_CREATED)


class BlacklistDetailApi(APIView):
    @extend_schema(responses=BlacklistEntryOutput, summary="诚信黑名单记录详情（工作人员）")
    def get(self, request, pk: int):
        entry = blacklist_entry_get_for_user(request.user, pk)
        return Response(BlacklistEntryOutput(entry, context={"full_ids": blacklist_sees_full_ids(request.user)}).data)


class BlacklistLiftRequestApi(APIView):
    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(label="解除理由", max_length=1000)

    class OutputSerializer(serializers.Serializer):
        item = serializers.IntegerField(source="pk", label="待办编号")
        due_on = serializers.DateField(label="办结时限")

    @extend_schema(
        request=InputSerializer, responses={201: OutputSerializer},
        summary="申请解除黑名单记录（风控岗、分管领导；由另一人审批）",
    )
    def post(self, request, pk: int):
        entry = blacklist_entry_get_for_user(request.user, pk)
        values = validated(self.InputSerializer, request)
        item = services.blacklist_lift_request(actor=request.user, entry=entry, reason=values["reason"])
        return Response(self.OutputSerializer(item).data, status=status.HTTP_201_CREATED)


class BlacklistLiftApi(APIView):
    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(label="解除原因", max_length=1000)

    @extend_schema(
        request=InputSerializer, responses=BlacklistEntryOutput,
        summary="解除黑名单记录（风控岗、分管领导；列入人本人不能解除）",
    )
    def post(self, request, pk: int):
        entry = blacklist_entry_get_for_user(request.user, pk)
        values = validated(self.InputSerializer, request)
        entry = services.blacklist_lift(actor=request.user, entry=entry, reason=values["reason"])
        return Response(BlacklistEntryOutput(entry, context={"full_ids": blacklist_sees_full_ids(request.user)}).data)
