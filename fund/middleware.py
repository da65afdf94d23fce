"""Control characters are refused at the door, for every URL, before any view, filter or form sees them.

PostgreSQL cannot store NUL in text, so a `%00` in any parameter that reaches a query is a 500; the other
control characters are never part of a real value and, once stored, end up in PDFs, SMS and bank files.
Checking each view's inputs would miss the next view; checking the request once here does not.

What is refused (400: a JSON body for the API, a Chinese page otherwise):
- the path, query parameters (names and values) and header values: any control character (C0, DEL, C1),
  except the tab the HTTP grammar allows in a header;
- form fields, JSON strings and keys at any depth, and uploaded files' names: NUL and every other control
  character except tab, line feed and carriage return, which a multi-line text box sends. Single-line fields
  refuse those too, by their validators (fund.validation);
- a cookie holding a control character is dropped rather than refused (the session it names cannot exist),
  so a browser with a damaged cookie is not locked out.
"""

import json
import re
from collections.abc import Callable, Iterator
from io import BytesIO
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render

# No control character at all: C0, DEL, C1; lone surrogates (JSON "\ud800") cannot be encoded for the database.
ANY_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
# Text a person typed into a box: tab, line feed and carriage return are allowed (a textarea sends CR LF).
BODY_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# WSGI headers are bytes read as Latin-1, so 0x80–0x9f there are UTF-8 bytes, not C1 characters.
HEADER_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f]")

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def shown(text: str) -> str:
    """`text` with its control characters written as \\xNN, so a message can name a field safely."""
    return ANY_CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else "\\ufffd", text)


class Refusal(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


def _json_strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """Every key and string in a parsed JSON document, with its path (`details.certificate_number`)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            inner = f"{path}.{key}" if path else str(key)
            yield inner, str(key)
            yield from _json_strings(item, inner)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _json_strings(item, f"{path}[{index}]")


def _leaf(path: str) -> str:
    """The field a JSON path ends in (`details.certificate_number` → `certificate_number`), which is the name
    the services report a nested value's errors under."""
    return re.sub(r"(\[\d+\])+$", "", path).rsplit(".", 1)[-1] or path


def _check_body(request: HttpRequest) -> None:
    content_type = (request.content_type or "").lower()
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if content_type in FORM_TYPES:
        fields: QueryDict
        if request.method == "POST":
            fields, files = request.POST, request.FILES
        elif content_type == FORM_TYPES[0]:
            fields, files = QueryDict(request.body, encoding=request.encoding), None
        else:
            fields, files = request.parse_file_upload(request.META, BytesIO(request.body))
        for name, values in fields.lists():
            if BODY_CONTROL.search(name):
                raise Refusal(shown(name), f"字段名“{shown(name)}”含有控制字符，请检查提交的内容")
            if any(BODY_CONTROL.search(v) for v in values):
                raise Refusal(name, f"“{name}”含有不允许的控制字符（如 NUL），请删除后重新提交")
        for name, uploads in (files.lists() if files is not None else ()):
            if any(ANY_CONTROL.search(upload.name or "") for upload in uploads):
                raise Refusal(shown(name), "上传文件的文件名含有控制字符，请重命名文件后再上传")
    elif "json" in content_type:
        try:
            document = json.loads(request.body)
        except ValueError:
            return  # not JSON: the view's parser answers that, in its own words
        for path, text in _json_strings(document, ""):
            if BODY_CONTROL.search(text):
                raise Refusal(shown(_leaf(path)), f"“{shown(path)}”含有不允许的控制字符（如 NUL），请删除后重新提交")


def _check(request: HttpRequest) -> None:
    if ANY_CONTROL.search(request.path):
        raise Refusal("path", "网址中含有控制字符（如 %00），请检查链接")
    for name, values in request.GET.lists():
        if ANY_CONTROL.search(name):
            raise Refusal(shown(name), f"查询参数名“{shown(name)}”含有控制字符，请检查链接")
        if any(ANY_CONTROL.search(v) for v in values):
            raise Refusal(name, f"查询参数“{name}”含有控制字符（如 %00），请检查后重试")
    for key, value in request.META.items():
        if key.startswith("HTTP_") and isinstance(value, str) and HEADER_CONTROL.search(value):
            header = key[5:].replace("_", "-").title()
            raise Refusal("detail", f"请求头“{header}”含有控制字符")
    _check_body(request)


def _drop_damaged_cookies(request: HttpRequest) -> None:
    for name in [n for n, v in request.COOKIES.items() if ANY_CONTROL.search(n) or ANY_CONTROL.search(v)]:
        del request.COOKIES[name]


class ControlCharacterMiddleware:
    """Answers 400 before the request reaches a view when any input holds a control character (see above).
    Comes before SessionMiddleware, so a damaged session cookie is gone before the session is looked up."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        _drop_damaged_cookies(request)
        try:
            _check(request)
        except Refusal as refusal:
            return self.refuse(request, refusal)
        return self.get_response(request)

    @staticmethod
    def refuse(request: HttpRequest, refusal: Refusal) -> HttpResponse:
        if request.path.startswith("/api/"):
            body: dict[str, Any] = (
                {"detail": refusal.message} if refusal.field in ("detail", "path") else {refusal.field: [refusal.message]}
            )
            return JsonResponse(body, status=400, json_dumps_params={"ensure_ascii": False})
        return render(request, "public/bad_input.html", {"message": refusal.message}, status=400)
