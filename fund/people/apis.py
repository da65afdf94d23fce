"""Sign-in for API clients (a phone app, an integrator), each device with its own token; and who-am-I."""

from django.contrib.auth import authenticate
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from fund.api import validated

from .auth import client_ip
from .models import ApiToken
from .roles import roles_of
from .tokens import (
    NAME_MAX_LENGTH,
    api_token_get_for_user,
    api_token_issue,
    api_token_name_clean,
    api_token_revoke,
    api_tokens_for_user,
)


class LoginThrottle(AnonRateThrottle):
    scope = "login"


class TokenOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(label="设备或客户端名称")
    prefix = serializers.CharField(label="令牌前几位（用于辨认，不能用于登录）")
    created_at = serializers.DateTimeField(label="签发时间")
    last_used_at = serializers.DateTimeField(label="最近使用时间", allow_null=True)
    expires_at = serializers.DateTimeField(label="到期时间")
    current = serializers.SerializerMethodField(label="是否本次请求所用的令牌")

    def get_current(self, token: ApiToken) -> bool:
        return token.pk == self.context.get("current")


class TokenObtainApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [LoginThrottle]

    class InputSerializer(serializers.Serializer):
        username = serializers.CharField(label="身份证号码或用户名", max_length=150)
        password = serializers.CharField(label="密码", max_length=128, style={"input_type": "password"})
        name = serializers.CharField(
            label="设备或客户端名称", max_length=NAME_MAX_LENGTH, required=False, allow_blank=True,
            help_text="如“我的手机”“财务系统接口”；不填则取 User-Agent。显示在令牌列表中，便于撤销",
        )

    class OutputSerializer(TokenOutput):
        token = serializers.CharField(source="key", label="令牌（只在此时返回一次；请求时放在 Authorization: Token <令牌>）")

    @extend_schema(request=InputSerializer, responses=OutputSerializer,
                   summary="登录并获取本设备的 API 令牌（其他设备的令牌不受影响）")
    def post(self, request: Request) -> Response:
        values = validated(self.InputSerializer, request)
        # Every attempt goes through the throttled backend, so failures here count toward the lockout too.
        user = authenticate(request, username=values["username"], password=values["password"])
        if user is None:
            message = "登录失败次数过多，请稍后再试" if getattr(request, "login_throttled", False) else "账号或密码不正确"
            raise serializers.ValidationError({"password": [message]})
        name = api_token_name_clean(values.get("name", ""), user_agent=request.headers.get("User-Agent", ""))
        token, key = api_token_issue(user=user, name=name, ip=client_ip(request))
        # OutputSerializer reads the key from the row; the row never stores it, so it rides along this once.
        token.key = key  # type: ignore[attr-defined]
        return Response(self.OutputSerializer(token, context={"current": token.pk}).data)


class TokenListApi(APIView):
    @extend_schema(responses=TokenOutput(many=True), summary="我的登录设备（有效的 API 令牌）")
    def get(self, request: Request) -> Response:
        current = request.auth.pk if isinstance(request.auth, ApiToken) else None
        return Response(TokenOutput(api_tokens_for_user(request.user), many=True, context={"current": current}).data)


class TokenRevokeApi(APIView):
    @extend_schema(request=None, responses={204: None}, summary="撤销我的一个 API 令牌（该设备随即退出登录）")
    def post(self, request: Request, pk: int) -> Response:
        api_token_revoke(actor=request.user, token=api_token_get_for_user(user=request.user, pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenLogoutApi(APIView):
    @extend_schema(request=None, responses={204: None}, summary="退出登录（作废本次请求所用的 API 令牌，其他设备不受影响）")
    def post(self, request: Request) -> Response:
        if isinstance(request.auth, ApiToken):
            api_token_revoke(actor=request.user, token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeApi(APIView):
    class OutputSerializer(serializers.Serializer):
        username = serializers.CharField()
        name = serializers.CharField()
        portals = serializers.ListField(child=serializers.CharField())
        branch = serializers.CharField(allow_null=True)
        posts = serializers.ListField(child=serializers.CharField())
        employer = serializers.CharField(allow_null=True)
        developer = serializers.CharField(allow_null=True)

    @extend_schema(responses=OutputSerializer, summary="当前用户及其角色")
    def get(self, request: Request) -> Response:
        roles = roles_of(request.user)
        return Response(
            self.OutputSerializer(
                {
                    "username": request.user.username,
                    "name": str(request.user),
                    "portals": [label for _, label in roles.portals],
                    "branch": roles.staff.branch.name if roles.staff else None,
                    "posts": roles.staff.posts if roles.staff else [],
                    "employer": roles.employer.name if roles.employer else None,
                    "developer": roles.developer.name if roles.developer else None,
                }
            ).data
        )


urlpatterns = [
    path("auth/token/", TokenObtainApi.as_view(), name="api-token"),
    path("auth/logout/", TokenLogoutApi.as_view(), name="api-logout"),
    path("auth/tokens/", TokenListApi.as_view(), name="api-tokens"),
    path("auth/tokens/<int:pk>/revoke/", TokenRevokeApi.as_view(), name="api-token-revoke"),
    path("me/", MeApi.as_view(), name="api-me"),
]
