from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from fund.people.roles import Roles, roles_of

ROLE_CHECKS: dict[str, Callable[[Roles], bool]] = {
    "staff": lambda r: r.is_staff,
    "unit": lambda r: r.is_unit_operator,
    "member": lambda r: r.is_member,
    "developer": lambda r: r.is_developer,
    "bank": lambda r: r.is_bank_operator,
}


def portal_required(portal: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Sign-in required; a user without the portal's role is told the page does not exist (404)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            roles = roles_of(request.user)
            if not ROLE_CHECKS[portal](roles):
                raise Http404("未找到，或您无权访问")
            # Portal views read the roles from the request; HttpRequest declares no such attribute.
            request.roles = roles  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def accept_post_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For window business that writes: the 受理 post (or a director). Use inside portal_required("staff")."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not roles_of(request.user).can_accept:
            raise PermissionDenied("您的岗位不能办理此业务")
        return view(request, *args, **kwargs)

    return wrapped


def accept_writes_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page any staff member may read whose form only the 受理 post (or a director) may send."""
    guarded = accept_post_required(view)

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return (guarded if request.method == "POST" else view)(request, *args, **kwargs)

    return wrapped
