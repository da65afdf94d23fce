"""The API for the lives of accounts: the same services as the pages, fetched through the same scoped
selectors (404 outside scope); who may act is the services' rule (403); bad input is 400 in Chinese."""

from django.core.exceptions import PermissionDenied
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from fund.api import MonthField, Pagination, choices_help, paginated
from fund.filters import api_filtered
from fund.people.models import Branch
from fund.people.roles import roles_of
from fund.people.selectors import get_or_404

from ..filters import ApplicationFilter
from ..models import ApplicationState
from ..selectors import member_account_get_for_user, unit_account_get_for_user
from ..services import lifecycle as svc
from .accounts import RATIO, MemberOutput, UnitOutput


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(label="原因", max_length=200)


class EventOutput(serializers.Serializer):
    at = serializers.DateTimeField(label="办理时间")
    business_type = serializers.CharField(label="业务类型代码")
    business_label = serializers.CharField(source="get_business_type_display", label="业务类型")
    summary = serializers.CharField()
    account = serializers.CharField(source="account.number", default=None, allow_null=True, label="个人账号")
    old_state = serializers.CharField()
    new_state = serializers.CharField()
    from_unit = serializers.CharField(source="from_unit.number", default=None, allow_null=True, label="转出单位账号")
    reason = serializers.CharField()
    actor = serializers.CharField(default=None, allow_null=True)


def _member_action(service, summary: str):
    class MemberActionApi(APIView):
        @extend_schema(request=ReasonInput, responses=MemberOutput, summary=summary)
        def post(self, request, pk: int):
            account = member_account_get_for_user(user=request.user, pk=pk)
            data = ReasonInput(data=request.data)
            data.is_valid(raise_exception=True)
            account = service(actor=request.user, account=account, reason=data.validated_data["reason"])
            return Response(MemberOutput(member_account_get_for_user(user=request.user, pk=account.pk)).data)

    MemberActionApi.__name__ = MemberActionApi.__qualname__ = f"Member{service.__name__.split('_')[-1].title()}Api"
    return MemberActionApi


MemberSealApi = _member_action(svc.member_account_seal, "个人账户封存（单位经办人或受理岗）")
MemberFreezeApi = _member_action(svc.member_account_freeze, "个人账户冻结（受理岗）")
MemberUnfreezeApi = _member_action(svc.member_account_unfreeze, "个人账户解冻（受理岗），恢复冻结前状态")


class MemberChangeApi(APIView):
    class InputSerializer(serializers.Serializer):
        phone = serializers.CharField(label="新手机号码", max_length=20, required=False, allow_blank=True)
        bank_card = serializers.CharField(label="新银行卡号", max_length=23, required=False, allow_blank=True)

    @extend_schema(request=InputSerializer, responses=MemberOutput, summary="个人信息变更（手机号码、银行卡；本人或受理岗）")
    def post(self, request, pk: int):
        account = member_account_get_for_user(user=request.user, pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        svc.member_account_change(actor=request.user, account=account, **data.validated_data)
        return Response(MemberOutput(member_account_get_for_user(user=request.user, pk=pk)).data)


class MemberTransferInApi(APIView):
    class InputSerializer(serializers.Serializer):
        unit = serializers.IntegerField(label="转入单位账户ID")
        id_number = serializers.CharField(label="身份证号码", max_length=18)
        base = serializers.DecimalField(label="缴存基数", max_digits=12, decimal_places=2, min_value=0)

    @extend_schema(request=InputSerializer, responses=MemberOutput,
                   summary="职工转入（市内单位间转移，凭身份证号码；原单位须已封存）")
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        try:
            unit = unit_account_get_for_user(user=request.user, pk=values.pop("unit"))
        except Exception as exc:  # noqa: BLE001 — a unit the user cannot see is a field error, not a leak
            raise serializers.ValidationError({"unit": ["单位账户不存在"]}) from exc
        account = svc.member_transfer_in(actor=request.user, unit=unit, **values)
        return Response(MemberOutput(account).data)


class MemberEventsApi(APIView):
    pagination_class = Pagination

    @extend_schema(responses=EventOutput(many=True), summary="个人账户业务记录")
    def get(self, request, pk: int):
        account = member_account_get_for_user(user=request.user, pk=pk)
        return paginated(self, svc.member_events(account), EventOutput)


class VoluntaryOpenApi(APIView):
    class InputSerializer(serializers.Serializer):
        branch = serializers.PrimaryKeyRelatedField(label="管理部", queryset=Branch.objects.all(), required=False)
        id_number = serializers.CharField(label="身份证号码", max_length=18)
        name = serializers.CharField(label="姓名", max_length=60)
        phone = serializers.CharField(label="手机号码", max_length=20, required=False, allow_blank=True)
        base = serializers.DecimalField(label="缴存基数", max_digits=12, decimal_places=2, min_value=0)
        bank_card = serializers.CharField(label="代扣银行卡号", max_length=23)

    @extend_schema(request=InputSerializer, responses={201: MemberOutput}, summary="灵活就业人员开户（受理岗，专户）")
    def post(self, request):
        roles = roles_of(request.user)
        if not roles.can_accept:
            raise PermissionDenied
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        branch = values.pop("branch", None) or roles.staff.branch
        account = svc.voluntary_account_open(actor=request.user, branch=branch, **values)
        return Response(MemberOutput(account).data, status=status.HTTP_201_CREATED)


# ---- units ---------------------------------------------------------------------------------------------

class UnitChangeApi(APIView):
    class InputSerializer(serializers.Serializer):
        contact_name = serializers.CharField(label="经办人", max_length=60, required=False, allow_blank=True)
        contact_phone = serializers.CharField(label="联系电话", max_length=30, required=False, allow_blank=True)
        address = serializers.CharField(label="单位地址", max_length=200, required=False, allow_blank=True)
        bank_name = serializers.CharField(label="缴存银行", max_length=60, required=False)
        bank_account = serializers.CharField(label="单位银行账号", max_length=32, required=False)
        pay_day = serializers.IntegerField(label="每月缴存日", min_value=1, max_value=28, required=False)

    @extend_schema(request=InputSerializer, responses=UnitOutput, summary="单位信息变更（单位经办人或受理岗）")
    def post(self, request, pk: int):
        unit = unit_account_get_for_user(user=request.user, pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        svc.unit_account_change(actor=request.user, unit=unit, **data.validated_data)
        return Response(UnitOutput(unit_account_get_for_user(user=request.user, pk=pk)).data)


def _unit_action(service, summary: str):
    class UnitActionApi(APIView):
        @extend_schema(request=ReasonInput, responses=UnitOutput, summary=summary)
        def post(self, request, pk: int):
            unit = unit_account_get_for_user(user=request.user, pk=pk)
            data = ReasonInput(data=request.data)
            data.is_valid(raise_exception=True)
            service(actor=request.user, unit=unit, reason=data.validated_data["reason"])
            return Response(UnitOutput(unit_account_get_for_user(user=request.user, pk=pk)).data)

    UnitActionApi.__name__ = UnitActionApi.__qualname__ = f"Unit{service.__name__.split('_')[-1].title()}Api"
    return UnitActionApi


UnitSealApi = _unit_action(svc.unit_account_seal, "单位账户封存（受理岗；须先封存全部职工）")
UnitUnsealApi = _unit_action(svc.unit_account_unseal, "单位账户启封（受理岗）")
UnitCloseApi = _unit_action(svc.unit_account_close, "单位账户销户（受理岗；无在册职工、无余额、无未缴清汇补缴单、无待补缴义务）")


class UnitEventsApi(APIView):
    pagination_class = Pagination

    @extend_schema(responses=EventOutput(many=True), summary="单位及职工业务记录")
    def get(self, request, pk: int):
        unit = unit_account_get_for_user(user=request.user, pk=pk)
        return paginated(self, svc.unit_events(unit), EventOutput)


# ---- applications ---------------------------------------------------------------------------------------

class ApplicationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(label="申请编号")
    unit = serializers.IntegerField(source="unit_id")
    unit_number = serializers.CharField(source="unit.number")
    unit_name = serializers.CharField(source="unit.employer.name")
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    start_month = MonthField(label="起始年月")
    end_month = MonthField(label="截止年月（含）")
    unit_ratio = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)
    member_ratio = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)
    reason = serializers.CharField()
    applicant = serializers.CharField()
    reviewer = serializers.CharField(allow_null=True)
    review_opinion = serializers.CharField()
    approver = serializers.CharField(allow_null=True)
    approve_opinion = serializers.CharField()
    backpay_state = serializers.CharField(label="补缴义务：owed 待补缴，settled 已补缴")
    submitted_at = serializers.DateTimeField()


class ApplicationListApi(APIView):
    pagination_class = Pagination

    class InputSerializer(serializers.Serializer):
        unit = serializers.IntegerField(label="单位账户ID")
        # A plain string (the service checks it): a ChoiceField named "kind" would collide in the schema
        # with the bills' "kind" enum.
        kind = serializers.CharField(label="申请类型：deferral 缓缴，ratio 降低缴存比例", max_length=10)
        start_month = MonthField(label="起始年月", help_text="格式：2026-12")
        end_month = MonthField(label="截止年月（含）", help_text="格式：2026-12")
        reason = serializers.CharField(label="申请理由", max_length=500)
        unit_ratio = serializers.DecimalField(label="申请单位缴存比例（小数）", required=False, allow_null=True, **RATIO)
        member_ratio = serializers.DecimalField(label="申请个人缴存比例（小数）", required=False, allow_null=True, **RATIO)

    @extend_schema(responses=ApplicationOutput(many=True), summary="缓缴/降比例申请列表（按权限范围）",
                   parameters=[OpenApiParameter("state", str, description=choices_help(ApplicationState.choices))])
    def get(self, request):
        queryset = api_filtered(ApplicationFilter, request, svc.unit_applications_for_user(request.user).order_by("-id"))
        return paginated(self, queryset, ApplicationOutput)

    @extend_schema(request=InputSerializer, responses={201: ApplicationOutput}, summary="提交缓缴或降比例申请（单位）")
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        try:
            unit = unit_account_get_for_user(user=request.user, pk=values.pop("unit"))
        except Exception as exc:  # noqa: BLE001 — a unit the user cannot see is a field error, not a leak
            raise serializers.ValidationError({"unit": ["单位账户不存在"]}) from exc
        application = svc.unit_application_submit(actor=request.user, unit=unit, **values)
        return Response(ApplicationOutput(application).data, status=status.HTTP_201_CREATED)


def _application(request, pk):
    return get_or_404(svc.unit_applications_for_user(request.user), pk=pk)


class ApplicationDetailApi(APIView):
    @extend_schema(responses=ApplicationOutput, summary="缓缴/降比例申请详情")
    def get(self, request, pk: int):
        return Response(ApplicationOutput(_application(request, pk)).data)


class DecisionInput(serializers.Serializer):
    approve = serializers.BooleanField(label="通过（false 为驳回）")
    opinion = serializers.CharField(label="意见", max_length=500, required=False, allow_blank=True, default="")


class ApplicationReviewApi(APIView):
    @extend_schema(request=DecisionInput, responses=ApplicationOutput, summary="初审（初审岗；申请人不能初审）")
    def post(self, request, pk: int):
        application = _application(request, pk)
        data = DecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        application = svc.unit_application_review(actor=request.user, application=application, **data.validated_data)
        return Response(ApplicationOutput(_application(request, pk)).data)


class ApplicationApproveApi(APIView):
    @extend_schema(request=DecisionInput, responses=ApplicationOutput,
                   summary="审批（审批岗或主任；申请人与初审人不能审批）；批准即记补缴义务，期间已开始的立即生效")
    def post(self, request, pk: int):
        application = _application(request, pk)
        data = DecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        svc.unit_application_approve(actor=request.user, application=application, **data.validated_data)
        return Response(ApplicationOutput(_application(request, pk)).data)


class ApplicationWithdrawApi(APIView):
    @extend_schema(request=None, responses=ApplicationOutput, summary="撤回申请（初审前；申请人或单位经办人）")
    def post(self, request, pk: int):
        svc.unit_application_withdraw(actor=request.user, application=_application(request, pk))
        return Response(ApplicationOutput(_application(request, pk)).data)


class ApplicationBackpayApi(APIView):
    @extend_schema(request=None, responses=ApplicationOutput, summary="登记补缴完成（受理岗）")
    def post(self, request, pk: int):
        svc.unit_backpay_settle(actor=request.user, application=_application(request, pk))
        return Response(ApplicationOutput(_application(request, pk)).data)


api_patterns = [
    path("members/internal-transfer/", MemberTransferInApi.as_view(), name="api-member-internal-transfer"),
    path("members/voluntary/", VoluntaryOpenApi.as_view(), name="api-member-voluntary"),
    path("members/<int:pk>/seal/", MemberSealApi.as_view(), name="api-member-seal"),
    path("members/<int:pk>/freeze/", MemberFreezeApi.as_view(), name="api-member-freeze"),
    path("members/<int:pk>/unfreeze/", MemberUnfreezeApi.as_view(), name="api-member-unfreeze"),
    path("members/<int:pk>/change/", MemberChangeApi.as_view(), name="api-member-change"),
    path("members/<int:pk>/events/", MemberEventsApi.as_view(), name="api-member-events"),
    path("units/<int:pk>/change/", UnitChangeApi.as_view(), name="api-unit-change"),
    path("units/<int:pk>/seal/", UnitSealApi.as_view(), name="api-unit-seal"),
    path("units/<int:pk>/unseal/", UnitUnsealApi.as_view(), name="api-unit-unseal"),
    path("units/<int:pk>/close/", UnitCloseApi.as_view(), name="api-unit-close"),
    path("units/<int:pk>/events/", UnitEventsApi.as_view(), name="api-unit-events"),
    path("applications/", ApplicationListApi.as_view(), name="api-applications"),
    path("applications/<int:pk>/", ApplicationDetailApi.as_view(), name="api-application"),
    path("applications/<int:pk>/review/", ApplicationReviewApi.as_view(), name="api-application-review"),
    path("applications/<int:pk>/approve/", ApplicationApproveApi.as_view(), name="api-application-approve"),
    path("applications/<int:pk>/withdraw/", ApplicationWithdrawApi.as_view(), name="api-application-withdraw"),
    path("applications/<int:pk>/backpay-settled/", ApplicationBackpayApi.as_view(), name="api-application-backpay"),
]
