"""Sign-in for API clients (a mobile app) and who-am-I."""

from django.contrib.auth import authenticate
from django.db import transaction
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from .models import User
from .roles import roles_of


class LoginThrottle(AnonRateThrottle):
    scope = "login"


class TokenObtainApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [LoginThrottle]

    class InputSerializer(serializers.Serializer):
        username = serializers.CharField(label="身份证号码或用户名", max_length=150)
        password = serializers.CharField(label="密码", max_length=128, style={"input_type": "password"})

    class OutputSerializer(serializers.Serializer):
        token = serializers.CharField()

    @extend_schema(request=InputSerializer, responses=OutputSerializer, summary="获取 API 令牌")
    def post(self, request):  # type: ignore[no-untyped-def]
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(request, **data.validated_data)
        if user is None:
            message = "登录失败次数过多，请稍后再试" if getattr(request, "login_throttled", False) else "账号或密码不正确"
            raise serializers.ValidationError({"password": [message]})
        with transaction.atomic():
            # A fresh token at every sign-in, so its age (and expiry) counts from now. The row lock makes
            # two sign-ins of one user take turns instead of colliding on the one-token-per-user rule.
            User.objects.select_for_update().filter(pk=user.pk).first()
            Token.objects.filter(user=user).delete()
            token = Token.objects.create(user=user)
        return Response(self.OutputSerializer({"token": token.key}).data)


class TokenLogoutApi(APIView):
    @extend_schema(request=None, responses={204: None}, summary="退出登录（作废 API 令牌）")
    def post(self, request):  # type: ignore[no-untyped-def]
        Token.objects.filter(user=request.user).delete()
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
    def get(self, request):  # type: ignore[no-untyped-def]
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
    path("me/", MeApi.as_view(), name="api-me"),
]
