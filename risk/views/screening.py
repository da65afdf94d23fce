"""Pages of the electronic audit: the queue (稽核工作台), a hit (evidence, confirm / dismiss / rectification),
and the rules (list, add over a check, switch on/off from a date)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from fund.audit.actions import key_label, value_label
from fund.filters import page_filtered
from fund.portals.decorators import portal_required
from fund.views import form_submit
from fund.workflow.moves import status_history

from ..models import HIT_STANDING, HitState
from ..screening.registry import Level, checks
from ..selectors.hits import (
    HitFilter,
    hit_get_for_user,
    hits_for_user,
    hits_may_work,
    queue_summary,
    rule_get_for_user,
    rules_for_user,
)
from ..services import screening as services


class OpinionForm(forms.Form):
    opinion = forms.CharField(label="稽核意见", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class RectifyRequestForm(forms.Form):
    request = forms.CharField(label="整改要求", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    due = forms.DateField(label="整改期限", widget=forms.DateInput(attrs={"type": "date"}))


class RectifiedForm(forms.Form):
    rectification = forms.CharField(label="整改情况", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class RuleAddForm(forms.Form):
    check = forms.ChoiceField(label="检查项", choices=())
    code = forms.CharField(label="规则编号", max_length=60, help_text="字母、数字、点、下划线，如 city.correction_20000")
    label = forms.CharField(label="规则名称", max_length=80)
    level = forms.ChoiceField(label="风险等级", choices=Level.choices)
    params = forms.JSONField(label="参数", required=False, help_text="JSON 对象，覆盖检查项默认参数，如 {\"amount\": \"20000\"}")
    effective_from = forms.DateField(label="生效日期", widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(label="规则说明", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["check"].choices = [(c.code, f"{c.label}（{c.code}）") for c in checks()]


class RuleSwitchForm(forms.Form):
    on = forms.TypedChoiceField(label="操作", choices=[("1", "启用"), ("0", "停用")], coerce=lambda v: v == "1")
    from_date = forms.DateField(label="自该日起", widget=forms.DateInput(attrs={"type": "date"}))


def evidence_rows(evidence: dict[str, Any] | None) -> list[tuple[str, str]]:
    """A hit's evidence as (Chinese name, readable value) rows: the names the audit log uses (fund.audit.actions)."""
    return [(key_label(key), value_label(key, value)) for key, value in sorted((evidence or {}).items())]


def _bars(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    top = max([row["count"] for row in rows] + [1])
    return [{"label": row["label"], "value": row["count"], "percent": round(row["count"] * 100 / top)} for row in rows]


@portal_required("staff")
def staff_audit_queue(request: HttpRequest) -> HttpResponse:
    mine = hits_for_user(request.user)
    data = request.GET if request.GET else {"state": "standing"}
    filters, hits = page_filtered(request, HitFilter, mine, data=data)
    page = Paginator(hits.order_by("-level", "found_at", "id"), 30).get_page(request.GET.get("page"))
    today = timezone.localdate()
    summary = queue_summary(request.user, on=today)
    return render(request, "risk/staff/audit_queue.html", {
        "page_obj": page, "filter_form": filters.form, "summary": summary,
        "level_bars": _bars(summary["by_level"]), "age_bars": _bars(summary["by_age"]),
        "today": today, "can_work": hits_may_work(request.user), "Standing": HIT_STANDING,
    })


@portal_required("staff")
def staff_audit_hit(request: HttpRequest, pk: int) -> HttpResponse:
    hit = hit_get_for_user(request.user, pk)
    today = timezone.localdate()
    return render(request, "risk/staff/audit_hit.html", {
        "hit": hit, "subject": hit.subject, "history": status_history(hit), "can_work": hits_may_work(request.user),
        "standing": hit.state in HIT_STANDING, "States": HitState, "today": today,
        "opinion_form": OpinionForm(), "rectify_form": RectifyRequestForm(initial={"due": today}),
        "rectified_form": RectifiedForm(), "evidence": evidence_rows(hit.evidence),
    })


def _hit_action(request: HttpRequest, pk: int, form_class: type[forms.Form], run: Any, done: str) -> HttpResponse:
    hit = hit_get_for_user(request.user, pk)
    form = form_class(request.POST)
    if response := form_submit(request, form, lambda data: run(hit, data), done=done,
                               then=lambda _hit: redirect("staff:risk-audit-hit", pk=hit.pk)):
        return response
    return render(request, "risk/staff/audit_hit.html", {
        "hit": hit, "subject": hit.subject, "history": status_history(hit), "can_work": hits_may_work(request.user),
        "standing": hit.state in HIT_STANDING, "States": HitState, "today": timezone.localdate(),
        "opinion_form": form if form_class is OpinionForm else OpinionForm(),
        "rectify_form": form if form_class is RectifyRequestForm else RectifyRequestForm(),
        "rectified_form": form if form_class is RectifiedForm else RectifiedForm(),
        "evidence": evidence_rows(hit.evidence),
    }, status=400)


@portal_required("staff")
@require_POST
def staff_audit_hit_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _hit_action(request, pk, OpinionForm, lambda hit, d: services.hit_confirm(
        actor=request.user, hit=hit, opinion=d["opinion"]), "已确认违规")


@portal_required("staff")
@require_POST
def staff_audit_hit_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    return _hit_action(request, pk, OpinionForm, lambda hit, d: services.hit_dismiss(
        actor=request.user, hit=hit, opinion=d["opinion"]), "已排除疑点；暂停的付款将恢复")


@portal_required("staff")
@require_POST
def staff_audit_hit_rectify_request(request: HttpRequest, pk: int) -> HttpResponse:
    return _hit_action(request, pk, RectifyRequestForm, lambda hit, d: services.hit_request_rectification(
        actor=request.user, hit=hit, request=d["request"], due=d["due"]), "已下发整改")


@portal_required("staff")
@require_POST
def staff_audit_hit_rectified(request: HttpRequest, pk: int) -> HttpResponse:
    return _hit_action(request, pk, RectifiedForm, lambda hit, d: services.hit_rectify(
        actor=request.user, hit=hit, rectification=d["rectification"]), "已登记整改完成")


@require_http_methods(["GET", "POST"])
@portal_required("staff")
def staff_audit_rules(request: HttpRequest) -> HttpResponse:
    rules = rules_for_user(request.user)
    can_manage = services.rules_may_manage(request.user)
    form = RuleAddForm(request.POST or None, initial={"effective_from": timezone.localdate(), "level": Level.DOUBT})
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("只有稽核岗可以设置稽核规则")
        if response := form_submit(request, form, lambda d: services.rule_add(actor=request.user, **d),
                                   done=lambda rule: f"已新增稽核规则 {rule.code}", then="staff:risk-audit-rules"):
            return response
    today = timezone.localdate()
    return render(request, "risk/staff/audit_rules.html", {
        "rules": [(rule, rule.in_force(today)) for rule in rules], "form": form, "can_manage": can_manage,
        "switch_form": RuleSwitchForm(initial={"from_date": today}), "today": today,
    }, status=400 if request.method == "POST" else 200)


@portal_required("staff")
@require_POST
def staff_audit_rule_switch(request: HttpRequest, pk: int) -> HttpResponse:
    rule = rule_get_for_user(request.user, pk)
    form = RuleSwitchForm(request.POST)
    if response := form_submit(request, form, lambda d: services.rule_switch(actor=request.user, rule=rule, **d),
                               done=lambda r: f"规则 {r.code} 已{'启用' if r.enabled and r.effective_until is None else '停用'}"
                                              f"（自 {form.cleaned_data['from_date']:%Y-%m-%d} 起）",
                               then="staff:risk-audit-rules"):
        return response
    return redirect("staff:risk-audit-rules")
