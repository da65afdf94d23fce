"""The loan world every loans and risk test builds on: a borrower with history, the staff of every loan post, a bank
and an admitted project, built on `world`. The `ln` fixture is imported by tests/loans and tests/risk conftests.

    ln.account     world.account_a with 12 months of deposits (2025-02 … 2026-01); ln.person its holder (male,
                   born 1990-03-07), with an identity record and an empty, clean credit report
    ln.reviewer 初审, ln.approver 审批, ln.loan_admin 委贷管理, ln.finance 财务 — all branch A; world.director
                   (分管副主任 + 审批, centre-wide) and world.clerk (受理) come from `world`
    ln.bank        an entrusted bank (受托银行) with an operator `ln.bank_op`
    ln.project     developer A's admitted project, under construction, with a supervision account the bank knows
    helpers: ln.spouse(), ln.home(owner_ids, certificate), ln.credit_loan(...), ln.application(**fields),
             ln.loan(application=None, **fields), ln.active_loan(principal=…, disbursed_on=…, …) (disbursed, with
             its stored schedule and a repayment card at the bank)
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from fund.demo import DEMO_PASSWORD as PASSWORD
from fund.demo import make_id_number
from fund.people.models import Post
from tests.conftest import deposit_months


@dataclass
class Ln:
    world: Any
    account: Any
    person: Any
    reviewer: Any
    approver: Any
    loan_admin: Any
    finance: Any
    bank: Any
    bank_op: Any
    project: Any
    seq: list[int] = field(default_factory=lambda: [700])

    def next_seq(self) -> int:
        self.seq[0] += 1
        return self.seq[0]

    def identity(self, id_number: str, name: str, *, male: bool = True, birth: date = date(1990, 3, 7)) -> None:
        from django.conf import settings

        from fund.integrations.models import SandboxIdentity

        SandboxIdentity.objects.update_or_create(id_number=id_number, defaults=dict(
            name=name, sex="1" if male else "2", birth_date=birth, hukou_city_code=settings.FUND_CITY_CODE,
            hukou_city_name="示范市",
        ))

    def card(self, person: Any = None, *, balance: str = "100000.00") -> str:
        """A card of `person` (ln.person) at the bank sandbox with a valid check digit: a repayment card the bank
        confirms at signing. Returns its number."""
        from stdnum import luhn

        from fund.integrations.models import SandboxBankAccount

        person = person or self.person
        number = f"62170088{self.next_seq():010d}"
        number += luhn.calc_check_digit(number)
        SandboxBankAccount.objects.create(account_number=number, name=person.name, holder_id=person.id_number,
                                          bank_name="建设银行", balance=Decimal(balance))
        return number

    def spouse(self, *, name: str = "林晓梅") -> tuple[str, str]:
        """A wife in the marriage registry (and the identity registry); returns (ID number, name)."""
        from fund.integrations.models import SandboxMarriage

        number = make_id_number(birth=date(1991, 5, 6), seq=self.next_seq(), male=False)
        self.identity(number, name, male=False, birth=date(1991, 5, 6))
        SandboxMarriage.objects.create(party_a=self.person.id_number, party_b=number, married_on=date(2018, 1, 1))
        return number, name

    def home(self, owner_ids: list[str], certificate: str, *, price: str = "900000.00",
             registered_on: date = date(2015, 6, 1), in_city: bool = True) -> Any:
        from django.conf import settings

        from fund.integrations.models import SandboxHome

        return SandboxHome.objects.create(
            certificate_number=certificate, owner_id_numbers=owner_ids, address=f"示范市幸福路{certificate[-3:]}号",
            city_code=settings.FUND_CITY_CODE if in_city else "110105", area=Decimal("98.00"), price=Decimal(price),
            registered_on=registered_on,
        )

    def credit_report(self, id_number: str = "", *, acceptable: bool = True) -> Any:
        from fund.integrations.models import SandboxCreditReport

        report, _ = SandboxCreditReport.objects.get_or_create(
            id_number=id_number or self.person.id_number,
            defaults={"report_number": f"R{self.next_seq():08d}", "acceptable": acceptable},
        )
        return report

    def credit_loan(self, id_number: str = "", *, kind: str = "commercial", for_housing: bool = True,
                    balance: str = "300000.00", instalment: str = "2500.00", lender: str = "建设银行示范分行",
                    **extra: Any) -> Any:
        """An unsettled loan on the credit report of `id_number` (the borrower when "")."""
        from fund.integrations.models import SandboxCreditLoan

        return SandboxCreditLoan.objects.create(
            report=self.credit_report(id_number), lender=lender, kind=kind, for_housing=for_housing,
            monthly_instalment=Decimal(instalment), balance=Decimal(balance), **extra,
        )

    def application(self, **fields: Any) -> Any:
        """A loan application row as the services leave it at `state` (default 待受理), for tests of a later step:
        a second-hand home, 600 000 asked over 20 years, 12 000 a month of household income."""
        from loans.models import LoanApplication

        values: dict[str, Any] = dict(
            number=f"DK{self.next_seq():010d}", channel="window", branch=self.world.branch_a, borrower=self.person,
            account=self.account, household_key=self.person.id_number, home_kind="second_hand", home_order="first",
            home_address="示范市幸福路8号", certificate_number=f"鲁(2015)示范市不动产权第{self.next_seq():07d}号",
            price=Decimal("900000.00"), area=Decimal("98.00"), building_year=2010, seller_name="王卖方",
            seller_account="6217000000000000001", seller_bank="建设银行示范分行", monthly_income=Decimal("12000.00"),
            amount_requested=Decimal("600000.00"), term_months=240, submitted_by=self.world.clerk,
            state="submitted",
        )
        values.update(fields)
        return LoanApplication.objects.create(**values)

    def loan(self, application: Any = None, **fields: Any) -> Any:
        """A signed loan (待放款) on its own sub-account under 委托贷款 (111), for tests of mortgage and disbursement."""
        from fund.ledger import chart
        from fund.ledger.models import Account, SubAccount
        from loans.models import Loan

        application = application or self.application(state="signed", approved_amount=Decimal("600000.00"),
                                                      rate=Decimal("2.600"))
        n = self.next_seq()
        sub = SubAccount.objects.create(
            control=Account.objects.get(code=chart.LOANS), number=f"DKFH{n:010d}", name=application.borrower.name,
            accumulated_to=timezone.localdate(), opened_on=timezone.localdate(), allow_negative=False,
        )
        values: dict[str, Any] = dict(
            contract_number=f"HT{n:010d}", application=application, borrower=application.borrower,
            branch=application.branch, sub_account=sub, bank=self.bank,
            principal=application.approved_amount or application.amount_requested, rate=application.rate or Decimal("2.600"),
            term_months=application.term_months, method=application.method, repayment_day=20,
            signed_at=timezone.now(), signed_by=self.world.clerk, signed_branch=application.branch,
            iou_number=f"JJ{n:010d}",
        )
        values.update(fields)
        return Loan.objects.create(**values)

    def active_loan(self, *, principal: str = "300000.00", rate: str = "2.600", months: int = 240,
                    method: str = "annuity", day: int = 20, disbursed_on: date = date(2026, 3, 20),
                    card_balance: str = "100000.00", borrower: Any = None, subsidy: bool = False) -> Any:
        """A disbursed loan (还款中) as disbursement leaves it: Dr 111 / Cr 101 with the loan's sub-ledger row,
        its schedule stored from `disbursed_on` (segment, instalments through that year), and a repayment card
        at the bank sandbox holding `card_balance`. The borrower is ln.person unless another is given."""
        from fund.integrations.models import SandboxBankAccount
        from fund.ledger import chart
        from fund.ledger.models import BusinessType
        from fund.ledger.services import Movement, credit, debit, entry_post
        from loans.models import SegmentReason
        from loans.schedule import first_due_on, segment_new
        from loans.services.schedule_store import schedule_start

        borrower = borrower or self.person
        money = Decimal(principal)
        application = self.application(state="disbursed", approved_amount=money, rate=Decimal(rate), borrower=borrower,
                                       household_key=borrower.id_number, term_months=months, method=method,
                                       subsidy_eligible=subsidy)
        card = f"62170000{self.next_seq():011d}"
        SandboxBankAccount.objects.create(account_number=card, name=borrower.name, holder_id=borrower.id_number,
                                          bank_name="建设银行", balance=Decimal(card_balance))
        first_due = first_due_on(disbursed_on, day)
        loan = self.loan(application=application, principal=money, rate=Decimal(rate), term_months=months,
                         method=method, repayment_day=day, status="active", disbursed_on=disbursed_on,
                         first_due_on=first_due, repayment_card=card, subsidy=subsidy)
        entry_post(business_type=BusinessType.DK_DISBURSE, reference=loan.contract_number,
                   idempotency_key=f"tests.disburse:{loan.pk}", value_date=disbursed_on,
                   legs=[debit(chart.LOANS, money), credit(chart.BANK, money)],
                   movements=[Movement(loan.sub_account_id, money, summary="贷款发放")])
        segment = segment_new(balance=money, rate=Decimal(rate), method=method, first_number=1, last_number=months,
                              first_due=first_due, day=day, interest_from=disbursed_on)
        schedule_start(loan=loan, segment=segment, reason=SegmentReason.DISBURSED, effective_on=disbursed_on)
        loan.refresh_from_db()
        return loan

    def approved(self, **fields: Any) -> Any:
        """An application 已审批待签约 with its approved amount and rate (L4: signing)."""
        values: dict[str, Any] = dict(state="approved", approved_amount=Decimal("600000.00"), rate=Decimal("2.600"))
        values.update(fields)
        return self.application(**values)

    def off_plan(self, **fields: Any) -> Any:
        """An approved application for a new home in the admitted project under construction (期房), with its
        purchase contract (L4: pre-mortgage)."""
        values: dict[str, Any] = dict(home_kind="new", project=self.project, certificate_number="", building_year=None,
                                      purchase_contract=f"WQ2026-{self.next_seq():06d}",
                                      home_address="示范市北湖新区湖畔路88号2号楼1单元301")
        values.update(fields)
        return self.approved(**values)

    def deposit_through(self, month: date) -> None:
        """Deposits for every month after 2026-01 up to `month`, so the borrower has deposited "up to now" on a
        later day (the eligibility rule counts the months in a row back from the current or the last month)."""
        from fund.dates import months_between

        more = months_between(date(2026, 2, 1), month)
        if more > 0:
            deposit_months(self.world.clerk, self.account, more, start=date(2026, 2, 1))


@pytest.fixture
def ln(world: Any) -> Ln:
    from fund.integrations.models import SandboxBankAccount
    from fund.people.models import EntrustedBank
    from fund.people.services import operator_create, staff_create
    from loans.models import ConstructionState, Project, ProjectState

    account = world.account_a
    deposit_months(world.clerk, account, 12)

    def staff(username: str, posts: list[str]) -> Any:
        return staff_create(actor=None, username=username, name=username, branch=world.branch_a, posts=posts,
                            employee_number=username, password=PASSWORD)

    bank = EntrustedBank.objects.create(code="CCB0537", name="中国建设银行", outlet="示范市分行营业部")
    project = Project.objects.create(
        developer=world.developer_a, name="湖畔花园", address="示范市北湖新区湖畔路88号",
        presale_permit="示房预售字（2026）第018号", state=ProjectState.ADMITTED, construction=ConstructionState.BUILDING,
        payee_account="37050188000000000888", payee_name=world.developer_a.name, admitted_at=timezone.now(),
    )
    SandboxBankAccount.objects.create(account_number=project.payee_account, name=project.payee_name,
                                      bank_name="建设银行")
    ln = Ln(world=world, account=account, person=account.person, reviewer=staff("loan_reviewer", [Post.REVIEW]),
            approver=staff("loan_approver", [Post.APPROVE]), loan_admin=staff("loan_admin", [Post.LOAN_ADMIN]),
            finance=staff("finance", [Post.FINANCE]), bank=bank,
            bank_op=operator_create(actor=world.clerk, username="bank_op", name="建行网点经办", password=PASSWORD,
                                    phone="13905370001", bank=bank),
            project=project)
    ln.identity(ln.person.id_number, ln.person.name)
    ln.credit_report()
    return ln


