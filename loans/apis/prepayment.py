"""The prepayment and payoff-certificate API (under /api/loans/): the borrower on their own loan, staff (the 受理
post) on their branch's; anyone else's loan is a 404. Bad input is a 400 naming the field in Chinese and writes
nothing; the same client_token again returns the first repayment."""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from fund.api import validated

from ..selectors.loans import loan_get_for_user
from ..services.payoff import payoff_certificate_request
from ..services.prepayment import MODES, SOURCES, prepay, prepayment_preview
from .repayment import RepaymentOutput

MONEY: dict[str, Any] = {"max_digits": 18, "decimal_places": 2}


class PreviewInput(serializers.Serializer):
    mode = serializers.ChoiceField(label="提前还款方式", choices=list(MODES.items()),
                                   error_messages={"invalid_choice": "提前还款方式应为 term（缩期）、payment（减少月供）或 full（提前结清）"})
    amount = serializers.DecimalField(label="提前还款金额", required=False, allow_null=True, min_value=0, **MONEY,
                                      help_text="部分提前还款必填（含今日到期应还）；提前结清不填")


class PrepayInput(PreviewInput):
    source = serializers.ChoiceField(label="资金来源", choices=list(SOURCES.items()),
                                     error_messages={"invalid_choice": "资金来源应为 card（银行卡）或 fund（公积金账户）"})
    client_token = serializers.RegexField(label="请求标识", regex=r"^[A-Za-z0-9_-]{8,40}$",
                                          help_text="客户端生成的唯一标识（8–40 位字母数字）；重复提交同一标识只办理一次",
                                          error_messages={"invalid": "请求标识应为 8–40 位字母、数字、- 或 _"})


class RowOutput(serializers.Serializer):
    number = serializers.IntegerField()
    due_on = serializers.DateField()
    principal = serializers.DecimalField(**MONEY)
    interest = serializers.DecimalField(**MONEY)
    payment = serializers.DecimalField(**MONEY)
    balance_after = serializers.DecimalField(**MONEY)


class PreviewOutput(serializers.Serializer):
    mode = serializers.CharField()
    mode_label = serializers.CharField()
    on = serializers.DateField()
    amount = serializers.DecimalField(**MONEY)
    owed_now = serializers.DecimalField(**MONEY)
    interest_to_day = serializers.DecimalField(**MONEY)
    prepaid_principal = serializers.DecimalField(**MONEY)
    balance_before = serializers.DecimalField(**MONEY)
    balance_after = serializers.DecimalField(**MONEY)
    old_payment = serializers.DecimalField(**MONEY)
    new_payment = serializers.DecimalField(**MONEY)
    old_last_number = serializers.IntegerField()
    new_last_number = serializers.IntegerField()
    old_last_due = serializers.DateField()
    new_last_due = serializers.DateField(allow_null=True)
    interest_saved = serializers.DecimalField(**MONEY)
    rows = RowOutput(many=True)


class CertificateOutput(serializers.Serializer):
    id = serializers.IntegerField(help_text="用 /api/documents/{id}/ 查询状态与下载地址")
    status = serializers.CharField()
    verification_code = serializers.CharField(source="code_display")


class PrepaymentPreviewApi(APIView):
    @extend_schema(request=PreviewInput, responses=PreviewOutput, summary="提前还款试算（不办理，不写入）")
    def post(self, request: Any, pk: int) -> Response:
        loan = loan_get_for_user(user=request.user, pk=pk)
        values = validated(PreviewInput, request)
        preview = prepayment_preview(loan=loan, amount=values.get("amount"), mode=values["mode"])
        return Response(PreviewOutput(preview).data)


class PrepaymentApi(APIView):
    @extend_schema(request=PrepayInput, responses={201: RepaymentOutput},
                   summary="办理提前还款（部分：缩期/减少月供；全部：提前结清），银行卡或公积金账户")
    def post(self, request: Any, pk: int) -> Response:
        loan = loan_get_for_user(user=request.user, pk=pk)
        values = validated(PrepayInput, request)
        repayment = prepay(actor=request.user, loan=loan, amount=values.get("amount"), mode=values["mode"],
                           source=values["source"], client_token=values["client_token"])
        return Response(RepaymentOutput(repayment).data, status=status.HTTP_201_CREATED)


class PayoffCertificateApi(APIView):
    @extend_schema(responses={202: CertificateOutput},
                   summary="结清证明（已结清的贷款；当日重复请求返回同一份，PDF 异步生成）")
    def get(self, request: Any, pk: int) -> Response:
        loan = loan_get_for_user(user=request.user, pk=pk)
        document = payoff_certificate_request(loan=loan, requested_by=request.user)
        return Response(CertificateOutput(document).data, status=status.HTTP_202_ACCEPTED)


api_patterns = [
    path("<int:pk>/prepayments/preview/", PrepaymentPreviewApi.as_view(), name="loan-prepayment-preview-api"),
    path("<int:pk>/prepayments/", PrepaymentApi.as_view(), name="loan-prepayments-api"),
    path("<int:pk>/payoff-certificate/", PayoffCertificateApi.as_view(), name="loan-payoff-certificate-api"),
]
