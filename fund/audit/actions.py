"""The Chinese names of audit action codes and of the keys and values in an event's old/new record.

An audit row stores a dotted code ("deposits.roster.exported") and plain JSON, which is what a query needs;
a person reads "导出单位职工名册" and "行数: 21". Each app registers the names of the codes it writes (in its
AppConfig.ready), so the core never imports a business app and a new code without a name is caught by a test.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from .masking import mask_text

# A moment as the JSON encoder writes it ("2026-12-03T10:15:30.123+08:00"): shown to the minute, in local time.
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")

_ACTIONS: dict[str, str] = {}
_KEYS: dict[str, str] = {}
_VALUES: dict[tuple[str, str], dict[str, str]] = {}  # (action prefix, key) → value → label


def register_actions(names: Mapping[str, str]) -> None:
    """Name action codes: {"deposits.member.opened": "职工开户"}."""
    _ACTIONS.update(names)


def register_audit_keys(names: Mapping[str, str]) -> None:
    """Name the keys an app writes into old/new: {"base": "缴存基数"}."""
    _KEYS.update(names)


def register_audit_values(
    key: str, labels: Mapping[str, str] | Iterable[tuple[Any, str]] | Any, *, prefix: str = ""
) -> None:
    """Name the coded values of one key: a mapping, (value, label) pairs, or a Django Choices class. With
    `prefix`, only for actions starting with it (a withdrawal's "approved" is not a unit request's)."""
    pairs = getattr(labels, "choices", labels)
    items = pairs.items() if isinstance(pairs, Mapping) else pairs
    _VALUES.setdefault((prefix, key), {}).update({str(value): str(label) for value, label in items})


def action_families() -> list[tuple[str, str]]:
    """The top-level codes (one per business line) and their names, for a filter."""
    return sorted((code, name) for code, name in _ACTIONS.items() if "." not in code)


def action_known(code: str) -> bool:
    return code in _ACTIONS


def action_label(code: str) -> str:
    """The Chinese name of `code`; an unnamed code shows its nearest named parent and the rest as written
    (a test keeps every code the sources write named, so this is only for rows from older versions)."""
    if code in _ACTIONS:
        return _ACTIONS[code]
    parts = code.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        parent = ".".join(parts[:cut])
        if parent in _ACTIONS:
            return f"{_ACTIONS[parent]}（{'.'.join(parts[cut:])}）"
    return code


def key_label(key: str) -> str:
    return _KEYS.get(key, key)


def _value_names(action: str, key: str) -> dict[str, str]:
    best: tuple[int, dict[str, str]] = (-1, {})
    for (prefix, k), names in _VALUES.items():
        if k == key and action.startswith(prefix) and len(prefix) > best[0]:
            best = (len(prefix), names)
    return best[1]


def value_label(key: str, value: Any, action: str = "") -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):
        return "；".join(f"{key_label(k)}：{value_label(k, v, action)}" for k, v in value.items())
    if isinstance(value, list):
        return "、".join(value_label(key, v, action) for v in value) or "—"
    if isinstance(value, str) and _MOMENT.match(value):
        return moment_label(value)
    return mask_text(_value_names(action, key).get(str(value), str(value)))


def moment_label(value: str) -> str:
    """An ISO timestamp from a stored record as a person reads it: "2026-12-03 10:15" in local time."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return f"{moment:%Y-%m-%d %H:%M}"


@dataclass(frozen=True)
class Change:
    label: str
    old: str | None  # None: the key was not in the old record
    new: str | None


def changes(old: Any, new: Any, action: str = "") -> list[Change]:
    """The old and new records side by side as label/value rows, in the order they were written."""
    old_d = old if isinstance(old, dict) else ({} if old is None else {"value": old})
    new_d = new if isinstance(new, dict) else ({} if new is None else {"value": new})
    keys = list(old_d) + [k for k in new_d if k not in old_d]
    return [
        Change(key_label(k), value_label(k, old_d[k], action) if k in old_d else None,
               value_label(k, new_d[k], action) if k in new_d else None)
        for k in keys
    ]


# Keys the core itself and more than one line write.
register_audit_keys({
    "value": "值", "state": "状态", "status": "状态", "reason": "原因", "branch": "管理部", "opinion": "审核意见",
    "name": "名称", "month": "月份", "amount": "金额", "year": "年度", "rows": "行数", "paid_up_to": "缴至年月",
    "letter": "联系函", "kind": "种类", "card": "银行卡", "attempt": "尝试次数", "reference": "业务编号",
    "processed": "已处理", "number": "编号", "note": "备注", "entry": "记账凭证", "effective_from": "生效日期",
    "bill": "缴存核定单", "balance": "余额", "account": "账户", "withdrawn_at": "撤回时间", "via": "渠道",
    "username": "用户名", "until": "截至", "unit": "单位", "to": "目标状态", "title": "标题", "target": "对象",
    "subject": "业务", "step": "环节", "special": "特殊情形", "serial": "流水号", "principal": "本金",
    "posts": "岗位", "person": "个人", "perm": "权限", "payout": "支付", "object": "对象", "limit": "限额",
    "lifted_by": "解除人", "lifted_at": "解除时间", "interest": "利息", "instruction": "支付指令",
    "id_number": "证件号码", "heartbeat_at": "心跳时间", "from_centre": "转出中心", "file_name": "文件名",
    "file": "文件", "failure": "失败原因", "expires_at": "到期时间", "errors": "错误", "error": "错误",
    "employer": "单位", "due_on": "办结期限", "deposits": "缴存", "deposit": "缴存", "decision": "审核结论",
    "credit_code": "统一社会信用代码", "channel": "渠道", "centre_wide": "全中心", "base": "缴存基数",
    "unit_monthly": "单位月缴存额", "member_monthly": "个人月缴存额", "unit_ratio": "单位缴存比例",
    "member_ratio": "个人缴存比例", "backpay_state": "补缴状态", "refund_state": "退款状态",
    "social_insurance_call": "社保核验调用", "phone": "手机号码", "count": "数量", "total": "合计",
    "date": "日期", "on": "日期", "call_id": "外部调用", "code": "代码", "token": "令牌", "old": "原值", "new": "新值",
    "application": "申请", "from": "转出方", "source": "来源",
})
register_audit_values("decision", {"pass": "同意", "reject": "不同意"})
