"""Loan eligibility (贷款条件): data-driven verdicts with their evidence, in the style of the withdrawal rules.

Each rule reads what it needs (accounts, deposits, loans and applications here; the blacklist; the credit
reports and the property registry outside), returns a `Verdict` naming its evidence (call ids, report numbers,
contract numbers), and never writes. Every rule runs only while its switch `loan_rule_<code>` is "on" on the
day decided (policy rows are effective-dated, the legacy HAFMIS idea of toggleable loan conditions); a rule
switched off passes with a verdict saying so. Outside systems are asked once per check and only outside a
transaction; an outside system that cannot answer fails its rule, with the error, so people decide.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q

from deposits.models import MemberAccount, MemberState, MonthlyDeposit
from fund.audit.masking import mask_id_number
from fund.dates import add_months, first_of_month
from fund.integrations import credit_bureau, property_registry
from fund.integrations.base import IntegrationError
from fund.integrations.credit import CreditReport
from fund.integrations.models import LoanKind
from fund.people.models import Person
from fund.policy.selectors import PolicyDay, policy_day
from risk.selectors import blacklist_check

from ..models import HomeKind, HomeOrder, Loan, LoanApplication, LoanStatus, Project
from ..models.applications import IN_FLIGHT
from ..models.projects import ConstructionState
from .projects import project_lendable

UNPAID = (LoanStatus.PENDING, LoanStatus.ACTIVE)


@dataclass(frozen=True, kw_only=True)
class Verdict:
    code: str
    label: str
    passed: bool
    message: str  # what was checked and found, in Chinese
    evidence: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "label": self.label, "passed": self.passed, "message": self.message,
                "evidence": self.evidence}


@dataclass(frozen=True, kw_only=True)
class HomeOrderFinding:
    """首套/二套 for a household, from the property registry: `order` None means a home beyond what policy
    lends for (a third or more), which is not lent on."""

    order: HomeOrder | None
    homes: int  # homes the household owns in this city now
    evidence: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        if self.order is None:
            return f"第{self.homes + 1}套住房（不予贷款）"
        return HomeOrder(self.order).label


@dataclass(frozen=True, kw_only=True)
class EligibilitySubject:
    person: Person
    account: MemberAccount | None
    co_borrowers: list[tuple[Person, MemberAccount | None]]
    household_id_numbers: list[str]  # the borrower and the spouse
    home_kind: str
    project: Project | None
    on: date
    exclude_application_id: int | None = None  # the application being assessed: not "another in flight"
    home_order: HomeOrderFinding | None = None  # when the caller asked the registry already
    credit_reports: dict[str, CreditReport] = field(default_factory=dict)  # by ID number, when asked already


def home_order_for(id_numbers: list[str], *, on: date | None = None) -> HomeOrderFinding:
    """首套 or 二套 for the household of `id_numbers`, from the homes the property registry has in this city for
    any of them (a home owned jointly counts once). Raises IntegrationError when the registry cannot answer.
    Asks an outside system: call it outside transactions."""
    day = policy_day(on)
    most = int(day.value("loan_max_home_order"))
    certificates: list[str] = []
    calls: list[int | None] = []
    for number in dict.fromkeys(n.strip().upper() for n in id_numbers if n and n.strip()):
        found = property_registry().homes(id_number=number)
        calls.append(found.call_id)
        for home in found.in_city:
            if home.certificate_number not in certificates:
                certificates.append(home.certificate_number)
    homes = len(certificates)
    order: HomeOrder | None
    if homes + 1 > most:
        order = None
    else:
        order = HomeOrder.FIRST if homes == 0 else HomeOrder.SECOND
    return HomeOrderFinding(order=order, homes=homes,
                            evidence={"property_call_ids": calls, "certificates": certificates, "max_home_order": most})


# ---- the context a check reads (outside answers cached per check) ---------------------------------------------

class Context:
    def __init__(self, subject: EligibilitySubject) -> None:
        self.subject = subject
        self.day: PolicyDay = policy_day(subject.on)
        self._credit: dict[str, CreditReport] = dict(subject.credit_reports)

    def policy(self, name: str) -> Any:
        return self.day.value(name)

    def credit(self, id_number: str) -> CreditReport:
        if id_number not in self._credit:
            self._credit[id_number] = credit_bureau().report(id_number=id_number)
        return self._credit[id_number]


def _ok(code: str, label: str, message: str, **evidence: Any) -> Verdict:
    return Verdict(code=code, label=label, passed=True, message=message, evidence=evidence)


def _fail(code: str, label: str, message: str, **evidence: Any) -> Verdict:
    return Verdict(code=code, label=label, passed=False, message=message, evidence=evidence)


def _who(person: Person) -> str:
    return f"{person.name}（{mask_id_number(person.id_number)}）"


# ---- the pieces several rules share ------------------------------------------------------------------------

def _account_normal(account: MemberAccount | None) -> tuple[bool, str, dict[str, Any]]:
    if account is None:
        return False, "未在本中心开立住房公积金账户", {}
    evidence = {"account": account.number}
    if account.state != MemberState.NORMAL:
        return False, f"公积金账户 {account.number} 状态为“{account.get_state_display()}”，须为正常", evidence
    return True, f"公积金账户 {account.number} 状态正常", evidence


def _blacklist(person: Person, on: date) -> tuple[bool, str, dict[str, Any]]:
    entry = blacklist_check(id_number=person.id_number, business="loan", on=on)
    if entry is None:
        return True, f"{person.name}未列入禁止贷款的失信黑名单", {}
    return False, f"{person.name}：{entry.refusal_message}", {"blacklist_entry": entry.pk}


def _credit(ctx: Context, person: Person) -> tuple[bool, str, dict[str, Any]]:
    report = ctx.credit(person.id_number)
    window = int(ctx.policy("loan_credit_window_months"))
    run_limit = int(ctx.policy("loan_credit_consecutive_limit"))
    months_limit = int(ctx.policy("loan_credit_cumulative_limit"))
    overdue = report.overdue(window)
    evidence = {"credit_call_id": report.call_id, "report_number": report.report_number,
                "window_months": window, "longest_overdue_run": overdue.longest_run,
                "overdue_months": overdue.months}
    number = f"（报告编号 {report.report_number}）" if report.report_number else "（无信贷记录）"
    problems = []
    if not report.acceptable:
        problems.append(f"有不良记录{('：' + report.remark) if report.remark else ''}")
    if overdue.longest_run >= run_limit:
        problems.append(f"近 {window} 个月内连续逾期 {overdue.longest_run} 个月，达到 {run_limit} 个月")
    if overdue.months >= months_limit:
        problems.append(f"近 {window} 个月内累计逾期 {overdue.months} 个月，达到 {months_limit} 个月")
    if problems:
        return False, f"{person.name}的征信报告{number}" + "；".join(problems), evidence
    return True, (f"{person.name}的征信报告{number}无不良记录，近 {window} 个月连续逾期 {overdue.longest_run} 个月、"
                  f"累计逾期 {overdue.months} 个月，未达连{run_limit}累{months_limit}"), evidence


def continuous_deposit_months(account: MemberAccount, on: date) -> tuple[int, date | None]:
    """(months paid in a row up to now, the last of them): counted back from `on`'s month, or from the month
    before when `on`'s month is not paid yet (it may not be due)."""
    paid = set(MonthlyDeposit.objects.filter(account=account, reversal__isnull=True).values_list("month", flat=True))
    month = first_of_month(on)
    if month not in paid:
        month = add_months(month, -1)
    last = month if month in paid else None
    count = 0
    while month in paid:
        count += 1
        month = add_months(month, -1)
    return count, last


# ---- the rules ---------------------------------------------------------------------------------------------

def _rule_account_normal(ctx: Context) -> list[Verdict]:
    passed, message, evidence = _account_normal(ctx.subject.account)
    return [Verdict(code="account_normal", label="账户状态正常", passed=passed, message=f"借款人{message}",
                    evidence=evidence)]


def _rule_deposit_months(ctx: Context) -> list[Verdict]:
    code, label = "deposit_months", "连续缴存月数"
    required = int(ctx.policy("loan_min_deposit_months"))
    account = ctx.subject.account
    if account is None:
        return [_fail(code, label, "借款人未在本中心缴存住房公积金", required=required)]
    count, last = continuous_deposit_months(account, ctx.subject.on)
    evidence = {"account": account.number, "months": count, "through": f"{last:%Y-%m}" if last else "",
                "required": required}
    if last is None:
        return [_fail(code, label, f"{ctx.subject.on:%Y年%m月}及上月均未缴存，须连续缴存满 {required} 个月",
                      **evidence)]
    if count < required:
        return [_fail(code, label, f"截至 {last:%Y年%m月} 连续缴存 {count} 个月，不足 {required} 个月", **evidence)]
    return [_ok(code, label, f"截至 {last:%Y年%m月} 已连续缴存 {count} 个月，不少于 {required} 个月", **evidence)]


def _rule_no_unpaid_loan(ctx: Context) -> list[Verdict]:
    code, label = "no_unpaid_loan", "无未结清公积金贷款"
    ids = [n.upper() for n in ctx.subject.household_id_numbers if n]
    itself = [ctx.subject.exclude_application_id] if ctx.subject.exclude_application_id else []
    loans = list(
        Loan.objects.filter(status__in=UNPAID)
        .filter(Q(borrower__id_number__in=ids) | Q(application__co_borrowers__person__id_number__in=ids))
        .exclude(application_id__in=itself).distinct().values_list("contract_number", flat=True)
    )
    applications = list(
        LoanApplication.objects.filter(state__in=IN_FLIGHT)
        .filter(Q(borrower__id_number__in=ids) | Q(spouse_id_number__in=ids)
                | Q(co_borrowers__person__id_number__in=ids))
        .exclude(pk__in=itself).exclude(loan__isnull=False)
        .distinct().values_list("number", flat=True)
    )
    elsewhere: list[dict[str, Any]] = []
    calls: list[int | None] = []
    for number in ids:
        report = ctx.credit(number)
        calls.append(report.call_id)
        for loan in report.loans_of_kind(LoanKind.FUND):
            if loan.balance > 0:
                elsewhere.append({"report_number": report.report_number, "lender": loan.lender,
                                  "balance": str(loan.balance)})
    evidence = {"loans": loans, "applications": applications, "credit_call_ids": calls,
                "fund_loans_on_credit_reports": elsewhere}
    problems = []
    if loans:
        problems.append(f"家庭在本中心有未结清的公积金贷款（合同 {'、'.join(loans)}）")
    if applications:
        problems.append(f"家庭有在办的贷款申请（{'、'.join(applications)}）")
    for item in elsewhere:
        problems.append(f"征信报告 {item['report_number']} 显示在{item['lender']}有未结清的公积金贷款，余额 {item['balance']} 元")
    if problems:
        return [_fail(code, label, "；".join(problems), **evidence)]
    return [_ok(code, label, "家庭（借款人及配偶）无未结清的公积金贷款，也无在办的贷款申请", **evidence)]


def _rule_not_blacklisted(ctx: Context) -> list[Verdict]:
    code, label = "not_blacklisted", "未列入失信黑名单"
    people = [ctx.subject.person, *(p for p, _ in ctx.subject.co_borrowers)]
    found = [_blacklist(p, ctx.subject.on) for p in people]
    entries = [e["blacklist_entry"] for _, _, e in found if e]
    if entries:
        return [_fail(code, label, "；".join(m for ok, m, _ in found if not ok), blacklist_entries=entries)]
    who = "借款人及共同借款人均" if len(people) > 1 else "借款人"
    return [_ok(code, label, f"{who}未列入禁止贷款的失信黑名单", checked=[mask_id_number(p.id_number) for p in people])]


def _rule_credit(ctx: Context) -> list[Verdict]:
    passed, message, evidence = _credit(ctx, ctx.subject.person)
    return [Verdict(code="credit", label="征信良好", passed=passed, message=message, evidence=evidence)]


def _rule_co_borrowers(ctx: Context) -> list[Verdict]:
    code = "co_borrowers"
    if not ctx.subject.co_borrowers:
        return [_ok(code, "共同借款人核验", "无共同借款人")]
    verdicts = []
    for person, account in ctx.subject.co_borrowers:
        checks = []
        if account is not None:
            checks.append(_account_normal(account))
        checks.append(_blacklist(person, ctx.subject.on))
        checks.append(_credit(ctx, person))
        evidence: dict[str, Any] = {"id_number": mask_id_number(person.id_number)}
        for _, _, found in checks:
            evidence.update(found)
        failed = [m for ok, m, _ in checks if not ok]
        label = f"共同借款人核验（{person.name}）"
        if failed:
            verdicts.append(_fail(code, label, f"共同借款人{_who(person)}：" + "；".join(failed), **evidence))
        else:
            passed = "；".join(m for _, m, _ in checks)
            verdicts.append(_ok(code, label, f"共同借款人{_who(person)}：{passed}", **evidence))
    return verdicts


def _rule_project_admitted(ctx: Context) -> list[Verdict]:
    code, label = "project_admitted", "期房楼盘已准入"
    subject = ctx.subject
    if subject.home_kind != HomeKind.NEW:
        return [_ok(code, label, f"所购为{HomeKind(subject.home_kind).label}，非期房")]
    project = subject.project
    if project is None:
        return [_fail(code, label, "购买新建商品房须选择所购楼盘")]
    evidence = {"project": project.pk, "project_state": project.state, "construction": project.construction}
    if project.construction == ConstructionState.BUILT:
        return [_ok(code, label, f"楼盘“{project.name}”已建成（现房），不属期房", **evidence)]
    refusal = project_lendable(project)
    if refusal:
        return [_fail(code, label, refusal, **evidence)]
    return [_ok(code, label, f"楼盘“{project.name}”已准入，可办理期房贷款", **evidence)]


def _rule_home_count(ctx: Context) -> list[Verdict]:
    code, label = "home_count", "住房套数"
    finding = ctx.subject.home_order or home_order_for(ctx.subject.household_id_numbers, on=ctx.subject.on)
    evidence = {"homes": finding.homes, **finding.evidence}
    if finding.order is None:
        return [_fail(code, label, f"不动产登记显示家庭在本市已有 {finding.homes} 套住房，所购为第 {finding.homes + 1} 套，"
                      f"超过 {finding.evidence.get('max_home_order')} 套不予贷款", **evidence)]
    return [_ok(code, label, f"不动产登记显示家庭在本市有 {finding.homes} 套住房，所购认定为{finding.label}", **evidence)]


@dataclass(frozen=True)
class Rule:
    code: str
    label: str
    check: Callable[[Context], list[Verdict]]

    @property
    def switch(self) -> str:
        return f"loan_rule_{self.code}"


RULES: tuple[Rule, ...] = (
    Rule("account_normal", "账户状态正常", _rule_account_normal),
    Rule("deposit_months", "连续缴存月数", _rule_deposit_months),
    Rule("no_unpaid_loan", "无未结清公积金贷款", _rule_no_unpaid_loan),
    Rule("not_blacklisted", "未列入失信黑名单", _rule_not_blacklisted),
    Rule("credit", "征信良好", _rule_credit),
    Rule("co_borrowers", "共同借款人核验", _rule_co_borrowers),
    Rule("project_admitted", "期房楼盘已准入", _rule_project_admitted),
    Rule("home_count", "住房套数", _rule_home_count),
)


def _switched_off(ctx: Context, rule: Rule) -> Verdict | None:
    if str(ctx.policy(rule.switch)) == "on":
        return None
    row = ctx.day.rows.get(rule.switch)
    since = f"自 {row.effective_from:%Y年%m月%d日} 起" if row is not None else ""
    return _ok(rule.code, rule.label, f"按政策{since}不核验此项条件", switched_off=rule.switch)


def eligibility_check(subject: EligibilitySubject) -> list[Verdict]:
    """Every rule's verdicts, in order. Asks outside systems: call it outside transactions."""
    ctx = Context(subject)
    verdicts: list[Verdict] = []
    for rule in RULES:
        off = _switched_off(ctx, rule)
        if off is not None:
            verdicts.append(off)
            continue
        try:
            verdicts.extend(rule.check(ctx))
        except IntegrationError as exc:
            verdicts.append(_fail(rule.code, rule.label, f"外部系统无法核验（{exc.message}），须人工核实",
                                  call_id=exc.call_id))
    return verdicts


def subsidy_check(*, home_order: str | None, monthly_income: Decimal, on: date) -> Verdict:
    """贴息: a first home bought by a household whose monthly income is at most loan_subsidy_income_limit is
    marked eligible for the interest subsidy (the refund itself is the repayment line's)."""
    code, label = "subsidy", "贴息条件"
    day = policy_day(on)
    if str(day.value("loan_rule_subsidy")) != "on":
        return _fail(code, label, "按现行政策不办理贴息", switched_off="loan_rule_subsidy")
    limit = Decimal(day.value("loan_subsidy_income_limit"))
    evidence = {"monthly_income": str(monthly_income), "income_limit": str(limit)}
    if home_order != HomeOrder.FIRST:
        return _fail(code, label, "贴息仅适用于购买首套住房", **evidence)
    if monthly_income > limit:
        return _fail(code, label, f"家庭月收入 {monthly_income} 元高于贴息上限 {limit} 元", **evidence)
    return _ok(code, label, f"首套住房，家庭月收入 {monthly_income} 元不高于 {limit} 元，符合贴息条件", **evidence)


def all_passed(verdicts: list[Verdict]) -> bool:
    return all(v.passed for v in verdicts)
