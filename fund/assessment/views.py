"""Pages of 窗口考核: the month's table (sortable by any column, server-side), its chart of scores, the Excel
export, and the weights with their history (the director sets new ones)."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from fund.exports import export_name, xlsx_response
from fund.people.models import Branch
from fund.portals.decorators import portal_required
from fund.ratings.chart import bar_chart
from fund.views import form_submit

from .exports import assessment_workbook
from .forms import MonthForm, WeightsForm
from .selectors import (
    Assessment,
    AssessmentRow,
    assessment_month,
    assessment_scope,
    plain,
    sort_codes,
    weight_map,
    weights_for_api,
    weights_history,
    weights_in_force,
    weights_may_edit,
)
from .services import weights_set

COLUMNS = [("name", "姓名"), ("branch", "管理部"), ("steps", "办理环节"), ("median", "时长中位数（分）"),
           ("on_time", "按时办结率"), ("late", "超时环节"), ("returns", "补正退回")]
RATING_COLUMNS = [("ratings", "评价数"), ("rating_avg", "平均星级"), ("good", "好评"), ("bad", "差评"), ("score", "得分")]


def _month(request: HttpRequest) -> date:
    form = MonthForm(request.GET or None)
    if form.is_bound and form.is_valid() and form.cleaned_data["month"]:
        return form.cleaned_data["month"]
    if form.is_bound and not form.is_valid():
        for error in form.errors.get("month", []):
            messages.error(request, f"考核月份：{error}")
    return timezone.localdate().replace(day=1)


def _branch_id(request: HttpRequest) -> int | None:
    raw = request.GET.get("branch", "")
    if not raw:
        return None
    if raw.isdigit() and Branch.objects.filter(pk=int(raw)).exists():
        return int(raw)
    messages.error(request, "管理部：请选择列表中的管理部")
    return None


def _sort(request: HttpRequest) -> str:
    sort = request.GET.get("sort", "-score")
    if sort.lstrip("-") in sort_codes():
        return sort
    messages.error(request, "排序：不支持按此列排序，已按得分排序")
    return "-score"


def load(request: HttpRequest) -> Assessment:
    return assessment_month(request.user, month=_month(request), branch_id=_branch_id(request), sort=_sort(request))


def score_chart(assessment: Assessment) -> Any:
    base = assessment.weights.base
    rows = [(r.name, r.score, plain(r.score), "bad" if r.score < base else "good") for r in assessment.rows]
    return bar_chart(rows, caption=f"{assessment.month:%Y年%m月} 考核得分（基础分 {plain(base)}）")


def _heads(assessment: Assessment, query: dict[str, Any]) -> list[dict[str, Any]]:
    """Each column's head: a link sorting by it (descending first for figures, ascending for names; again to
    turn it round), and the arrow of the current sort."""
    columns = [*COLUMNS, *((f"source:{s.code}", s.label) for s in assessment.sources), *RATING_COLUMNS]
    heads = []
    for code, label in columns:
        first = code if code in ("name", "branch") else f"-{code}"
        current = assessment.sort.lstrip("-") == code
        following = (code if assessment.sort.startswith("-") else f"-{code}") if current else first
        heads.append({"code": code, "label": label, "href": "?" + urlencode({**query, "sort": following}),
                      "arrow": ("↓" if assessment.sort.startswith("-") else "↑") if current else ""})
    return heads


def _cells(row: AssessmentRow, assessment: Assessment) -> list[Any]:
    return [row.name, row.branch, row.steps, row.median_minutes if row.median_minutes is not None else "—",
            row.on_time_pct, row.late, row.returns, *(row.sources.get(s.code, 0) for s in assessment.sources),
            row.ratings, row.rating_avg if row.rating_avg is not None else "—", row.good, row.bad,
            plain(row.score)]


@portal_required("staff")
def staff_assessment(request: HttpRequest) -> HttpResponse:
    assessment = load(request)
    query = {"month": f"{assessment.month:%Y-%m}"}
    if assessment.scope.chooses_branch and assessment.branch is not None:
        query["branch"] = str(assessment.branch.pk)
    return render(request, "assessment/staff/assessment.html", {
        "assessment": assessment, "heads": _heads(assessment, query), "chart": score_chart(assessment),
        "table": [{"row": r, "cells": _cells(r, assessment),
                   "steps_title": "、".join(f"{label} {n}" for label, n in r.steps_by_label)} for r in assessment.rows],
        "export_href": "?" + urlencode({**query, "sort": assessment.sort}), "month_text": query["month"],
        "branches": Branch.objects.order_by("code") if assessment.scope.chooses_branch else [],
        "current_sort": assessment.sort, "base_text": plain(assessment.weights.base), "may_edit_weights": weights_may_edit(request.user),
    })


@portal_required("staff")
def staff_assessment_export(request: HttpRequest) -> HttpResponse:
    assessment = load(request)
    return xlsx_response(assessment_workbook(assessment), export_name(f"窗口考核-{assessment.month:%Y%m}"))


@portal_required("staff")
def staff_weights(request: HttpRequest) -> HttpResponse:
    assessment_scope(request.user)  # staff only (404 otherwise)
    may_edit = weights_may_edit(request.user)
    current = weights_in_force(timezone.localdate())
    form = None
    if may_edit:
        form = WeightsForm(request.POST or None, initial={"effective_from": f"{timezone.localdate():%Y-%m}",
                                                           "base": plain(current.base)},
                           initial_weights={k: plain(v) for k, v in weight_map(current).items()})
        done = form_submit(request, form, lambda d: weights_set(
            actor=request.user, effective_from=d["effective_from"], base=d["base"], weights=form.weights(),
            note=d.get("note", "")), done="考核权重已保存", then="staff:assessment_weights")
        if done:
            return done
    elif request.method == "POST":
        messages.error(request, "只有分管副主任/主任可以调整考核权重")
    return render(request, "assessment/staff/weights.html", {
        "form": form, "history": [weights_for_api(w) for w in weights_history()], "current": weights_for_api(current),
    })
