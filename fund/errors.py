"""What a person sees when a page cannot be shown: 400, 403, 404, 500 and a refused form (CSRF), in the site's
look and in Chinese, each saying what happened and where to go next. Under /api/ the same answers are JSON
({"detail": "…"}), because a program reads them.

DEBUG is off wherever people use the system, so these pages are what they see; Django's own pages are
English and, for 500, could show code.
"""

import logging
import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
CHINESE = re.compile("[\u4e00-\u9fff]")

# status → (page title, what happened, what to do); the page adds links to the home pages.
ERRORS: dict[int, tuple[str, str, str]] = {
    400: ("请求无法处理", "系统无法处理这次请求：提交的内容过大、字段过多，或网址不完整。",
          "请返回上一页检查后重新提交；上传文件请控制在规定大小以内。"),
    403: ("无权办理此项业务", "您当前的身份或岗位不能打开这个页面或办理这项业务。",
          "如需办理，请联系所在部门负责人调整岗位权限，或返回首页选择其他业务。"),
    404: ("页面不存在", "您要找的页面不存在，或您无权查看。",
          "请检查网址是否正确，或从首页重新进入。"),
    405: ("无法以这种方式打开此页面", "这个地址只接受表单提交，不能直接在浏览器中打开。",
          "请返回上一页，通过页面上的按钮办理。"),
    500: ("系统暂时出现问题", "处理您的请求时系统出现了问题，您的操作可能没有完成。",
          "请稍后刷新重试；如涉及资金业务，请先到相应页面查看办理结果，不要重复提交。问题持续时请拨打 12329 服务热线。"),
}
CSRF_FAILED = ("页面已过期，请重新提交",
               "为保护您的账户安全，系统没有接受这次提交：页面停留过久、已在其他窗口退出或重新登录，都会这样。",
               "请返回上一页，刷新后重新填写提交；如果浏览器禁用了 Cookie，请先开启。")


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _answer(request: HttpRequest, status: int, texts: tuple[str, str, str], *, with_request: bool = True) -> HttpResponse:
    title, message, hint = texts
    if _is_api(request):
        return JsonResponse({"detail": message}, status=status, json_dumps_params={"ensure_ascii": False})
    context = {"status": status, "title": title, "message": message, "hint": hint,
               "centre_name": settings.FUND_CENTRE_NAME}
    template = loader.get_template("errors/error.html")
    # A 500 renders without the request's context processors: whatever failed (the database, a session) may
    # fail again in them, and this page must still come out.
    body = template.render(context, request if with_request else None)
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Without the request's context: what made it bad (a body too large, a host not allowed) may fail again.
    return _answer(request, 400, ERRORS[400], with_request=False)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # A refusal the code words for people ("您的岗位不能办理此业务") says more than the general sentence.
    title, message, hint = ERRORS[403]
    said = str(exception or "").strip()
    return _answer(request, 403, (title, said if CHINESE.search(said) else message, hint))


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _answer(request, 404, ERRORS[404])


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    try:
        return _answer(request, 500, ERRORS[500], with_request=False)
    except Exception:
        logger.exception("the error page itself failed")
        title, message, hint = ERRORS[500]
        return HttpResponse(f"<!DOCTYPE html><meta charset=utf-8><title>{title}</title><h1>{title}</h1>"
                            f"<p>{message}</p><p>{hint}</p><p><a href=\"/\">返回首页</a></p>",
                            status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _answer(request, 403, CSRF_FAILED)


class MethodNotAllowedPageMiddleware:
    """Django answers a GET to a form-only address (require_POST, a view's own 405) with an empty page; a
    person who opened it sees white. Give them the same page as the other errors, keeping the Allow header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or getattr(response, "streaming", False) or response.content:
            return response
        page = _answer(request, 405, ERRORS[405])
        if response.has_header("Allow"):
            page["Allow"] = response["Allow"]
        return page
