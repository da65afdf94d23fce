"""The chart of accounts of a housing provident fund centre (after the 住房公积金会计核算办法 numbering)."""

from .models import AccountKind

BANK = "101"  # 住房公积金存款: the fund's money at the entrusted banks
VALUE_ADDED_BANK = "102"  # 增值收益存款
LOANS = "111"  # 委托贷款: housing loans receivable (control of the loans' sub-accounts: principal outstanding)
INTEREST_RECEIVABLE = "112"  # 应收利息
MEMBER_DEPOSITS = "201"  # 住房公积金: what the fund owes its members (control of the personal accounts)
INTEREST_PAYABLE = "211"  # 应付利息: interest owed to members, not yet credited
WITHDRAWAL_PAYABLE = "221"  # 其他应付款—提取待付: withdrawals approved and instructed, not yet paid by the bank
SUSPENSE = "231"  # 暂收款: money received and not yet matched
VALUE_ADDED_INCOME = "301"  # 增值收益
INTEREST_INCOME = "401"  # 利息收入: loan interest
PENALTY_INCOME = "402"  # 罚息收入: penalty interest on overdue loan principal
INTEREST_EXPENSE = "501"  # 利息支出: interest credited to members
SUBSIDY_EXPENSE = "502"  # 贴息支出: the interest subsidy refunded to eligible borrowers

CHART: list[tuple[str, str, str, bool]] = [
    (BANK, "住房公积金存款", AccountKind.ASSET, False),
    (VALUE_ADDED_BANK, "增值收益存款", AccountKind.ASSET, False),
    (LOANS, "委托贷款", AccountKind.ASSET, True),
    (INTEREST_RECEIVABLE, "应收利息", AccountKind.ASSET, False),
    (MEMBER_DEPOSITS, "住房公积金", AccountKind.LIABILITY, True),
    (INTEREST_PAYABLE, "应付利息", AccountKind.LIABILITY, False),
    (WITHDRAWAL_PAYABLE, "提取待付款", AccountKind.LIABILITY, False),
    (SUSPENSE, "暂收款", AccountKind.LIABILITY, False),
    (VALUE_ADDED_INCOME, "增值收益", AccountKind.EQUITY, False),
    (INTEREST_INCOME, "利息收入", AccountKind.INCOME, False),
    (PENALTY_INCOME, "罚息收入", AccountKind.INCOME, False),
    (INTEREST_EXPENSE, "利息支出", AccountKind.EXPENSE, False),
    (SUBSIDY_EXPENSE, "贴息支出", AccountKind.EXPENSE, False),
]


def chart_seed() -> int:
    """Create the chart's accounts that are missing; returns how many were created (0 when complete)."""
    from .models import Account
    from .services import chart_forget

    chart_forget()  # the accounts may have been created anew (a test database flushed and seeded again)
    # One read of the codes there, not a query per account: tests seed again before each test that needs it.
    existing = set(Account.objects.values_list("code", flat=True))
    created = 0
    for code, name, kind, is_control in CHART:
        if code not in existing:
            _, was_created = Account.objects.get_or_create(
                code=code, defaults={"name": name, "kind": kind, "is_control": is_control})
            created += was_created
    return created
