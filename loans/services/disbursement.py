"""Disbursement (放款): 委贷管理 issues the notice, 财务 releases it, the money goes to the seller once.

- `disbursement_notice` (委贷管理科, Post.LOAN_ADMIN): for a MORTGAGED application whose loan is signed, fixes the
  amount (the fund part of the loan) and the payee — a new home's project supervision account (预售资金监管账户),
  a second-hand or self-built home's seller, or for 商转公 the account the commercial loan is paid off into —
  and prints the 放款通知书 (fund.printing) in the same commit.
- `disbursement_release` (财务科, Post.FINANCE, never the person who issued the notice): checks the fund's
  liquidity (`liquidity`): the fund's bank balance (101) less the reserve (policy `loan_liquidity_reserve_ratio`
  of the member deposits, 201) less what earlier releases have committed and not yet paid. Enough, and nobody
  approved earlier is waiting → the payment is made (purpose `loans.disbursement`) and the application goes
  放款中; otherwise the loan waits in the 轮候 queue in order of approval (`application.decided_at`).
- `disbursement_queue_drain` (beat, and after each release): pays the queue in order while liquidity allows,
  stopping at the first that does not fit (a later, smaller loan never jumps an earlier approval).

Every liquidity decision runs under one advisory lock, so two releases or drains never spend the same money;
each move is a compare-and-set (DISBURSEMENT_MOVES) and the payment is one per disbursement, so the queue pays
each loan exactly once. On paid (the payments service, under the payment's lock): the entry Dr 委托贷款 111
(with the loan's sub-account movement) / Cr 101, the loan 还款中 with its dates from `loans.schedule`, the
application 已放款, the borrower texted after commit. A refusal is the payments core's: retried with back-off,
then handed to 财务 on the 付款管理 page; the amount stays committed meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from fund.audit.masking import mask_bank_card, mask_id_number
from fund.audit.services import audit_log
from fund.ledger import chart
from fund.ledger.models import Account, BusinessType
from fund.ledger.selectors import account_balance
from fund.ledger.services import Movement
from fund.money import ZERO, amount_in_capitals, format_money, to_fen
from fund.numbers import next_number
from fund.payments.models import Payment, PaymentAttempt
from fund.payments.purposes import Purpose, register_purpose
from fund.payments.services import payment_create
from fund.people.models import Post
from fund.people.roles import roles_of
from fund.people.selectors import get_or_404, scoped
from fund.policy.selectors import policy_value
from fund.printing.services import document_request, register_document_kind
from fund.workflow.moves import move_status

from ..models import (
    ApplicationState,
    Disbursement,
    DisbursementState,
    HomeKind,
    Loan,
    LoanApplication,
    LoanStatus,
    PayeeKind,
    Product,
    SegmentReason,
)
from ..schedule import first_due_on, segment_new
from ..states import APPLICATION_MOVES, DISBURSEMENT_MOVES, LOAN_MOVES
from .schedule_store import schedule_start

PURPOSE = "loans.disbursement"
NOTICE = "loans.disbursement_notice"
S = DisbursementState

register_document_kind(NOTICE, title="个人住房公积金贷款放款通知书", template="loans/pdf/disbursement_notice.html")


# ---- reading ---------------------------------------------------------------------------------------------------

def disbursements_for_user(user: Any) -> QuerySet[Disbursement]:
    """Staff of the loan's branch (or centre-wide) see its disbursement; nobody else does."""
    queryset = Disbursement.objects.select_related("loan__application", "loan__borrower", "noticed_by", "released_by")
    return scoped(queryset, user, branch="branch")


def disbursement_get_for_user(*, user: Any, pk: Any) -> Disbursement:
    return get_or_404(disbursements_for_user(user), pk=pk)


def awaiting_notice_for_user(user: Any) -> QuerySet[LoanApplication]:
    """待出通知: mortgaged applications whose signed loan has no disbursement yet, oldest approval first."""
    queryset = LoanApplication.objects.filter(state=ApplicationState.MORTGAGED, loan__status=LoanStatus.PENDING,
                                              loan__disbursement__isnull=True)
    return scoped(queryset.select_related("borrower", "loan"), user, branch="branch").order_by("decided_at", "id")


def queue_for_user(user: Any) -> QuerySet[Disbursement]:
    """轮候, in the order it is paid."""
    return disbursements_for_user(user).filter(state=S.QUEUED).order_by("approved_at", "id")


@dataclass(frozen=True)
class Liquidity:
    bank: Decimal  # 住房公积金存款 (101)
    deposits: Decimal  # 住房公积金 (201), what the reserve is a share of
    ratio: Decimal
    reserve: Decimal
    committed: Decimal  # released disbursements not yet paid
    available: Decimal


def liquidity(*, on: Any = None) -> Liquidity:
    """What the fund may lend now: 101 − 201 × the reserve ratio − what earlier releases committed."""
    bank = account_balance(Account.objects.get(code=chart.BANK))
    deposits = account_balance(Account.objects.get(code=chart.MEMBER_DEPOSITS))
    ratio = Decimal(policy_value("loan_liquidity_reserve_ratio", on))
    reserve = to_fen(deposits * ratio)
    committed = Disbursement.objects.filter(state=S.PAYING).aggregate(s=Sum("amount"))["s"] or ZERO
    return Liquidity(bank=bank, deposits=deposits, ratio=ratio, reserve=reserve, committed=committed,
                     available=bank - reserve - committed)


# ---- who may ----------------------------------------------------------------------------------------------------

def may_notice(actor: Any) -> str | None:
    if not roles_of(actor).has_post(Post.LOAN_ADMIN):
        return "放款通知须由委贷管理岗出具"
    return None


def may_release(actor: Any, disbursement: Disbursement) -> str | None:
    if not roles_of(actor).has_post(Post.FINANCE):
        return "放款须由财务岗审核放行"
    if disbursement.noticed_by_id == actor.pk:
        return "出具放款通知的人员不能再审核放行同一笔放款，须由另一人办理"
    return None


# ---- the notice -------------------------------------------------------------------------------------------------

def payee_for(application: LoanApplication) -> tuple[str, str, str, str]:
    """(kind, account, name, bank) the money goes to; ValidationError naming what is missing."""
    if application.product == Product.CONVERSION:
        kind, account, name, bank = (PayeeKind.COMMERCIAL, application.seller_account,
                                     application.commercial_bank or application.seller_name, application.seller_bank)
    elif application.home_kind == HomeKind.NEW and application.project is not None:
        project = application.project
        kind, account, name, bank = PayeeKind.SUPERVISION, project.payee_account, project.payee_name, ""
    else:
        kind, account, name, bank = (PayeeKind.SELLER, application.seller_account, application.seller_name,
                                     application.seller_bank)
    if not account or not name:
        raise ValidationError({"payee_account": [f"{PayeeKind(kind).label}未登记账号或户名，不能出具放款通知"]})
    return kind, account, name, bank


def disbursement_notice(*, actor: Any, application: LoanApplication) -> Disbursement:
    """委贷管理 issues the disbursement notice of a mortgaged application's loan (once: a repeat returns it)."""
    problem = may_notice(actor)
    if problem:
        raise PermissionDenied(problem)
    with transaction.atomic():
        application = LoanApplication.objects.select_for_update(of=("self",)).select_related("project").get(pk=application.pk)
        loan = Loan.objects.select_for_update().filter(application=application).first()
        existing = Disbursement.objects.filter(loan=loan).first() if loan is not None else None
        if existing is not None:
            return existing
        if application.state != ApplicationState.MORTGAGED or loan is None or loan.status != LoanStatus.PENDING:
            raise ValidationError({"state": [f"贷款申请状态为“{application.get_state_display()}”，抵押登记完成后才能出具放款通知"]})
        if not loan.mortgage_number:
            raise ValidationError({"mortgage_number": ["贷款未登记抵押（不动产登记证明号），不能出具放款通知"]})
        kind, account, name, bank = payee_for(application)
        now = timezone.now()
        disbursement = Disbursement.objects.create(
            number=next_number("loans_disbursement_number_seq", f"FK{timezone.localdate():%Y%m%d}", 6), loan=loan,
            branch=loan.branch, amount=loan.principal, payee_kind=kind, payee_account=account, payee_name=name,
            payee_bank=bank, approved_at=application.decided_at or now, noticed_by=actor, noticed_at=now,
        )
        document = document_request(kind=NOTICE, context=notice_context(disbursement), requested_by=actor,
                                     subject=loan.borrower)
        Disbursement.objects.filter(pk=disbursement.pk).update(notice=document)
        disbursement.notice = document
        audit_log(actor=actor, action="loans.disbursement.noticed", target=disbursement,
                  new={"loan": loan.contract_number, "amount": disbursement.amount, "payee": name,
                       "payee_kind": kind, "document": document.pk})
        return disbursement


def notice_context(disbursement: Disbursement) -> dict[str, Any]:
    loan = disbursement.loan
    application, borrower = loan.application, loan.borrower
    return {
        "number": disbursement.number, "contract_number": loan.contract_number, "iou_number": loan.iou_number,
        "borrower": borrower.name, "id_number": mask_id_number(borrower.id_number),
        "home_address": application.home_address, "home_kind": application.get_home_kind_display(),
        "product": application.get_product_display(), "amount": format_money(disbursement.amount),
        "amount_capitals": amount_in_capitals(disbursement.amount), "rate": f"{loan.rate}",
        "term_months": loan.term_months, "method": loan.get_method_display(), "repayment_day": loan.repayment_day,
        "bank": str(loan.bank), "mortgage_number": loan.mortgage_number,
        "payee_kind": disbursement.get_payee_kind_display(), "payee_name": disbursement.payee_name,
        "payee_account": mask_bank_card(disbursement.payee_account), "payee_bank": disbursement.payee_bank,
        "noticed_at": f"{timezone.localtime(disbursement.noticed_at):%Y-%m-%d %H:%M}",
        "noticed_by": disbursement.noticed_by.get_full_name() or disbursement.noticed_by.get_username(),
    }


# ---- release, queue and payment ---------------------------------------------------------------------------------

def _liquidity_lock() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", ["loans.disbursement.liquidity"])


def _pay(disbursement: Disbursement, actor: Any, now: datetime) -> None:
    """The payment, and the application 放款中, with the disbursement's move (its caller holds the lock)."""
    loan = disbursement.loan
    payment_create(
        purpose=PURPOSE, subject=disbursement, subject_label=f"贷款发放 {loan.contract_number} {loan.borrower.name}",
        amount=disbursement.amount, payee_account=disbursement.payee_account, payee_name=disbursement.payee_name,
        reference=disbursement.reference, business_type=BusinessType.DK_DISBURSE,
        ledger_reference=f"loans.loan:{loan.contract_number}", memo=f"公积金贷款发放 {loan.contract_number}",
        branch=disbursement.branch, actor=actor,
    )
    move_status(disbursement, S.PAYING, table=DISBURSEMENT_MOVES, action="loans.disbursement.paying", actor=actor,
                note={"reference": disbursement.reference, "amount": disbursement.amount}, paying_at=now)
    application = LoanApplication.objects.select_for_update().get(pk=loan.application_id)
    move_status(application, ApplicationState.DISBURSING, table=APPLICATION_MOVES, action="loans.application.disbursing",
                actor=actor, note={"disbursement": disbursement.number})


def disbursement_release(*, actor: Any, disbursement: Disbursement) -> Disbursement:
    """财务 releases a noticed disbursement: paid now when liquidity allows and nobody approved earlier waits,
    else queued (轮候)."""
    with transaction.atomic():
        _liquidity_lock()
        disbursement = (Disbursement.objects.select_for_update(of=("self",)).select_related("loan__borrower")
                        .get(pk=disbursement.pk))
        problem = may_release(actor, disbursement)
        if problem:
            raise PermissionDenied(problem)
        if disbursement.state != S.NOTICED:
            raise DISBURSEMENT_MOVES.refusal(disbursement.state, S.PAYING, "放款")
        now = timezone.now()
        ahead = Disbursement.objects.filter(state=S.QUEUED).filter(
            Q(approved_at__lt=disbursement.approved_at) | Q(approved_at=disbursement.approved_at, id__lt=disbursement.pk)
        ).exists()
        money = liquidity()
        Disbursement.objects.filter(pk=disbursement.pk).update(released_by=actor, released_at=now)
        disbursement.released_by, disbursement.released_at = actor, now
        if not ahead and disbursement.amount <= money.available:
            _pay(disbursement, actor, now)
        else:
            move_status(disbursement, S.QUEUED, table=DISBURSEMENT_MOVES, action="loans.disbursement.queued",
                        actor=actor, note={"available": money.available, "amount": disbursement.amount,
                                           "ahead": ahead}, queued_at=now)
    return disbursement


def disbursement_queue_drain(*, now: datetime | None = None) -> int:
    """Pay the 轮候 queue in order of approval while liquidity allows; returns how many were paid. Safe to run
    any number of times at once: the lock makes one drain at a time, each move is a compare-and-set."""
    paid = 0
    with transaction.atomic():
        _liquidity_lock()
        available = liquidity().available
        queue = (Disbursement.objects.select_for_update(of=("self",)).select_related("loan__borrower", "released_by")
                 .filter(state=S.QUEUED).order_by("approved_at", "id"))
        for disbursement in queue:
            if disbursement.amount > available:
                break  # strict order: a later approval never overtakes an earlier one
            _pay(disbursement, disbursement.released_by, now or timezone.now())
            available -= disbursement.amount
            paid += 1
    return paid


def queue_position(disbursement: Disbursement) -> int | None:
    """1 for the next to be paid; None when not queued."""
    if disbursement.state != S.QUEUED:
        return None
    return Disbursement.objects.filter(state=S.QUEUED).filter(
        Q(approved_at__lt=disbursement.approved_at) | Q(approved_at=disbursement.approved_at, id__lt=disbursement.pk)
    ).count() + 1


# ---- the purpose: what a paid or refused payment does to the loan ------------------------------------------------

def _locked(payment: Payment) -> Disbursement:
    return (Disbursement.objects.select_for_update(of=("self",)).select_related("loan__borrower", "loan__application")
            .get(pk=payment.subject_id))


def _movements(payment: Payment, attempt: PaymentAttempt) -> list[Movement]:
    disbursement = Disbursement.objects.select_related("loan").get(pk=payment.subject_id)
    return [Movement(disbursement.loan.sub_account_id, attempt.amount,
                     summary=f"贷款发放 {disbursement.loan.contract_number}")]


def _paid(payment: Payment, attempt: PaymentAttempt) -> None:
    disbursement = _locked(payment)
    loan = Loan.objects.select_for_update().get(pk=disbursement.loan_id)
    now = timezone.now()
    on = timezone.localdate()
    first_due = first_due_on(on, loan.repayment_day)
    # The schedule from the day the money left: the first period's interest by days when that is not the
    # repayment day; stored for this rate year (schedule_store).
    segment = segment_new(balance=loan.principal, rate=loan.rate, method=loan.method, first_number=1,
                          last_number=loan.term_months, first_due=first_due, day=loan.repayment_day, interest_from=on)
    maturity = segment.due_on(segment.last_number)
    move_status(disbursement, S.PAID, table=DISBURSEMENT_MOVES, action="loans.disbursement.paid", actor=None,
                note={"reference": attempt.reference, "bank_serial": attempt.bank_serial}, paid_at=now)
    move_status(loan, LoanStatus.ACTIVE, table=LOAN_MOVES, action="loans.loan.activated", actor=None,
                note={"disbursed_on": on, "first_due_on": first_due, "maturity_on": maturity},
                disbursed_on=on, first_due_on=first_due, maturity_on=maturity)
    schedule_start(loan=loan, segment=segment, reason=SegmentReason.DISBURSED, effective_on=on)
    application = LoanApplication.objects.select_for_update().get(pk=loan.application_id)
    move_status(application, ApplicationState.DISBURSED, table=APPLICATION_MOVES, action="loans.application.disbursed",
                actor=None, note={"disbursement": disbursement.number}, disbursed_at=now, ended_at=now)
    phone = loan.borrower.phone
    if phone:
        from fund.people.tasks import send_sms

        text = (f"您的住房公积金贷款（合同 {loan.contract_number}）{format_money(attempt.amount)} 元已发放至"
                f"{disbursement.payee_name}，首次还款日 {first_due:%Y年%m月%d日}，月还款请按还款计划足额存入还款账户。")
        transaction.on_commit(lambda: send_sms.delay(phone, text), robust=True)


def _refused(payment: Payment, attempt: PaymentAttempt) -> None:
    """Nothing was set aside (the entry is posted only when paid): the refusal is on the disbursement's record;
    the payments core retries it, then hands it to 财务."""
    disbursement = _locked(payment)
    audit_log(actor=None, action="loans.disbursement.refused", target=disbursement,
              new={"reference": attempt.reference, "reason": attempt.reason})
    return None


register_purpose(Purpose(code=PURPOSE, label="贷款发放", debit_account=chart.LOANS, movements=_movements,
                         on_paid=_paid, on_refused=_refused))


# ---- the IOU (借据) -------------------------------------------------------------------------------------------

def iou_deliver(*, actor: Any, loan: Loan, how: str, recipient: str, tracking: str = "") -> Loan:
    """Record how the IOU reached the borrower: 本人领取, 开发企业代领 or 邮寄 (with the tracking number); once."""
    from fund.validation import clean_bank_serial, clean_into, clean_person_name

    from ..models import IouDelivery

    if not roles_of(actor).is_staff:
        raise PermissionDenied("借据交付须由中心工作人员登记")
    errors: dict[str, list[str]] = {}
    if how not in IouDelivery.values:
        errors["how"] = ["请选择借据交付方式（本人领取、开发企业代领或邮寄）"]
    recipient = clean_into(errors, "recipient", clean_person_name, recipient, label="领取人/收件人") or ""
    tracking = clean_into(errors, "tracking", clean_bank_serial, tracking, label="邮寄单号",
                          required=how == IouDelivery.POST) or ""
    if len(tracking) > 40:
        errors.setdefault("tracking", []).append("邮寄单号不能超过40位")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        loan = Loan.objects.select_for_update().get(pk=loan.pk)
        if loan.status == LoanStatus.PENDING:
            raise ValidationError({"how": ["贷款发放后才能交付借据"]})
        if loan.iou_delivered_at is not None:
            raise ValidationError({"how": [f"借据已于 {timezone.localtime(loan.iou_delivered_at):%Y-%m-%d %H:%M} 交付"]})
        now = timezone.now()
        Loan.objects.filter(pk=loan.pk).update(iou_delivery=how, iou_delivered_at=now, iou_delivered_by=actor,
                                               iou_recipient=recipient, iou_tracking=tracking)
        audit_log(actor=actor, action="loans.loan.iou_delivered", target=loan,
                  new={"iou_delivery": how, "recipient": recipient, "tracking": tracking})
    loan.refresh_from_db()
    return loan
