"""投诉与12329工单 API: the same selectors and services as the pages. Staff see their branch's tickets (all when
centre-wide), members and units their own; anyone else gets 404. The public form and the SMS rating link need
no sign-in; the public form is throttled."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fund.api import MonthField, Pagination, choices_help, paginated, validated
from fund.filters import api_filtered
from fund.people.roles import roles_of

from .forms import TicketFilter
from .models import Category, Channel, Satisfaction, TicketState
from .selectors import responsible_choices, ticket_get_for_user, ticket_rates, tickets_for_user
from .services import rate_token_read, ticket_assign, ticket_close, ticket_rate, ticket_register, ticket_reply
from .views import PublicTicketThrottle, rates_period

STATE_HELP = choices_help(TicketState.choices)
CATEGORY_HELP = choices_help(Category.choices)
SATISFACTION_HELP = choices_help(Satisfaction.choices)


class TicketOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(label="工单编号")
    channel = serializers.CharField(label="来源代码", help_text=choices_help(Channel.choices))
    channel_label = serializers.CharField(source="get_channel_display", label="来源")
    category = serializers.CharField(label="类别代码", help_text=CATEGORY_HELP)
    category_label = serializers.CharField(source="get_category_display", label="类别")
    subject = serializers.CharField(label="标题")
    content = serializers.CharField(label="诉求内容")
    name = serializers.CharField(label="诉求人")
    state = serializers.CharField(label="状态代码", help_text=STATE_HELP)
    state_label = serializers.CharField(source="get_state_display", label="状态")
    registered_at = serializers.DateTimeField(label="登记时间")
    branch = serializers.CharField(source="branch.name", default=None, allow_null=True, label="责任管理部")
    responsible = serializers.CharField(default=None, allow_null=True, label="责任人")
    first_due_on = serializers.DateField(label="答复期限（首次）")
    due_on = serializers.DateField(label="当前期限")
    reply = serializers.CharField(label="答复内容")
    replied_at = serializers.DateTimeField(allow_null=True, label="答复时间")
    first_replied_on = serializers.DateField(allow_null=True, label="首次答复日期")
    rounds = serializers.IntegerField(label="办理轮次")
    satisfaction = serializers.CharField(label="满意度代码", help_text=SATISFACTION_HELP + "；空为未评价")
    closed_at = serializers.DateTimeField(allow_null=True, label="办结时间")


class TicketRateOutput(serializers.Serializer):
    month = MonthField(label="登记月份")
    registered = serializers.IntegerField(label="受理量")
    replied = serializers.IntegerField(label="已答复")
    on_time = serializers.IntegerField(label="按时答复")
    overdue = serializers.IntegerField(label="超期", help_text="首次答复晚于答复期限，或过期仍未答复")
    complaints = serializers.IntegerField(label="投诉")
    rated = serializers.IntegerField(label="已评价")
    satisfied = serializers.IntegerField(label="满意与基本满意")
    open = serializers.IntegerField(label="未答复")
    reply_rate = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True, label="答复率")
    on_time_rate = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True, label="按时率",
                                            help_text="按时答复 ÷（按时答复 + 超期）")
    satisfied_rate = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True, label="满意率")


class TicketBranchRateOutput(TicketRateOutput):
    branch_id = serializers.IntegerField(allow_null=True, label="责任管理部编号", help_text="空为未转办")
    branch = serializers.CharField(label="责任管理部")


class TicketRatesOutput(serializers.Serializer):
    start = serializers.DateField(label="登记日期自")
    end = serializers.DateField(label="登记日期至")
    rows = TicketBranchRateOutput(many=True, label="按月份和责任管理部")
    months = TicketRateOutput(many=True, label="按月份合计")


def _portal_channel(user: Any, requested: str) -> dict[str, Any]:
    """Who files the ticket and through which channel: staff name hotline or letter; a member or a unit's
    operator file from their hall."""
    roles = roles_of(user)
    if requested in (Channel.HOTLINE, Channel.LETTER):
        return {"channel": requested}
    if roles.is_member:
        return {"channel": Channel.MEMBER, "person": user.person}
    if roles.is_unit_operator:
        return {"channel": Channel.UNIT, "employer": roles.employer}
    raise PermissionDenied("请注明来源（hotline 热线或 letter 来信）")


class TicketListApi(APIView):
    pagination_class = Pagination

    class InputSerializer(serializers.Serializer):
        channel = serializers.CharField(label="来源", max_length=8, required=False, allow_blank=True, default="",
                                        help_text="工作人员登记：hotline 12329热线 / letter 来信；职工、单位不填")
        category = serializers.CharField(label="类别", max_length=12, help_text=CATEGORY_HELP)
        subject = serializers.CharField(label="标题", max_length=60)
        content = serializers.CharField(label="诉求内容", max_length=2000)
        name = serializers.CharField(label="诉求人", max_length=60, required=False, allow_blank=True, default="")
        phone = serializers.CharField(label="联系电话", max_length=30, required=False, allow_blank=True, default="")

    @extend_schema(responses=TicketOutput(many=True), summary="工单（投诉台账；职工、单位为本人提交的）",
                   parameters=[
                       OpenApiParameter("state", OpenApiTypes.STR, description=STATE_HELP),
                       OpenApiParameter("category", OpenApiTypes.STR, description=CATEGORY_HELP),
                       OpenApiParameter("channel", OpenApiTypes.STR, description=choices_help(Channel.choices)),
                       OpenApiParameter("branch", OpenApiTypes.INT, description="责任管理部编号"),
                       OpenApiParameter("registered_from", OpenApiTypes.DATE, description="登记日期自"),
                       OpenApiParameter("registered_to", OpenApiTypes.DATE, description="登记日期至"),
                       OpenApiParameter("due", OpenApiTypes.STR,
                                        description="overdue 已超期未答复 / late 超期答复 / mine 我负责的待答复"),
                       OpenApiParameter("q", OpenApiTypes.STR, description="工单编号、诉求人、电话或标题"),
                   ])
    def get(self, request: Request) -> Response:
        tickets = tickets_for_user(request.user).order_by("-registered_at", "-id")
        return paginated(self, api_filtered(TicketFilter, request, tickets), TicketOutput)

    @extend_schema(request=InputSerializer, responses={201: TicketOutput},
                   summary="登记工单：工作人员登记热线、来信；职工、单位在网厅提交")
    def post(self, request: Request) -> Response:
        values = validated(self.InputSerializer, request)
        who = _portal_channel(request.user, values.pop("channel"))
        ticket = ticket_register(actor=request.user, **who, **values)
        return Response(TicketOutput(ticket_get_for_user(request.user, ticket.pk)).data, status=status.HTTP_201_CREATED)


class TicketPublicApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [PublicTicketThrottle]

    class InputSerializer(serializers.Serializer):
        category = serializers.CharField(label="类别", max_length=12, help_text=CATEGORY_HELP)
        subject = serializers.CharField(label="标题", max_length=60)
        content = serializers.CharField(label="诉求内容", max_length=2000)
        name = serializers.CharField(label="姓名", max_length=60)
        phone = serializers.CharField(label="手机号码", max_length=30)

    class OutputSerializer(serializers.Serializer):
        number = serializers.CharField(label="工单编号")
        due_on = serializers.DateField(label="答复期限")

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer}, summary="网站留言（无需登录，限频）")
    def post(self, request: Request) -> Response:
        values = validated(self.InputSerializer, request)
        ticket = ticket_register(actor=None, channel=Channel.PUBLIC, **values)
        return Response(self.OutputSerializer(ticket).data, status=status.HTTP_201_CREATED)


class TicketRateByLinkApi(APIView):
    permission_classes = [AllowAny]

    class InputSerializer(serializers.Serializer):
        token = serializers.CharField(label="评价链接中的令牌", max_length=200)
        satisfaction = serializers.CharField(label="满意度", max_length=12, help_text=SATISFACTION_HELP)

    class OutputSerializer(serializers.Serializer):
        number = serializers.CharField(label="工单编号")
        state = serializers.CharField(label="状态代码", help_text=STATE_HELP)
        satisfaction = serializers.CharField(label="满意度代码", help_text=SATISFACTION_HELP)

    @extend_schema(request=InputSerializer, responses=OutputSerializer, summary="按短信评价链接评价答复（无需登录）")
    def post(self, request: Request) -> Response:
        from django.http import Http404

        from .models import Ticket

        values = validated(self.InputSerializer, request)
        pk, rounds = rate_token_read(values["token"])
        ticket = Ticket.objects.filter(pk=pk).first()
        if ticket is None:
            raise Http404
        ticket = ticket_rate(ticket=ticket, satisfaction=values["satisfaction"], by="link", rounds=rounds)
        return Response(self.OutputSerializer(ticket).data)


class TicketDetailApi(APIView):
    @extend_schema(responses=TicketOutput, summary="一件工单")
    def get(self, request: Request, pk: int) -> Response:
        return Response(TicketOutput(ticket_get_for_user(request.user, pk)).data)


class TicketAssignApi(APIView):
    class InputSerializer(serializers.Serializer):
        responsible = serializers.IntegerField(label="责任人（工作人员用户编号）")

    @extend_schema(request=InputSerializer, responses=TicketOutput,
                   summary="转办或调整责任人（全中心范围的受理岗、分管领导）")
    def post(self, request: Request, pk: int) -> Response:
        ticket = ticket_get_for_user(request.user, pk)
        values = validated(self.InputSerializer, request)
        responsible = responsible_choices(request.user).filter(pk=values["responsible"]).first()
        if responsible is None and not responsible_choices(request.user).exists():
            raise PermissionDenied("只有全中心范围的受理岗（12329热线）或分管领导可以转办工单")
        ticket = ticket_assign(actor=request.user, ticket=ticket, responsible=responsible)
        return Response(TicketOutput(ticket_get_for_user(request.user, ticket.pk)).data)


class TicketReplyApi(APIView):
    class InputSerializer(serializers.Serializer):
        reply = serializers.CharField(label="答复内容", max_length=2000)

    @extend_schema(request=InputSerializer, responses=TicketOutput, summary="答复工单（责任人）；诉求人收到短信和评价链接")
    def post(self, request: Request, pk: int) -> Response:
        ticket = ticket_get_for_user(request.user, pk)
        values = validated(self.InputSerializer, request)
        ticket = ticket_reply(actor=request.user, ticket=ticket, reply=values["reply"])
        return Response(TicketOutput(ticket_get_for_user(request.user, ticket.pk)).data)


class TicketRateApi(APIView):
    class InputSerializer(serializers.Serializer):
        satisfaction = serializers.CharField(label="满意度", max_length=12, help_text=SATISFACTION_HELP)
        note = serializers.CharField(label="回访记录", max_length=200, required=False, allow_blank=True, default="",
                                     help_text="工作人员回访登记时必填")

    @extend_schema(request=InputSerializer, responses=TicketOutput,
                   summary="评价答复：职工、单位评价本人的工单；工作人员登记回访结果")
    def post(self, request: Request, pk: int) -> Response:
        ticket = ticket_get_for_user(request.user, pk)
        values = validated(self.InputSerializer, request)
        by = "callback" if roles_of(request.user).is_staff else "hall"
        ticket = ticket_rate(ticket=ticket, by=by, actor=request.user, rounds=None if by == "callback" else ticket.rounds,
                             satisfaction=values["satisfaction"], note=values["note"] if by == "callback" else "")
        return Response(TicketOutput(ticket_get_for_user(request.user, ticket.pk)).data)


class TicketCloseApi(APIView):
    class InputSerializer(serializers.Serializer):
        note = serializers.CharField(label="办结说明", max_length=200)

    @extend_schema(request=InputSerializer, responses=TicketOutput, summary="办结未评价的工单（全中心范围的受理岗、分管领导）")
    def post(self, request: Request, pk: int) -> Response:
        ticket = ticket_get_for_user(request.user, pk)
        values = validated(self.InputSerializer, request)
        ticket = ticket_close(actor=request.user, ticket=ticket, note=values["note"])
        return Response(TicketOutput(ticket_get_for_user(request.user, ticket.pk)).data)


class TicketRatesApi(APIView):
    class QuerySerializer(serializers.Serializer):
        start = serializers.DateField(label="登记日期自", required=False)
        end = serializers.DateField(label="登记日期至", required=False)

        def validate(self, data: dict[str, Any]) -> dict[str, Any]:
            if data.get("start") and data.get("end") and data["end"] < data["start"]:
                raise serializers.ValidationError({"end": ["结束日期不能早于开始日期"]})
            if data.get("start") and data.get("end") and (data["end"] - data["start"]).days > 366 * 3:
                raise serializers.ValidationError({"end": ["统计区间不能超过三年"]})
            return data

    @extend_schema(responses=TicketRatesOutput, summary="答复率与按时率（按登记月份和责任管理部；默认近六个月）",
                   parameters=[OpenApiParameter("start", OpenApiTypes.DATE, description="登记日期自"),
                               OpenApiParameter("end", OpenApiTypes.DATE, description="登记日期至")])
    def get(self, request: Request) -> Response:
        from django.http import Http404

        if not roles_of(request.user).is_staff:
            raise Http404
        query = self.QuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        today = timezone.localdate()
        start, end = rates_period(query.validated_data, today)
        rates = ticket_rates(request.user, start=start, end=end, today=today)
        return Response(TicketRatesOutput({"start": start, "end": end, **rates}).data)
