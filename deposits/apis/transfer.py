from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from fund.people.roles import roles_of

from ..selectors import member_account_get_for_user
from ..services.transfer import transfer_in_apply, transfer_out_blockers, transfer_out_execute
from ..views.transfer import transfers_for_user


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
    def get(self, request):  # type: ignore[no-untyped-def]
        return Response(TransferOutput(transfers_for_user(request.user)[:200], many=True).data)


class TransferInApi(APIView):
    class InputSerializer(serializers.Serializer):
        from_centre = serializers.CharField(label="转出地公积金中心", max_length=120)
        from_account_number = serializers.CharField(label="原个人账号", max_length=40, required=False, allow_blank=True)

    @extend_schema(request=InputSerializer, responses={201: TransferOutput}, summary="申请异地转入（职工本人或受理岗）")
    def post(self, request, pk: int):  # type: ignore[no-untyped-def]
        account = member_account_get_for_user(user=request.user, pk=pk)
        if account.person_id != request.user.person_id and not roles_of(request.user).can_accept:
            raise PermissionDenied
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        transfer = transfer_in_apply(actor=request.user, account=account, **data.validated_data)
        return Response(TransferOutput(transfer).data, status=status.HTTP_201_CREATED)


class TransferOutApi(APIView):
    class InputSerializer(serializers.Serializer):
        letter_number = serializers.CharField(label="联系函编号", max_length=40)
        to_centre = serializers.CharField(label="转入地公积金中心", max_length=120)
        to_account_number = serializers.CharField(label="转入地个人账号", max_length=40, required=False, allow_blank=True)

    class BlockersSerializer(serializers.Serializer):
        blockers = serializers.ListField(child=serializers.CharField())

    @extend_schema(responses=BlockersSerializer, summary="转出前置条件检查")
    def get(self, request, pk: int):  # type: ignore[no-untyped-def]
        account = member_account_get_for_user(user=request.user, pk=pk)
        return Response({"blockers": transfer_out_blockers(account)})

    @extend_schema(request=InputSerializer, responses={201: TransferOutput}, summary="办理异地转出（受理岗）")
    def post(self, request, pk: int):  # type: ignore[no-untyped-def]
        if not roles_of(request.user).can_accept:
            raise PermissionDenied
        account = member_account_get_for_user(user=request.user, pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        transfer = transfer_out_execute(actor=request.user, account=account, **data.validated_data)
        return Response(TransferOutput(transfer).data, status=status.HTTP_201_CREATED)


api_patterns = [
    path("transfers/", TransferListApi.as_view(), name="api-transfers"),
    path("members/<int:pk>/transfer-in/", TransferInApi.as_view(), name="api-transfer-in"),
    path("members/<int:pk>/transfer-out/", TransferOutApi.as_view(), name="api-transfer-out"),
]
