"""Shared API plumbing: errors come back as 4xx with Chinese messages naming the field, never as a 500."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.openapi import AutoSchema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def _django_errors(exc: DjangoValidationError) -> Any:
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for m in errs] for field, errs in exc.message_dict.items()}
    return {"detail": exc.messages}


class TooManyRequests(exceptions.APIException):
    """429 with the service's own Chinese message; DRF's Throttled would append English to it."""

    status_code = 429
    default_code = "throttled"

    def __init__(self, detail: str, wait: int) -> None:
        super().__init__(detail)
        self.wait = wait  # DRF's handler turns it into the Retry-After header


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus: model/service ValidationErrors → 400; ledger posting errors → 400; a printing
    limit → 429 with Retry-After."""
    from fund.ledger.services import PostingError
    from fund.printing.limits import PrintLimitReached

    if isinstance(exc, PrintLimitReached):
        exc = TooManyRequests(exc.messages[0], exc.retry_after)
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_django_errors(exc))
    elif isinstance(exc, PostingError):
        exc = exceptions.ValidationError({"detail": [str(exc)]})
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound("未找到，或您无权访问")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied("您无权办理此业务")
    elif isinstance(exc, exceptions.ParseError):  # DRF's text quotes the parser's English error
        exc = exceptions.ParseError("请求内容不是有效的 JSON，请检查括号、引号和数字（不能为 NaN 或 Infinity）")
    return drf_exception_handler(exc, context)


def validation_error_from_django(exc: DjangoValidationError) -> serializers.ValidationError:
    return serializers.ValidationError(_django_errors(exc))


class FundAutoSchema(AutoSchema):
    """Names a nested serializer after its API (`MemberListApi.InputSerializer` → `MemberListInput`), so the
    HackSoft-style `InputSerializer`/`OutputSerializer` of every API get distinct schema components."""

    def get_serializer_name(self, serializer: serializers.BaseSerializer, direction: str) -> str:
        outer, _, inner = type(serializer).__qualname__.rpartition(".")
        if not outer:
            return super().get_serializer_name(serializer, direction)
        return outer.removesuffix("Api") + inner.removesuffix("Serializer")
