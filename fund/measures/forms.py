"""The dashboard's filters (period, branch, item), read the same way by the page, the export and the API: a bad
value is said in Chinese naming the field, never a 500."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms

from fund.dates import add_months, months_between

from .selectors import MAX_MONTHS, measures_branches

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
DEFAULT_MONTHS = 12


class MonthInput(forms.CharField):
    """"2026-03" → date(2026, 3, 1)."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-03"})

    def to_python(self, value: Any) -> date | None:  # type: ignore[override]
        text = (value or "").strip()
        if not text:
            return None
        match = MONTH.match(text)
        if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 2000:
            raise forms.ValidationError("年月格式应为 2026-03")
        return date(int(match.group(1)), int(match.group(2)), 1)


class MeasuresForm(forms.Form):
    start = MonthInput(label="起始年月", required=False)
    end = MonthInput(label="截止年月", required=False)
    # A number, not a choice: a branch outside the user's scope is answered 404 by the selector, as a missing
    # one is (a choice field would answer "not a valid choice" for one and not the other's existence).
    branch = forms.IntegerField(label="管理部", required=False, min_value=1, widget=forms.Select)
    item = forms.CharField(label="事项编码", required=False, max_length=20,
                           widget=forms.TextInput(attrs={"placeholder": "如 TQ-07", "list": "measures-items"}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        branches = measures_branches(user)
        choices = [(b.pk, b.name) for b in branches]
        self.fields["branch"].widget.choices = ([("", "全中心")] if len(branches) > 1 else []) + choices

    def clean_item(self) -> str:
        item = (self.cleaned_data.get("item") or "").strip().upper()
        if item and not re.fullmatch(r"[A-Z0-9-]+", item):
            raise forms.ValidationError("事项编码只能包含字母、数字和短横线，如 TQ-07")
        return item

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", "截止年月不能早于起始年月")
            elif months_between(start, end) > MAX_MONTHS:
                self.add_error("end", f"统计期间最长 {MAX_MONTHS} 个月")
        return data


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    branch_id: int | None
    item_code: str


def default_period(today: date) -> tuple[date, date]:
    """The twelve whole months before this one: a month under way would read as a fall in every count (its
    applications are still coming in) and has no month-end figure yet; it can be chosen."""
    end = add_months(today.replace(day=1), -1)
    return add_months(end, 1 - DEFAULT_MONTHS), end


def period_from(form: MeasuresForm, today: date) -> Period:
    """The valid form's choices with the defaults filled in: one bound missing is counted twelve months from
    the other (not past this month); none, the twelve whole months before this one."""
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    start, end = data.get("start"), data.get("end")
    if start is None and end is None:
        start, end = default_period(today)
    elif start is None:
        assert end is not None
        start = add_months(end, 1 - DEFAULT_MONTHS)
    elif end is None:
        end = min(add_months(start, DEFAULT_MONTHS - 1), max(start, today.replace(day=1)))
    if not form.is_bound:  # the month inputs show the period the figures are of
        form.initial.update(start=f"{start:%Y-%m}", end=f"{end:%Y-%m}")
    return Period(start=start, end=end, branch_id=data.get("branch"), item_code=data.get("item") or "")


def form_errors(form: forms.Form) -> dict[str, list[str]]:
    """The form's errors by field, each starting with the field's Chinese label (for the API's 400)."""
    return {name: [f"{form.fields[name].label}：{e}" if name in form.fields else str(e) for e in errors]
            for name, errors in form.errors.items()}
