"""Policy pages for staff: the table in force today, and each policy's history with the scheduling form."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from fund.people.roles import roles_of
from fund.views import form_submit

from .definitions import PolicyDefinition
from .forms import PolicyScheduleForm, PolicyWithdrawForm
from .models import PolicyValue
from .selectors import (
    policy_can_manage,
    policy_definition_get_or_404,
    policy_history,
    policy_row_in_force,
    policy_table,
)
from .services import policy_value_set, policy_value_withdraw

View = Callable[..., HttpResponse]


def staff_required(view: View) -> View:
    """Signed in, and a member of staff (any post reads policy)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not roles_of(request.user).is_staff:
            raise PermissionDenied("仅限中心工作人员访问")
        return view(request, *args, **kwargs)

    return wrapper


def _schedule_form(definition: PolicyDefinition, data: Any = None) -> PolicyScheduleForm:
    return PolicyScheduleForm(data, choices=definition.choices, unit=definition.unit)


@staff_required
def policy_table_view(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(request, "policy/table.html", {"rows": policy_table(today), "today": today})


@staff_required
@require_http_methods(["GET", "POST"])
def policy_detail_view(request: HttpRequest, name: str) -> HttpResponse:
    definition = policy_definition_get_or_404(name)
    if definition.name != name:
        return redirect("policy:detail", name=definition.name)
    can_manage = policy_can_manage(request.user)
    form = _schedule_form(definition)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("只有全中心范围的分管副主任/主任可以调整政策参数")
        form = _schedule_form(definition, request.POST)
        if response := form_submit(
            request, form,
            lambda data: policy_value_set(
                name=definition.name, value=definition.from_display(data["value"]),
                effective_from=data["effective_from"], note=data["note"], actor=request.user,
            ),
            done=f"已安排{definition.label}的新值", then=lambda _: redirect("policy:detail", name=definition.name),
        ):
            return response
    current = policy_row_in_force(definition.name)
    return render(
        request,
        "policy/detail.html",
        {
            "definition": definition,
            "current": current,
            "history": policy_history(definition.name),
            "can_manage": can_manage,
            "form": form,
            "withdraw_form": PolicyWithdrawForm(),
            "input_hint": "按百分数填写，如 2.10 表示 2.10%" if definition.is_percent else "",
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_required
@require_POST
def policy_withdraw_view(request: HttpRequest, name: str, pk: int) -> HttpResponse:
    definition = policy_definition_get_or_404(name)
    form = PolicyWithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写撤回原因")
        return redirect("policy:detail", name=definition.name)
    try:
        policy_value_withdraw(value_id=pk, name=definition.name, reason=form.cleaned_data["reason"], actor=request.user)
    except PolicyValue.DoesNotExist as exc:
        raise Http404("未找到该政策值") from exc
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已撤回尚未生效的值")
    return redirect("policy:detail", name=definition.name)
