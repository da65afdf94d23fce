"""API: 合并销户 — a person's accounts by ID number, the preview to the day, the merge, the history, and
the 疑似重复账户 list. Staff only; merging needs the 受理 post (or a director); accounts outside the user's
scope are not found (404)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from fund.api import validated
from fund.audit.masking import mask_id_number
from fund.audit.services import person_viewed
from fund.people.roles import roles_of
from fund.people.selectors import get_or_404

from ..selectors import (
    duplicate_accounts_for_user,
    member_account_get_for_user,
    merges_for_user,
    person_accounts_for_user,
)
from ..services.merge import member_account_merge, member_account_merge_preview

MONEY = {"max_digits": 18, "decimal_places": 2}


def _staff_only(user) -> None:
    if not roles_of(user).is_staff:
        raise Http404


class MergeAccountOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(label="个人账号")
    unit_number = serializers.CharField(source="unit.number", label="单位账号")
    unit_name = serializers.CharField(source="unit.employer.name", label="单位名称")
    state = serializers.CharField(label="个人账户状态代码")
    state_label = serializers.CharField(source="get_state_display", label="个人账户状态")
    opened_on = serializers.DateField()
    balance = serializers.DecimalField(source="sub_account.balance", label="余额", **MONEY)
    current_year = serializers.DecimalField(source="sub_account.current_year", label="当年归集余额", **MONEY)
    prior_year = serializers.DecimalField(source="sub_account.prior_year", label="上年结转余额", **MONEY)


class MergeOutput(serializers.Serializer):
    id = serializers.IntegerField()
    source = serializers.CharField(source="source.number", label="并出账户")
    target = serializers.CharField(source="target.number", label="并入账户")
    source_state = serializers.CharField(label="并出账户原状态代码")
    principal = serializers.DecimalField(label="并出余额（结息前）", **MONEY)
    interest = serializers.DecimalField(label="结息", **MONEY)
    amount = serializers.DecimalField(label="转入金额", **MONEY)
    current_year = serializers.DecimalField(label="转入当年归集", **MONEY)
    prior_year = serializers.DecimalField(label="转入上年结转", **MONEY)
    entry = serializers.CharField(source="entry.number", allow_null=True, default=None, label="转移凭证号")
    interest_entry = serializers.CharField(source="interest_entry.number", allow_null=True, default=None, label="结息凭证号")
    reason = serializers.CharField()
    merged_on = serializers.DateField()


class PersonAccountsApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("id_number", str, required=True, description="身份证号码")],
        responses=MergeAccountOutput(many=True), summary="按身份证号码查询职工的全部个人账户（合并销户用）",
    )
    def get(self, request):
        _staff_only(request.user)
        id_number = (request.query_params.get("id_number") or "").strip()
        if not id_number:
            raise serializers.ValidationError({"id_number": ["请填写身份证号码"]})
        accounts = list(person_accounts_for_user(user=request.user, id_number=id_number))
        if accounts:
            person_viewed(actor=request.user, person=accounts[0].person, context="API 合并销户查询个人账户")
        return Response(MergeAccountOutput(accounts, many=True).data)


class MergeListApi(APIView):
    class InputSerializer(serializers.Serializer):
        source = serializers.IntegerField(label="并出账户ID")
        target = serializers.IntegerField(label="并入账户ID")
        reason = serializers.CharField(label="合并原因", max_length=200, required=False, allow_blank=True)

    @extend_schema(responses=MergeOutput(many=True), summary="合并销户记录（按权限范围）")
    def get(self, request):
        _staff_only(request.user)
        return Response(MergeOutput(merges_for_user(request.user)[:200], many=True).data)

    @extend_schema(request=InputSerializer, responses={201: MergeOutput, 200: MergeOutput},
                   summary="办理合并销户（受理岗）；重复提交返回原记录（200），不重复记账")
    def post(self, request):
        _staff_only(request.user)
        if not roles_of(request.user).can_accept:
            raise PermissionDenied
        values = validated(self.InputSerializer, request)
        source = member_account_get_for_user(user=request.user, pk=values["source"])
        target = member_account_get_for_user(user=request.user, pk=values["target"])
        merge, created = member_account_merge(
            actor=request.user, source=source, target=target, reason=values.get("reason", "")
        )
        return Response(MergeOutput(merge).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class MergePreviewApi(APIView):
    class PreviewOutput(serializers.Serializer):
        principal = serializers.DecimalField(label="并出余额", **MONEY)
        interest_current = serializers.DecimalField(label="结息（当年归集部分）", **MONEY)
        interest_prior = serializers.DecimalField(label="结息（上年结转部分）", **MONEY)
        amount = serializers.DecimalField(label="合计转入", **MONEY)
        current_year = serializers.DecimalField(label="转入当年归集", **MONEY)
        prior_year = serializers.DecimalField(label="转入上年结转", **MONEY)
        blockers = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), label="不能合并的原因")

    @extend_schema(
        parameters=[OpenApiParameter("source", int, required=True), OpenApiParameter("target", int, required=True)],
        responses=PreviewOutput, summary="合并销户预览：结息至办理前一日及转入金额，不记账",
    )
    def get(self, request):
        _staff_only(request.user)
        errors = {n: ["请填写账户ID"] for n in ("source", "target") if not (request.query_params.get(n) or "").isdigit()}
        if errors:
            raise serializers.ValidationError(errors)
        source = member_account_get_for_user(user=request.user, pk=request.query_params["source"])
        target = member_account_get_for_user(user=request.user, pk=request.query_params["target"])
        return Response(self.PreviewOutput(member_account_merge_preview(source=source, target=target)).data)


class MergeDetailApi(APIView):
    @extend_schema(responses=MergeOutput, summary="合并销户记录")
    def get(self, request, pk: int):
        _staff_only(request.user)
        return Response(MergeOutput(get_or_404(merges_for_user(request.user), pk=pk)).data)


class DuplicateListApi(APIView):
    class DuplicateOutput(serializers.Serializer):
        name = serializers.CharField(label="姓名")
        id_number = serializers.SerializerMethodField(label="身份证号码（脱敏）")
        accounts = MergeAccountOutput(many=True)

        def get_id_number(self, row) -> str:
            return mask_id_number(row.id_number)

    @extend_schema(responses=DuplicateOutput(many=True), summary="疑似重复账户：一人有两个及以上未销户账户")
    def get(self, request):
        _staff_only(request.user)
        return Response(self.DuplicateOutput(duplicate_accounts_for_user(request.user), many=True).data)


api_patterns = [
    path("merge/accounts/", PersonAccountsApi.as_view(), name="api-merge-accounts"),
    path("merge/preview/", MergePreviewApi.as_view(), name="api-merge-preview"),
    path("merge/duplicates/", DuplicateListApi.as_view(), name="api-merge-duplicates"),
    path("merges/", MergeListApi.as_view(), name="api-merges"),
    path("merges/<int:pk>/", MergeDetailApi.as_view(), name="api-merge-detail"),
]
