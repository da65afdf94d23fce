"""Repayments in the API (under /api/loans/): the loan's 每笔还款明细 and repaying now, for the borrower (their own
loan, their own card or fund account) and for staff of the loan's branch (the counter). A loan that is not the
user's is a 404 (a bank operator or a developer sees none); bad input a 400 naming the field in Chinese."""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from fund.api import Pagination, paginated, validated
from fund.audit.masking import mask_bank_card

from ..models import Repayment
from ..selectors.loans import loan_get_for_user
from ..services.fund_deduction import agreement_accounts
from ..services.repayment import SOURCES, repay_now, repayment_key
from ..services.repayment_card import repayment_card_change
from ..services.statement import statement_rows

MONEY = {"max_digits": 18, "decimal_places": 2}


class RepaymentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(help_text="还款流水号")
    value_date = serializers.DateField(help_text="还款日期")
    kind = serializers.CharField(help_text="还款类型：scheduled 正常还款 / overdue 逾期还款 / prepay_partial / prepay_full")
    kind_label = serializers.CharField(source="get_kind_display")
    channel = serializers.CharField(help_text="还款渠道：debit 银行批量扣款 / fund 公积金账户扣划 / counter 柜台 / online 网上")
    channel_label = serializers.CharField(source="get_channel_display")
    amount = serializers.DecimalField(**MONEY, help_text="还款金额")
    penalty = serializers.DecimalField(**MONEY, help_text="罚息")
    overdue_interest = serializers.DecimalField(**MONEY, help_text="逾期利息")
    overdue_principal = serializers.DecimalField(**MONEY, help_text="逾期本金")
    interest = serializers.DecimalField(**MONEY, help_text="当期利息")
    principal = serializers.DecimalField(**MONEY, help_text="当期本金")
    prepaid_principal = serializers.DecimalField(**MONEY, help_text="提前归还本金")
    from_fund = serializers.DecimalField(**MONEY, help_text="公积金账户支付")
    fund_account = serializers.CharField(source="fund_account.number", allow_null=True, default=None,
                                         help_text="扣划的公积金账号")
    from_card = serializers.DecimalField(**MONEY, help_text="银行卡支付")
    balance_after = serializers.DecimalField(**MONEY, help_text="还款后本金余额")
    loan_status = serializers.CharField(source="loan.status", help_text="还款后贷款状态：active 还款中 / closed 已结清")


class RepaymentInput(serializers.Serializer):
    amount = serializers.CharField(label="还款金额", max_length=24, help_text="元，最多两位小数，如 \"1604.36\"",
                                   error_messages={"required": "请填写还款金额（amount）",
                                                   "blank": "请填写还款金额（amount）",
                                                   "invalid": "还款金额（amount）必须是数字",
                                                   "max_length": "还款金额（amount）过长"})
    source = serializers.ChoiceField(label="资金来源", choices=list(SOURCES.items()), error_messages={
        "required": "请填写资金来源（source）", "invalid_choice": "资金来源（source）应为 card 或 fund"})
    client_token = serializers.CharField(label="请求标识", max_length=64, help_text="同一标识重复提交只扣款、入账一次",
                                         error_messages={"required": "请填写请求标识（client_token）",
                                                         "blank": "请填写请求标识（client_token）",
                                                         "invalid": "请求标识（client_token）必须是文本",
                                                         "max_length": "请求标识（client_token）不能超过 64 个字符"})
    account = serializers.IntegerField(label="公积金账户", required=False, allow_null=True,
                                       help_text="source=fund 时扣划的账户 id；不填为借款人本人账户（柜台可选已签自愿扣划的共同借款人账户）",
                                       error_messages={"invalid": "公积金账户（account）应为账户 id"})
    card = serializers.CharField(label="扣款银行卡号", max_length=40, required=False, allow_blank=True,
                                 help_text="柜台可另填银行卡；不填为合同约定的还款账号",
                                 error_messages={"invalid": "扣款银行卡号（card）必须是文本",
                                                 "max_length": "扣款银行卡号（card）不能超过 40 个字符"})


class RepaymentListApi(APIView):
    pagination_class = Pagination

    @extend_schema(responses=RepaymentOutput(many=True), summary="贷款每笔还款明细（借款人本人 / 本管理部工作人员）")
    def get(self, request: Any, pk: int) -> Response:
        loan = loan_get_for_user(user=request.user, pk=pk)
        return paginated(self, statement_rows(loan), RepaymentOutput)

    @extend_schema(request=RepaymentInput, responses={201: RepaymentOutput, 200: RepaymentOutput},
                   summary="立即还款：银行卡或公积金账户；同一 client_token 重复提交返回第一次的还款（200）")
    def post(self, request: Any, pk: int) -> Response:
        loan = loan_get_for_user(user=request.user, pk=pk)
        data = validated(RepaymentInput, request)
        account = None
        if data.get("account") is not None:
            account = next((a for a in agreement_accounts(loan) if a.pk == data["account"]), None)
            if account is None:
                return Response({"account": ["公积金账户（account）不是本笔贷款借款人或共同借款人的可用账户"]}, status=400)
        existing = Repayment.objects.filter(idempotency_key=repayment_key(loan, data["client_token"].strip())).exists()
        repayment = repay_now(actor=request.user, loan=loan, amount=data["amount"], source=data["source"],
                              client_token=data["client_token"], account=account, card=data.get("card") or None)
        return Response(RepaymentOutput(repayment).data, status=200 if existing else 201)


class RepaymentCardInput(serializers.Serializer):
    repayment_card = serializers.CharField(label="新还款账号", max_length=23, help_text="借款人本人银行卡，银行核验后生效",
                                           error_messages={"required": "请填写新还款账号（repayment_card）",
                                                           "blank": "请填写新还款账号（repayment_card）",
                                                           "null": "请填写新还款账号（repayment_card）",
                                                           "max_length": "新还款账号（repayment_card）应为12至19位数字"})


class RepaymentCardOutput(serializers.Serializer):
    contract_number = serializers.CharField(label="借款合同编号")
    repayment_card = serializers.CharField(label="还款账号（脱敏）")


class RepaymentCardApi(APIView):
    @extend_schema(request=RepaymentCardInput, responses=RepaymentCardOutput,
                   summary="变更还款账号（借款人本人 / 本管理部受理岗；银行核验为借款人本人银行卡）")
    def post(self, request: Any, pk: int) -> Response:
        loan = loan_get_for_user(user=request.user, pk=pk)
        data = validated(RepaymentCardInput, request)
        changed = repayment_card_change(actor=request.user, loan=loan, card=data["repayment_card"])
        return Response(RepaymentCardOutput({"contract_number": changed.contract_number,
                                             "repayment_card": mask_bank_card(changed.repayment_card)}).data)


api_patterns = [path("<int:pk>/repayments/", RepaymentListApi.as_view(), name="loan-repayments-api"),
                path("<int:pk>/card/", RepaymentCardApi.as_view(), name="loan-card-api")]
