"""The deposits API: the same services as the pages, scoped the same way."""

from django.core.exceptions import PermissionDenied
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from fund.api import MonthField, Pagination, paginated, validated
from fund.audit.masking import mask_bank_card, mask_id_number
from fund.audit.services import person_viewed
from fund.people.models import Branch
from fund.people.roles import roles_of

from .. import services
from ..models import UnitAccount
from ..pdf import account_sheet_request
from ..selectors import (
    member_account_get_for_user,
    member_accounts_for_user,
    member_statement,
    unit_account_get_for_user,
    unit_accounts_for_user,
)

RATIO = {"max_digits": 5, "decimal_places": 4, "min_value": 0, "max_value": 1}


def unit_in_body(user, pk) -> UnitAccount:
    """The unit account a request's `unit` field names; one the user cannot see is an error on that field (400),
    since the request itself was found."""
    try:
        return unit_account_get_for_user(user=user, pk=pk)
    except Exception as exc:  # noqa: BLE001 — a unit the user cannot see is a field error, not a leak
        raise serializers.ValidationError({"unit": ["单位账户不存在"]}) from exc


class UnitOpenFields(serializers.Serializer):
    """What a unit account is opened with, at the window and in an online application alike."""

    name = serializers.CharField(label="单位名称", max_length=120)
    credit_code = serializers.CharField(label="统一社会信用代码", max_length=18)
    address = serializers.CharField(label="单位地址", max_length=200, required=False, allow_blank=True)
    contact_name = serializers.CharField(label="经办人", max_length=60, required=False, allow_blank=True)
    contact_phone = serializers.CharField(label="联系电话", max_length=30, required=False, allow_blank=True)
    bank_name = serializers.CharField(label="缴存银行", max_length=60)
    bank_account = serializers.CharField(label="单位银行账号", max_length=32)
    unit_ratio = serializers.DecimalField(label="单位缴存比例（小数，如0.12）", **RATIO)
    member_ratio = serializers.DecimalField(label="个人缴存比例（小数，如0.12）", **RATIO)
    pay_day = serializers.IntegerField(label="每月缴存日", min_value=1, max_value=28)


def require_accept_post(user) -> None:
    """Window business that writes needs the 受理 post (or a director); 稽核, 财务 and the rest read only."""
    if not roles_of(user).can_accept:
        raise PermissionDenied


class UnitOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(label="单位账号")
    name = serializers.CharField(source="employer.name", label="单位名称")
    credit_code = serializers.CharField(source="employer.credit_code", label="统一社会信用代码")
    branch = serializers.CharField(source="employer.branch.name", label="所属管理部")
    state = serializers.CharField(label="单位账户状态代码")
    state_label = serializers.CharField(source="get_state_display", label="单位账户状态")
    unit_ratio = serializers.DecimalField(max_digits=5, decimal_places=4)
    member_ratio = serializers.DecimalField(max_digits=5, decimal_places=4)
    pay_day = serializers.IntegerField()
    opened_on = serializers.DateField()


class UnitListApi(APIView):
    pagination_class = Pagination

    class InputSerializer(UnitOpenFields):
        branch = serializers.PrimaryKeyRelatedField(label="所属管理部", queryset=Branch.objects.all(), required=False)

    @extend_schema(responses=UnitOutput(many=True), summary="单位账户列表（按权限范围）")
    def get(self, request):
        return paginated(self, unit_accounts_for_user(request.user).order_by("number"), UnitOutput)

    @extend_schema(request=InputSerializer, responses={201: UnitOutput}, summary="单位开户（综合窗口）")
    def post(self, request):
        require_accept_post(request.user)
        values = validated(self.InputSerializer, request)
        staff = roles_of(request.user).staff
        branch = values.pop("branch", None) or staff.branch
        if not staff.centre_wide and branch != staff.branch:
            raise serializers.ValidationError({"branch": ["只能在本管理部开户"]})
        unit = services.unit_account_open(actor=request.user, branch=branch, **values)
        return Response(UnitOutput(unit).data, status=status.HTTP_201_CREATED)


class UnitDetailApi(APIView):
    @extend_schema(responses=UnitOutput, summary="单位账户详情")
    def get(self, request, pk: int):
        return Response(UnitOutput(unit_account_get_for_user(user=request.user, pk=pk)).data)


class MemberOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(label="个人账号")
    name = serializers.CharField(source="person.name")
    id_number = serializers.SerializerMethodField(label="身份证号码（脱敏）")
    unit_number = serializers.CharField(source="unit.number")
    unit_name = serializers.CharField(source="unit.employer.name")
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    base = serializers.DecimalField(max_digits=18, decimal_places=2)
    unit_monthly = serializers.DecimalField(max_digits=18, decimal_places=2)
    member_monthly = serializers.DecimalField(max_digits=18, decimal_places=2)
    balance = serializers.DecimalField(source="sub_account.balance", max_digits=18, decimal_places=2)
    current_year = serializers.DecimalField(source="sub_account.current_year", max_digits=18, decimal_places=2)
    prior_year = serializers.DecimalField(source="sub_account.prior_year", max_digits=18, decimal_places=2)
    first_month = MonthField(label="起缴年月")
    paid_up_to = MonthField(allow_null=True, label="缴至年月")
    bank_card = serializers.SerializerMethodField()

    def get_id_number(self, obj) -> str:
        return mask_id_number(obj.person.id_number)

    def get_bank_card(self, obj) -> str:
        return mask_bank_card(obj.bank_card)


class MemberListApi(APIView):
    pagination_class = Pagination

    class InputSerializer(serializers.Serializer):
        unit = serializers.IntegerField(label="单位账户ID")
        id_number = serializers.CharField(label="身份证号码", max_length=18)
        name = serializers.CharField(label="姓名", max_length=60)
        phone = serializers.CharField(label="手机号码", max_length=20, required=False, allow_blank=True)
        base = serializers.DecimalField(label="缴存基数", max_digits=12, decimal_places=2, min_value=0)
        bank_card = serializers.CharField(label="个人银行卡号", max_length=23, required=False, allow_blank=True)

    @extend_schema(responses=MemberOutput(many=True), summary="个人账户列表（按权限范围）")
    def get(self, request):
        return paginated(self, member_accounts_for_user(request.user).order_by("number"), MemberOutput)

    @extend_schema(request=InputSerializer, responses={201: MemberOutput}, summary="个人开户（综合窗口或单位经办人）")
    def post(self, request):
        values = validated(self.InputSerializer, request)
        roles = roles_of(request.user)
        if not (roles.can_accept or roles.is_unit_operator):
            raise PermissionDenied
        unit = unit_in_body(request.user, values.pop("unit"))
        account = services.member_account_open(actor=request.user, unit=unit, **values)
        return Response(MemberOutput(account).data, status=status.HTTP_201_CREATED)


class MemberDetailApi(APIView):
    @extend_schema(responses=MemberOutput, summary="个人账户详情")
    def get(self, request, pk: int):
        account = member_account_get_for_user(user=request.user, pk=pk)
        if account.person_id != request.user.person_id:
            person_viewed(actor=request.user, person=account.person, context=f"API 查看个人账户 {account.number}")
        return Response(MemberOutput(account).data)


class StatementRowOutput(serializers.Serializer):
    value_date = serializers.DateField(label="记账日期")
    business_type = serializers.CharField(source="entry.business_type", label="业务类型代码")
    business_label = serializers.CharField(source="entry.get_business_type_display", label="业务类型")
    entry_number = serializers.CharField(source="entry.number", label="业务流水号")
    amount = serializers.DecimalField(max_digits=18, decimal_places=2, label="发生额")
    balance_after = serializers.DecimalField(max_digits=18, decimal_places=2, label="余额")
    summary = serializers.CharField(label="摘要")


class MemberStatementApi(APIView):
    pagination_class = Pagination

    @extend_schema(responses=StatementRowOutput(many=True), summary="个人明细账")
    def get(self, request, pk: int):
        account = member_account_get_for_user(user=request.user, pk=pk)
        return paginated(self, member_statement(account), StatementRowOutput)


class MemberDepositApi(APIView):
    class InputSerializer(serializers.Serializer):
        month = MonthField(label="缴存年月", help_text="格式：2026-11")

    class OutputSerializer(serializers.Serializer):
        month = MonthField()
        created = serializers.BooleanField(help_text="本次是否入账；同月重复提交为 false 且不重复入账")
        unit_amount = serializers.DecimalField(max_digits=18, decimal_places=2)
        member_amount = serializers.DecimalField(max_digits=18, decimal_places=2)
        entry_number = serializers.CharField(source="entry.number")

    @extend_schema(
        request=InputSerializer, responses={201: OutputSerializer, 200: OutputSerializer},
        summary="按月缴存入账（幂等：同月重复提交返回 200 与原入账，不重复入账）",
    )
    def post(self, request, pk: int):
        require_accept_post(request.user)
        account = member_account_get_for_user(user=request.user, pk=pk)
        values = validated(self.InputSerializer, request)
        deposit, created = services.monthly_deposit_post(
            actor=request.user, account=account, month=values["month"]
        )
        deposit.created = created
        return Response(
            self.OutputSerializer(deposit).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class MemberAccountSheetApi(APIView):
    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        status = serializers.CharField()
        verification_code = serializers.CharField()

    @extend_schema(request=None, responses={202: OutputSerializer}, summary="打印个人账户信息表（异步生成PDF）")
    def post(self, request, pk: int):
        account = member_account_get_for_user(user=request.user, pk=pk)
        document = account_sheet_request(account=account, requested_by=request.user)
        return Response(self.OutputSerializer(document).data, status=status.HTTP_202_ACCEPTED)


api_patterns = [
    path("units/", UnitListApi.as_view(), name="api-units"),
    path("units/<int:pk>/", UnitDetailApi.as_view(), name="api-unit"),
    path("members/", MemberListApi.as_view(), name="api-members"),
    path("members/<int:pk>/", MemberDetailApi.as_view(), name="api-member"),
    path("members/<int:pk>/statement/", MemberStatementApi.as_view(), name="api-member-statement"),
    path("members/<int:pk>/deposits/", MemberDepositApi.as_view(), name="api-member-deposit"),
    path("members/<int:pk>/account-sheet/", MemberAccountSheetApi.as_view(), name="api-member-sheet"),
]
