"""Reading the ledger: account balances and the reconciliation that proves the sub-ledgers agree."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Sum

from fund.money import ZERO

from .models import Account, JournalLine, SubAccount


def account_balance(account: Account) -> Decimal:
    """The balance on the account's normal side (debit for assets and expenses, credit otherwise)."""
    sums = JournalLine.objects.filter(account=account).aggregate(d=Sum("debit"), c=Sum("credit"))
    debit, credit = sums["d"] or ZERO, sums["c"] or ZERO
    return debit - credit if account.debit_normal else credit - debit


@dataclass(frozen=True)
class Discrepancy:
    what: str
    expected: Decimal
    actual: Decimal

    def __str__(self) -> str:
        return f"{self.what}: 应为 {self.expected}，实为 {self.actual}，差额 {self.actual - self.expected}"


ReconcileCheck = Callable[[], Iterable[Discrepancy]]
RECONCILE_CHECKS: dict[str, ReconcileCheck] = {}


def register_reconcile_check(name: str, check: ReconcileCheck) -> None:
    """A business app's own agreement check (e.g. each loan's sub-account against its schedule), run by
    `ledger_reconcile` and the reconcile command in the same snapshot as the ledger's; the ledger does not
    import the apps, they register here (from their AppConfig.ready). Registering a name again replaces it."""
    RECONCILE_CHECKS[name] = check


def ledger_reconcile() -> list[Discrepancy]:
    """Every way the books could disagree with themselves; an empty list means they agree.

    - each control account's balance equals the sum of its sub-accounts' balances (住房公积金 201 = Σ member
      accounts; 委托贷款 111 = Σ loans' principal outstanding);
    - each sub-account's balance equals the sum of its sub-ledger rows;
    - the general ledger as a whole balances (Σ debits = Σ credits);
    - every check the apps registered (`register_reconcile_check`).
    """
    problems: list[Discrepancy] = []
    # One snapshot for every check: a posting committed half-way through must not look like a difference.
    # (Inside a caller's transaction, e.g. a test, that transaction's own snapshot rules apply.)
    already_in_transaction = connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        if not already_in_transaction:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        _reconcile_into(problems)
    return problems


def _reconcile_into(problems: list[Discrepancy]) -> None:
    for account in Account.objects.filter(is_control=True):
        gl = account_balance(account)
        subs = SubAccount.objects.filter(control=account).aggregate(s=Sum("balance"))["s"] or ZERO
        if gl != subs:
            problems.append(Discrepancy(f"科目 {account} 余额与分户账合计", gl, subs))
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT s.number, s.balance, COALESCE(r.total, 0)
              FROM ledger_subaccount s
              LEFT JOIN (SELECT sub_account_id, SUM(amount) AS total FROM ledger_subledgerrow GROUP BY 1) r
                ON r.sub_account_id = s.id
             WHERE s.balance <> COALESCE(r.total, 0)
             ORDER BY s.number
             LIMIT 100
            """
        )
        for number, balance, total in cursor.fetchall():
            problems.append(Discrepancy(f"分户 {number} 余额与明细账合计", total, balance))
    totals = JournalLine.objects.aggregate(d=Sum("debit"), c=Sum("credit"))
    if (totals["d"] or ZERO) != (totals["c"] or ZERO):
        problems.append(Discrepancy("总账借贷合计", totals["d"] or ZERO, totals["c"] or ZERO))
    for check in RECONCILE_CHECKS.values():
        problems.extend(check())
