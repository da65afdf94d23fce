"""Shared API plumbing: errors come back as 4xx with Chinese messages naming the field, never as a 500; and
the schema says what the answers really are (pages, months, the 4xx answers), once for every view."""

import json
from typing import Any

import uritemplate
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import Direction, extend_schema_field, extend_schema_serializer
from rest_framework import exceptions, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from fund.exports import XLSX


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


class BinaryRenderer(BaseRenderer):
    """Lets a client ask for a file type (a spreadsheet, a PDF) that the view answers with bytes.

    An error answered to such a request is the usual JSON, and says so: DRF would label it with the file
    type the client asked for, and a client that trusts the label (or the schema, which documents errors
    as JSON) would try to open `{"detail": …}` as a spreadsheet. Subclasses set `media_type` and `format`.
    """

    charset = None
    render_style = "binary"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        if isinstance(data, bytes):
            return data
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = "application/json"
        return json.dumps(data, ensure_ascii=False).encode()


class XlsxRenderer(BinaryRenderer):
    """An Excel export's renderer: a client may ask for the spreadsheet type; errors still come back as JSON."""

    media_type = XLSX
    format = "xlsx"


MONTH_PATTERN = r"^\d{4}-\d{2}$"


@extend_schema_field({"type": "string", "pattern": MONTH_PATTERN, "example": "2026-12"})
class MonthField(serializers.DateField):
    """A calendar month, "2026-12", read and written as such (the models keep the month's first day).

    OpenAPI's `date` is a whole day ("2026-12-01"), so a month documented as a date sends a generated client
    the wrong shape; the schema of this field is the string and its pattern, declared here once.
    """

    default_error_messages = {"invalid": "年月格式应为 2026-12", "datetime": "应为年月，如 2026-12，而不是日期时间"}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("format", "%Y-%m")
        kwargs.setdefault("input_formats", ["%Y-%m"])
        super().__init__(**kwargs)


def choices_help(choices: Any) -> str:
    """A query parameter's codes for its description: "submitted 待初审 / reviewed 待审批 / …"."""
    return " / ".join(f"{value} {label}" for value, label in choices)


class Pagination(PageNumberPagination):
    """The API's one page shape: `{"count", "next", "previous", "results"}`, 50 to a page, `?page=` to turn."""

    page_size = 50
    invalid_page_message = "页码无效：{page_number}"


def validated(serializer_class: type[serializers.Serializer], request: Any, **kwargs: Any) -> dict[str, Any]:
    """The request body checked by `serializer_class`: its validated data, or a 400 naming each bad field."""
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def paginated(view: APIView, queryset: QuerySet[Any] | list[Any], serializer_class: type[serializers.Serializer],
              *, context: dict[str, Any] | None = None) -> Response:
    """One page of `queryset`, as `serializer_class` renders each row.

    The view declares `pagination_class = Pagination`: that is what the schema reads to document the page
    instead of a bare array, and a view that pages without declaring it fails here (in every test that calls
    it) rather than publishing a schema that lies.
    """
    pagination_class = getattr(view, "pagination_class", None)
    if pagination_class is None:
        raise ImproperlyConfigured(f"{type(view).__name__} answers with pages: declare pagination_class = Pagination")
    paginator = pagination_class()
    page = paginator.paginate_queryset(queryset, view.request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True, context=context or {}).data)


# The body of every 4xx answer but a 400, and of a 503 when an outside system is down. (A comment, not a
# docstring: the schema would publish a docstring as the component's description.)
@extend_schema_serializer(component_name="Error")
class ErrorOutput(serializers.Serializer):
    detail = serializers.CharField(help_text="中文说明")


VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": "按字段名给出中文说明，如 {\"month\": [\"年月格式应为 2026-12\"]}；不属于某个字段的在 detail 或 "
                   "non_field_errors 下；嵌套的字段（列表、对象）按下标或键给出。",
    "additionalProperties": {"anyOf": [
        {"type": "string"}, {"type": "array", "items": {}}, {"type": "object"},
    ]},
    "example": {"month": ["年月格式应为 2026-12"]},
}
ERROR_DESCRIPTIONS = {
    "400": "请求有误：字段不合规、缺少必填项或请求内容无法解析",
    "401": "未登录，或 API 令牌无效、已撤销、已过期（响应头 WWW-Authenticate: Token）",
    "403": "已登录，但您的岗位或身份不能办理此业务",
    "404": "未找到，或您无权访问（两者同样回答）",
    "415": "不支持的请求内容类型",
    "429": "请求过于频繁，请稍后再试",
}
OUTSIDE_SYSTEM_DOWN = "外部系统暂不可用，请稍后再试"


class FundAutoSchema(AutoSchema):
    """The project's schema rules, for every view at once:

    - a nested serializer is named after its API (`MemberListApi.InputSerializer` → `MemberListInput`), so the
      HackSoft-style `InputSerializer`/`OutputSerializer` of every API get distinct components;
    - every operation documents the 4xx answers it can give, with their bodies, beside its own answers.
    """

    def _error_codes(self) -> list[str]:
        """The 4xx answers this operation can give, by how its view is built (not by what it happens to do)."""
        view = self.view
        codes = ["400"]  # bad input; also a query string or body the shared checks refuse, on any operation
        if view.get_authenticators():
            # A wrong or expired token is refused even where no login is needed; a session without its CSRF
            # token is refused (403) on every write.
            codes += ["401", "403"]
        public = all(isinstance(p, AllowAny) for p in view.get_permissions())
        if uritemplate.variables(self.path) or not public:
            codes.append("404")  # scoping: forbidden and missing are both 404, and so is a bad ?page=
        if self.method in ("POST", "PUT", "PATCH"):
            codes.append("415")
        if view.get_throttles():
            codes.append("429")
        return codes

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self._error_codes():
            if code in responses:  # the view documents its own body for this code (an upload's report)
                continue
            if code == "400":
                component = ResolvedComponent(name="ValidationError", type=ResolvedComponent.SCHEMA,
                                              object="ValidationError", schema=VALIDATION_ERROR_SCHEMA)
                self.registry.register_on_missing(component)
                responses[code] = {"content": {"application/json": {"schema": component.ref}}}
            else:
                responses[code] = self._get_response_for_code(ErrorOutput, code, ("application/json",), direction)
            responses[code]["description"] = ERROR_DESCRIPTIONS[code]
            if code == "401":
                responses[code]["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}, "description": "Token"}}
        return dict(sorted(responses.items()))

    def get_serializer_name(self, serializer: serializers.Serializer, direction: Direction) -> str:
        outer, _, inner = type(serializer).__qualname__.rpartition(".")
        if not outer:
            return super().get_serializer_name(serializer, direction)
        return outer.removesuffix("Api") + inner.removesuffix("Serializer")
