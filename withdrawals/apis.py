"""The withdrawals API (mounted at /api/withdrawals/): the same services as the pages, scoped the same way.

A member submits for their own account (channel "api"); a window clerk for an account of their branch
(channel "window"). The `Idempotency-Key` header makes a retried submission return the first withdrawal.
Amounts are taken as text and checked by the service, so every bad value comes back as a 400 naming the
field in Chinese; someone else's account or withdrawal is a 404."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from deposits.selectors import member_account_get_for_holder_or_staff
from fund.api import OUTSIDE_SYSTEM_DOWN, ErrorOutput, MonthField, Pagination, paginated, validated
from fund.audit.masking import mask_bank_card, mask_id_number
from fund.filters import api_filtered
from fund.integrations.base import IntegrationError
from fund.people.roles import roles_of

from .filters import WithdrawalApiFilter
from .loans import household_loans
from .models import Channel, WithdrawalState
from .pdf import receipt_request
from .reasons import REASONS
from .selectors import (
    loan_account_get_for_user,
    standing_instruction_get_for_user,
    standing_instructions_for_user,
    withdrawal_get_for_user,
    withdrawals_for_user,
)
from .services import (
    payout_retry,
    standing_end,
    standing_sign,
    withdrawal_cancel,
    withdrawal_review,
    withdrawal_submit,
)
from .status import withdrawal_progress, withdrawal_status


def _text(label: str, **kwargs: Any) -> serializers.CharField:
    """A text field whose own messages are Chinese and name the field."""
    kwargs.setdefault("required", False)
    kwargs.setdefault("allow_blank", True)
    messages = {"invalid": f"{label}必须是文本", "required": f"请填写{label}", "blank": f"请填写{label}",
                "max_length": f"{label}不能超过 {{max_length}} 个字符", "null": f"{label}不能为空"}
    return serializers.CharField(label=label, error_messages=messages, **kwargs)


def _account_for(user: Any, pk: Any) -> Any:
    """The account named in a request body: the user's own, or one in a staff member's scope. Another
    person's, and an employee's for their unit's operator (who may not apply for them), is a 404."""
    return member_account_get_for_holder_or_staff(user=user, pk=pk)


# ---- output -------------------------------------------------------------------------------------------

class ReasonOutput(serializers.Serializer):
    key = serializers.CharField(label="原因键（提交时的 reason）")
    code = serializers.CharField(label="提取原因代码（TQYY）")
    label = serializers.CharField()
    summary = serializers.CharField()
    online = serializers.BooleanField(label="可网上/接口办理")
    auto = serializers.BooleanField(label="可秒批")
    closes_account = serializers.BooleanField(label="销户提取")
    frequency = serializers.CharField()
    relations = serializers.ListField(child=serializers.CharField())
    heirs = serializers.BooleanField(label="由继承人办理")
    inputs = serializers.SerializerMethodField()
    catalogue_item = serializers.CharField(source="item.code", label="办事指南事项编码")
    paper_materials = serializers.SerializerMethodField(label="需提交的纸质材料")

    def get_inputs(self, reason: Any) -> list[dict[str, Any]]:
        return [{"name": i.name, "label": i.label, "kind": i.kind, "required": i.required, "help": i.help,
                 "group": i.group, "max_length": i.max_length,
                 "choices": [{"value": v, "label": lb} for v, lb in i.choices]} for i in reason.inputs]

    def get_paper_materials(self, reason: Any) -> list[dict[str, Any]]:
        return [{"code": m.code, "name": m.name, "original": m.original, "copies": m.copies, "condition": m.condition}
                for m in reason.item.paper_materials]


class CheckOutput(serializers.Serializer):
    round = serializers.IntegerField()
    rule = serializers.CharField()
    label = serializers.CharField()
    passed = serializers.BooleanField()
    plain = serializers.CharField(label="给申请人的说明")


class StaffCheckOutput(CheckOutput):
    detail = serializers.CharField(label="核查结果")
    evidence = serializers.JSONField(label="证据（含外部系统调用 ID）")
    checked_at = serializers.DateTimeField()


class PayoutOutput(serializers.Serializer):
    attempt = serializers.IntegerField()
    reference = serializers.CharField()
    amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    card = serializers.SerializerMethodField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    bank_serial = serializers.CharField()
    reason = serializers.CharField(label="失败原因")
    requested_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)

    def get_card(self, obj: Any) -> str:
        return mask_bank_card(obj.payee_account)


class StepOutput(serializers.Serializer):
    key = serializers.CharField(label="环节代码")
    label = serializers.CharField(label="环节")
    state = serializers.CharField(label="进度", help_text="done | current | todo | failed")
    when = serializers.DateTimeField(allow_null=True, label="办理时间")
    holder = serializers.CharField(label="办理岗位", help_text="办理该环节的岗位或系统，不含姓名")
    due = serializers.DateField(allow_null=True, label="办结时限")


class WithdrawalOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(label="提取业务编号")
    account = serializers.IntegerField(source="account_id")
    account_number = serializers.CharField(source="account.number")
    name = serializers.CharField(source="account.person.name")
    id_number = serializers.SerializerMethodField(label="身份证号码（脱敏）")
    reason = serializers.CharField()
    reason_code = serializers.CharField()
    reason_label = serializers.SerializerMethodField()
    channel = serializers.CharField()
    relation = serializers.CharField()
    amount_requested = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    amount = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    interest = serializers.DecimalField(max_digits=18, decimal_places=2)
    closes_account = serializers.BooleanField()
    payee_name = serializers.CharField()
    payee_card = serializers.SerializerMethodField()
    state = serializers.CharField()
    state_label = serializers.SerializerMethodField(label="状态（与各页面一致）")
    decider = serializers.CharField()
    decision_note = serializers.CharField()
    due_on = serializers.DateField(allow_null=True)
    submitted_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    paid_at = serializers.DateTimeField(allow_null=True)

    def get_id_number(self, obj: Any) -> str:
        return mask_id_number(obj.account.person.id_number)

    def get_reason_label(self, obj: Any) -> str:
        return REASONS[obj.reason].label

    def get_state_label(self, obj: Any) -> str:
        return withdrawal_status(obj, items=[]).label

    def get_payee_card(self, obj: Any) -> str:
        return mask_bank_card(obj.payee_card)


class WithdrawalDetailOutput(WithdrawalOutput):
    details = serializers.JSONField()
    materials = serializers.ListField(child=serializers.CharField())
    checks = serializers.SerializerMethodField()
    payouts = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    state_text = serializers.SerializerMethodField(label="状态说明")

    # A withdrawal still 系统核验中 (submitted) has neither: the verdicts and the first payout are written in the same
    # transaction that moves it out of that state, so the two reads are skipped (the answer to a new POST).

    def get_checks(self, obj: Any) -> list[dict[str, Any]]:
        """Staff see what was checked and the evidence; the member sees the plain words only."""
        if obj.state == WithdrawalState.SUBMITTED:
            return []
        out = StaffCheckOutput if self.context.get("staff") else CheckOutput
        return out(obj.checks.all(), many=True).data

    @extend_schema_field(PayoutOutput(many=True))
    def get_payouts(self, obj: Any) -> list[dict[str, Any]]:
        if obj.state == WithdrawalState.SUBMITTED:
            return []
        return PayoutOutput(obj.payouts.all(), many=True).data

    @extend_schema_field(StepOutput(many=True))
    def get_timeline(self, obj: Any) -> list[dict[str, Any]]:
        return StepOutput(withdrawal_progress(obj), many=True).data

    def get_state_text(self, obj: Any) -> str:
        return withdrawal_status(obj).sentence


def _detail(request: Any, withdrawal: Any, code: int = status.HTTP_200_OK, *, fetched: bool = False) -> Response:
    """The detail of a withdrawal, fetched through the user's scope unless the caller has just been given it
    by a service that checked the user's access (a submission)."""
    if not fetched:
        withdrawal = withdrawal_get_for_user(user=request.user, pk=withdrawal.pk)
    staff = roles_of(request.user).is_staff and withdrawal.account.person_id != request.user.person_id
    return Response(WithdrawalDetailOutput(withdrawal, context={"staff": staff}).data, status=code)


# ---- views ----------------------------------------------------------------------------------------------

class ReasonListApi(APIView):
    @extend_schema(responses=ReasonOutput(many=True), summary="提取原因（含所需信息与纸质材料）")
    def get(self, request):
        return Response(ReasonOutput(list(REASONS.values()), many=True).data)


class WithdrawalListApi(APIView):
    pagination_class = Pagination

    class InputSerializer(serializers.Serializer):
        account = serializers.IntegerField(label="个人账户ID", error_messages={
            "required": "请填写个人账户ID（account）", "invalid": "个人账户ID（account）必须是整数",
            "null": "请填写个人账户ID（account）", "max_string_length": "个人账户ID（account）过长"})
        reason = _text("提取原因（reason）", required=True, allow_blank=False, max_length=12)
        amount = _text("提取金额（amount）", max_length=30, allow_null=True)
        relation = _text("关系（relation）", max_length=10)
        other_id_number = _text("关系人身份证号码（other_id_number）", max_length=30)
        other_name = _text("关系人姓名（other_name）", max_length=60)
        details = serializers.DictField(label="申请信息（details）", required=False, error_messages={
            "not_a_dict": "申请信息（details）必须是对象，如 {{\"certificate_number\": \"…\"}}"})
        payee_card = _text("收款银行卡号（payee_card）", max_length=30)
        materials = serializers.ListField(child=_text("材料编码", max_length=40), required=False,
                                          label="已收材料编码（窗口受理）",
                                          error_messages={"not_a_list": "已收材料（materials）必须是编码列表"})

    @extend_schema(
        parameters=[OpenApiParameter("state", str, required=False), OpenApiParameter("reason", str, required=False)],
        responses=WithdrawalOutput(many=True), summary="提取业务列表（按权限范围）",
    )
    def get(self, request):
        rows = api_filtered(WithdrawalApiFilter, request, withdrawals_for_user(request.user).order_by("-id"))
        return paginated(self, rows, WithdrawalOutput)

    @extend_schema(
        request=InputSerializer, responses={201: WithdrawalDetailOutput, 200: WithdrawalDetailOutput},
        parameters=[OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
                                     description="同一提交人重复提交同一键只生成一笔提取（返回 200 与原提取）")],
        summary="申请提取（职工本人：接口渠道；受理岗：窗口渠道）",
    )
    def post(self, request):
        values = validated(self.InputSerializer, request)
        key = (request.headers.get("Idempotency-Key") or "").strip()
        if len(key) > 64:
            raise serializers.ValidationError({"Idempotency-Key": ["Idempotency-Key 不能超过 64 个字符"]})
        account = _account_for(request.user, values.pop("account"))
        own = account.person_id == request.user.person_id
        withdrawal = withdrawal_submit(
            actor=request.user, account=account, channel=Channel.API if own else Channel.WINDOW,
            reason=values["reason"], amount=values.get("amount") or None, relation=values.get("relation") or "self",
            other_id_number=values.get("other_id_number", ""), other_name=values.get("other_name", ""),
            details=values.get("details") or {}, payee_card=values.get("payee_card", ""),
            materials=values.get("materials") or [], client_token=key,
        )
        replayed = getattr(withdrawal, "replayed", False)  # the same Idempotency-Key again: the first withdrawal
        if replayed:  # the first withdrawal, as the user may see it now
            return _detail(request, withdrawal, status.HTTP_200_OK)
        withdrawal.account = account  # fetched above through the user's scope, with its person and unit
        return _detail(request, withdrawal, status.HTTP_201_CREATED, fetched=True)


class WithdrawalDetailApi(APIView):
    @extend_schema(responses=WithdrawalDetailOutput, summary="提取详情（核查结果、付款、进度）")
    def get(self, request, pk: int):
        return _detail(request, withdrawal_get_for_user(user=request.user, pk=pk))


class WithdrawalCancelApi(APIView):
    @extend_schema(request=None, responses=WithdrawalDetailOutput, summary="撤回提取申请（审核中可撤回）")
    def post(self, request, pk: int):
        withdrawal = withdrawal_get_for_user(user=request.user, pk=pk)
        withdrawal_cancel(actor=request.user, withdrawal=withdrawal, reason="通过接口撤回")
        return _detail(request, withdrawal)


class WithdrawalReviewApi(APIView):
    class InputSerializer(serializers.Serializer):
        approve = serializers.BooleanField(label="是否同意", error_messages={
            "required": "请填写是否同意（approve）", "invalid": "是否同意（approve）必须是 true 或 false"})
        opinion = _text("审核意见（opinion）", max_length=500)
        amount = _text("核准金额（amount）", max_length=30, allow_null=True)

    @extend_schema(request=InputSerializer, responses=WithdrawalDetailOutput,
                   summary="审核当前环节（初审、审批；不同的人办理）")
    def post(self, request, pk: int):
        if not roles_of(request.user).is_staff:
            raise PermissionDenied
        withdrawal = withdrawal_get_for_user(user=request.user, pk=pk)
        data = validated(self.InputSerializer, request)
        withdrawal_review(actor=request.user, withdrawal=withdrawal, approve=data["approve"],
                          opinion=data.get("opinion", ""), amount=data.get("amount") or None)
        return _detail(request, withdrawal)


class WithdrawalRetryApi(APIView):
    class InputSerializer(serializers.Serializer):
        payee_card = _text("改付至新银行卡号（payee_card，不改请省略）", max_length=30)

    @extend_schema(request=InputSerializer, responses=WithdrawalDetailOutput,
                   summary="付款失败后重新付款（受理岗；可改付至经银行核验的新银行卡）")
    def post(self, request, pk: int):
        if not roles_of(request.user).can_accept:
            raise PermissionDenied
        withdrawal = withdrawal_get_for_user(user=request.user, pk=pk)
        data = validated(self.InputSerializer, request)
        if withdrawal.state != WithdrawalState.PAYOUT_FAILED:
            raise serializers.ValidationError({"state": [f"提取状态为“{withdrawal.get_state_display()}”，无需重新付款"]})
        payout_retry(withdrawal_id=withdrawal.pk, actor=request.user, force=True,
                     payee_card=data.get("payee_card", ""))
        return _detail(request, withdrawal)


class WithdrawalReceiptApi(APIView):
    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        status = serializers.CharField()
        verification_code = serializers.CharField(source="code_display")
        url = serializers.SerializerMethodField(label="文件状态查询地址")

        def get_url(self, obj: Any) -> str:
            return reverse("printing_api:document-detail", args=[obj.pk])

    @extend_schema(request=None, responses={202: OutputSerializer}, summary="打印提取凭证（到账后；异步生成PDF）")
    def post(self, request, pk: int):
        withdrawal = withdrawal_get_for_user(user=request.user, pk=pk)
        document = receipt_request(withdrawal=withdrawal, requested_by=request.user)
        return Response(self.OutputSerializer(document).data, status=status.HTTP_202_ACCEPTED)


class StandingOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    account = serializers.IntegerField(source="account_id")
    lender = serializers.CharField()
    loan_reference = serializers.CharField()
    monthly_amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    payee_card = serializers.SerializerMethodField()
    day = serializers.IntegerField()
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    starts_on = serializers.DateField()
    ended_on = serializers.DateField(allow_null=True)
    end_reason = serializers.CharField()
    last_month = MonthField(allow_null=True, label="最近提取年月")
    last_note = serializers.CharField()

    def get_payee_card(self, obj: Any) -> str:
        return mask_bank_card(obj.payee_card)


class StandingListApi(APIView):
    class InputSerializer(serializers.Serializer):
        account = serializers.IntegerField(label="个人账户ID", error_messages={
            "required": "请填写个人账户ID（account）", "invalid": "个人账户ID（account）必须是整数"})
        loan = _text("贷款（loan，取自 loans 接口的 key）", required=True, allow_blank=False, max_length=120)
        payee_card = _text("还款银行卡号（payee_card）", required=True, allow_blank=False, max_length=30)
        day = serializers.IntegerField(label="每月提取日", required=False, default=5, error_messages={
            "invalid": "每月提取日（day）必须是 1 至 28 的整数"})

    @extend_schema(responses=StandingOutput(many=True), summary="逐月提取协议（按权限范围）")
    def get(self, request):
        return Response(StandingOutput(standing_instructions_for_user(request.user)[:100], many=True).data)

    @extend_schema(request=InputSerializer, responses={201: StandingOutput}, summary="签订逐月提取协议")
    def post(self, request):
        values = validated(self.InputSerializer, request)
        account = _account_for(request.user, values.pop("account"))
        instruction = standing_sign(actor=request.user, account=account, **values)
        return Response(StandingOutput(instruction).data, status=status.HTTP_201_CREATED)


class StandingEndApi(APIView):
    class InputSerializer(serializers.Serializer):
        reason = _text("终止原因（reason）", required=True, allow_blank=False, max_length=200)

    @extend_schema(request=InputSerializer, responses=StandingOutput, summary="终止逐月提取协议")
    def post(self, request, pk: int):
        instruction = standing_instruction_get_for_user(user=request.user, pk=pk)
        values = validated(self.InputSerializer, request)
        instruction = standing_end(actor=request.user, instruction=instruction, reason=values["reason"])
        return Response(StandingOutput(instruction).data)


class LoansApi(APIView):
    class OutputSerializer(serializers.Serializer):
        key = serializers.CharField()
        source = serializers.CharField()
        lender = serializers.CharField()
        balance = serializers.DecimalField(max_digits=18, decimal_places=2)
        monthly_instalment = serializers.DecimalField(max_digits=18, decimal_places=2)
        spouse_name = serializers.CharField(label="配偶姓名（配偶的贷款时）")

    @extend_schema(responses={200: OutputSerializer(many=True), 503: OpenApiResponse(ErrorOutput, OUTSIDE_SYSTEM_DOWN)},
                   summary="个人账户持有人及其配偶的未结清住房贷款")
    def get(self, request, pk: int):
        account = loan_account_get_for_user(user=request.user, pk=pk)  # before anything is asked outside
        try:
            loans = household_loans(account.person.id_number)
        except IntegrationError as exc:
            return Response({"detail": f"暂时无法查询住房贷款：{exc}"}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
        return Response(self.OutputSerializer(loans, many=True).data)


api_patterns = [
    path("reasons/", ReasonListApi.as_view(), name="api-withdrawal-reasons"),
    path("", WithdrawalListApi.as_view(), name="api-withdrawals"),
    path("<int:pk>/", WithdrawalDetailApi.as_view(), name="api-withdrawal"),
    path("<int:pk>/cancel/", WithdrawalCancelApi.as_view(), name="api-withdrawal-cancel"),
    path("<int:pk>/review/", WithdrawalReviewApi.as_view(), name="api-withdrawal-review"),
    path("<int:pk>/retry-payout/", WithdrawalRetryApi.as_view(), name="api-withdrawal-retry"),
    path("<int:pk>/receipt/", WithdrawalReceiptApi.as_view(), name="api-withdrawal-receipt"),
    path("standing/", StandingListApi.as_view(), name="api-withdrawal-standing"),
    path("standing/<int:pk>/end/", StandingEndApi.as_view(), name="api-withdrawal-standing-end"),
    path("accounts/<int:pk>/loans/", LoansApi.as_view(), name="api-withdrawal-loans"),
]
