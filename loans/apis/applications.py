"""The loan application API (/api/loans/applications/): the same intake and approval services as the pages,
scoped the same way. Who posts decides the channel: a member for their own account (接口), a window clerk
(综合窗口, accepted on the spot), a developer's operator for a buyer (开发企业, the buyer confirms), a bank's
operator (受托银行网点). Every value is taken as text and checked by the service, so a bad one is a 400 naming
the field in Chinese; someone else's application is a 404. `Idempotency-Key` makes a retry return the first."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from fund.api import Pagination, paginated, validated
from fund.audit.masking import mask_id_number
from fund.people.roles import roles_of

from ..models import Channel
from ..selectors.applications import application_get_for_user, applications_for_user
from ..services.applications import application_accept, application_confirm, application_submit
from ..services.approval import application_decide

FIELDS = {
    "home_kind": "房屋类型", "project": "楼盘ID", "home_address": "房屋坐落", "certificate_number": "不动产权证号",
    "purchase_contract": "购房合同/网签备案号", "price": "房屋总价", "area": "建筑面积", "building_year": "建成年份",
    "seller_name": "收款人（售房人）", "seller_account": "收款账号", "seller_bank": "收款开户行", "agent_name": "经纪机构",
    "monthly_income": "家庭月收入", "amount_requested": "申请金额", "term_months": "贷款期限（月）",
    "method": "还款方式", "product": "贷款品种", "commercial_amount": "商业贷款部分", "commercial_bank": "商业贷款银行",
}


def _text(label: str, **kwargs: Any) -> serializers.CharField:
    kwargs.setdefault("required", False)
    kwargs.setdefault("allow_blank", True)
    kwargs.setdefault("max_length", 200)
    messages = {"invalid": f"{label}必须是文本或数字", "required": f"请填写{label}", "blank": f"请填写{label}",
                "max_length": f"{label}不能超过 {{max_length}} 个字符", "null": f"{label}不能为空"}
    return serializers.CharField(label=label, error_messages=messages, **kwargs)


def channel_of(user: Any) -> str:
    roles = roles_of(user)
    if roles.is_staff:
        return Channel.WINDOW
    if roles.is_bank_operator:
        return Channel.BANK
    if roles.is_developer:
        return Channel.DEVELOPER
    if roles.is_member:
        return Channel.API
    raise PermissionDenied


class LoanApplicationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(label="贷款申请编号")
    channel = serializers.CharField()
    channel_label = serializers.CharField(source="get_channel_display")
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    borrower_name = serializers.CharField(source="borrower.name")
    borrower_id_number = serializers.SerializerMethodField(label="身份证号码（脱敏）")
    home_kind = serializers.CharField()
    home_order = serializers.CharField()
    home_address = serializers.CharField()
    project = serializers.IntegerField(source="project_id", allow_null=True)
    price = serializers.DecimalField(max_digits=18, decimal_places=2)
    amount_requested = serializers.DecimalField(max_digits=18, decimal_places=2)
    term_months = serializers.IntegerField()
    quota = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    rate = serializers.DecimalField(max_digits=6, decimal_places=3, allow_null=True)
    approved_amount = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    decision_note = serializers.CharField()
    visits = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    accepted_at = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)

    def get_borrower_id_number(self, obj: Any) -> str:
        return mask_id_number(obj.borrower.id_number)


class LoanApplicationDetailOutput(LoanApplicationOutput):
    quota_detail = serializers.JSONField()
    eligibility = serializers.JSONField()
    materials = serializers.ListField(child=serializers.CharField())


def _detail(request: Any, application: Any, code: int = status.HTTP_200_OK) -> Response:
    application = application_get_for_user(user=request.user, pk=application.pk)
    return Response(LoanApplicationDetailOutput(application).data, status=code)


class LoanApplicationListApi(APIView):
    pagination_class = Pagination

    class InputSerializer(serializers.Serializer):
        account = _text("借款人个人账户ID（account）", max_length=20)
        id_number = _text("借款人身份证号码（id_number，开发企业、银行网点填写）", max_length=30)
        borrower_name = _text("借款人姓名（borrower_name，填写时须与身份证号码相符）", max_length=60)
        co_borrowers = serializers.ListField(
            child=serializers.DictField(error_messages={"not_a_dict": "每位共同借款人应为对象"}), required=False,
            label="共同借款人（co_borrowers）", error_messages={"not_a_list": "共同借款人（co_borrowers）应为列表"})
        materials = serializers.ListField(child=_text("材料编码", max_length=40), required=False,
                                          label="已收材料编码（窗口、网点受理）",
                                          error_messages={"not_a_list": "已收材料（materials）应为编码列表"})

    # The application's own fields, all text for the service to check (declared from FIELDS below).

    @extend_schema(responses=LoanApplicationOutput(many=True), summary="贷款申请列表（按权限范围）")
    def get(self, request):
        return paginated(self, applications_for_user(request.user).order_by("-id"), LoanApplicationOutput)

    @extend_schema(
        request=InputSerializer, responses={201: LoanApplicationDetailOutput, 200: LoanApplicationDetailOutput},
        parameters=[OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
                                     description="同一提交人重复提交同一键只生成一笔申请（返回 200 与原申请）")],
        summary="提交贷款申请（职工本人、受理岗、开发企业、受托银行网点）",
    )
    def post(self, request):
        channel = channel_of(request.user)
        values = validated(self.InputSerializer, request)
        key = (request.headers.get("Idempotency-Key") or "").strip()
        if len(key) > 64:
            raise serializers.ValidationError({"Idempotency-Key": ["Idempotency-Key 不能超过 64 个字符"]})
        application = application_submit(
            actor=request.user, channel=channel, account=values.get("account") or None,
            id_number=values.get("id_number", ""), fields={k: values.get(k) for k in FIELDS},
            co_borrowers=values.get("co_borrowers") or [], materials=values.get("materials") or [], client_token=key,
            borrower_name=values.get("borrower_name", ""),
        )
        replayed = application.replayed
        return _detail(request, application, status.HTTP_200_OK if replayed else status.HTTP_201_CREATED)


LoanApplicationListApi.InputSerializer._declared_fields.update(
    {name: _text(f"{label}（{name}）") for name, label in FIELDS.items()})


class LoanApplicationDetailApi(APIView):
    @extend_schema(responses=LoanApplicationDetailOutput, summary="贷款申请详情")
    def get(self, request, pk: int):
        return _detail(request, application_get_for_user(user=request.user, pk=pk))


class LoanApplicationConfirmApi(APIView):
    @extend_schema(request=None, responses=LoanApplicationDetailOutput, summary="购房人确认开发企业录入的贷款申请")
    def post(self, request, pk: int):
        application = application_get_for_user(user=request.user, pk=pk)
        return _detail(request, application_confirm(actor=request.user, application=application))


class LoanApplicationAcceptApi(APIView):
    class InputSerializer(serializers.Serializer):
        materials = serializers.ListField(child=_text("材料编码", max_length=40), required=False,
                                          error_messages={"not_a_list": "已收材料（materials）应为编码列表"})

    @extend_schema(request=InputSerializer, responses=LoanApplicationDetailOutput, summary="窗口受理网上贷款申请")
    def post(self, request, pk: int):
        application = application_get_for_user(user=request.user, pk=pk)
        data = validated(self.InputSerializer, request)
        return _detail(request, application_accept(actor=request.user, application=application,
                                                   materials=data.get("materials") or []))


class LoanApplicationDecideApi(APIView):
    class InputSerializer(serializers.Serializer):
        approve = serializers.BooleanField(label="是否同意", error_messages={
            "required": "请填写是否同意（approve）", "invalid": "是否同意（approve）必须是 true 或 false"})
        opinion = _text("审批意见（opinion）", max_length=500)
        amount = _text("核准金额（amount）", max_length=30, allow_null=True)

    @extend_schema(request=InputSerializer, responses=LoanApplicationDetailOutput,
                   summary="审核当前环节（初审、审批、分管副主任；不同的人办理）")
    def post(self, request, pk: int):
        if not roles_of(request.user).is_staff:
            raise PermissionDenied
        application = application_get_for_user(user=request.user, pk=pk)
        data = validated(self.InputSerializer, request)
        application_decide(actor=request.user, application=application, approve=data["approve"],
                           opinion=data.get("opinion", ""), amount=data.get("amount") or None)
        return _detail(request, application)


api_patterns = [
    path("applications/", LoanApplicationListApi.as_view(), name="api-loan-applications"),
    path("applications/<int:pk>/", LoanApplicationDetailApi.as_view(), name="api-loan-application"),
    path("applications/<int:pk>/confirm/", LoanApplicationConfirmApi.as_view(), name="api-loan-application-confirm"),
    path("applications/<int:pk>/accept/", LoanApplicationAcceptApi.as_view(), name="api-loan-application-accept"),
    path("applications/<int:pk>/decide/", LoanApplicationDecideApi.as_view(), name="api-loan-application-decide"),
]
