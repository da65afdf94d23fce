"""The HTTP side: POST JSON to the centre's data-sharing gateway (前置机) and decode its answer.

Contract with the gateway, one URL per operation: `POST {FUND_INTEGRATIONS_HTTP_BASE}/<system>/<operation>`
with the operation's keyword arguments as a JSON object (Decimals and dates as strings). An operation that
moves money or registers something sends its idempotency key (the centre's reference) in an
`Idempotency-Key` header as well, so the gateway can answer a retried request without passing it on twice.
It answers `{"ok": true, "data": {...}}` with the result's fields, or `{"ok": false, "code": "not_found" |
"rejected", "message": "..."}`. The gateway translates to each agency's own protocol; this module only
speaks JSON. Anything else — an HTTP error status, a timeout, a refused connection, a body that is not that
JSON or lacks a field of the result — is `Unavailable`, the error every caller already treats as "down".

`tests/integrations/test_contract.py` runs every operation of every system through this client against a
local gateway that answers as the sandbox would, so the two implementations keep to one contract.
"""

from __future__ import annotations

import dataclasses
import http.client
import json
import types
import urllib.error
import urllib.request
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar, TypeVar, Union, get_args, get_origin, get_type_hints

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.dateparse import parse_date, parse_datetime

from .base import NotFound, Rejected, Result, Unavailable

R = TypeVar("R", bound=Result)

DEFAULT_TIMEOUT_SECONDS = 10


class HttpClient:
    """Mixin for the HTTP implementations: `self._post(operation, ResultType, **arguments)`."""

    backend: ClassVar[str] = "http"
    system: ClassVar[str]

    def _post(self, operation: str, result_type: type[R], *, idempotency_key: str = "", **arguments: Any) -> R:
        data = post_json(system=self.system, operation=operation, payload=arguments, idempotency_key=idempotency_key)
        return decode(result_type, data)


def post_json(*, system: str, operation: str, payload: dict[str, Any], idempotency_key: str = "") -> dict[str, Any]:
    base = getattr(settings, "FUND_INTEGRATIONS_HTTP_BASE", "").rstrip("/")
    if not base:
        raise Unavailable("未配置外部系统接口地址（FUND_INTEGRATIONS_HTTP_BASE）")
    timeout = getattr(settings, "FUND_INTEGRATIONS_HTTP_TIMEOUT", DEFAULT_TIMEOUT_SECONDS)
    headers = {"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"}
    if idempotency_key:
        headers["Idempotency-Key"] = idempotency_key
    request = urllib.request.Request(
        f"{base}/{system}/{operation}",
        data=json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False).encode(),
        headers=headers,
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        raise Unavailable(f"外部系统返回错误（HTTP {exc.code}）") from exc
    except (urllib.error.URLError, TimeoutError, OSError, http.client.HTTPException) as exc:
        raise Unavailable("外部系统暂时无法连接，请稍后重试") from exc
    except ValueError as exc:
        raise Unavailable("外部系统返回的数据无法解析") from exc
    if not isinstance(body, dict):
        raise Unavailable("外部系统返回的数据无法解析")
    if body.get("ok"):
        data = body.get("data")
        if not isinstance(data, dict):
            raise Unavailable("外部系统返回的数据无法解析")
        return data
    message = str(body.get("message") or "外部系统拒绝了请求")
    if body.get("code") == "not_found":
        raise NotFound(message)
    if body.get("code") == "rejected":
        raise Rejected(message)
    raise Unavailable(message)


def decode(result_type: type[R], data: dict[str, Any]) -> R:
    """Build a result dataclass from the gateway's JSON, converting by the fields' declared types."""
    try:
        return _build(result_type, data)
    except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
        raise Unavailable("外部系统返回的数据不完整") from exc


def _build(cls: type, data: dict[str, Any]) -> Any:
    hints = get_type_hints(cls)
    values = {}
    for f in dataclasses.fields(cls):
        if f.name == "call_id":
            continue
        if f.name not in data:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise KeyError(f.name)
            continue
        values[f.name] = _convert(hints[f.name], data[f.name])
    return cls(**values)


def _convert(tp: Any, value: Any) -> Any:
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        if value is None:
            return None
        (inner,) = [a for a in get_args(tp) if a is not type(None)]
        return _convert(inner, value)
    if origin in (list, tuple):
        (inner, *_) = get_args(tp)
        items = [_convert(inner, v) for v in value]
        return tuple(items) if origin is tuple else items
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _build(tp, value)
    if tp is Decimal:
        return Decimal(str(value))
    if tp is datetime:
        parsed = parse_datetime(value)
        if parsed is None:
            raise ValueError(value)
        return parsed
    if tp is date:
        parsed_date = parse_date(value)
        if parsed_date is None:
            raise ValueError(value)
        return parsed_date
    if tp is bool:
        if not isinstance(value, bool):
            raise TypeError(value)
        return value
    if isinstance(tp, type) and issubclass(tp, str | int):
        return tp(value)  # str, int, and TextChoices enums
    return value
