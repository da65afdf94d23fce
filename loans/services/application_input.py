"""The loan application's input, checked field by field with a Chinese message naming each (the intake in
`applications` asks the outside systems and writes; this module only reads what was typed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from fund.money import clean_amount, format_money
from fund.policy.selectors import policy_value
from fund.validation import (
    clean_address,
    clean_bank_account,
    clean_into,
    clean_line,
    clean_org_name,
    clean_person_name,
    clean_resident_id,
)

from ..models import HomeKind, Product, Relation, RepaymentMethod


def int_field(errors: dict[str, list[str]], name: str, raw: Any, *, label: str, low: int, high: int,
         required: bool = True, high_message: str = "") -> int | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            errors[name] = [f"请填写{label}"]
        return None
    if isinstance(raw, bool) or isinstance(raw, float) and not raw.is_integer():
        errors[name] = [f"{label}必须是整数"]
        return None
    try:
        value = int(str(raw).strip()) if not isinstance(raw, float) else int(raw)
    except (TypeError, ValueError):
        errors[name] = [f"{label}必须是整数"]
        return None
    if value < low:
        errors[name] = [f"{label}不能小于 {low}"]
        return None
    if value > high:
        errors[name] = [high_message or f"{label}不能大于 {high}"]
        return None
    return value


def choice_field(errors: dict[str, list[str]], name: str, raw: Any, choices: Any, *, label: str, default: str = "") -> str:
    value = str(raw or default)
    if value not in choices.values:
        errors[name] = [f"{label}只能是：" + "、".join(f"{v}（{lb}）" for v, lb in choices.choices)]
        return ""
    return value


def clean_fields(fields: dict[str, Any], errors: dict[str, list[str]], *, today: date) -> dict[str, Any]:
    """The application's own fields, each checked with a message naming it; what the model stores."""
    f = fields or {}
    out: dict[str, Any] = {}
    kind = choice_field(errors, "home_kind", f.get("home_kind"), HomeKind, label="房屋类型")
    out["home_kind"] = kind
    out["home_address"] = clean_into(errors, "home_address", clean_address, f.get("home_address"), label="房屋坐落") or ""
    out["certificate_number"] = clean_into(errors, "certificate_number", clean_line, f.get("certificate_number"),
                                           label="不动产权证号", max_length=60, required=False) or ""
    out["purchase_contract"] = clean_into(errors, "purchase_contract", clean_line, f.get("purchase_contract"),
                                          label="购房合同/网签备案号", max_length=60, required=False) or ""
    if kind in (HomeKind.SECOND_HAND, HomeKind.SELF_BUILD) and not out["certificate_number"] \
            and "certificate_number" not in errors:
        errors["certificate_number"] = ["请填写所购（自建）房屋的不动产权证号"]
    price = clean_into(errors, "price", clean_amount, f.get("price"), label="房屋总价")
    out["price"] = price
    area = f.get("area")
    if area not in (None, ""):
        value = clean_into(errors, "area", clean_amount, area, label="建筑面积")
        if value is not None and value > Decimal("10000"):
            errors["area"] = ["建筑面积不能超过 10000 ㎡"]
        out["area"] = value
    year = int_field(errors, "building_year", f.get("building_year"), label="建成年份", low=1900, high=today.year,
                required=kind == HomeKind.SECOND_HAND, high_message=f"建成年份不能晚于今年（{today.year} 年）")
    out["building_year"] = year
    for name, label in (("seller_name", "收款人（售房人）"), ("seller_bank", "收款开户行")):
        out[name] = clean_into(errors, name, clean_line, f.get(name), label=label, max_length=120,
                               required=kind == HomeKind.SECOND_HAND) or ""
    # The agent is optional (a sale between people has none); risk counts bursts of small sales by agent.
    out["agent_name"] = ""
    if kind == HomeKind.SECOND_HAND:
        out["agent_name"] = clean_into(errors, "agent_name", clean_org_name, f.get("agent_name"), label="经纪机构",
                                       required=False) or ""
    out["seller_account"] = clean_into(errors, "seller_account", clean_bank_account, f.get("seller_account"),
                                       label="收款账号", required=kind == HomeKind.SECOND_HAND) or ""
    out["monthly_income"] = clean_into(errors, "monthly_income", clean_amount, f.get("monthly_income"),
                                       label="家庭月收入")
    asked = clean_into(errors, "amount_requested", clean_amount, f.get("amount_requested"), label="申请金额")
    out["amount_requested"] = asked
    if asked is not None and price is not None and asked > price:
        errors["amount_requested"] = [f"申请金额不能超过房屋总价 {format_money(price)} 元"]
    max_years = int(policy_value("loan_max_term_years", on=today))
    shortest = int(policy_value("loan_min_term_months", on=today))
    out["term_months"] = int_field(errors, "term_months", f.get("term_months"), label="贷款期限（月）", low=shortest,
                              high=max_years * 12,
                              high_message=f"贷款期限不能超过 {max_years} 年（{max_years * 12} 个月）")
    out["method"] = choice_field(errors, "method", f.get("method"), RepaymentMethod, label="还款方式",
                            default=RepaymentMethod.EQUAL_INSTALMENT)
    out["product"] = choice_field(errors, "product", f.get("product"), Product, label="贷款品种", default=Product.ORDINARY)
    if out["product"] == Product.COMBINATION:
        out["commercial_amount"] = clean_into(errors, "commercial_amount", clean_amount, f.get("commercial_amount"),
                                              label="商业贷款部分")
    if out["product"] in (Product.COMBINATION, Product.CONVERSION):
        out["commercial_bank"] = clean_into(errors, "commercial_bank", clean_line, f.get("commercial_bank"),
                                            label="商业贷款银行", max_length=120) or ""
    return out


@dataclass
class CoInput:
    id_number: str
    name: str
    relation: str
    monthly_income: Decimal


def clean_co_borrowers(rows: Any, errors: dict[str, list[str]], borrower_id: str, *, today: date) -> list[CoInput]:
    """Co-borrowers as typed: ID number checked (GB 11643), name, relation, income. The identity registry is
    asked later (`applications`), , outside any transaction."""
    if rows in (None, ""):
        return []
    if not isinstance(rows, list | tuple):
        errors["co_borrowers"] = ["共同借款人（co_borrowers）应为列表"]
        return []
    most = int(policy_value("loan_max_co_borrowers", on=today))
    if len(rows) > most:
        errors["co_borrowers"] = [f"共同借款人不能超过 {most} 人"]
        return []
    out: list[CoInput] = []
    messages: list[str] = []
    seen: set[str] = set()
    for i, row in enumerate(rows, start=1):
        who = f"第{i}位共同借款人"
        if not isinstance(row, dict):
            messages.append(f"{who}的信息格式不正确")
            continue
        try:
            number = clean_resident_id(str(row.get("id_number") or "")).number
        except ValidationError as exc:
            messages.extend(f"{who}身份证号码：{m}" for m in exc.messages)
            continue
        if number == borrower_id:
            messages.append(f"{who}不能是借款人本人")
            continue
        if number in seen:
            messages.append(f"{who}与前面的共同借款人重复")
            continue
        seen.add(number)
        row_errors: dict[str, list[str]] = {}
        name = clean_into(row_errors, "name", clean_person_name, row.get("name"), label=f"{who}姓名") or ""
        relation = choice_field(row_errors, "relation", row.get("relation"), Relation, label=f"{who}与借款人关系")
        income = clean_into(row_errors, "monthly_income", clean_amount, row.get("monthly_income"),
                            label=f"{who}月收入", required=False)
        for msgs in row_errors.values():
            messages.extend(msgs)
        out.append(CoInput(number, name, relation, income or Decimal("0.00")))
    if messages:
        errors["co_borrowers"] = messages
    return out
