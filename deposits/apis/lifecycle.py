"""The API for the lives of accounts: the same services as the pages, fetched through the same scoped
selectors (404 outside scope); who may act is the services' rule (403); bad input is 400 in Chinese."""

from django.core.exceptions import PermissionDenied
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from fund.api import MonthField, Pagination, choices_help, paginated, validated
from fund.filters import api_filtered
from fund.people.models import Branch
from fund.people.roles import roles_of
from fund.people.selectors import get_or_404

from ..filters import ApplicationFilter
from ..models import ApplicationState
from ..selectors import member_account_get_for_user, unit_account_get_for_user
from ..services import lifecycle as svc
from .accounts import RATIO, MemberOutput, UnitOutput, unit_in_body


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


# The two kinds of account these APIs act on: how one is fetched for the user, how it is shown, and the name
# the services take it by.
_ACCOUNTS = {
    "member": (member_account_get_for_user, MemberOutput, "account"),
    "unit": (unit_account_get_for_user, UnitOutput, "unit"),
}


def _account_events(events, summary: str, *, kind: str):
    """A GET of one account's business records, a page at a time."""
    get = _ACCOUNTS[kind][0]

    class AccountEventsApi(APIView):
        pagination_class = Pagination

        @extend_schema(responses=EventOutput(many=True), summary=summary)
        def get(self, request, pk: int):
            return paginated(self, events(get(user=request.user, pk=pk)), EventOutput)

    AccountEventsApi.__name__ = AccountEventsApi.__qualname__ = f"{kind.title()}EventsApi"
    return AccountEventsApi


def _account_post(service, summary: str, *, kind: str, body: type[serializers.Serializer] = ReasonInput):
    """A POST that changes one member account (`kind` "member") or unit account ("unit") with the fields of
    `body` (a reason, by default), answering with the account as it now is."""
    get, output, name = _ACCOUNTS[kind]

    class AccountPostApi(APIView):
        @extend_schema(request=body, responses=output, summary=summary)
        def post(self, request, pk: int):
            target = get(user=request.user, pk=pk)
            values = validated(body, request)
            service(actor=request.user, **{name: target}, **values)
            return Response(output(get(user=request.user, pk=pk)).data)

    AccountPostApi.__name__ = AccountPostApi.__qualname__ = f"{kind.title()}{service.__name__.split('_')[-1].title()}Api"
    return AccountPostApi


MemberSealApi = _account_post(svc.member_account_seal, "个人账户封存（单位经办人或受理岗）", kind="member")
MemberFreezeApi = _account_post(svc.member_account_freeze, "个人账户冻结（受理岗）", kind="member")
MemberUnfreezeApi = _account_post(svc.member_account_unfreeze, "个人账户解冻（受理岗），恢复冻结前状态", kind="member")


class MemberChangeInput(serializers.Serializer):
    phone = serializers.CharField(label="新手机号码", max_length=20, required=False, allow_blank=True)
    bank_card = serializers.CharField(label="新银行卡号", max_length=23, required=False, allow_blank=True)


MemberChangeApi = _account_post(
    svc.member_account_change, "个人信息变更（手机号码、银行卡；本人或受理岗）", kind="member", body=MemberChangeInput
)


class MemberTransferInApi(APIView):
    class InputSerializer(serializers.Serializer):
        unit = serializers.IntegerField(label="转入单位账户ID")
        id_number = serializers.CharField(label="身份证号码", max_length=18)
        base = serializers.DecimalField(label="缴存基数", max_digits=12, decimal_places=2, min_value=0)

    @extend_schema(request=InputSerializer, responses=MemberOutput,
                   summary="职工转入（市内单位间转移，凭身份证号码；原单位须已封存）")
    def post(self, request):
        values = validated(self.InputSerializer, request)
        unit = unit_in_body(request.user, values.pop("unit"))
        account = svc.member_transfer_in(actor=request.user, unit=unit, **values)
        return Response(MemberOutput(account).data)


MemberEventsApi = _account_events(svc.member_events, "个人账户业务记录", kind="member")


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
        values = validated(self.InputSerializer, request)
        branch = values.pop("branch", None) or roles.staff.branch
        account = svc.voluntary_account_open(actor=request.user, branch=branch, **values)
        return Response(MemberOutput(account).data, status=status.HTTP_201_CREATED)


# ---- units ---------------------------------------------------------------------------------------------

class UnitChangeInput(serializers.Serializer):
    contact_name = serializers.CharField(label="经办人", max_length=60, required=False, allow_blank=True)
    contact_phone = serializers.CharField(label="联系电话", max_length=30, required=False, allow_blank=True)
    address = serializers.CharField(label="单位地址", max_length=200, required=False, allow_blank=True)
    bank_name = serializers.CharField(label="缴存银行", max_length=60, required=False)
    bank_account = serializers.CharField(label="单位银行账号", max_length=32, required=False)
    pay_day = serializers.IntegerField(label="每月缴存日", min_value=1, max_value=28, required=False)


UnitChangeApi = _account_post(
    svc.unit_account_change, "单位信息变更（单位经办人或受理岗）", kind="unit", body=UnitChangeInput
)
UnitSealApi = _account_post(svc.unit_account_seal, "单位账户封存（受理岗；须先封存全部职工）", kind="unit")
UnitUnsealApi = _account_post(svc.unit_account_unseal, "单位账户启封（受理岗）", kind="unit")
UnitCloseApi = _account_post(
    svc.unit_account_close, "单位账户销户（受理岗；无在册职工、无余额、无未缴清汇补缴单、无待补缴义务）", kind="unit"
)


UnitEventsApi = _account_events(svc.unit_events, "单位及职工业务记录", kind="unit")


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
        values = validated(self.InputSerializer, request)
        unit = unit_in_body(request.user, values.pop("unit"))
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


def _application_step(service, summary: str, name: str, *, decision: bool):
    """A POST that moves one application, with a decision (approve or not, an opinion) or with no body,
    answering with the application as it now is."""

    class ApplicationStepApi(APIView):
        @extend_schema(request=DecisionInput if decision else None, responses=ApplicationOutput, summary=summary)
        def post(self, request, pk: int):
            application = _application(request, pk)
            values = {}
            if decision:
                values = validated(DecisionInput, request)
            service(actor=request.user, application=application, **values)
            return Response(ApplicationOutput(_application(request, pk)).data)

    ApplicationStepApi.__name__ = ApplicationStepApi.__qualname__ = name
    return ApplicationStepApi


ApplicationReviewApi = _application_step(
    svc.unit_application_review, "初审（初审岗；申请人不能初审）", "ApplicationReviewApi", decision=True
)
ApplicationApproveApi = _application_step(
    svc.unit_application_approve,
    "审批（审批岗或主任；申请人与初审人不能审批）；批准即记补缴义务，期间已开始的立即生效",
    "ApplicationApproveApi",
    decision=True,
)
ApplicationWithdrawApi = _application_step(
    svc.unit_application_withdraw, "撤回申请（初审前；申请人或单位经办人）", "ApplicationWithdrawApi", decision=False
)
ApplicationBackpayApi = _application_step(
    svc.unit_backpay_settle, "登记补缴完成（受理岗）", "ApplicationBackpayApi", decision=False
)


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
