from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from fund.api import OUTSIDE_SYSTEM_DOWN, ErrorOutput, validated
from fund.integrations.base import IntegrationError
from fund.people.roles import roles_of
from fund.people.selectors import get_or_404

from ..selectors import (
    member_account_get_for_holder_or_staff,
    member_account_get_for_user,
    pending_letters_for_user,
)
from ..services.transfer import (
    letter_blockers,
    transfer_in_apply,
    transfer_out_blockers,
    transfer_out_execute,
    transfer_out_letter_execute,
    transfer_out_letter_refuse,
    transfer_out_letters_fetch,
    transfer_out_payout_retry,
)
from ..views.transfer import letter_stage, transfers_for_user


class TransferOutput(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField(label="业务编号")
    direction = serializers.CharField()
    account_number = serializers.CharField(source="account.number")
    other_centre = serializers.CharField()
    letter_number = serializers.CharField(allow_null=True)
    status = serializers.CharField(label="平台状态代码")
    status_label = serializers.CharField(source="get_status_display")
    principal = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    interest = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)


class TransferListApi(APIView):
    @extend_schema(responses=TransferOutput(many=True), summary="异地转移接续业务（按权限范围）")
    def get(self, request):
        return Response(TransferOutput(transfers_for_user(request.user)[:200], many=True).data)


class TransferInApi(APIView):
    class InputSerializer(serializers.Serializer):
        from_centre = serializers.CharField(label="转出地公积金中心", max_length=120)
        from_account_number = serializers.CharField(label="原个人账号", max_length=40, required=False, allow_blank=True)

    @extend_schema(request=InputSerializer, responses={201: TransferOutput}, summary="申请异地转入（职工本人或受理岗）")
    def post(self, request, pk: int):
        # Not the unit's operator: the letter goes out through the national platform in the member's name.
        account = member_account_get_for_holder_or_staff(user=request.user, pk=pk)
        if account.person_id != request.user.person_id and not roles_of(request.user).can_accept:
            raise PermissionDenied
        values = validated(self.InputSerializer, request)
        transfer = transfer_in_apply(actor=request.user, account=account, **values)
        return Response(TransferOutput(transfer).data, status=status.HTTP_201_CREATED)


class TransferOutApi(APIView):
    class InputSerializer(serializers.Serializer):
        letter_number = serializers.CharField(label="联系函编号", max_length=40)
        to_centre = serializers.CharField(label="转入地公积金中心", max_length=120)
        to_account_number = serializers.CharField(label="转入地个人账号", max_length=40, required=False, allow_blank=True)

    class BlockersSerializer(serializers.Serializer):
        blockers = serializers.ListField(child=serializers.CharField())

    @extend_schema(responses=BlockersSerializer, summary="转出前置条件检查")
    def get(self, request, pk: int):
        account = member_account_get_for_user(user=request.user, pk=pk)
        return Response({"blockers": transfer_out_blockers(account)})

    @extend_schema(request=InputSerializer, responses={201: TransferOutput}, summary="办理异地转出（受理岗；未经平台来函的补录，平台来函请用 transfer-letters）")
    def post(self, request, pk: int):
        if not roles_of(request.user).can_accept:
            raise PermissionDenied
        account = member_account_get_for_holder_or_staff(user=request.user, pk=pk)
        values = validated(self.InputSerializer, request)
        transfer = transfer_out_execute(actor=request.user, account=account, **values)
        return Response(TransferOutput(transfer).data, status=status.HTTP_201_CREATED)


class LetterOutput(TransferOutput):
    member_name = serializers.CharField(source="account.person.name")
    letter_name = serializers.CharField(label="来函姓名")
    other_bank_account = serializers.CharField(label="转入中心收款账号")
    other_account_number = serializers.CharField(label="转入地个人账号")
    stage = serializers.SerializerMethodField(label="办理进度")
    blockers = serializers.SerializerMethodField(label="不能转出的原因")
    refuse_reason = serializers.CharField()
    payout_failure = serializers.CharField(label="划款失败原因")
    funds_bank_serial = serializers.CharField(label="划款银行流水号")
    replied_at = serializers.DateTimeField(allow_null=True)
    funds_reported_at = serializers.DateTimeField(allow_null=True)

    def get_stage(self, obj) -> str:
        return letter_stage(obj)[1]

    def get_blockers(self, obj) -> list[str]:
        return letter_blockers(obj)


class LetterListApi(APIView):
    @extend_schema(responses=LetterOutput(many=True), summary="待办转出联系函（平台来函，按权限范围）")
    def get(self, request):
        return Response(LetterOutput(pending_letters_for_user(request.user)[:200], many=True).data)

    class FetchOutput(serializers.Serializer):
        created = serializers.ListField(child=serializers.CharField())
        updated = serializers.ListField(child=serializers.CharField())
        refused = serializers.ListField(child=serializers.CharField())

    @extend_schema(operation_id="deposits_transfer_letters_fetch", request=None,
                   responses={200: FetchOutput, 503: OpenApiResponse(ErrorOutput, OUTSIDE_SYSTEM_DOWN)},
                   summary="立即从转移接续平台获取来函（受理岗）")
    def post(self, request):
        if not roles_of(request.user).can_accept:
            raise PermissionDenied
        try:
            report = transfer_out_letters_fetch()
        except IntegrationError as exc:
            return Response({"detail": f"转移接续平台暂不可用：{exc}"}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
        return Response({"created": report.created, "updated": report.updated, "refused": report.refused})


class LetterActionApi(APIView):
    class InputSerializer(serializers.Serializer):
        action = serializers.ChoiceField(label="操作", choices=[("execute", "办理转出"), ("refuse", "不予转出"),
                                                               ("retry", "重新划款")])
        reason = serializers.CharField(label="不予转出原因", max_length=200, required=False, allow_blank=True)

    @extend_schema(operation_id="deposits_transfer_letters_act", request=InputSerializer, responses=LetterOutput, summary="办理、拒绝转出联系函或重新划款")
    def post(self, request, pk: int):
        transfer = get_or_404(pending_letters_for_user(request.user), pk=pk)
        values = validated(self.InputSerializer, request)
        action = values["action"]
        if action == "execute":
            transfer = transfer_out_letter_execute(actor=request.user, transfer=transfer)
        elif action == "refuse":
            transfer = transfer_out_letter_refuse(
                actor=request.user, transfer=transfer, reason=values.get("reason", "")
            )
        else:
            transfer = transfer_out_payout_retry(actor=request.user, transfer=transfer)
        return Response(LetterOutput(transfer).data)


api_patterns = [
    path("transfer-letters/", LetterListApi.as_view(), name="api-transfer-letters"),
    path("transfer-letters/<int:pk>/", LetterActionApi.as_view(), name="api-transfer-letter"),
    path("transfers/", TransferListApi.as_view(), name="api-transfers"),
    path("members/<int:pk>/transfer-in/", TransferInApi.as_view(), name="api-transfer-in"),
    path("members/<int:pk>/transfer-out/", TransferOutApi.as_view(), name="api-transfer-out"),
]
