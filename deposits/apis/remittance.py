"""Remittance API (/api/deposits/bills/…): the same services as the pages, scoped the same way.

Unit operators act on their own unit's bills; 受理 staff on the bills of their branch; auditors read only.
Another unit's bill answers 404, exactly like a missing one.
"""

from django.core.exceptions import PermissionDenied
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from fund.api import MONTH_PATTERN, MonthField, Pagination, choices_help, paginated, validated
from fund.audit.masking import mask_id_number
from fund.filters import api_filtered
from fund.people.roles import roles_of

from ..filters import BillFilter
from ..models import BillKind, BillState, PaymentChannel
from ..selectors import bill_get_for_user, bills_for_user, member_accounts_for_user
from ..services import remittance as services
from .accounts import require_accept_post, unit_in_body

MONEY = {"max_digits": 18, "decimal_places": 2}


def _require_writer(user) -> None:
    """Unit operators and window staff (受理/director) write; 稽核 and other posts read only."""
    roles = roles_of(user)
    if not (roles.is_unit_operator or roles.can_accept):
        raise PermissionDenied


def _accounts(user, ids: list[int], field: str = "accounts"):
    """The member accounts named by id, as the user may see them; an unseen id is a field error."""
    found = {a.pk: a for a in member_accounts_for_user(user).filter(pk__in=ids)}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise serializers.ValidationError({field: [f"个人账户不存在：{'、'.join(missing[:5])}"]})
    return [found[i] for i in ids]


class BillOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(label="缴款单号")
    unit = serializers.IntegerField(source="unit_id")
    unit_number = serializers.CharField(source="unit.number", label="单位账号")
    unit_name = serializers.CharField(source="unit.employer.name", label="单位名称")
    month = MonthField(label="缴存年月")
    kind = serializers.CharField(label="类型代码")
    kind_label = serializers.CharField(source="get_kind_display", label="类型")
    state = serializers.CharField(label="状态代码")
    state_label = serializers.CharField(source="get_state_display", label="状态")
    reason = serializers.CharField(label="补缴原因")
    member_count = serializers.IntegerField(label="人数")
    unit_amount = serializers.DecimalField(**MONEY, label="单位缴存额合计")
    member_amount = serializers.DecimalField(**MONEY, label="个人缴存额合计")
    total = serializers.DecimalField(**MONEY, label="应缴金额")
    channel = serializers.CharField(label="缴款方式")
    bank_reference = serializers.CharField(allow_null=True, label="银行流水号")
    entry_number = serializers.CharField(source="entry.number", allow_null=True, default=None, label="入账凭证号")
    created_at = serializers.DateTimeField()
    confirmed_at = serializers.DateTimeField(allow_null=True)
    paid_at = serializers.DateTimeField(allow_null=True)


class BillLineOutput(serializers.Serializer):
    account = serializers.IntegerField(source="account_id")
    account_number = serializers.CharField(source="account.number", label="个人账号")
    name = serializers.CharField(source="account.person.name", label="姓名")
    id_number = serializers.SerializerMethodField(label="身份证号码（脱敏）")
    month = MonthField(label="缴存年月")
    base = serializers.DecimalField(**MONEY, label="缴存基数")
    unit_amount = serializers.DecimalField(**MONEY)
    member_amount = serializers.DecimalField(**MONEY)
    reversed = serializers.SerializerMethodField(label="已错缴更正")

    def get_id_number(self, obj) -> str:
        return mask_id_number(obj.account.person.id_number)

    def get_reversed(self, obj) -> bool:
        deposit = getattr(obj, "deposit", None)
        return bool(deposit and deposit.reversal_id)


class BillDetailOutput(BillOutput):
    lines = serializers.SerializerMethodField()

    def get_lines(self, obj) -> list[dict]:
        lines = obj.lines.select_related("account__person", "deposit").order_by("account__number")
        return BillLineOutput(lines, many=True).data


class BillListApi(APIView):
    pagination_class = Pagination

    class InputSerializer(serializers.Serializer):
        month = MonthField(label="缴存年月", help_text="格式：2026-11")
        kind = serializers.CharField(label="类型", default=BillKind.REMIT, max_length=2, help_text="01 汇缴，02 补缴")
        reason = serializers.CharField(label="补缴原因", max_length=200, required=False, allow_blank=True)
        unit = serializers.IntegerField(label="单位账户ID（综合窗口代办时必填）", required=False)
        accounts = serializers.ListField(
            label="补缴职工（个人账户ID）", child=serializers.IntegerField(), required=False, allow_empty=False
        )

    @extend_schema(
        responses=BillOutput(many=True), summary="汇补缴单列表（按权限范围；?state=&month=YYYY-MM 过滤）",
        parameters=[OpenApiParameter("state", str, description=choices_help(BillState.choices)),
                    OpenApiParameter("month", str, pattern=MONTH_PATTERN, description="缴存年月，如 2026-11")],
    )
    def get(self, request):
        bills = api_filtered(BillFilter, request, bills_for_user(request.user).order_by("-month", "-id"))
        return paginated(self, bills, BillOutput)

    @extend_schema(request=InputSerializer, responses={201: BillDetailOutput}, summary="生成汇缴单/补缴单")
    def post(self, request):
        _require_writer(request.user)
        values = validated(self.InputSerializer, request)
        roles = roles_of(request.user)
        unit_id = values.pop("unit", None)
        if unit_id is None and roles.employer is not None:
            unit_id = getattr(getattr(roles.employer, "account", None), "pk", None)
        if unit_id is None:
            raise serializers.ValidationError({"unit": ["请指定单位账户"]})
        unit = unit_in_body(request.user, unit_id)
        ids = values.pop("accounts", None)
        accounts = _accounts(request.user, ids) if ids is not None else None
        bill = services.bill_generate(actor=request.user, unit=unit, accounts=accounts, **values)
        return Response(BillDetailOutput(bill).data, status=status.HTTP_201_CREATED)


class BillDetailApi(APIView):
    @extend_schema(responses=BillDetailOutput, summary="缴款单详情（明细中的身份证号码已脱敏）")
    def get(self, request, pk: int):
        return Response(BillDetailOutput(bill_get_for_user(user=request.user, pk=pk)).data)


class BillConfirmApi(APIView):
    @extend_schema(request=None, responses=BillOutput, summary="确认缴款单")
    def post(self, request, pk: int):
        bill = bill_get_for_user(user=request.user, pk=pk)
        _require_writer(request.user)
        return Response(BillOutput(services.bill_confirm(actor=request.user, bill=bill)).data)


class BillCancelApi(APIView):
    @extend_schema(request=None, responses=BillOutput, summary="作废缴款单（已入账的不能作废）")
    def post(self, request, pk: int):
        bill = bill_get_for_user(user=request.user, pk=pk)
        _require_writer(request.user)
        return Response(BillOutput(services.bill_cancel(actor=request.user, bill=bill)).data)


class BillPayApi(APIView):
    class OutputSerializer(BillOutput):
        created = serializers.BooleanField(help_text="本次是否入账；已入账的再次提交为 false")

    @extend_schema(request=None, responses=OutputSerializer, summary="委托收款缴款并入账（幂等）")
    def post(self, request, pk: int):
        bill = bill_get_for_user(user=request.user, pk=pk)
        _require_writer(request.user)
        bill, created = services.bill_pay_by_collection(actor=request.user, bill=bill)
        bill.created = created
        return Response(self.OutputSerializer(bill).data)


class BillReceiptApi(APIView):
    class InputSerializer(serializers.Serializer):
        channel = serializers.ChoiceField(
            label="缴款方式", choices=[(PaymentChannel.COUNTER, "柜台缴款"), (PaymentChannel.TRANSFER, "转账汇入")]
        )
        bank_reference = serializers.CharField(label="银行流水号/进账单号", max_length=64)

    class OutputSerializer(BillOutput):
        created = serializers.BooleanField(help_text="本次是否入账；同一回单再次提交为 false，不重复入账")

    @extend_schema(
        request=InputSerializer, responses={201: OutputSerializer, 200: OutputSerializer},
        summary="登记银行回单并入账（综合窗口；幂等）",
    )
    def post(self, request, pk: int):
        bill = bill_get_for_user(user=request.user, pk=pk)
        require_accept_post(request.user)
        values = validated(self.InputSerializer, request)
        bill, created = services.bill_post(bill=bill, actor=request.user, **values)
        bill.created = created
        return Response(self.OutputSerializer(bill).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class BillReverseApi(APIView):
    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(label="更正原因", max_length=200)
        accounts = serializers.ListField(
            label="更正的职工（个人账户ID，不填为整张缴款单）", child=serializers.IntegerField(), required=False,
            allow_empty=False,
        )

    class OutputSerializer(serializers.Serializer):
        reversed = serializers.IntegerField(help_text="本次更正的月度缴存笔数；重复提交为 0")
        bill = BillDetailOutput()

    @extend_schema(request=InputSerializer, responses=OutputSerializer, summary="错缴更正（冲正，综合窗口）")
    def post(self, request, pk: int):
        bill = bill_get_for_user(user=request.user, pk=pk)
        require_accept_post(request.user)
        values = validated(self.InputSerializer, request)
        ids = values.get("accounts")
        accounts = _accounts(request.user, ids) if ids is not None else None
        done = services.bill_reverse(actor=request.user, bill=bill, reason=values["reason"], accounts=accounts)
        bill.refresh_from_db()
        return Response(self.OutputSerializer({"reversed": len(done), "bill": bill}).data)


class CorrectionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    bill = serializers.CharField(source="bill.number", label="缴款单号")
    unit_number = serializers.CharField(source="unit.number")
    unit_name = serializers.CharField(source="unit.employer.name")
    amount = serializers.DecimalField(label="应退金额", **MONEY)
    reason = serializers.CharField(label="更正原因")
    corrected_at = serializers.DateTimeField()
    refund_state = serializers.CharField(label="退款状态代码")
    refund_state_label = serializers.CharField(source="get_refund_state_display")
    refund_failure = serializers.CharField(label="退款失败原因")
    refund_bank_serial = serializers.CharField(label="退款银行流水号")
    refunded_at = serializers.DateTimeField(allow_null=True)


class CorrectionListApi(APIView):
    @extend_schema(responses=CorrectionOutput(many=True), summary="错缴更正待退款（应退单位款，按权限范围）")
    def get(self, request):
        return Response(CorrectionOutput(services.corrections_awaiting_refund_for_user(request.user)[:200], many=True).data)


class CorrectionRefundApi(APIView):
    @extend_schema(request=None, responses=CorrectionOutput,
                   summary="退款至单位银行账户（财务岗或分管主任，非更正经办人；重试只付一次）")
    def post(self, request, pk: int):
        correction = services.corrections_for_user(request.user).filter(pk=pk).first()
        if correction is None or not roles_of(request.user).is_staff:
            raise NotFound
        correction = services.correction_refund(actor=request.user, correction=correction)
        return Response(CorrectionOutput(correction).data)


api_patterns = [
    path("corrections/", CorrectionListApi.as_view(), name="api-corrections"),
    path("corrections/<int:pk>/refund/", CorrectionRefundApi.as_view(), name="api-correction-refund"),
    path("bills/", BillListApi.as_view(), name="api-bills"),
    path("bills/<int:pk>/", BillDetailApi.as_view(), name="api-bill"),
    path("bills/<int:pk>/confirm/", BillConfirmApi.as_view(), name="api-bill-confirm"),
    path("bills/<int:pk>/cancel/", BillCancelApi.as_view(), name="api-bill-cancel"),
    path("bills/<int:pk>/pay/", BillPayApi.as_view(), name="api-bill-pay"),
    path("bills/<int:pk>/receipt/", BillReceiptApi.as_view(), name="api-bill-receipt"),
    path("bills/<int:pk>/reverse/", BillReverseApi.as_view(), name="api-bill-reverse"),
]
