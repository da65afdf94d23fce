"""The quota estimate API (mounted at /api/loans/): anyone may estimate with every figure typed in (POST
quota/); a member estimates from their own account, marriage, credit reports and the property registry (GET
quota/mine/). Bad input is a 400 naming each field in Chinese; an outside system that cannot answer a 503."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from deposits.selectors.accounts import member_own_account
from fund.api import OUTSIDE_SYSTEM_DOWN, ErrorOutput
from fund.integrations.base import IntegrationError
from fund.people.roles import roles_of

from ..models import HomeKind, HomeOrder, Product
from ..services.estimator import estimate_input_clean, member_estimate, member_input_clean, typed_result
from ..services.quota import QuotaResult


class LimitOutput(serializers.Serializer):
    code = serializers.CharField(label="限额代码：capacity 还款能力 / price 房价×比例 / balance 余额×倍数 / cap 最高额度 / "
                                       "conversion 原商业贷款余额")
    label = serializers.CharField(label="限额")  # type: ignore[assignment]
    amount = serializers.DecimalField(max_digits=18, decimal_places=2, coerce_to_string=True, label="金额（元）")
    explanation = serializers.CharField(label="计算过程")
    binding = serializers.BooleanField(label="是否为起决定作用的最低一项")


class CombinationOutput(serializers.Serializer):
    fund_part = serializers.DecimalField(max_digits=18, decimal_places=2, coerce_to_string=True, label="公积金贷款部分")
    bank_part = serializers.DecimalField(max_digits=18, decimal_places=2, coerce_to_string=True,
                                         label="商业贷款部分（房价×比例−公积金部分）")


class QuotaOutput(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=18, decimal_places=2, coerce_to_string=True, label="可贷额度（元）")
    rate = serializers.DecimalField(max_digits=6, decimal_places=3, coerce_to_string=True, label="年利率（%）")
    max_term_months = serializers.IntegerField(label="最长可贷期限（月）")
    term_problems = serializers.ListField(child=serializers.CharField(), label="不能贷款的原因（期限、套数）")
    rounding = serializers.CharField(label="取整说明")
    binding = serializers.CharField(label="起决定作用的限额代码")
    limits = LimitOutput(many=True, label="各项限额")
    combination = CombinationOutput(label="组合贷款：公积金与商业贷款各部分")


def _quota_data(result: QuotaResult) -> dict[str, Any]:
    fund_part, bank_part = result.combination()
    return {
        "amount": result.amount, "rate": result.rate, "max_term_months": result.max_term_months,
        "term_problems": result.term_problems, "rounding": result.rounding, "binding": result.binding.code,
        "limits": [vars(x) for x in result.limits], "combination": {"fund_part": fund_part, "bank_part": bank_part},
    }


def _choices(choices: Any) -> str:
    return " / ".join(f"{value} {label}" for value, label in choices)


class QuotaEstimateApi(APIView):
    """额度试算：所有数据由调用方填写。"""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    class InputSerializer(serializers.Serializer):
        # Documented for the schema only: estimate_input_clean checks the body, so every refusal names its field.
        price = serializers.CharField(label="房屋总价（元）")
        home_kind = serializers.CharField(label=f"房屋类型：{_choices(HomeKind.choices)}")
        home_order = serializers.CharField(required=False, label=f"首套/二套：{_choices(HomeOrder.choices)}（默认首套）")
        monthly_income = serializers.CharField(label="家庭月收入（元）")
        monthly_debt = serializers.CharField(required=False, label="现有月还款额（元）")
        balance = serializers.CharField(required=False, label="借款人公积金账户余额（元）")
        co_borrower_balances = serializers.ListField(child=serializers.CharField(), required=False,
                                                     label="各共同借款人公积金账户余额（元）")
        term_months = serializers.IntegerField(required=False, label="贷款期限（月），或填 term_years")
        term_years = serializers.IntegerField(required=False, label="贷款期限（年）")
        id_number = serializers.CharField(required=False, label="借款人身份证号码（或填出生日期与性别）")
        birth_date = serializers.DateField(required=False, label="借款人出生日期")
        sex = serializers.CharField(required=False, label="借款人性别：1 男 / 2 女")
        building_year = serializers.IntegerField(required=False, label="房屋建成年份（二手房必填）")
        product = serializers.CharField(required=False, label=f"贷款品种：{_choices(Product.choices)}")
        conversion_balance = serializers.CharField(required=False, label="原商业贷款余额（商转公必填）")

    @extend_schema(request=InputSerializer, responses={200: QuotaOutput}, summary="贷款额度试算（匿名）")
    def post(self, request: Request) -> Response:
        typed = estimate_input_clean(request.data, on=timezone.localdate())
        return Response(QuotaOutput(_quota_data(typed_result(typed))).data)


class MyQuotaApi(APIView):
    """本人额度试算：余额、婚姻、征信与房产由中心按共享数据认定。"""

    permission_classes = [IsAuthenticated]

    class OutputSerializer(serializers.Serializer):
        quota = QuotaOutput(label="额度")
        home_order = serializers.CharField(label="按不动产登记认定的首套/二套（空：超过可贷款套数）")
        homes = serializers.IntegerField(label="家庭在本市已有住房套数")
        monthly_debt = serializers.DecimalField(max_digits=18, decimal_places=2, coerce_to_string=True,
                                                label="按征信报告的现有月还款额")
        balances = serializers.ListField(child=serializers.DecimalField(max_digits=18, decimal_places=2,
                                                                        coerce_to_string=True), label="账户余额")
        with_spouse = serializers.BooleanField(label="配偶作为共同借款人")
        verdicts = serializers.ListField(child=serializers.DictField(), label="贷款条件核验")
        subsidy = serializers.DictField(label="贴息条件")

    @extend_schema(
        parameters=[
            OpenApiParameter("price", str, required=True, description="房屋总价（元）"),
            OpenApiParameter("home_kind", str, required=True, description=_choices(HomeKind.choices)),
            OpenApiParameter("monthly_income", str, required=True, description="家庭月收入（元）"),
            OpenApiParameter("term_months", int, description="贷款期限（月），或填 term_years"),
            OpenApiParameter("term_years", int, description="贷款期限（年）"),
            OpenApiParameter("building_year", int, description="房屋建成年份（二手房必填）"),
            OpenApiParameter("product", str, description=_choices(Product.choices)),
            OpenApiParameter("with_spouse", bool, description="配偶作为共同借款人"),
        ],
        responses={200: OutputSerializer, 503: OpenApiResponse(ErrorOutput, description=OUTSIDE_SYSTEM_DOWN)},
        summary="本人贷款额度试算",
    )
    def get(self, request: Request) -> Response:
        if not roles_of(request.user).is_member:
            raise Http404
        account = member_own_account(request.user)
        if account is None:
            raise Http404
        today = timezone.localdate()
        typed = member_input_clean(request.query_params, on=today)
        try:
            found = member_estimate(person=account.person, account=account, typed=typed, on=today)
        except IntegrationError as exc:
            return Response({"detail": f"{OUTSIDE_SYSTEM_DOWN}（{exc.message}）"},
                            status=status.HTTP_503_SERVICE_UNAVAILABLE)
        data = {
            "quota": _quota_data(found.result), "home_order": found.figures.home_order.order or "",
            "homes": found.figures.home_order.homes, "monthly_debt": found.monthly_debt,
            "balances": found.figures.balances, "with_spouse": found.with_spouse,
            "verdicts": [v.as_dict() for v in found.verdicts],
            "subsidy": found.subsidy.as_dict() if found.subsidy else {},
        }
        return Response(self.OutputSerializer(data).data)


api_patterns = [
    path("quota/", QuotaEstimateApi.as_view(), name="api-loan-quota"),
    path("quota/mine/", MyQuotaApi.as_view(), name="api-loan-quota-mine"),
]
