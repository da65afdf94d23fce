"""A member with history and the sandbox records the withdrawal rules read, built on `world`.

    wd.account     world.account_a with 12 months of deposits (2025-02 … 2026-01), a card the bank knows
    wd.person      its holder; identity, social insurance and marriage records exist in the sandboxes
    wd.card        the member's card (SandboxBankAccount `wd.bank_account`: set fail_payouts / hold_payouts)
    wd.reviewer    初审, branch A      wd.approver   审批, branch A      wd.reviewer2  初审+审批, branch A
    helpers: wd.home(owner_id, certificate, price, registered_on, in_city=True), wd.spouse(id_number, name),
             wd.child(), wd.retire(), wd.seal(), wd.commercial_loan(balance, instalment)
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from stdnum import luhn

from fund.demo import DEMO_PASSWORD as PASSWORD
from fund.demo import make_id_number
from fund.people.models import Post
from tests.clock import travel_to
from tests.conftest import deposit_months


def make_card(seq: int) -> str:
    body = f"62170000{seq:010d}"
    return body + luhn.calc_check_digit(body)


@dataclass
class Wd:
    world: Any
    account: Any
    person: Any
    card: str
    bank_account: Any
    reviewer: Any
    approver: Any
    reviewer2: Any
    seq: list[int] = field(default_factory=lambda: [500])

    def next_seq(self) -> int:
        self.seq[0] += 1
        return self.seq[0]

    def home(self, owner_id: str, certificate: str, price: str = "900000.00", registered_on: date | None = None,
             in_city: bool = True) -> Any:
        from django.conf import settings

        from fund.integrations.models import SandboxHome

        return SandboxHome.objects.create(
            certificate_number=certificate, owner_id_numbers=[owner_id], address=f"示范市幸福路{certificate[-3:]}号",
            city_code=settings.FUND_CITY_CODE if in_city else "110105", area=Decimal("98.00"), price=Decimal(price),
            registered_on=registered_on or date.today(),
        )

    def person_record(self, id_number: str, name: str, *, male: bool = True, local: bool = True,
                      death_date: date | None = None) -> None:
        from django.conf import settings

        from fund.integrations.models import SandboxIdentity

        SandboxIdentity.objects.update_or_create(id_number=id_number, defaults=dict(
            name=name, sex="1" if male else "2", birth_date=date(1990, 3, 7),
            hukou_city_code=settings.FUND_CITY_CODE if local else "510104",
            hukou_city_name="示范市" if local else "成都市", death_date=death_date,
        ))

    def spouse(self) -> tuple[str, str]:
        from fund.integrations.models import SandboxMarriage

        number = make_id_number(birth=date(1991, 5, 6), seq=self.next_seq(), male=False)
        self.person_record(number, "配偶甲", male=False)
        SandboxMarriage.objects.create(party_a=self.person.id_number, party_b=number, married_on=date(2018, 1, 1))
        return number, "配偶甲"

    def child(self) -> tuple[str, str]:
        from fund.integrations.models import SandboxHouseholdRelation

        number = make_id_number(birth=date(2015, 5, 6), seq=self.next_seq())
        self.person_record(number, "子女甲")
        SandboxHouseholdRelation.objects.create(parent_id_number=self.person.id_number, child_id_number=number)
        return number, "子女甲"

    def social(self, *, employer: bool = True, retired_on: date | None = None, months: int = 60) -> None:
        from fund.integrations.models import SandboxSocialInsurance

        SandboxSocialInsurance.objects.update_or_create(id_number=self.person.id_number, defaults=dict(
            months_local=months, employer_credit_code=self.account.unit.employer.credit_code if employer else "",
            employer_name=self.account.unit.employer.name if employer else "", retired_on=retired_on,
        ))

    def seal(self) -> None:
        from deposits.services.lifecycle import member_account_seal

        member_account_seal(actor=self.world.clerk, account=self.account, reason="离职")
        self.account.refresh_from_db()

    def commercial_loan(self, balance: str = "300000.00", instalment: str = "2500.00", *, holder: str = "",
                        lender: str = "建设银行示范分行") -> None:
        """A commercial housing loan on the credit report of `holder` (the member when "")."""
        from fund.integrations.models import SandboxCreditLoan, SandboxCreditReport

        report, _ = SandboxCreditReport.objects.get_or_create(
            id_number=holder or self.person.id_number, defaults={"report_number": f"R{self.next_seq():08d}"}
        )
        SandboxCreditLoan.objects.create(report=report, lender=lender, kind="commercial", for_housing=True,
                                         monthly_instalment=Decimal(instalment), balance=Decimal(balance))

    @property
    def balance(self) -> Decimal:
        self.account.sub_account.refresh_from_db()
        return self.account.sub_account.balance


@pytest.fixture
def signing_day() -> Iterator[date]:
    """Today, for tests that sign a standing instruction due today: on the 29th to the 31st the clock moves back
    to the 28th of the same month, as an instruction's day is 1 to 28 (a day-28 instruction is paid on the
    29th–31st too, so the test would not see "due today")."""
    today = timezone.localdate()
    if today.day <= 28:
        yield today
        return
    with travel_to(today.replace(day=28)):
        yield timezone.localdate()


@pytest.fixture
def wd(world: Any) -> Wd:
    from deposits.models import MemberAccount
    from fund.integrations.models import SandboxBankAccount
    from fund.people.services import staff_create

    account = world.account_a
    card = make_card(1)
    MemberAccount.objects.filter(pk=account.pk).update(bank_card=card)
    account.refresh_from_db()
    person = account.person
    bank_account = SandboxBankAccount.objects.create(account_number=card, name=person.name, holder_id=person.id_number,
                                                     bank_name="建设银行")
    deposit_months(world.clerk, account, 12)

    def staff(username: str, posts: list[str]) -> Any:
        return staff_create(actor=None, username=username, name=username, branch=world.branch_a, posts=posts,
                            employee_number=username, password=PASSWORD)

    w = Wd(world=world, account=account, person=person, card=card, bank_account=bank_account,
           reviewer=staff("reviewer", [Post.REVIEW]), approver=staff("approver", [Post.APPROVE]),
           reviewer2=staff("reviewer2", [Post.REVIEW, Post.APPROVE]))
    w.person_record(person.id_number, person.name)
    w.social()
    return w


# ---- helpers added for the rule tests (test_withdrawal_reasons/limits/payout/concurrency/standing/input) ------

def submit_decided(capture: Any, *, actor: Any, account: Any, reason: str, channel: str = "online", **kw: Any) -> Any:
    """Submit with the queued tasks (decision, payout) run eagerly on commit; return the refreshed withdrawal."""
    from withdrawals.services import withdrawal_submit

    with capture(execute=True):
        w = withdrawal_submit(actor=actor, account=account, reason=reason, channel=channel, **kw)
    w.refresh_from_db()
    return w


def online(wd: "Wd", capture: Any, reason: str, **kw: Any) -> Any:
    """The member's own application in the personal hall, decided (and paid) on commit."""
    return submit_decided(capture, actor=wd.world.member_a, account=wd.account, reason=reason, **kw)


def window(wd: "Wd", capture: Any, reason: str, **kw: Any) -> Any:
    """A window clerk's acceptance with every paper material ticked, decided on commit."""
    kw.setdefault("materials", paper_codes(reason))
    return submit_decided(capture, actor=wd.world.clerk, account=wd.account, reason=reason, channel="window", **kw)


def failed_rules(w: Any) -> set[str]:
    return {c.rule for c in w.checks.all() if not c.passed}


def paper_codes(reason: str) -> list[str]:
    """The codes of every paper material the reason's catalogue item lists (what a window clerk ticks)."""
    from withdrawals.reasons import REASONS

    return [m.code for m in REASONS[reason].item.paper_materials]


def set_policy_today(name: str, value: str) -> None:
    """A policy value in force from today (tests only: the service schedules from tomorrow at the earliest)."""
    from django.utils import timezone

    from fund.policy.models import PolicyValue

    PolicyValue.objects.create(name=name, number=Decimal(value), effective_from=timezone.localdate(), note="测试")


def second_member(wd: "Wd", months: int) -> tuple[Any, Any]:
    """world.account_b (unit_b, branch B) with `months` deposits, an identity record and a known card:
    (account, its member user)."""
    from deposits.models import MemberAccount
    from fund.integrations.models import SandboxBankAccount

    account = wd.world.account_b
    card = make_card(2)
    MemberAccount.objects.filter(pk=account.pk).update(bank_card=card)
    account.refresh_from_db()
    SandboxBankAccount.objects.create(account_number=card, name=account.person.name,
                                      holder_id=account.person.id_number, bank_name="建设银行")
    if months:
        deposit_months(wd.world.clerk_b, account, months)
    wd.person_record(account.person.id_number, account.person.name)
    return account, wd.world.member_b


# A major-illness application's medical record (required for 09): nested as stored, flat as the form posts it.
MEDICAL = {"hospital": "示范市第一人民医院", "record_number": "ZY2026000101", "diagnosis": "急性髓系白血病"}


def illness(expenses: str) -> dict[str, Any]:
    """The details of a 09 application: the expenses and its medical record."""
    return {"expenses": expenses, "medical": dict(MEDICAL)}
