"""API of signing and mortgage: POST sign (an approved application), POST mortgage, POST convert (GET a loan is
loans.apis.loans, with what is due and the schedule).
Every fetch is scoped: staff of the loan's branch (or centre-wide) and the borrower; anyone else gets 404."""

from __future__ import annotations

from typing import Any

from django.urls import path, reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from fund.api import validated
from fund.audit.masking import mask_bank_card
from fund.people.models import EntrustedBank

from ..models import Loan, RepaymentMethod
from ..selectors.applications import application_get_for_user
from ..selectors.loans import loan_get_for_user
from ..services.mortgage import mortgage_convert, mortgage_register
from ..services.signing import loan_sign
from ..signing_pdf import schedule_summary


class InstalmentOutput(serializers.Serializer):
    number = serializers.IntegerField(label="期次")
    due_on = serializers.DateField(label="还款日")
    principal = serializers.DecimalField(label="本金", max_digits=18, decimal_places=2)
    interest = serializers.DecimalField(label="利息", max_digits=18, decimal_places=2)
    balance_after = serializers.DecimalField(label="剩余本金", max_digits=18, decimal_places=2)


class DocumentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(label="文件种类")
    title = serializers.CharField(label="标题")
    status = serializers.CharField(label="状态")
    verification_code = serializers.CharField(label="验证码")
    download_url = serializers.CharField(label="下载地址", allow_null=True)


class LoanOutput(serializers.Serializer):
    id = serializers.IntegerField()
    contract_number = serializers.CharField(label="借款合同编号")
    iou_number = serializers.CharField(label="借据号")
    application = serializers.CharField(label="贷款申请编号")
    application_state = serializers.CharField(label="贷款申请状态")
    principal = serializers.DecimalField(label="贷款金额", max_digits=18, decimal_places=2)
    balance = serializers.DecimalField(label="本金余额", max_digits=18, decimal_places=2)
    rate = serializers.DecimalField(label="年利率（%）", max_digits=6, decimal_places=3)
    term_months = serializers.IntegerField(label="贷款期限（月）")
    method = serializers.CharField(label="还款方式")
    repayment_day = serializers.IntegerField(label="每月还款日")
    repayment_card = serializers.CharField(label="还款账号（脱敏）")
    status = serializers.CharField(label="状态")
    bank = serializers.CharField(label="受托银行")
    signed_at = serializers.DateTimeField(label="签约时间")
    signed_branch = serializers.CharField(label="面签窗口")
    mortgage_kind = serializers.CharField(label="抵押类型")
    mortgage_number = serializers.CharField(label="不动产登记证明号")
    mortgage_registered_at = serializers.DateTimeField(label="抵押登记时间", allow_null=True)
    first_payment = serializers.DecimalField(label="首期还款额", max_digits=18, decimal_places=2)
    total_interest = serializers.DecimalField(label="利息总额", max_digits=18, decimal_places=2)
    first_due_on = serializers.DateField(label="首次还款日")
    maturity_on = serializers.DateField(label="到期日")
    instalments = InstalmentOutput(many=True, label="前12期还款计划")
    documents = DocumentOutput(many=True, label="贷款档案")


def loan_output(request: Any, loan: Loan) -> dict[str, Any]:
    s = schedule_summary(loan)
    return {
        "id": loan.pk, "contract_number": loan.contract_number, "iou_number": loan.iou_number,
        "application": loan.application.number, "application_state": loan.application.state,
        "principal": loan.principal, "balance": loan.sub_account.balance, "rate": loan.rate,
        "term_months": loan.term_months, "method": loan.method, "repayment_day": loan.repayment_day,
        "repayment_card": mask_bank_card(loan.repayment_card), "status": loan.status, "bank": str(loan.bank), "signed_at": loan.signed_at,
        "signed_branch": loan.signed_branch.name, "mortgage_kind": loan.mortgage_kind,
        "mortgage_number": loan.mortgage_number, "mortgage_registered_at": loan.mortgage_registered_at,
        "first_payment": s["first_payment"], "total_interest": s["total_interest"], "first_due_on": s["first_due_on"],
        "maturity_on": s["maturity_on"],
        "instalments": [i._asdict() for i in s["plan"][:12]],
        "documents": [
            {"id": f.document.pk, "kind": f.kind, "title": f.document.title, "status": f.document.status,
             "verification_code": f.document.code_display,
             "download_url": request.build_absolute_uri(reverse("printing_api:document-file", args=[f.document.pk]))
             if f.document.is_ready else None}
            for f in loan.documents.select_related("document").order_by("id")
        ],
    }


def _answer(request: Any, loan: Loan, code: int = status.HTTP_200_OK) -> Response:
    loan = loan_get_for_user(user=request.user, pk=loan.pk)
    return Response(LoanOutput(loan_output(request, loan)).data, status=code)


class LoanSignApi(APIView):
    class InputSerializer(serializers.Serializer):
        bank = serializers.PrimaryKeyRelatedField(
            label="受托银行（bank）", queryset=EntrustedBank.objects.filter(active=True),
            error_messages={"required": "请选择受托银行（bank）", "does_not_exist": "请选择合作中的受托银行（bank）",
                            "incorrect_type": "受托银行（bank）应为银行编号", "null": "请选择受托银行（bank）"})
        repayment_day = serializers.IntegerField(label="每月还款日", min_value=1, max_value=28, error_messages={
            "required": "请填写每月还款日（repayment_day）", "invalid": "每月还款日（repayment_day）应为整数",
            "min_value": "每月还款日（repayment_day）应为 1 至 28 日", "max_value": "每月还款日（repayment_day）应为 1 至 28 日",
            "max_string_length": "每月还款日（repayment_day）应为 1 至 28 日"})
        repayment_card = serializers.CharField(label="还款账号（借款人本人银行卡，委托扣款）", max_length=23, error_messages={
            "required": "请填写还款账号（repayment_card）", "blank": "请填写还款账号（repayment_card）",
            "max_length": "还款账号（repayment_card）应为12至19位数字", "null": "请填写还款账号（repayment_card）"})
        method = serializers.ChoiceField(label="还款方式", choices=RepaymentMethod.choices, required=False,
                                         error_messages={"invalid_choice": "还款方式（method）只能是 annuity 或 principal"})
        and_mortgage = serializers.BooleanField(label="同时办理抵押", required=False, default=False, error_messages={
            "invalid": "同时办理抵押（and_mortgage）必须是 true 或 false"})

    @extend_schema(request=InputSerializer, responses={201: LoanOutput, 200: LoanOutput},
                   summary="合同面签（已审批待签约的申请；受理岗；可同时办理抵押）")
    def post(self, request, pk: int):
        application = application_get_for_user(user=request.user, pk=pk)
        data = validated(self.InputSerializer, request)
        loan = loan_sign(actor=request.user, application=application, bank=data["bank"],
                         repayment_day=data["repayment_day"], repayment_card=data["repayment_card"],
                         method=data.get("method"))
        replayed = getattr(loan, "replayed", False)
        if data.get("and_mortgage"):
            loan = mortgage_register(actor=request.user, loan=loan)
        return _answer(request, loan, status.HTTP_200_OK if replayed else status.HTTP_201_CREATED)


class LoanMortgageApi(APIView):
    @extend_schema(request=None, responses=LoanOutput, summary="办理抵押/预抵押登记（再次提交返回同一登记）")
    def post(self, request, pk: int):
        return _answer(request, mortgage_register(actor=request.user, loan=loan_get_for_user(user=request.user, pk=pk)))


class LoanConvertApi(APIView):
    @extend_schema(request=None, responses=LoanOutput, summary="预抵押转抵押（房屋竣工并核发不动产权证后）")
    def post(self, request, pk: int):
        return _answer(request, mortgage_convert(actor=request.user, loan=loan_get_for_user(user=request.user, pk=pk)))


api_patterns = [
    path("applications/<int:pk>/sign/", LoanSignApi.as_view(), name="api-loan-sign"),
    path("<int:pk>/mortgage/", LoanMortgageApi.as_view(), name="api-loan-mortgage"),
    path("<int:pk>/convert/", LoanConvertApi.as_view(), name="api-loan-convert"),
]
