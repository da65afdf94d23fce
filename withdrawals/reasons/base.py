"""The shape of a withdrawal reason, and the context its rules read.

Each reason (one module in this package) defines, in one place: who may apply, the inputs it needs, the
rules that decide it (each returning a `Verdict` with the evidence it used), its maximum amount, whether it
closes the account, its frequency limits, and its service-catalogue item (materials, marking which ones
shared data replaces). The services never branch on a reason code: they run what the reason says.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from fund.catalogue.registry import Channel, ServiceItem
from fund.integrations import (
    credit_bureau,
    identity_registry,
    marriage_registry,
    property_registry,
    social_insurance_bureau,
    tax_bureau,
)
from fund.integrations.base import IntegrationError, NotFound
from fund.money import ZERO, to_decimal
from fund.policy.selectors import policy_day

from ..models import Relation

if TYPE_CHECKING:
    from deposits.models import MemberAccount

    from ..models import Withdrawal


@dataclass
class Verdict:
    passed: bool
    detail: str  # for staff: what was checked and found
    plain: str = ""  # for the member, in plain words; defaults to `detail`
    evidence: dict[str, Any] = field(default_factory=dict)


def ok(detail: str, plain: str = "", **evidence: Any) -> Verdict:
    return Verdict(True, detail, plain or detail, evidence)


def fail(detail: str, plain: str = "", **evidence: Any) -> Verdict:
    return Verdict(False, detail, plain or detail, evidence)


@dataclass(frozen=True)
class Rule:
    code: str
    label: str
    check: Callable[[Context], Verdict]
    # What the rule asks of this person, in the numbers policy sets today, for the form to state before they
    # apply (e.g. "须缴存满 3 个月，您已缴存 12 个月"). Reads policy and this database only, never an outside
    # system. None: the rule has no figure to state beforehand.
    term: Callable[[Context], str] | None = None


@dataclass(frozen=True)
class Input:
    """A reason-specific input, kept in `Withdrawal.details` (under `details[group]` when it has a group: the
    parts of one document, such as a medical record's hospital, number and diagnosis, kept together so other
    lines read the document as one thing)."""

    name: str
    label: str
    kind: str = "text"  # text | date | money | choice
    required: bool = True
    help: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    group: str = ""
    max_length: int = 60

    def stored(self, details: dict[str, Any]) -> Any:
        """This input's value in `details` as stored (or as an API client may send it: flat by name too)."""
        if self.group:
            nested = details.get(self.group)
            if isinstance(nested, dict) and self.name in nested:
                return nested[self.name]
        return details.get(self.name)


@dataclass(frozen=True)
class Limit:
    amount: Decimal | None  # the most this reason allows now; None: the whole balance
    note: str


@dataclass(frozen=True, kw_only=True)
class Reason:
    key: str  # "07", "99-lift"
    code: str  # TQYY, the national code ("99" for local additions)
    label: str
    summary: str  # one line for the member
    closes_account: bool
    auto: bool  # decided by 秒批 when every rule passes; otherwise always manual review
    item: ServiceItem
    rules: tuple[Rule, ...]
    limit: Callable[[Context], Limit]
    inputs: tuple[Input, ...] = ()
    relations: tuple[str, ...] = (Relation.SELF,)  # whose home / whose death the application may concern
    frequency: str = ""
    home_key: Callable[[dict[str, Any]], str] | None = None  # the home this withdrawal uses, for the 12-month rule
    heirs: bool = False  # applied for by heirs of a deceased member, paid to the heir
    # Rules run at submission too (`door_refusals`): each fails only when the last approval could never pay
    # this application (nothing left under the limit, the same home already used), so it is refused there,
    # with the reason, instead of going to people with an amount of 0.
    door: tuple[Rule, ...] = ()

    @property
    def online(self) -> bool:
        """The personal hall and the API take it: the item is offered online and every material it always needs
        is replaced by shared data. (A conditional paper, e.g. a contract not yet filed, belongs to cases the
        rules cannot verify, which go to people anyway.)"""
        return Channel.ONLINE in self.item.channels and not any(not m.condition for m in self.item.paper_materials)

    def required_inputs(self) -> list[Input]:
        return [i for i in self.inputs if i.required]

    def frequency_on(self, on: date) -> str:
        """`frequency` with the policy figures it names (written "{withdrawal_repeat_months}") as in force on
        `on`, so the sentence on the page never disagrees with the rule that enforces it."""
        names = re.findall(r"\{(\w+)\}", self.frequency)
        if not names:
            return self.frequency
        day = policy_day(on)
        return self.frequency.format(**{name: _figure(day.value(name)) for name in names})

    def terms(self, account: MemberAccount, today: date) -> list[str]:
        """The limits that apply to this account's holder under this reason today, from its rules (and so
        from policy), for the form to show before they submit."""
        from ..models import Withdrawal

        ctx = Context(Withdrawal(account=account, reason=self.key, details={}), today)
        return [rule.term(ctx) for rule in self.rules if rule.term is not None]


def _figure(value: Any) -> str:
    number = Decimal(value)
    return str(int(number)) if number == number.to_integral_value() else f"{number.normalize():f}"


class Context:
    """What the rules of one decision read. Every outside call is made at most once per decision, logged by
    the integration layer, and its call id kept as evidence by the rule that used it."""

    def __init__(self, withdrawal: Withdrawal, today: date) -> None:
        self.withdrawal = withdrawal
        self.account: MemberAccount = withdrawal.account
        self.person = withdrawal.account.person
        self.details: dict[str, Any] = withdrawal.details or {}
        self.today = today
        # When a decision is replayed (a policy what-if), the moment it was made: the rules then count only the
        # withdrawals and deposits there were before it. None for a live decision: everything there is now.
        self.as_of: datetime | None = None
        # The home's place as the registry or the invoice gives it (`found_place`), for the same-home rule.
        self.home_place: str = withdrawal.home_place
        self._cache: dict[tuple[str, str], Any] = {}
        self._memo: dict[tuple[str, ...], Any] = {}  # this decision's own reads (policy, limits), see `memo`

    # ---- this decision's reads, each made once ----------------------------------------------------------------

    def memo(self, key: tuple[str, ...], compute: Callable[[], Any]) -> Any:
        """`compute()` once per decision (a rule and the reason's limit read the same figures)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def forget(self) -> None:
        """Drop what `memo` kept, so that what is read again under a lock is read afresh. (The outside systems'
        answers stay: each is asked once per decision.)"""
        self._memo.clear()

    def policy(self, name: str) -> Any:
        """The policy value in force on the decision's day."""
        return self.memo(("policy",), lambda: policy_day(self.today)).value(name)

    # ---- outside systems (cached; NotFound comes back as None) --------------------------------------------

    def _ask(self, key: tuple[str, str], call: Callable[[], Any]) -> Any:
        # A failure is kept too and raised again: the checks repeated under the decision's locks must find
        # every answer here, since no outside system may be asked inside a transaction.
        if key not in self._cache:
            try:
                self._cache[key] = call()
            except NotFound:
                self._cache[key] = None
            except IntegrationError as exc:
                self._cache[key] = exc
        answer = self._cache[key]
        if isinstance(answer, IntegrationError):
            raise answer
        return answer

    def identity(self, id_number: str | None = None) -> Any:
        number = id_number or self.person.id_number
        return self._ask(("identity", number), lambda: identity_registry().lookup(id_number=number))

    def family(self, id_number: str | None = None) -> Any:
        number = id_number or self.person.id_number
        return self._ask(("family", number), lambda: identity_registry().family(id_number=number))

    def marriage(self, id_number: str | None = None) -> Any:
        number = id_number or self.person.id_number
        return self._ask(("marriage", number), lambda: marriage_registry().status(id_number=number))

    def homes(self, id_number: str | None = None) -> Any:
        number = id_number or self.person.id_number
        return self._ask(("homes", number), lambda: property_registry().homes(id_number=number))

    def social_insurance(self, id_number: str | None = None) -> Any:
        number = id_number or self.person.id_number
        return self._ask(("si", number), lambda: social_insurance_bureau().record(id_number=number))

    def credit(self, id_number: str | None = None) -> Any:
        number = id_number or self.person.id_number
        return self._ask(("credit", number), lambda: credit_bureau().report(id_number=number))

    def invoice(self, number: str) -> Any:
        return self._ask(("invoice", number), lambda: tax_bureau().invoice(invoice_number=number))

    def found_place(self, address: str) -> None:
        """The home this withdrawal uses was found at `address`: remembered, normalised (full-width forms and
        spaces folded) and in the scope of its home key (a lift's withdrawals apart from a purchase's)."""
        place = "".join(unicodedata.normalize("NFKC", address or "").split()).upper()
        scope = self.withdrawal.home_key.partition(":")[0] + ":" if ":" in self.withdrawal.home_key else ""
        self.home_place = f"{scope}{place}"[:220] if place else ""

    # ---- the member's own records ------------------------------------------------------------------------

    @property
    def balance(self) -> Decimal:
        return self.account.sub_account.balance

    def detail(self, name: str, default: Any = "") -> Any:
        value = self.details.get(name, default)
        return value.strip() if isinstance(value, str) else value

    def money(self, name: str) -> Decimal:
        return to_decimal(self.details.get(name) or "0") or ZERO

    def day(self, name: str) -> date | None:
        value = self.details.get(name)
        try:
            return date.fromisoformat(value) if value else None
        except (TypeError, ValueError):
            return None


def door_refusals(reason: Reason, ctx: Context) -> list[str]:
    """Why this application can never succeed, in the applicant's words ([] to accept it): the reason's `door`
    rules. One whose outside system cannot answer now refuses nothing: the application goes on to the
    decision, where the same rule fails on the outage and people decide."""
    refusals = []
    for rule in reason.door:
        try:
            verdict = rule.check(ctx)
        except IntegrationError:
            continue
        if not verdict.passed:
            refusals.append(f"不能办理“{reason.label}”提取：{verdict.plain or verdict.detail}")
    return refusals


def run_rule(rule: Rule, ctx: Context) -> Verdict:
    """A rule whose outside system failed does not pass: the application goes to people, with the error."""
    try:
        return rule.check(ctx)
    except IntegrationError as exc:
        return fail(f"{rule.label}：外部系统无法核验（{exc}）", "暂时无法通过共享数据核验，已转人工审核",
                    call_id=exc.call_id)
