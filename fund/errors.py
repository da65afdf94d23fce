"""What a person sees when a page cannot be shown: 403, 404, 500 and a refused form (CSRF), in the site's
look and in Chinese, each saying what happened and where to go next. Under /api/ the same answers are JSON
({"detail": "…"}), because a program reads them.

DEBUG is off wherever people use the system, so these pages are what they see; Django's own pages are
English and, for 500, could show code.
"""

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"

# status → (page title, what happened, what to do); the page adds links to the home pages.
ERRORS: dict[int, tuple[str, str, str]] = {
    403: ("无权办理此项业务", "您当前的身份或岗位不能打开这个页面或办理这项业务。",
          "如需办理，请联系所在部门负责人调整岗位权限，或返回首页选择其他业务。"),
    404: ("页面不存在", "您要找的页面不存在，或您无权查看。",
          "请检查网址是否正确，或从首页重新进入。"),
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


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _answer(request, 403, ERRORS[403])


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
