"""Demo loans data, made through the real services as production does.

Before the sandboxes (`seed`): a developer with its operator registers projects with buildings; 委贷管理 inspects
and admits one (湖畔花园), refuses one after a failed inspection, and leaves one waiting (待准入); a second developer's
online registration waits for review; an entrusted bank with its outlet's operator (受托银行网点, Linyi).

After the sandboxes (`seed_after_sandbox`, no transaction open: intake, signing, mortgage and payment ask the
registries, the bureau and the bank): loan applications of members of 市直管理部 at every step — 待购房人确认 (a
developer's entry for a member with a login), 待受理 (an online application), 审核中 (初审 open in review01's 待办),
已审批待签约, 已签约待抵押, 已抵押待放款 — four loans disbursed, and one released after the money ran short, waiting
in 轮候. Three of the loans have a past (`_loan_history`): a member with a login's, disbursed months ago and repaid
on every due day (seen in the personal hall); a couple's, with the spouse as co-borrower, whose last two instalments
are unpaid (overdue, penalty running); one paid off early (已结清, its borrower given a login). The fourth, for a new
home, is disbursed today through the 放款 path. The sandbox records they read are added first: the sellers' homes
in the registry and their bank accounts, and a 24-month repayment history on a few credit reports. Every amount is
within each borrower's quota; the fund's money is the demo deposits, so the ledger balances and `manage.py reconcile` passes."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from fund.demo import DEMO_PASSWORD, DemoContext, make_credit_code, make_id_number
from fund.people.models import Developer, EntrustedBank
from fund.people.services import operator_create

from .models import ConstructionState, InspectionResult, Project

PAYEE_ACCOUNT = "37050188000000000888"
# (step, amount, home kind, co-borrower) of each application, in the order they are made; "disbursed" ones are
# paid while the fund has the money, the last released one waits in the queue (轮候) once it has not.
PLAN = [
    ("overdue", "450000.00", "second_hand", True),  # disbursed months ago; the last two instalments unpaid
    ("repaying", "250000.00", "second_hand", False),  # the member with a login: disbursed months ago, repaid on time
    ("disbursed", "250000.00", "new", False),
    ("queued", "150000.00", "second_hand", False),
    ("mortgaged", "160000.00", "second_hand", False),
    ("signed", "150000.00", "new", False),
    ("approved", "140000.00", "second_hand", False),
    ("reviewing", "130000.00", "second_hand", False),
    ("submitted", "120000.00", "second_hand", False),  # online, with a login made for it
    ("draft", "180000.00", "new", False),  # a developer's entry, for the member with a login to confirm
    ("closed", "60000.00", "second_hand", False),  # disbursed months ago and paid off early (已结清)
]
HISTORY_STEPS = ("repaying", "overdue", "closed")


def seed(ctx: DemoContext) -> None:
    from fund.integrations.models import SandboxBankAccount

    from .services.projects import (
        BuildingInput,
        developer_registration_submit,
        project_admit,
        project_inspect,
        project_refuse,
        project_register,
    )

    developer = Developer.objects.create(
        name="示范市安居置业有限公司", credit_code=make_credit_code(900), contact_name="孙经理", contact_phone="0537-3999888"
    )
    operator = operator_create(
        actor=ctx.staff["loanadmin"], username="dev01", name="韩志伟", password=DEMO_PASSWORD,
        phone="13905379999", developer=developer,
    )
    ctx.logins.append(("开发企业", "dev01", developer.name))
    # The supervision account (预售资金监管账户) the bank knows, checked when the project is registered.
    SandboxBankAccount.objects.get_or_create(account_number=PAYEE_ACCOUNT, defaults=dict(
        name=developer.name, holder_id=developer.credit_code, bank_name="中国建设银行示范市分行"))
    admin = ctx.staff["loanadmin"]
    soon = date(ctx.today.year + 1, 6, 30)

    def register(name: str, address: str, permit: str, buildings: int, construction: str) -> Project:
        return project_register(
            actor=operator, developer=developer, name=name, address=address, presale_permit=permit,
            payee_account=PAYEE_ACCOUNT, payee_name=developer.name, payee_bank="中国建设银行示范市分行",
            construction=construction,
            buildings=[BuildingInput(number=f"{n}号楼", floors=18, homes=68, planned_completion=soon)
                       for n in range(1, buildings + 1)],
        )

    lakeside = register("安居·湖畔花园", "示范市北湖新区湖畔路88号", "示房预售字（2026）第018号", 3, ConstructionState.BUILDING)
    project_inspect(actor=admin, project=lakeside, inspected_on=ctx.today - timedelta(days=20), inspector="赵明",
                    findings="预售许可、监管账户与施工进度相符，主体结构已封顶。", result=InspectionResult.PASSED)
    project_admit(actor=admin, project=lakeside)
    register("安居·学府里（二期）", "示范市高新区学府路16号", "示房预售字（2026）第031号", 2, ConstructionState.UNBUILT)
    riverside = register("安居·滨河湾", "示范市运河路66号", "示房预售字（2026）第027号", 1, ConstructionState.BUILDING)
    project_inspect(actor=admin, project=riverside, inspected_on=ctx.today - timedelta(days=12), inspector="赵明",
                    findings="现场停工，施工进度与预售资金使用不符。", result=InspectionResult.FAILED)
    project_refuse(actor=admin, project=riverside, reason="实地查验不合格：现场停工，施工进度与预售资金使用不符")
    developer_registration_submit(
        name="示范市华府置业有限公司", credit_code=make_credit_code(901), contact_name="钱伟", contact_phone="0537-3888777",
        username="huafu01", operator_name="钱多多", operator_phone="13905377777",
    )

    bank = EntrustedBank.objects.create(code="CCB0537", name="中国建设银行", outlet="示范市分行营业部",
                                        contact_phone="0537-2345678")
    operator_create(
        actor=ctx.staff["loanadmin"], username="bank01", name="周晓燕", password=DEMO_PASSWORD,
        phone="13905378888", bank=bank,
    )
    ctx.logins.append(("受托银行", "bank01", str(bank)))


# ---- applications, after the sandboxes ---------------------------------------------------------------------------

def _households(ctx: DemoContext) -> list[tuple[Any, Any]]:
    """(account, spouse's account or None) of members of 市直管理部 who may borrow for a first home: paid up to last
    month, young enough for a 10-year term, a balance that carries the plan's amounts, nobody in the household
    owning a home; one per household. Members with a login come first, in their order."""
    from deposits.models import MemberAccount
    from fund.integrations.models import SandboxHome, SandboxMarriage
    from fund.people.models import User

    logins = list(User.objects.filter(person__isnull=False, password__startswith="pbkdf2").order_by("id")
                  .values_list("person_id", flat=True))
    accounts = [a for a in MemberAccount.objects.select_related("person", "sub_account", "unit__employer")
                .filter(state="01", unit__employer__branch=ctx.branches[0], bank_card__gt="").order_by("id")]
    accounts.sort(key=lambda a: (a.person_id not in logins, logins.index(a.person_id) if a.person_id in logins else 0))
    by_id = {a.person.id_number: a for a in MemberAccount.objects.select_related("person").filter(state="01")}
    out, used = [], set()
    for account in accounts:
        person = account.person
        marriage = SandboxMarriage.objects.filter(ended_on__isnull=True, party_a=person.id_number).first() or \
            SandboxMarriage.objects.filter(ended_on__isnull=True, party_b=person.id_number).first()
        spouse_id = "" if marriage is None else (marriage.party_b if marriage.party_a == person.id_number
                                                 else marriage.party_a)
        household = {person.id_number, spouse_id} - {""}
        if household & used or person.birth_date is None or _term(person, ctx.today) < 120:
            continue
        if account.sub_account.balance < Decimal("12000") or any(
                SandboxHome.objects.filter(owner_id_numbers__contains=[i]).exists() for i in household):
            continue
        used |= household
        out.append((account, by_id.get(spouse_id)))
    return out


def _term(person: Any, today: date) -> int:
    """20 years, or what the borrower's age leaves under the policy's age + term limit (a year to spare)."""
    from fund.policy.selectors import policy_value

    limit = int(policy_value("loan_age_limit_male" if person.sex == "1" else "loan_age_limit_female", on=today))
    age = today.year - person.birth_date.year - ((today.month, today.day) < (person.birth_date.month,
                                                                            person.birth_date.day))
    return min(240, (limit - age - 1) * 12)


def _seller_home(n: int, price: Decimal) -> tuple[str, dict[str, Any]]:
    """A second-hand home in the registry, its seller (an ID the demo makes) and the seller's bank account."""
    from django.conf import settings

    from fund.integrations.models import SandboxBankAccount, SandboxHome, SandboxIdentity

    birth = date(1970, 2, 3)
    seller_id = make_id_number(birth=birth, seq=800 + n)
    seller = "王建民 李卫东 张秀兰 刘志刚 陈淑华 杨国平 赵金凤 黄德明".split()[n % 8]
    SandboxIdentity.objects.update_or_create(id_number=seller_id, defaults=dict(
        name=seller, sex="1", birth_date=birth, hukou_city_code=settings.FUND_CITY_CODE, hukou_city_name="示范市"))
    certificate = f"鲁(2016)示范市不动产权第{4000 + n:07d}号"
    address = f"示范市太白楼路{10 + n}号金宇花园{n + 1}号楼2单元{n + 3}01室"
    SandboxHome.objects.update_or_create(certificate_number=certificate, defaults=dict(
        owner_id_numbers=[seller_id], address=address, city_code=settings.FUND_CITY_CODE, area=Decimal("96.50"),
        price=price, registered_on=date(2016, 5, 10)))
    card = f"621700880000{n:06d}"
    from stdnum import luhn

    card += luhn.calc_check_digit(card)
    SandboxBankAccount.objects.update_or_create(account_number=card, defaults=dict(
        name=seller, holder_id=seller_id, bank_name="中国建设银行"))
    return certificate, dict(home_kind="second_hand", home_address=address, certificate_number=certificate,
                             price=str(price), area="96.50", building_year=2012, seller_name=seller,
                             seller_account=card, seller_bank="中国建设银行示范市分行")


def _credit_history(account: Any, n: int) -> None:
    """A loan with its 24-month repayment status on the borrower's report: a car loan repaid on time, or one
    with a single month late long ago (within 连三累六)."""
    from fund.integrations.models import LoanKind, SandboxCreditLoan, SandboxCreditReport

    report = SandboxCreditReport.objects.filter(id_number=account.person.id_number).first()
    if report is None:
        return
    history = "N" * 24 if n % 2 else "NNNN1NNNNNNNNNNNNNNNNNNN"
    SandboxCreditLoan.objects.get_or_create(report=report, lender="中国工商银行示范市分行", kind=LoanKind.OTHER, defaults=dict(
        for_housing=False, monthly_instalment=Decimal("1200.00"), balance=Decimal("18000.00"),
        repayment_history=history, settled=False))


def _materials(home_kind: str, *, co: bool) -> list[str]:
    from .catalogue import item_for

    return [m.code for m in item_for(home_kind).paper_materials if not m.condition or (co and m.code.startswith("co_"))]


def _decide_all(ctx: DemoContext, application: Any) -> None:
    """初审 by review01, 审批 by approve01 and, above the policy's amount, the 分管副主任."""
    from fund.workflow.services import work_open_item

    from .services.approval import application_decide

    who = {"review": "review01", "approve": "approve01", "director": "director"}
    while (item := work_open_item(application)) is not None:
        application_decide(actor=ctx.staff[who[item.step]], application=application, approve=True,
                           opinion="材料齐全，符合贷款条件，同意。")
        application.refresh_from_db()


def _send(disbursement: Any) -> None:
    """Send the disbursement's payment now, outside any transaction (as withdrawals' demo does); the task queued on
    commit finds it sent, the bank pays a reference once."""
    from fund.payments.models import AttemptStatus, PaymentAttempt
    from fund.payments.services import attempt_send, payment_of

    from .services.disbursement import PURPOSE

    payment = payment_of(disbursement, PURPOSE)
    if payment is None:
        return
    for attempt in PaymentAttempt.objects.filter(payment=payment, status=AttemptStatus.PENDING).select_related("payment"):
        attempt_send(attempt_id=attempt.pk, attempt=attempt)


def seed_after_sandbox(ctx: DemoContext) -> None:
    from fund.people.models import User
    from fund.people.services import member_login_create

    from .models import Channel, IouDelivery, Loan
    from .services.applications import application_submit
    from .services.disbursement import disbursement_notice, disbursement_release, iou_deliver
    from .services.mortgage import mortgage_register
    from .services.signing import loan_sign

    clerk, admin, finance = ctx.staff["clerk01"], ctx.staff["loanadmin"], ctx.staff["finance"]
    project = Project.objects.get(name="安居·湖畔花园")
    bank = EntrustedBank.objects.get(code="CCB0537")
    developer_user = User.objects.get(username="dev01")
    # The first member with a login stays free to apply; the second gets a disbursed loan, the third the draft;
    # the first couple who both deposit here borrows together.
    _free, second, draft_household, *others = _households(ctx)
    couple = next(h for h in others if h[1] is not None)
    order = [couple, second] + [h for h in others if h is not couple]
    made: list[tuple[str, Any]] = []
    for n, (step, amount, home_kind, with_co) in enumerate(PLAN):
        if step == "draft":
            account, spouse = draft_household
        else:
            account, spouse = order.pop(0)
        _credit_history(account, n)
        money = Decimal(amount)
        if home_kind == "new":
            fields: dict[str, Any] = dict(home_kind="new", project=project.pk, purchase_contract=f"WQ{ctx.today:%Y}{n:06d}",
                                          home_address=f"示范市北湖新区湖畔路88号{n % 3 + 1}号楼1单元{n + 10}02室",
                                          price=str(money * 2), area="105.00")
        else:
            _, fields = _seller_home(n, money * 2)
        fields.update(monthly_income="15000.00", amount_requested=amount, term_months=_term(account.person, ctx.today))
        co = []
        if with_co and spouse is not None:
            co = [dict(id_number=spouse.person.id_number, name=spouse.person.name, relation="spouse",
                       monthly_income="9000.00")]
        token = f"demo-loan-{n}"
        if step == "draft":
            application = application_submit(actor=developer_user, channel=Channel.DEVELOPER, fields=fields,
                                             id_number=account.person.id_number, client_token=token)
            made.append((step, application))
            continue
        if step == "submitted":
            user = member_login_create(person=account.person, password=DEMO_PASSWORD)
            ctx.logins.append(("个人网厅", user.username, f"职工 {account.person.name}（网上贷款申请待受理）"))
            application = application_submit(actor=user, channel=Channel.ONLINE, account=account, fields=fields,
                                             client_token=token)
            made.append((step, application))
            continue
        application = application_submit(actor=clerk, channel=Channel.WINDOW, account=account, fields=fields,
                                         co_borrowers=co, materials=_materials(home_kind, co=bool(co)),
                                         client_token=token)
        made.append((step, application))
        if step == "reviewing":
            continue
        _decide_all(ctx, application)
        if step == "approved":
            continue
        # The 委托扣款 card is the member's own card the deposits line knows (the bank confirms it at signing).
        loan = loan_sign(actor=clerk, application=application, bank=bank, repayment_day=20,
                         repayment_card=account.bank_card)
        if step == "signed":
            continue
        loan = mortgage_register(actor=clerk, loan=loan)
        if step == "mortgaged":
            continue
        if step in HISTORY_STEPS:
            if not User.objects.filter(person=account.person).exists():
                user = member_login_create(person=account.person, password=DEMO_PASSWORD)
                label = {"repaying": "按时还款中", "overdue": "贷款逾期", "closed": "贷款已结清"}[step]
                ctx.logins.append(("个人网厅", user.username, f"职工 {account.person.name}（{label}）"))
            _loan_history(ctx, Loan.objects.get(pk=loan.pk), step)
            continue
        application.refresh_from_db()
        disbursement = disbursement_notice(actor=admin, application=application)
        disbursement_release(actor=finance, disbursement=disbursement)
        _send(disbursement)
        if step == "disbursed":
            loan = Loan.objects.get(pk=loan.pk)
            iou_deliver(actor=clerk, loan=loan, how=IouDelivery.PICKUP, recipient=account.person.name)


# ---- loans with a past ------------------------------------------------------------------------------------------

def _history_start(today: date) -> date:
    """The day the history loans were disbursed: five months back, on the 5th (a broken first period), so four or
    five instalments have fallen due by today."""
    from fund.dates import add_months

    return add_months(date(today.year, today.month, 5), -5)


def _loan_history(ctx: DemoContext, loan: Any, step: str) -> None:
    """Give a mortgaged loan a past through the services production uses: the disbursement posted on its day (Dr 111
    / Cr 101 with the loan's sub-ledger row) and its schedule started there (`schedule_start`); each instalment
    due before today repaid on its due day through `repayment_post` (an entrusted-bank debit), except the last two
    of the overdue loan, which the nightly close would have found unpaid; the closed loan pays its balance off
    ahead of the schedule after its second instalment (`loan_paid_off` closes it)."""
    from django.db import transaction

    from fund.ledger import chart
    from fund.ledger.models import BusinessType
    from fund.ledger.services import Movement, credit, debit, entry_post
    from fund.workflow.moves import move_status

    from .allocation import allocate
    from .models import (
        ApplicationState,
        InstalmentState,
        LoanApplication,
        LoanStatus,
        RepaymentChannel,
        RepaymentKind,
        SegmentReason,
    )
    from .schedule import first_due_on, segment_new
    from .services.repayment_posting import (
        Sources,
        loan_locked,
        loan_overdue_refresh,
        owing_rows,
        repayment_post,
    )
    from .services.schedule_store import (
        horizon_end,
        instalments_store,
        planned_rows,
        schedule_start,
        segment_of,
    )
    from .states import APPLICATION_MOVES, LOAN_MOVES

    on = _history_start(ctx.today)
    with transaction.atomic():
        loan = loan_locked(loan)
        entry_post(business_type=BusinessType.DK_DISBURSE, reference=loan.contract_number,
                   idempotency_key=f"demo.loan-history:{loan.pk}", value_date=on,
                   legs=[debit(chart.LOANS, loan.principal), credit(chart.BANK, loan.principal)],
                   movements=[Movement(loan.sub_account_id, loan.principal, summary=f"贷款发放 {loan.contract_number}")],
                   memo=f"贷款发放 {loan.contract_number}")
        first_due = first_due_on(on, loan.repayment_day)
        segment = segment_new(balance=loan.principal, rate=loan.rate, method=loan.method, first_number=1,
                              last_number=loan.term_months, first_due=first_due, day=loan.repayment_day, interest_from=on)
        maturity = segment.due_on(segment.last_number)
        move_status(loan, LoanStatus.ACTIVE, table=LOAN_MOVES, action="loans.loan.activated", actor=None,
                    note={"disbursed_on": on, "first_due_on": first_due, "maturity_on": maturity},
                    disbursed_on=on, first_due_on=first_due, maturity_on=maturity)
        row = schedule_start(loan=loan, segment=segment, reason=SegmentReason.DISBURSED, effective_on=on)
        if on.year < ctx.today.year:
            # What the yearly job did on 1 January (the rate unchanged): the segment continues into this year.
            last = loan.instalments.order_by("-number").first()
            assert last is not None
            instalments_store(loan, row, planned_rows(segment_of(row), through=horizon_end(ctx.today),
                                                      start=last.number + 1, balance=last.balance_after))
        application = LoanApplication.objects.select_for_update().get(pk=loan.application_id)
        for state, action in ((ApplicationState.DISBURSING, "loans.application.disbursing"),
                              (ApplicationState.DISBURSED, "loans.application.disbursed")):
            move_status(application, state, table=APPLICATION_MOVES, action=action, actor=None,
                        note={"demo": "history"})
    due = list(loan.instalments.filter(due_on__lt=ctx.today).order_by("number").values_list("number", "due_on"))
    unpaid = {n for n, _ in due[-2:]} if step == "overdue" else set()
    for number, due_on in due:
        if number in unpaid:
            continue
        with transaction.atomic():
            locked = loan_locked(loan)
            rows = owing_rows(locked, due_on)
            amount = sum((o.total for _, o in rows if o.number == number), Decimal(0))
            allocation = allocate(amount, [o for _, o in rows])
            prepaid = Decimal(0)
            kind = None
            if step == "closed" and number == 2:
                prepaid, kind = locked.sub_account.balance - allocation.principal_total, RepaymentKind.PREPAY_FULL
            repayment_post(loan=locked, on=due_on, rows=rows, allocation=allocation, kind=kind,
                           prepaid_principal=prepaid, sources=Sources(from_card=amount + prepaid, card=loan.repayment_card),
                           channel=RepaymentChannel.DEBIT, idempotency_key=f"demo.loan-history:{loan.pk}:{number}")
        if prepaid:
            return
    if unpaid:
        with transaction.atomic():
            # What the nightly close does each evening: unpaid instalments past their day are overdue.
            loan.instalments.filter(number__in=unpaid).update(state=InstalmentState.OVERDUE)
            loan_overdue_refresh(loan_locked(loan), ctx.today)
