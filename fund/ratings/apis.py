"""好差评 as JSON: the same services and selectors as the pages.

A member or a unit's operator lists what waits for their rating and rates it; the SMS link's token rates
without a sign-in; staff read the ratings and rates of their branch (all with a centre-wide post) and work the
follow-ups. Anything not yours answers 404.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fund.api import Pagination, choices_help, paginated, validated
from fund.filters import api_filtered
from fund.people.models import User
from fund.people.roles import roles_of
from fund.people.selectors import get_or_404, scoped, staff_scope
from fund.tracking.models import Application

from .filters import LEVELS, FollowUpFilter, RatingFilter
from .models import COMMENT_MAX_LENGTH, FollowUpOutcome, FollowUpState, RatingChannel
from .selectors import (
    BY,
    BY_LABELS,
    follow_up_get_for_user,
    follow_ups_for_user,
    pending_for_user,
    rating_rates,
    ratings_for_user,
)
from .services import follow_up_assign, follow_up_close, rating_submit, rating_submit_by_token


def _require_staff(user: Any) -> None:
    if not staff_scope(user)[0]:
        raise Http404


def _applicant_portal(user: Any, asked: str | None) -> str:
    """Which hall's applications: the one asked for, else the member's own, else the unit's; neither → 404."""
    roles = roles_of(user)
    if asked == "member" or (asked is None and roles.is_member):
        if not roles.is_member:
            raise Http404
        return "member"
    if not roles.is_unit_operator:
        raise Http404
    return "unit"


class PendingOutput(serializers.Serializer):
    number = serializers.CharField(label="办件编号")
    item_code = serializers.CharField(label="事项编码")
    title = serializers.CharField(label="事项")
    branch = serializers.CharField(source="branch.name", label="管理部")
    outcome = serializers.CharField(label="结果", help_text="done 已办结 / refused 不予办理")
    finished_at = serializers.DateTimeField(label="办结时间")


class RatingPendingApi(APIView):
    pagination_class = Pagination

    @extend_schema(responses=PendingOutput(many=True), summary="待评价的办件（个人：本人的；单位：本单位的）",
                   parameters=[OpenApiParameter("portal", OpenApiTypes.STR, enum=["member", "unit"],
                                                description="member 个人办件 / unit 单位办件；默认：职工为个人，否则为单位")])
    def get(self, request: Request) -> Response:
        asked = request.query_params.get("portal") or None
        if asked not in (None, "member", "unit"):
            raise serializers.ValidationError({"portal": ["应为 member 或 unit"]})
        portal = _applicant_portal(request.user, asked)
        return paginated(self, pending_for_user(request.user, portal=portal), PendingOutput)


class RatingOutput(serializers.Serializer):
    id = serializers.IntegerField()
    application = serializers.CharField(source="application.number", label="办件编号")
    item_code = serializers.CharField(source="application.item_code", label="事项编码")
    branch = serializers.CharField(source="application.branch.name", label="管理部")
    handled_by = serializers.CharField(source="application.handled_by", label="受理人", allow_null=True)
    stars = serializers.IntegerField(label="星级")
    comment = serializers.CharField(label="评价内容")
    channel = serializers.CharField(label="评价方式", help_text=choices_help(RatingChannel.choices))
    bad = serializers.BooleanField(label="差评")
    created_at = serializers.DateTimeField(label="评价时间")
    follow_up = serializers.SerializerMethodField(label="差评整改编号")

    def get_follow_up(self, obj: Any) -> int | None:
        follow_up = getattr(obj, "follow_up", None)  # none yet: the reverse accessor raises, getattr says None
        return follow_up.pk if follow_up is not None else None


class RatingInput(serializers.Serializer):
    stars = serializers.IntegerField(label="星级", min_value=1, max_value=5,
                                     error_messages={"min_value": "评价星级应为 1 至 5 星", "max_value": "评价星级应为 1 至 5 星",
                                                     "invalid": "评价星级应为 1 至 5 星", "required": "请选择评价星级"})
    comment = serializers.CharField(label="评价内容", required=False, allow_blank=True, default="",
                                    max_length=COMMENT_MAX_LENGTH, trim_whitespace=True,
                                    error_messages={"max_length": f"评价内容不能超过{COMMENT_MAX_LENGTH}字"})


class RatingCreateInput(RatingInput):
    application = serializers.CharField(label="办件编号", max_length=20)


class RatingListApi(APIView):
    pagination_class = Pagination

    @extend_schema(responses=RatingOutput(many=True), summary="评价明细（本管理部；全中心岗位为全部）",
                   parameters=[OpenApiParameter("month", OpenApiTypes.STR, description="评价月份，如 2026-11"),
                               OpenApiParameter("branch", OpenApiTypes.INT, description="管理部编号"),
                               OpenApiParameter("item", OpenApiTypes.STR, description="事项编码"),
                               OpenApiParameter("level", OpenApiTypes.STR, description=choices_help(LEVELS))])
    def get(self, request: Request) -> Response:
        _require_staff(request.user)
        return paginated(self, api_filtered(RatingFilter, request, ratings_for_user(request.user)), RatingOutput)

    @extend_schema(request=RatingCreateInput, responses={201: RatingOutput},
                   summary="评价已办结的办件（每件一次；差评自动生成整改任务）")
    def post(self, request: Request) -> Response:
        values = validated(RatingCreateInput, request)
        mine = scoped(Application.objects.all(), request.user, person="person", employer="employer")
        application = get_or_404(mine, number=values["application"])
        rating = rating_submit(application=application, stars=values["stars"], comment=values["comment"],
                               channel=RatingChannel.ONLINE, actor=request.user)
        return Response(RatingOutput(rating).data, status=status.HTTP_201_CREATED)


class RatingByLinkInput(RatingInput):
    token = serializers.CharField(label="评价链接令牌", max_length=200, help_text="短信评价链接中的令牌")


class RatingByLinkOutput(serializers.Serializer):
    application = serializers.CharField(source="application.number", label="办件编号")
    stars = serializers.IntegerField(label="星级")


class RatingByLinkApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(request=RatingByLinkInput, responses={201: RatingByLinkOutput},
                   summary="凭短信评价链接评价（无需登录；每件一次）")
    def post(self, request: Request) -> Response:
        values = validated(RatingByLinkInput, request)
        from django.core.exceptions import ValidationError

        try:
            rating = rating_submit_by_token(token=values["token"], stars=values["stars"], comment=values["comment"])
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                raise
            raise serializers.ValidationError({"token": exc.messages}) from exc
        return Response(RatingByLinkOutput(rating).data, status=status.HTTP_201_CREATED)


class RateRowOutput(serializers.Serializer):
    key = serializers.CharField(label="事项编码/管理部编号/经办人编号", allow_null=True)
    name = serializers.CharField(source="label", label="名称")
    count = serializers.IntegerField(label="评价数")
    average = serializers.DecimalField(label="平均星级", max_digits=4, decimal_places=2)
    good = serializers.IntegerField(label="好评数（4–5星）")
    bad = serializers.IntegerField(label="差评数")
    good_share = serializers.DecimalField(label="好评率", max_digits=6, decimal_places=4, help_text="小数：0.5 即 50%")
    bad_share = serializers.DecimalField(label="差评率", max_digits=6, decimal_places=4, help_text="小数")


class RatingRatesApi(APIView):
    @extend_schema(responses=RateRowOutput(many=True), summary="好差评率：按事项、管理部或经办人（按评价月份）",
                   parameters=[OpenApiParameter("by", OpenApiTypes.STR, enum=list(BY),
                                                description=choices_help(BY_LABELS.items()) + "（默认 staff）"),
                               OpenApiParameter("month", OpenApiTypes.STR, description="评价月份，如 2026-11"),
                               OpenApiParameter("branch", OpenApiTypes.INT, description="管理部编号"),
                               OpenApiParameter("item", OpenApiTypes.STR, description="事项编码")])
    def get(self, request: Request) -> Response:
        _require_staff(request.user)
        by = request.query_params.get("by") or "staff"
        if by not in BY:
            raise serializers.ValidationError({"by": ["应为 item、branch 或 staff"]})
        rows = api_filtered(RatingFilter, request, ratings_for_user(request.user))
        return Response(RateRowOutput(rating_rates(rows, by=by), many=True).data)


class FollowUpOutput(serializers.Serializer):
    id = serializers.IntegerField()
    application = serializers.CharField(source="rating.application.number", label="办件编号")
    branch = serializers.CharField(source="branch.name", label="管理部")
    stars = serializers.IntegerField(source="rating.stars", label="星级")
    comment = serializers.CharField(source="rating.comment", label="评价内容")
    state = serializers.CharField(label="状态", help_text=choices_help(FollowUpState.choices))
    due_on = serializers.DateField(label="整改时限")
    assigned_to = serializers.CharField(label="整改责任人", allow_null=True)
    outcome = serializers.CharField(label="整改结果", help_text=choices_help(FollowUpOutcome.choices))
    outcome_note = serializers.CharField(label="整改情况")
    closed_at = serializers.DateTimeField(label="办结时间", allow_null=True)


class FollowUpListApi(APIView):
    pagination_class = Pagination

    @extend_schema(responses=FollowUpOutput(many=True), summary="差评整改任务（本管理部；全中心岗位为全部）",
                   parameters=[OpenApiParameter("state", OpenApiTypes.STR, description=choices_help(FollowUpState.choices)),
                               OpenApiParameter("overdue", OpenApiTypes.BOOL, description="true：已超期未办结")])
    def get(self, request: Request) -> Response:
        _require_staff(request.user)
        return paginated(self, api_filtered(FollowUpFilter, request, follow_ups_for_user(request.user)), FollowUpOutput)


class FollowUpDetailApi(APIView):
    @extend_schema(responses=FollowUpOutput, summary="一件差评整改")
    def get(self, request: Request, pk: int) -> Response:
        return Response(FollowUpOutput(follow_up_get_for_user(request.user, pk)).data)


class FollowUpAssignApi(APIView):
    class InputSerializer(serializers.Serializer):
        assignee = serializers.IntegerField(label="整改责任人（用户编号）",
                                            error_messages={"required": "请选择整改责任人", "invalid": "整改责任人应为用户编号"})

    @extend_schema(request=InputSerializer, responses=FollowUpOutput, summary="分派差评整改责任人（审批岗或分管领导）")
    def post(self, request: Request, pk: int) -> Response:
        follow_up = follow_up_get_for_user(request.user, pk)
        values = validated(self.InputSerializer, request)
        assignee = User.objects.filter(pk=values["assignee"]).first()
        if assignee is None:
            raise serializers.ValidationError({"assignee": ["请选择本管理部的工作人员"]})
        return Response(FollowUpOutput(follow_up_assign(actor=request.user, follow_up=follow_up, assignee=assignee)).data)


class FollowUpCloseApi(APIView):
    class InputSerializer(serializers.Serializer):
        outcome = serializers.ChoiceField(label="整改结果", choices=FollowUpOutcome.choices,
                                          error_messages={"required": "请选择整改结果", "invalid_choice": "请选择整改结果"})
        outcome_note = serializers.CharField(label="整改情况", max_length=500,
                                             error_messages={"required": "请填写整改情况", "blank": "请填写整改情况",
                                                             "max_length": "整改情况不能超过500字"})

    @extend_schema(request=InputSerializer, responses=FollowUpOutput, summary="登记整改结果并办结")
    def post(self, request: Request, pk: int) -> Response:
        follow_up = follow_up_get_for_user(request.user, pk)
        values = validated(self.InputSerializer, request)
        return Response(FollowUpOutput(follow_up_close(actor=request.user, follow_up=follow_up,
                                                       outcome=values["outcome"], note=values["outcome_note"])).data)
