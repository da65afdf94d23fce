from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fund.audit.actions import action_families
from fund.audit.filters import AuditEventFilter
from fund.audit.models import AuditEvent
from fund.filters import page_filtered
from fund.people.roles import roles_of
from fund.people.selectors import staff_scope

from .decorators import portal_required
from .notices import NOTICES, notice_get
from .panels import panels_for


def public_home(request: HttpRequest) -> HttpResponse:
    return render(request, "public/home.html", {"notices": NOTICES[:5]})


def public_notices(request: HttpRequest) -> HttpResponse:
    return render(request, "public/notices.html", {"notices": NOTICES})


def public_notice(request: HttpRequest, slug: str) -> HttpResponse:
    notice = notice_get(slug)
    if notice is None:
        raise Http404("未找到该通知")
    return render(request, "public/notice.html", {"notice": notice})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """After sign-in: straight to the user's first portal."""
    portals = roles_of(request.user).portals
    if not portals:
        return render(request, "portals/no_role.html", status=403)
    return redirect(portals[0][0])


def _portal_home(portal: str, title: str) -> Callable[[HttpRequest], HttpResponse]:
    @portal_required(portal)
    def view(request: HttpRequest) -> HttpResponse:
        return render(
            request, f"portals/{portal}_home.html", {"panels": panels_for(portal, request), "page_title": title}
        )

    view.__name__ = f"{portal}_home"
    return view


staff_home = _portal_home("staff", "工作台")
unit_home = _portal_home("unit", "单位网厅")
member_home = _portal_home("member", "个人网厅")
developer_home = _portal_home("developer", "开发企业服务")
bank_home = _portal_home("bank", "受托银行服务")


@portal_required("staff")
def staff_audit(request: HttpRequest) -> HttpResponse:
    """审计日志: what was done in the user's branch (everything, for centre-wide posts)."""
    is_staff, branch_id = staff_scope(request.user)
    events = AuditEvent.objects.select_related("actor").order_by("-at", "-id")
    if branch_id is not None:
        events = events.filter(actor__staff_profile__branch_id=branch_id)
    _, events = page_filtered(request, AuditEventFilter, events)
    action = request.GET.get("action", "").strip().rstrip(".")
    page = Paginator(events, 30).get_page(request.GET.get("page"))
    return render(request, "portals/staff_audit.html",
                  {"page_obj": page, "action": action, "families": action_families()})
