"""The estimator's input (额度试算): what a person types, checked field by field, and the member's own figures.

`estimate_input_clean` is the one check the public page, the developer's page and the anonymous API share: a
refusal is a ValidationError naming each bad field in Chinese (a 400 from the API), never a 500.
`member_estimate` fills in what the centre knows about a signed-in member — birth date and sex, balance,
spouse (marriage registry), existing debt (credit reports), the home order (property registry) — so the member
types only the home, the term and the income.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from deposits.models import ACTIVE_MEMBER_STATES, MemberAccount
from fund.integrations import marriage_registry
from fund.money import FEN, ZERO, to_decimal
from fund.people.models import Person
from fund.policy.selectors import policy_value
from fund.validation import clean_resident_id

from ..models import HomeKind, HomeOrder, Product, Project
from .assessment import HouseholdFigures, estimate, household_figures
from .eligibility import EligibilitySubject, Verdict, eligibility_check, subsidy_check
from .quota import QuotaInput, QuotaResult

PRICE_MAX = Decimal("100000000")  # 1 亿元: no home this centre lends on costs more
INCOME_MAX = Decimal("10000000")
BALANCE_MAX = Decimal("100000000")
CO_BORROWERS_MAX = 5
LABELS = {
    "price": "房屋总价", "home_kind": "房屋类型", "home_order": "首套/二套", "monthly_income": "家庭月收入",
    "monthly_debt": "现有月还款额", "balance": "借款人公积金账户余额", "co_borrower_balances": "共同借款人账户余额",
    "term_months": "贷款期限（月）", "term_years": "贷款期限（年）", "id_number": "借款人身份证号码",
    "birth_date": "借款人出生日期", "sex": "借款人性别", "building_year": "房屋建成年份", "product": "贷款品种",
    "conversion_balance": "原商业贷款余额",
}


class Errors(dict[str, list[str]]):
    def add(self, name: str, message: str) -> None:
        self.setdefault(name, []).append(message)


def _blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _money(errors: Errors, raw: Mapping[str, Any], name: str, *, required: bool, positive: bool,
           most: Decimal) -> Decimal | None:
    label = LABELS[name]
    value = raw.get(name)
    if _blank(value):
        if required:
            errors.add(name, f"请填写{label}")
        return None if required else ZERO
    number = to_decimal(value)
    if number is None:
        errors.add(name, f"{label}必须是数字")
    elif number < 0 or (positive and number == 0):
        errors.add(name, f"{label}必须大于 0" if positive else f"{label}不能为负数")
    elif number > most:
        errors.add(name, f"{label}超出合理范围（不超过 {most:,.0f} 元）")
    elif number != number.quantize(FEN):
        errors.add(name, f"{label}最多保留两位小数")
    else:
        return number.quantize(FEN)
    return None


def _integer(errors: Errors, raw: Mapping[str, Any], name: str) -> int | None:
    value = raw.get(name)
    if _blank(value):
        return None
    if isinstance(value, bool):
        errors.add(name, f"{LABELS[name]}必须是整数")
        return None
    number = to_decimal(value)
    if number is None or number != number.to_integral_value() or abs(number) > 10000:
        errors.add(name, f"{LABELS[name]}必须是整数")
        return None
    return int(number)


def _choice(errors: Errors, raw: Mapping[str, Any], name: str, choices: Any, default: str = "") -> str:
    value = raw.get(name)
    if _blank(value):
        if default:
            return default
        errors.add(name, f"请选择{LABELS[name]}")
        return ""
    allowed = dict(choices)
    if not isinstance(value, str) or value not in allowed:
        errors.add(name, f"{LABELS[name]}只能是：" + "、".join(f"{k}（{v}）" for k, v in allowed.items()))
        return ""
    return value


def _balances(errors: Errors, raw: Mapping[str, Any]) -> list[Decimal]:
    name = "co_borrower_balances"
    value = raw.get(name)
    if hasattr(raw, "getlist") and not isinstance(value, list):
        value = [v for v in raw.getlist(name) if not _blank(v)]
    if _blank(value) or value == []:
        return []
    if isinstance(value, str):
        value = [part for part in value.replace("，", ",").split(",") if part.strip()]
    if not isinstance(value, list):
        errors.add(name, f"{LABELS[name]}应为金额列表")
        return []
    if len(value) > CO_BORROWERS_MAX:
        errors.add(name, f"共同借款人不能超过 {CO_BORROWERS_MAX} 人")
        return []
    out = []
    for index, item in enumerate(value, start=1):
        found = _money(errors, {name: item}, name, required=True, positive=False, most=BALANCE_MAX)
        if found is None:
            errors[name][-1] = f"第 {index} 位{errors[name][-1]}"
        else:
            out.append(found)
    return out


def _term(errors: Errors, raw: Mapping[str, Any], on: date) -> int:
    years_most = int(policy_value("loan_max_term_years", on))
    months = _integer(errors, raw, "term_months")
    name = "term_months"
    if months is None and "term_months" not in errors:
        years = _integer(errors, raw, "term_years")
        name = "term_years"
        if years is None:
            if "term_years" not in errors:
                errors.add("term_months", "请填写贷款期限")
            return 0
        months = years * 12
    if months is None:
        return 0
    if months < 1:
        errors.add(name, f"{LABELS[name]}必须大于 0")
    elif months > years_most * 12:
        errors.add(name, f"贷款期限不能超过 {years_most} 年（{years_most * 12} 个月）")
    return months


def _building_year(errors: Errors, raw: Mapping[str, Any], home_kind: str, on: date) -> int | None:
    year = _integer(errors, raw, "building_year")
    if year is None:
        if home_kind == HomeKind.SECOND_HAND and "building_year" not in errors:
            errors.add("building_year", "二手房须填写房屋建成年份")
        return None
    if year > on.year:
        errors.add("building_year", f"房屋建成年份不能晚于今年（{on.year} 年）")
    elif year < 1900:
        errors.add("building_year", "房屋建成年份不能早于 1900 年")
    return year


def _borrower(errors: Errors, raw: Mapping[str, Any], on: date) -> tuple[date, str]:
    if not _blank(raw.get("id_number")):
        value = raw.get("id_number")
        try:
            found = clean_resident_id(value if isinstance(value, str) else "")
        except ValidationError as exc:
            errors.add("id_number", f"{LABELS['id_number']}：{exc.messages[0]}")
            return on, "1"
        return found.birth_date, found.sex
    birth_raw = raw.get("birth_date")
    birth = None
    if _blank(birth_raw):
        errors.add("birth_date", "请填写借款人身份证号码，或出生日期与性别")
    else:
        try:
            birth = date.fromisoformat(str(birth_raw).strip())
        except ValueError:
            errors.add("birth_date", "借款人出生日期格式应为 1990-03-07")
        else:
            if birth > on or birth.year < 1900:
                errors.add("birth_date", "借款人出生日期无效")
    sex = _choice(errors, raw, "sex", (("1", "男"), ("2", "女")))
    return birth or on, sex or "1"


@dataclass(frozen=True, kw_only=True)
class TypedEstimate:
    input: QuotaInput
    product: str


def estimate_input_clean(raw: Mapping[str, Any], *, on: date) -> TypedEstimate:
    """Everything typed in (the public page, the developer's page, POST /api/loans/quota/)."""
    if not isinstance(raw, Mapping):
        raise ValidationError({"detail": ["请求内容应为 JSON 对象"]})
    errors = Errors()
    price = _money(errors, raw, "price", required=True, positive=True, most=PRICE_MAX)
    home_kind = _choice(errors, raw, "home_kind", HomeKind.choices)
    home_order = _choice(errors, raw, "home_order", HomeOrder.choices, default=HomeOrder.FIRST)
    income = _money(errors, raw, "monthly_income", required=True, positive=True, most=INCOME_MAX)
    debt = _money(errors, raw, "monthly_debt", required=False, positive=False, most=INCOME_MAX)
    balance = _money(errors, raw, "balance", required=False, positive=False, most=BALANCE_MAX)
    co = _balances(errors, raw)
    term = _term(errors, raw, on)
    birth, sex = _borrower(errors, raw, on)
    building_year = _building_year(errors, raw, home_kind, on)
    product = _choice(errors, raw, "product", Product.choices, default=Product.ORDINARY)
    conversion = None
    if product == Product.CONVERSION:
        conversion = _money(errors, raw, "conversion_balance", required=True, positive=True, most=PRICE_MAX)
    if errors:
        raise ValidationError(dict(errors))
    assert price is not None and income is not None and debt is not None and balance is not None
    return TypedEstimate(product=product, input=QuotaInput(
        price=price, home_kind=home_kind, home_order=home_order, monthly_income=income, monthly_debt=debt,
        balances=[balance, *co], co_borrowers=len(co), term_months=term, birth_date=birth, sex=sex,
        building_year=building_year, on=on, conversion_balance=conversion,
    ))


# ---- the member's own estimate --------------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class MemberEstimate:
    result: QuotaResult
    figures: HouseholdFigures
    spouse_name: str
    spouse_id_number: str
    spouse_account: MemberAccount | None
    with_spouse: bool
    monthly_debt: Decimal
    verdicts: list[Verdict] = field(default_factory=list)
    subsidy: Verdict | None = None


def member_input_clean(raw: Mapping[str, Any], *, on: date) -> dict[str, Any]:
    """The fields a member types: the home, the term, the household income, the product."""
    errors = Errors()
    price = _money(errors, raw, "price", required=True, positive=True, most=PRICE_MAX)
    home_kind = _choice(errors, raw, "home_kind", HomeKind.choices)
    income = _money(errors, raw, "monthly_income", required=True, positive=True, most=INCOME_MAX)
    term = _term(errors, raw, on)
    building_year = _building_year(errors, raw, home_kind, on)
    product = _choice(errors, raw, "product", Product.choices, default=Product.ORDINARY)
    with_spouse = str(raw.get("with_spouse", "")).lower() in {"1", "true", "on", "yes"}
    if errors:
        raise ValidationError(dict(errors))
    return {"price": price, "home_kind": home_kind, "monthly_income": income, "term_months": term,
            "building_year": building_year, "product": product, "with_spouse": with_spouse}


def _spouse_account(id_number: str) -> MemberAccount | None:
    if not id_number:
        return None
    return (MemberAccount.objects.filter(person__id_number=id_number, state__in=ACTIVE_MEMBER_STATES)
            .select_related("person").order_by("-id").first())


def member_estimate(*, person: Person, account: MemberAccount, typed: dict[str, Any], on: date,
                    project: Project | None = None) -> MemberEstimate:
    """The member's estimate from what the centre knows. Asks outside systems: outside transactions only."""
    marriage = marriage_registry().status(id_number=person.id_number)
    spouse_id = marriage.spouse_id_number if marriage.status == "married" else ""
    spouse_account = _spouse_account(spouse_id)
    with_spouse = bool(typed["with_spouse"] and spouse_id)
    co: list[tuple[Person, MemberAccount | None]] = []
    if with_spouse:
        spouse_person = spouse_account.person if spouse_account else Person.objects.filter(id_number=spouse_id).first()
        if spouse_person is None:
            # A spouse who never deposited here: checked on blacklist and credit by ID number, never saved.
            found = clean_resident_id(spouse_id)
            spouse_person = Person(id_number=found.number, name=marriage.spouse_name, sex=found.sex,
                                   birth_date=found.birth_date)
        co.append((spouse_person, spouse_account))
    figures = household_figures(person=person, account=account, spouse_id_number=spouse_id, co_borrowers=co, on=on)
    debt = figures.monthly_debt
    conversion = None
    if typed["product"] == Product.CONVERSION:
        loan = figures.conversion_loans[0] if figures.conversion_loans else None
        conversion = loan.balance if loan else ZERO
        if loan is not None:
            debt = max(ZERO, debt - loan.monthly_instalment)
    q = QuotaInput(
        price=typed["price"], home_kind=typed["home_kind"], home_order=HomeOrder.FIRST,
        monthly_income=typed["monthly_income"], monthly_debt=debt, balances=figures.balances,
        co_borrowers=len(co), term_months=typed["term_months"], birth_date=person.birth_date, sex=person.sex,
        building_year=typed["building_year"], on=on, conversion_balance=conversion,
    )
    result = estimate(q, figures.home_order.order)
    verdicts = eligibility_check(EligibilitySubject(
        person=person, account=account, co_borrowers=co,
        household_id_numbers=[person.id_number, *([spouse_id] if spouse_id else [])], home_kind=typed["home_kind"],
        project=project, on=on, home_order=figures.home_order, credit_reports=figures.credit_reports,
    ))
    if project is None and typed["home_kind"] == HomeKind.NEW:
        # Which project is asked at the application; the estimate does not judge it.
        verdicts = [v for v in verdicts if v.code != "project_admitted"]
    subsidy = subsidy_check(home_order=figures.home_order.order, monthly_income=typed["monthly_income"], on=on)
    return MemberEstimate(result=result, figures=figures, spouse_name=marriage.spouse_name if spouse_id else "",
                          spouse_id_number=spouse_id, spouse_account=spouse_account, with_spouse=with_spouse,
                          monthly_debt=debt, verdicts=verdicts, subsidy=subsidy)


def typed_result(typed: TypedEstimate) -> QuotaResult:
    return estimate(typed.input, typed.input.home_order)



