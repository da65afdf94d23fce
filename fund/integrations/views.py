"""The staff page of one outside call, so evidence that names a call ("征信查询 #185") opens what was asked
and answered. Identifying numbers are masked: the page proves the check, it does not hand out the person."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path

from fund.audit.actions import key_label
from fund.audit.masking import mask_data, mask_text
from fund.portals.decorators import portal_required

from .models import IntegrationCall


def _words(value: Any) -> str:
    """A value of an answer in words, at any depth: records as 名称：值, lists one after another."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):
        return "；".join(f"{key_label(k)}：{_words(v)}" for k, v in value.items())
    if isinstance(value, list):
        return " / ".join(f"（{_words(v)}）" if isinstance(v, dict) else _words(v) for v in value) or "—"
    return str(value)


def _rows(data: Any) -> list[tuple[str, str]]:
    if not isinstance(data, dict):
        return [] if data in (None, "") else [("内容", _words(mask_data(data)))]
    return [(key_label(key), _words(value)) for key, value in mask_data(data).items()]


@portal_required("staff")
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(IntegrationCall, pk=pk)
    return render(request, "integrations/call_detail.html", {
        "call": call, "request_rows": _rows(call.request), "response_rows": _rows(call.response),
        "error": mask_text(call.error), "page_title": "外部核验记录",
    })


staff_patterns = [path("calls/<int:pk>/", call_detail, name="call_detail")]
