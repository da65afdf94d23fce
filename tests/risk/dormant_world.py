"""Dormant accounts for the risk tests: an account sealed long before the campaign's date, and a movement of a
given kind on an account's sub-ledger."""

from datetime import date
from decimal import Decimal
from typing import Any

from deposits.services.accounts import monthly_deposit_post
from deposits.services.member_lifecycle import member_account_seal
from fund.ledger import chart
from fund.ledger.services import Movement, credit, debit, entry_post
from tests.clock import travel_to

START = date(2027, 6, 1)  # a campaign's date: with the policy's 2 years, dormant = sealed and unmoved by 2025-06-01


def sealed_long_ago(world: Any, account: Any, *, on: date = date(2025, 3, 10)) -> Any:
    """One month's deposit, then 封存 the same day (the clock moved there, so the 封存 record carries that date)."""
    monthly_deposit_post(actor=world.clerk, account=account, month=date(2025, 2, 1), value_date=on)
    with travel_to(on):
        return member_account_seal(actor=world.clerk if account.unit_id == world.unit_a.pk else world.clerk_b,
                                   account=account, reason="解除劳动合同")


def post(account: Any, kind: str, on: date, amount: str = "10.00") -> None:
    """A movement on the account's sub-ledger of the given business type (interest, a transfer-in …)."""
    value = Decimal(amount)
    entry_post(business_type=kind, reference=f"test:{account.pk}:{kind}", idempotency_key=f"test:{account.pk}:{kind}:{on}",
               value_date=on, legs=[debit(chart.BANK, value), credit(chart.MEMBER_DEPOSITS, value)],
               movements=[Movement(account.sub_account_id, value, summary="测试")])
